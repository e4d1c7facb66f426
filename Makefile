# SPDX-License-Identifier: GPL-2.0
#
#   make            build kernel/kxen.ko for Debian 12's current stock kernel
#   make KDIR=/lib/modules/$(uname -r)/build    ... or for the kernel you run
#   make check      unit tests, style check, and the module's tests in emulated machines
#   make check-debug  the emulated machines' tests on a debug kernel (KASAN, lockdep, ...)
#   make demo       boot an emulated AMD machine, load kxen, show what it does
#   make bench      kxen against KVM and real Xen 4.17: boot and hypercall, medians and ratios
#   make install    install kxen.ko for KDIR's kernel (then: modprobe kxen)
#   make clean

ifeq ($(origin KDIR),undefined)
# Debian 12's stock kernel, as the linux-image-amd64 metapackage names it today.
KREL := $(shell bash scripts/kernel-release)
KDIR := /usr/src/linux-headers-$(KREL)
endif

.PHONY: all module tools deps clean check check-debug unit demo bench install

all: module tools

# kxen-domu: PVH domains from dom0 without a toolstack (what the tests boot guests with).
tools: deps
	@[ -f /usr/include/xen/domctl.h ] && [ -f /usr/include/libnl3/netlink/route/link/bridge.h ] || \
		bash scripts/deps build
	$(MAKE) -C userspace/kxen-domu
	$(MAKE) -C userspace/kxen-netback

module: deps
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel modules

# Installs the headers for the target release (root needed the first time).
deps:
	@[ -n "$(KREL)" ] || [ -d "$(KDIR)" ] || { echo "no kernel tree at KDIR=$(KDIR)" >&2; exit 1; }
	@[ -z "$(KREL)" ] || [ -d "$(KDIR)" ] || bash scripts/deps build

check: module tools
	bash scripts/deps all
	bash selftests/run

# Not part of check: its kernel takes 45 minutes or more to build the first time (then cached).
check-debug: tools
	bash scripts/deps debug
	bash selftests/run-debug

demo: module tools
	bash scripts/deps all
	bash scripts/demo

bench: module tools
	bash scripts/deps all
	bash scripts/deps xen
	bash bench/run --xen

# Into /lib/modules/<release>/extra, kbuild's place for external modules. The release
# is UTS_RELEASE, what vermagic and uname -r say: Debian's headers answer
# `make kernelrelease` with the upstream version instead. kbuild skips depmod where the headers have no System.map, so it runs here.
KXEN_RELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel KERNELRELEASE=$(KXEN_RELEASE) modules_install
	depmod -a $(KXEN_RELEASE)
	install -D -m 755 userspace/kxen-dom0 $(DESTDIR)/usr/libexec/kxen/kxen-dom0
	$(MAKE) -C userspace/kxen-netback
	install -D -m 755 userspace/kxen-netback/kxen-netback $(DESTDIR)/usr/libexec/kxen/kxen-netback
	install -D -m 755 userspace/kxen-netback/kxen-bridge $(DESTDIR)/usr/libexec/kxen/kxen-bridge
	install -D -m 644 userspace/kxen.service $(DESTDIR)/lib/systemd/system/kxen.service

unit:
	$(MAKE) -C selftests/unit

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel clean
	$(MAKE) -C selftests/unit clean
	$(MAKE) -C userspace/kxen-domu clean
	$(MAKE) -C userspace/kxen-netback clean
