// SPDX-License-Identifier: GPL-2.0
/*
 * The FIFO event channel ABI, as a guest meets it: the errors of init_control,
 * expand_array and set_priority before and after the switch (Xen 4.17's); ports
 * raised under 2-level, or before their event word exists, raised once their array
 * page comes; what a raise writes into event words, queue heads and READY (and the
 * upcall flag); linking behind a tail the guest has already consumed; priorities;
 * EVTCHNOP_unmask of a masked pending port; a closed port's pending bit cleared,
 * and its number not reused while it is still on a queue; a VIRQ through FIFO, and
 * SCHEDOP_poll ended by a masked port's raise.
 */
#include "guest.h"

const char test_title[] = "event channels: the FIFO ABI";

#define EVTCHNOP_close		3
#define EVTCHNOP_send		4
#define EVTCHNOP_bind_virq	1
#define EVTCHNOP_bind_ipi	7
#define EVTCHNOP_unmask		9
#define EVTCHNOP_init_control	11
#define EVTCHNOP_expand_array	12
#define EVTCHNOP_set_priority	13
#define VIRQ_TIMER		0
#define VCPUOP_set_singleshot_timer	8
#define SCHEDOP_poll		3

#define PENDING		(1U << 31)
#define MASKED		(1U << 30)
#define LINKED		(1U << 29)
#define BUSY		(1U << 28)
#define LINK_MASK	((1U << 17) - 1)

#define CB_GFN		0x300UL		/* 3 MiB: RAM nothing else uses */
#define ARRAY0_GFN	0x301UL
#define ARRAY1_GFN	0x302UL
#define HOLE_GFN	0x30000UL	/* 768 MiB: past the guest's RAM */

struct control_block {
	u32 ready, rsvd;
	u32 head[16];
};

struct init_control {
	u64 control_gfn;
	u32 offset, vcpu;
	u8 link_bits, pad[7];
};

static struct shared_info *s;
static volatile struct control_block *cb = (void *)(CB_GFN << 12);
static volatile u32 *word = (void *)(ARRAY0_GFN << 12);

static s64 op(u64 cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_event_channel_op, cmd, (u64)arg);
}

static s64 port_op(u64 cmd, u32 port)
{
	return op(cmd, &port);
}

static u32 ipi(void)
{
	struct { u32 vcpu, port; } b = { 0, 0 };

	if (op(EVTCHNOP_bind_ipi, &b))
		xtf_error("bind_ipi failed");
	return b.port;
}

static s64 init_control(u64 gfn, u32 offset, u32 vcpu, u8 *link_bits)
{
	struct init_control ic = { gfn, offset, vcpu, 0, { 0 } };
	s64 rc = op(EVTCHNOP_init_control, &ic);

	if (link_bits)
		*link_bits = ic.link_bits;
	return rc;
}

static s64 expand(u64 gfn)
{
	return op(EVTCHNOP_expand_array, &gfn);
}

static s64 priority(u32 port, u32 prio)
{
	struct { u32 port, priority; } p = { port, prio };

	return op(EVTCHNOP_set_priority, &p);
}

