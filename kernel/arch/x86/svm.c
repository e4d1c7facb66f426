// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD SVM backend. Per CPU: EFER.SVME makes VMRUN legal, and VM_HSAVE_PA names the
 * page where VMRUN keeps the host state it needs on #VMEXIT. Per vcpu: a VMCB (the
 * guest's state and what exits), the I/O and MSR permission maps, and a page for the
 * host state VMRUN leaves alone (svm_run.S). Nested paging (nested_pt.c) maps guest memory.
 *
 * What exits, and why: every interrupt, NMI and SMI, so the host keeps its CPU; CPUID,
 * MSRs and I/O ports, which the guest sees through kxen (cpuid.c, msr.c, io.c); HLT,
 * which sleeps; VMMCALL, the hypercall; XSETBV, so the host's XCR0 comes back; and
 * everything that would let the guest use SVM itself, or harm the host (INVD, which
 * drops dirty cache lines), which raises #UD or is done safely instead.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/msr.h>
#include <asm/svm.h>
#include <asm/traps.h>

#include "../../core/domain.h"
#include "arch.h"
#include "decode.h"
#include "fpu.h"
#include "lapic.h"
#include "nested_pt.h"
#include "x86.h"

void kxen_svm_run(u64 vmcb_pa, u64 host_save_pa, struct kxen_gprs *gprs);

#define IOPM_ORDER	2	/* 12 KiB used */
#define MSRPM_ORDER	1	/* 8 KiB */

struct svm_vcpu {
	struct vmcb *vmcb;
	struct page *host_save;
	void *iopm;
	void *msrpm;
	int offered;		/* the vector in V_IRQ at the last entry, or -1 */
};

static struct svm_vcpu *svm(struct kxen_vcpu *v)
{
	return v->arch.backend;
}

/* ---- Per CPU: SVM on and off, and the ASIDs that tag each vcpu's TLB entries. */

struct svm_cpu {
	u64 generation;
	u32 next_asid;
};
static DEFINE_PER_CPU(struct svm_cpu, svm_cpu);
static u32 svm_max_asid;
static bool svm_has_nrips;

static int svm_cpu_on(struct page *hsave)
{
	unsigned long flags;
	int ret = 0;
	u64 efer;

	svm_max_asid = cpuid_ebx(SVM_CPUID_FUNC) - 1;
	svm_has_nrips = cpuid_edx(SVM_CPUID_FUNC) & BIT(3);
	local_irq_save(flags);
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		ret = -EBUSY;	/* KVM, or another hypervisor, is using SVM here */
	} else {
		wrmsrl(MSR_EFER, efer | EFER_SVME);
		wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(hsave));
		/* Whoever had SVM before may have left TLB entries: flush all first. */
		this_cpu_ptr(&svm_cpu)->next_asid = svm_max_asid + 1;
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

/*
 * A vcpu keeps its ASID while it stays on one CPU. Moving, or a p2m change that
 * must not be seen through old TLB entries, gets it a fresh one; when a CPU runs out,
 * it starts a new generation with a full flush.
 */
static void svm_pick_asid(struct kxen_vcpu *v, struct vmcb *vmcb, int cpu)
{
	struct svm_cpu *c = this_cpu_ptr(&svm_cpu);

	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	if (v->arch.last_cpu == cpu && v->arch.asid_generation == c->generation &&
	    !READ_ONCE(v->arch.tlb_flush))
		return;
	WRITE_ONCE(v->arch.tlb_flush, false);
	if (c->next_asid > svm_max_asid) {
		c->generation++;
		c->next_asid = 1;
		vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	}
	v->arch.asid = c->next_asid++;
	v->arch.asid_generation = c->generation;
	vmcb->control.asid = v->arch.asid;
}

/* ---- The VMCB: what exits, and the PVH entry state. */

static void svm_intercept(struct vmcb *vmcb, unsigned int bit)
{
	vmcb->control.intercepts[bit / 32] |= BIT(bit % 32);
}

/* MSRs whose state the VMCB holds and VMLOAD/VMSAVE switch: the guest owns them. */
static const u32 svm_passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR,
	MSR_SYSCALL_MASK, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
	MSR_IA32_SYSENTER_EIP,
};

