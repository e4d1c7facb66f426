# SPDX-License-Identifier: GPL-2.0
#
#   make            build kernel/kxen.ko for Debian 12's current stock kernel
#   make KDIR=/lib/modules/$(uname -r)/build    ... or for the kernel you run
#   make check      unit tests, style check, and the module's tests in emulated machines
#   make demo       boot an emulated AMD machine, load kxen, show what it does
#   make clean

ifeq ($(origin KDIR),undefined)
# Debian 12's stock kernel, as the linux-image-amd64 metapackage names it today.
KREL := $(shell bash scripts/kernel-release)
KDIR := /usr/src/linux-headers-$(KREL)
endif

.PHONY: all module deps clean check unit style vmtests demo

all: module

module: deps
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel modules

# Installs the headers for the target release (root needed the first time).
deps:
	@[ -n "$(KREL)" ] || [ -d "$(KDIR)" ] || { echo "no kernel tree at KDIR=$(KDIR)" >&2; exit 1; }
	@[ -z "$(KREL)" ] || [ -d "$(KDIR)" ] || bash scripts/deps build

check: module
	bash scripts/deps all
	bash selftests/run

demo: module
	bash scripts/deps all
	bash scripts/demo

unit:
	$(MAKE) -C selftests/unit

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel clean
	$(MAKE) -C selftests/unit clean
