// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/privcmd (and /proc/xen/privcmd): how dom0's processes make hypercalls, with
 * the ioctls of Linux's own privcmd driver (include/uapi/xen/privcmd.h), which stays
 * dormant on a host that is not a Xen guest. libxencall, libxenforeignmemory and
 * libxendevicemodel open it; everything Debian's Xen tools ask of Xen comes this way.
 *
 * A hypercall from here runs on a vcpu of domain 0 that no thread runs: the handlers
 * see domain 0 as the caller, and its handles as this process's user pointers
 * (xen/hypercall.c has dom0's table). Only CAP_SYS_ADMIN may open it.
 *
 * Foreign mappings (MMAPBATCH_V2, MMAP_RESOURCE and mmap()) are in foreign.c. Not yet:
 * the older MMAP and MMAPBATCH, and DM_OP with buffers (HVM device models). They are
 * -ENOTTY, as any ioctl Linux's driver does not know; libxenforeignmemory's probe of
 * an unknown ioctl must be.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/interface/xen.h>
#include <xen/privcmd.h>

#include "../core/domain.h"
#include "../xen/hypercall.h"
#include "dom0.h"

/* What open() keeps: the one domain the file may act on after RESTRICT. */
struct privcmd_file {
	domid_t restricted;		/* DOMID_INVALID: any */
};

static int privcmd_open(struct inode *inode, struct file *file)
{
	struct privcmd_file *f;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->restricted = DOMID_INVALID;
	file->private_data = f;
	return 0;
}

static int privcmd_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/* One hypercall on behalf of dom0. */
static long dom0_hypercall(const struct privcmd_hypercall *h)
{
	struct kxen_vcpu *v = kzalloc(sizeof(*v), GFP_KERNEL);
	unsigned long args[6] = { h->arg[0], h->arg[1], h->arg[2], h->arg[3], h->arg[4] };
	long ret;

	if (!v)
		return -ENOMEM;
	v->d = kxen_domain_get(0);
	ret = kxen_hypercall(v, h->op, args);
	kxen_domain_put(v->d);
	kfree(v);
	return ret;
}

static long privcmd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct privcmd_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct privcmd_hypercall h;
	struct privcmd_dm_op dm;
	domid_t dom;

	switch (cmd) {
	case IOCTL_PRIVCMD_HYPERCALL:
		/* A restricted file may not: a hypercall could act on any domain. */
		if (f->restricted != DOMID_INVALID)
			return -EPERM;
		if (copy_from_user(&h, uarg, sizeof(h)))
			return -EFAULT;
		return dom0_hypercall(&h);
	case IOCTL_PRIVCMD_MMAPBATCH_V2:
		return kxen_privcmd_mmapbatch(uarg, f->restricted);
	case IOCTL_PRIVCMD_MMAP_RESOURCE:
		return kxen_privcmd_mmap_resource(uarg, f->restricted);
	case IOCTL_PRIVCMD_DM_OP:
		if (copy_from_user(&dm, uarg, sizeof(dm)))
			return -EFAULT;
		if (f->restricted != DOMID_INVALID && dm.dom != f->restricted)
			return -EPERM;
		/* No buffers: the probe libxendevicemodel makes, which Linux answers 0. */
		if (!dm.num)
			return 0;
		return -ENOTTY;
	case IOCTL_PRIVCMD_RESTRICT:
		if (copy_from_user(&dom, uarg, sizeof(dom)))
			return -EFAULT;
		if (f->restricted == DOMID_INVALID)
			f->restricted = dom;
		else if (f->restricted != dom)
			return -EINVAL;
		return 0;
	}
	return -ENOTTY;
}

static const struct file_operations privcmd_fops = {
	.owner = THIS_MODULE,
	.open = privcmd_open,
	.release = privcmd_release,
	.unlocked_ioctl = privcmd_ioctl,
	.mmap = kxen_privcmd_mmap,
	.llseek = noop_llseek,
};

/* Readable and writable by all: open() checks the capability, and says EPERM. */
static struct miscdevice privcmd_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen-privcmd",
	.nodename = "xen/privcmd",
	.mode = 0666,
	.fops = &privcmd_fops,
};

const struct proc_ops kxen_privcmd_proc_ops = {
	.proc_open = privcmd_open,
	.proc_release = privcmd_release,
	.proc_ioctl = privcmd_ioctl,
	.proc_mmap = kxen_privcmd_mmap,
	.proc_lseek = noop_llseek,
};

int kxen_privcmd_init(void)
{
	return misc_register(&privcmd_dev);
}

void kxen_privcmd_exit(void)
{
	misc_deregister(&privcmd_dev);
}
