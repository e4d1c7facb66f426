#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load and unload kxen many times: each cycle switches SVM/VMX on and off on every CPU
# and builds and tears down the dom0 files. Nothing may fail, warn or leak.
. "$(dirname "$0")/tap.sh"

CYCLES=${KXEN_CYCLES:-20}
lsmod | grep -q '^kxen ' && bail "kxen is already loaded"

meminfo() { sed -n "s/^$1: *\([0-9]*\) kB$/\1/p" /proc/meminfo; }
settle() { sync; echo 3 > /proc/sys/vm/drop_caches; sleep 1; }

# kxen's pages: it allocates and frees them in the CPU-hotplug threads (cpuhp/N), so
# the kernel's page tracepoints, filtered to those threads, account for every one.
T=/sys/kernel/tracing
[ -d $T/events/kmem ] || mount -t tracefs tracefs $T || bail "no tracefs"
trace_pages() {	# on|off
	if [ "$1" = on ]; then
		echo 0 > $T/tracing_on
		echo > $T/trace
		for e in mm_page_alloc mm_page_free; do
			echo 'comm ~ "cpuhp/*"' > $T/events/kmem/$e/filter
			echo 1 > $T/events/kmem/$e/enable
		done
		echo 1 > $T/tracing_on
	else
		echo 0 > $T/tracing_on
		for e in mm_page_alloc mm_page_free; do
			echo 0 > $T/events/kmem/$e/enable
			echo 0 > $T/events/kmem/$e/filter
		done
	fi
}
pfns() { sed -n "s/.* $1: .*pfn=\(0x[0-9a-f]*\) .*/\1/p" $T/trace | sort; }

# One cycle first, so that what the first load allocates for good (the taint message,
# module loader caches) is not counted as a leak.
insmod "$KXEN_KO" && rmmod kxen || bail "the first load/unload failed"
# Likewise the trace buffers, which the kernel allocates when tracing is first used.
trace_pages on
trace_pages off
trace_pages on

# Unreclaimable slab moves for a while after the first loads as the slab caches fill
# their per-CPU and partial lists, then settles. A leak grows it in every batch, so the
# smallest growth over BATCHES batches is what is checked.
BATCHES=3
failures=0; growth=; least=
settle
free0=$(meminfo MemFree)
b=0
while [ $b -lt $BATCHES ]; do
	settle
	slab0=$(meminfo SUnreclaim)
	i=0
	while [ $i -lt "$CYCLES" ]; do
		insmod "$KXEN_KO" || { failures=$((failures + 1)); diag "cycle $i: insmod failed"; }
		[ "$(cat /proc/xen/capabilities 2>/dev/null)" = control_d ] ||
			{ failures=$((failures + 1)); diag "cycle $i: no /proc/xen/capabilities"; }
		rmmod kxen || { failures=$((failures + 1)); diag "cycle $i: rmmod failed"; }
		i=$((i + 1))
	done
	settle
	g=$(($(meminfo SUnreclaim) - slab0))
	growth="$growth $g"
	[ -z "$least" ] || [ "$g" -lt "$least" ] && least=$g
	b=$((b + 1))
done
free1=$(meminfo MemFree)
trace_pages off
total=$((BATCHES * CYCLES))
is "$failures" 0 "$total load/unload cycles, every one complete"
# The first cycle above counts too.
is "$(dmesg_since | grep -c 'kxen: Xen 4.17')" "$((total + 1))" "each load says what it runs on"
is "$(dmesg_since | grep -c 'kxen: unloaded')" "$((total + 1))" "each unload is logged"
check "kxen is not left loaded" sh -c '! lsmod | grep -q "^kxen "'

ncpu=$(grep -c '^processor' /proc/cpuinfo)
alloc=$(pfns mm_page_alloc); freed=$(pfns mm_page_free)
is "$(printf '%s\n' "$alloc" | grep -c .)" "$((ncpu * total))" \
	"one page per CPU per load ($ncpu CPUs x $total)"
is "$freed" "$alloc" "every page kxen allocated was freed"

# MemFree alone moves by megabytes when any module (a stock one too) is loaded and
# unloaded, so it is only reported; unreclaimable slab holds kxen's sysfs and procfs
# objects, and may not grow by a page per cycle in every batch.
diag "MemFree ${free0} -> ${free1} kB; SUnreclaim grew by$growth kB in $BATCHES batches of $CYCLES"
# On a debug kernel (make check-debug) freed objects wait in KASAN's quarantine and
# kmemleak keeps a record per object, so slab is no measure there; kmemleak's own scan
# after the tests finds what leaks.
if grep -qw -e kasan_quarantine_reduce -e kmemleak_alloc /proc/kallsyms; then
	skip "unreclaimable slab: not on a KASAN/kmemleak kernel (its scan checks instead)"
else
	check "unreclaimable slab grew < $((4 * CYCLES)) kB in some batch of $CYCLES cycles" \
		test "$least" -lt $((4 * CYCLES))
fi
dmesg_clean
done_testing
