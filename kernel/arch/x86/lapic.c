// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC a PVH guest sees: what Linux uses of it under Xen, through the
 * x2APIC MSRs. Its timer is never armed (Linux takes the Xen timer); its ICR sends
 * fixed IPIs, NMIs, and INIT and SIPI, which is how Linux starts its other CPUs. APIC
 * IDs are 2 x vcpu id, as Xen numbers them and libxl's MADT lists them.
 *
 * The APIC comes out of reset already in x2APIC mode (APIC_BASE.EXTD, as firmware may
 * leave it), so the guest needs no xAPIC MMIO page; a guest that turns x2APIC off
 * loses its APIC.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>

#include <kxen/public/hvm_save.h>

#include "../../core/domain.h"
#include "lapic.h"

#define X2APIC_MSR(reg)	(0x800 + ((reg) >> 4))
#define LVT_MASKED	BIT(16)
/* Version 0x14, six LVT entries (max index 5). */
#define LAPIC_VERSION	(0x14 | (5 << 16))

static bool x2apic(struct kxen_lapic *l)
{
	return (l->apic_base & (X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE)) ==
	       (X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE);
}

void kxen_lapic_reset(struct kxen_vcpu *v)
{
	struct kxen_lapic *l = &v->lapic;
	unsigned long flags;
	unsigned int i;

	/* Other vcpus may be sending this one IPIs meanwhile: under the lock. */
	spin_lock_irqsave(&l->lock, flags);
	l->id = 2 * v->id;
	l->apic_base = APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE | X2APIC_ENABLE |
		       (v->id == 0 ? MSR_IA32_APICBASE_BSP : 0);
	l->tpr = l->esr = l->tmict = l->tdcr = 0;
	l->svr = 0xff;
	for (i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] = LVT_MASKED;
	l->icr = 0;
	bitmap_zero(l->irr, 256);
	bitmap_zero(l->isr, 256);
	spin_unlock_irqrestore(&l->lock, flags);
}

static int highest(const unsigned long *bits)
{
	int i = find_last_bit(bits, 256);

	return i == 256 ? -1 : i;
}

/* The idx-th 32-bit register of a 256-bit ISR/TMR/IRR. */
static u32 reg32(const unsigned long *bits, unsigned int idx)
{
	return bits[idx / 2] >> (32 * (idx & 1));
}

static u32 ppr(struct kxen_lapic *l)
{
	int isrv = highest(l->isr);
	u32 isr_class = isrv < 0 ? 0 : isrv & 0xf0;

	return (l->tpr & 0xf0) >= isr_class ? l->tpr & 0xff : isr_class;
}

int kxen_lapic_pending(struct kxen_vcpu *v)
{
	struct kxen_lapic *l = &v->lapic;
	unsigned long flags;
	int vec;

	if (!(l->svr & APIC_SPIV_APIC_ENABLED))
		return -1;
	spin_lock_irqsave(&l->lock, flags);
	vec = highest(l->irr);
	if (vec >= 0 && (vec & 0xf0) <= (ppr(l) & 0xf0))
		vec = -1;
	spin_unlock_irqrestore(&l->lock, flags);
	return vec;
}

void kxen_lapic_ack(struct kxen_vcpu *v, int vector)
{
	struct kxen_lapic *l = &v->lapic;
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	__clear_bit(vector, l->irr);
	__set_bit(vector, l->isr);
	spin_unlock_irqrestore(&l->lock, flags);
}

void kxen_lapic_set_irq(struct kxen_vcpu *v, u8 vector)
{
	struct kxen_lapic *l = &v->lapic;
	unsigned long flags;

	if (vector < 16)
		return;		/* illegal vectors: Xen sets ESR and drops them */
	spin_lock_irqsave(&l->lock, flags);
	__set_bit(vector, l->irr);
	spin_unlock_irqrestore(&l->lock, flags);
	kxen_vcpu_kick(v);
}