static void svm_msrpm_allow(void *msrpm, u32 msr)
{
	/* Three 2 KiB blocks, two bits (read, write) per MSR. */
	static const u32 base[] = { 0, 0xc0000000, 0xc0010000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(base); i++)
		if (msr - base[i] < 0x2000) {
			unsigned int bit = i * 0x4000 + (msr - base[i]) * 2;

			__clear_bit(bit, msrpm);
			__clear_bit(bit + 1, msrpm);
		}
}

static void svm_seg(struct vmcb_seg *s, u16 attrib, u32 limit)
{
	s->selector = 0;
	s->attrib = attrib;
	s->limit = limit;
	s->base = 0;
}

/* The state shared by the PVH entry and a SIPI: no paging, default PAT and XCR0. */
static void svm_common_state(struct kxen_vcpu *v)
{
	struct vmcb_save_area *g = &svm(v)->vmcb->save;

	svm_seg(&g->tr, 0x08b, 0x67);
	svm_seg(&g->ldtr, 0x082, 0xffff);
	svm_seg(&g->gdtr, 0, 0xffff);
	svm_seg(&g->idtr, 0, 0xffff);
	g->cr3 = 0;
	g->cr4 = 0;
	g->efer = EFER_SVME;	/* VMRUN requires it; the guest never sees it */
	g->dr6 = DR6_RESERVED;
	g->dr7 = 0x400;		/* bit 10 reads as one */
	g->rflags = X86_EFLAGS_FIXED;
	g->g_pat = 0x0007040600070406ULL;	/* the power-on PAT */
	svm(v)->vmcb->control.event_inj = 0;
	svm(v)->vmcb->control.int_state = 0;
	memset(&v->arch.gprs, 0, sizeof(v->arch.gprs));
}

/*
 * A new vcpu, down until the toolstack's HVM context or an INIT/SIPI starts it: the
 * PVH entry state (pvh.pandoc), flat 32-bit protected mode with paging off.
 */
static void svm_pvh_state(struct kxen_vcpu *v)
{
	struct vmcb_save_area *g = &svm(v)->vmcb->save;

	svm_common_state(v);
	svm_seg(&g->cs, 0xc9b, 0xffffffff);
	svm_seg(&g->ds, 0xc93, 0xffffffff);
	svm_seg(&g->es, 0xc93, 0xffffffff);
	svm_seg(&g->ss, 0xc93, 0xffffffff);
	svm_seg(&g->fs, 0xc93, 0xffffffff);
	svm_seg(&g->gs, 0xc93, 0xffffffff);
	g->cr0 = X86_CR0_PE | X86_CR0_ET;
}

/* After INIT and SIPI: real mode at vector:0000, as the APIC starts an AP. */
static void svm_vcpu_sipi(struct kxen_vcpu *v, u8 vector)
{
	struct vmcb_save_area *g = &svm(v)->vmcb->save;

	svm_common_state(v);
	svm_seg(&g->cs, 0x09b, 0xffff);
	g->cs.selector = vector << 8;
	g->cs.base = vector << 12;
	svm_seg(&g->ds, 0x093, 0xffff);
	svm_seg(&g->es, 0x093, 0xffff);
	svm_seg(&g->ss, 0x093, 0xffff);
	svm_seg(&g->fs, 0x093, 0xffff);
	svm_seg(&g->gs, 0x093, 0xffff);
	g->cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	g->rip = 0;
	g->cpl = 0;
}

