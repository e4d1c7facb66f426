#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks on real Xen 4.17, in dom0 of the emulated machine bench/run boots with
# selftests/vm/kxen-vm --xen: the same PVH images as bench/in-vm.sh, started with
# `xl create` (Debian's toolstack, where kxen's side uses kxen-domu), BENCH_ROUNDS
# rounds. One "BENCH" line per result.
set -u
cd "$KXEN_TOP" || exit 1

ROUNDS=${1:-5}		# bench/run passes BENCH_ROUNDS
KERNEL=$KXEN_CACHE/kernel/$KXEN_KREL/boot/vmlinuz-$KXEN_KREL
W=$(mktemp -d)
pvops/extract-vmlinux "$KERNEL" "$W/vmlinux" || exit 1
pvops/mkinitrd "$KXEN_CACHE/busybox/bin/busybox" "$W/initrd.gz" || exit 1
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A domain that powers off is destroyed at once; one that crashes or reboots stays,
# so "gone" means its /init ran to the end.
config() {
	local rd=""

	[ -n "$3" ] && rd="ramdisk = \"$3\""
	cat > "$W/$1.cfg" <<CFG
type = "pvh"
name = "$1"
kernel = "$2"
$rd
cmdline = "console=hvc0 quiet"
memory = $4
vcpus = 1
on_poweroff = "destroy"
on_reboot = "preserve"
on_crash = "preserve"
CFG
}
config boot "$W/vmlinux" "$W/initrd.gz" 128
config hypercall "$KXEN_TOP/bench/hypercall/guest.elf" "" 8

# Polls `xl domid` (itself a few tenths of a second under TCG): the figure includes
# that resolution. A domain
# still there after limit seconds is reported (its state in `xl list`, Xen's console)
# and destroyed. Each round's domains have names of their own, so one that will not go
# cannot stop the next round.
run() {
	local name=$1 cfg=$2 limit=$3 t0

	t0=$(now_ms)
	xl create -q "$W/$cfg.cfg" "name=\"$name\"" || return 1
	while xl domid "$name" >/dev/null 2>&1; do
		if [ $(($(now_ms) - t0)) -gt $((limit * 1000)) ]; then
			echo "BENCH-ERROR $name still there after ${limit} s: $(xl list "$name" | tail -n 1)" >&2
			xl dmesg | tail -n 5 | sed 's/^/BENCH-ERROR   /' >&2
			xl destroy "$name"
			return 1
		fi
		sleep 0.1
	done
	echo $(($(now_ms) - t0))
}

r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	echo "BENCH-ROUND $r"
	ms=$(run "boot$r" boot 120) && echo "BENCH boot xen ms=$ms"
	xl dmesg -c >/dev/null
	if run "hypercall$r" hypercall 120 >/dev/null; then
		echo "BENCH hypercall xen $(xl dmesg | sed -n 's/^(d[0-9]*) BENCH hypercall //p')"
	fi
done
rm -rf "$W"
