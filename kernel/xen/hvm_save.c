// SPDX-License-Identifier: GPL-2.0
/*
 * XEN_DOMCTL_gethvmcontext and sethvmcontext (public/hvm/save.h): a domain's vcpus as
 * a run of records. libxenguest starts a PVH guest with them: it reads the context
 * for its header and MTRR records, writes back an MTRR record per vcpu, then the boot
 * vcpu's CPU record (entry point, start-info pointer, flat 32-bit segments).
 *
 * kxen's context holds a HEADER, a CPU record for each vcpu that is up (Xen leaves
 * out those that are down: loading a context without one leaves it down), LAPIC and
 * LAPIC_REGS records (the emulated APIC, lapic.c) and an MTRR record for each vcpu,
 * a CPU_XSAVE record for each vcpu that is up (XCR0 and the AVX and later state the
 * CPU record's FXSAVE image has no room for; without it a restored Linux finds its
 * XCR0 back at x87 only and takes #GP in its first XRSTOR of a task's AVX state),
 * and END; `xl save` keeps them and `xl restore` loads them. Loading takes those same
 * records. Like Xen's, every
 * load first puts all vcpus down and brings up those with a CPU record; unlike Xen's,
 * it checks the whole context before changing anything.
 *
 * A vcpu's registers belong to its thread: a load leaves the new state for the thread
 * to take (vcpu.c) and kicks it. A save reads them with the domain paused.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>

#include <kxen/public/domctl.h>
#include <kxen/public/hvm_save.h>
#include "../arch/x86/arch.h"
#include "../arch/x86/fpu.h"
#include "../core/domain.h"
#include "hvm_save.h"
#include "hypercall.h"

/* CR0 bits a guest may have (Xen's HVM_CR0_GUEST_RESERVED_BITS is the rest). */
#define CR0_VALID	(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | \
			 X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | \
			 X86_CR0_PG)
#define EFER_VALID	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | EFER_FFXSR)

/* Records are 8-byte aligned: what a descriptor plus its payload takes. */
#define RECORD(len)	(sizeof(struct hvm_save_descriptor) + (len))

/* Older Xens saved VMX's access-rights layout (AVL..G in bits 12-15): fold it. */
static void unfold(u32 *ar)
{
	if ((*ar & 0xf000) && !(*ar & 0x0f00))
		*ar = (*ar & 0xff) | ((*ar >> 4) & 0xf00);
}

/*
 * Xen's hvm_load_cpu_ctxt() checks, and the record made canonical for the backend.
 * The CR4 bits allowed are those d's CPUID offers (arch/x86/cpuid.c).
 */
static int check_cpu(struct kxen_domain *d, struct hvm_hw_cpu *c)
{
	bool pg = c->cr0 & X86_CR0_PG;

	if ((c->cr0 & ~CR0_VALID) || !(c->cr0 & X86_CR0_ET) ||
	    (pg && !(c->cr0 & X86_CR0_PE)) || (c->cr4 & ~d->cpuid.cr4_valid))
		return -EINVAL;
	if ((c->msr_efer & ~EFER_VALID) ||
	    ((c->msr_efer & EFER_NX) && !boot_cpu_has(X86_FEATURE_NX)) ||
	    ((c->msr_efer & EFER_LMA) && (!(c->msr_efer & EFER_LME) || !pg)) ||
	    ((c->msr_efer & EFER_LME) && pg && !(c->msr_efer & EFER_LMA)))
		return -EINVAL;
	if (c->flags & ~XEN_X86_FPU_INITIALISED)
		return -EINVAL;
	/* What the hardware would refuse to enter with. */
	if ((c->dr6 | c->dr7) >> 32)
		return -EINVAL;
	/* An MXCSR with reserved bits set would fault in kxen's own XRSTOR. */
	if ((c->flags & XEN_X86_FPU_INITIALISED) && (*(u32 *)(c->fpu_regs + 24) >> 16))
		return -EINVAL;
	/* kxen keeps no event half-delivered across a save; it cannot take one in. */
	if (c->pending_valid)
		return -EOPNOTSUPP;
	unfold(&c->cs_arbytes);
	unfold(&c->ds_arbytes);
	unfold(&c->es_arbytes);
	unfold(&c->fs_arbytes);
	unfold(&c->gs_arbytes);
	unfold(&c->ss_arbytes);
	unfold(&c->tr_arbytes);
	unfold(&c->ldtr_arbytes);
	c->rflags |= X86_EFLAGS_FIXED;
	return 0;
}