static void init_vmcb(struct kxen_vcpu *v)
{
	struct svm_vcpu *s = svm(v);
	struct vmcb_control_area *c = &s->vmcb->control;
	static const unsigned int exits[] = {
		INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_CPUID,
		INTERCEPT_INVD, INTERCEPT_HLT, INTERCEPT_INVLPGA, INTERCEPT_IOIO_PROT,
		INTERCEPT_MSR_PROT, INTERCEPT_TASK_SWITCH, INTERCEPT_SHUTDOWN,
		INTERCEPT_VMRUN, INTERCEPT_VMMCALL, INTERCEPT_VMLOAD, INTERCEPT_VMSAVE,
		INTERCEPT_STGI, INTERCEPT_CLGI, INTERCEPT_SKINIT, INTERCEPT_RDTSCP,
		INTERCEPT_MONITOR, INTERCEPT_MWAIT, INTERCEPT_MWAIT_COND, INTERCEPT_XSETBV,
		INTERCEPT_RDPRU,
		/* MOV to CR4: the CPU takes any bit it knows, kxen only those offered. */
		INTERCEPT_CR4_WRITE,
		/* #UD: a VMCALL, Intel's hypercall instruction, is one here (see kxen_x86_ud). */
		INTERCEPT_EXCEPTION_OFFSET + UD_VECTOR,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(exits); i++)
		svm_intercept(s->vmcb, exits[i]);
	c->iopm_base_pa = virt_to_phys(s->iopm);
	c->msrpm_base_pa = virt_to_phys(s->msrpm);
	c->int_ctl = V_INTR_MASKING_MASK;	/* the guest's IF masks only its own interrupts */
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = kxen_npt_root_pa(v->d);

	svm_pvh_state(v);
}

static bool svm_interrupts_enabled(struct kxen_vcpu *v)
{
	struct vmcb *vmcb = svm(v)->vmcb;

	return (vmcb->save.rflags & X86_EFLAGS_IF) &&
	       !(vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK);
}

/*
 * Interrupts reach the guest as a virtual interrupt (V_IRQ with its vector), offered
 * only when the guest can take it now: the CPU delivers it at once and clears V_IRQ.
 * When the guest cannot (IF clear, interrupt shadow), V_IRQ with the VINTR intercept
 * asks for an exit the moment it can, and what is pending is looked at again then, as
 * Xen does: an upcall the guest has handled meanwhile is not delivered a second time.
 *
 * Why not EVENTINJ, as Xen and KVM inject interrupts: QEMU 7.2's TCG delivers an
 * EVENTINJ interrupt a second time when its CPU loop is asked to exit just after
 * VMRUN (helper_vmrun leaves the vector in exception_index), and the guest takes its
 * upcall again on the handler's first instruction, with interrupts off and the user's
 * GS (selftests/guests/upcall). EVENTINJ stays for exceptions, NMIs and re-delivery.
 */
static void svm_inject_pending(struct kxen_vcpu *v)
{
	struct svm_vcpu *s = svm(v);
	struct vmcb_control_area *c = &s->vmcb->control;
	int vec;

	c->int_ctl &= ~(V_IRQ_MASK | V_INTR_PRIO_MASK | V_IGN_TPR_MASK);
	c->intercepts[INTERCEPT_VINTR / 32] &= ~BIT(INTERCEPT_VINTR % 32);
	s->offered = -1;
	if (!(c->event_inj & SVM_EVTINJ_VALID) && READ_ONCE(v->arch.nmi_pending)) {
		WRITE_ONCE(v->arch.nmi_pending, false);
		c->event_inj = NMI_VECTOR | SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI;
	}
	vec = kxen_vcpu_pending_irq(v);
	if (vec < 0)
		return;
	c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK | (0xf << V_INTR_PRIO_SHIFT);
	if (svm_interrupts_enabled(v) && !(c->event_inj & SVM_EVTINJ_VALID)) {
		c->int_vector = vec;
		s->offered = vec;
	} else {
		svm_intercept(s->vmcb, INTERCEPT_VINTR);
	}
}

/* After an exit: an offered interrupt that V_IRQ no longer holds was taken. */
static void svm_taken_irq(struct kxen_vcpu *v)
{
	struct svm_vcpu *s = svm(v);

	if (s->offered < 0 || (s->vmcb->control.int_ctl & V_IRQ_MASK))
		return;
	kxen_vcpu_ack_irq(v, s->offered);
	s->offered = -1;
}

