#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The files Debian's Xen userspace reads before anything else, exactly as real Xen 4.17
# shows them (shared/design/xen-abi-4.17.md 2.1), there while kxen is loaded and gone
# after it unloads.
. "$(dirname "$0")/tap.sh"

lsmod | grep -q '^kxen ' && bail "kxen is already loaded"
check "/sys/hypervisor is empty before kxen loads" test -z "$(ls /sys/hypervisor)"
check "no /proc/xen before kxen loads" test ! -e /proc/xen

check "insmod kxen.ko" insmod "$KXEN_KO"
line=$(dmesg_since | grep 'kxen: Xen ')
like "$line" 'kxen: Xen 4\.17\.0-kxen ABI on (AMD SVM with nested paging|Intel VMX with EPT and unrestricted guest) on [0-9]+ CPUs$' \
	"one dmesg line names the Xen version and the backend"
is "$(echo "$line" | sed -n 's/.* on \([0-9]*\) CPUs$/\1/p')" \
	"$(grep -c '^processor' /proc/cpuinfo)" "the backend switched on and off on every CPU"

is "$(cat /sys/hypervisor/type)" "xen" "/sys/hypervisor/type"
is "$(cat /sys/hypervisor/version/major)" "4" "/sys/hypervisor/version/major"
is "$(cat /sys/hypervisor/version/minor)" "17" "/sys/hypervisor/version/minor"
is "$(cat /sys/hypervisor/version/extra)" ".0-kxen" "/sys/hypervisor/version/extra"
is "$(cat /sys/hypervisor/uuid)" "00000000-0000-0000-0000-000000000000" "/sys/hypervisor/uuid is dom0's"
# Xen ends each entry with a space, the last one too.
is "$(cat /sys/hypervisor/properties/capabilities)" \
	"hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 " "/sys/hypervisor/properties/capabilities"
is "$(cat /sys/hypervisor/properties/pagesize)" "1000" "/sys/hypervisor/properties/pagesize"
is "$(cat /proc/xen/capabilities)" "control_d" "/proc/xen/capabilities says control_d"
check "/proc/xen/capabilities is read-only" sh -c '! echo x 2>/dev/null > /proc/xen/capabilities'
check "/sys/hypervisor/type is read-only" sh -c '! echo x 2>/dev/null > /sys/hypervisor/type'

# What Debian's own scripts conclude from these files (xen-utils-common), where present.
if [ -x /usr/lib/xen-4.17/bin/xl ]; then
	is "$(/usr/lib/xen-common/bin/xen-dir)" "/usr/lib/xen-4.17" \
		"Debian's xen-dir picks the Xen 4.17 tools (what /usr/sbin/xl runs)"
	is "$(/usr/lib/xen-common/bin/xen-version)" "4.17" "Debian's xen-version says 4.17"
	like "$(sh -x /usr/sbin/xl info 2>&1)" '^\+ exec /usr/lib/xen-4\.17/bin/xl info$' \
		"Debian's xl wrapper runs Xen 4.17's own xl"
else
	skip "no xen-utils-4.17 here"
	skip "no xen-utils-4.17 here"
	skip "no xen-utils-4.17 here"
fi
# The checks of Debian's /etc/init.d/xen, in its own words.
check "init script: /sys/hypervisor/type is xen" \
	sh -c 'grep -q "^xen$" /sys/hypervisor/type'
check "init script: grep control_d /proc/xen/capabilities" \
	sh -c 'grep -q control_d /proc/xen/capabilities'

check "rmmod kxen" rmmod kxen
check "/sys/hypervisor is empty again" test -z "$(ls /sys/hypervisor)"
check "/proc/xen is gone" test ! -e /proc/xen
is "$(dmesg_since | grep -c 'kxen: unloaded')" "1" "unload is logged once"
dmesg_clean
done_testing
