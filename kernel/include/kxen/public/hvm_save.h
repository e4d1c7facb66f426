/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HVM context format of Xen 4.17's public/hvm/save.h and public/arch-x86/hvm/save.h,
 * as far as XEN_DOMCTL_{get,set}hvmcontext need it to start a PVH guest's vcpus: the
 * toolstack reads the context to get the header, then writes back the header, a CPU
 * record for the boot vcpu, MTRR records and the end record. Every size and offset is
 * pinned at the end to what Xen 4.17.7's own headers give on x86-64.
 *
 * A context is a run of records, each a struct hvm_save_descriptor followed by
 * descriptor.length bytes of the type that descriptor.typecode names, and closed by
 * an END record (typecode 0, length 0).
 */
#ifndef KXEN_PUBLIC_HVM_SAVE_H
#define KXEN_PUBLIC_HVM_SAVE_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct hvm_save_descriptor {
	__u16 typecode;			/* HVM_SAVE_CODE_* */
	__u16 instance;			/* vcpu id for per-vcpu records, else 0 */
	__u32 length;			/* bytes after this descriptor */
};

/* Record type codes. kxen knows the layout of those with an HVM_SAVE_TYPE_ below. */
#define HVM_SAVE_CODE_END		0
#define HVM_SAVE_CODE_HEADER		1
#define HVM_SAVE_CODE_CPU		2
#define HVM_SAVE_CODE_PIC		3
#define HVM_SAVE_CODE_IOAPIC		4
#define HVM_SAVE_CODE_LAPIC		5
#define HVM_SAVE_CODE_LAPIC_REGS	6
#define HVM_SAVE_CODE_PCI_IRQ		7
#define HVM_SAVE_CODE_ISA_IRQ		8
#define HVM_SAVE_CODE_PCI_LINK		9
#define HVM_SAVE_CODE_PIT		10
#define HVM_SAVE_CODE_RTC		11
#define HVM_SAVE_CODE_HPET		12
#define HVM_SAVE_CODE_PMTIMER		13
#define HVM_SAVE_CODE_MTRR		14
#define HVM_SAVE_CODE_VIRIDIAN_DOMAIN	15
#define CPU_XSAVE_CODE			16	/* variable length */
#define HVM_SAVE_CODE_VIRIDIAN_VCPU	17
#define HVM_SAVE_CODE_VMCE_VCPU		18
#define HVM_SAVE_CODE_TSC_ADJUST	19
#define CPU_MSR_CODE			20	/* variable length */
#define HVM_SAVE_CODE_MAX		20	/* largest code in use */

/* Xen's spelling: HVM_SAVE_CODE(CPU), HVM_SAVE_TYPE(CPU), HVM_SAVE_LENGTH(CPU). */
#define HVM_SAVE_CODE(x)		HVM_SAVE_CODE_##x
#define HVM_SAVE_TYPE(x)		HVM_SAVE_TYPE_##x
#define HVM_SAVE_LENGTH(x)		sizeof(HVM_SAVE_TYPE(x))

#define HVM_SAVE_TYPE_END		struct hvm_save_end
#define HVM_SAVE_TYPE_HEADER		struct hvm_save_header
#define HVM_SAVE_TYPE_CPU		struct hvm_hw_cpu
#define HVM_SAVE_TYPE_LAPIC		struct hvm_hw_lapic
#define HVM_SAVE_TYPE_LAPIC_REGS	struct hvm_hw_lapic_regs
#define HVM_SAVE_TYPE_MTRR		struct hvm_hw_mtrr

/* END: no payload. */
struct hvm_save_end {
};

/* HEADER: first in every context, describing the machine that produced it. */
#define HVM_FILE_MAGIC			0x54381286
#define HVM_FILE_VERSION		0x00000001

struct hvm_save_header {
	__u32 magic;			/* HVM_FILE_MAGIC */
	__u32 version;			/* HVM_FILE_VERSION */
	__u64 changeset;		/* of the Xen that saved it */
	__u32 cpuid;			/* CPUID leaf 1 EAX of the saving host */
	__u32 gtsc_khz;			/* the guest's TSC rate */
};

