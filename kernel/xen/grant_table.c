// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_grant_table_op (public/grant_table.h), version 1 only. A domain's grant
 * table is frames of kxen's that the guest maps into its physical address space
 * (memory_op add_to_physmap, XENMAPSPACE_grant_table) and fills with grant_entry_v1.
 * The table starts with one frame and grows, up to libxl's default of 32, as the
 * guest maps further frames.
 *
 * As Xen with gnttab max-ver 1: set_version(2) is -XEN_ENOSYS, leaving version 1.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>

#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "grant_table.h"
#include "hypercall.h"

#define GNTTABOP_CMD_MASK	0xfff	/* the rest: continuation state */

static int grow(struct kxen_domain *d, unsigned int nr)
{
	while (d->gnttab_nr_frames < nr) {
		struct page *p = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

		if (!p)
			return -ENOMEM;
		d->gnttab_frame[d->gnttab_nr_frames] = p;
		d->gnttab_gfn[d->gnttab_nr_frames++] = ~0ULL;
	}
	return 0;
}

int kxen_gnttab_init(struct kxen_domain *d)
{
	return grow(d, 1);
}

/*
 * Dom0 may still map some of its grants, or the frames themselves: those pages stay
 * until munmap() drops the last reference. Nothing grows the table after this.
 */
void kxen_gnttab_destroy(struct kxen_domain *d)
{
	mutex_lock(&d->gnttab_lock);
	d->gnttab_closed = true;
	xa_destroy(&d->gnttab_maps);
	while (d->gnttab_nr_frames)
		__free_page(d->gnttab_frame[--d->gnttab_nr_frames]);
	mutex_unlock(&d->gnttab_lock);
}

int kxen_gnttab_frame(struct kxen_domain *d, unsigned long idx, struct page **page, u64 **gfn)
{
	int err;

	if (idx >= KXEN_GNTTAB_MAX_FRAMES)	/* also v2 status frames: no v2 here */
		return -EINVAL;
	mutex_lock(&d->gnttab_lock);
	err = d->gnttab_closed ? -ESRCH : grow(d, idx + 1);
	if (!err) {
		*page = d->gnttab_frame[idx];
		get_page(*page);
		*gfn = &d->gnttab_gfn[idx];
	}
	mutex_unlock(&d->gnttab_lock);
	return err;
}

/*
 * ---- Dom0's mappings of a domain's grants (dom0/gntdev.c): Xen's map_grant_ref for a
 * host mapping, v1 only. The granting domain's entry must permit access to the mapper
 * (and writing, for a writable map); GTF_reading, and GTF_writing for a writable map,
 * stay set while any such mapping lasts, so the guest can see it is in use. The entry
 * is the guest's to change at any time: flags change only by cmpxchg, and the page
 * mapped is the one its frame named then, referenced, the domain's own RAM.
 */
static u32 *entry_word(struct kxen_domain *d, u32 ref)
{
	unsigned int per = PAGE_SIZE / sizeof(struct grant_entry_v1);

	if (ref / per >= d->gnttab_nr_frames)
		return NULL;
	return (u32 *)((struct grant_entry_v1 *)page_address(d->gnttab_frame[ref / per]) +
		       ref % per);
}

/* Map counts per ref, in d->gnttab_maps: readers in the low 16 bits, writers above. */
static unsigned long pins(struct kxen_domain *d, u32 ref)
{
	void *e = xa_load(&d->gnttab_maps, ref);

	return e ? xa_to_value(e) : 0;
}

/*
 * Clear the GTF_writing and GTF_reading that n, the mappings left, no longer hold;
 * by cmpxchg, for the guest may change the entry meanwhile.
 */
static void drop_flags(u32 *w, unsigned long n)
{
	u32 old, clear = (n >> 16 ? 0 : GTF_writing) | (n ? 0 : GTF_reading);

	do {
		old = READ_ONCE(*w);
	} while (cmpxchg(w, old, old & ~clear) != old);
}

int kxen_gnttab_map(struct kxen_domain *d, u32 ref, u16 mapper, bool readonly,
		    struct page **page)
{
	u32 *w, old, new, frame;
	unsigned long n;
	int err = 0;

