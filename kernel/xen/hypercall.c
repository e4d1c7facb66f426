// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall table. The numbers are Xen's (__HYPERVISOR_* in public/xen.h); a
 * number with no handler is -ENOSYS, as on Xen.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/nospec.h>
#include <xen/interface/xen.h>

#include "hypercall.h"

static kxen_hypercall_t *const table[] = {
	[__HYPERVISOR_console_io] = kxen_do_console_io,
	[__HYPERVISOR_xen_version] = kxen_do_xen_version,
	[__HYPERVISOR_sched_op] = kxen_do_sched_op,
};

long kxen_hypercall(struct kxen_vcpu *v, unsigned long nr, const unsigned long *arg)
{
	kxen_hypercall_t *fn;

	if (nr >= ARRAY_SIZE(table))
		return -ENOSYS;
	fn = table[array_index_nospec(nr, ARRAY_SIZE(table))];
	return fn ? fn(v, arg) : -ENOSYS;
}
