// SPDX-License-Identifier: GPL-2.0
/*
 * Foreign mappings: another domain's memory mapped into a dom0 process through
 * /dev/xen/privcmd, as Linux's privcmd driver does on Xen. libxenguest loads a new
 * guest's kernel this way (IOCTL_PRIVCMD_MMAPBATCH_V2 of its frames), oxenstored maps
 * each domain's store ring, and libxenguest seeds a new domain's grant table through
 * IOCTL_PRIVCMD_MMAP_RESOURCE.
 *
 * The process mmap()s /dev/xen/privcmd to get an empty range, then fills it with an
 * ioctl. Each page goes in with vm_insert_page(), which takes a reference: a page the
 * guest gives back (or a domain that dies) stays allocated until the process unmaps it,
 * so a mapping never outlives the page behind it (the rule at the top of core/p2m.c).
 *
 * As on Linux: the first MMAPBATCH into a range must fill all of it; later ones may
 * only fill holes. Errors are per page (in the caller's err[] array) and the ioctl
 * itself succeeds; a page already mapped in the range is -EBUSY there, where Linux
 * would refuse the whole call with EINVAL.
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/privcmd.h>

#include "../core/domain.h"
#include "../xen/grant_table.h"
#include "dom0.h"

/* vm_private_data of a privcmd mapping once an ioctl has filled it. */
#define FILLED	((void *)1)

static vm_fault_t privcmd_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;		/* a hole: a page that could not be mapped */
}

static const struct vm_operations_struct privcmd_vm_ops = {
	.fault = privcmd_fault,
};

int kxen_privcmd_mmap(struct file *file, struct vm_area_struct *vma)
{
	/* Not inherited by fork(): the child has no business with the guest. */
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP | VM_MIXEDMAP;
	vma->vm_ops = &privcmd_vm_ops;
	vma->vm_private_data = NULL;
	return 0;
}

/* The privcmd range [addr, addr + nr pages), whole on its first fill. Under mmap lock. */
static struct vm_area_struct *range(u64 addr, unsigned long nr)
{
	struct vm_area_struct *vma;

	mmap_assert_locked(current->mm);
	vma = find_vma(current->mm, addr);
	if (!vma || vma->vm_ops != &privcmd_vm_ops || addr < vma->vm_start ||
	    offset_in_page(addr) ||
	    nr > (vma->vm_end - addr) >> PAGE_SHIFT)
		return NULL;
	if (!vma->vm_private_data &&
	    (addr != vma->vm_start || vma->vm_end - addr != nr << PAGE_SHIFT))
		return NULL;
	return vma;
}

/* The same, claimed for filling. Under the mmap write lock. */
static struct vm_area_struct *find_range(u64 addr, unsigned long nr)
{
	struct vm_area_struct *vma;

	mmap_assert_write_locked(current->mm);
	vma = range(addr, nr);
	if (vma)
		vma->vm_private_data = FILLED;
	return vma;
}

/*
 * Whether a range could take nr pages, before the arrays for nr frames are allocated:
 * num is the caller's, and only a mapping it made bounds it (Linux's privcmd checks
 * the same, and answers EINVAL). The real check is find_range's, under the lock again.
 */
static bool range_fits(u64 addr, unsigned long nr)
{
	bool ok;

	mmap_read_lock(current->mm);
	ok = range(addr, nr);
	mmap_read_unlock(current->mm);
	return ok;
}

/* Map the page behind d's gfn at addr: 0 or Xen's error for that frame. */
static int map_gfn(struct vm_area_struct *vma, unsigned long addr, struct kxen_domain *d,
		   u64 gfn)
{
	struct page *page = kxen_p2m_get_page(d, gfn, false);
	int err;

	if (!page)
		return -EINVAL;		/* nothing there: Xen's get_page_from_gfn failing */
	err = vm_insert_page(vma, addr, page);
	put_page(page);
	return err;
}

