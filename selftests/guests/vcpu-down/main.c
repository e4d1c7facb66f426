// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_down of another vcpu and of itself, as Linux's CPU hotplug and
 * xen_vcpu_restore() use it (Xen 4.17's do_vcpu_op): the vcpu stops running, is no
 * longer up (VCPUOP_is_up), and its runstate is offline, until VCPUOP_up. Runs with 2
 * vcpus (the file "vcpus"): vcpu 1 spins counting; vcpu 0 takes it down and up; then
 * vcpu 0 takes itself down, and vcpu 1 checks what vcpu 0 became and ends the test.
 */
#include "guest.h"

const char test_title[] = "VCPUOP_down and VCPUOP_up of a running vcpu";

#define VCPUOP_get_runstate_info	4
#define RUNSTATE_running	0
#define RUNSTATE_offline	3

struct runstate {
	int state;
	u64 entry;
	u64 time[4];
};

static struct shared_info *s;
static volatile u64 count;
static volatile u32 phase;

static s64 vcpu_op(u64 cmd, u64 vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (u64)arg);
}

static u64 now(void)
{
	return system_time(&s->vcpu_info[0].time);
}

static int runstate(unsigned int vcpu)
{
	struct runstate r;

	if (vcpu_op(VCPUOP_get_runstate_info, vcpu, &r))
		xtf_error("get_runstate_info(%u) failed", vcpu);
	return r.state;
}

/* Whether count stays still for 100 ms (of system time), within 5 s. */
static int stopped(void)
{
	u64 end = now() + 5000000000UL, seen, since;

	do {
		seen = count;
		since = now();
		while (now() < since + 100000000UL)
			cpu_relax();
		if (count == seen)
			return 1;
	} while (now() < end);
	return 0;
}

static int counting(void)
{
	u64 seen = count, end = now() + 5000000000UL;

	while (count == seen)
		if (now() > end)
			return 0;
	return 1;
}

static void vcpu1(void *arg)
{
	(void)arg;
	while (phase != 1)
		count++;
	/* vcpu 0 is taking itself down: wait for it to be down, then look. */
	while (vcpu_op(VCPUOP_is_up, 0, NULL) == 1)
		cpu_relax();
	check_eq(vcpu_op(VCPUOP_is_up, 0, NULL), 0, "vcpu 0 not up after its own VCPUOP_down");
	check_eq(runstate(0), RUNSTATE_offline, "vcpu 0's runstate: offline");
	check_eq(runstate(1), RUNSTATE_running, "vcpu 1's runstate: running");
	xtf_success();
}

void test_main(void)
{
	s = map_shared_info();
	if (!s)
		xtf_error("cannot map shared_info");
	if (start_vcpu(1, vcpu1, NULL))
		xtf_error("cannot start vcpu 1");
	if (!counting())
		xtf_error("vcpu 1 does not run");

	check_eq(vcpu_op(VCPUOP_down, 1, NULL), 0, "VCPUOP_down(1)");
	check_eq(stopped(), 1, "vcpu 1 stops running");
	check_eq(vcpu_op(VCPUOP_is_up, 1, NULL), 0, "vcpu 1 not up");
	check_eq(runstate(1), RUNSTATE_offline, "vcpu 1's runstate: offline");
	check_eq(vcpu_op(VCPUOP_down, 1, NULL), 0, "VCPUOP_down(1) again");

	check_eq(vcpu_op(VCPUOP_up, 1, NULL), 0, "VCPUOP_up(1)");
	check_eq(counting(), 1, "vcpu 1 runs again, where it stopped");
	check_eq(vcpu_op(VCPUOP_is_up, 1, NULL), 1, "vcpu 1 up");
	check_eq(runstate(1) == RUNSTATE_offline, 0, "vcpu 1's runstate: no longer offline");

	/* Itself, with vcpu 1 up: vcpu 0 stops here, and vcpu 1 ends the test. */
	phase = 1;
	vcpu_op(VCPUOP_down, 0, NULL);
	for (;;)
		cpu_relax();
}
