// SPDX-License-Identifier: GPL-2.0
/*
 * The CPUID a guest sees: the host's, less what kxen does not virtualize, plus Xen's
 * leaves at 0x40000000 (public/arch-x86/cpuid.h), with Xen 4.17's values. Every
 * CPUID exits, so this is also where a vcpu learns its APIC ID (2 x vcpu id, as Xen
 * numbers them and libxl's MADT lists them).
 */
#include <linux/slab.h>
#include <linux/types.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/xstate.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/tsc.h>

#include <kxen/public/domctl.h>
#include <kxen/xen_version.h>
#include "../../core/domain.h"
#include "arch.h"
#include "cpuid.h"
#include "fpu.h"
#include "x86.h"

#define XEN_CPUID_BASE		0x40000000
#define XEN_CPUID_LIMIT		(XEN_CPUID_BASE + 5)
/* Leaf 4, eax: what Xen 4.17 sets for a PVH guest, less the per-vcpu upcall vector. */
#define XEN_HVM_CPUID_IOMMU_MAPPINGS	BIT(2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT	BIT(3)
#define XEN_HVM_CPUID_DOMID_PRESENT	BIT(4)

u64 kxen_host_xcr0;
u64 kxen_guest_xcr0;

int kxen_x86_init(void)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		kxen_host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	/*
	 * A guest's FPU buffer has room for the features every task has; AMX tiles need
	 * a larger one that Linux hands out on request only. Guests go without. They go
	 * without protection keys too: Linux's FPU switch leaves PKRU out, and kxen does
	 * not switch it either.
	 */
	kxen_guest_xcr0 = kxen_host_xcr0 & ~(XFEATURE_MASK_XTILE | XFEATURE_MASK_PKRU);
	kxen_x86_spec_init();
	return kxen_fpu_init();
}

static void xen_leaf(struct kxen_vcpu *v, u32 leaf, u32 sub, u32 *r)
{
	switch (leaf - XEN_CPUID_BASE) {
	case 0:
		r[0] = XEN_CPUID_LIMIT;
		r[1] = 0x566e6558;	/* "XenVMMXenVMM" */
		r[2] = 0x65584d4d;
		r[3] = 0x4d4d566e;
		break;
	case 1:
		r[0] = (KXEN_XEN_MAJOR << 16) | KXEN_XEN_MINOR;
		break;
	case 2:
		r[0] = 1;			/* hypercall pages */
		r[1] = XEN_CPUID_BASE;		/* the MSR that fills one */
		break;
	case 3:
		/* Time: native TSC (tsc_mode 0, no vtsc); its frequency in kHz. */
		if (sub == 0 || sub == 2)
			r[2] = tsc_khz;
		break;
	case 4:
		r[0] = XEN_HVM_CPUID_IOMMU_MAPPINGS | XEN_HVM_CPUID_VCPU_ID_PRESENT |
		       XEN_HVM_CPUID_DOMID_PRESENT;
		r[1] = v->id;
		r[2] = v->d->id;
		break;
	}
}

/* The standard-format XSAVE area size for the features in mask. */
u32 kxen_x86_xsave_size(u64 mask)
{
	u32 size = 512 + 64, a, b, c, d;
	unsigned int i;

	for (i = 2; i < 64; i++)
		if (mask & BIT_ULL(i)) {
			cpuid_count(0xd, i, &a, &b, &c, &d);
			size = max(size, a + b);
		}
	return size;
}

/* Leaf 0xD: only the guest's features, and sizes for its XCR0, not the host's. */
static void xsave_leaf(u64 xcr0, u32 sub, u32 *r)
{
	switch (sub) {
	case 0:
		r[0] = (u32)kxen_guest_xcr0;
		r[3] = kxen_guest_xcr0 >> 32;
		r[1] = kxen_x86_xsave_size(xcr0);
		r[2] = kxen_x86_xsave_size(kxen_guest_xcr0);
		break;
	case 1:
		/* No XSAVES (kxen has no IA32_XSS) and no XFD. */
		r[0] &= ~(BIT(3) | BIT(4));
		r[1] = kxen_x86_xsave_size(xcr0);
		r[2] = r[3] = 0;
		break;
	default:
		if (sub >= 64 || !(kxen_guest_xcr0 & BIT_ULL(sub)))
			r[0] = r[1] = r[2] = r[3] = 0;
	}
}