long kxen_privcmd_mmapbatch(void __user *uarg, domid_t restricted)
{
	struct privcmd_mmapbatch_v2 m;
	struct vm_area_struct *vma;
	struct kxen_domain *d;
	xen_pfn_t *gfns;
	int *errs;
	unsigned int i;
	bool failed = false;
	long ret = 0;

	if (copy_from_user(&m, uarg, sizeof(m)))
		return -EFAULT;
	if (restricted != DOMID_INVALID && m.dom != restricted)
		return -EPERM;
	if (!m.num || m.num > (ULONG_MAX >> PAGE_SHIFT) / 2 || !range_fits(m.addr, m.num))
		return -EINVAL;
	gfns = kvmalloc_array(m.num, sizeof(*gfns), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	errs = kvcalloc(m.num, sizeof(*errs), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!gfns || !errs) {
		ret = -ENOMEM;
		goto out;
	}
	/* Read everything before taking the mmap lock: a fault under it would deadlock. */
	if (copy_from_user(gfns, m.arr, m.num * sizeof(*gfns)) ||
	    clear_user(m.err, m.num * sizeof(*errs))) {
		ret = -EFAULT;
		goto out;
	}
	/* Dom0 maps its own memory otherwise; a domain that is not there maps nothing. */
	d = m.dom != 0 && m.dom < DOMID_FIRST_RESERVED ? kxen_domain_get(m.dom) : NULL;

	mmap_write_lock(current->mm);
	vma = find_range(m.addr, m.num);
	if (!vma) {
		ret = -EINVAL;
	} else {
		for (i = 0; i < m.num; i++) {
			errs[i] = !d ? (m.dom == 0 ? -EPERM : -ESRCH) :
				  map_gfn(vma, m.addr + ((unsigned long)i << PAGE_SHIFT), d,
					  gfns[i]);
			failed |= errs[i] != 0;
			if (!(i & 1023))
				cond_resched();
			if (fatal_signal_pending(current)) {
				ret = -EINTR;	/* killed: the mapping goes with the process */
				break;
			}
		}
	}
	mmap_write_unlock(current->mm);
	if (d)
		kxen_domain_put(d);
	if (!ret && failed && copy_to_user(m.err, errs, m.num * sizeof(*errs)))
		ret = -EFAULT;
out:
	kvfree(errs);
	kvfree(gfns);
	return ret;
}

/*
 * XENMEM_acquire_resource behind IOCTL_PRIVCMD_MMAP_RESOURCE. kxen has one kind of
 * resource: a domain's grant table (v1: its shared frames, no status frames).
 */
long kxen_privcmd_mmap_resource(void __user *uarg, domid_t restricted)
{
	struct privcmd_mmap_resource __user *u = uarg;
	struct privcmd_mmap_resource r;
	struct vm_area_struct *vma;
	struct kxen_domain *d;
	unsigned long i;
	long ret = 0;

	if (copy_from_user(&r, u, sizeof(r)))
		return -EFAULT;
	if (restricted != DOMID_INVALID && r.dom != restricted)
		return -EPERM;
	if (!r.addr != !r.num)
		return -EINVAL;
	d = r.dom != 0 && r.dom < DOMID_FIRST_RESERVED ? kxen_domain_get(r.dom) : NULL;
	if (!d)
		return -ESRCH;
	if (r.type != XENMEM_resource_grant_table)
		ret = -EOPNOTSUPP;
	else if (r.id != XENMEM_resource_grant_table_id_shared)
		ret = -EINVAL;	/* status frames: grant tables v2 only */
	else if (!r.num)	/* the size query */
		ret = put_user((u64)KXEN_GNTTAB_MAX_FRAMES, &u->num);
	else if (r.idx >= KXEN_GNTTAB_MAX_FRAMES || r.num > KXEN_GNTTAB_MAX_FRAMES - r.idx)
		ret = -EINVAL;
	if (ret || !r.num)
		goto out;

	mmap_write_lock(current->mm);
	vma = find_range(r.addr, r.num);
	if (!vma)
		ret = -EINVAL;
	for (i = 0; vma && i < r.num && !ret; i++) {
		struct page *page;
		u64 *gfn;

		ret = kxen_gnttab_frame(d, r.idx + i, &page, &gfn);
		if (ret)
			break;
		ret = vm_insert_page(vma, r.addr + (i << PAGE_SHIFT), page);
		put_page(page);		/* the mapping holds its own */
	}
	mmap_write_unlock(current->mm);
out:
	kxen_domain_put(d);
	return ret;
}
