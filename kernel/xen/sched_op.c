// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_sched_op (public/sched.h): a vcpu yields, blocks, or asks for its domain
 * to stop. The shutdown reason is kept as Xen keeps it: a byte, and the first one
 * given wins.
 */
#include <linux/errno.h>
#include <linux/sched.h>
#include <xen/interface/sched.h>

#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "event_channel.h"
#include "hypercall.h"

/* Xen 4.17's limit: 128 ports a poll. */
#define POLL_MAX_PORTS	128

/* Whether any of the ports is pending, in the domain's event-channel ABI. */
static bool any_pending(struct kxen_vcpu *v, const u32 *ports, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (kxen_evtchn_port_poll(v->d, ports[i]) > 0)
			return true;
	return false;
}

/*
 * In Xen's order: each port read, checked and tested in turn, so a pending port ends
 * the call before a later port is read; a port not in use is -EINVAL.
 */
static long poll(struct kxen_vcpu *v, unsigned long arg)
{
	struct sched_poll p;
	u32 ports[POLL_MAX_PORTS];
	unsigned int i;
	int rc;

	if (kxen_copy_from_guest(v, &p, arg, sizeof(p)))
		return -EFAULT;
	if (p.nr_ports > POLL_MAX_PORTS)
		return -EINVAL;
	for (i = 0; i < p.nr_ports; i++) {
		if (kxen_copy_from_guest(v, &ports[i], (unsigned long)p.ports + i * sizeof(u32),
					 sizeof(u32)))
			return -EFAULT;
		rc = kxen_evtchn_port_poll(v->d, ports[i]);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	kxen_vcpu_poll(v, ports, p.nr_ports, p.timeout, any_pending);
	return 0;
}

long kxen_do_sched_op(struct kxen_vcpu *v, const unsigned long *a)
{
	unsigned int cmd = a[0];	/* an int on Xen: the register's upper half is not read */
	unsigned long arg = a[1];
	struct sched_shutdown s;
	struct sched_remote_shutdown r;
	struct kxen_domain *d;

	switch (cmd) {
	case SCHEDOP_yield:
		cond_resched();	/* the vcpu thread gives way if anything else waits */
		return 0;
	case SCHEDOP_block:
		/* Not HLT: with interrupts off it waits for an event, never goes down. */
		kxen_vcpu_block(v);
		return 0;
	case SCHEDOP_shutdown:
		if (kxen_copy_from_guest(v, &s, arg, sizeof(s)))
			return -EFAULT;
		kxen_domain_shutdown(v->d, (u8)s.reason);
		return 0;
	case SCHEDOP_shutdown_code:
		if (kxen_copy_from_guest(v, &s, arg, sizeof(s)))
			return -EFAULT;
		kxen_domain_set_shutdown_code(v->d, (u8)s.reason);
		return 0;
	case SCHEDOP_poll:
		return poll(v, arg);
	case SCHEDOP_remote_shutdown:
		if (kxen_copy_from_guest(v, &r, arg, sizeof(r)))
			return -EFAULT;
		d = kxen_domain_get(r.domain_id);
		if (!d)
			return -ESRCH;
		/* Only a device model or dom0 may; a domU may not, not even itself. */
		if (kxen_is_dom0(v->d))
			kxen_domain_shutdown(d, (u8)r.reason);
		kxen_domain_put(d);
		return kxen_is_dom0(v->d) ? 0 : -EPERM;
	}
	return -XEN_ENOSYS;
}
