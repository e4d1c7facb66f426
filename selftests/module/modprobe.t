#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# As a user would: `make install` puts kxen.ko where modprobe finds it, and
# `modprobe kxen` / `modprobe -r kxen` load and unload it. Needs the build tree and the
# kernel headers (the QEMU machine sees the host's files).
. "$(dirname "$0")/tap.sh"

kdir=/usr/src/linux-headers-$(uname -r)
[ -d "$kdir" ] || { skip "no headers for $(uname -r) here"; done_testing; exit; }
# `make install` builds kxen inside the machine for a kernel the host tree was not built
# for: half an hour on the debug kernel under emulation. make check covers it.
if grep -qw kasan_quarantine_reduce /proc/kallsyms; then
	skip "make install and modprobe: not on the KASAN kernel (make check runs them)"
	done_testing
	exit
fi
lsmod | grep -q '^kxen ' && bail "kxen is already loaded"

check "make install" sh -c "make -s -C '$KXEN_TOP' KDIR='$kdir' install >/dev/null 2>&1"
is "$(modinfo -n kxen 2>&1)" "/lib/modules/$(uname -r)/extra/kxen.ko" "modinfo finds the installed module"
check "modprobe kxen" modprobe kxen
is "$(cat /sys/hypervisor/type 2>&1)" "xen" "the gates are there"
check "modprobe -r kxen" modprobe -r kxen
check "and gone again" test ! -e /proc/xen
dmesg_clean
done_testing
