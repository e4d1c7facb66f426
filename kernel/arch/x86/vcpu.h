/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a vcpu is on x86, beyond what every vcpu has (core/domain.h): the registers
 * the hardware does not keep for us, the backend's own state, the FPU, the TLB tag,
 * the local APIC. A vcpu holds it as v->arch, as KVM's does.
 */
#ifndef KXEN_ARCH_X86_VCPU_H
#define KXEN_ARCH_X86_VCPU_H

#include <linux/types.h>
#include <kxen/public/hvm_save.h>

#include "lapic.h"
#include "regs.h"

struct kxen_vcpu_arch {
	/* General-purpose registers that VMRUN/VMLAUNCH do not save (regs.h). */
	struct kxen_gprs gprs;
	/* The backend's per-vcpu state: svm.c's VMCB and pages, vmx.c's VMCS. */
	void *backend;
	void *fpu_area;			/* the guest's XSAVE area (fpu.c) */
	u64 xcr0;			/* the guest's XCR0 */
	u64 xcr0_accum;			/* every feature its XCR0 has had since reset */
	u64 fpu_xcr0;			/* the XCR0 of this run's XRSTOR */
	u64 debugctl;			/* MSR_IA32_DEBUGCTLMSR as the guest wrote it (msr.c) */
	/* Which CPU it last ran on, and its TLB tag there (ASID or VPID). */
	int last_cpu;
	u32 asid;
	u64 asid_generation;
	bool tlb_flush;			/* the domain's p2m lost a mapping since the last entry */
	struct kxen_lapic lapic;
	bool nmi_pending;
	struct hvm_hw_mtrr mtrr;	/* as the toolstack last set it */
};

#endif