static bool matches(struct kxen_vcpu *t, u32 dest, bool logical)
{
	u32 id = t->lapic.id;

	if (!logical)
		return dest == 0xffffffff || dest == id;
	/* x2APIC logical: cluster in the high half, one bit per APIC in the low. */
	return dest == 0xffffffff ||
	       ((dest >> 16) == (id >> 4) && (dest & BIT(id & 0xf)));
}

static void deliver(struct kxen_vcpu *t, unsigned int mode, u8 vector)
{
	switch (mode) {
	case APIC_DM_FIXED >> 8:
	case APIC_DM_LOWEST >> 8:
		kxen_lapic_set_irq(t, vector);
		break;
	case APIC_DM_NMI >> 8:
		WRITE_ONCE(t->nmi_pending, true);
		kxen_vcpu_kick(t);
		break;
	case APIC_DM_INIT >> 8:
		/*
		 * A SIPI sent before this INIT is void; one sent after it must count, even
		 * if the target handles both at once (Linux on AMD sends INIT and SIPI
		 * back to back): so the sender, which orders them, forgets the old one.
		 */
		WRITE_ONCE(t->lapic.sipi_pending, false);
		smp_wmb();	/* the old SIPI gone before the INIT shows */
		WRITE_ONCE(t->lapic.init_pending, true);
		kxen_vcpu_kick(t);
		break;
	case APIC_DM_STARTUP >> 8:
		t->lapic.sipi_vector = vector;
		smp_wmb();	/* the vector before the flag: startup() reads them so */
		WRITE_ONCE(t->lapic.sipi_pending, true);
		kxen_vcpu_kick(t);
		break;
	}
}

static void send_ipi(struct kxen_vcpu *v, u64 icr)
{
	struct kxen_domain *d = v->d;
	unsigned int mode = (icr >> 8) & 7, shorthand = (icr >> 18) & 3, i;
	bool logical = icr & APIC_DEST_LOGICAL;
	u32 dest = icr >> 32;
	u8 vector = icr & 0xff;

	/* INIT de-assert (level-triggered, level 0) does nothing on modern APICs. */
	if (mode == APIC_DM_INIT >> 8 && !(icr & APIC_INT_ASSERT) &&
	    (icr & APIC_INT_LEVELTRIG))
		return;
	for (i = 0; i < d->max_vcpus; i++) {
		struct kxen_vcpu *t = d->vcpus[i];
		bool hit;

		if (!t)
			continue;
		switch (shorthand) {
		case 1:
			hit = t == v;
			break;
		case 2:
			hit = true;
			break;
		case 3:
			hit = t != v;
			break;
		default:
			hit = matches(t, dest, logical);
		}
		if (hit)
			deliver(t, mode, vector);
	}
}

int kxen_lapic_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *value)
{
	struct kxen_lapic *l = &v->lapic;
	unsigned long flags;
	int err = 0;

	if (msr == MSR_IA32_APICBASE) {
		*value = l->apic_base;
		return 0;
	}
	if (!x2apic(l))
		return -EINVAL;
	spin_lock_irqsave(&l->lock, flags);
	switch (msr) {
	case X2APIC_MSR(APIC_ID):
		*value = l->id;
		break;
	case X2APIC_MSR(APIC_LVR):
		*value = LAPIC_VERSION;
		break;
	case X2APIC_MSR(APIC_TASKPRI):
		*value = l->tpr;
		break;
	case X2APIC_MSR(APIC_PROCPRI):
		*value = ppr(l);
		break;
	case X2APIC_MSR(APIC_LDR):
		*value = ((l->id >> 4) << 16) | BIT(l->id & 0xf);
		break;
	case X2APIC_MSR(APIC_SPIV):
		*value = l->svr;
		break;
	case X2APIC_MSR(APIC_ISR) ... X2APIC_MSR(APIC_ISR) + 7:
		*value = reg32(l->isr, msr - X2APIC_MSR(APIC_ISR));
		break;
	case X2APIC_MSR(APIC_TMR) ... X2APIC_MSR(APIC_TMR) + 7:
		*value = 0;	/* every interrupt here is edge-triggered */
		break;
	case X2APIC_MSR(APIC_IRR) ... X2APIC_MSR(APIC_IRR) + 7:
		*value = reg32(l->irr, msr - X2APIC_MSR(APIC_IRR));
		break;
	case X2APIC_MSR(APIC_ESR):
		*value = l->esr;
		break;
	case X2APIC_MSR(APIC_ICR):
		*value = l->icr;
		break;
	case X2APIC_MSR(APIC_LVTT) ... X2APIC_MSR(APIC_LVTERR):
		*value = l->lvt[msr - X2APIC_MSR(APIC_LVTT)];
		break;
	case X2APIC_MSR(APIC_TMICT):
		*value = l->tmict;
		break;
	case X2APIC_MSR(APIC_TMCCT):
		*value = 0;	/* the timer never runs */
		break;
	case X2APIC_MSR(APIC_TDCR):
		*value = l->tdcr;
		break;
	default:
		err = -EINVAL;
	}
	spin_unlock_irqrestore(&l->lock, flags);
	return err;
}

