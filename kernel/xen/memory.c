// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_memory_op (public/memory.h), as a PVH guest uses it: placing shared_info
 * and its grant-table frames in its physical address space (add_to_physmap), and
 * asking how much memory it has. Whatever was at the chosen frame goes: RAM there is
 * freed and no longer counts as the domain's (as on Xen).
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>

#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "grant_table.h"
#include "hypercall.h"

/* public/memory.h numbers that Linux's copy leaves out. */
#define XENMEM_get_sharing_freed_pages	18
#define XENMEM_get_sharing_shared_pages	19

static int add_to_physmap(struct kxen_vcpu *v, unsigned long arg)
{
	struct kxen_domain *d = v->d;
	struct xen_add_to_physmap x;
	struct page *page;
	u64 *where;
	int err;

	if (kxen_copy_from_guest(v, &x, arg, sizeof(x)))
		return -EFAULT;
	/* Foreign maps go through add_to_physmap_batch only. */
	if (x.space == XENMAPSPACE_gmfn_foreign)
		return -XEN_ENOSYS;
	/* For another domain: the toolstack's business, which comes with dom0's ABI. */
	if (x.domid != DOMID_SELF && x.domid != d->id) {
		d = kxen_domain_target(v, x.domid, &err);
		if (!d)
			return err;
		kxen_domain_put(d);
		return -EOPNOTSUPP;
	}
	switch (x.space) {
	case XENMAPSPACE_shared_info:
		if (x.idx != 0)
			return -EINVAL;
		page = virt_to_page(d->shared_info);
		where = &d->shared_info_gfn;
		break;
	case XENMAPSPACE_grant_table:
		err = kxen_gnttab_frame(d, x.idx, &page, &where);
		if (err)
			return err;
		break;
	case XENMAPSPACE_gmfn:
	case XENMAPSPACE_gmfn_range:
		return -XEN_ENOSYS;	/* moving RAM: not yet */
	default:
		return -EINVAL;
	}

	mutex_lock(&d->lock);
	/* A page has one place in the guest: the old one goes first. */
	if (*where != ~0ULL)
		kxen_p2m_remove(d, *where);
	*where = ~0ULL;
	err = kxen_p2m_map_foreign(d, x.gpfn, page);
	if (!err)
		*where = x.gpfn;
	mutex_unlock(&d->lock);
	return err;
}

long kxen_do_memory_op(struct kxen_vcpu *v, const unsigned long *a)
{
	/* The bits above the command carry a continuation's progress (MEMOP_EXTENT_SHIFT). */
	unsigned long cmd = a[0] & 0x3f, arg = a[1];
	struct kxen_domain *d;
	domid_t domid;
	long ret;
	int err;

/* Dom0 has no guest memory of kxen's to change, and no memory sharing. */
	if (v->d->id == 0) {
		switch (cmd) {
		case XENMEM_get_sharing_freed_pages:
		case XENMEM_get_sharing_shared_pages:
			return 0;
		case XENMEM_current_reservation:
		case XENMEM_maximum_reservation:
			break;
		default:
			return -XEN_ENOSYS;
		}
	}

	switch (cmd) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, arg);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		if (kxen_copy_from_guest(v, &domid, arg, sizeof(domid)))
			return -EFAULT;
		d = kxen_domain_target(v, domid, &err);
		if (!d)
			return err;
		ret = cmd == XENMEM_current_reservation ? d->p2m.nr_pages : d->p2m.max_pages;
		kxen_domain_put(d);
		return ret;
	}
	return -XEN_ENOSYS;
}