static int svm_vcpu_init(struct kxen_vcpu *v)
{
	struct svm_vcpu *s;
	struct page *vmcb, *iopm, *msrpm;
	unsigned int i;

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	vmcb = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	s->host_save = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	iopm = alloc_pages(GFP_KERNEL_ACCOUNT, IOPM_ORDER);
	msrpm = alloc_pages(GFP_KERNEL_ACCOUNT, MSRPM_ORDER);
	if (!vmcb || !s->host_save || !iopm || !msrpm) {
		if (vmcb)
			__free_page(vmcb);
		if (s->host_save)
			__free_page(s->host_save);
		if (iopm)
			__free_pages(iopm, IOPM_ORDER);
		if (msrpm)
			__free_pages(msrpm, MSRPM_ORDER);
		kfree(s);
		return -ENOMEM;
	}
	s->vmcb = page_address(vmcb);
	s->iopm = page_address(iopm);
	s->msrpm = page_address(msrpm);
	/* Every port and MSR exits, but those the guest owns outright. */
	memset(s->iopm, 0xff, PAGE_SIZE << IOPM_ORDER);
	memset(s->msrpm, 0xff, PAGE_SIZE << MSRPM_ORDER);
	for (i = 0; i < ARRAY_SIZE(svm_passthrough_msrs); i++)
		svm_msrpm_allow(s->msrpm, svm_passthrough_msrs[i]);
	s->offered = -1;
	v->arch.backend = s;
	init_vmcb(v);
	return 0;
}

static void svm_vcpu_free(struct kxen_vcpu *v)
{
	struct svm_vcpu *s = svm(v);

	__free_page(virt_to_page(s->vmcb));
	__free_page(s->host_save);
	__free_pages(virt_to_page(s->iopm), IOPM_ORDER);
	__free_pages(virt_to_page(s->msrpm), MSRPM_ORDER);
	kfree(s);
	v->arch.backend = NULL;
}

static void svm_get_sregs(struct kxen_vcpu *v, struct kxen_sregs *r)
{
	struct vmcb_save_area *g = &svm(v)->vmcb->save;

	r->rip = g->rip;
	r->rflags = g->rflags;
	r->cr0 = g->cr0;
	r->cr3 = g->cr3;
	r->cr4 = g->cr4;
	r->efer = g->efer & ~EFER_SVME;
	r->cpl = g->cpl;
	r->cs_l = g->cs.attrib & SVM_SELECTOR_L_MASK;
	r->cs_db = g->cs.attrib & SVM_SELECTOR_DB_MASK;
}

static void svm_get_seg(struct kxen_vcpu *v, unsigned int seg, struct kxen_seg *out)
{
	struct vmcb_save_area *g = &svm(v)->vmcb->save;
	struct vmcb_seg *segs[] = { &g->es, &g->cs, &g->ss, &g->ds, &g->fs, &g->gs };
	struct vmcb_seg *sg = segs[seg < ARRAY_SIZE(segs) ? seg : KXEN_SEG_DS];

	out->base = sg->base;
	out->limit = sg->limit;
	out->usable = sg->attrib & SVM_SELECTOR_P_MASK;
}

/*
 * ---- The toolstack's view: Xen's HVM CPU record. Its arbytes are SVM's own 12-bit
 * attribute format; hvm_save.c has checked and normalised the record already.
 */
static void svm_seg_load(struct vmcb_seg *s, u32 sel, u32 attr, u32 limit, u64 base)
{
	s->selector = sel;
	s->attrib = attr & 0xfff;
	s->limit = limit;
	s->base = base;
}

