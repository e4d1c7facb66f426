// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall tables, one for guests and one for dom0's processes. The numbers are
 * Xen's (__HYPERVISOR_* in public/xen.h); a number with no handler is -XEN_ENOSYS, as
 * on Xen.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <xen/interface/xen.h>

#include <kxen/xen_errno.h>
#include "../core/domain.h"
#include "hypercall.h"

/* Each hypercall and its result into the console ring: for developers, and noisy. */
static bool trace_hypercalls;
module_param(trace_hypercalls, bool, 0644);
MODULE_PARM_DESC(trace_hypercalls, "Log every guest hypercall to the hypervisor console");

static kxen_hypercall_t *const guest_table[] = {
	[__HYPERVISOR_memory_op] = kxen_do_memory_op,
	[__HYPERVISOR_multicall] = kxen_do_multicall,
	[__HYPERVISOR_set_timer_op] = kxen_do_set_timer_op,
	[__HYPERVISOR_xen_version] = kxen_do_xen_version,
	[__HYPERVISOR_console_io] = kxen_do_console_io,
	[__HYPERVISOR_grant_table_op] = kxen_do_grant_table_op,
	[__HYPERVISOR_vm_assist] = kxen_do_vm_assist,
	[__HYPERVISOR_vcpu_op] = kxen_do_vcpu_op,
	[__HYPERVISOR_sched_op] = kxen_do_sched_op,
	[__HYPERVISOR_event_channel_op] = kxen_do_event_channel_op,
	[__HYPERVISOR_hvm_op] = kxen_do_hvm_op,
	/* A domU may ask, to be told -EPERM as on Xen (the handlers check). */
	[__HYPERVISOR_sysctl] = kxen_do_sysctl,
	[__HYPERVISOR_domctl] = kxen_do_domctl,
};

/* Dom0's processes: nothing that acts on the calling vcpu (it runs no guest). */
static kxen_hypercall_t *const dom0_table[] = {
	[__HYPERVISOR_memory_op] = kxen_do_memory_op,
	[__HYPERVISOR_multicall] = kxen_do_multicall,
	[__HYPERVISOR_xen_version] = kxen_do_xen_version,
	[__HYPERVISOR_event_channel_op] = kxen_do_event_channel_op,
	[__HYPERVISOR_hvm_op] = kxen_do_hvm_op,
	[__HYPERVISOR_sysctl] = kxen_do_sysctl,
	[__HYPERVISOR_domctl] = kxen_do_domctl,
};

bool kxen_hypercall_should_stop(struct kxen_vcpu *v)
{
	return kxen_is_dom0(v->d) ? fatal_signal_pending(current) : kthread_should_stop();
}

long kxen_hypercall(struct kxen_vcpu *v, unsigned long nr, const unsigned long *arg)
{
	kxen_hypercall_t *fn = NULL;
	long ret;

	if (kxen_is_dom0(v->d)) {
		if (nr < ARRAY_SIZE(dom0_table))
			fn = dom0_table[array_index_nospec(nr, ARRAY_SIZE(dom0_table))];
	} else if (nr < ARRAY_SIZE(guest_table)) {
		fn = guest_table[array_index_nospec(nr, ARRAY_SIZE(guest_table))];
	}
	ret = fn ? fn(v, arg) : -XEN_ENOSYS;
	if (unlikely(trace_hypercalls))
		kxen_console_printf("(XEN) d%uv%u hypercall %lu(%#lx, %#lx, %#lx) = %ld\n",
				    v->d->id, v->id, nr, arg[0], arg[1], arg[2], ret);
	return ret;
}