/*
 * CPU, one per vcpu: registers and the hidden part of the segment registers. The
 * arbytes are packed to 12 bits: type, S, DPL, P in bits 0-7 and AVL, L, D/B, G in
 * bits 8-11, so 0xc9b is a flat 32-bit code segment. On load Xen also takes them with
 * AVL..G in bits 12-15 (VMX's layout) when bits 8-11 are clear.
 */
#define XEN_X86_FPU_INITIALISED		(1u << 0)	/* flags: fpu_regs are valid */

struct hvm_hw_cpu {
	__u8 fpu_regs[512];		/* FXSAVE image */

	__u64 rax;
	__u64 rbx;
	__u64 rcx;
	__u64 rdx;
	__u64 rbp;
	__u64 rsi;
	__u64 rdi;
	__u64 rsp;
	__u64 r8;
	__u64 r9;
	__u64 r10;
	__u64 r11;
	__u64 r12;
	__u64 r13;
	__u64 r14;
	__u64 r15;

	__u64 rip;
	__u64 rflags;

	__u64 cr0;
	__u64 cr2;
	__u64 cr3;
	__u64 cr4;

	__u64 dr0;
	__u64 dr1;
	__u64 dr2;
	__u64 dr3;
	__u64 dr6;
	__u64 dr7;

	__u32 cs_sel;
	__u32 ds_sel;
	__u32 es_sel;
	__u32 fs_sel;
	__u32 gs_sel;
	__u32 ss_sel;
	__u32 tr_sel;
	__u32 ldtr_sel;

	__u32 cs_limit;
	__u32 ds_limit;
	__u32 es_limit;
	__u32 fs_limit;
	__u32 gs_limit;
	__u32 ss_limit;
	__u32 tr_limit;
	__u32 ldtr_limit;
	__u32 idtr_limit;
	__u32 gdtr_limit;

	__u64 cs_base;
	__u64 ds_base;
	__u64 es_base;
	__u64 fs_base;
	__u64 gs_base;
	__u64 ss_base;
	__u64 tr_base;
	__u64 ldtr_base;
	__u64 idtr_base;
	__u64 gdtr_base;

	__u32 cs_arbytes;
	__u32 ds_arbytes;
	__u32 es_arbytes;
	__u32 fs_arbytes;
	__u32 gs_arbytes;
	__u32 ss_arbytes;
	__u32 tr_arbytes;
	__u32 ldtr_arbytes;

	__u64 sysenter_cs;
	__u64 sysenter_esp;
	__u64 sysenter_eip;

	__u64 shadow_gs;		/* MSR_KERNEL_GS_BASE */

	__u64 msr_flags;		/* unused */
	__u64 msr_lstar;
	__u64 msr_star;
	__u64 msr_cstar;
	__u64 msr_syscall_mask;
	__u64 msr_efer;
	__u64 msr_tsc_aux;

	__u64 tsc;			/* what the guest's RDTSC reads */

	/* An event to inject on the next entry, laid out as a VMX entry interruption info. */
	union {
		__u32 pending_event;
		struct {
			__u8 pending_vector:8;
			__u8 pending_type:3;
			__u8 pending_error_valid:1;
			__u32 pending_reserved:19;
			__u8 pending_valid:1;
		};
	};
	__u32 error_code;		/* of the pending event */

	__u32 flags;			/* XEN_X86_FPU_INITIALISED */
	__u32 pad0;
};

/*
 * LAPIC, one per vcpu. The disabled values are Xen's own (asm/hvm/vlapic.h), not in
 * its public headers, but they are what this record carries.
 */
#define VLAPIC_HW_DISABLED		0x1	/* IA32_APIC_BASE.EN clear */
#define VLAPIC_SW_DISABLED		0x2	/* SVR.APIC enable clear */

