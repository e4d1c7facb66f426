#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# On a CPU with neither SVM nor VMX, kxen refuses to load and says why in one line.
# Run in a machine without them (kxen-vm --cpu max,-svm).
. "$(dirname "$0")/tap.sh"

grep -qwE 'svm|vmx' /proc/cpuinfo && bail "this CPU has SVM or VMX: run refuse.t on one without"

out=$(insmod "$KXEN_KO" 2>&1)
rc=$?
check "insmod fails" test $rc -ne 0
like "$out" "No such device" "with ENODEV"
lines=$(kxen_lines)
is "$(printf '%s\n' "$lines" | grep -c .)" "1" "exactly one kxen line in dmesg"
is "$lines" "kxen: cannot run: this CPU has neither AMD SVM nor Intel VMX (in a VM, turn on nested virtualization)" \
	"the line says why, and what to do"
check "kxen is not loaded" sh -c '! lsmod | grep -q "^kxen "'
check "no /sys/hypervisor/type" test ! -e /sys/hypervisor/type
check "no /proc/xen" test ! -e /proc/xen
dmesg_clean
done_testing