static void svm_load_cpu(struct kxen_vcpu *v, const struct hvm_hw_cpu *c)
{
	struct vmcb *vmcb = svm(v)->vmcb;
	struct vmcb_save_area *g = &vmcb->save;

	svm_seg_load(&g->cs, c->cs_sel, c->cs_arbytes, c->cs_limit, c->cs_base);
	svm_seg_load(&g->ds, c->ds_sel, c->ds_arbytes, c->ds_limit, c->ds_base);
	svm_seg_load(&g->es, c->es_sel, c->es_arbytes, c->es_limit, c->es_base);
	svm_seg_load(&g->fs, c->fs_sel, c->fs_arbytes, c->fs_limit, c->fs_base);
	svm_seg_load(&g->gs, c->gs_sel, c->gs_arbytes, c->gs_limit, c->gs_base);
	svm_seg_load(&g->ss, c->ss_sel, c->ss_arbytes, c->ss_limit, c->ss_base);
	svm_seg_load(&g->tr, c->tr_sel, c->tr_arbytes, c->tr_limit, c->tr_base);
	svm_seg_load(&g->ldtr, c->ldtr_sel, c->ldtr_arbytes, c->ldtr_limit, c->ldtr_base);
	svm_seg_load(&g->gdtr, 0, 0, c->gdtr_limit, c->gdtr_base);
	svm_seg_load(&g->idtr, 0, 0, c->idtr_limit, c->idtr_base);
	/* The CPL is SS.DPL in protected mode, 0 in real mode. */
	g->cpl = c->cr0 & X86_CR0_PE ? (c->ss_arbytes >> 5) & 3 : 0;
	g->cr0 = c->cr0;
	g->cr2 = c->cr2;
	g->cr3 = c->cr3;
	g->cr4 = c->cr4;
	g->efer = c->msr_efer | EFER_SVME;
	g->dr6 = c->dr6;
	g->dr7 = c->dr7;
	g->rip = c->rip;
	g->rflags = c->rflags;
	g->star = c->msr_star;
	g->lstar = c->msr_lstar;
	g->cstar = c->msr_cstar;
	g->sfmask = c->msr_syscall_mask;
	g->kernel_gs_base = c->shadow_gs;
	g->sysenter_cs = c->sysenter_cs;
	g->sysenter_esp = c->sysenter_esp;
	g->sysenter_eip = c->sysenter_eip;
	vmcb->control.event_inj = 0;
	vmcb->control.int_state = 0;
	/* New CR3, new everything: no stale translation may survive. */
	v->arch.tlb_flush = true;
}

static void svm_seg_save(const struct vmcb_seg *s, u32 *sel, u32 *attr, u32 *limit, u64 *base)
{
	*sel = s->selector;
	*attr = s->attrib;
	*limit = s->limit;
	*base = s->base;
}

static void svm_save_cpu(struct kxen_vcpu *v, struct hvm_hw_cpu *c)
{
	const struct vmcb_save_area *g = &svm(v)->vmcb->save;
	u32 unused;

	svm_seg_save(&g->cs, &c->cs_sel, &c->cs_arbytes, &c->cs_limit, &c->cs_base);
	svm_seg_save(&g->ds, &c->ds_sel, &c->ds_arbytes, &c->ds_limit, &c->ds_base);
	svm_seg_save(&g->es, &c->es_sel, &c->es_arbytes, &c->es_limit, &c->es_base);
	svm_seg_save(&g->fs, &c->fs_sel, &c->fs_arbytes, &c->fs_limit, &c->fs_base);
	svm_seg_save(&g->gs, &c->gs_sel, &c->gs_arbytes, &c->gs_limit, &c->gs_base);
	svm_seg_save(&g->ss, &c->ss_sel, &c->ss_arbytes, &c->ss_limit, &c->ss_base);
	svm_seg_save(&g->tr, &c->tr_sel, &c->tr_arbytes, &c->tr_limit, &c->tr_base);
	svm_seg_save(&g->ldtr, &c->ldtr_sel, &c->ldtr_arbytes, &c->ldtr_limit, &c->ldtr_base);
	svm_seg_save(&g->gdtr, &unused, &unused, &c->gdtr_limit, &c->gdtr_base);
	svm_seg_save(&g->idtr, &unused, &unused, &c->idtr_limit, &c->idtr_base);
	c->cr0 = g->cr0;
	c->cr2 = g->cr2;
	c->cr3 = g->cr3;
	c->cr4 = g->cr4;
	c->msr_efer = g->efer & ~EFER_SVME;
	c->dr6 = g->dr6;
	c->dr7 = g->dr7;
	c->rip = g->rip;
	c->rflags = g->rflags;
	c->msr_star = g->star;
	c->msr_lstar = g->lstar;
	c->msr_cstar = g->cstar;
	c->msr_syscall_mask = g->sfmask;
	c->shadow_gs = g->kernel_gs_base;
	c->sysenter_cs = g->sysenter_cs;
	c->sysenter_esp = g->sysenter_esp;
	c->sysenter_eip = g->sysenter_eip;
}

