# SPDX-License-Identifier: GPL-2.0
# Print "CONFIG_X?=y|n" for each bool option of a Kconfig file, from its default.
/^config / { name = $2; type = "" }
/^[ \t]+bool/ { type = "bool" }
/^[ \t]+default / && type == "bool" { print "CONFIG_" name "?=" $2 }
