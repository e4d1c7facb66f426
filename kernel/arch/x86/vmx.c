// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel VMX backend: VT-x with EPT (nested_pt.c) and unrestricted guest, behind the same
 * interface as svm.c. VMXON runs on every CPU while kxen has a domain (cpu_on, with a
 * page stamped with the VMCS revision from IA32_VMX_BASIC).
 *
 * A VMCS lives in the processor while it is current, and is current on one CPU at a
 * time; a vcpu's thread may move between CPUs whenever it is preemptible. So each
 * vcpu keeps its state in memory, in struct vmx_vcpu, as SVM keeps its VMCB, and its
 * VMCS is current only for one run, with interrupts off on one CPU: VMPTRLD, write
 * the whole state, VMLAUNCH, read it back, VMCLEAR. Slower than keeping it loaded
 * (KVM does, with preempt notifiers) and much simpler: code above the run never
 * touches the VMCS.
 *
 * What VMX leaves to software, unlike SVM: the host's GDT and TSS limits (an exit sets
 * them to 0xffff and 0x67), DS and ES, the SYSCALL MSRs and KERNEL_GS_BASE (SWAPGS and
 * SYSCALL use the real MSRs), the debug registers (MOV DR exits: the guest's are kept
 * here, its breakpoints do not fire), and CR0/CR4 bits VMX operation fixes (NE, VMXE:
 * owned by kxen, the guest reads its own values from the read shadows).
 */
#include <linux/idr.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/desc.h>
#include <asm/debugreg.h>
#include <asm/idtentry.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>
#include <asm/traps.h>
#include <asm/tsc.h>
#include <asm/vmx.h>

#include "../../core/domain.h"
#include "arch.h"
#include "nested_pt.h"
#include "fpu.h"
#include "lapic.h"
#include "vmx_insn.h"
#include "x86.h"

/* GETSEC exits whatever the controls say; Linux's header has no name for it. */
#define EXIT_REASON_GETSEC	11

/* A segment register as VMX holds it: access rights in VMX's layout (bit 16: unusable). */
struct vmx_seg {
	u16 sel;
	u32 limit;
	u32 ar;
	u64 base;
};

#define AR_UNUSABLE	BIT(16)

/* A vcpu's state between runs: everything the VMCS would hold for it. */
struct vmx_vcpu {
	void *vmcs;
	void *msr_bitmap;
	bool launched_once;	/* VMCLEARed at least once: its launch state is clear */
	u16 vpid;		/* its TLB tag, 0 for none (then every entry flushes) */

	struct vmx_seg es, cs, ss, ds, fs, gs, ldtr, tr;
	u64 gdtr_base, idtr_base;
	u32 gdtr_limit, idtr_limit;
	u64 rip, rflags;
	u64 cr0, cr2, cr3, cr4;		/* as the CPU runs with them */
	u64 pdpte[4];			/* PAE paging's, which VMX keeps with EPT */
	u64 cr0_shadow, cr4_shadow;	/* as the guest sees them */
	u64 efer, pat;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u32 interruptibility;
	u64 pending_dbg;		/* a single step, pending across an exit */
	u64 dr[4], dr6, dr7;		/* the guest's, emulated */
	/* MSRs VMX does not switch, loaded by hand around each run. */
	u64 kernel_gs_base, star, lstar, cstar, sfmask;

	/* What to inject at the next entry (VM_ENTRY_INTR_INFO_FIELD), and the window. */
	u32 entry_intr, entry_err, entry_len;
	bool irq_window, nmi_window;
	int offered;			/* an interrupt injected, not yet known taken */

	/* Why the last run ended. */
	u32 exit_reason, exit_intr, exit_err, idt_info, idt_err, exit_len, exit_insn;
	u64 exit_qual, exit_gpa;
	u32 insn_error;
};

static struct vmx_vcpu *vmx(struct kxen_vcpu *v)
{
	return v->arch.backend;
}

/* The controls, worked out once against what the CPU allows (vmx_setup). */
static u32 vmx_pin_ctl, vmx_proc_ctl, vmx_proc2_ctl, vmx_exit_ctl, vmx_entry_ctl;
static u64 vmx_cr0_fixed0, vmx_cr0_fixed1, vmx_cr4_fixed0, vmx_cr4_fixed1;
static u32 vmx_vmcs_revision;
static bool vmx_has_invept_single;
/* The VMX preemption timer's count for a slice (one host tick), or 0: none. */
static u32 vmx_slice_ticks;
/* VPIDs tag each vcpu's TLB entries, so that they survive exits: 1-65535. */
static bool vmx_has_vpid;
static DEFINE_IDA(vpids);

/* ---- VMX instructions on the current VMCS. */

static void vmcs_write(unsigned long field, u64 value)
{
	asm volatile("vmwrite %1, %0" : : "r"(field), "rm"(value) : "cc", "memory");
}

static u64 vmcs_read(unsigned long field)
{
	u64 value = 0;

	asm volatile("vmread %1, %0" : "=rm"(value) : "r"(field) : "cc");
	return value;
}

static int vmcs_load(u64 pa)
{
	bool fail;

	asm volatile("vmptrld %1" : "=@ccbe"(fail) : "m"(pa) : "memory");
	return fail ? -EIO : 0;
}

static void vmcs_clear(u64 pa)
{
	asm volatile("vmclear %0" : : "m"(pa) : "cc", "memory");
}

static void vpid_flush(u16 vpid)
{
	struct {
		u64 vpid, zero;
	} desc = { vpid, 0 };

	asm volatile("invvpid %0, %1" : : "m"(desc), "r"((unsigned long)VMX_VPID_EXTENT_SINGLE_CONTEXT)
		     : "cc", "memory");
}

