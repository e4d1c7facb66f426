// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/gntdev: other domains' granted pages mapped into dom0's processes, with the
 * interface of Linux's gntdev driver (include/uapi/xen/gntdev.h). C xenstored maps a
 * domU's store ring this way, xenconsoled its console ring (ref 0, which the builder
 * grants to dom0, as libxenguest does).
 *
 * MAP_GRANT_REF only notes the (domain, ref) pairs and gives them an offset in the
 * file; mmap() at that offset maps them, read-only unless the mapping is writable
 * (xen/grant_table.c checks each grant then); munmap() unmaps them, and UNMAP_GRANT_REF
 * forgets them. A grant that cannot be mapped fails the whole mmap() with EINVAL, as
 * on Linux. SET_UNMAP_NOTIFY asks, as on Linux, that the unmapping clear a byte of
 * the mapping (the peer sees the mapper has gone) and that the end of the map send an
 * event on a port of dom0's. GRANT_COPY is in gntdev_copy.c. SET_MAX_GRANTS is -ENOTTY
 * on Linux 6.1 too, and libxengnttab accepts that. Only CAP_SYS_ADMIN may open it.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>
#include <xen/gntdev.h>

#include "../core/domain.h"
#include "../xen/event_channel.h"
#include "../xen/grant_table.h"
#include "dom0.h"

#define MAX_GRANTS	1024	/* per map, as Linux's default limit */

struct gntdev_map {
	struct kref ref;
	struct list_head link;	/* in the file's list, until UNMAP_GRANT_REF */
	unsigned long index;	/* its offset in the file, in pages */
	unsigned int count;
	bool mapped, readonly;
	struct ioctl_gntdev_grant_ref *grants;
	struct page **pages;
	struct kxen_domain **doms;
	/* SET_UNMAP_NOTIFY: UNMAP_NOTIFY_* flags, the byte (from the map's start), port. */
	u32 notify;
	unsigned long notify_byte;
	u32 notify_port;
};

struct gntdev_file {
	struct mutex lock;
	struct list_head maps;
	unsigned long next_index;
};

static void map_free(struct kref *ref)
{
	struct gntdev_map *m = container_of(ref, struct gntdev_map, ref);
	struct kxen_domain *dom0;

	if (m->notify & UNMAP_NOTIFY_SEND_EVENT) {
		dom0 = kxen_domain_get(0);
		kxen_evtchn_send(dom0, m->notify_port);
		kxen_domain_put(dom0);
	}

	kvfree(m->grants);
	kvfree(m->pages);
	kvfree(m->doms);
	kfree(m);
}

static void unmap_grants(struct gntdev_map *m, unsigned int n)
{
	while (n--) {
		kxen_gnttab_unmap(m->doms[n], m->grants[n].ref, m->readonly, m->pages[n]);
		kxen_domain_put(m->doms[n]);
	}
}

static int map_grants(struct gntdev_map *m)
{
	unsigned int i;

	for (i = 0; i < m->count; i++) {
		struct kxen_domain *d = m->grants[i].domid < DOMID_FIRST_RESERVED ?
					kxen_domain_get(m->grants[i].domid) : NULL;

		if (!d)
			break;
		if (kxen_gnttab_map(d, m->grants[i].ref, 0, m->readonly, &m->pages[i])) {
			kxen_domain_put(d);
			break;
		}
		m->doms[i] = d;
	}
	if (i < m->count) {
		unmap_grants(m, i);	/* the ones before the grant that failed */
		return -EINVAL;
	}
	return 0;
}

static void vma_close(struct vm_area_struct *vma)
{
	struct gntdev_map *m = vma->vm_private_data;
	u8 *p;

	/* The last the peer sees of this mapping: its byte cleared, while still granted. */
	if ((m->notify & UNMAP_NOTIFY_CLEAR_BYTE) && !m->readonly) {
		p = kmap_local_page(m->pages[m->notify_byte >> PAGE_SHIFT]);
		WRITE_ONCE(p[offset_in_page(m->notify_byte)], 0);
		kunmap_local(p);
		m->notify &= ~UNMAP_NOTIFY_CLEAR_BYTE;
	}
	unmap_grants(m, m->count);
	WRITE_ONCE(m->mapped, false);
	kref_put(&m->ref, map_free);
}

