#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's stock kernel, the very vmlinuz that runs this machine, boots as a PVH domU
# on kxen with 1 and with 2 vcpus: to its initramfs /init, which prints a marker and
# nproc on hvc0 and powers the domain off. Then 20 create/destroy cycles of a small
# domain, with every page given back (counted by the memory cgroup the test runs in).
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/domain.sh"
: "${KXEN_OUT:=/tmp}"
# Milliseconds since boot (busybox's date has no %N).
now_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

W=$(mktemp -d)
if [ -n "${KXEN_DOMU_KERNEL:-}" ]; then
	# Prepared by the harness (kxen-bochs --domu: its machine has no tools to do it).
	ln -s "$KXEN_DOMU_KERNEL" "$W/vmlinux"
	ln -s "$KXEN_DOMU_INITRD" "$W/initrd.gz"
else
	KERNEL=$KXEN_CACHE/kernel/$KXEN_KREL/boot/vmlinuz-$KXEN_KREL
	BUSYBOX=$KXEN_CACHE/busybox/bin/busybox
	[ -r "$KERNEL" ] || bail "no $KERNEL (scripts/deps all)"
	[ -x "$BUSYBOX" ] || bail "no $BUSYBOX (scripts/deps all)"
	"$KXEN_TOP/pvops/extract-vmlinux" "$KERNEL" "$W/vmlinux" || bail "cannot extract vmlinux"
	"$KXEN_TOP/pvops/mkinitrd" "$BUSYBOX" "$W/initrd.gz" || bail "cannot build the initramfs"
fi

insmod "$KXEN_KO" || bail "insmod failed"

# boot N: one boot of the stock kernel with N vcpus, to /init and poweroff.
boot() {
	n=$1
	t0=$(now_ms)
	id=$(dom_create -m 128 -n $n -i "$W/initrd.gz" -c console=hvc0 "$W/vmlinux") ||
		return 1
	if ! dom_hvc_wait "$id" "KXEN-DOMU-INIT nproc=" 120; then
		diag "$n vcpus: d$id did not reach /init; its console ends:"
		tail -n 12 "$KXEN_OUT/hvc0-d$id.log" | sed 's/^/#   /'
		dom_destroy "$id"
		return 1
	fi
	diag "$n vcpus: create to /init in $(($(now_ms) - t0)) ms"
	return 0
}

# KXEN_DOMU_VCPUS="1 2 2 2" boots more (selftests/module/domu-loop.sh loops).
for n in ${KXEN_DOMU_VCPUS:-1 2}; do
	if ! boot $n; then
		not_ok "domU with $n vcpus: /init runs"
		continue
	fi
	like "$(grep KXEN-DOMU-INIT "$KXEN_OUT/hvc0-d$id.log")" "nproc=$n kernel=$KXEN_KREL" \
		"domU with $n vcpus: /init runs, on $n CPUs, the host's kernel"
	# Linux takes the FIFO event channel ABI where the hypervisor offers it, as Xen does.
	like "$(grep 'xen:events:' "$KXEN_OUT/hvc0-d$id.log")" "Using FIFO-based ABI" \
		"domU with $n vcpus: its events on the FIFO ABI"
	is "$(dom_wait "$id" 60)" 0 "domU with $n vcpus: powered itself off (SHUTDOWN_poweroff)"
	bad=$(grep -c -E 'WARNING|BUG|Oops|Call Trace' "$KXEN_OUT/hvc0-d$id.log")
	is "$bad" 0 "domU with $n vcpus: its own log has no WARN/BUG/oops"
	[ "$bad" = 0 ] || grep -E -A 12 'WARNING|BUG|Oops|Call Trace' "$KXEN_OUT/hvc0-d$id.log" |
		head -n 30 | sed 's/^/#   /'
	check "domU with $n vcpus: destroyed" dom_destroy "$id"
done

# Create/destroy cycles. Domains are charged to the memory cgroup of whoever creates
# them (GFP_KERNEL_ACCOUNT): run them from a cgroup of our own, and compare.
CG=/sys/fs/cgroup
[ -f $CG/cgroup.controllers ] || mount -t cgroup2 none $CG 2>/dev/null
if [ -f $CG/cgroup.controllers ] && echo +memory > $CG/cgroup.subtree_control 2>/dev/null &&
   mkdir -p $CG/kxen-test && echo $$ > $CG/kxen-test/cgroup.procs; then
	GUEST=$KXEN_TOP/selftests/guests/xen-version/test.elf
	# Freed slab objects wait for RCU grace periods.
	settle() {
		sync
		echo 3 > /proc/sys/vm/drop_caches
		sleep 1
		echo 3 > /proc/sys/vm/drop_caches
	}
	# Kernel memory charged to the cgroup (kxen's allocations are all kernel memory):
	# memory.stat's "kernel". memory.current would also count the charges each CPU
	# keeps in stock (up to 64 pages per CPU), which come and go on their own.
	kmem() { awk '$1 == "kernel" { print $2 }' $CG/kxen-test/memory.stat; }
	# One cycle first: it reads the guest's file into the page cache, and so on.
	id=$(dom_create -m 16 "$GUEST") && dom_wait "$id" 30 >/dev/null && dom_destroy "$id"
	settle
	m0=$(kmem)
	bad=0; peak=0; i=0
	while [ $i -lt 20 ]; do
		id=$(dom_create -m 16 "$GUEST") || { bad=$((bad + 1)); break; }
		[ "$(dom_wait "$id" 30)" = 0 ] || bad=$((bad + 1))
		m=$(kmem)
		[ "$m" -gt "$peak" ] && peak=$m
		dom_destroy "$id" || bad=$((bad + 1))
		i=$((i + 1))
	done
	settle
	m1=$(kmem)
	is "$bad" 0 "20 create/run/destroy cycles, every one complete"
	diag "kernel memory: $m0 at the start, $peak with a domain, $m1 after 20 cycles"
	# The measure must see a domain at all: 16 MiB of guest RAM.
	check "a running domain's 16 MiB is charged to its creator" \
		test $((peak - m0)) -ge $((16 * 1024 * 1024))
	check "after 20 cycles the memory is back (within 64 kB)" \
		test $((m1 - m0)) -lt 65536
	echo $$ > $CG/cgroup.procs
	rmdir $CG/kxen-test
else
	skip "create/destroy cycles: no memory cgroup here"
fi

check "rmmod" rmmod kxen
rm -rf "$W"
dmesg_clean
done_testing
