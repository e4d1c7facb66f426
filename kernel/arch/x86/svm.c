// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD SVM backend. For now: entering and leaving SVM operation on one CPU.
 * EFER.SVME makes VMRUN legal; VM_HSAVE_PA names the page where VMRUN saves the host
 * state it needs on #VMEXIT.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/msr.h>

#include "arch.h"

static int svm_cpu_on(struct page *hsave)
{
	unsigned long flags;
	int ret = 0;
	u64 efer;

	local_irq_save(flags);
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		ret = -EBUSY;	/* KVM, or another hypervisor, is using SVM here */
	} else {
		wrmsrl(MSR_EFER, efer | EFER_SVME);
		wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(hsave));
	}
	local_irq_restore(flags);
	return ret;
}

static void svm_cpu_off(void)
{
	unsigned long flags;
	u64 efer;

	local_irq_save(flags);
	wrmsrl(MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	local_irq_restore(flags);
}

const struct kxen_backend kxen_svm_backend = {
	.name = "AMD SVM",
	.cpu_on = svm_cpu_on,
	.cpu_off = svm_cpu_off,
};