/* A mapping of grants is one piece: no partial munmap or mremap. */
static int vma_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

static const struct vm_operations_struct gntdev_vmops = {
	.close = vma_close,
	.may_split = vma_may_split,
};

static int gntdev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct gntdev_file *f = file->private_data;
	unsigned long n = vma_pages(vma), i;
	struct gntdev_map *m, *found = NULL;
	int err;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&f->lock);
	list_for_each_entry(m, &f->maps, link)
		if (m->index == vma->vm_pgoff && m->count == n)
			found = m;
	if (!found || found->mapped) {
		mutex_unlock(&f->lock);
		return -EINVAL;
	}
	m = found;
	m->readonly = !(vma->vm_flags & VM_WRITE);
	err = map_grants(m);
	if (!err) {
		for (i = 0; i < n && !err; i++)
			err = vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE, m->pages[i]);
		if (err) {
			zap_vma_ptes(vma, vma->vm_start, n * PAGE_SIZE);
			unmap_grants(m, m->count);
		}
	}
	if (!err) {
		m->mapped = true;
		kref_get(&m->ref);
		vma->vm_private_data = m;
		vma->vm_ops = &gntdev_vmops;
		vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
		if (m->readonly)
			vma->vm_flags &= ~VM_MAYWRITE;
	}
	mutex_unlock(&f->lock);
	return err;
}

static long map_grant_ref(struct gntdev_file *f, void __user *uarg)
{
	struct ioctl_gntdev_map_grant_ref op;
	struct gntdev_map *m;

	if (copy_from_user(&op, uarg, sizeof(op)))
		return -EFAULT;
	if (!op.count || op.count > MAX_GRANTS)
		return -EINVAL;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	kref_init(&m->ref);
	m->count = op.count;
	m->grants = kvcalloc(op.count, sizeof(*m->grants), GFP_KERNEL);
	m->pages = kvcalloc(op.count, sizeof(*m->pages), GFP_KERNEL);
	m->doms = kvcalloc(op.count, sizeof(*m->doms), GFP_KERNEL);
	if (!m->grants || !m->pages || !m->doms) {
		kref_put(&m->ref, map_free);
		return -ENOMEM;
	}
	if (copy_from_user(m->grants, uarg + offsetof(struct ioctl_gntdev_map_grant_ref, refs),
			   op.count * sizeof(*m->grants))) {
		kref_put(&m->ref, map_free);
		return -EFAULT;
	}
	mutex_lock(&f->lock);
	m->index = f->next_index;
	f->next_index += op.count;
	list_add_tail(&m->link, &f->maps);
	mutex_unlock(&f->lock);
	op.index = m->index << PAGE_SHIFT;
	return copy_to_user(uarg, &op, sizeof(op)) ? -EFAULT : 0;
}

static long unmap_grant_ref(struct gntdev_file *f, void __user *uarg)
{
	struct ioctl_gntdev_unmap_grant_ref op;
	struct gntdev_map *m, *found = NULL;

	if (copy_from_user(&op, uarg, sizeof(op)))
		return -EFAULT;
	mutex_lock(&f->lock);
	list_for_each_entry(m, &f->maps, link)
		if (m->index == op.index >> PAGE_SHIFT && m->count == op.count)
			found = m;
	if (found)
		list_del(&found->link);
	mutex_unlock(&f->lock);
	if (!found)
		return -ENOENT;
	kref_put(&found->ref, map_free);	/* a live mapping keeps its own */
	return 0;
}