static void ept_flush(unsigned long type, u64 eptp)
{
	struct {
		u64 eptp, zero;
	} desc = { eptp, 0 };

	asm volatile("invept %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

/* ---- Set-up, once: the controls this CPU allows. */

/* want's bits, plus those the CPU insists on; -EIO when it refuses one of want's. */
static int vmx_adjust(u32 want, u32 msr, u32 *out)
{
	u32 must, may;

	rdmsr(msr, must, may);
	*out = (want | must) & may;
	return (*out & want) == want ? 0 : -EIO;
}

/* The controls kxen needs, as this CPU allows them: 0, or -EIO. */
static int vmx_controls(void)
{
	bool true_ctls;
	u64 basic, cap;
	u32 lo, hi;
	int err;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	vmx_vmcs_revision = basic & 0x7fffffff;
	true_ctls = basic & VMX_BASIC_TRUE_CTLS;

	err = vmx_adjust(PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS,
		     true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
		     &vmx_pin_ctl);
	/*
	 * CR8 exits: without them (or a TPR shadow) a guest's MOV to CR8 would set the
	 * host's own TPR, and could mask every interrupt of the host CPU.
	 */
	err = err ?: vmx_adjust(CPU_BASED_HLT_EXITING | CPU_BASED_MWAIT_EXITING |
			    CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING |
			    CPU_BASED_RDPMC_EXITING | CPU_BASED_MOV_DR_EXITING |
			    CPU_BASED_UNCOND_IO_EXITING | CPU_BASED_USE_MSR_BITMAPS |
			    CPU_BASED_MONITOR_EXITING | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
			    true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			    MSR_IA32_VMX_PROCBASED_CTLS, &vmx_proc_ctl);
	err = err ?: vmx_adjust(SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST |
			    SECONDARY_EXEC_WBINVD_EXITING, MSR_IA32_VMX_PROCBASED_CTLS2,
			    &vmx_proc2_ctl);
	err = err ?: vmx_adjust(VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER |
			    VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
			    VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_DEBUG_CONTROLS,
			    true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
			    &vmx_exit_ctl);
	err = err ?: vmx_adjust(VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT |
			    VM_ENTRY_LOAD_DEBUG_CONTROLS,
			    true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS,
			    &vmx_entry_ctl);
	if (err)
		return err;
	/*
	 * The preemption timer ends a run after a host tick's worth of the guest, also
	 * where a host interrupt would not (it counts down at the TSC's rate, divided by
	 * 2^VMX_MISC[4:0]): a guest spinning with interrupts off shares the CPU anyway.
	 */
	rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS, lo, hi);
	if ((hi & PIN_BASED_VMX_PREEMPTION_TIMER) && tsc_khz) {
		rdmsrl(MSR_IA32_VMX_MISC, cap);
		vmx_pin_ctl |= PIN_BASED_VMX_PREEMPTION_TIMER;
		vmx_slice_ticks = max_t(u64, 1, ((u64)tsc_khz * 1000 / HZ) >>
				    (cap & VMX_MISC_PREEMPTION_TIMER_RATE_MASK));
	}
	/* What we do not ask for, and the CPU does not insist on, stays off. */
	vmx_proc_ctl &= ~(CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING |
		      CPU_BASED_INVLPG_EXITING) | (true_ctls ? 0 : CPU_BASED_ALWAYSON_WITHOUT_TRUE_MSR);
	/* INVPCID in the guest faults unless enabled; Linux uses it where CPUID has it. */
	rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2, lo, hi);
	if ((hi & SECONDARY_EXEC_ENABLE_INVPCID) && boot_cpu_has(X86_FEATURE_INVPCID))
		vmx_proc2_ctl |= SECONDARY_EXEC_ENABLE_INVPCID;
	vmx_entry_ctl &= ~VM_ENTRY_IA32E_MODE;	/* set per entry, from the guest's EFER.LMA */

	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, vmx_cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, vmx_cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, vmx_cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, vmx_cr4_fixed1);
	/* Unrestricted guest: paging and protection may be off. */
	vmx_cr0_fixed0 &= ~(u64)(X86_CR0_PE | X86_CR0_PG);

	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, cap);
	if (!(cap & VMX_EPT_PAGE_WALK_4_BIT) || !(cap & VMX_EPTP_WB_BIT) ||
	    !(cap & VMX_EPT_INVEPT_BIT))
		return -EIO;
	vmx_has_invept_single = cap & VMX_EPT_EXTENT_CONTEXT_BIT;
	rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2, lo, hi);
	vmx_has_vpid = (hi & SECONDARY_EXEC_ENABLE_VPID) && (cap >> 32 & VMX_VPID_INVVPID_BIT) &&
		   (cap >> 32 & VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT);
	return 0;
}

static int vmx_setup(void)
{
	if (!vmx_controls())
		return 0;
	pr_err("cannot run: this CPU's VMX lacks controls kxen needs (EPT with 4 levels, write-back and INVEPT; HLT, I/O, MSR-bitmap and EFER/PAT exits)\n");
	return -ENODEV;
}

/* ---- Entering and leaving VMX operation on a CPU. */

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

/* ---- Guest state: the entry states, and the toolstack's HVM CPU record. */

/* SVM's 12-bit attributes (those of Xen's HVM records) to VMX's access rights. */
static u32 vmx_ar_from_attr(u32 attr)
{
	if (!(attr & 0x80))
		return AR_UNUSABLE;
	return (attr & 0xff) | ((attr & 0xf00) << 4);
}

static u32 vmx_attr_from_ar(u32 ar)
{
	return ar & AR_UNUSABLE ? 0 : (ar & 0xff) | ((ar >> 4) & 0xf00);
}

static void vmx_seg(struct vmx_seg *s, u16 sel, u32 ar, u32 limit, u64 base)
{
	*s = (struct vmx_seg){ sel, limit, ar, base };
}

/* CR0 and CR4 as the CPU must run with them, for what the guest asked. */
static u64 vmx_real_cr0(u64 cr0)
{
	/* Caching stays on: CD and NW live in the read shadow only, as in KVM. */
	return ((cr0 | vmx_cr0_fixed0) & vmx_cr0_fixed1) & ~(u64)(X86_CR0_CD | X86_CR0_NW);
}

static u64 vmx_real_cr4(u64 cr4)
{
	return (cr4 | vmx_cr4_fixed0) & vmx_cr4_fixed1;
}

static void vmx_set_cr0(struct vmx_vcpu *x, u64 cr0)
{
	x->cr0_shadow = cr0;
	x->cr0 = vmx_real_cr0(cr0);
}

static void vmx_set_cr4(struct vmx_vcpu *x, u64 cr4)
{
	x->cr4_shadow = cr4;
	x->cr4 = vmx_real_cr4(cr4);
}

/* The state shared by the PVH entry and a SIPI: no paging, default PAT and XCR0. */
static void vmx_common_state(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);

	vmx_seg(&x->tr, 0, 0x8b, 0x67, 0);
	vmx_seg(&x->ldtr, 0, AR_UNUSABLE, 0xffff, 0);
	x->gdtr_base = x->idtr_base = 0;
	x->gdtr_limit = x->idtr_limit = 0xffff;
	x->cr2 = x->cr3 = 0;
	vmx_set_cr4(x, 0);
	x->efer = 0;
	x->dr6 = DR6_RESERVED;
	x->dr7 = 0x400;
	x->rflags = X86_EFLAGS_FIXED;
	x->pat = 0x0007040600070406ULL;	/* the power-on PAT */
	x->interruptibility = 0;
	x->pending_dbg = 0;
	x->entry_intr = 0;
	x->irq_window = x->nmi_window = false;
	x->offered = -1;
	memset(&v->arch.gprs, 0, sizeof(v->arch.gprs));
	/* A new life for the vcpu: nothing it cached before holds. */
	v->arch.tlb_flush = true;
}

/*
 * A new vcpu, down until the toolstack's HVM context or an INIT/SIPI starts it: the
 * PVH entry state (pvh.pandoc), flat 32-bit protected mode with paging off.
 */
static void vmx_pvh_state(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);

	vmx_common_state(v);
	vmx_seg(&x->cs, 0, 0xc09b, 0xffffffff, 0);
	vmx_seg(&x->ds, 0, 0xc093, 0xffffffff, 0);
	vmx_seg(&x->es, 0, 0xc093, 0xffffffff, 0);
	vmx_seg(&x->ss, 0, 0xc093, 0xffffffff, 0);
	vmx_seg(&x->fs, 0, 0xc093, 0xffffffff, 0);
	vmx_seg(&x->gs, 0, 0xc093, 0xffffffff, 0);
	vmx_set_cr0(x, X86_CR0_PE | X86_CR0_ET);
}

