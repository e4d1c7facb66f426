/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Can kxen run on this machine, and with which backend? The facts are read from the
 * hardware by cpu.c; the decision and its one-line explanation are pure logic here.
 */
#ifndef KXEN_ARCH_X86_DETECT_H
#define KXEN_ARCH_X86_DETECT_H

#include <kxen/types.h>

enum kxen_vendor { KXEN_VENDOR_OTHER, KXEN_VENDOR_AMD, KXEN_VENDOR_INTEL };

struct kxen_cpu_facts {
	enum kxen_vendor vendor;
	bool xen_guest;		/* this kernel itself runs on Xen */
	/* AMD */
	bool svm;		/* CPUID 0x80000001 ECX[2] */
	bool npt;		/* CPUID 0x8000000a EDX[0] */
	u64 vm_cr;		/* MSR VM_CR */
	/* Intel */
	bool vmx;		/* CPUID 1 ECX[5] */
	u64 feat_ctl;		/* MSR IA32_FEATURE_CONTROL */
	u32 procbased_allowed1;	/* high half of IA32_VMX_PROCBASED_CTLS */
	u32 procbased2_allowed1; /* high half of IA32_VMX_PROCBASED_CTLS2 */
	/* Another hypervisor is in SVM/VMX operation on this CPU (-1: none). */
	int busy_cpu;
	/* Which backends this build of kxen has (Kconfig). */
	bool have_svm_backend;
	bool have_vmx_backend;
};

/* Architectural bits the decision reads. */
#define KXEN_VM_CR_SVMDIS		BIT(4)
#define KXEN_FEAT_CTL_LOCKED		BIT(0)
#define KXEN_FEAT_CTL_VMX_OUTSIDE_SMX	BIT(2)
#define KXEN_PROCBASED_SECONDARY	BIT(31)
#define KXEN_PROCBASED2_EPT		BIT(1)
#define KXEN_PROCBASED2_UNRESTRICTED	BIT(7)

enum kxen_verdict {
	KXEN_RUN_SVM,
	KXEN_RUN_VMX,
	KXEN_NO_VIRT,		/* neither SVM nor VMX in CPUID */
	KXEN_XEN_GUEST,		/* running on Xen already */
	KXEN_SVM_DISABLED,	/* VM_CR.SVMDIS: firmware turned it off */
	KXEN_VMX_DISABLED,	/* FEATURE_CONTROL: firmware turned it off */
	KXEN_NO_NPT,
	KXEN_NO_EPT,
	KXEN_NO_UNRESTRICTED,
	KXEN_SVM_BUSY,		/* EFER.SVME already set: another hypervisor */
	KXEN_VMX_BUSY,		/* CR4.VMXE already set: another hypervisor */
	KXEN_NO_BACKEND,	/* the hardware is fine, this build lacks its backend */
};

enum kxen_verdict kxen_verdict(const struct kxen_cpu_facts *f);
bool kxen_verdict_runs(enum kxen_verdict v);
int kxen_verdict_errno(enum kxen_verdict v);
/* One line, no newline, saying why kxen cannot run (or what it runs on). */
int kxen_verdict_explain(enum kxen_verdict v, const struct kxen_cpu_facts *f,
			 char *buf, size_t len);

#endif