struct hvm_hw_lapic {
	__u64 apic_base_msr;
	__u32 disabled;			/* VLAPIC_*_DISABLED */
	__u32 timer_divisor;
	__u64 tdt_msr;			/* IA32_TSC_DEADLINE */
};

/* LAPIC_REGS, one per vcpu: the APIC's 4 KiB register page, first 1 KiB. */
struct hvm_hw_lapic_regs {
	__u8 data[1024];
};

/* MTRR, one per vcpu: PAT and the MTRR MSRs. */
#define MTRR_VCNT			8	/* variable ranges kept */
#define NUM_FIXED_MSR			11	/* fixed-range MSRs */

struct hvm_hw_mtrr {
	__u64 msr_pat_cr;
	__u64 msr_mtrr_var[MTRR_VCNT * 2];	/* PHYSBASEn, PHYSMASKn pairs */
	__u64 msr_mtrr_fixed[NUM_FIXED_MSR];
	__u64 msr_mtrr_cap;
	__u64 msr_mtrr_def_type;
};

/*
 * CPU_XSAVE_CODE, one per vcpu, of variable length: XCR0, every feature XCR0 has had
 * since reset (which sets the record's length), and XSAVE's area in its standard
 * form: the extended components follow the header, at the offsets CPUID leaf 0xD
 * gives for them.
 */
struct hvm_hw_cpu_xsave_hdr {
	__u64 xstate_bv;		/* the components not in their initial state */
	__u64 xcomp_bv;			/* 0: the standard form */
	__u64 reserved[6];
};

struct hvm_hw_cpu_xsave {
	__u64 xfeature_mask;		/* the saving host's features; not used on load */
	__u64 xcr0;
	__u64 xcr0_accum;
	struct {
		__u8 fpu_sse[512];	/* FXSAVE's image */
		struct hvm_hw_cpu_xsave_hdr xsave_hdr;
	} save_area;
};

static_assert(sizeof(struct hvm_save_descriptor) == 8);
static_assert(offsetof(struct hvm_save_descriptor, instance) == 2);
static_assert(offsetof(struct hvm_save_descriptor, length) == 4);
static_assert(sizeof(struct hvm_save_end) == 0);

static_assert(sizeof(struct hvm_save_header) == 24);
static_assert(offsetof(struct hvm_save_header, version) == 4);
static_assert(offsetof(struct hvm_save_header, changeset) == 8);
static_assert(offsetof(struct hvm_save_header, cpuid) == 16);
static_assert(offsetof(struct hvm_save_header, gtsc_khz) == 20);