/* After INIT and SIPI: real mode at vector:0000, as the APIC starts an AP. */
static void vmx_vcpu_sipi(struct kxen_vcpu *v, u8 vector)
{
	struct vmx_vcpu *x = vmx(v);

	vmx_common_state(v);
	vmx_seg(&x->cs, vector << 8, 0x9b, 0xffff, vector << 12);
	vmx_seg(&x->ds, 0, 0x93, 0xffff, 0);
	vmx_seg(&x->es, 0, 0x93, 0xffff, 0);
	vmx_seg(&x->ss, 0, 0x93, 0xffff, 0);
	vmx_seg(&x->fs, 0, 0x93, 0xffff, 0);
	vmx_seg(&x->gs, 0, 0x93, 0xffff, 0);
	vmx_set_cr0(x, X86_CR0_ET | X86_CR0_CD | X86_CR0_NW);
	x->rip = 0;
}

/*
 * With EPT, PAE paging (not long mode) takes its four PDPTEs from the VMCS, not from
 * memory: whenever kxen itself puts the guest into that mode, it reads them as the
 * CPU would (MOV to CR0/CR3/CR4), -EINVAL (#GP) for reserved bits set.
 */
static int vmx_load_pdptes(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);
	u64 pdpte[4], rsvd = GENMASK_ULL(63, boot_cpu_data.x86_phys_bits) | 0x1e6;
	unsigned int i;

	if (!(x->cr0 & X86_CR0_PG) || !(x->cr4 & X86_CR4_PAE) || (x->efer & EFER_LMA))
		return 0;
	if (kxen_gpa_read(v->d, pdpte, x->cr3 & ~0x1fULL, sizeof(pdpte)))
		return -EINVAL;
	for (i = 0; i < 4; i++)
		if ((pdpte[i] & 1) && (pdpte[i] & rsvd & ~BIT_ULL(63)))
			return -EINVAL;
	memcpy(x->pdpte, pdpte, sizeof(pdpte));
	return 0;
}

static void vmx_load_cpu(struct kxen_vcpu *v, const struct hvm_hw_cpu *c)
{
	struct vmx_vcpu *x = vmx(v);

	vmx_seg(&x->cs, c->cs_sel, vmx_ar_from_attr(c->cs_arbytes), c->cs_limit, c->cs_base);
	vmx_seg(&x->ds, c->ds_sel, vmx_ar_from_attr(c->ds_arbytes), c->ds_limit, c->ds_base);
	vmx_seg(&x->es, c->es_sel, vmx_ar_from_attr(c->es_arbytes), c->es_limit, c->es_base);
	vmx_seg(&x->fs, c->fs_sel, vmx_ar_from_attr(c->fs_arbytes), c->fs_limit, c->fs_base);
	vmx_seg(&x->gs, c->gs_sel, vmx_ar_from_attr(c->gs_arbytes), c->gs_limit, c->gs_base);
	vmx_seg(&x->ss, c->ss_sel, vmx_ar_from_attr(c->ss_arbytes), c->ss_limit, c->ss_base);
	vmx_seg(&x->tr, c->tr_sel, vmx_ar_from_attr(c->tr_arbytes), c->tr_limit, c->tr_base);
	vmx_seg(&x->ldtr, c->ldtr_sel, vmx_ar_from_attr(c->ldtr_arbytes), c->ldtr_limit,
	    c->ldtr_base);
	x->gdtr_base = c->gdtr_base;
	x->gdtr_limit = c->gdtr_limit;
	x->idtr_base = c->idtr_base;
	x->idtr_limit = c->idtr_limit;
	vmx_set_cr0(x, c->cr0);
	vmx_set_cr4(x, c->cr4);
	x->cr2 = c->cr2;
	x->cr3 = c->cr3;
	x->efer = c->msr_efer;
	x->dr6 = c->dr6;
	x->dr7 = c->dr7;
	x->rip = c->rip;
	x->rflags = c->rflags;
	x->star = c->msr_star;
	x->lstar = c->msr_lstar;
	x->cstar = c->msr_cstar;
	x->sfmask = c->msr_syscall_mask;
	x->kernel_gs_base = c->shadow_gs;
	x->sysenter_cs = c->sysenter_cs;
	x->sysenter_esp = c->sysenter_esp;
	x->sysenter_eip = c->sysenter_eip;
	x->interruptibility = 0;
	x->pending_dbg = 0;
	x->entry_intr = 0;
	x->offered = -1;
	v->arch.tlb_flush = true;
	/* PAE paging without long mode: its PDPTEs come from memory, as on a load. */
	if (vmx_load_pdptes(v))
		memset(x->pdpte, 0, sizeof(x->pdpte));	/* the entry will fault */
}

static void vmx_seg_save(const struct vmx_seg *s, u32 *sel, u32 *attr, u32 *limit, u64 *base)
{
	*sel = s->sel;
	*attr = vmx_attr_from_ar(s->ar);
	*limit = s->limit;
	*base = s->base;
}

static void vmx_save_cpu(struct kxen_vcpu *v, struct hvm_hw_cpu *c)
{
	struct vmx_vcpu *x = vmx(v);

	vmx_seg_save(&x->cs, &c->cs_sel, &c->cs_arbytes, &c->cs_limit, &c->cs_base);
	vmx_seg_save(&x->ds, &c->ds_sel, &c->ds_arbytes, &c->ds_limit, &c->ds_base);
	vmx_seg_save(&x->es, &c->es_sel, &c->es_arbytes, &c->es_limit, &c->es_base);
	vmx_seg_save(&x->fs, &c->fs_sel, &c->fs_arbytes, &c->fs_limit, &c->fs_base);
	vmx_seg_save(&x->gs, &c->gs_sel, &c->gs_arbytes, &c->gs_limit, &c->gs_base);
	vmx_seg_save(&x->ss, &c->ss_sel, &c->ss_arbytes, &c->ss_limit, &c->ss_base);
	vmx_seg_save(&x->tr, &c->tr_sel, &c->tr_arbytes, &c->tr_limit, &c->tr_base);
	vmx_seg_save(&x->ldtr, &c->ldtr_sel, &c->ldtr_arbytes, &c->ldtr_limit, &c->ldtr_base);
	c->gdtr_base = x->gdtr_base;
	c->gdtr_limit = x->gdtr_limit;
	c->idtr_base = x->idtr_base;
	c->idtr_limit = x->idtr_limit;
	c->cr0 = x->cr0_shadow;
	c->cr2 = x->cr2;
	c->cr3 = x->cr3;
	c->cr4 = x->cr4_shadow;
	c->msr_efer = x->efer;
	c->dr6 = x->dr6;
	c->dr7 = x->dr7;
	c->rip = x->rip;
	c->rflags = x->rflags;
	c->msr_star = x->star;
	c->msr_lstar = x->lstar;
	c->msr_cstar = x->cstar;
	c->msr_syscall_mask = x->sfmask;
	c->shadow_gs = x->kernel_gs_base;
	c->sysenter_cs = x->sysenter_cs;
	c->sysenter_esp = x->sysenter_esp;
	c->sysenter_eip = x->sysenter_eip;
}

static void vmx_get_sregs(struct kxen_vcpu *v, struct kxen_sregs *r)
{
	struct vmx_vcpu *x = vmx(v);

	r->rip = x->rip;
	r->rflags = x->rflags;
	r->cr0 = x->cr0;
	r->cr3 = x->cr3;
	r->cr4 = x->cr4_shadow;
	r->efer = x->efer;
	r->cpl = x->cr0 & X86_CR0_PE ? (x->ss.ar >> 5) & 3 : 0;
	r->cs_l = x->cs.ar & BIT(13);
	r->cs_db = x->cs.ar & BIT(14);
}

