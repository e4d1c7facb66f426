/* SPDX-License-Identifier: GPL-2.0 */
/* What dom0 userspace sees of kxen, as Linux's Xen drivers show it on real Xen. */
#ifndef KXEN_DOM0_H
#define KXEN_DOM0_H

#include <linux/proc_fs.h>
#include <xen/interface/xen.h>

int kxen_sys_hypervisor_init(void);
void kxen_sys_hypervisor_exit(void);
int kxen_proc_xen_init(void);
void kxen_proc_xen_exit(void);
int kxen_privcmd_init(void);
void kxen_privcmd_exit(void);
extern const struct proc_ops kxen_privcmd_proc_ops;
/* Foreign mappings through privcmd (foreign.c). */
struct file;
struct vm_area_struct;
int kxen_privcmd_mmap(struct file *file, struct vm_area_struct *vma);
long kxen_privcmd_mmapbatch(void __user *uarg, domid_t restricted);
long kxen_privcmd_mmap_resource(void __user *uarg, domid_t restricted);
int kxen_evtchn_dev_init(void);
void kxen_evtchn_dev_exit(void);
int kxen_gntdev_init(void);
/* IOCTL_GNTDEV_GRANT_COPY (gntdev_copy.c). */
long kxen_gntdev_grant_copy(void __user *uarg);
void kxen_gntdev_exit(void);

#endif
