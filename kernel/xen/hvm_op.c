// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_hvm_op (public/hvm/hvm_op.h): HVM parameters (public/hvm/params.h). A
 * guest may read the few that tell it where its store and console are, and set its
 * event-channel callback; the rest belong to the toolstack. Which is which, and the
 * error codes, follow Xen 4.17's hvm_allow_get_param/hvm_allow_set_param.
 */
#include <linux/errno.h>
#include <linux/nospec.h>
#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/hvm/hvm_op.h>
#include <xen/interface/hvm/params.h>

#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "hypercall.h"

/* Xen 4.17's parameter numbers that Linux's copy of params.h lacks. */
#define HVM_PARAM_ACPI_IOPORTS_LOCATION		19
#define HVM_PARAM_VM_GENERATION_ID_ADDR		34
#define HVM_PARAM_ALTP2M			35
#define HVM_PARAM_X87_FIP_WIDTH			36
#define HVM_PARAM_VM86_TSS_SIZED		37

/* Deprecated: -EINVAL to anyone. */
static bool deprecated(u32 index)
{
	switch (index) {
	case 4:			/* PAE_ENABLED */
	case 13:		/* DM_DOMAIN */
	case 20 ... 23:		/* MEMORY_EVENT_CR0, _CR3, _CR4, _INT3 */
	case 24:		/* NESTEDHVM */
	case 25:		/* MEMORY_EVENT_SINGLE_STEP */
	case 26:		/* BUFIOREQ_EVTCHN */
	case 30:		/* MEMORY_EVENT_MSR */
		return true;
	}
	return false;
}

static bool guest_may_set(u32 index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_X87_FIP_WIDTH:
		return true;
	}
	return false;
}

static bool guest_may_get(u32 index)
{
	return guest_may_set(index) || index == HVM_PARAM_STORE_PFN ||
	       index == HVM_PARAM_CONSOLE_PFN || index == HVM_PARAM_ALTP2M;
}

/* The callback: only "vector" (type 2) means something without an emulated IOAPIC. */
static void set_callback(struct kxen_domain *d, u64 value)
{
	unsigned int i;

	WRITE_ONCE(d->callback_vector, (value >> 56) == HVM_PARAM_CALLBACK_TYPE_VECTOR ?
			value & 0xff : 0);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			kxen_vcpu_kick(d->vcpus[i]);
}

static long param(struct kxen_vcpu *v, unsigned long arg, bool set)
{
	struct xen_hvm_param p;
	struct kxen_domain *d;
	long ret = 0;
	int err;

	if (kxen_copy_from_guest(v, &p, arg, sizeof(p)))
		return -EFAULT;
	if (p.index >= KXEN_HVM_NR_PARAMS)
		return -EINVAL;
	p.index = array_index_nospec(p.index, KXEN_HVM_NR_PARAMS);
	d = kxen_domain_target(v, p.domid, &err);
	if (!d)
		return err;
	if (deprecated(p.index))
		ret = -EINVAL;
	else if (d == v->d && !(set ? guest_may_set(p.index) : guest_may_get(p.index)))
		ret = -EPERM;
	else if (set) {
		d->hvm_param[p.index] = p.value;
		if (p.index == HVM_PARAM_CALLBACK_IRQ)
			set_callback(d, p.value);
	} else {
		p.value = d->hvm_param[p.index];
		if (kxen_copy_to_guest(v, arg, &p, sizeof(p)))
			ret = -EFAULT;
	}
	kxen_domain_put(d);
	return ret;
}

/* A hint for shadow paging. With nested paging Xen answers -EINVAL, and so do we. */
static long pagetable_dying(struct kxen_vcpu *v, unsigned long arg)
{
	struct xen_hvm_pagetable_dying p;
	struct kxen_domain *d;
	long ret;

	if (kxen_copy_from_guest(v, &p, arg, sizeof(p)))
		return -EFAULT;
	if (p.domid == DOMID_SELF || p.domid == v->d->id)
		return -EINVAL;
	d = kxen_domain_get(p.domid);
	if (!d)
		return -ESRCH;
	ret = -EOPNOTSUPP;
	kxen_domain_put(d);
	return ret;
}

long kxen_do_hvm_op(struct kxen_vcpu *v, const unsigned long *a)
{
	switch (a[0]) {
	case HVMOP_set_param:
		return param(v, a[1], true);
	case HVMOP_get_param:
		return param(v, a[1], false);
	case HVMOP_pagetable_dying:
		return pagetable_dying(v, a[1]);
	}
	return -XEN_ENOSYS;
}