static void vmx_get_seg(struct kxen_vcpu *v, unsigned int seg, struct kxen_seg *out)
{
	struct vmx_vcpu *x = vmx(v);
	struct vmx_seg *segs[] = { &x->es, &x->cs, &x->ss, &x->ds, &x->fs, &x->gs };
	struct vmx_seg *sg = segs[seg < ARRAY_SIZE(segs) ? seg : KXEN_SEG_DS];

	out->base = sg->base;
	out->limit = sg->limit;
	out->usable = !(sg->ar & AR_UNUSABLE) && (sg->ar & BIT(7));
}

static bool vmx_interrupts_enabled(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);

	return (x->rflags & X86_EFLAGS_IF) &&
	       !(x->interruptibility & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

/* ---- The vcpu: its pages, and the MSRs the guest may touch without an exit. */

/* The MSRs whose guest values kxen keeps in the CPU for the run (see the run). */
static const u32 vmx_passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR,
	MSR_SYSCALL_MASK, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
	MSR_IA32_SYSENTER_EIP,
};

/* Clear msr's read and write bits: the bitmap's four 1 KiB quarters (SDM 24.6.9). */
static void vmx_msr_allow(void *bitmap, u32 msr)
{
	unsigned long *b = bitmap;
	u32 bit = msr & 0x1fff;
	u32 base = msr >= 0xc0000000 ? 1024 * 8 : 0;

	__clear_bit(base + bit, b);			/* read */
	__clear_bit(2048 * 8 + base + bit, b);		/* write */
}

static int vmx_vcpu_init(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x;
	unsigned int i;

	x = kzalloc(sizeof(*x), GFP_KERNEL_ACCOUNT);
	if (!x)
		return -ENOMEM;
	x->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	x->msr_bitmap = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (!x->vmcs || !x->msr_bitmap) {
		free_page((unsigned long)x->vmcs);
		free_page((unsigned long)x->msr_bitmap);
		kfree(x);
		return -ENOMEM;
	}
	*(u32 *)x->vmcs = vmx_vmcs_revision;
	if (vmx_has_vpid) {
		int id = ida_alloc_range(&vpids, 1, 0xffff, GFP_KERNEL);

		x->vpid = id > 0 ? id : 0;	/* none left: this vcpu goes without */
	}
	memset(x->msr_bitmap, 0xff, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(vmx_passthrough_msrs); i++)
		vmx_msr_allow(x->msr_bitmap, vmx_passthrough_msrs[i]);
	v->arch.backend = x;
	vmx_pvh_state(v);
	return 0;
}

static void vmx_vcpu_free(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);

	/* A vcpu that gets this VPID next flushes it on each CPU it comes to first. */
	if (x->vpid)
		ida_free(&vpids, x->vpid);
	free_page((unsigned long)x->vmcs);
	free_page((unsigned long)x->msr_bitmap);
	kfree(x);
	v->arch.backend = NULL;
}

/* ---- One run: the state into the VMCS, the guest, the state back. */

static void vmx_write_seg(unsigned long sel, const struct vmx_seg *s)
{
	/* The fields of one segment sit at fixed distances from its selector's. */
	vmcs_write(sel, s->sel);
	vmcs_write(sel - GUEST_ES_SELECTOR + GUEST_ES_LIMIT, s->limit);
	vmcs_write(sel - GUEST_ES_SELECTOR + GUEST_ES_AR_BYTES, s->ar);
	vmcs_write(sel - GUEST_ES_SELECTOR + GUEST_ES_BASE, s->base);
}

static void vmx_read_seg(unsigned long sel, struct vmx_seg *s)
{
	s->sel = vmcs_read(sel);
	s->limit = vmcs_read(sel - GUEST_ES_SELECTOR + GUEST_ES_LIMIT);
	s->ar = vmcs_read(sel - GUEST_ES_SELECTOR + GUEST_ES_AR_BYTES);
	s->base = vmcs_read(sel - GUEST_ES_SELECTOR + GUEST_ES_BASE);
}

/* The TSS of this CPU, from its GDT entry (a 16-byte system descriptor). */
static u64 vmx_host_tr_base(void)
{
	struct desc_ptr gdt;
	struct ldttss_desc *d;
	u16 tr;

	native_store_gdt(&gdt);
	asm volatile("str %0" : "=r"(tr));
	d = (struct ldttss_desc *)(gdt.address + (tr & ~7));
	return d->base0 | ((u64)d->base1 << 16) | ((u64)d->base2 << 24) |
	       ((u64)d->base3 << 32);
}

