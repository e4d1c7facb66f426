// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_multicall, HYPERVISOR_sched_op (yield, poll) and the legacy hypercall
 * page: a batch's results land in its entries, a nested multicall is refused in its
 * own entry, a poll returns at once for a pending port and after its timeout for an
 * idle one, and a stub of the hypercall page makes the call it is numbered for.
 */
#include "guest.h"

const char test_title[] = "multicall, sched_op, hypercall page";

#define __HYPERVISOR_multicall		13
#define SCHEDOP_yield			0
#define SCHEDOP_poll			3
#define EVTCHNOP_bind_ipi		7
#define EVTCHNOP_send			4
#define XENVER_version			0
#define XENVER_pagesize			7

struct multicall_entry {
	u64 op;
	s64 result;
	u64 args[6];
};

struct sched_poll {
	u32 *ports;
	u32 nr_ports, pad;
	u64 timeout;
};

static u8 hypercall_page[4096] __attribute__((aligned(4096)));

static void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

void test_main(void)
{
	struct multicall_entry mc[3] = {
		{ .op = __HYPERVISOR_xen_version, .result = 12345, .args = { XENVER_version } },
		{ .op = __HYPERVISOR_xen_version, .result = 12345, .args = { XENVER_pagesize } },
		{ .op = __HYPERVISOR_multicall, .result = 12345 },
	};
	struct shared_info *s = map_shared_info();
	struct { u32 vcpu, port; } ipi = { 0, 0 };
	struct sched_poll p;
	u32 port, bad = 5000;
	u64 t0, t1;
	s64 (*stub)(u64, u64);

	if (!s)
		xtf_error("cannot map shared_info");

	/* multicall */
	check_eq(hypercall2(__HYPERVISOR_multicall, (u64)mc, 3), 0, "multicall of 3");
	check_eq(mc[0].result, 0x00040011, "multicall entry 0: xen_version");
	check_eq(mc[1].result, 4096, "multicall entry 1: XENVER_pagesize");
	check_eq(mc[2].result, -EINVAL, "multicall entry 2: a nested multicall");
	check_eq(hypercall2(__HYPERVISOR_multicall, 0x40001000UL, 1), -EFAULT,
		 "multicall, unmapped list");
	check_eq(hypercall2(__HYPERVISOR_multicall, (u64)mc, 0), 0, "multicall of none");

	/* sched_op */
	check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0), 0, "SCHEDOP_yield");
	check_eq(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, (u64)&ipi), 0,
		 "bind_ipi");
	port = ipi.port;
	p.ports = &port;
	p.nr_ports = 1;
	p.pad = 0;
	p.timeout = system_time(&s->vcpu_info[0].time) + 20000000;	/* 20 ms */
	t0 = system_time(&s->vcpu_info[0].time);
	check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&p), 0,
		 "SCHEDOP_poll, nothing pending, 20 ms timeout");
	t1 = system_time(&s->vcpu_info[0].time);
	if (t1 - t0 < 15000000)
		xtf_failure("poll returned after %lu ns, before its 20 ms timeout", t1 - t0);
	check_eq(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (u64)&port), 0,
		 "send on the IPI port");
	p.timeout = 0;	/* none: only the pending port can end it */
	check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&p), 0,
		 "SCHEDOP_poll of a pending port returns");
	{
		u32 two[2] = { port, 5000 };

		/* Ports are read and tested in turn: the pending one ends it first. */
		p.ports = two;
		p.nr_ports = 2;
		check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&p), 0,
			 "SCHEDOP_poll of a pending port, then port 5000");
		/* A port not in use is no port to wait on. */
		two[0] = port + 1;
		p.nr_ports = 1;
		check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&p), -EINVAL,
			 "SCHEDOP_poll of a free port");
	}
	p.ports = &bad;
	check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&p), -EINVAL,
		 "SCHEDOP_poll of port 5000");
	p.nr_ports = 129;
	check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&p), -EINVAL,
		 "SCHEDOP_poll of 129 ports");
	p.nr_ports = 1;
	p.ports = (u32 *)0x40001000UL;
	check_eq(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&p), -EFAULT,
		 "SCHEDOP_poll, unmapped port list");
	check_eq(hypercall2(__HYPERVISOR_sched_op, 99, 0), -ENOSYS, "unknown sched_op 99");

	/* The hypercall page: MSR 0x40000000 fills it; stub 17 is xen_version. */
	wrmsr(0x40000000, (u64)hypercall_page);
	stub = (s64 (*)(u64, u64))(hypercall_page + 32 * __HYPERVISOR_xen_version);
	check_eq(stub(XENVER_version, 0), 0x00040011, "xen_version through the hypercall page");
	if (hypercall_page[32 * 23] != 0x0f || hypercall_page[32 * 23 + 1] != 0x0b)
		xtf_failure("hypercall page: HYPERVISOR_iret's stub is not ud2");
}
