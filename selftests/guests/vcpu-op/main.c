// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_vcpu_op: moving vcpu_info, the runstate, and the singleshot timer, which
 * must raise VIRQ_TIMER when its time (Xen system time, read through pvclock) comes,
 * and which ends a SCHEDOP_block made with interrupts off.
 */
#include "guest.h"

const char test_title[] = "vcpu_op";

#define VCPUOP_up				1
#define VCPUOP_down				2
#define VCPUOP_is_up				3
#define VCPUOP_get_runstate_info		4
#define VCPUOP_set_periodic_timer		6
#define VCPUOP_stop_periodic_timer		7
#define VCPUOP_set_singleshot_timer		8
#define VCPUOP_stop_singleshot_timer		9
#define VCPUOP_register_vcpu_info		10
#define EVTCHNOP_bind_virq			1
#define SCHEDOP_block				1
#define HVMOP_set_param				0

static s64 vcpu_op(u64 cmd, u64 vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (u64)arg);
}

static s64 register_info(u64 vcpu, u64 gfn, u32 offset)
{
	struct { u64 mfn; u32 offset, rsvd; } r = { gfn, offset, 0 };

	return vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

/* Wait up to ns of system time for the port to become pending. */
static int wait_pending(struct shared_info *s, const struct vcpu_time_info *t, u32 port, u64 ns)
{
	u64 end = system_time(t) + ns;

	while (system_time(t) < end)
		if (test_bit(port, s->evtchn_pending))
			return 1;
	return test_bit(port, s->evtchn_pending);
}

void test_main(void)
{
	struct shared_info *s = map_shared_info();
	struct { u32 virq, vcpu, port; } b = { 0 /* VIRQ_TIMER */, 0, 0 };
	struct { u64 timeout; u32 flags; } sst;
	struct { int state; u64 entry, time[4]; } rs;
	struct { unsigned short domid, pad; u32 index; u64 value; } cb = {
		DOMID_SELF, 0, 0 /* HVM_PARAM_CALLBACK_IRQ */, (2UL << 56) | 0xf3 /* vector */,
	};
	struct vcpu_info *vi;
	u64 period, now;

	if (!s)
		xtf_error("cannot map shared_info");
	if (!s->vcpu_info[0].time.tsc_to_system_mul)
		xtf_failure("shared_info's vcpu_info[0] has no pvclock");

	/* vcpu_info, moved to a page of ours. */
	check_eq(register_info(0, SCRATCH_GFN, 1), -ENXIO, "register_vcpu_info, offset 1");
	check_eq(register_info(0, SCRATCH_GFN, 4064), -ENXIO, "register_vcpu_info, offset 4064");
	check_eq(register_info(9, SCRATCH_GFN, 0), -ENOENT, "register_vcpu_info, vcpu 9");
	check_eq(register_info(0, 0x40000, 0), -EINVAL, "register_vcpu_info, a frame not RAM");
	check_eq(register_info(0, SCRATCH_GFN, 64), 0, "register_vcpu_info");
	check_eq(register_info(0, SCRATCH_GFN, 128), -EINVAL, "register_vcpu_info, again");
	vi = (struct vcpu_info *)((SCRATCH_GFN << 12) + 64);
	if (!vi->time.tsc_to_system_mul || (vi->time.version & 1))
		xtf_failure("the new vcpu_info has no settled pvclock");
	if (vi->evtchn_pending_sel != ~0UL)
		xtf_failure("the new vcpu_info: evtchn_pending_sel %#lx, not all ones",
			    vi->evtchn_pending_sel);

	check_eq(vcpu_op(VCPUOP_is_up, 0, NULL), 1, "is_up(0)");
	check_eq(vcpu_op(VCPUOP_is_up, 1, NULL), -ENOENT, "is_up(1): no such vcpu");
	/* up of a vcpu that is up already: nothing to do; of one there is not: ENOENT. */
	check_eq(vcpu_op(VCPUOP_up, 0, NULL), 0, "up(0), already up");
	check_eq(vcpu_op(VCPUOP_is_up, 0, NULL), 1, "is_up(0) after it");
	check_eq(vcpu_op(VCPUOP_up, 1, NULL), -ENOENT, "up(1): no such vcpu");
	check_eq(vcpu_op(VCPUOP_down, 1, NULL), -ENOENT, "down(1): no such vcpu");
	check_eq(vcpu_op(VCPUOP_up, 0x7fffffff, NULL), -ENOENT, "up(0x7fffffff)");
	/* Xen's vcpu_op takes (int cmd, unsigned int vcpuid): upper halves are not read. */
	check_eq(vcpu_op(0xdead00000000UL | VCPUOP_is_up, 0xbeef00000000UL, NULL), 1,
		 "is_up(0) with junk in both upper halves");
	check_eq(vcpu_op(VCPUOP_get_runstate_info, 0, &rs), 0, "get_runstate_info");
	check_eq(rs.state, 0, "runstate: running");

	/* Timers. */
	check_eq(vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0, "stop_periodic_timer");
	period = 1000;
	check_eq(vcpu_op(VCPUOP_set_periodic_timer, 0, &period), -EINVAL,
		 "set_periodic_timer, 1 us (under Xen's 1 ms)");
	check_eq(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, (u64)&b), 0,
		 "bind_virq(TIMER)");
	now = system_time(&vi->time);
	sst.timeout = now + 2000000;	/* 2 ms */
	sst.flags = 0;
	check_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, &sst), 0, "set_singleshot_timer(+2 ms)");
	/* Pending before its time is the failure: a slow host may well pass 2 ms here. */
	if (test_bit(b.port, s->evtchn_pending) && system_time(&vi->time) < sst.timeout)
		xtf_failure("the timer fired before its time");
	if (!wait_pending(s, &vi->time, b.port, 1000000000))
		xtf_failure("VIRQ_TIMER not pending 1 s after a 2 ms timer");
	s->evtchn_pending[b.port / 64] &= ~(1UL << (b.port % 64));
	sst.timeout = system_time(&vi->time) - 1000;
	check_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, &sst), 0,
		 "set_singleshot_timer in the past");
	if (!wait_pending(s, &vi->time, b.port, 1000000))
		xtf_failure("a timer in the past did not fire at once");
	check_eq(vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0, "stop_singleshot_timer");
	check_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, (void *)0x40001000UL), -EFAULT,
		 "set_singleshot_timer, unmapped argument");
	check_eq(vcpu_op(99, 0, NULL), -ENOSYS, "unknown command 99");

	/*
	 * SCHEDOP_block with interrupts off (a test guest never turns them on): Xen turns
	 * event delivery on (clears the upcall mask) and blocks until an event comes, here
	 * the timer's; it is no HLT, which would take the vcpu down and, the only one, end
	 * the domain. Xen kicks a blocked HVM vcpu for an event only with a callback set.
	 */
	check_eq(hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, (u64)&cb), 0,
		 "set_param(CALLBACK_IRQ), a vector");
	s->evtchn_pending[b.port / 64] &= ~(1UL << (b.port % 64));
	vi->evtchn_pending_sel = 0;
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_upcall_mask = 1;
	sst.timeout = system_time(&vi->time) + 5000000;	/* 5 ms */
	check_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, &sst), 0, "set_singleshot_timer(+5 ms)");
	check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_block, 0), 0,
		 "SCHEDOP_block, interrupts off");
	now = system_time(&vi->time);
	if (now < sst.timeout)
		xtf_failure("SCHEDOP_block returned %lu ns before the timer's time, no event",
			    sst.timeout - now);
	if (!test_bit(b.port, s->evtchn_pending) || !vi->evtchn_upcall_pending)
		xtf_failure("SCHEDOP_block returned without the timer's event pending");
	check_eq(vi->evtchn_upcall_mask, 0, "SCHEDOP_block: upcall mask cleared");
}
