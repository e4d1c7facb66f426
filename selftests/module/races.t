#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Dom0's calls against the end of a domain, at their largest sizes, and at random
# (issues 15 and 16), by selftests/dom0/race-test: mappings of a running domain's RAM
# and grants, grant copies and populate_physmap racing destroydomain, the domain
# crashing under them; populate_physmap on dom0 itself; every count and size dom0
# chooses at its worst; then a seeded fuzzer. After each part the host must be whole:
# nothing in the kernel log (no BUG, WARN, list corruption, GPF), and the memory kxen
# took for the domains given back (measured in a memory cgroup of our own, as domu.t).
# KXEN_FUZZ_SEED picks the fuzzer's seed (default: race-test's fixed one).
. "$(dirname "$0")/tap.sh"

RT=$KXEN_TOP/selftests/dom0/race-test
[ -x "$RT" ] || bail "no selftests/dom0/race-test (make -C selftests/dom0)"
insmod "$KXEN_KO" || bail "insmod failed"

CG=/sys/fs/cgroup
[ -f $CG/cgroup.controllers ] || mount -t cgroup2 none $CG 2>/dev/null
if [ -f $CG/cgroup.controllers ] && echo +memory > $CG/cgroup.subtree_control 2>/dev/null &&
   mkdir -p $CG/kxen-races && echo $$ > $CG/kxen-races/cgroup.procs; then
	kmem() { awk '$1 == "kernel" { print $2 }' $CG/kxen-races/memory.stat; }
else
	kmem() { echo; }
fi
# Freed slab objects and pages wait for RCU grace periods.
settle() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	echo 3 > /proc/sys/vm/drop_caches
}

# The kernel's lines from the mark on that say it broke.
MARK=0
bad_lines() {
	dmesg_since | sed -n "/kxen-races-mark $MARK\$/,\$p" |
		grep -E 'WARNING:|BUG:|BUG |Oops|Call Trace|general protection|list_del corruption|list_add corruption|kmemleak|UBSAN|refcount_t|soft lockup|hung_task|blocked for more than'
}

# part NAME ARGS...: run race-test ARGS, then check the log and the memory.
part() {
	name=$1
	shift
	MARK=$((MARK + 1))
	echo "kxen-races-mark $MARK" > /dev/kmsg
	settle
	m0=$(kmem)
	out=$("$RT" "$@")
	rc=$?
	printf '%s\n' "$out" | sed 's/^/    /'
	is "$rc" 0 "race-test $*: every check passed (the lines above)"
	bad=$(bad_lines)
	if [ -z "$bad" ]; then
		ok "$name: the kernel log has no BUG, WARN, GPF or list corruption"
	else
		not_ok "$name: the kernel log has no BUG, WARN, GPF or list corruption"
		printf '%s\n' "$bad" | head -n 40 | sed 's/^/#   /'
	fi
	settle
	m1=$(kmem)
	if [ -n "$m0" ] && [ -n "$m1" ]; then
		diag "$name: kernel memory $m0 before, $m1 after"
		# Each domain had 64 KiB of RAM, page tables and a vcpu: 256 KiB would be
		# several domains' worth never given back.
		check "$name: kxen's memory is back (within 256 kB)" test $((m1 - m0)) -lt 262144
	else
		skip "$name: memory: no memory cgroup here"
	fi
}

part races races
part bounds bounds
part fuzz fuzz ${KXEN_FUZZ_SEED:-}

[ -d $CG/kxen-races ] && echo $$ > $CG/cgroup.procs && rmdir $CG/kxen-races
check "rmmod" rmmod kxen
dmesg_clean
done_testing
