// SPDX-License-Identifier: GPL-2.0
/*
 * IOCTL_GNTDEV_GRANT_COPY: copies between a dom0 process's memory and other domains'
 * granted pages, without mapping them into the process: QEMU's disk backend moves
 * every block this way (it probes with a count of 0 at start, and maps grants
 * instead if that fails).
 *
 * Each segment copies to or from one grant (or between two), within its page, as
 * Xen's GNTTABOP_copy does: the grant must permit dom0 access (and writing, to copy
 * into it), and holds GTF_reading/GTF_writing for the time of the copy. A segment that
 * Xen would refuse gets Xen's GNTST_* status and the rest go on; a segment no Xen op
 * could express (no grant on either side, or one crossing a granted page) fails the
 * ioctl with EINVAL, and a bad local buffer with EFAULT, as in Linux's gntdev.
 */
#include <linux/highmem.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>
#include <xen/gntdev.h>

#include "../core/domain.h"
#include "../xen/grant_table.h"
#include "dom0.h"

/* One side of a segment: a granted page, held while the copy lasts, or user memory. */
struct side {
	struct kxen_domain *d;
	struct page *page;
	u32 ref;
	bool readonly;
};

/* Take the grant behind one side: GNTST_okay, or what Xen would answer. */
static int get_side(struct side *s, u16 domid, u32 ref, bool readonly)
{
	int err;

	s->d = domid < DOMID_FIRST_RESERVED ? kxen_domain_get(domid) : NULL;
	if (!s->d || kxen_is_dom0(s->d)) {
		if (s->d)
			kxen_domain_put(s->d);
		s->d = NULL;
		return GNTST_bad_domain;
	}
	s->ref = ref;
	s->readonly = readonly;
	err = kxen_gnttab_map(s->d, ref, 0, readonly, &s->page);
	if (err) {
		kxen_domain_put(s->d);
		s->d = NULL;
		return err == -EINVAL ? GNTST_bad_gntref :
		       err == -EPERM ? GNTST_permission_denied : GNTST_general_error;
	}
	return GNTST_okay;
}

static void put_side(struct side *s)
{
	if (!s->d)
		return;
	kxen_gnttab_unmap(s->d, s->ref, s->readonly, s->page);
	kxen_domain_put(s->d);
}

/* One segment: its status in *status, or an error for the whole ioctl. */
static int copy_segment(const struct gntdev_grant_copy_segment *seg, s16 *status)
{
	bool from_gref = seg->flags & GNTCOPY_source_gref;
	bool to_gref = seg->flags & GNTCOPY_dest_gref;
	struct side src = {}, dst = {};
	void *s, *d;
	int err = 0;

	if (!from_gref && !to_gref)
		return -EINVAL;
	if ((from_gref && seg->source.foreign.offset + seg->len > PAGE_SIZE) ||
	    (to_gref && seg->dest.foreign.offset + seg->len > PAGE_SIZE))
		return -EINVAL;
	*status = GNTST_okay;
	if (from_gref)
		*status = get_side(&src, seg->source.foreign.domid, seg->source.foreign.ref, true);
	if (*status == GNTST_okay && to_gref)
		*status = get_side(&dst, seg->dest.foreign.domid, seg->dest.foreign.ref, false);
	if (*status != GNTST_okay)
		goto out;

	s = from_gref ? kmap_local_page(src.page) + seg->source.foreign.offset : NULL;
	d = to_gref ? kmap_local_page(dst.page) + seg->dest.foreign.offset : NULL;
	if (s && d)
		memcpy(d, s, seg->len);
	else if (s)
		err = copy_to_user(seg->dest.virt, s, seg->len) ? -EFAULT : 0;
	else
		err = copy_from_user(d, seg->source.virt, seg->len) ? -EFAULT : 0;
	if (d)
		kunmap_local(d);
	if (s)
		kunmap_local(s);
out:
	put_side(&dst);
	put_side(&src);
	return err;
}

long kxen_gntdev_grant_copy(void __user *uarg)
{
	struct ioctl_gntdev_grant_copy op;
	struct gntdev_grant_copy_segment seg;
	unsigned int i;
	s16 status;
	int err;

	if (copy_from_user(&op, uarg, sizeof(op)))
		return -EFAULT;
	for (i = 0; i < op.count; i++) {
		if (copy_from_user(&seg, &op.segments[i], sizeof(seg)))
			return -EFAULT;
		err = copy_segment(&seg, &status);
		if (err)
			return err;
		if (put_user(status, &op.segments[i].status))
			return -EFAULT;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}
