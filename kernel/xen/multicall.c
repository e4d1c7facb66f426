// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_multicall (public/xen.h): a batch of hypercalls, each result written back
 * into its entry. A multicall inside a multicall is -EINVAL in its entry, as on Xen.
 * Xen breaks a long batch into continuations; kxen's vcpu is a thread, so it simply
 * lets others run between entries, and stops when its domain does.
 */
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <xen/interface/xen.h>

#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "hypercall.h"

static_assert(sizeof(struct multicall_entry) == 64);

long kxen_do_multicall(struct kxen_vcpu *v, const unsigned long *a)
{
	unsigned long list = a[0], i, nr = (u32)a[1];
	struct multicall_entry e;
	long rc = 0;

	if (v->in_multicall)
		return -EINVAL;
	v->in_multicall = true;
	for (i = 0; i < nr; i++, list += sizeof(e)) {
		if (kxen_hypercall_should_stop(v) || !kxen_domain_runnable(v->d))
			break;
		cond_resched();
		if (kxen_copy_from_guest(v, &e, list, sizeof(e))) {
			rc = -EFAULT;
			break;
		}
		e.result = kxen_hypercall(v, e.op, (const unsigned long *)e.args);
		if (kxen_copy_to_guest(v, list + offsetof(struct multicall_entry, result),
				       &e.result, sizeof(e.result))) {
			rc = -EFAULT;
			break;
		}
	}
	v->in_multicall = false;
	return rc;
}
