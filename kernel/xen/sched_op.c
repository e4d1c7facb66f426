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
#include "hypercall.h"

long kxen_do_sched_op(struct kxen_vcpu *v, const unsigned long *a)
{
	unsigned long cmd = a[0], arg = a[1];
	struct sched_shutdown s;
	struct sched_remote_shutdown r;
	struct kxen_domain *d;

	switch (cmd) {
	case SCHEDOP_yield:
		cond_resched();	/* the vcpu thread gives way if anything else waits */
		return 0;
	case SCHEDOP_block:
		kxen_vcpu_halt(v);
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
	case SCHEDOP_remote_shutdown:
		if (kxen_copy_from_guest(v, &r, arg, sizeof(r)))
			return -EFAULT;
		d = kxen_domain_get(r.domain_id);
		if (!d)
			return -ESRCH;
		/* Only a device model or dom0 may; a domU may not, not even itself. */
		if (v->d->id == 0)
			kxen_domain_shutdown(d, (u8)r.reason);
		kxen_domain_put(d);
		return v->d->id == 0 ? 0 : -EPERM;
	}
	return -XEN_ENOSYS;
}