/* ---- Exits. */

static void svm_inject(struct kxen_vcpu *v, unsigned int vector, bool has_err, u32 err)
{
	struct vmcb_control_area *c = &svm(v)->vmcb->control;

	c->event_inj = vector | SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT |
		       (has_err ? SVM_EVTINJ_VALID_ERR : 0);
	c->event_inj_err = err;
}

static void svm_inject_exception(struct kxen_vcpu *v, unsigned int vector, u32 err, u64 cr2)
{
	svm_inject(v, vector, kxen_x86_has_error_code(vector), err);
	if (vector == X86_TRAP_PF)
		svm(v)->vmcb->save.cr2 = cr2;
}

static void svm_skip(struct kxen_vcpu *v, unsigned int len)
{
	struct vmcb *vmcb = svm(v)->vmcb;

	/* nRIP is set for instruction, MSR and I/O intercepts, and zero for the rest. */
	if (svm_has_nrips && vmcb->control.next_rip)
		vmcb->save.rip = vmcb->control.next_rip;
	else
		vmcb->save.rip += len;
	vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	/* Single-stepping: the instruction kxen did traps as the CPU's would. */
	if (vmcb->save.rflags & X86_EFLAGS_TF) {
		vmcb->save.dr6 |= DR_STEP;
		svm_inject(v, X86_TRAP_DB, false, 0);
	}
}

static int svm_rdmsr(struct kxen_vcpu *v, u32 index, u64 *value)
{
	struct vmcb_save_area *g = &svm(v)->vmcb->save;

	switch (index) {
	case MSR_EFER:
		*value = g->efer & ~EFER_SVME;
		return 0;
	case MSR_IA32_CR_PAT:
		*value = g->g_pat;
		return 0;
	}
	return kxen_x86_rdmsr(v, index, value);
}

static int svm_wrmsr(struct kxen_vcpu *v, u32 index, u64 value)
{
	struct vmcb_save_area *g = &svm(v)->vmcb->save;

	switch (index) {
	case MSR_EFER:
		if (kxen_x86_efer(g->efer & ~EFER_SVME, g->cr0, value, &value))
			return -EINVAL;
		g->efer = value | EFER_SVME;	/* VMRUN requires it; the guest never sees it */
		return 0;
	case MSR_IA32_CR_PAT:
		if (!kxen_x86_pat_valid(value))
			return -EINVAL;
		g->g_pat = value;
		return 0;
	}
	return kxen_x86_wrmsr(v, index, value);
}

