#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmarks, inside one emulated machine (bench/run starts it): each measured on
# kxen, then on Debian's kvm-amd driven by qemu-system-x86_64 -accel kvm, which boots
# the very same PVH images (QEMU's PVH boot). Prints one "BENCH" line per result.
set -u
cd "$KXEN_TOP" || exit 1
. selftests/module/domain.sh

ROUNDS=${BENCH_ROUNDS:-2}
KERNEL=$KXEN_CACHE/kernel/$KXEN_KREL/boot/vmlinuz-$KXEN_KREL
W=$(mktemp -d)
pvops/extract-vmlinux "$KERNEL" "$W/vmlinux" || exit 1
pvops/mkinitrd "$KXEN_CACHE/busybox/bin/busybox" "$W/initrd.gz" || exit 1
MARK="KXEN-DOMU-INIT nproc="
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- KVM, in the same machine, first: see bench/README.md
modprobe kvm_amd || { echo "BENCH-ERROR no kvm_amd"; exit 1; }
QEMU="qemu-system-x86_64 -accel kvm -cpu host -machine q35 -display none -monitor none -no-reboot"
# A nested KVM guest under QEMU TCG stalls now and then (about 2 boots in 5, with or
# without kxen loaded before): a boot that has not powered off in 60 s is retried.
# The time taken is until the guest has powered off (QEMU exits: -no-reboot), which
# its /init does at once after printing the marker; kxen's is measured the same way.
# Both kernels boot "quiet": kxen's console here is `kxen-domu console` (a process that
# copies the ring when the guest signals), while QEMU's serial port takes output at once.
r=0 tries=0
while [ $r -lt "$ROUNDS" ] && [ $tries -lt $((ROUNDS + 4)) ]; do
	tries=$((tries + 1))
	t0=$(now_ms)
	timeout 60 $QEMU -m 128 -smp 1 -kernel "$W/vmlinux" -initrd "$W/initrd.gz" \
		-append "console=ttyS0 quiet" -serial "file:$W/kvm.log" </dev/null
	rc=$? t1=$(now_ms)
	if [ $rc = 0 ] && grep -q "$MARK" "$W/kvm.log"; then
		echo "BENCH boot kvm ms=$((t1 - t0))"
		r=$((r + 1))
	else
		echo "BENCH-RETRY KVM guest stalled (exit $rc) ($(tail -n 1 "$W/kvm.log" | cut -c1-60))"
	fi
done
: > "$W/dbg.log"
timeout 300 $QEMU -m 32 -kernel "$KXEN_TOP/bench/hypercall/guest.elf" </dev/null \
	-chardev "file,id=dbg,path=$W/dbg.log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
	-device isa-debug-exit,iobase=0xf4
echo "BENCH hypercall kvm $(sed -n 's/^BENCH hypercall //p' "$W/dbg.log")"
rmmod kvm_amd kvm
# ---- kxen
insmod "$KXEN_KO" || exit 1
r=0
while [ $r -lt "$ROUNDS" ]; do
	t0=$(now_ms)
	id=$(dom_create -m 128 -i "$W/initrd.gz" -c "console=hvc0 quiet" "$W/vmlinux") ||
		exit 1
	# The console ring must be drained as the guest writes (dom_hvc_wait does).
	dom_hvc_wait "$id" "$MARK" 300 && code=$(dom_wait "$id" 60) || code=stalled
	t1=$(now_ms)
	if [ "$code" = 0 ]; then
		echo "BENCH boot kxen ms=$((t1 - t0))"
	else
		echo "BENCH-ERROR kxen domU did not reach /init and power off ($code):"
		tail -n 20 "${KXEN_OUT:-/tmp}/hvc0-d$id.log"
		"$DOMU" list
		dom_destroy "$id"
		break
	fi
	dom_destroy "$id"
	r=$((r + 1))
done
id=$(dom_create -m 8 "$KXEN_TOP/bench/hypercall/guest.elf") || exit 1
dom_wait "$id" 120 >/dev/null
echo "BENCH hypercall kxen $(dom_console "$id" | sed -n 's/^BENCH hypercall //p')"
dom_destroy "$id"
rmmod kxen

rm -rf "$W"
