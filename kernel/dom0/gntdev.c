// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/gntdev: mapping other domains' granted pages into dom0's processes, with
 * the interface of Linux's gntdev driver (include/uapi/xen/gntdev.h).
 *
 * Not yet: MAP_GRANT_REF and the rest (C xenstored maps a domU's store ring this way,
 * xenconsoled its console ring, QEMU its disk rings). For now the device opens, so
 * that libxengnttab, and the daemons that open it when they begin, get going; every
 * ioctl is -ENOTTY: SET_MAX_GRANTS is that on Linux 6.1 too, and libxengnttab accepts it.
 * Only CAP_SYS_ADMIN may open it.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>

#include "dom0.h"

static int gntdev_open(struct inode *inode, struct file *file)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static long gntdev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations gntdev_fops = {
	.owner = THIS_MODULE,
	.open = gntdev_open,
	.unlocked_ioctl = gntdev_ioctl,
	.llseek = noop_llseek,
};

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