/* IN/OUT, and the string forms (io.c). */
static void svm_io(struct kxen_vcpu *v, const struct kxen_sregs *s)
{
	struct vmcb *vmcb = svm(v)->vmcb;
	u64 info = vmcb->control.exit_info_1;
	unsigned int size = (info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
	bool in = info & SVM_IOIO_TYPE_MASK;

	if (size != 2 && size != 4)	/* the field is one-hot: 1, 2 or 4 */
		size = 1;
	if (!(info & SVM_IOIO_STR_MASK))
		kxen_x86_io(v, info >> 16, size, in);
	else if (!kxen_x86_string_io(v, s, info >> 16, size, in, info & SVM_IOIO_REP_MASK))
		return;
	vmcb->save.rip = vmcb->control.exit_info_2;
}

/*
 * The general register a MOV to CR4 reads, and the instruction's length; -EAGAIN
 * when the code went away under us (run it again), -EINVAL for anything else. Decode
 * assists name the register; without them (QEMU has none) the instruction is read:
 * legacy prefixes, a REX prefix just before the opcode in 64-bit code, 0F 22 /r.
 * The ModRM's mod field is ignored (the operand is always a register); reg is the
 * control register, REX.R extending it, and rm the source, REX.B extending it.
 */
static int svm_mov_cr4_source(struct kxen_vcpu *v, const struct kxen_sregs *s, unsigned int *len)
{
	struct vmcb *vmcb = svm(v)->vmcb;
	u64 info = vmcb->control.exit_info_1;
	bool long64 = s->cs_l && (s->efer & EFER_LMA);
	u8 insn[KXEN_INSN_MAX];
	struct kxen_prefixes pf;
	unsigned int i, n;

	if ((info & BIT_ULL(63)) && svm_has_nrips && vmcb->control.next_rip > vmcb->save.rip) {
		*len = vmcb->control.next_rip - vmcb->save.rip;
		return info & SVM_EXITINFO_REG_MASK;
	}
	n = kxen_fetch_insn(v, s, insn);
	if (!n)
		return -EAGAIN;
	kxen_decode_prefixes(insn, n, long64, &pf);
	i = pf.len;
	if (i + 3 > n || insn[i] != 0x0f || insn[i + 1] != 0x22 ||
	    ((insn[i + 2] >> 3) & 7) != 4 || (pf.rex & 4))
		return -EINVAL;
	*len = i + 3;
	return (insn[i + 2] & 7) | (pf.rex & 1) << 3;
}

/* MOV to CR4, checked as Xen checks it (x86.h), with the TLB flush a change needs. */
static void svm_cr4(struct kxen_vcpu *v, const struct kxen_sregs *s)
{
	struct vmcb *vmcb = svm(v)->vmcb;
	unsigned int len;
	int reg = svm_mov_cr4_source(v, s, &len);
	u64 val, old = vmcb->save.cr4;

	if (reg == -EAGAIN)
		return;		/* the code went away under us: run it again */
	if (reg < 0) {
		kxen_domain_crash(v->d, "CR4 write exit on an instruction kxen cannot decode");
		return;
	}
	val = *kxen_gpr(&v->arch.gprs, reg);
	if (!s->cs_l || !(s->efer & EFER_LMA))
		val = (u32)val;		/* outside 64-bit code, the low half */
	if (kxen_x86_cr4(v, s, val)) {
		svm_inject(v, X86_TRAP_GP, true, 0);
		return;
	}
	/* The CPU flushes the guest's TLB for these when it makes the change itself. */
	if (((old ^ val) & (X86_CR4_PSE | X86_CR4_PAE | X86_CR4_PGE | X86_CR4_SMEP)) ||
	    ((old & X86_CR4_PCIDE) && !(val & X86_CR4_PCIDE)))
		v->arch.tlb_flush = true;
	vmcb->save.cr4 = val;
	svm_skip(v, len);
}

static void svm_handle_exit(struct kxen_vcpu *v)
{
	struct vmcb *vmcb = svm(v)->vmcb;
	struct vmcb_control_area *c = &vmcb->control;
	struct kxen_sregs s;
	char why[160];

	/* An event whose delivery the exit cut short is delivered on the next entry. */
	c->event_inj = 0;
	if (c->exit_int_info & SVM_EXITINTINFO_VALID) {
		c->event_inj = c->exit_int_info;
		c->event_inj_err = c->exit_int_info_err;
	}
	svm_taken_irq(v);
	svm_get_sregs(v, &s);

	switch (c->exit_code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
		return;		/* the host has taken it already */
	case SVM_EXIT_VINTR:
		return;		/* the guest can take interrupts: svm_inject_pending() looks again */
	case SVM_EXIT_CPUID:
		kxen_x86_cpuid(v, &s);
		svm_skip(v, 2);
		return;
	case SVM_EXIT_HLT:
		svm_skip(v, 1);
		kxen_vcpu_halt(v);
		return;
	case SVM_EXIT_VMMCALL:
		kxen_x86_hypercall(v, &s);
		svm_skip(v, 3);
		return;
	case SVM_EXIT_IOIO:
		svm_io(v, &s);
		return;
	case SVM_EXIT_MSR:
		kxen_x86_msr_exit(v, c->exit_info_1, 2);
		return;
	case SVM_EXIT_WRITE_CR4:
		svm_cr4(v, &s);
		return;
	case SVM_EXIT_XSETBV:
		kxen_x86_xsetbv_exit(v, 3);
		return;
	case SVM_EXIT_INVD:
		svm_skip(v, 2);	/* done as WBINVD would be: nothing to drop */
		return;
	case SVM_EXIT_EXCP_BASE + UD_VECTOR:
		kxen_x86_ud(v, &s);
		return;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_RDTSCP:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_MWAIT_COND:
	case SVM_EXIT_RDPRU:
		svm_inject(v, X86_TRAP_UD, false, 0);	/* not in the guest's CPUID */
		return;
	case SVM_EXIT_SHUTDOWN:
		kxen_domain_crash(v->d, "triple fault");
		return;
	case SVM_EXIT_NPF:
		/*
		 * Bit 4: an instruction fetch; bit 33: the guest's own page-table walk; or
		 * an event being delivered (its stack, IDT or GDT): none is an instruction's
		 * data access that kxen could finish.
		 */
		if (!kxen_x86_npf(v, &s, c->exit_info_2,
				  (c->exit_info_1 & (BIT_ULL(4) | BIT_ULL(33))) ||
				  (c->exit_int_info & SVM_EXITINTINFO_VALID), why, sizeof(why)))
			return;
		kxen_domain_crash(v->d, why);
		return;
	case SVM_EXIT_ERR:
		kxen_domain_crash(v->d, "invalid guest state (VMRUN failed)");
		return;
	}
	snprintf(why, sizeof(why), "unexpected SVM exit %#x at rip %#llx", c->exit_code,
		 vmcb->save.rip);
	kxen_domain_crash(v->d, why);
}

static void svm_vcpu_enter(struct kxen_vcpu *v)
{
	struct svm_vcpu *s = svm(v);
	struct vmcb *vmcb = s->vmcb;
	int cpu;

	local_irq_disable();
	cpu = smp_processor_id();
	WRITE_ONCE(v->guest_cpu, cpu);
	/* A kick from now on sends an IPI; one before it made us see its state. */
	smp_mb();
	if (need_resched() || !kxen_domain_runnable(v->d)) {
		WRITE_ONCE(v->guest_cpu, -1);
		local_irq_enable();
		return;
	}
	svm_pick_asid(v, vmcb, cpu);
	svm_inject_pending(v);
	/*
	 * The CPU writes nRIP on an exit for an instruction it intercepted and zeroes it
	 * for the rest (NPF, exceptions), and svm_skip() trusts a nonzero one; zeroed here
	 * too, so an emulator that writes it only where it has one leaves no stale value.
	 */
	vmcb->control.next_rip = 0;
	vmcb->save.rax = v->arch.gprs.rax;
	vmcb->save.rsp = v->arch.gprs.rsp;
	kxen_fpu_load(v, vmcb->save.cr4);
	kxen_x86_spec_enter(v);

	asm volatile("clgi" ::: "memory");
	kxen_svm_run(__pa(vmcb), page_to_phys(s->host_save), &v->arch.gprs);
	kxen_fpu_save(v);
	asm volatile("stgi" ::: "memory");

	WRITE_ONCE(v->guest_cpu, -1);
	v->arch.last_cpu = cpu;
	v->arch.gprs.rax = vmcb->save.rax;
	v->arch.gprs.rsp = vmcb->save.rsp;
	local_irq_enable();	/* the interrupt that ended the run, if any, is taken here */
	svm_handle_exit(v);
}

const struct kxen_backend kxen_svm_backend = {
	.name = "AMD SVM",
	.cpu_on = svm_cpu_on,
	.cpu_off = svm_cpu_off,
	.p2m_init = kxen_nested_pt_init,
	.p2m_map = kxen_npt_map,
	.p2m_unmap = kxen_npt_unmap,
	.p2m_destroy = kxen_npt_destroy,
	.vcpu_init = svm_vcpu_init,
	.vcpu_free = svm_vcpu_free,
	.vcpu_enter = svm_vcpu_enter,
	.get_sregs = svm_get_sregs,
	.get_seg = svm_get_seg,
	.inject_exception = svm_inject_exception,
	.skip = svm_skip,
	.msr_read = svm_rdmsr,
	.msr_write = svm_wrmsr,
	.interrupts_enabled = svm_interrupts_enabled,
	.vcpu_sipi = svm_vcpu_sipi,
	.load_cpu = svm_load_cpu,
	.save_cpu = svm_save_cpu,
};
