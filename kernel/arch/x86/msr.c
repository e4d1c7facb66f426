// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs that exit and that the backend does not keep in its own state (EFER and PAT
 * live in the VMCB/VMCS; the SYSCALL, SYSENTER and segment-base MSRs pass straight
 * through). What is not here raises #GP, as Xen 4.17 does for an MSR it does not
 * know; Linux probes the optional ones with rdmsr_safe.
 */
#include <linux/errno.h>
#include <asm/apicdef.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "../../core/domain.h"
#include "arch.h"
#include "lapic.h"
#include "x86.h"

#define MSR_XEN_HYPERCALL_PAGE	0x40000000

static bool intel(void)
{
	return boot_cpu_data.x86_vendor == X86_VENDOR_INTEL;
}

/*
 * DEBUGCTL: LBR and BTF, the bits Xen 4.17 lets any guest write (vmx.c there; the
 * BTS bits need its vPMU, RTM a CPUID kxen does not offer). kxen keeps the value for
 * the guest to read back and never loads it (VMX enters with DEBUGCTL clear; SVM
 * without LBR virtualisation leaves the CPU's as it is, as Xen on AMD does), so the
 * guest gets no branch records and BTF steps as TF does. Other bits are #GP as on
 * Xen's Intel side; Xen 4.17 on AMD takes any value and leaves the CPU to refuse it
 * at the next VMRUN.
 */
#define DEBUGCTL_VALID	(DEBUGCTLMSR_LBR | DEBUGCTLMSR_BTF)

int kxen_x86_rdmsr(struct kxen_vcpu *v, u32 index, u64 *value)
{
	switch (index) {
	case MSR_IA32_DEBUGCTLMSR:
		*value = v->arch.debugctl;
		return 0;
	case MSR_IA32_TSC:
		*value = rdtsc();
		return 0;
	case MSR_IA32_APICBASE:
	case 0x800 ... 0x8ff:		/* x2APIC */
		return kxen_lapic_rdmsr(v, index, value);
	case MSR_IA32_UCODE_REV:	/* also AMD's patch level */
		*value = 0;
		return 0;
	case MSR_IA32_PLATFORM_ID:
	case MSR_IA32_FEAT_CTL:
		if (!intel())
			break;
		/* Locked, VMX off: no nested virtualization here. */
		*value = index == MSR_IA32_FEAT_CTL ? FEAT_CTL_LOCKED : 0;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		if (!intel())
			break;
		*value = MSR_IA32_MISC_ENABLE_FAST_STRING | MSR_IA32_MISC_ENABLE_BTS_UNAVAIL |
			 MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL;
		return 0;
	case MSR_XEN_HYPERCALL_PAGE:
		*value = 0;	/* write-only; reads as zero on Xen */
		return 0;
	case MSR_AMD64_OSVW_ID_LENGTH:
	case MSR_AMD64_OSVW_STATUS:
		if (intel())
			break;
		/*
		 * As Xen: errata 400 and 415 (C1E, I/O) are fixed for a guest whose HLT
		 * and I/O instructions exit; the rest as the host has them.
		 */
		if (index == MSR_AMD64_OSVW_ID_LENGTH) {
			if (!boot_cpu_has(X86_FEATURE_OSVW) ||
			    rdmsrl_safe(MSR_AMD64_OSVW_ID_LENGTH, value))
				*value = 0;
			*value = max_t(u64, *value, 3);
		} else {
			if (!boot_cpu_has(X86_FEATURE_OSVW) ||
			    rdmsrl_safe(MSR_AMD64_OSVW_STATUS, value))
				*value = 0;
			*value &= ~6ULL;
		}
		return 0;
	}
	return -EINVAL;
}

int kxen_x86_wrmsr(struct kxen_vcpu *v, u32 index, u64 value)
{
	switch (index) {
	case MSR_IA32_DEBUGCTLMSR:
		if (value & ~DEBUGCTL_VALID)
			return -EINVAL;
		v->arch.debugctl = value;
		return 0;
	case MSR_IA32_TSC:
		return 0;	/* kxen keeps the host's TSC; writes are ignored */
	case MSR_IA32_UCODE_REV:
		return 0;	/* Linux writes 0 before reading the revision */
	case MSR_IA32_APICBASE:
	case 0x800 ... 0x8ff:		/* x2APIC */
		return kxen_lapic_wrmsr(v, index, value);
	case MSR_XEN_HYPERCALL_PAGE:
		/* The low 12 bits pick a page; Xen has one. */
		if (value & ~PAGE_MASK)
			return -EINVAL;
		return kxen_hypercall_page_write(v, value);
	}
	return -EINVAL;
}

bool kxen_x86_pat_valid(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u8 type = pat >> (8 * i);

		if (type > 7 || type == 2 || type == 3)
			return false;
	}
	return true;
}

int kxen_x86_efer(u64 efer, u64 cr0, u64 value, u64 *out)
{
	if (value & ~(u64)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX))
		return -EINVAL;
	if ((value & EFER_NX) && !boot_cpu_has(X86_FEATURE_NX))
		return -EINVAL;
	/* LME may not change while paging is on; LMA is the CPU's to set. */
	if ((cr0 & X86_CR0_PG) && ((value ^ efer) & EFER_LME))
		return -EINVAL;
	*out = (value & ~(u64)EFER_LMA) | (efer & EFER_LMA);
	return 0;
}
