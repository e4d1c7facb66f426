// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_event_channel_op, 2-level: ports to itself (IPI, VIRQ, an interdomain
 * loop back through an unbound port), what each sets in shared_info and vcpu_info,
 * and Xen 4.17's error codes for bad ports, vcpus and VIRQs.
 */
#include "guest.h"

const char test_title[] = "event_channel_op";

#define EVTCHNOP_bind_interdomain	0
#define EVTCHNOP_bind_virq		1
#define EVTCHNOP_close			3
#define EVTCHNOP_send			4
#define EVTCHNOP_status			5
#define EVTCHNOP_alloc_unbound		6
#define EVTCHNOP_bind_ipi		7
#define EVTCHNOP_bind_vcpu		8
#define EVTCHNOP_unmask			9
#define EVTCHNSTAT_closed		0
#define EVTCHNSTAT_unbound		1
#define EVTCHNSTAT_interdomain		2
#define EVTCHNSTAT_virq			4
#define EVTCHNSTAT_ipi			5
#define VIRQ_TIMER			0
#define VIRQ_DOM_EXC			3

static struct shared_info *s;

static s64 op(u64 cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_event_channel_op, cmd, (u64)arg);
}

static s64 port_op(u64 cmd, u32 port)
{
	return op(cmd, &port);
}

static s64 bind_virq(u32 virq, u32 vcpu, u32 *port)
{
	struct { u32 virq, vcpu, port; } b = { virq, vcpu, 0 };
	s64 rc = op(EVTCHNOP_bind_virq, &b);

	*port = b.port;
	return rc;
}

static s64 bind_ipi(u32 vcpu, u32 *port)
{
	struct { u32 vcpu, port; } b = { vcpu, 0 };
	s64 rc = op(EVTCHNOP_bind_ipi, &b);

	*port = b.port;
	return rc;
}

struct status {
	unsigned short dom;
	u32 port, status, vcpu;
	union { unsigned short dom; struct { unsigned short dom; u32 port; } i; u32 virq; } u;
};

static u32 status_of(u32 port, struct status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	check_eq(op(EVTCHNOP_status, st), 0, "EVTCHNOP_status");
	return st->status;
}