static void vmx_write_host_state(void)
{
	struct desc_ptr dt;
	u32 lo, hi;
	u64 v;

	vmcs_write(HOST_CR0, read_cr0());
	vmcs_write(HOST_CR3, __read_cr3());
	vmcs_write(HOST_CR4, __read_cr4());
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	rdmsrl(MSR_FS_BASE, v);
	vmcs_write(HOST_FS_BASE, v);
	rdmsrl(MSR_GS_BASE, v);
	vmcs_write(HOST_GS_BASE, v);
	vmcs_write(HOST_TR_BASE, vmx_host_tr_base());
	native_store_gdt(&dt);
	vmcs_write(HOST_GDTR_BASE, dt.address);
	store_idt(&dt);
	vmcs_write(HOST_IDTR_BASE, dt.address);
	rdmsr(MSR_IA32_SYSENTER_CS, lo, hi);
	vmcs_write(HOST_IA32_SYSENTER_CS, lo);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vmcs_write(HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vmcs_write(HOST_IA32_SYSENTER_EIP, v);
	rdmsrl(MSR_EFER, v);
	vmcs_write(HOST_IA32_EFER, v);
	rdmsrl(MSR_IA32_CR_PAT, v);
	vmcs_write(HOST_IA32_PAT, v);
	vmcs_write(HOST_RIP, (unsigned long)kxen_vmx_exit);
}

static void vmx_write_state(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);
	u32 proc = vmx_proc_ctl | (x->irq_window ? CPU_BASED_INTR_WINDOW_EXITING : 0) |
		   (x->nmi_window ? CPU_BASED_NMI_WINDOW_EXITING : 0);

	vmcs_write(VMCS_LINK_POINTER, ~0ULL);
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, vmx_pin_ctl);
	if (vmx_slice_ticks)
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, vmx_slice_ticks);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, vmx_proc2_ctl | (x->vpid ? SECONDARY_EXEC_ENABLE_VPID : 0));
	vmcs_write(VIRTUAL_PROCESSOR_ID, x->vpid);
	vmcs_write(VM_EXIT_CONTROLS, vmx_exit_ctl);
	vmcs_write(VM_ENTRY_CONTROLS, vmx_entry_ctl | (x->efer & EFER_LMA ? VM_ENTRY_IA32E_MODE : 0));
	/*
	 * #AC and #DB: a guest can make the CPU deliver either for ever, taking no
	 * interrupt meanwhile (CVE-2015-5307, CVE-2015-8104); as exits they go back in.
	 */
	vmcs_write(EXCEPTION_BITMAP, BIT(X86_TRAP_UD) | BIT(X86_TRAP_MC) | BIT(X86_TRAP_AC) |
		   BIT(X86_TRAP_DB));
	vmcs_write(MSR_BITMAP, __pa(x->msr_bitmap));
	vmcs_write(EPT_POINTER, kxen_ept_pointer(v->d));
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	/*
	 * The CR0 and CR4 bits VMX fixes are kxen's; so is every CR4 bit the guest's
	 * CPUID does not offer, so that setting one exits (and gets #GP, vmx_guest_cr4()).
	 */
	vmcs_write(CR0_GUEST_HOST_MASK, vmx_cr0_fixed0 | ~vmx_cr0_fixed1 | X86_CR0_NW | X86_CR0_CD);
	vmcs_write(CR4_GUEST_HOST_MASK, vmx_cr4_fixed0 | ~vmx_cr4_fixed1 | ~v->d->cpuid.cr4_valid);
	vmcs_write(CR0_READ_SHADOW, x->cr0_shadow);
	vmcs_write(CR4_READ_SHADOW, x->cr4_shadow);

	vmx_write_seg(GUEST_ES_SELECTOR, &x->es);
	vmx_write_seg(GUEST_CS_SELECTOR, &x->cs);
	vmx_write_seg(GUEST_SS_SELECTOR, &x->ss);
	vmx_write_seg(GUEST_DS_SELECTOR, &x->ds);
	vmx_write_seg(GUEST_FS_SELECTOR, &x->fs);
	vmx_write_seg(GUEST_GS_SELECTOR, &x->gs);
	vmx_write_seg(GUEST_LDTR_SELECTOR, &x->ldtr);
	vmx_write_seg(GUEST_TR_SELECTOR, &x->tr);
	vmcs_write(GUEST_GDTR_BASE, x->gdtr_base);
	vmcs_write(GUEST_GDTR_LIMIT, x->gdtr_limit);
	vmcs_write(GUEST_IDTR_BASE, x->idtr_base);
	vmcs_write(GUEST_IDTR_LIMIT, x->idtr_limit);
	vmcs_write(GUEST_CR0, x->cr0);
	vmcs_write(GUEST_CR3, x->cr3);
	vmcs_write(GUEST_PDPTR0, x->pdpte[0]);
	vmcs_write(GUEST_PDPTR1, x->pdpte[1]);
	vmcs_write(GUEST_PDPTR2, x->pdpte[2]);
	vmcs_write(GUEST_PDPTR3, x->pdpte[3]);
	vmcs_write(GUEST_CR4, x->cr4);
	vmcs_write(GUEST_DR7, 0x400);	/* the guest's own DR7 is emulated: no breakpoints */
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_RIP, x->rip);
	vmcs_write(GUEST_RSP, v->arch.gprs.rsp);
	vmcs_write(GUEST_RFLAGS, x->rflags);
	vmcs_write(GUEST_IA32_EFER, x->efer);
	vmcs_write(GUEST_IA32_PAT, x->pat);
	vmcs_write(GUEST_SYSENTER_CS, x->sysenter_cs);
	vmcs_write(GUEST_SYSENTER_ESP, x->sysenter_esp);
	vmcs_write(GUEST_SYSENTER_EIP, x->sysenter_eip);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO, x->interruptibility);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, x->pending_dbg);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, x->entry_intr);
	vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, x->entry_err);
	vmcs_write(VM_ENTRY_INSTRUCTION_LEN, x->entry_len);
}

static void vmx_read_state(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);

	x->exit_reason = vmcs_read(VM_EXIT_REASON);
	x->exit_qual = vmcs_read(EXIT_QUALIFICATION);
	x->exit_intr = vmcs_read(VM_EXIT_INTR_INFO);
	x->exit_err = vmcs_read(VM_EXIT_INTR_ERROR_CODE);
	x->idt_info = vmcs_read(IDT_VECTORING_INFO_FIELD);
	x->idt_err = vmcs_read(IDT_VECTORING_ERROR_CODE);
	x->exit_len = vmcs_read(VM_EXIT_INSTRUCTION_LEN);
	x->exit_insn = vmcs_read(VMX_INSTRUCTION_INFO);
	x->exit_gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);

	vmx_read_seg(GUEST_ES_SELECTOR, &x->es);
	vmx_read_seg(GUEST_CS_SELECTOR, &x->cs);
	vmx_read_seg(GUEST_SS_SELECTOR, &x->ss);
	vmx_read_seg(GUEST_DS_SELECTOR, &x->ds);
	vmx_read_seg(GUEST_FS_SELECTOR, &x->fs);
	vmx_read_seg(GUEST_GS_SELECTOR, &x->gs);
	vmx_read_seg(GUEST_LDTR_SELECTOR, &x->ldtr);
	vmx_read_seg(GUEST_TR_SELECTOR, &x->tr);
	x->gdtr_base = vmcs_read(GUEST_GDTR_BASE);
	x->gdtr_limit = vmcs_read(GUEST_GDTR_LIMIT);
	x->idtr_base = vmcs_read(GUEST_IDTR_BASE);
	x->idtr_limit = vmcs_read(GUEST_IDTR_LIMIT);
	/* Guest-owned bits of CR0 and CR4 change without an exit; the rest are ours. */
	x->cr0 = vmcs_read(GUEST_CR0);
	x->cr4 = vmcs_read(GUEST_CR4);
	x->cr0_shadow = (x->cr0_shadow & vmcs_read(CR0_GUEST_HOST_MASK)) |
			(x->cr0 & ~vmcs_read(CR0_GUEST_HOST_MASK));
	x->cr4_shadow = (x->cr4_shadow & vmcs_read(CR4_GUEST_HOST_MASK)) |
			(x->cr4 & ~vmcs_read(CR4_GUEST_HOST_MASK));
	x->cr3 = vmcs_read(GUEST_CR3);
	x->pdpte[0] = vmcs_read(GUEST_PDPTR0);
	x->pdpte[1] = vmcs_read(GUEST_PDPTR1);
	x->pdpte[2] = vmcs_read(GUEST_PDPTR2);
	x->pdpte[3] = vmcs_read(GUEST_PDPTR3);
	x->rip = vmcs_read(GUEST_RIP);
	v->arch.gprs.rsp = vmcs_read(GUEST_RSP);
	x->rflags = vmcs_read(GUEST_RFLAGS);
	x->efer = vmcs_read(GUEST_IA32_EFER);
	x->pat = vmcs_read(GUEST_IA32_PAT);
	x->sysenter_cs = vmcs_read(GUEST_SYSENTER_CS);
	x->sysenter_esp = vmcs_read(GUEST_SYSENTER_ESP);
	x->sysenter_eip = vmcs_read(GUEST_SYSENTER_EIP);
	x->interruptibility = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);
	x->pending_dbg = vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS);
}

/* The MSRs that SYSCALL and SWAPGS use, the guest's for its run. */
struct host_msrs {
	u64 kernel_gs_base, star, lstar, cstar, sfmask, debugctl;
	unsigned long dr7;
	u16 ds, es, ldt;
};