static_assert(sizeof(struct hvm_hw_cpu) == 1032);
static_assert(offsetof(struct hvm_hw_cpu, rax) == 512);
static_assert(offsetof(struct hvm_hw_cpu, rbx) == 520);
static_assert(offsetof(struct hvm_hw_cpu, rsp) == 568);
static_assert(offsetof(struct hvm_hw_cpu, r8) == 576);
static_assert(offsetof(struct hvm_hw_cpu, r15) == 632);
static_assert(offsetof(struct hvm_hw_cpu, rip) == 640);
static_assert(offsetof(struct hvm_hw_cpu, rflags) == 648);
static_assert(offsetof(struct hvm_hw_cpu, cr0) == 656);
static_assert(offsetof(struct hvm_hw_cpu, cr2) == 664);
static_assert(offsetof(struct hvm_hw_cpu, cr3) == 672);
static_assert(offsetof(struct hvm_hw_cpu, cr4) == 680);
static_assert(offsetof(struct hvm_hw_cpu, dr0) == 688);
static_assert(offsetof(struct hvm_hw_cpu, dr6) == 720);
static_assert(offsetof(struct hvm_hw_cpu, dr7) == 728);
static_assert(offsetof(struct hvm_hw_cpu, cs_sel) == 736);
static_assert(offsetof(struct hvm_hw_cpu, ss_sel) == 756);
static_assert(offsetof(struct hvm_hw_cpu, tr_sel) == 760);
static_assert(offsetof(struct hvm_hw_cpu, ldtr_sel) == 764);
static_assert(offsetof(struct hvm_hw_cpu, cs_limit) == 768);
static_assert(offsetof(struct hvm_hw_cpu, ss_limit) == 788);
static_assert(offsetof(struct hvm_hw_cpu, tr_limit) == 792);
static_assert(offsetof(struct hvm_hw_cpu, idtr_limit) == 800);
static_assert(offsetof(struct hvm_hw_cpu, gdtr_limit) == 804);
static_assert(offsetof(struct hvm_hw_cpu, cs_base) == 808);
static_assert(offsetof(struct hvm_hw_cpu, ss_base) == 848);
static_assert(offsetof(struct hvm_hw_cpu, tr_base) == 856);
static_assert(offsetof(struct hvm_hw_cpu, idtr_base) == 872);
static_assert(offsetof(struct hvm_hw_cpu, gdtr_base) == 880);
static_assert(offsetof(struct hvm_hw_cpu, cs_arbytes) == 888);
static_assert(offsetof(struct hvm_hw_cpu, ss_arbytes) == 908);
static_assert(offsetof(struct hvm_hw_cpu, tr_arbytes) == 912);
static_assert(offsetof(struct hvm_hw_cpu, ldtr_arbytes) == 916);
static_assert(offsetof(struct hvm_hw_cpu, sysenter_cs) == 920);
static_assert(offsetof(struct hvm_hw_cpu, shadow_gs) == 944);
static_assert(offsetof(struct hvm_hw_cpu, msr_flags) == 952);
static_assert(offsetof(struct hvm_hw_cpu, msr_lstar) == 960);
static_assert(offsetof(struct hvm_hw_cpu, msr_efer) == 992);
static_assert(offsetof(struct hvm_hw_cpu, msr_tsc_aux) == 1000);
static_assert(offsetof(struct hvm_hw_cpu, tsc) == 1008);
static_assert(offsetof(struct hvm_hw_cpu, pending_event) == 1016);
static_assert(offsetof(struct hvm_hw_cpu, error_code) == 1020);
static_assert(offsetof(struct hvm_hw_cpu, flags) == 1024);
static_assert(offsetof(struct hvm_hw_cpu, pad0) == 1028);

static_assert(sizeof(struct hvm_hw_lapic) == 24);
static_assert(offsetof(struct hvm_hw_lapic, disabled) == 8);
static_assert(offsetof(struct hvm_hw_lapic, timer_divisor) == 12);
static_assert(offsetof(struct hvm_hw_lapic, tdt_msr) == 16);
static_assert(sizeof(struct hvm_hw_lapic_regs) == 1024);

static_assert(sizeof(struct hvm_hw_mtrr) == 240);
static_assert(offsetof(struct hvm_hw_mtrr, msr_mtrr_var) == 8);
static_assert(offsetof(struct hvm_hw_mtrr, msr_mtrr_fixed) == 136);
static_assert(offsetof(struct hvm_hw_mtrr, msr_mtrr_cap) == 224);
static_assert(offsetof(struct hvm_hw_mtrr, msr_mtrr_def_type) == 232);

static_assert(sizeof(struct hvm_hw_cpu_xsave) == 600);
static_assert(offsetof(struct hvm_hw_cpu_xsave, xcr0) == 8);
static_assert(offsetof(struct hvm_hw_cpu_xsave, xcr0_accum) == 16);
static_assert(offsetof(struct hvm_hw_cpu_xsave, save_area) == 24);
static_assert(offsetof(struct hvm_hw_cpu_xsave, save_area.xsave_hdr) == 536);
static_assert(offsetof(struct hvm_hw_cpu_xsave, save_area.xsave_hdr.xcomp_bv) == 544);
static_assert(offsetof(struct hvm_hw_cpu_xsave, save_area.xsave_hdr.reserved) == 552);

#endif