void test_main(void)
{
	struct { unsigned short dom, remote_dom; u32 port; } un;
	struct { unsigned short remote_dom; u32 remote_port, local_port; } bi;
	struct { u32 port, vcpu; } bv;
	struct status st;
	u32 ipi, virq, unbound, local, dummy;
	u32 me = my_domid();

	s = map_shared_info();
	if (!s)
		xtf_error("cannot map shared_info");

	/* An IPI to ourselves: pending bit, selector bit, upcall flag. */
	check_eq(bind_ipi(0, &ipi), 0, "bind_ipi(vcpu 0)");
	if (!ipi)
		xtf_error("bind_ipi gave port 0");
	check_eq(status_of(ipi, &st), EVTCHNSTAT_ipi, "status of an IPI port");
	check_eq(st.vcpu, 0, "status of an IPI port: vcpu");
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	s->vcpu_info[0].evtchn_pending_sel = 0;
	check_eq(port_op(EVTCHNOP_send, ipi), 0, "send on an IPI port");
	check_eq(test_bit(ipi, s->evtchn_pending), 1, "send: evtchn_pending bit");
	check_eq((s->vcpu_info[0].evtchn_pending_sel >> (ipi / 64)) & 1, 1,
		 "send: evtchn_pending_sel bit");
	check_eq(s->vcpu_info[0].evtchn_upcall_pending, 1, "send: evtchn_upcall_pending");

	/* Masked: pending, but no upcall until unmasked. */
	s->evtchn_pending[ipi / 64] &= ~(1UL << (ipi % 64));
	s->evtchn_mask[ipi / 64] |= 1UL << (ipi % 64);
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	s->vcpu_info[0].evtchn_pending_sel = 0;
	check_eq(port_op(EVTCHNOP_send, ipi), 0, "send on a masked port");
	check_eq(test_bit(ipi, s->evtchn_pending), 1, "masked send: pending bit");
	check_eq(s->vcpu_info[0].evtchn_upcall_pending, 0, "masked send: no upcall");
	check_eq(port_op(EVTCHNOP_unmask, ipi), 0, "unmask");
	check_eq(test_bit(ipi, s->evtchn_mask), 0, "unmask: mask bit clear");
	check_eq(s->vcpu_info[0].evtchn_upcall_pending, 1, "unmask of a pending port: upcall");

	/* VIRQs: one port per (vcpu, virq); a VIRQ port cannot be sent on. */
	check_eq(bind_virq(VIRQ_TIMER, 0, &virq), 0, "bind_virq(TIMER, vcpu 0)");
	check_eq(status_of(virq, &st), EVTCHNSTAT_virq, "status of a VIRQ port");
	check_eq(st.u.virq, VIRQ_TIMER, "status of a VIRQ port: virq");
	check_eq(bind_virq(VIRQ_TIMER, 0, &dummy), -EEXIST, "bind_virq(TIMER) twice");
	check_eq(bind_virq(24, 0, &dummy), -EINVAL, "bind_virq(24): no such VIRQ");
	check_eq(bind_virq(VIRQ_DOM_EXC, 1, &dummy), -EINVAL,
		 "bind_virq of a global VIRQ to vcpu 1");
	check_eq(bind_virq(VIRQ_TIMER, 5, &dummy), -ENOENT, "bind_virq to vcpu 5 (absent)");
	check_eq(port_op(EVTCHNOP_send, virq), -EINVAL, "send on a VIRQ port");
	bv.port = virq;
	bv.vcpu = 0;
	check_eq(op(EVTCHNOP_bind_vcpu, &bv), -EINVAL, "bind_vcpu of a per-vcpu VIRQ");
	check_eq(bind_ipi(7, &dummy), -ENOENT, "bind_ipi to vcpu 7 (absent)");

	/* Interdomain, to ourselves: an unbound port, then a port bound to it. */
	un.dom = DOMID_SELF;
	un.remote_dom = DOMID_SELF;
	check_eq(op(EVTCHNOP_alloc_unbound, &un), 0, "alloc_unbound(self, self)");
	unbound = un.port;
	check_eq(status_of(unbound, &st), EVTCHNSTAT_unbound, "status of an unbound port");
	check_eq(st.u.dom, me, "status of an unbound port: the remote domain");
	check_eq(port_op(EVTCHNOP_send, unbound), 0, "send on an unbound port: dropped");
	bv.port = unbound;
	bv.vcpu = 3;
	check_eq(op(EVTCHNOP_bind_vcpu, &bv), -ENOENT, "bind_vcpu to vcpu 3 (absent)");
	bi.remote_dom = DOMID_SELF;
	bi.remote_port = unbound;
	check_eq(op(EVTCHNOP_bind_interdomain, &bi), 0, "bind_interdomain to it");
	local = bi.local_port;
	check_eq(status_of(local, &st), EVTCHNSTAT_interdomain, "status: interdomain");
	check_eq(st.u.i.port, unbound, "status: interdomain: the remote port");
	check_eq(status_of(unbound, &st), EVTCHNSTAT_interdomain, "status: the other end");
	check_eq(st.u.i.port, local, "status: the other end's remote port");
	check_eq(test_bit(local, s->evtchn_pending), 1, "bind_interdomain raises the new port");
	check_eq(port_op(EVTCHNOP_send, local), 0, "send across");
	check_eq(test_bit(unbound, s->evtchn_pending), 1, "send across: the far end is pending");
	bi.remote_port = ipi;
	check_eq(op(EVTCHNOP_bind_interdomain, &bi), -EINVAL,
		 "bind_interdomain to a port that is not unbound");
	check_eq(port_op(EVTCHNOP_close, local), 0, "close one end");
	check_eq(status_of(unbound, &st), EVTCHNSTAT_unbound, "the other end is unbound again");

	/* Closing, and ports that are not there. */
	check_eq(port_op(EVTCHNOP_close, ipi), 0, "close the IPI port");
	check_eq(status_of(ipi, &st), EVTCHNSTAT_closed, "status of a closed port");
	check_eq(port_op(EVTCHNOP_close, ipi), -EINVAL, "close it again");
	check_eq(port_op(EVTCHNOP_send, ipi), -EINVAL, "send on a closed port");
	check_eq(port_op(EVTCHNOP_close, 0), -EINVAL, "close port 0 (reserved)");
	check_eq(port_op(EVTCHNOP_send, 100000), -EINVAL, "send on port 100000");
	check_eq(port_op(EVTCHNOP_unmask, 100000), -EINVAL, "unmask port 100000");
	st.dom = DOMID_SELF;
	st.port = 100000;
	check_eq(op(EVTCHNOP_status, &st), -EINVAL, "status of port 100000");
	check_eq(op(EVTCHNOP_send, (void *)0x40001000UL), -EFAULT, "send, unmapped argument");
	check_eq(op(99, &st), -ENOSYS, "unknown command 99");
}
