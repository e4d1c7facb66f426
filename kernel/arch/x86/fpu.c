// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's FPU, SSE and AVX registers. A vcpu is a kernel thread, and Linux does
 * not keep FPU state for kernel threads across a context switch. So the guest's state
 * lives in a buffer of the vcpu's, loaded just before each guest run and saved just
 * after, inside kernel_fpu_begin()/end() (which first saves whatever user task's state
 * the registers held).
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/types.h>
#include <asm/processor-flags.h>

#include <kxen/public/hvm_save.h>
#include "../../core/domain.h"
#include "fpu.h"
#include "x86.h"

#define MXCSR_OFFSET		24
#define FXSAVE_SIZE		512

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
	v->arch.fpu_area = alloc_pages_exact(area_size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!v->arch.fpu_area)
		return -ENOMEM;
	kxen_fpu_set_fxsave(v, NULL);
	return 0;
}

void kxen_fpu_set_fxsave(struct kxen_vcpu *v, const u8 *fx)
{
	memset(v->arch.fpu_area, 0, area_size);
	v->arch.xcr0 = XFEATURE_MASK_FP;
	v->arch.xcr0_accum = XFEATURE_MASK_FPSSE;	/* the FXSAVE image holds SSE too */
	if (!fx) {
		/* Everything in its initial state; MXCSR as after RESET (exceptions masked). */
		*(u32 *)(v->arch.fpu_area + MXCSR_OFFSET) = 0x1f80;
		return;
	}
	memcpy(v->arch.fpu_area, fx, FXSAVE_SIZE);
	/* XSAVE's header: x87 and SSE state as given, the rest initial. */
	if (kxen_host_xcr0)
		*(u64 *)(v->arch.fpu_area + FXSAVE_SIZE) = XFEATURE_MASK_FPSSE;
}

void kxen_fpu_get_fxsave(struct kxen_vcpu *v, u8 *fx)
{
	memcpy(fx, v->arch.fpu_area, FXSAVE_SIZE);
}

#define XSAVE_AREA_AT	offsetof(struct hvm_hw_cpu_xsave, save_area)

u32 kxen_fpu_xsave_len(struct kxen_vcpu *v)
{
	if (!kxen_host_xcr0)
		return 0;
	return XSAVE_AREA_AT + kxen_x86_xsave_size(v->arch.xcr0_accum | v->arch.xcr0);
}

u32 kxen_fpu_xsave_max_len(void)
{
	return kxen_host_xcr0 ? XSAVE_AREA_AT + kxen_x86_xsave_size(kxen_guest_xcr0) : 0;
}

/*
 * fpu_area is in XSAVE's standard form already, holding every component the host has:
 * the record takes those the guest's XCR0 has had. With the domain paused.
 */
void kxen_fpu_get_xsave(struct kxen_vcpu *v, struct hvm_hw_cpu_xsave *x, u32 len)
{
	u64 accum = v->arch.xcr0_accum | v->arch.xcr0;

	/* Through a byte pointer: the area runs past save_area's declared size. */
	memcpy((u8 *)x + XSAVE_AREA_AT, v->arch.fpu_area, len - XSAVE_AREA_AT);
	x->xfeature_mask = kxen_guest_xcr0;
	x->xcr0 = v->arch.xcr0;
	x->xcr0_accum = accum;
	x->save_area.xsave_hdr.xstate_bv &= accum;
	x->save_area.xsave_hdr.xcomp_bv = 0;
	memset(x->save_area.xsave_hdr.reserved, 0, sizeof(x->save_area.xsave_hdr.reserved));
}

/*
 * Xen's validate_xstate() and its length checks, and one of kxen's own: kxen's XRSTOR
 * (kxen_fpu_load) must not fault in the host, so no MXCSR with reserved bits either.
 */
int kxen_fpu_check_xsave(const struct hvm_hw_cpu_xsave *x, u32 len)
{
	const struct hvm_hw_cpu_xsave_hdr *h = &x->save_area.xsave_hdr;
	u32 need, i;

	if (!kxen_host_xcr0)
		return -EOPNOTSUPP;	/* saved on a host with XSAVE, this one has none */
	if (len < sizeof(*x))
		return -EINVAL;
	if ((h->xstate_bv & ~x->xcr0_accum) || (x->xcr0 & ~x->xcr0_accum) ||
	    !kxen_x86_xcr0_valid(x->xcr0) || !kxen_x86_xcr0_valid(x->xcr0_accum))
		return -EINVAL;
	if (h->xcomp_bv)
		return -EOPNOTSUPP;
	for (i = 0; i < ARRAY_SIZE(h->reserved); i++)
		if (h->reserved[i])
			return -EIO;
	if (*(u32 *)(x->save_area.fpu_sse + MXCSR_OFFSET) >> 16)
		return -EINVAL;
	need = XSAVE_AREA_AT + kxen_x86_xsave_size(x->xcr0_accum);
	if (len < need)
		return -EOPNOTSUPP;
	/* Older Xens sent longer records than needed, with zeros after. */
	for (i = need; i < len; i++)
		if (((const u8 *)x)[i])
			return -EOPNOTSUPP;
	return 0;
}

/* On v's thread, after its CPU record's FXSAVE image: the rest, and XCR0. */
void kxen_fpu_set_xsave(struct kxen_vcpu *v, const struct hvm_hw_cpu_xsave *x)
{
	memset(v->arch.fpu_area, 0, area_size);
	memcpy(v->arch.fpu_area, (const u8 *)x + XSAVE_AREA_AT,
	       kxen_x86_xsave_size(x->xcr0_accum));
	v->arch.xcr0 = x->xcr0;
	v->arch.xcr0_accum = x->xcr0_accum;
}

void kxen_fpu_vcpu_free(struct kxen_vcpu *v)
{
	free_pages_exact(v->arch.fpu_area, area_size);
}

/*
 * The state goes in and out under the host's XCR0, so every component the CPU has is
 * kept, whatever the guest enabled: a guest with CR4.OSXSAVE and XCR0 = x87 still uses
 * its SSE registers. The guest's own XCR0 is in force only while it runs.
 */
void kxen_fpu_load(struct kxen_vcpu *v, u64 guest_cr4)
{
	kernel_fpu_begin();
	if (!kxen_host_xcr0) {
		asm volatile("fxrstor64 %0" : : "m"(*(char *)v->arch.fpu_area));
		return;
	}
	asm volatile("xrstor64 (%0)" : : "D"(v->arch.fpu_area), "a"(-1), "d"(-1) : "memory");
	v->arch.fpu_xcr0 = guest_cr4 & X86_CR4_OSXSAVE ? v->arch.xcr0 : kxen_host_xcr0;
	if (v->arch.fpu_xcr0 != kxen_host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, v->arch.fpu_xcr0);
}

void kxen_fpu_save(struct kxen_vcpu *v)
{
	u64 now;

	if (!kxen_host_xcr0) {
		asm volatile("fxsave64 %0" : "=m"(*(char *)v->arch.fpu_area));
		kernel_fpu_end();
		return;
	}
	/*
	 * Some CPUs (QEMU's) let a guest's XSETBV through without the intercept: keep
	 * what the guest set. The host gets its own XCR0 back before anything else.
	 */
	now = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	if (now != v->arch.fpu_xcr0) {
		v->arch.xcr0 = now;
		v->arch.xcr0_accum |= now;
	}
	if (now != kxen_host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, kxen_host_xcr0);
	asm volatile("xsave64 (%0)" : : "D"(v->arch.fpu_area), "a"(-1), "d"(-1) : "memory");
	kernel_fpu_end();
}
