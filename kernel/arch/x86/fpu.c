// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's FPU, SSE and AVX registers. A vcpu is a kernel thread, and Linux does
 * not keep FPU state for kernel threads across a context switch. So the guest's state
 * lives in a buffer of the vcpu's, loaded just before each guest run and saved just
 * after, inside kernel_fpu_begin()/end() (which first saves whatever user task's state
 * the registers held). XSAVE runs under the guest's XCR0, so exactly the guest's
 * components go in and out; the host gets its XCR0 back before anything else.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/types.h>
#include <asm/processor-flags.h>

#include "../../core/domain.h"
#include "fpu.h"
#include "x86.h"

#define XSTATE_BV_OFFSET	512
#define MXCSR_OFFSET		24

static unsigned int area_size;

int kxen_fpu_init(void)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		area_size = PAGE_ALIGN(cpuid_ecx(0xd));	/* every feature the CPU has */
	else
		area_size = PAGE_SIZE;			/* FXSAVE's 512 bytes */
	return 0;
}

int kxen_fpu_vcpu_init(struct kxen_vcpu *v)
{
	v->fpu_area = alloc_pages_exact(area_size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!v->fpu_area)
		return -ENOMEM;
	/* Everything in its initial state; MXCSR as after RESET (exceptions masked). */
	*(u32 *)(v->fpu_area + MXCSR_OFFSET) = 0x1f80;
	v->xcr0 = XFEATURE_MASK_FP;
	return 0;
}

void kxen_fpu_vcpu_free(struct kxen_vcpu *v)
{
	free_pages_exact(v->fpu_area, area_size);
}

/* The XCR0 the guest's state is saved under: its own, or x87+SSE before OSXSAVE. */
static u64 guest_xcr0(struct kxen_vcpu *v, u64 cr4)
{
	return cr4 & X86_CR4_OSXSAVE ? v->xcr0 : XFEATURE_MASK_FP | XFEATURE_MASK_SSE;
}

void kxen_fpu_load(struct kxen_vcpu *v, u64 guest_cr4)
{
	kernel_fpu_begin();
	if (!kxen_host_xcr0) {
		asm volatile("fxrstor64 %0" : : "m"(*(char *)v->fpu_area));
		return;
	}
	v->fpu_xcr0 = guest_xcr0(v, guest_cr4);
	if (v->fpu_xcr0 != kxen_host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, v->fpu_xcr0);
	/* Components the guest has since disabled may not be restored. */
	*(u64 *)(v->fpu_area + XSTATE_BV_OFFSET) &= v->fpu_xcr0;
	asm volatile("xrstor64 (%0)" : : "D"(v->fpu_area), "a"(-1), "d"(-1) : "memory");
}

void kxen_fpu_save(struct kxen_vcpu *v)
{
	u64 now;

	if (!kxen_host_xcr0) {
		asm volatile("fxsave64 %0" : "=m"(*(char *)v->fpu_area));
		kernel_fpu_end();
		return;
	}
	/*
	 * Some CPUs (QEMU's) let a guest's XSETBV through without the intercept: keep
	 * what the guest set, save under it, and give the host its own XCR0 back.
	 */
	now = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	if (now != v->fpu_xcr0)
		v->xcr0 = now;
	asm volatile("xsave64 (%0)" : : "D"(v->fpu_area), "a"(-1), "d"(-1) : "memory");
	if (now != kxen_host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, kxen_host_xcr0);
	kernel_fpu_end();
}
