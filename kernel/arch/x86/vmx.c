// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel VMX backend. For now: entering and leaving VMX root operation on one CPU.
 * VMXON needs CR4.VMXE set and a page (the VMXON region) stamped with the VMCS
 * revision identifier from IA32_VMX_BASIC.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>

#include "arch.h"
#include "vmx_insn.h"

static int vmx_cpu_on(struct page *vmxon_region)
{
	unsigned long flags;
	u64 pa = page_to_phys(vmxon_region);
	int ret = 0;
	u64 basic;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	*(u32 *)page_address(vmxon_region) = basic & 0x7fffffff;

	local_irq_save(flags);
	if (__read_cr4() & X86_CR4_VMXE) {
		ret = -EBUSY;	/* KVM, or another hypervisor, is in VMX operation */
	} else {
		cr4_set_bits_irqsoff(X86_CR4_VMXE);
		ret = kxen_vmxon(&pa);
		if (ret)
			cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	}
	local_irq_restore(flags);
	return ret;
}

static void vmx_cpu_off(void)
{
	unsigned long flags;

	local_irq_save(flags);
	if (kxen_vmxoff())
		pr_err("VMXOFF faulted on CPU %d\n", smp_processor_id());
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	local_irq_restore(flags);
}

const struct kxen_backend kxen_vmx_backend = {
	.name = "Intel VMX",
	.cpu_on = vmx_cpu_on,
	.cpu_off = vmx_cpu_off,
};
