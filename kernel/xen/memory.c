// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_memory_op (public/memory.h), as a PVH guest uses it: placing shared_info
 * and its grant-table frames in its physical address space (add_to_physmap), and
 * asking how much memory it has. Whatever was at the chosen frame goes: RAM there is
 * freed and no longer counts as the domain's (as on Xen).
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>

#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "grant_table.h"
#include "hypercall.h"

/* public/memory.h numbers that Linux's copy leaves out. */
#define XENMEM_set_memory_map		13
#define XENMEM_maximum_gpfn		14
#define XENMEM_get_sharing_freed_pages	18
#define XENMEM_get_sharing_shared_pages	19
#define XENMEM_claim_pages		24
#define XENMEM_get_vnumainfo		26
#define XENMEMF_populate_on_demand	(1u << 16)
#define MEMOP_EXTENT_SHIFT		6

/* Xen's E820MAX, and its largest extents: 2^9 pages for a guest, 2^18 for dom0. */
#define E820MAX				1024
#define DOMU_MAX_ORDER			9
#define DOM0_MAX_ORDER			18

struct xen_foreign_memory_map {
	domid_t domid;
	struct xen_memory_map map;
};
static_assert(sizeof(struct xen_foreign_memory_map) == 24);
static_assert(sizeof(struct kxen_e820entry) == 20);

/* public/memory.h's xen_vnuma_topology_info: the domain, then what kxen never has. */
struct xen_vnuma_topology_info {
	domid_t domid;
	u16 pad;
	u32 nr_vnodes, nr_vcpus, nr_vmemranges;
	u64 vdistance, vcpu_to_vnode, vmemrange;	/* guest handles */
};
static_assert(sizeof(struct xen_vnuma_topology_info) == 40);

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
		get_page(page);		/* as kxen_gnttab_frame() gives its page */
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
	put_page(page);		/* the domain's own page: it lives as long as d */
	return err;
}

/*
 * XENMEM_populate_physmap and decrease_reservation: extents of 2^order frames, each
 * whole or not at all. The answer is how many extents were done; whatever goes wrong
 * (a bad handle, no memory left, a frame already there) just stops there, as on Xen.
 */
static long reservation(struct kxen_vcpu *v, unsigned long op, unsigned long arg)
{
	unsigned long cmd = op & 0x3f, start = op >> MEMOP_EXTENT_SHIFT;
	struct xen_memory_reservation r;
	struct kxen_domain *d;
	unsigned long i, j, n;
	xen_pfn_t gfn;
	int err;

	/*
	 * A guest may start part way, as Xen's own continuation does: the bits above
	 * the command say how many extents are done, and the answer counts them too.
	 */
	if (kxen_copy_from_guest(v, &r, arg, sizeof(r)))
		return start;
	if (start >= r.nr_extents ||
	    r.extent_order > (kxen_is_dom0(v->d) ? DOM0_MAX_ORDER : DOMU_MAX_ORDER) ||
	    r.nr_extents > UINT_MAX >> MEMOP_EXTENT_SHIFT)
		return start;
	/* Populate-on-demand: kxen has no PoD; ask for real memory. */
	if (cmd == XENMEM_populate_physmap && (r.address_bits & XENMEMF_populate_on_demand))
		return start;
	/*
	 * Dom0 may name itself here (DOMID_SELF), and gets nothing done: its p2m is
	 * closed and holds no RAM, for its memory is Linux's to give (core/p2m.c).
	 */
	d = kxen_domain_target(v, r.domid, &err);
	if (!d)
		return start;
	n = 1UL << r.extent_order;
	for (i = start; i < r.nr_extents; i++) {
		/*
		 * Where Xen would make a continuation, kxen yields here instead; a dom0
		 * caller that is killed, or a vcpu whose domain is going, stops with
		 * what is done (a destroy waits for the vcpu's thread).
		 */
		cond_resched();
		if (kxen_hypercall_should_stop(v))
			break;
		if (kxen_copy_from_guest(v, &gfn, (unsigned long)r.extent_start + i * sizeof(gfn),
					 sizeof(gfn)))
			break;
		if (cmd == XENMEM_populate_physmap) {
			if (kxen_p2m_populate(d, gfn, n))
				break;
			continue;
		}
		/* A frame that is not the domain's RAM stops it, as guest_remove_page. */
		for (j = 0; j < n; j++)
			if (kxen_p2m_remove_ram(d, gfn + j))
				break;
		if (j < n)
			break;
	}
	kxen_domain_put(d);
	return i;
}

