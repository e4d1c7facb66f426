#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kxen and KVM take turns. While KVM runs a VM it holds SVM (EFER.SVME on every CPU):
# kxen must then refuse, naming the remedy. Once the VM is gone kxen loads, and while
# kxen has no domains KVM can run VMs again.
. "$(dirname "$0")/tap.sh"

command -v qemu-system-x86_64 >/dev/null || { skip "no QEMU in this machine"; done_testing; exit; }
grep -qw svm /proc/cpuinfo || bail "needs AMD SVM"
modprobe kvm_amd || bail "modprobe kvm_amd failed"

# A VM with no CPUs and no devices: enough for KVM to switch SVM on.
kvm_vm_start() {
	qemu-system-x86_64 -accel kvm -machine none -nodefaults -display none \
		-monitor none -serial none </dev/null >/dev/null 2>&1 &
	QEMU_PID=$!
	n=0
	while [ $n -lt 300 ]; do
		for fd in /proc/$QEMU_PID/fd/*; do
			case $(readlink "$fd") in *kvm-vm*) return 0;; esac
		done
		kill -0 $QEMU_PID 2>/dev/null || return 1
		sleep 0.1; n=$((n + 1))
	done
	return 1
}
kvm_vm_stop() { kill $QEMU_PID; wait $QEMU_PID 2>/dev/null; }

kvm_vm_start || bail "KVM did not start a VM"
out=$(insmod "$KXEN_KO" 2>&1)
check "insmod fails while KVM runs a VM" test $? -ne 0
like "$out" "Device or resource busy" "with EBUSY"
lines=$(kxen_lines)
is "$(printf '%s\n' "$lines" | grep -c .)" "1" "exactly one kxen line in dmesg"
like "$lines" "kxen: cannot run: AMD SVM is in use by another hypervisor on CPU [0-9]+ \(EFER\.SVME set\); if it is KVM, stop its VMs or 'rmmod kvm_amd'" \
	"the line names KVM's remedy"
check "no /proc/xen while refused" test ! -e /proc/xen
kvm_vm_stop

check "insmod succeeds once KVM's VM is gone" insmod "$KXEN_KO"
check "KVM runs a VM while kxen is loaded and has no domains" kvm_vm_start
kvm_vm_stop
check "rmmod kxen" rmmod kxen
modprobe -r kvm_amd
dmesg_clean
done_testing
