/* SPDX-License-Identifier: GPL-2.0 */
/* The emulated local APIC of a vcpu (lapic.c). */
#ifndef KXEN_ARCH_X86_LAPIC_H
#define KXEN_ARCH_X86_LAPIC_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct kxen_vcpu;
struct hvm_hw_lapic;
struct hvm_hw_lapic_regs;

struct kxen_lapic {
	spinlock_t lock;		/* IRR is set from other threads */
	u64 apic_base;
	/*
	 * The ID and LDR registers as the guest reads them: in xAPIC mode its own to
	 * write (the ID in bits 31-24), in x2APIC mode fixed by the vcpu id.
	 */
	u32 id, ldr, dfr;
	u32 tpr, svr, esr, tmict, tdcr;
	u32 lvt[6];			/* timer, thermal, perf, LINT0, LINT1, error */
	u32 icr, icr2;
	unsigned long irr[256 / BITS_PER_LONG];
	unsigned long isr[256 / BITS_PER_LONG];
	/* INIT and SIPI from another vcpu, acted on by this vcpu's own thread. */
	bool init_pending, sipi_pending;
	u8 sipi_vector;
	bool wait_for_sipi;		/* the vcpu's own thread's view */
};

/* Power-on: xAPIC mode at the default base, as Xen's vlapic_reset(). */
void kxen_lapic_reset(struct kxen_vcpu *v);
/* An INIT signal: the mode, base and IDs stay. */
void kxen_lapic_init(struct kxen_vcpu *v);
/* x2APIC MSRs 0x800-0x8ff and APIC_BASE: 0, or -EINVAL for #GP. */
int kxen_lapic_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *value);
int kxen_lapic_wrmsr(struct kxen_vcpu *v, u32 msr, u64 value);
/*
 * The xAPIC MMIO page: whether the vcpu's APIC answers there now (enabled, in xAPIC
 * mode; gpa on its page), and an access of size bytes at offset off into it.
 */
bool kxen_lapic_mmio(struct kxen_vcpu *v, u64 gpa);
u32 kxen_lapic_mmio_read(struct kxen_vcpu *v, unsigned int off, unsigned int size);
void kxen_lapic_mmio_write(struct kxen_vcpu *v, unsigned int off, unsigned int size, u32 val);
/* The task priority as CR8 holds it (TPR bits 7-4), in any APIC mode. */
u8 kxen_lapic_get_cr8(struct kxen_vcpu *v);
void kxen_lapic_set_cr8(struct kxen_vcpu *v, u8 cr8);
/* The highest-priority interrupt the APIC would deliver now, or -1; and its delivery. */
int kxen_lapic_pending(struct kxen_vcpu *v);
void kxen_lapic_ack(struct kxen_vcpu *v, int vector);
/*
 * The APIC as Xen's LAPIC and LAPIC_REGS save records hold it (the register page
 * in xAPIC layout), for the toolstack's save and restore (xen/hvm_save.c). A LAPIC
 * record may change only what WRMSR of APIC_BASE may: 0 or -EINVAL.
 */
void kxen_lapic_save(struct kxen_vcpu *v, struct hvm_hw_lapic *hw,
		     struct hvm_hw_lapic_regs *regs);
int kxen_lapic_check_base(struct kxen_vcpu *v, const struct hvm_hw_lapic *hw);
void kxen_lapic_load_base(struct kxen_vcpu *v, const struct hvm_hw_lapic *hw);
void kxen_lapic_load_regs(struct kxen_vcpu *v, const struct hvm_hw_lapic_regs *regs);
/* A fixed interrupt from outside (another vcpu's IPI). */
void kxen_lapic_set_irq(struct kxen_vcpu *v, u8 vector);

#endif