/* On the vcpu's own thread (vcpu.c): take checked CPU and XSAVE records as its state. */
void kxen_hvm_load_cpu(struct kxen_vcpu *v, const struct hvm_hw_cpu *c,
		       const struct hvm_hw_cpu_xsave *xs)
{
	v->arch.gprs = (struct kxen_gprs){
		.rax = c->rax, .rcx = c->rcx, .rdx = c->rdx, .rbx = c->rbx,
		.rsp = c->rsp, .rbp = c->rbp, .rsi = c->rsi, .rdi = c->rdi,
		.r8 = c->r8, .r9 = c->r9, .r10 = c->r10, .r11 = c->r11,
		.r12 = c->r12, .r13 = c->r13, .r14 = c->r14, .r15 = c->r15,
	};
	kxen_fpu_set_fxsave(v, c->flags & XEN_X86_FPU_INITIALISED ? c->fpu_regs : NULL);
	if (xs)
		kxen_fpu_set_xsave(v, xs);
	kxen_backend->load_cpu(v, c);
}

static void save_cpu(struct kxen_vcpu *v, struct hvm_hw_cpu *c)
{
	const struct kxen_gprs *g = &v->arch.gprs;

	memset(c, 0, sizeof(*c));
	c->rax = g->rax;
	c->rcx = g->rcx;
	c->rdx = g->rdx;
	c->rbx = g->rbx;
	c->rsp = g->rsp;
	c->rbp = g->rbp;
	c->rsi = g->rsi;
	c->rdi = g->rdi;
	c->r8 = g->r8;
	c->r9 = g->r9;
	c->r10 = g->r10;
	c->r11 = g->r11;
	c->r12 = g->r12;
	c->r13 = g->r13;
	c->r14 = g->r14;
	c->r15 = g->r15;
	kxen_fpu_get_fxsave(v, c->fpu_regs);
	c->flags = XEN_X86_FPU_INITIALISED;
	c->tsc = rdtsc();	/* kxen gives guests the host's TSC */
	kxen_backend->save_cpu(v, c);
}

/* The header of a context made on this machine. */
static void header(struct hvm_save_header *h)
{
	*h = (struct hvm_save_header){
		.magic = HVM_FILE_MAGIC,
		.version = HVM_FILE_VERSION,
		.cpuid = cpuid_eax(1),
		.gtsc_khz = tsc_khz,
	};
}

/* Room for the largest context d can have: what the size query answers. */
static size_t context_size(struct kxen_domain *d)
{
	return RECORD(sizeof(struct hvm_save_header)) +
	       d->max_vcpus * (RECORD(sizeof(struct hvm_hw_cpu)) +
			       RECORD(sizeof(struct hvm_hw_lapic)) +
			       RECORD(sizeof(struct hvm_hw_lapic_regs)) +
			       RECORD(sizeof(struct hvm_hw_mtrr)) +
			       RECORD(kxen_fpu_xsave_max_len())) +
	       RECORD(0);
}

static void *put(void *p, u16 type, u16 instance, const void *data, u32 len)
{
	struct hvm_save_descriptor desc = { type, instance, len };

	memcpy(p, &desc, sizeof(desc));
	memcpy(p + sizeof(desc), data, len);
	return p + sizeof(desc) + len;
}

long kxen_hvm_getcontext(struct kxen_vcpu *caller, struct kxen_domain *d,
			 struct xen_domctl_hvmcontext *hc)
{
	size_t size = context_size(d);
	struct hvm_hw_lapic_regs *regs;
	struct hvm_hw_cpu_xsave *xs = NULL;
	struct hvm_save_header h;
	struct hvm_hw_lapic lapic;
	struct hvm_hw_cpu *cpu;
	unsigned int i;
	void *buf, *p;
	long ret;