	mutex_lock(&d->gnttab_lock);
	w = entry_word(d, ref);
	if (!w) {
		err = -EINVAL;		/* GNTST_bad_gntref */
		goto out;
	}
	n = pins(d, ref);
	if ((n & 0xffff) == 0xffff || (n >> 16) == 0xffff) {
		err = -ENOSPC;
		goto out;
	}
	do {
		old = READ_ONCE(*w);	/* flags | domid << 16 */
		if ((old & GTF_type_mask) != GTF_permit_access || (old >> 16) != mapper ||
		    (!readonly && (old & GTF_readonly))) {
			err = -EPERM;	/* GNTST_permission_denied */
			goto out;
		}
		new = old | GTF_reading | (readonly ? 0 : GTF_writing);
	} while (cmpxchg(w, old, new) != old);
	frame = READ_ONCE(((struct grant_entry_v1 *)w)->frame);
	*page = kxen_p2m_get_page(d, frame, true);
	if (!*page) {
		err = -EINVAL;		/* GNTST_general_error: no RAM of its there */
	} else {
		n += readonly ? 1 : 1 << 16;
		if (xa_err(xa_store(&d->gnttab_maps, ref, xa_mk_value(n), GFP_KERNEL))) {
			put_page(*page);
			err = -ENOMEM;
		}
	}
	if (err)
		drop_flags(w, pins(d, ref));
out:
	mutex_unlock(&d->gnttab_lock);
	return err;
}

void kxen_gnttab_unmap(struct kxen_domain *d, u32 ref, bool readonly, struct page *page)
{
	unsigned long n;
	u32 *w;

	put_page(page);
	mutex_lock(&d->gnttab_lock);
	w = entry_word(d, ref);
	if (!w || !pins(d, ref))
		goto out;	/* the table went with its domain */
	n = pins(d, ref) - (readonly ? 1 : 1 << 16);
	if (n)
		xa_store(&d->gnttab_maps, ref, xa_mk_value(n), GFP_KERNEL);
	else
		xa_erase(&d->gnttab_maps, ref);
	drop_flags(w, n);
out:
	mutex_unlock(&d->gnttab_lock);
}

static long query_size(struct kxen_vcpu *v, unsigned long arg, unsigned int count)
{
	struct gnttab_query_size q;
	struct kxen_domain *d;
	int err;

	if (count != 1)
		return -EINVAL;
	if (kxen_copy_from_guest(v, &q, arg, sizeof(q)))
		return -EFAULT;
	d = kxen_domain_target(v, q.dom, &err);
	if (!d) {
		q.status = err == -ESRCH ? GNTST_bad_domain : GNTST_permission_denied;
	} else {
		q.nr_frames = READ_ONCE(d->gnttab_nr_frames);
		q.max_nr_frames = KXEN_GNTTAB_MAX_FRAMES;
		q.status = GNTST_okay;
		kxen_domain_put(d);
	}
	return kxen_copy_to_guest(v, arg, &q, sizeof(q)) ? -EFAULT : 0;
}

static long set_version(struct kxen_vcpu *v, unsigned long arg)
{
	struct gnttab_set_version s;
	long ret;

	if (kxen_copy_from_guest(v, &s, arg, sizeof(s)))
		return -EFAULT;
	ret = s.version == 1 ? 0 : s.version == 2 ? -XEN_ENOSYS : -EINVAL;
	s.version = 1;
	return kxen_copy_to_guest(v, arg, &s, sizeof(s)) ? -EFAULT : ret;
}

static long get_version(struct kxen_vcpu *v, unsigned long arg)
{
	struct gnttab_get_version g;
	struct kxen_domain *d;
	int err;

	if (kxen_copy_from_guest(v, &g, arg, sizeof(g)))
		return -EFAULT;
	d = kxen_domain_target(v, g.dom, &err);
	if (!d)
		return err;
	kxen_domain_put(d);
	g.version = 1;
	return kxen_copy_to_guest(v, arg, &g, sizeof(g)) ? -EFAULT : 0;
}

long kxen_do_grant_table_op(struct kxen_vcpu *v, const unsigned long *a)
{
	unsigned int cmd = a[0], count = a[2];
	unsigned long arg = a[1];

	if ((int)count < 0)
		return -EINVAL;
	if (cmd & ~GNTTABOP_CMD_MASK)
		return -EINVAL;
	switch (cmd) {
	case GNTTABOP_query_size:
		return query_size(v, arg, count);
	case GNTTABOP_set_version:
		return set_version(v, arg);
	case GNTTABOP_get_version:
		return get_version(v, arg);
	}
	return -XEN_ENOSYS;
}