/*
 * The host's leaf, with what the guest must not see taken out, for the vcpu with
 * that id, XCR0 and CR4.
 */
static void native_leaf(unsigned int id, u64 xcr0, u64 cr4, u32 leaf, u32 sub, u32 *r)
{
	cpuid_count(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
	switch (leaf) {
	case 1:
		r[1] = (r[1] & 0x00ffffff) | (2 * id) << 24;
		/* No MONITOR, DS-CPL, VMX, SMX, EST, TM2, PDCM, DCA, TSC deadline. */
		r[2] &= ~(BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(15) |
			  BIT(18) | BIT(24) | BIT(27));
		r[2] |= BIT(21) | BIT(31);	/* x2APIC (emulated), hypervisor */
		if ((r[2] & BIT(26)) && (cr4 & X86_CR4_OSXSAVE))
			r[2] |= BIT(27);	/* OSXSAVE follows the guest's CR4 */
		/* No MCE, MTRR, MCA, DS, ACPI thermal, TM, PBE. */
		r[3] &= ~(BIT(7) | BIT(12) | BIT(14) | BIT(21) | BIT(22) | BIT(29) | BIT(31));
		break;
	case 6:
		r[0] &= BIT(2);			/* only ARAT */
		r[1] = r[2] = r[3] = 0;
		break;
	case 7:
		if (sub != 0)
			break;
		/* No TSC_ADJUST (kxen has no such MSR), SGX, HLE, RTM, PQM, MPX, PQE, PT. */
		r[1] &= ~(BIT(1) | BIT(2) | BIT(4) | BIT(11) | BIT(12) | BIT(14) | BIT(15) |
			  BIT(25));
		/* No PKU/OSPKE, WAITPKG, CET-SS, LA57, RDPID, SGX-LC. */
		r[2] &= ~(BIT(3) | BIT(4) | BIT(5) | BIT(7) | BIT(16) | BIT(22) | BIT(30));
		/* No AMX (see kxen_guest_xcr0). */
		r[3] &= ~(BIT(22) | BIT(24) | BIT(25));
		/* No PCONFIG, CET-IBT, IBRS/IBPB, STIBP, L1D flush, ARCH/CORE_CAPS, SSBD. */
		r[3] &= ~(BIT(18) | BIT(20) | BIT(26) | BIT(27) | BIT(28) | BIT(29) | BIT(30) |
			  BIT(31));
		break;
	case 0xd:
		xsave_leaf(xcr0, sub, r);
		break;
	case 0xb:
	case 0x1f:
		r[3] = 2 * id;			/* x2APIC ID */
		break;
	case 5:	/* MONITOR/MWAIT */
	case 0xa:	/* performance counters */
	case 0xf: case 0x10:	/* RDT */
	case 0x12:	/* SGX */
	case 0x14:	/* Intel PT */
	case 0x8000000a:	/* SVM */
	case 0x8000001f:	/* SEV */
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	case 0x80000001:
		/* No SVM, SKINIT, WDT, LWP, core/NB/LLC counters, MWAITX. */
		r[2] &= ~(BIT(2) | BIT(12) | BIT(13) | BIT(15) | BIT(23) | BIT(24) | BIT(28) |
			  BIT(29));
		r[3] &= ~BIT(27);		/* no RDTSCP */
		/* OSVW, as Xen offers it on AMD: it says erratum 400 is fixed (msr.c). */
		if (boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		    boot_cpu_data.x86_vendor == X86_VENDOR_HYGON)
			r[2] |= BIT(9);
		break;
	case 0x80000007:
		r[0] = r[1] = r[2] = 0;
		r[3] &= BIT(8);			/* only the invariant TSC */
		break;
	case 0x80000008:
		/* No IBPB, IBRS, STIBP and their hints, SSBD, VIRT_SSBD. */
		r[1] &= ~(BIT(12) | BIT(14) | BIT(15) | BIT(16) | BIT(17) | BIT(18) | BIT(24) |
			  BIT(25));
		break;
	}
}

/*
 * The feature words a policy may restrict: leaf, subleaf (or XEN_CPUID_NO_SUBLEAF)
 * and register (0-3 for EAX-EDX). The rest of CPUID (topology, sizes, the vendor) is
 * kxen's alone.
 */
static const struct {
	u32 leaf, sub;
	u8 reg;
} words[KXEN_CPUID_NR_WORDS] = {
	{ 1, XEN_CPUID_NO_SUBLEAF, 2 }, { 1, XEN_CPUID_NO_SUBLEAF, 3 },
	{ 6, XEN_CPUID_NO_SUBLEAF, 0 }, { 7, 0, 1 }, { 7, 0, 2 }, { 7, 0, 3 }, { 7, 1, 0 },
	{ 0xd, 1, 0 }, { 0x80000001, XEN_CPUID_NO_SUBLEAF, 2 },
	{ 0x80000001, XEN_CPUID_NO_SUBLEAF, 3 }, { 0x80000007, XEN_CPUID_NO_SUBLEAF, 3 },
	{ 0x80000008, XEN_CPUID_NO_SUBLEAF, 1 },
};

/* Leaf 1 ECX: "hypervisor" stays. */
#define LEAF1_ECX_KEEP		BIT(31)

/* Xen's policy layout: the subleaves each leaf has (x86_cpuid_copy_from_buffer). */
static bool subleaf_ok(u32 leaf, u32 sub)
{
	switch (leaf) {
	case 4:
		return sub < 6;
	case 7:
		return sub < 3;
	case 0xb:
		return sub < 2;
	case 0xd:
		return sub < 63;
	case 0 ... 3:
	case 5 ... 6:
	case 8 ... 0xa:
	case 0xc:
	case XEN_CPUID_BASE:
	case XEN_CPUID_BASE + 0x100:
	case 0x80000000 ... 0x80000021:
		return sub == XEN_CPUID_NO_SUBLEAF;
	}
	return false;
}

static u64 cr4_valid(const struct kxen_cpuid_policy *p);

int kxen_cpuid_policy_set(struct kxen_cpuid_policy *p, const struct xen_cpuid_leaf *leaves,
			  unsigned int nr, u32 *err_leaf, u32 *err_subleaf)
{
	struct kxen_cpuid_policy new = {};
	unsigned int i, w;

	if (nr > KXEN_CPUID_MAX_LEAVES)
		return -E2BIG;
	for (i = 0; i < nr; i++) {
		const struct xen_cpuid_leaf *l = &leaves[i];
		const u32 r[4] = { l->a, l->b, l->c, l->d };

		if (!subleaf_ok(l->leaf, l->subleaf)) {
			*err_leaf = l->leaf;
			*err_subleaf = l->subleaf;
			return -ERANGE;
		}
		if (l->leaf == 0)
			new.basic_max = l->a;
		else if (l->leaf == 0x80000000)
			new.extd_max = l->a;
		for (w = 0; w < KXEN_CPUID_NR_WORDS; w++)
			if (words[w].leaf == l->leaf && words[w].sub == l->subleaf)
				new.mask[w] = r[words[w].reg];
	}
	new.cr4_valid = cr4_valid(&new);
	*p = new;
	return 0;
}

/* Apply d's policy to r, kxen's answer for leaf and sub. */
static void restrict_leaf(const struct kxen_cpuid_policy *p, u32 leaf, u32 sub, u32 *r)
{
	unsigned int w;

	if (leaf == 0 || leaf == 0x80000000)
		r[0] = min(r[0], leaf ? p->extd_max : p->basic_max);
	if (leaf < 0x80000000 ? leaf > p->basic_max : leaf > p->extd_max) {
		r[0] = r[1] = r[2] = r[3] = 0;
		return;
	}
	for (w = 0; w < KXEN_CPUID_NR_WORDS; w++)
		if (words[w].leaf == leaf &&
		    (words[w].sub == XEN_CPUID_NO_SUBLEAF || words[w].sub == sub))
			r[words[w].reg] &= p->mask[w] | (leaf == 1 && words[w].reg == 2 ?
							  LEAF1_ECX_KEEP : 0);
	/* No XSAVE, no OSXSAVE. */
	if (leaf == 1 && !(r[2] & BIT(26)))
		r[2] &= ~BIT(27);
}

/* Where a serialised policy goes, and the domain policy to apply on the way (or none). */
struct serial {
	struct xen_cpuid_leaf *out;
	unsigned int n, max;
	const struct kxen_cpuid_policy *p;
};

/* One leaf into the serialised policy, if there is room. */
static int put_leaf(struct serial *s, u32 leaf, u32 sub, const u32 *in)
{
	u32 r[4] = { in[0], in[1], in[2], in[3] };

	if (s->n >= s->max)
		return -ENOBUFS;
	if (s->p)
		restrict_leaf(s->p, leaf, sub == XEN_CPUID_NO_SUBLEAF ? 0 : sub, r);
	s->out[s->n++] = (struct xen_cpuid_leaf){ leaf, sub, r[0], r[1], r[2], r[3] };
	return 0;
}

/* What a vcpu would see, before any toolstack policy: vcpu 0, fresh from reset. */
static void fresh_leaf(u32 leaf, u32 sub, u32 *r)
{
	native_leaf(0, XFEATURE_MASK_FPSSE, 0, leaf, sub, r);
}

/*
 * The CR4 bits a guest with this policy may set: those whose feature its CPUID
 * offers, as Xen's hvm_cr4_guest_valid_bits() has it. No VMXE or SMXE (kxen offers
 * neither VMX nor SMX), no LA57 (Xen 4.17 never lets a guest change paging depth).
 */
static u64 cr4_valid(const struct kxen_cpuid_policy *p)
{
	u32 l1[4], l7[4];
	u64 v = X86_CR4_PCE;

	fresh_leaf(1, 0, l1);
	restrict_leaf(p, 1, 0, l1);
	fresh_leaf(7, 0, l7);
	restrict_leaf(p, 7, 0, l7);
	if (l1[3] & BIT(1))
		v |= X86_CR4_VME | X86_CR4_PVI;
	if (l1[3] & BIT(4))
		v |= X86_CR4_TSD;
	if (l1[3] & BIT(2))
		v |= X86_CR4_DE;
	if (l1[3] & BIT(3))
		v |= X86_CR4_PSE;
	if (l1[3] & BIT(6))
		v |= X86_CR4_PAE;
	if (l1[3] & (BIT(7) | BIT(14)))
		v |= X86_CR4_MCE;
	if (l1[3] & BIT(13))
		v |= X86_CR4_PGE;
	if (l1[3] & BIT(24))
		v |= X86_CR4_OSFXSR;
	if (l1[3] & BIT(25))
		v |= X86_CR4_OSXMMEXCPT;
	if (l1[2] & BIT(17))
		v |= X86_CR4_PCIDE;
	if (l1[2] & BIT(26))
		v |= X86_CR4_OSXSAVE;
	if (l7[1] & BIT(0))
		v |= X86_CR4_FSGSBASE;
	if (l7[1] & BIT(7))
		v |= X86_CR4_SMEP;
	if (l7[1] & BIT(20))
		v |= X86_CR4_SMAP;
	if (l7[2] & BIT(2))
		v |= X86_CR4_UMIP;
	if (l7[2] & BIT(3))
		v |= X86_CR4_PKE;
	if ((l7[2] & BIT(7)) || (l7[3] & BIT(20)))
		v |= X86_CR4_CET;
	return v;
}

void kxen_cpuid_policy_init(struct kxen_cpuid_policy *p)
{
	memset(p, 0xff, sizeof(*p));
	p->cr4_valid = cr4_valid(p);
}

bool kxen_cpuid_x2apic(const struct kxen_cpuid_policy *p)
{
	return p->mask[0] & BIT(21);	/* words[0]: leaf 1 ECX, whose bit 21 kxen sets */
}

int kxen_cpuid_policy_get(const struct kxen_cpuid_policy *p, struct xen_cpuid_leaf *out,
			  unsigned int max)
{
	struct serial s = { out, 0, max, p };
	u32 r[4], top[4], basic_max, extd_max, leaf, sub;
	const u32 zero[4] = {};
	u64 xstates;
	int err = 0;

	fresh_leaf(0, 0, top);
	basic_max = min(top[0], 0xdU);
	if (p)
		basic_max = min(basic_max, p->basic_max);
	for (leaf = 0; leaf <= basic_max && !err; leaf++) {
		switch (leaf) {
		case 4:		/* cache levels, up to the first empty one */
		case 0xb:	/* topology levels, likewise */
			for (sub = 0; sub < (leaf == 4 ? 6 : 2) && !err; sub++) {
				fresh_leaf(leaf, sub, r);
				err = put_leaf(&s, leaf, sub, r);
				if (leaf == 4 ? !(r[0] & 0x1f) : !(r[2] & 0xff00))
					break;
			}
			break;
		case 7:
			fresh_leaf(7, 0, top);
			for (sub = 0; sub <= min(top[0], 2U) && !err; sub++) {
				fresh_leaf(7, sub, r);
				err = put_leaf(&s, 7, sub, r);
			}
			break;
		case 0xd:
			fresh_leaf(0xd, 0, top);
			xstates = top[0] | (u64)top[3] << 32;
			for (sub = 0; sub < 63 && !err; sub++) {
				if (sub >= 2 && !(xstates >> sub))
					break;
				fresh_leaf(0xd, sub, r);
				err = put_leaf(&s, 0xd, sub, r);
			}
			break;
		default:
			fresh_leaf(leaf, 0, r);
			err = put_leaf(&s, leaf, XEN_CPUID_NO_SUBLEAF, r);
		}
	}
	/* Xen's two hypervisor-limit leaves, empty in its policies too. */
	if (!err)
		err = put_leaf(&s, XEN_CPUID_BASE, XEN_CPUID_NO_SUBLEAF, zero);
	if (!err)
		err = put_leaf(&s, XEN_CPUID_BASE + 0x100, XEN_CPUID_NO_SUBLEAF, zero);
	fresh_leaf(0x80000000, 0, top);
	extd_max = top[0] >= 0x80000000 ? min(top[0], 0x80000021U) : 0x80000000 - 1;
	if (p && extd_max >= 0x80000000)
		extd_max = min(extd_max, max(p->extd_max, 0x80000000U));
	for (leaf = 0x80000000; leaf <= extd_max && !err; leaf++) {
		fresh_leaf(leaf, 0, r);
		err = put_leaf(&s, leaf, XEN_CPUID_NO_SUBLEAF, r);
	}
	return err ?: s.n;
}

int kxen_cpuid_policy_to_guest(struct kxen_vcpu *caller, const struct kxen_cpuid_policy *p,
			       u64 leaves, u32 *nr_leaves, u64 msrs, u32 *nr_msrs)
{
	struct xen_cpuid_leaf *buf;
	int n;

	*nr_msrs = msrs ? 0 : 2;	/* 2: Xen's MSR_MAX_SERIALISED_ENTRIES */
	if (!leaves) {
		*nr_leaves = KXEN_CPUID_MAX_LEAVES;
		return 0;
	}
	buf = kmalloc_array(KXEN_CPUID_MAX_LEAVES, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = kxen_cpuid_policy_get(p, buf, min_t(u32, *nr_leaves, KXEN_CPUID_MAX_LEAVES));
	if (n >= 0 && kxen_copy_to_guest(caller, leaves, buf, n * sizeof(*buf)))
		n = -EFAULT;
	kfree(buf);
	if (n < 0)
		return n;
	*nr_leaves = n;
	return 0;
}

int kxen_cpuid_featureset(u32 *fs)
{
	/*
	 * Xen 4.17.7's featureset words, in its order (public/arch-x86/cpufeatureset.h);
	 * the last three are the ARCH_CAPS MSR's and leaf 0x80000021 ECX, none here.
	 */
	static const struct {
		u32 leaf, sub;
		u8 reg;
	} fsw[KXEN_CPUID_FEATURESET_WORDS] = {
		{ 1, 0, 3 }, { 1, 0, 2 }, { 0x80000001, 0, 3 }, { 0x80000001, 0, 2 },
		{ 0xd, 1, 0 }, { 7, 0, 1 }, { 7, 0, 2 }, { 0x80000007, 0, 3 },
		{ 0x80000008, 0, 1 }, { 7, 0, 3 }, { 7, 1, 0 }, { 0x80000021, 0, 0 },
		{ 7, 1, 1 }, { 7, 2, 3 }, { 7, 1, 2 }, { 7, 1, 3 },
		{ ~0U, 0, 0 }, { ~0U, 0, 0 }, { ~0U, 0, 0 },
	};
	u32 r[4], basic, extd;
	unsigned int i;

	fresh_leaf(0, 0, r);
	basic = r[0];
	fresh_leaf(0x80000000, 0, r);
	extd = r[0];
	for (i = 0; i < KXEN_CPUID_FEATURESET_WORDS; i++) {
		fs[i] = 0;
		if (fsw[i].leaf == ~0U ||
		    (fsw[i].leaf < 0x80000000 ? fsw[i].leaf > basic : fsw[i].leaf > extd))
			continue;
		fresh_leaf(fsw[i].leaf, fsw[i].sub, r);
		fs[i] = r[fsw[i].reg];
	}
	return KXEN_CPUID_FEATURESET_WORDS;
}

void kxen_x86_cpuid(struct kxen_vcpu *v, const struct kxen_sregs *s)
{
	u32 leaf = v->arch.gprs.rax, sub = v->arch.gprs.rcx, r[4] = {};

	if ((leaf & 0xffff0000) == XEN_CPUID_BASE) {
		if (leaf <= XEN_CPUID_LIMIT)
			xen_leaf(v, leaf, sub, r);
	} else {
		native_leaf(v->id, v->arch.xcr0, s->cr4, leaf, sub, r);
		restrict_leaf(&v->d->cpuid, leaf, sub, r);
	}
	v->arch.gprs.rax = r[0];
	v->arch.gprs.rbx = r[1];
	v->arch.gprs.rcx = r[2];
	v->arch.gprs.rdx = r[3];
}

int kxen_x86_cr4(struct kxen_vcpu *v, const struct kxen_sregs *s, u64 value)
{
	if (value & ~v->d->cpuid.cr4_valid)
		return -EINVAL;
	if ((s->efer & EFER_LMA) && !(value & X86_CR4_PAE))
		return -EINVAL;
	if ((value & X86_CR4_CET) && !(s->cr0 & X86_CR0_WP))
		return -EINVAL;
	if ((value & X86_CR4_PCIDE) && !(s->cr4 & X86_CR4_PCIDE) &&
	    (!(s->efer & EFER_LMA) || (s->cr3 & 0xfff)))
		return -EINVAL;
	return 0;
}

bool kxen_x86_xcr0_valid(u64 value)
{
	/* x87 always; AVX needs SSE; the three AVX-512 parts go together, with AVX. */
	if (!(value & XFEATURE_MASK_FP) || (value & ~kxen_guest_xcr0))
		return false;
	if ((value & XFEATURE_MASK_YMM) && !(value & XFEATURE_MASK_SSE))
		return false;
	if ((value & XFEATURE_MASK_AVX512) &&
	    ((value & XFEATURE_MASK_AVX512) != XFEATURE_MASK_AVX512 ||
	     !(value & XFEATURE_MASK_YMM)))
		return false;
	return true;
}

int kxen_x86_xsetbv(struct kxen_vcpu *v, u32 index, u64 value)
{
	if (index != 0 || !kxen_x86_xcr0_valid(value))
		return -EINVAL;
	v->arch.xcr0 = value;
	v->arch.xcr0_accum |= value;
	return 0;
}