static void vmx_switch_to_guest(struct vmx_vcpu *x, struct host_msrs *h)
{
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	asm volatile("sldt %0" : "=r"(h->ldt));
	rdmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	rdmsrl(MSR_STAR, h->star);
	rdmsrl(MSR_LSTAR, h->lstar);
	rdmsrl(MSR_CSTAR, h->cstar);
	rdmsrl(MSR_SYSCALL_MASK, h->sfmask);
	rdmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
	get_debugreg(h->dr7, 7);
	/* VMX does not switch CR2: a guest's page fault leaves its address there. */
	if (read_cr2() != x->cr2)
		write_cr2(x->cr2);
	wrmsrl(MSR_KERNEL_GS_BASE, x->kernel_gs_base);
	wrmsrl(MSR_STAR, x->star);
	wrmsrl(MSR_LSTAR, x->lstar);
	wrmsrl(MSR_CSTAR, x->cstar);
	wrmsrl(MSR_SYSCALL_MASK, x->sfmask);
}

static void vmx_switch_to_host(struct vmx_vcpu *x, const struct host_msrs *h)
{
	x->cr2 = read_cr2();
	rdmsrl(MSR_KERNEL_GS_BASE, x->kernel_gs_base);
	rdmsrl(MSR_STAR, x->star);
	rdmsrl(MSR_LSTAR, x->lstar);
	rdmsrl(MSR_CSTAR, x->cstar);
	rdmsrl(MSR_SYSCALL_MASK, x->sfmask);
	wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	wrmsrl(MSR_STAR, h->star);
	wrmsrl(MSR_LSTAR, h->lstar);
	wrmsrl(MSR_CSTAR, h->cstar);
	wrmsrl(MSR_SYSCALL_MASK, h->sfmask);
	/* An exit clears DEBUGCTL and sets DR7 to 0x400: the host's come back. */
	if (h->debugctl)
		wrmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
	if (h->dr7 != 0x400)
		set_debugreg(h->dr7, 7);
	if (h->ds)
		loadsegment(ds, h->ds);
	if (h->es)
		loadsegment(es, h->es);
	/* An exit leaves LDTR null; a process of the host may have one (modify_ldt). */
	if (h->ldt)
		asm volatile("lldt %0" : : "r"(h->ldt));
	/* An exit leaves the GDT limit at 0xffff and the TSS limit at 0x67. */
	load_fixmap_gdt(raw_smp_processor_id());
	invalidate_tss_limit();
}

/* ---- Interrupts and exceptions for the guest. */

static void vmx_inject(struct kxen_vcpu *v, unsigned int vector, bool has_err, u32 err)
{
	struct vmx_vcpu *x = vmx(v);

	/* Real mode pushes no error code, and VM entry refuses one there. */
	if (!(x->cr0 & X86_CR0_PE))
		has_err = false;
	x->entry_intr = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK |
			(has_err ? INTR_INFO_DELIVER_CODE_MASK : 0);
	x->entry_err = err;
	x->entry_len = 0;
}

static void vmx_inject_exception(struct kxen_vcpu *v, unsigned int vector, u32 err, u64 cr2)
{
	vmx_inject(v, vector, kxen_x86_has_error_code(vector), err);
	if (vector == X86_TRAP_PF)
		vmx(v)->cr2 = cr2;
}

/*
 * What the guest is interrupted with next: an NMI, or the interrupt the vcpu has
 * pending, injected at entry when the guest can take it; when it cannot (IF clear,
 * an STI or MOV SS shadow), an exit is asked for the moment it can, and what is
 * pending is looked at again then.
 */
static void vmx_inject_pending(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);
	int vec;

	x->irq_window = x->nmi_window = false;
	x->offered = -1;
	if (x->entry_intr & INTR_INFO_VALID_MASK) {
		/* An event to deliver (again) first; an exit right after it for the rest. */
		x->nmi_window = READ_ONCE(v->arch.nmi_pending);
		x->irq_window = kxen_vcpu_pending_irq(v) >= 0;
		return;
	}
	if (READ_ONCE(v->arch.nmi_pending)) {
		if (x->interruptibility & (GUEST_INTR_STATE_NMI | GUEST_INTR_STATE_MOV_SS |
					   GUEST_INTR_STATE_STI)) {
			x->nmi_window = true;
		} else {
			WRITE_ONCE(v->arch.nmi_pending, false);
			x->entry_intr = NMI_VECTOR | INTR_TYPE_NMI_INTR | INTR_INFO_VALID_MASK;
			x->irq_window = kxen_vcpu_pending_irq(v) >= 0;
			return;
		}
	}
	vec = kxen_vcpu_pending_irq(v);
	if (vec < 0)
		return;
	if (vmx_interrupts_enabled(v)) {
		x->entry_intr = vec | INTR_TYPE_EXT_INTR | INTR_INFO_VALID_MASK;
		x->entry_len = 0;
		x->offered = vec;
	} else {
		x->irq_window = true;
	}
}

/*
 * After an exit: what was being delivered when it came (IDT vectoring) is delivered
 * again at the next entry; an interrupt offered and not among those was taken.
 */
static void vmx_after_exit(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);
	u32 type = x->idt_info & INTR_INFO_INTR_TYPE_MASK;

	x->entry_intr = 0;
	/*
	 * An exit in the middle of an IRET that had unblocked NMIs: blocked again, as the
	 * guest had not finished that IRET (virtual NMIs, SDM 27.2.3). An EPT violation
	 * says so in its qualification (bit 12); the IRET runs again after kxen retries
	 * or finishes the access.
	 */
	if ((((x->exit_reason & 0xffff) == EXIT_REASON_EXCEPTION_NMI &&
	      (x->exit_intr & INTR_INFO_UNBLOCK_NMI)) ||
	     ((x->exit_reason & 0xffff) == EXIT_REASON_EPT_VIOLATION &&
	      (x->exit_qual & BIT(12)))) &&
	    !(x->idt_info & VECTORING_INFO_VALID_MASK))
		x->interruptibility |= GUEST_INTR_STATE_NMI;
	if (x->idt_info & VECTORING_INFO_VALID_MASK) {
		/* An NMI whose delivery was cut short: not blocking yet. */
		if (type == INTR_TYPE_NMI_INTR)
			x->interruptibility &= ~GUEST_INTR_STATE_NMI;
		x->entry_intr = x->idt_info & ~INTR_INFO_RESVD_BITS_MASK;
		x->entry_err = x->idt_err;
		x->entry_len = (type == INTR_TYPE_SOFT_EXCEPTION || type == INTR_TYPE_SOFT_INTR ||
				type == INTR_TYPE_PRIV_SW_EXCEPTION) ? x->exit_len : 0;
		if (x->offered >= 0 && type == INTR_TYPE_EXT_INTR &&
		    (x->idt_info & VECTORING_INFO_VECTOR_MASK) == x->offered) {
			x->entry_intr = 0;	/* not delivered: vmx_inject_pending() offers again */
			x->offered = -1;
		}
	}
	if (x->offered >= 0) {
		kxen_vcpu_ack_irq(v, x->offered);
		x->offered = -1;
	}
}

/* ---- Exits. */

/* Step over the instruction that exited; an STI or MOV SS shadow ends with it. */
static void vmx_skip_exit(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);

	x->rip += x->exit_len;
	x->interruptibility &= ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	/* Single-stepping: the instruction done by kxen traps as the CPU's would. */
	if (x->rflags & X86_EFLAGS_TF) {
		x->dr6 |= DR_STEP;
		vmx_inject(v, X86_TRAP_DB, false, 0);
	}
}

static void vmx_skip(struct kxen_vcpu *v, unsigned int len)
{
	vmx(v)->exit_len = len;
	vmx_skip_exit(v);
}

