// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/xen, which xenfs provides on real Xen. Debian's init script mounts xenfs there
 * unless /proc/xen/capabilities already exists, and then requires "control_d" in it:
 * the mark of the control domain. libvirt checks the same file. The kernel's xenfs
 * registers nothing when the kernel is not a Xen guest, so kxen makes the directory
 * in procfs itself. privcmd here is /dev/xen/privcmd again (dom0/privcmd.c), where the
 * Xen libraries look when /dev/xen has none; root's only, as xenfs makes it.
 *
 * xsd_kva and xsd_port are dom0's own xenstore ring: a page (mmap it) and a port of
 * dom0's, unbound and waiting for dom0, that xenstored binds at start. On Xen, dom0's
 * kernel makes both for its xenbus; here nothing in the kernel talks on that ring yet.
 */
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "../core/domain.h"
#include "../xen/event_channel.h"
#include "dom0.h"

static struct proc_dir_entry *proc_xen;
static struct page *xsd_page;
static int xsd_port;

static int capabilities_show(struct seq_file *m, void *v)
{
	seq_puts(m, "control_d\n");
	return 0;
}

static int xsd_port_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d", xsd_port);
	return 0;
}

static int xsd_kva_show(struct seq_file *m, void *v)
{
	seq_printf(m, "0x%p", page_address(xsd_page));
	return 0;
}

static int xsd_kva_open(struct inode *inode, struct file *file)
{
	return single_open(file, xsd_kva_show, NULL);
}

/* One page, shared and writable: xenstored's end of dom0's store ring. */
static int xsd_kva_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	return vm_insert_page(vma, vma->vm_start, xsd_page);
}

static const struct proc_ops xsd_kva_ops = {
	.proc_open = xsd_kva_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_mmap = xsd_kva_mmap,
};

int kxen_proc_xen_init(void)
{
	struct kxen_domain *d0;

	proc_xen = proc_mkdir("xen", NULL);
	if (!proc_xen) {
		pr_err("cannot create /proc/xen (does it exist already?)\n");
		return -EEXIST;
	}
	xsd_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	d0 = kxen_domain_get(0);
	xsd_port = kxen_evtchn_alloc_unbound(d0, 0);
	kxen_domain_put(d0);
	if (!xsd_page || xsd_port < 0 ||
	    !proc_create_single("capabilities", 0444, proc_xen, capabilities_show) ||
	    !proc_create("privcmd", 0600, proc_xen, &kxen_privcmd_proc_ops) ||
	    !proc_create_single("xsd_port", 0400, proc_xen, xsd_port_show) ||
	    !proc_create("xsd_kva", 0600, proc_xen, &xsd_kva_ops)) {
		kxen_proc_xen_exit();
		return -ENOMEM;
	}
	return 0;
}

void kxen_proc_xen_exit(void)
{
	proc_remove(proc_xen);
	if (xsd_page)
		__free_page(xsd_page);
	xsd_page = NULL;
}