/* What a guest does to take the head of a queue off it (Linux's clear_linked()). */
static u32 unlink(u32 port)
{
	u32 w, new;

	do {
		w = word[port];
		new = w & ~(LINKED | LINK_MASK);
	} while (!__atomic_compare_exchange_n(&word[port], &w, new, 0, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return w & LINK_MASK;
}

static void mask_all(volatile u32 *w)
{
	unsigned int i;

	for (i = 0; i < 1024; i++)
		w[i] = MASKED;
}

void test_main(void)
{
	u32 p1, p2, p3, p4, p5, timer;
	struct { u32 virq, vcpu, port; } bv = { VIRQ_TIMER, 0, 0 };
	struct { u64 timeout; u32 flags; } sst;
	struct { u64 ports; u32 nr_ports; u64 timeout; } poll;
	u64 now;
	u8 bits = 0;

	s = map_shared_info();
	if (!s)
		xtf_error("cannot map shared_info");
	memset((void *)cb, 0, 4096);

	/* 2-level still: FIFO's other calls refuse, init_control checks its input. */
	p1 = ipi();
	check_eq(priority(p1, 7), -ENOSYS, "set_priority under 2-level");
	check_eq(expand(ARRAY0_GFN), -EOPNOTSUPP, "expand_array before init_control");
	check_eq(init_control(CB_GFN, 0, 1, NULL), -ENOENT, "init_control, no vcpu 1");
	check_eq(init_control(CB_GFN, 4096 - 64, 0, NULL), -EINVAL,
		 "init_control, a control block across the page end");
	check_eq(init_control(CB_GFN, 4, 0, NULL), -EINVAL, "init_control, offset not 8-aligned");
	check_eq(init_control(HOLE_GFN, 0, 0, NULL), -EINVAL, "init_control, a frame not RAM");
	check_eq(port_op(EVTCHNOP_send, p1), 0, "send p1 under 2-level");
	check_eq(test_bit(p1, s->evtchn_pending), 1, "p1 pending in shared_info");

	/* The switch. */
	check_eq(init_control(CB_GFN, 0, 0, &bits), 0, "init_control for vcpu 0");
	check_eq(bits, 17, "link_bits");
	check_eq(init_control(CB_GFN, 8, 0, NULL), -EINVAL, "init_control for vcpu 0 again");
	check_eq(priority(p1, 16), -EINVAL, "set_priority 16");
	check_eq(priority(5000, 7), -EINVAL, "set_priority of a port that does not exist");

	/* No event array yet: raises are kept, and made when the page comes. */
	p2 = ipi();
	check_eq(port_op(EVTCHNOP_send, p2), 0, "send p2 with no event array");
	check_eq(cb->ready, 0, "READY with no event array");
	mask_all(word);
	check_eq(expand(HOLE_GFN), -EINVAL, "expand_array with a frame not RAM");
	check_eq(expand(ARRAY0_GFN), 0, "expand_array, page 0");
	check_eq(word[p1], PENDING | MASKED, "p1 (raised under 2-level): pending, masked");
	check_eq(word[p2], PENDING | MASKED, "p2 (raised with no array): pending, masked");
	check_eq(cb->ready, 0, "READY: nothing unmasked yet");

	/* Unmasking a pending port links it: the queue's head, READY, the upcall flag. */
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	word[p1] &= ~MASKED;
	check_eq(port_op(EVTCHNOP_unmask, p1), 0, "unmask p1");
	check_eq(word[p1], PENDING | LINKED, "p1: pending, linked, no next");
	check_eq(cb->head[7], p1, "head of queue 7 (the default priority) is p1");
	check_eq(cb->ready, 1U << 7, "READY: queue 7");
	check_eq(s->vcpu_info[0].evtchn_upcall_pending, 1, "upcall pending");
	word[p2] &= ~MASKED;
	check_eq(port_op(EVTCHNOP_unmask, p2), 0, "unmask p2");
	check_eq(word[p1], PENDING | LINKED | p2, "p1 links to p2");
	check_eq(word[p2], PENDING | LINKED, "p2: the tail");
	check_eq(cb->head[7], p1, "head of queue 7 still p1");
	check_eq(port_op(EVTCHNOP_send, p1), 0, "send p1 again");
	check_eq(word[p1], PENDING | LINKED | p2, "p1 already pending: nothing changes");

	/* Another priority: its own queue. */
	p3 = ipi();
	word[p3] &= ~MASKED;
	check_eq(priority(p3, 2), 0, "set_priority(p3, 2)");
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	check_eq(port_op(EVTCHNOP_send, p3), 0, "send p3");
	check_eq(word[p3], PENDING | LINKED, "p3 linked");
	check_eq(cb->head[2], p3, "head of queue 2 is p3");
	check_eq(cb->ready, (1U << 7) | (1U << 2), "READY: queues 7 and 2");
	check_eq(s->vcpu_info[0].evtchn_upcall_pending, 1, "upcall pending for queue 2");

	/* The guest takes p1 off queue 7 and handles it; raised again, it goes last. */
	check_eq(unlink(p1), p2, "p1 unlinked: next is p2");
	word[p1] &= ~PENDING;
	check_eq(port_op(EVTCHNOP_send, p1), 0, "send p1 after it was taken");
	check_eq(word[p2], PENDING | LINKED | p1, "p2 links to p1");
	check_eq(word[p1], PENDING | LINKED, "p1 the tail again");

	/* A masked port raised stays off the queues until EVTCHNOP_unmask. */
	p4 = ipi();
	check_eq(port_op(EVTCHNOP_send, p4), 0, "send masked p4");
	check_eq(word[p4], PENDING | MASKED, "p4 pending, masked, not linked");
	check_eq(port_op(EVTCHNOP_unmask, p4), 0, "EVTCHNOP_unmask p4 (still masked in its word)");
	check_eq(word[p4], PENDING | LINKED, "unmask cleared MASKED and linked p4");
	check_eq(word[p1], PENDING | LINKED | p4, "p1 links to p4");

	/* Closed: its pending bit goes; still on the queue, its number is not reused. */
	check_eq(port_op(EVTCHNOP_close, p4), 0, "close p4");
	check_eq(word[p4], LINKED, "closed p4: not pending, still linked");
	p5 = ipi();
	if (p5 == p4)
		xtf_failure("port %u reused while still on a queue", p4);

	/* The guest takes the rest of queue 7; the next raise starts it again. */
	check_eq(unlink(p2), p1, "p2 unlinked: next is p1");
	check_eq(unlink(p1), p4, "p1 unlinked: next is p4");
	check_eq(unlink(p4), 0, "p4 unlinked: the end");
	word[p5] &= ~MASKED;
	check_eq(port_op(EVTCHNOP_send, p5), 0, "send p5, queue 7 consumed");
	check_eq(word[p5], PENDING | LINKED, "p5 linked");
	check_eq(word[p4], 0, "p4 (the old tail, consumed) not linked to");
	check_eq(cb->head[7], p5, "p5 heads queue 7 again");

	/* More array, and a VIRQ raised through FIFO while the vcpu polls for it. */
	mask_all((volatile u32 *)(ARRAY1_GFN << 12));
	check_eq(expand(ARRAY1_GFN), 0, "expand_array, page 1");
	check_eq(op(EVTCHNOP_bind_virq, &bv), 0, "bind VIRQ_TIMER");
	timer = bv.port;
	word[timer] = MASKED;	/* as a guest binding a port masks it */

	/*
	 * SCHEDOP_poll on the timer's port, left masked: the raise (FIFO's PENDING, no
	 * upcall) must end the poll long before its 20 s deadline.
	 */
	now = system_time(&s->vcpu_info[0].time);
	sst.timeout = now + 1000000;
	sst.flags = 0;
	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, (u64)&sst), 0,
		 "singleshot timer, in 1 ms");
	poll.ports = (u64)&timer;
	poll.nr_ports = 1;
	poll.timeout = now + 20000000000UL;
	check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&poll), 0, "SCHEDOP_poll");
	if (system_time(&s->vcpu_info[0].time) >= poll.timeout)
		xtf_failure("SCHEDOP_poll ended by its deadline, not by the masked port's raise");
	check_eq(word[timer], PENDING | MASKED, "VIRQ_TIMER raised, masked: not linked");
	check_eq(port_op(EVTCHNOP_unmask, timer), 0, "unmask the timer's port");
	check_eq(word[timer], PENDING | LINKED, "VIRQ_TIMER linked once unmasked");
}