static int vmx_rdmsr(struct kxen_vcpu *v, u32 index, u64 *value)
{
	struct vmx_vcpu *x = vmx(v);

	switch (index) {
	case MSR_EFER:
		*value = x->efer;
		return 0;
	case MSR_IA32_CR_PAT:
		*value = x->pat;
		return 0;
	}
	return kxen_x86_rdmsr(v, index, value);
}

static int vmx_wrmsr(struct kxen_vcpu *v, u32 index, u64 value)
{
	struct vmx_vcpu *x = vmx(v);

	switch (index) {
	case MSR_EFER:
		return kxen_x86_efer(x->efer, x->cr0, value, &x->efer);
	case MSR_IA32_CR_PAT:
		if (!kxen_x86_pat_valid(value))
			return -EINVAL;
		x->pat = value;
		return 0;
	}
	return kxen_x86_wrmsr(v, index, value);
}

/* A GPR by its number in an exit qualification (RSP is the guest's, as the rest). */
/* MOV to CR0 (the guest changed a bit kxen owns), with the checks the CPU makes. */
static int vmx_guest_cr0(struct kxen_vcpu *v, u64 val)
{
	struct vmx_vcpu *x = vmx(v);
	bool pg = val & X86_CR0_PG, was_pg = x->cr0 & X86_CR0_PG;

	if (val >> 32 || (pg && !(val & X86_CR0_PE)) ||
	    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)))
		return -EINVAL;
	/* Paging off while in 64-bit code, or with PCIDs on: #GP, as the CPU. */
	if (!pg && was_pg && ((x->cs.ar & BIT(13)) || (x->cr4 & X86_CR4_PCIDE)))
		return -EINVAL;
	if (pg && !was_pg && (x->efer & EFER_LME)) {
		if (!(x->cr4 & X86_CR4_PAE))
			return -EINVAL;
		x->efer |= EFER_LMA;
	} else if (!pg && was_pg) {
		x->efer &= ~(u64)EFER_LMA;
	}
	if ((val ^ x->cr0_shadow) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE))
		v->arch.tlb_flush = true;
	vmx_set_cr0(x, val);
	return vmx_load_pdptes(v);
}

static int vmx_guest_cr4(struct kxen_vcpu *v, u64 val)
{
	struct vmx_vcpu *x = vmx(v);
	struct kxen_sregs s;

	vmx_get_sregs(v, &s);
	if (kxen_x86_cr4(v, &s, val) || (val & ~vmx_cr4_fixed1))
		return -EINVAL;
	if ((val ^ x->cr4_shadow) & (X86_CR4_PAE | X86_CR4_PGE | X86_CR4_PSE | X86_CR4_PCIDE |
				     X86_CR4_SMEP))
		v->arch.tlb_flush = true;
	vmx_set_cr4(x, val);
	return vmx_load_pdptes(v);
}

static void vmx_cr(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);
	unsigned int cr = x->exit_qual & 15, type = (x->exit_qual >> 4) & 3;
	u64 *reg = kxen_gpr(&v->arch.gprs, x->exit_qual >> 8), val = *reg;
	int err = -EINVAL;

	if (!(x->efer & EFER_LMA) || !(x->cs.ar & BIT(13)))
		val = (u32)val;		/* outside 64-bit code, the low half */
	if (type == 0 && cr == 0) {
		err = vmx_guest_cr0(v, val);
	} else if (type == 0 && cr == 4) {
		err = vmx_guest_cr4(v, val);
	} else if (cr == 8) {		/* the task priority: the emulated LAPIC's */
		if (type == 0 && !(val >> 4)) {
			kxen_lapic_set_cr8(v, val);
			err = 0;
		} else if (type == 1) {
			*reg = kxen_lapic_get_cr8(v);
			err = 0;
		}
	} else if (cr == 3) {		/* where the CPU insists on CR3 exits */
		if (type == 0) {
			x->cr3 = val;
			v->arch.tlb_flush = true;
			err = vmx_load_pdptes(v);
		} else if (type == 1) {
			*reg = x->cr3;
			err = 0;
		}
	} else if (type == 3) {	/* LMSW: the low four bits, and PE cannot be cleared */
		err = vmx_guest_cr0(v, (x->cr0_shadow & ~0xeULL) | ((x->exit_qual >> 16) & 0xf) |
				(x->cr0_shadow & X86_CR0_PE));
	}
	if (err)
		vmx_inject(v, X86_TRAP_GP, true, 0);
	else
		vmx_skip_exit(v);
}

/* MOV to or from DR0-7: the guest's debug registers, kept here and never loaded. */
static void vmx_dr(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);
	unsigned int dr = x->exit_qual & 7;
	bool from = x->exit_qual & BIT(4);
	u64 *reg = kxen_gpr(&v->arch.gprs, x->exit_qual >> 8), *d;

	switch (dr) {
	case 0 ... 3:
		d = &x->dr[dr];
		break;
	case 4:
	case 6:
		d = &x->dr6;
		break;
	default:
		d = &x->dr7;
	}
	if ((dr == 4 || dr == 5) && (x->cr4_shadow & X86_CR4_DE)) {
		vmx_inject(v, X86_TRAP_UD, false, 0);
		return;
	}
	if (from) {
		*reg = *d;
	} else {
		if (dr >= 6 && (*reg >> 32) && (x->efer & EFER_LMA)) {
			vmx_inject(v, X86_TRAP_GP, true, 0);
			return;
		}
		*d = *reg;
	}
	vmx_skip_exit(v);
}

/* IN/OUT, and the string forms (io.c). */
static void vmx_io(struct kxen_vcpu *v, const struct kxen_sregs *s)
{
	struct vmx_vcpu *x = vmx(v);
	unsigned int size = (x->exit_qual & 7) + 1;
	bool in = x->exit_qual & BIT(3);
	u16 port = x->exit_qual >> 16;

	if (!(x->exit_qual & BIT(4)))
		kxen_x86_io(v, port, size, in);
	else if (!kxen_x86_string_io(v, s, port, size, in, x->exit_qual & BIT(5)))
		return;
	vmx_skip_exit(v);
}

static void vmx_crash_state(struct kxen_vcpu *v, const char *what)
{
	struct vmx_vcpu *x = vmx(v);
	char why[160];

	snprintf(why, sizeof(why),
		 "%s (exit %#x, error %u, qual %#llx) at %04x:%#llx cr0 %#llx cr4 %#llx efer %#llx",
		 what, x->exit_reason, x->insn_error, x->exit_qual, x->cs.sel, x->rip, x->cr0,
		 x->cr4, x->efer);
	kxen_domain_crash(v->d, why);
}

