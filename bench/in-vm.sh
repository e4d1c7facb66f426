#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmarks, inside one emulated machine (bench/run starts it): each measured on
# kxen and on Debian's kvm-amd driven by qemu-system-x86_64 -accel kvm, which boots
# the very same PVH images (QEMU's PVH boot), in BENCH_ROUNDS rounds that take turns
# (KVM, then kxen, in each), so that a slow spell of the machine falls on both. Prints
# one "BENCH" line per result.
set -u
cd "$KXEN_TOP" || exit 1
. selftests/module/domain.sh

ROUNDS=${1:-5}		# bench/run passes BENCH_ROUNDS
KERNEL=$KXEN_CACHE/kernel/$KXEN_KREL/boot/vmlinuz-$KXEN_KREL
W=$(mktemp -d)
pvops/extract-vmlinux "$KERNEL" "$W/vmlinux" || exit 1
pvops/mkinitrd "$KXEN_CACHE/busybox/bin/busybox" "$W/initrd.gz" || exit 1
MARK="KXEN-DOMU-INIT nproc="
now_ms() { echo $(($(date +%s%N) / 1000000)); }

QEMU="qemu-system-x86_64 -accel kvm -cpu host -machine q35 -display none -monitor none -no-reboot"
fails=0

# One boot on KVM: until the guest has powered off (QEMU exits: -no-reboot), which its
# /init does at once after printing the marker; kxen's is measured the same way. Both
# kernels boot "quiet": kxen's console here is `kxen-domu console` (a process that
# copies the ring when the guest signals), while QEMU's serial port takes output at
# once. A nested KVM guest under QEMU TCG stalls or panics now and then (bench/README.md
# says why): such a boot is retried, its log kept in $KXEN_OUT.
kvm_boot() {
	tries=0
	# Up to 4 tries a round, and 6 failures in all: the bench stays within bounds.
	while [ $tries -lt 4 ] && [ $fails -lt 6 ]; do
		tries=$((tries + 1))
		t0=$(now_ms)
		timeout 45 $QEMU -m 128 -smp 1 -kernel "$W/vmlinux" -initrd "$W/initrd.gz" \
			-append "console=ttyS0 quiet" -serial "file:$W/kvm.log" </dev/null
		rc=$? t1=$(now_ms)
		if [ $rc = 0 ] && grep -q "$MARK" "$W/kvm.log"; then
			echo "BENCH boot kvm ms=$((t1 - t0))"
			return 0
		fi
		fails=$((fails + 1))
		cp "$W/kvm.log" "${KXEN_OUT:-/tmp}/kvm-fail-$fails.log"
		echo "BENCH-RETRY KVM guest failed (exit $rc, log kvm-fail-$fails.log):" \
			"$(grep -m1 -E 'Kernel panic|BUG:|general protection|invalid opcode' \
			"$W/kvm.log" | cut -c1-100)"
	done
	return 1
}

kvm_hypercall() {
	: > "$W/dbg.log"
	timeout 300 $QEMU -m 32 -kernel "$KXEN_TOP/bench/hypercall/guest.elf" </dev/null \
		-chardev "file,id=dbg,path=$W/dbg.log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
		-device isa-debug-exit,iobase=0xf4
	echo "BENCH hypercall kvm $(sed -n 's/^BENCH hypercall //p' "$W/dbg.log")"
}

kxen_boot() {
	t0=$(now_ms)
	id=$(dom_create -m 128 -i "$W/initrd.gz" -c "console=hvc0 quiet" "$W/vmlinux") ||
		return 1
	# The console ring must be drained as the guest writes (dom_hvc_wait does).
	dom_hvc_wait "$id" "$MARK" 300 && code=$(dom_wait "$id" 60) || code=stalled
	t1=$(now_ms)
	if [ "$code" = 0 ]; then
		echo "BENCH boot kxen ms=$((t1 - t0))"
	else
		echo "BENCH-ERROR kxen domU did not reach /init and power off ($code):"
		tail -n 20 "${KXEN_OUT:-/tmp}/hvc0-d$id.log"
		"$DOMU" list
	fi
	dom_destroy "$id"
	[ "$code" = 0 ]
}

kxen_hypercall() {
	id=$(dom_create -m 8 "$KXEN_TOP/bench/hypercall/guest.elf") || return 1
	dom_wait "$id" 120 >/dev/null
	echo "BENCH hypercall kxen $(dom_console "$id" | sed -n 's/^BENCH hypercall //p')"
	dom_destroy "$id"
}

r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	echo "BENCH-ROUND $r"
	modprobe kvm_amd || { echo "BENCH-ERROR no kvm_amd"; exit 1; }
	kvm_boot
	kvm_hypercall
	rmmod kvm_amd kvm
	insmod "$KXEN_KO" || exit 1
	kxen_boot || { rmmod kxen; break; }
	kxen_hypercall
	rmmod kxen
done
rm -rf "$W"
