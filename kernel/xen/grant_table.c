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
	mutex_init(&d->gnttab_lock);
	return grow(d, 1);
}

void kxen_gnttab_destroy(struct kxen_domain *d)
{
	while (d->gnttab_nr_frames)
		__free_page(d->gnttab_frame[--d->gnttab_nr_frames]);
}

int kxen_gnttab_frame(struct kxen_domain *d, unsigned long idx, struct page **page, u64 **gfn)
{
	int err;

	if (idx >= KXEN_GNTTAB_MAX_FRAMES)	/* also v2 status frames: no v2 here */
		return -EINVAL;
	mutex_lock(&d->gnttab_lock);
	err = grow(d, idx + 1);
	if (!err) {
		*page = d->gnttab_frame[idx];
		*gfn = &d->gnttab_gfn[idx];
	}
	mutex_unlock(&d->gnttab_lock);
	return err;
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
