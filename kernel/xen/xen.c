// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls declared in public/xen.h itself that have no header of their own:
 * set_timer_op (the older one-shot timer) and vm_assist.
 */
#include <linux/errno.h>
#include <linux/types.h>
#include <xen/interface/xen.h>

#include <kxen/xen_errno.h>
#include "../core/domain.h"
#include "hypercall.h"

/* The only assist Xen 4.17 offers an HVM guest. */
#define VMASST_TYPE_runstate_update_flag	5

long kxen_do_set_timer_op(struct kxen_vcpu *v, const unsigned long *a)
{
	if (a[0])
		kxen_timer_set(v, a[0]);
	else
		kxen_timer_stop(v);
	return 0;
}

long kxen_do_vm_assist(struct kxen_vcpu *v, const unsigned long *a)
{
	unsigned long cmd = a[0], type = a[1];

	if (type != VMASST_TYPE_runstate_update_flag)
		return -EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		v->d->runstate_update_flag = true;
		return 0;
	case VMASST_CMD_disable:
		v->d->runstate_update_flag = false;
		return 0;
	}
	return -XEN_ENOSYS;
}
