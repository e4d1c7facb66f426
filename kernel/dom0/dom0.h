/* SPDX-License-Identifier: GPL-2.0 */
/* What dom0 userspace sees of kxen, as Linux's Xen drivers show it on real Xen. */
#ifndef KXEN_DOM0_H
#define KXEN_DOM0_H

#include <linux/proc_fs.h>

int kxen_sys_hypervisor_init(void);
void kxen_sys_hypervisor_exit(void);
int kxen_proc_xen_init(void);
void kxen_proc_xen_exit(void);
int kxen_privcmd_init(void);
void kxen_privcmd_exit(void);
extern const struct proc_ops kxen_privcmd_proc_ops;
int kxen_evtchn_dev_init(void);
void kxen_evtchn_dev_exit(void);
int kxen_gntdev_init(void);
void kxen_gntdev_exit(void);

#endif