int kxen_lapic_wrmsr(struct kxen_vcpu *v, u32 msr, u64 value)
{
	struct kxen_lapic *l = &v->lapic;
	unsigned long flags;
	bool ipi = false;
	int err = 0, vec;

	if (msr == MSR_IA32_APICBASE) {
		/* Only EXTD and the global enable may change; the base stays put. */
		if ((value ^ l->apic_base) & ~(X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE))
			return -EINVAL;
		l->apic_base = value;
		return 0;
	}
	if (!x2apic(l))
		return -EINVAL;
	spin_lock_irqsave(&l->lock, flags);
	switch (msr) {
	case X2APIC_MSR(APIC_TASKPRI):
		l->tpr = value & 0xff;
		break;
	case X2APIC_MSR(APIC_EOI):
		if (value) {
			err = -EINVAL;
			break;
		}
		vec = highest(l->isr);
		if (vec >= 0)
			__clear_bit(vec, l->isr);
		break;
	case X2APIC_MSR(APIC_SPIV):
		l->svr = value & (APIC_SPIV_APIC_ENABLED | APIC_SPIV_FOCUS_DISABLED | 0xff);
		break;
	case X2APIC_MSR(APIC_ESR):
		if (value)
			err = -EINVAL;
		else
			l->esr = 0;
		break;
	case X2APIC_MSR(APIC_ICR):
		l->icr = value & ~(u64)APIC_ICR_BUSY;
		ipi = true;
		break;
	case X2APIC_MSR(APIC_LVTT) ... X2APIC_MSR(APIC_LVTERR):
		l->lvt[msr - X2APIC_MSR(APIC_LVTT)] = value & 0x3f7ff;
		break;
	case X2APIC_MSR(APIC_TMICT):
		l->tmict = value;
		break;
	case X2APIC_MSR(APIC_TDCR):
		l->tdcr = value & 0xb;
		break;
	case X2APIC_MSR(APIC_SELF_IPI):
		if (value > 0xff) {
			err = -EINVAL;
			break;
		}
		if (value >= 16)
			__set_bit(value, l->irr);
		break;
	default:
		err = -EINVAL;
	}
	spin_unlock_irqrestore(&l->lock, flags);
	if (ipi)
		send_ipi(v, value);
	return err;
}

/* A 32-bit register of the xAPIC page, at its offset. */
static u32 *reg(struct hvm_hw_lapic_regs *regs, unsigned int off)
{
	return (u32 *)&regs->data[off];
}

void kxen_lapic_save(struct kxen_vcpu *v, struct hvm_hw_lapic *hw,
		     struct hvm_hw_lapic_regs *regs)
{
	struct kxen_lapic *l = &v->lapic;
	unsigned long flags;
	unsigned int i, div;

