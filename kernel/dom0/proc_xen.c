// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/xen, which xenfs provides on real Xen. Debian's init script mounts xenfs there
 * unless /proc/xen/capabilities already exists, and then requires "control_d" in it:
 * the mark of the control domain. libvirt checks the same file. The kernel's xenfs
 * registers nothing when the kernel is not a Xen guest, so kxen makes the directory
 * in procfs itself. privcmd here is /dev/xen/privcmd again (dom0/privcmd.c), where the
 * Xen libraries look when /dev/xen has none; root's only, as xenfs makes it.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "dom0.h"

static struct proc_dir_entry *proc_xen;

static int capabilities_show(struct seq_file *m, void *v)
{
	seq_puts(m, "control_d\n");
	return 0;
}

int kxen_proc_xen_init(void)
{
	proc_xen = proc_mkdir("xen", NULL);
	if (!proc_xen) {
		pr_err("cannot create /proc/xen (does it exist already?)\n");
		return -EEXIST;
	}
	if (!proc_create_single("capabilities", 0444, proc_xen, capabilities_show) ||
	    !proc_create("privcmd", 0600, proc_xen, &kxen_privcmd_proc_ops)) {
		proc_remove(proc_xen);
		return -ENOMEM;
	}
	return 0;
}

void kxen_proc_xen_exit(void)
{
	proc_remove(proc_xen);
}