	if (!hc->buffer) {
		hc->size = size;
		return 0;
	}
	if (hc->size < size)
		return -ENOSPC;
	buf = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	cpu = kmalloc(sizeof(*cpu), GFP_KERNEL);
	regs = kmalloc(sizeof(*regs), GFP_KERNEL);
	if (kxen_fpu_xsave_max_len())
		xs = kmalloc(kxen_fpu_xsave_max_len(), GFP_KERNEL);
	ret = -ENOMEM;
	if (!buf || !cpu || !regs || (kxen_fpu_xsave_max_len() && !xs))
		goto out;
	ret = kxen_domain_pause(d);
	if (ret)
		goto out;
	header(&h);
	p = put(buf, HVM_SAVE_CODE_HEADER, 0, &h, sizeof(h));
	mutex_lock(&d->lock);
	for (i = 0; i < d->max_vcpus; i++) {
		struct kxen_vcpu *v = d->vcpus[i];

		if (!v || !kxen_vcpu_up(v))
			continue;
		save_cpu(v, cpu);
		p = put(p, HVM_SAVE_CODE_CPU, i, cpu, sizeof(*cpu));
	}
	/* Records in the order of their type codes, as Xen's: LAPIC 5, LAPIC_REGS 6. */
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i]) {
			kxen_lapic_save(d->vcpus[i], &lapic, regs);
			p = put(p, HVM_SAVE_CODE_LAPIC, i, &lapic, sizeof(lapic));
		}
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i]) {
			kxen_lapic_save(d->vcpus[i], &lapic, regs);
			p = put(p, HVM_SAVE_CODE_LAPIC_REGS, i, regs, sizeof(*regs));
		}
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			p = put(p, HVM_SAVE_CODE_MTRR, i, &d->vcpus[i]->arch.mtrr,
				sizeof(d->vcpus[i]->arch.mtrr));
	for (i = 0; i < d->max_vcpus && xs; i++) {
		struct kxen_vcpu *v = d->vcpus[i];
		u32 len;

		if (!v || !kxen_vcpu_up(v))
			continue;
		len = kxen_fpu_xsave_len(v);
		kxen_fpu_get_xsave(v, xs, len);
		p = put(p, CPU_XSAVE_CODE, i, xs, len);
	}
	mutex_unlock(&d->lock);
	p = put(p, HVM_SAVE_CODE_END, 0, NULL, 0);
	kxen_domain_unpause(d);
	hc->size = p - buf;
	if (kxen_copy_to_guest(caller, hc->buffer, buf, size))
		ret = -EFAULT;
out:
	kfree(xs);
	kfree(regs);
	kfree(cpu);
	kvfree(buf);
	return ret;
}

/* One record of a context being loaded, checked: where it is and what it says. */
struct record {
	struct hvm_save_descriptor desc;
	void *data;
};

/* The vcpu a per-vcpu record names, or NULL. Under d->lock. */
static struct kxen_vcpu *instance(struct kxen_domain *d, const struct record *r)
{
	lockdep_assert_held(&d->lock);
	return kxen_vcpu_of(d, r->desc.instance);
}

static int check_record(struct kxen_domain *d, struct record *r)
{
	struct hvm_hw_mtrr *m = r->data;

	switch (r->desc.typecode) {
	case HVM_SAVE_CODE_CPU:
		if (!instance(d, r) || r->desc.length != sizeof(struct hvm_hw_cpu))
			return -EINVAL;
		return check_cpu(d, r->data);
	case HVM_SAVE_CODE_LAPIC:
		if (!instance(d, r) || r->desc.length != sizeof(struct hvm_hw_lapic))
			return -EINVAL;
		return kxen_lapic_check_base(instance(d, r), r->data);
	case HVM_SAVE_CODE_LAPIC_REGS:
		if (!instance(d, r) || r->desc.length != sizeof(struct hvm_hw_lapic_regs))
			return -EINVAL;
		return 0;
	case HVM_SAVE_CODE_MTRR:
		/* kxen offers no MTRRs (CPUID says so): no variable ranges to load. */
		if (!instance(d, r) || r->desc.length != sizeof(*m) || (m->msr_mtrr_cap & 0xff))
			return -EINVAL;
		return 0;
	case CPU_XSAVE_CODE:
		if (!instance(d, r))
			return -EINVAL;
		return kxen_fpu_check_xsave(r->data, r->desc.length);
	}
	return -EINVAL;		/* a record kxen has no state for */
}