	memset(regs, 0, sizeof(*regs));
	spin_lock_irqsave(&l->lock, flags);
	div = (l->tdcr & 3) | ((l->tdcr & 8) >> 1);
	*hw = (struct hvm_hw_lapic){
		.apic_base_msr = l->apic_base,
		.disabled = (l->apic_base & MSR_IA32_APICBASE_ENABLE ? 0 : VLAPIC_HW_DISABLED) |
			    (l->svr & APIC_SPIV_APIC_ENABLED ? 0 : VLAPIC_SW_DISABLED),
		.timer_divisor = div == 7 ? 1 : 2 << div,
	};
	*reg(regs, APIC_ID) = l->id;
	*reg(regs, APIC_LVR) = LAPIC_VERSION;
	*reg(regs, APIC_TASKPRI) = l->tpr;
	*reg(regs, APIC_SPIV) = l->svr;
	for (i = 0; i < 8; i++) {
		*reg(regs, APIC_ISR + 0x10 * i) = bitmap_get_value8(l->isr, 32 * i) |
			bitmap_get_value8(l->isr, 32 * i + 8) << 8 |
			bitmap_get_value8(l->isr, 32 * i + 16) << 16 |
			bitmap_get_value8(l->isr, 32 * i + 24) << 24;
		*reg(regs, APIC_IRR + 0x10 * i) = bitmap_get_value8(l->irr, 32 * i) |
			bitmap_get_value8(l->irr, 32 * i + 8) << 8 |
			bitmap_get_value8(l->irr, 32 * i + 16) << 16 |
			bitmap_get_value8(l->irr, 32 * i + 24) << 24;
	}
	*reg(regs, APIC_ESR) = l->esr;
	*reg(regs, APIC_ICR) = l->icr;
	*reg(regs, APIC_ICR2) = l->icr >> 32;
	for (i = 0; i < ARRAY_SIZE(l->lvt); i++)
		*reg(regs, APIC_LVTT + 0x10 * i) = l->lvt[i];
	*reg(regs, APIC_TMICT) = l->tmict;
	*reg(regs, APIC_TDCR) = l->tdcr;
	spin_unlock_irqrestore(&l->lock, flags);
}

int kxen_lapic_check_base(struct kxen_vcpu *v, const struct hvm_hw_lapic *hw)
{
	return (hw->apic_base_msr ^ v->lapic.apic_base) &
	       ~(u64)(X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE) ? -EINVAL : 0;
}

void kxen_lapic_load_base(struct kxen_vcpu *v, const struct hvm_hw_lapic *hw)
{
	WRITE_ONCE(v->lapic.apic_base, hw->apic_base_msr);
}

/* What WRMSR would let the guest write, from the page; the rest is kxen's own. */
void kxen_lapic_load_regs(struct kxen_vcpu *v, const struct hvm_hw_lapic_regs *in)
{
	struct hvm_hw_lapic_regs *regs = (struct hvm_hw_lapic_regs *)in;
	struct kxen_lapic *l = &v->lapic;
	unsigned long flags;
	unsigned int i, b;

	spin_lock_irqsave(&l->lock, flags);
	l->tpr = *reg(regs, APIC_TASKPRI) & 0xff;
	l->svr = *reg(regs, APIC_SPIV) & (APIC_SPIV_APIC_ENABLED | APIC_SPIV_FOCUS_DISABLED | 0xff);
	bitmap_zero(l->isr, 256);
	bitmap_zero(l->irr, 256);
	for (i = 0; i < 8; i++)
		for (b = 0; b < 32; b++) {
			if (*reg(regs, APIC_ISR + 0x10 * i) & BIT(b))
				__set_bit(32 * i + b, l->isr);
			if (*reg(regs, APIC_IRR + 0x10 * i) & BIT(b))
				__set_bit(32 * i + b, l->irr);
		}
	l->esr = 0;
	l->icr = (*reg(regs, APIC_ICR) | (u64)*reg(regs, APIC_ICR2) << 32) & ~(u64)APIC_ICR_BUSY;
	for (i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] = *reg(regs, APIC_LVTT + 0x10 * i) & 0x3f7ff;
	l->tmict = *reg(regs, APIC_TMICT);
	l->tdcr = *reg(regs, APIC_TDCR) & 0xb;
	spin_unlock_irqrestore(&l->lock, flags);
}
