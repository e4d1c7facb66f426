// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel VMX backend. For now: entering and leaving VMX root operation on one CPU.
 * VMXON needs CR4.VMXE set and a page (the VMXON region) stamped with the VMCS
 * revision identifier from IA32_VMX_BASIC.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>

#include "arch.h"

/* VMXON either faults (#UD, #GP: caught by the exception table) or sets CF/ZF on failure. */
static int vmxon(u64 pa)
{
	asm goto("1: vmxon %[pa]\n\t"
		  "jna %l[fail]\n\t"
		  _ASM_EXTABLE(1b, %l[fault])
		  : : [pa] "m" (pa) : "cc", "memory" : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

static void vmxoff(void)
{
	asm goto("1: vmxoff\n\t"
		  _ASM_EXTABLE(1b, %l[fault])
		  : : : "cc", "memory" : fault);
	return;
fault:
	pr_err("VMXOFF faulted on CPU %d\n", smp_processor_id());
}

static int vmx_cpu_on(struct page *vmxon_region)
{
	unsigned long flags;
	int ret = 0;
	u64 basic;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	*(u32 *)page_address(vmxon_region) = basic & 0x7fffffff;

	local_irq_save(flags);
	if (__read_cr4() & X86_CR4_VMXE) {
		ret = -EBUSY;	/* KVM, or another hypervisor, is in VMX operation */
	} else {
		cr4_set_bits_irqsoff(X86_CR4_VMXE);
		ret = vmxon(page_to_phys(vmxon_region));
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
	vmxoff();
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	local_irq_restore(flags);
}

const struct kxen_backend kxen_vmx_backend = {
	.name = "Intel VMX",
	.cpu_on = vmx_cpu_on,
	.cpu_off = vmx_cpu_off,
};
