// SPDX-License-Identifier: GPL-2.0
/*
 * kxen: a Xen-compatible hypervisor in a loadable module. Loading it turns the running
 * Linux into Xen's dom0; unloading it gives the machine back.
 *
 * Start here. Init runs in the order a reader should: first find out whether this CPU
 * can host guests at all (arch/x86/), then show dom0 userspace the files that Debian's
 * Xen tools check before anything else (dom0/). Exit undoes it in reverse.
 */
#include <linux/module.h>

#include <kxen/xen_version.h>
#include "arch/x86/arch.h"
#include "arch/x86/x86.h"
#include "core/domain.h"
#include "dom0/dom0.h"

static int __init kxen_init(void)
{
	int err;

	err = kxen_console_init();
	if (err)
		return err;
	err = kxen_arch_init();
	if (err)
		goto out_console;
	err = kxen_x86_init();
	if (!err)
		err = kxen_time_init();
	if (err)
		goto out_arch;
	err = kxen_dom0_init();
	if (err)
		goto out_arch;
	err = kxen_sys_hypervisor_init();
	if (err)
		goto out_dom0;
	err = kxen_proc_xen_init();
	if (err)
		goto out_sys;
	err = kxen_privcmd_init();
	if (err)
		goto out_proc;
	err = kxen_evtchn_dev_init();
	if (err)
		goto out_privcmd;
	err = kxen_gntdev_init();
	if (err)
		goto out_evtchn;

	pr_info("Xen %d.%d%s ABI on %s\n", KXEN_XEN_MAJOR, KXEN_XEN_MINOR,
		KXEN_XEN_EXTRA, kxen_arch_describe());
	kxen_console_printf("(XEN) Xen version %d.%d%s (kxen) on %s\n", KXEN_XEN_MAJOR,
			    KXEN_XEN_MINOR, KXEN_XEN_EXTRA, kxen_arch_describe());
	return 0;

out_evtchn:
	kxen_evtchn_dev_exit();
out_privcmd:
	kxen_privcmd_exit();
out_proc:
	kxen_proc_xen_exit();
out_sys:
	kxen_sys_hypervisor_exit();
out_dom0:
	kxen_dom0_exit();
out_arch:
	kxen_arch_exit();
out_console:
	kxen_console_exit();
	return err;
}

static void __exit kxen_exit(void)
{
	/* Domains still running die with the module, as they would with the machine. */
	kxen_domains_destroy_all();
	kxen_gntdev_exit();
	kxen_evtchn_dev_exit();
	kxen_privcmd_exit();
	kxen_proc_xen_exit();
	kxen_sys_hypervisor_exit();
	kxen_dom0_exit();
	kxen_arch_exit();
	kxen_console_exit();
	pr_info("unloaded\n");
}

module_init(kxen_init);
module_exit(kxen_exit);

MODULE_DESCRIPTION("kxen: a Xen-compatible hypervisor as a loadable module");
MODULE_LICENSE("GPL");