/* The memory map the toolstack gives a domain, which the guest reads back. */
static long set_memory_map(struct kxen_vcpu *v, unsigned long arg)
{
	struct xen_foreign_memory_map m;
	struct kxen_e820entry *e, *old;
	struct kxen_domain *d;
	int err;

	if (kxen_copy_from_guest(v, &m, arg, sizeof(m)))
		return -EFAULT;
	if (m.map.nr_entries > E820MAX)
		return -EINVAL;
	d = kxen_domain_target(v, m.domid, &err);
	if (!d)
		return err;
	e = kmalloc_array(m.map.nr_entries, sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e) {
		err = -ENOMEM;
	} else if (kxen_copy_from_guest(v, e, (unsigned long)m.map.buffer, m.map.nr_entries * sizeof(*e))) {
		kfree(e);
		err = -EFAULT;
	} else {
		mutex_lock(&d->lock);
		old = d->e820;
		d->e820 = e;
		d->nr_e820 = m.map.nr_entries;
		mutex_unlock(&d->lock);
		kfree(old);
	}
	kxen_domain_put(d);
	return err;
}

static long memory_map(struct kxen_vcpu *v, unsigned long arg)
{
	struct kxen_domain *d = v->d;
	struct xen_memory_map m;
	long ret = 0;

	if (kxen_copy_from_guest(v, &m, arg, sizeof(m)))
		return -EFAULT;
	mutex_lock(&d->lock);
	if (!d->nr_e820) {
		ret = -XEN_ENOSYS;	/* none was set: "backwards compatibility" in Xen */
	} else {
		m.nr_entries = min(m.nr_entries, d->nr_e820);
		if (kxen_copy_to_guest(v, (unsigned long)m.buffer, d->e820, m.nr_entries * sizeof(*d->e820)) ||
		    kxen_copy_to_guest(v, arg, &m, sizeof(m)))
			ret = -EFAULT;
	}
	mutex_unlock(&d->lock);
	return ret;
}

/*
 * XENMEM_get_vnumainfo: kxen gives no domain a virtual NUMA topology, and Xen's
 * answer for such a domain is EOPNOTSUPP (libxl's `xl save` needs exactly that).
 */
static long get_vnumainfo(struct kxen_vcpu *v, unsigned long cmd, unsigned long arg)
{
	struct xen_vnuma_topology_info t;
	struct kxen_domain *d;
	int err;

	if (cmd >> MEMOP_EXTENT_SHIFT)
		return -EINVAL;
	if (kxen_copy_from_guest(v, &t, arg, sizeof(t)))
		return -EFAULT;
	if (t.pad)
		return -EINVAL;
	d = kxen_domain_target(v, t.domid, &err);
	if (!d)
		return err;
	kxen_domain_put(d);
	return -EOPNOTSUPP;
}

long kxen_do_memory_op(struct kxen_vcpu *v, const unsigned long *a)
{
	/* The bits above the command carry a continuation's progress (MEMOP_EXTENT_SHIFT). */
	unsigned long cmd = a[0] & 0x3f, arg = a[1];
	struct kxen_domain *d;
	domid_t domid;
	long ret;
	int err;

	/* Dom0 acts on other domains' memory only: its own is Linux's. */
	if (kxen_is_dom0(v->d)) {
		switch (cmd) {
		case XENMEM_get_sharing_freed_pages:
		case XENMEM_get_sharing_shared_pages:
			return 0;	/* no memory sharing */
		case XENMEM_current_reservation:
		case XENMEM_maximum_reservation:
		case XENMEM_maximum_gpfn:
		case XENMEM_populate_physmap:
		case XENMEM_decrease_reservation:
		case XENMEM_set_memory_map:
		case XENMEM_get_vnumainfo:
			break;
		default:
			/* Claims among them: kxen cannot promise Linux's memory ahead. */
			return -XEN_ENOSYS;
		}
	}

	switch (cmd) {
	case XENMEM_populate_physmap:
	case XENMEM_decrease_reservation:
		return reservation(v, a[0], arg);
	case XENMEM_set_memory_map:
		return set_memory_map(v, arg);
	case XENMEM_memory_map:
		return memory_map(v, arg);
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, arg);
	case XENMEM_get_vnumainfo:
		return get_vnumainfo(v, a[0], arg);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:	/* the p2m size the toolstack saves a domain by */
		if (a[0] >> MEMOP_EXTENT_SHIFT)
			return -EINVAL;
		if (kxen_copy_from_guest(v, &domid, arg, sizeof(domid)))
			return -EFAULT;
		d = kxen_domain_target(v, domid, &err);
		if (!d)
			return err;
		if (cmd == XENMEM_maximum_gpfn)
			ret = READ_ONCE(d->p2m.max_gfn);
		else
			ret = cmd == XENMEM_current_reservation ? kxen_p2m_tot_pages(d) :
								  d->p2m.max_pages;
		kxen_domain_put(d);
		return ret;
	}
	return -XEN_ENOSYS;
}