static void vmx_handle_exit(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);
	struct kxen_sregs s;
	char why[160];

	vmx_get_sregs(v, &s);

	if (x->exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		vmx_crash_state(v, "VM entry failed: invalid guest state");
		return;
	}
	switch (x->exit_reason & 0xffff) {
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_INTERRUPT_WINDOW:
	case EXIT_REASON_NMI_WINDOW:
	case EXIT_REASON_PREEMPTION_TIMER:
		return;		/* the host has taken it / vmx_inject_pending() looks again */
	case EXIT_REASON_EXCEPTION_NMI:
		if ((x->exit_intr & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
			return;	/* the host's NMI, passed on already */
		switch (x->exit_intr & INTR_INFO_VECTOR_MASK) {
		case X86_TRAP_UD:
			kxen_x86_ud(v, &s);
			return;
		case X86_TRAP_AC:
			vmx_inject(v, X86_TRAP_AC, true, 0);
			return;
		case X86_TRAP_DB:
			/* The exit gives what DR6 would have said. */
			x->dr6 = (x->dr6 & ~0xfULL) | (x->exit_qual & (0xf | BIT(13) | DR_STEP));
			vmx_inject(v, X86_TRAP_DB, false, 0);
			return;
		case X86_TRAP_MC:
			return;	/* the host's machine check, passed on already */
		}
		break;
	case EXIT_REASON_CPUID:
		kxen_x86_cpuid(v, &s);
		vmx_skip_exit(v);
		return;
	case EXIT_REASON_HLT:
		vmx_skip_exit(v);
		kxen_vcpu_halt(v);
		return;
	case EXIT_REASON_VMCALL:
		kxen_x86_hypercall(v, &s);
		vmx_skip_exit(v);
		return;
	case EXIT_REASON_IO_INSTRUCTION:
		vmx_io(v, &s);
		return;
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
		kxen_x86_msr_exit(v, (x->exit_reason & 0xffff) == EXIT_REASON_MSR_WRITE,
				  x->exit_len);
		return;
	case EXIT_REASON_CR_ACCESS:
		vmx_cr(v);
		return;
	case EXIT_REASON_DR_ACCESS:
		vmx_dr(v);
		return;
	case EXIT_REASON_XSETBV:
		kxen_x86_xsetbv_exit(v, x->exit_len);
		return;
	case EXIT_REASON_INVD:
	case EXIT_REASON_WBINVD:
		vmx_skip_exit(v);	/* nothing for a guest to drop or write back */
		return;
	case EXIT_REASON_RDPMC:
		vmx_inject(v, X86_TRAP_GP, true, 0);
		return;
	case EXIT_REASON_VMCLEAR:
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST:
	case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE:
	case EXIT_REASON_VMOFF:
	case EXIT_REASON_VMON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
	case EXIT_REASON_GETSEC:
	case EXIT_REASON_MWAIT_INSTRUCTION:
	case EXIT_REASON_MONITOR_INSTRUCTION:
		vmx_inject(v, X86_TRAP_UD, false, 0);	/* not in the guest's CPUID */
		return;
	case EXIT_REASON_TRIPLE_FAULT:
		kxen_domain_crash(v->d, "triple fault");
		return;
	case EXIT_REASON_INIT_SIGNAL:
		return;		/* kxen's vcpus get INIT from the emulated LAPIC, not this */
	case EXIT_REASON_EPT_VIOLATION:
		/*
		 * Bit 2: an instruction fetch; bit 7 set, bit 8 clear: the guest's own
		 * page-table walk; or an event being delivered (its stack, IDT or GDT):
		 * none is an instruction's data access that kxen could finish.
		 */
		if (!kxen_x86_npf(v, &s, x->exit_gpa,
				  (x->exit_qual & BIT(2)) ||
				  (x->exit_qual & (BIT(7) | BIT(8))) == BIT(7) ||
				  (x->idt_info & VECTORING_INFO_VALID_MASK), why, sizeof(why)))
			return;
		kxen_domain_crash(v->d, why);
		return;
	}
	vmx_crash_state(v, "unexpected VMX exit");
}

/* Host NMIs and machine checks that ended a run go to the host's own handlers. */
static void vmx_pass_on_host_events(struct vmx_vcpu *x)
{
	u32 reason = x->exit_reason & 0xffff;

	/* As KVM: the NMI entry code on an IRET frame, do_machine_check() for #MC. */
	if (reason == EXIT_REASON_EXCEPTION_NMI &&
	    (x->exit_intr & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR) {
		kxen_vmx_do_nmi(asm_exc_nmi_noist);
	} else if ((reason == EXIT_REASON_EXCEPTION_NMI &&
		    (x->exit_intr & INTR_INFO_VECTOR_MASK) == X86_TRAP_MC) ||
		   reason == EXIT_REASON_MCE_DURING_VMENTRY) {
		struct pt_regs regs = { .cs = 3, .flags = X86_EFLAGS_IF };

		do_machine_check(&regs);
	}
}

static void vmx_vcpu_enter(struct kxen_vcpu *v)
{
	struct vmx_vcpu *x = vmx(v);
	u64 vmcs = __pa(x->vmcs);
	struct host_msrs h;
	int cpu, failed;

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
	if (!x->launched_once) {
		vmcs_clear(vmcs);	/* a new VMCS: its launch state made clear */
		x->launched_once = true;
	}
	if (vmcs_load(vmcs)) {
		WRITE_ONCE(v->guest_cpu, -1);
		local_irq_enable();
		kxen_domain_crash(v->d, "VMPTRLD failed");
		return;
	}
	/*
	 * Stale translations: guest-physical ones after an unmap; any kind from an
	 * earlier time on this CPU (the guest changed its tables elsewhere meanwhile), or
	 * from a vcpu that had this VPID before.
	 */
	if (READ_ONCE(v->arch.tlb_flush) || v->arch.last_cpu != cpu) {
		WRITE_ONCE(v->arch.tlb_flush, false);
		ept_flush(vmx_has_invept_single ? VMX_EPT_EXTENT_CONTEXT : VMX_EPT_EXTENT_GLOBAL,
			  kxen_ept_pointer(v->d));
		if (x->vpid)
			vpid_flush(x->vpid);
	}
	vmx_inject_pending(v);
	vmx_write_host_state();
	vmx_write_state(v);
	kxen_fpu_load(v, x->cr4_shadow);
	vmx_switch_to_guest(x, &h);
	kxen_x86_spec_enter(v);

	failed = kxen_vmx_run(&v->arch.gprs);

	vmx_switch_to_host(x, &h);
	kxen_fpu_save(v);
	x->insn_error = failed ? vmcs_read(VM_INSTRUCTION_ERROR) : 0;
	if (!failed)
		vmx_read_state(v);
	vmcs_clear(vmcs);
	WRITE_ONCE(v->guest_cpu, -1);
	v->arch.last_cpu = cpu;
	if (!failed)
		vmx_pass_on_host_events(x);
	local_irq_enable();	/* the interrupt that ended the run, if any, is taken here */
	if (failed) {
		vmx_crash_state(v, "VMLAUNCH failed");
		return;
	}
	vmx_after_exit(v);
	vmx_handle_exit(v);
}

const struct kxen_backend kxen_vmx_backend = {
	.name = "Intel VMX",
	.setup = vmx_setup,
	.cpu_on = vmx_cpu_on,
	.cpu_off = vmx_cpu_off,
	.p2m_init = kxen_nested_pt_init,
	.p2m_map = kxen_ept_map,
	.p2m_unmap = kxen_ept_unmap,
	.p2m_destroy = kxen_ept_destroy,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_free = vmx_vcpu_free,
	.vcpu_enter = vmx_vcpu_enter,
	.get_sregs = vmx_get_sregs,
	.get_seg = vmx_get_seg,
	.inject_exception = vmx_inject_exception,
	.skip = vmx_skip,
	.msr_read = vmx_rdmsr,
	.msr_write = vmx_wrmsr,
	.interrupts_enabled = vmx_interrupts_enabled,
	.vcpu_sipi = vmx_vcpu_sipi,
	.load_cpu = vmx_load_cpu,
	.save_cpu = vmx_save_cpu,
};