static long get_offset_for_vaddr(void __user *uarg)
{
	struct ioctl_gntdev_get_offset_for_vaddr op;
	struct vm_area_struct *vma;
	struct gntdev_map *m;
	long err = -EINVAL;

	if (copy_from_user(&op, uarg, sizeof(op)))
		return -EFAULT;
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, op.vaddr);
	if (vma && vma->vm_ops == &gntdev_vmops && vma->vm_start == op.vaddr) {
		m = vma->vm_private_data;
		op.offset = m->index << PAGE_SHIFT;
		op.count = m->count;
		err = 0;
	}
	mmap_read_unlock(current->mm);
	if (!err && copy_to_user(uarg, &op, sizeof(op)))
		err = -EFAULT;
	return err;
}

static long set_unmap_notify(struct gntdev_file *f, void __user *uarg)
{
	struct ioctl_gntdev_unmap_notify op;
	struct gntdev_map *m, *found = NULL;
	unsigned long page;
	long err = 0;

	if (copy_from_user(&op, uarg, sizeof(op)))
		return -EFAULT;
	if (op.action & ~(UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT))
		return -EINVAL;
	if ((op.action & UNMAP_NOTIFY_SEND_EVENT) &&
	    (!op.event_channel_port || op.event_channel_port >= KXEN_EVTCHN_PORTS))
		return -EINVAL;
	page = op.index >> PAGE_SHIFT;
	mutex_lock(&f->lock);
	list_for_each_entry(m, &f->maps, link)
		if (page >= m->index && page - m->index < m->count)
			found = m;
	if (!found)
		err = -ENOENT;
	else if ((op.action & UNMAP_NOTIFY_CLEAR_BYTE) && found->readonly)
		err = -EINVAL;
	if (!err) {
		found->notify = op.action;
		found->notify_byte = op.index - (found->index << PAGE_SHIFT);
		found->notify_port = op.event_channel_port;
	}
	mutex_unlock(&f->lock);
	return err;
}

static long gntdev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct gntdev_file *f = file->private_data;

	switch (cmd) {
	case IOCTL_GNTDEV_MAP_GRANT_REF:
		return map_grant_ref(f, (void __user *)arg);
	case IOCTL_GNTDEV_UNMAP_GRANT_REF:
		return unmap_grant_ref(f, (void __user *)arg);
	case IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR:
		return get_offset_for_vaddr((void __user *)arg);
	case IOCTL_GNTDEV_SET_UNMAP_NOTIFY:
		return set_unmap_notify(f, (void __user *)arg);
	case IOCTL_GNTDEV_GRANT_COPY:
		return kxen_gntdev_grant_copy((void __user *)arg);
	}
	return -ENOTTY;
}

static int gntdev_open(struct inode *inode, struct file *file)
{
	struct gntdev_file *f;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	INIT_LIST_HEAD(&f->maps);
	file->private_data = f;
	return 0;
}

/* Mappings outlive the file (a process may close it and keep them); the rest goes. */
static int gntdev_release(struct inode *inode, struct file *file)
{
	struct gntdev_file *f = file->private_data;
	struct gntdev_map *m, *t;

	list_for_each_entry_safe(m, t, &f->maps, link) {
		list_del(&m->link);
		kref_put(&m->ref, map_free);
	}
	kfree(f);
	return 0;
}

static const struct file_operations gntdev_fops = {
	.owner = THIS_MODULE,
	.open = gntdev_open,
	.release = gntdev_release,
	.unlocked_ioctl = gntdev_ioctl,
	.mmap = gntdev_mmap,
	.llseek = noop_llseek,
};

/* Readable and writable by all: open() checks the capability, and says EPERM. */
static struct miscdevice gntdev_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen-gntdev",
	.nodename = "xen/gntdev",
	.mode = 0666,
	.fops = &gntdev_fops,
};

int kxen_gntdev_init(void)
{
	return misc_register(&gntdev_dev);
}

void kxen_gntdev_exit(void)
{
	misc_deregister(&gntdev_dev);
}