long kxen_hvm_setcontext(struct kxen_vcpu *caller, struct kxen_domain *d,
			 const struct xen_domctl_hvmcontext *hc)
{
	struct hvm_save_descriptor desc;
	struct hvm_save_header h;
	struct record *recs = NULL;
	unsigned int nr = 0, i;
	size_t off;
	void *buf;
	long ret;

	/* Nothing kxen takes comes near 1 MiB; more is a buffer it will not allocate. */
	if (hc->size > SZ_1M)
		return -ENOMEM;
	buf = kvmalloc(hc->size, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	ret = -EFAULT;
	if (kxen_copy_from_guest(caller, buf, hc->buffer, hc->size))
		goto out;
	/* The header first, from a machine like this one. */
	ret = -ENODATA;
	if (hc->size < RECORD(sizeof(h)))
		goto out;
	memcpy(&desc, buf, sizeof(desc));
	memcpy(&h, buf + sizeof(desc), sizeof(h));
	if (desc.typecode != HVM_SAVE_CODE_HEADER || desc.length != sizeof(h))
		goto out;
	ret = -EINVAL;
	if (h.magic != HVM_FILE_MAGIC || h.version != HVM_FILE_VERSION)
		goto out;
	/* Then records up to END: as many as fit, and no more than the buffer holds. */
	recs = kvmalloc_array(hc->size / sizeof(desc), sizeof(*recs), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!recs)
		goto out;
	mutex_lock(&d->lock);
	for (off = RECORD(sizeof(h));; off += RECORD(desc.length)) {
		ret = -ENODATA;		/* ran out before END */
		if (hc->size - off < sizeof(desc))
			break;
		memcpy(&desc, buf + off, sizeof(desc));
		ret = 0;
		if (desc.typecode == HVM_SAVE_CODE_END)
			break;
		ret = -ENODATA;
		if (hc->size - off - sizeof(desc) < desc.length)
			break;
		recs[nr] = (struct record){ desc, buf + off + sizeof(desc) };
		ret = check_record(d, &recs[nr++]);
		if (ret)
			break;
	}
	/* All good: every vcpu down, then up those with a CPU record. */
	if (!ret) {
		spin_lock(&d->ctx_lock);
		for (i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i]) {
				d->vcpus[i]->ctx_down = true;
				kfree(d->vcpus[i]->ctx_cpu);
				d->vcpus[i]->ctx_cpu = NULL;
				kfree(d->vcpus[i]->ctx_xsave);
				d->vcpus[i]->ctx_xsave = NULL;
			}
		spin_unlock(&d->ctx_lock);
		for (i = 0; i < nr; i++) {
			struct kxen_vcpu *v = instance(d, &recs[i]);
			struct hvm_hw_cpu_xsave *xs;
			struct hvm_hw_cpu *c;

			switch (recs[i].desc.typecode) {
			case HVM_SAVE_CODE_MTRR:
				memcpy(&v->arch.mtrr, recs[i].data, sizeof(v->arch.mtrr));
				continue;
			case HVM_SAVE_CODE_LAPIC:
				kxen_lapic_load_base(v, recs[i].data);
				continue;
			case HVM_SAVE_CODE_LAPIC_REGS:
				kxen_lapic_load_regs(v, recs[i].data);
				continue;
			case CPU_XSAVE_CODE:
				/* Taken with the CPU record; dropped if the vcpu has none. */
				xs = kmemdup(recs[i].data, recs[i].desc.length, GFP_KERNEL_ACCOUNT);
				if (!xs) {
					ret = -ENOMEM;
					continue;
				}
				spin_lock(&d->ctx_lock);
				kfree(v->ctx_xsave);
				v->ctx_xsave = xs;
				spin_unlock(&d->ctx_lock);
				continue;
			}
			c = kmemdup(recs[i].data, sizeof(*c), GFP_KERNEL_ACCOUNT);
			if (!c) {
				ret = -ENOMEM;	/* that vcpu stays down */
				continue;
			}
			spin_lock(&d->ctx_lock);
			kfree(v->ctx_cpu);
			v->ctx_cpu = c;
			spin_unlock(&d->ctx_lock);
		}
		for (i = 0; i < d->max_vcpus; i++)
			if (d->vcpus[i])
				kxen_vcpu_kick(d->vcpus[i]);
	}
	mutex_unlock(&d->lock);
out:
	kvfree(recs);
	kvfree(buf);
	return ret;
}

/*
 * VCPUOP_initialise (vcpu_op.c): the guest's own start state for a vcpu not started
 * yet, as a CPU record, through the same hand-over as a loaded context; the vcpu
 * stays down until VCPUOP_up. The caller holds d->lock. 0, and the record is the
 * thread's; or -EINVAL for a state kxen's checks of loaded records refuse.
 */
int kxen_hvm_initialise_vcpu(struct kxen_vcpu *v, struct hvm_hw_cpu *c)
{
	struct kxen_domain *d = v->d;
	int err = check_cpu(d, c);

	if (err)
		return -EINVAL;
	lockdep_assert_held(&d->lock);
	spin_lock(&d->ctx_lock);
	/*
	 * The vcpu is waiting for INIT/SIPI: a sethvmcontext's "down" that its thread
	 * has not taken yet would only say "not VCPUOP_down" (vcpu.c), which this, down
	 * until VCPUOP_up, replaces.
	 */
	v->ctx_down = false;
	kfree(v->ctx_cpu);
	v->ctx_cpu = c;
	kfree(v->ctx_xsave);
	v->ctx_xsave = NULL;
	spin_unlock(&d->ctx_lock);
	WRITE_ONCE(v->op_down, true);
	kxen_vcpu_kick(v);
	return 0;
}

/* A fresh vcpu's MTRR record: the power-on PAT, MTRRs off, none to have. */
void kxen_hvm_mtrr_init(struct hvm_hw_mtrr *m)
{
	memset(m, 0, sizeof(*m));
	m->msr_pat_cr = 0x0007040600070406ULL;
}
