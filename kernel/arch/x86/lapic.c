// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC of an HVM/PVH vcpu, as Xen's vlapic.c presents it: xAPIC mode through
 * the MMIO page at 0xfee00000 (mmio.c sends the accesses here), x2APIC mode through
 * MSRs 0x800-0x8ff. It comes out of reset in xAPIC mode, as on Xen and real CPUs;
 * Linux moves to x2APIC early where CPUID offers it. Its timer is never armed (Linux
 * takes the Xen timer); its ICR sends fixed IPIs, NMIs, and INIT and SIPI, which is
 * how Linux starts its other CPUs. APIC IDs are 2 x vcpu id, as Xen numbers them and
 * libxl's MADT lists them.
 *
 * Both modes share one register file in xAPIC layout (the LAPIC_REGS save record's):
 * the MSR and MMIO paths each check an access as Xen does, then read or write the
 * same registers.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>

#include <kxen/public/hvm_save.h>

#include "../../core/domain.h"
#include "cpuid.h"
#include "lapic.h"

#define X2APIC_FIRST	0x800
#define LVT_MASKED	BIT(16)
/* Version 0x14, six LVT entries (max index 5). */
#define LAPIC_VERSION	(0x14 | (5 << 16))
#define BASE_ADDR_MASK	0x000ffffffffff000ULL
#define TIMER_MODE_MASK	(3 << 17)
#define SHORTHAND_MASK	APIC_DEST_ALLBUT
/* The bits of each LVT entry a guest may set (timer, thermal, perf, LINT0/1, error). */
#define LVT_BITS	(LVT_MASKED | APIC_SEND_PENDING | APIC_VECTOR_MASK)
#define LINT_BITS	(LVT_BITS | APIC_MODE_MASK | APIC_INPUT_POLARITY | \
			 APIC_LVT_REMOTE_IRR | APIC_LVT_LEVEL_TRIGGER)
static const u32 lvt_bits[6] = {
	LVT_BITS | TIMER_MODE_MASK, LVT_BITS | APIC_MODE_MASK, LVT_BITS | APIC_MODE_MASK,
	LINT_BITS, LINT_BITS, LVT_BITS,
};

static bool hw_enabled(const struct kxen_lapic *l)
{
	return READ_ONCE(l->apic_base) & MSR_IA32_APICBASE_ENABLE;
}

/* Enabled in APIC_BASE and in SVR: it accepts and delivers interrupts. */
static bool enabled(const struct kxen_lapic *l)
{
	return hw_enabled(l) && (READ_ONCE(l->svr) & APIC_SPIV_APIC_ENABLED);
}

static bool x2apic(const struct kxen_lapic *l)
{
	return (READ_ONCE(l->apic_base) & (X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE)) ==
	       (X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE);
}

static bool xapic(const struct kxen_lapic *l)
{
	return (READ_ONCE(l->apic_base) & (X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE)) ==
	       MSR_IA32_APICBASE_ENABLE;
}

/* x2APIC's IDs, fixed: the ID, and the LDR (cluster of 16 above, one bit each below). */
static void set_x2apic_ids(struct kxen_vcpu *v)
{
	u32 id = 2 * v->id;

	v->arch.lapic.id = id;
	v->arch.lapic.ldr = ((id >> 4) << 16) | BIT(id & 0xf);
}

/* What an INIT resets (Xen's vlapic_do_init): neither the mode nor the ID. */
static void do_init(struct kxen_lapic *l)
{
	unsigned int i;

	bitmap_zero(l->irr, 256);
	bitmap_zero(l->isr, 256);
	l->icr = l->icr2 = 0;
	if (!x2apic(l))
		l->ldr = 0;	/* x2APIC's is read-only, and stays */
	l->tpr = l->tmict = l->tdcr = 0;
	l->dfr = 0xffffffff;
	for (i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] = LVT_MASKED;
	l->svr = 0xff;
}

void kxen_lapic_reset(struct kxen_vcpu *v)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned long flags;

	/* Other vcpus may be sending this one IPIs meanwhile: under the lock. */
	spin_lock_irqsave(&l->lock, flags);
	WRITE_ONCE(l->apic_base, APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE |
		   (v->id == 0 ? MSR_IA32_APICBASE_BSP : 0));
	WRITE_ONCE(l->id, (2 * v->id) << 24);
	l->esr = 0;
	do_init(l);
	spin_unlock_irqrestore(&l->lock, flags);
}

void kxen_lapic_init(struct kxen_vcpu *v)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	do_init(l);
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
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned long flags;
	int vec;

	if (!enabled(l))
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
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	__clear_bit(vector, l->irr);
	__set_bit(vector, l->isr);
	spin_unlock_irqrestore(&l->lock, flags);
}

void kxen_lapic_set_irq(struct kxen_vcpu *v, u8 vector)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned long flags;

	if (vector < 16)
		return;		/* illegal vectors: Xen sets ESR and drops them */
	if (!enabled(l))
		return;		/* a disabled APIC accepts none, as Xen's */
	spin_lock_irqsave(&l->lock, flags);
	__set_bit(vector, l->irr);
	spin_unlock_irqrestore(&l->lock, flags);
	kxen_vcpu_kick(v);
}

/* Logical destinations: x2APIC clusters, or xAPIC's flat or cluster model (DFR). */
static bool matches_logical(const struct kxen_lapic *t, u32 mda)
{
	u32 ldr = READ_ONCE(t->ldr);

	if (x2apic(t))
		return (ldr >> 16) == (mda >> 16) && (u16)(ldr & mda);
	ldr >>= 24;
	mda &= 0xff;
	switch (READ_ONCE(t->dfr)) {
	case APIC_DFR_FLAT:
		return ldr & mda;
	case APIC_DFR_CLUSTER:
		return (ldr >> 4) == (mda >> 4) && (ldr & mda & 0xf);
	}
	return false;	/* a DFR model that does not exist: nobody */
}

static bool matches(const struct kxen_lapic *t, u32 dest, bool logical)
{
	if (logical)
		return matches_logical(t, dest);
	if (x2apic(t))
		return dest == 0xffffffff || dest == READ_ONCE(t->id);
	return dest == 0xff || dest == READ_ONCE(t->id) >> 24;
}

static void deliver(struct kxen_vcpu *t, unsigned int mode, u8 vector)
{
	switch (mode) {
	case APIC_DM_FIXED >> 8:
	case APIC_DM_LOWEST >> 8:
		kxen_lapic_set_irq(t, vector);
		break;
	case APIC_DM_NMI >> 8:
		WRITE_ONCE(t->arch.nmi_pending, true);
		kxen_vcpu_kick(t);
		break;
	case APIC_DM_INIT >> 8:
		/*
		 * A SIPI sent before this INIT is void; one sent after it must count, even
		 * if the target handles both at once (Linux on AMD sends INIT and SIPI
		 * back to back): so the sender, which orders them, forgets the old one.
		 */
		WRITE_ONCE(t->arch.lapic.sipi_pending, false);
		smp_wmb();	/* the old SIPI gone before the INIT shows */
		WRITE_ONCE(t->arch.lapic.init_pending, true);
		kxen_vcpu_kick(t);
		break;
	case APIC_DM_STARTUP >> 8:
		t->arch.lapic.sipi_vector = vector;
		smp_wmb();	/* the vector before the flag: startup() reads them so */
		WRITE_ONCE(t->arch.lapic.sipi_pending, true);
		kxen_vcpu_kick(t);
		break;
	}
}

/* An ICR write: the destination read as the sender's mode has it (Xen's vlapic_ipi). */
static void send_ipi(struct kxen_vcpu *v, u32 icr, u32 icr2)
{
	struct kxen_domain *d = v->d;
	unsigned int mode = (icr >> 8) & 7, shorthand = (icr >> 18) & 3, i;
	bool logical = icr & APIC_DEST_LOGICAL;
	u32 dest = x2apic(&v->arch.lapic) ? icr2 : icr2 >> 24;
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
			hit = matches(&t->arch.lapic, dest, logical);
		}
		if (hit)
			deliver(t, mode, vector);
	}
}

/* A register at its 16-byte aligned offset, as either mode reads it. Under l->lock. */
static u32 read_reg(struct kxen_lapic *l, unsigned int off)
{
	lockdep_assert_held(&l->lock);
	switch (off) {
	case APIC_ID:
		return l->id;
	case APIC_LVR:
		return LAPIC_VERSION;
	case APIC_TASKPRI:
		return l->tpr;
	case APIC_PROCPRI:
		return ppr(l);
	case APIC_LDR:
		return l->ldr;
	case APIC_DFR:
		return l->dfr;
	case APIC_SPIV:
		return l->svr;
	case APIC_ISR ... APIC_ISR + 0x70:
		return reg32(l->isr, (off - APIC_ISR) >> 4);
	case APIC_IRR ... APIC_IRR + 0x70:
		return reg32(l->irr, (off - APIC_IRR) >> 4);
	case APIC_ESR:
		return l->esr;
	case APIC_ICR:
		return l->icr;
	case APIC_ICR2:
		return l->icr2;
	case APIC_LVTT ... APIC_LVTERR:
		return l->lvt[(off - APIC_LVTT) >> 4];
	case APIC_TMICT:
		return l->tmict;
	case APIC_TDCR:
		return l->tdcr;
	}
	/* TMR: every interrupt here is edge-triggered; TMCCT: the timer never runs. */
	return 0;
}

/*
 * A write of a register at its aligned offset, checked already as the access's mode
 * wants (Xen's vlapic_reg_write): registers that take no writes ignore them. True when
 * it sends an IPI, which the caller does once the lock is dropped.
 */
static bool write_reg(struct kxen_lapic *l, unsigned int off, u32 val)
{
	unsigned int i;
	int vec;

	lockdep_assert_held(&l->lock);
	switch (off) {
	case APIC_ID:
		WRITE_ONCE(l->id, val);
		break;
	case APIC_TASKPRI:
		l->tpr = val & 0xff;
		break;
	case APIC_EOI:
		vec = highest(l->isr);
		if (vec >= 0)
			__clear_bit(vec, l->isr);
		break;
	case APIC_LDR:
		WRITE_ONCE(l->ldr, val & APIC_LDR_MASK);
		break;
	case APIC_DFR:
		WRITE_ONCE(l->dfr, val | 0x0fffffff);
		break;
	case APIC_SPIV:
		l->svr = val & (APIC_SPIV_APIC_ENABLED | APIC_SPIV_FOCUS_DISABLED | 0xff);
		if (!(val & APIC_SPIV_APIC_ENABLED))
			for (i = 0; i < ARRAY_SIZE(l->lvt); i++)
				l->lvt[i] |= LVT_MASKED;
		break;
	case APIC_ICR:
		l->icr = val & ~APIC_ICR_BUSY;
		return true;
	case APIC_ICR2:
		l->icr2 = val & 0xff000000;
		break;
	case APIC_LVTT ... APIC_LVTERR:
		i = (off - APIC_LVTT) >> 4;
		if (!(l->svr & APIC_SPIV_APIC_ENABLED))
			val |= LVT_MASKED;
		l->lvt[i] = val & lvt_bits[i];
		break;
	case APIC_TMICT:
		l->tmict = val;
		break;
	case APIC_TDCR:
		l->tdcr = val & 0xb;	/* bits 0, 1 and 3; the rest are zero */
		break;
	}
	return false;
}

/* A register write from the vcpu itself, with the IPI it may send. */
static void write(struct kxen_vcpu *v, unsigned int off, u32 val)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned long flags;
	u32 icr, icr2;
	bool ipi;

	spin_lock_irqsave(&l->lock, flags);
	ipi = write_reg(l, off, val);
	icr = l->icr;
	icr2 = l->icr2;
	spin_unlock_irqrestore(&l->lock, flags);
	if (ipi)
		send_ipi(v, icr, icr2);
}

/*
 * APIC_BASE as Xen's guest_wrmsr_apic_base() takes it: no reserved bits, EXTD only
 * where CPUID offers x2APIC, the xAPIC window only at its default address (Xen does
 * not move it either), and the mode changes a real APIC allows: enable (a reset) and
 * disable, and xAPIC to x2APIC while enabled; x2APIC back to xAPIC only through
 * disabled.
 */
static int write_base(struct kxen_vcpu *v, u64 value)
{
	struct kxen_lapic *l = &v->arch.lapic;
	u64 old = READ_ONCE(l->apic_base);
	unsigned long flags;

	if (value & ~(BASE_ADDR_MASK | MSR_IA32_APICBASE_ENABLE | MSR_IA32_APICBASE_BSP |
		      (kxen_cpuid_x2apic(&v->d->cpuid) ? X2APIC_ENABLE : 0)))
		return -EINVAL;
	if ((value & (X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE)) == MSR_IA32_APICBASE_ENABLE &&
	    (value & BASE_ADDR_MASK) != APIC_DEFAULT_PHYS_BASE)
		return -EINVAL;
	if ((old ^ value) & MSR_IA32_APICBASE_ENABLE) {
		if (value & X2APIC_ENABLE)
			return -EINVAL;
		if (value & MSR_IA32_APICBASE_ENABLE)
			kxen_lapic_reset(v);
	} else if (((old ^ value) & X2APIC_ENABLE) && !xapic(l)) {
		return -EINVAL;
	}
	spin_lock_irqsave(&l->lock, flags);
	WRITE_ONCE(l->apic_base, value);
	if (x2apic(l))
		set_x2apic_ids(v);
	spin_unlock_irqrestore(&l->lock, flags);
	return 0;
}

/* The x2APIC registers RDMSR reads (Xen's guest_rdmsr_x2apic()), by offset >> 4. */
#define REG(r)		BIT_ULL((r) >> 4)
#define BLOCK(r)	(0xffULL << ((r) >> 4))
static const u64 x2apic_readable = REG(APIC_ID) | REG(APIC_LVR) | REG(APIC_TASKPRI) |
	REG(APIC_PROCPRI) | REG(APIC_LDR) | REG(APIC_SPIV) | REG(APIC_ESR) | REG(APIC_ICR) |
	REG(APIC_LVTCMCI) | REG(APIC_LVTT) | REG(APIC_LVTTHMR) | REG(APIC_LVTPC) |
	REG(APIC_LVT0) | REG(APIC_LVT1) | REG(APIC_LVTERR) | REG(APIC_TMICT) |
	REG(APIC_TMCCT) | REG(APIC_TDCR) | BLOCK(APIC_ISR) | BLOCK(APIC_TMR) | BLOCK(APIC_IRR);
#undef REG
#undef BLOCK

int kxen_lapic_rdmsr(struct kxen_vcpu *v, u32 msr, u64 *value)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned int reg = msr - X2APIC_FIRST;
	unsigned long flags;

	if (msr == MSR_IA32_APICBASE) {
		*value = READ_ONCE(l->apic_base);
		return 0;
	}
	if (!x2apic(l) || reg >= 64 || !(x2apic_readable & BIT_ULL(reg)))
		return -EINVAL;
	spin_lock_irqsave(&l->lock, flags);
	*value = read_reg(l, reg << 4);
	if ((reg << 4) == APIC_ICR)
		*value |= (u64)l->icr2 << 32;
	spin_unlock_irqrestore(&l->lock, flags);
	return 0;
}

/* x2APIC writes: reserved bits set are #GP (Xen's guest_wrmsr_x2apic()). */
int kxen_lapic_wrmsr(struct kxen_vcpu *v, u32 msr, u64 value)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned int off = (msr - X2APIC_FIRST) << 4;
	unsigned long flags;
	u64 valid;

	if (msr == MSR_IA32_APICBASE)
		return write_base(v, value);
	if (!x2apic(l) || msr - X2APIC_FIRST >= 0x100)
		return -EINVAL;
	switch (off) {
	case APIC_TASKPRI:
		valid = APIC_TPRI_MASK;
		break;
	case APIC_SPIV:
		valid = APIC_VECTOR_MASK | APIC_SPIV_APIC_ENABLED | APIC_SPIV_FOCUS_DISABLED;
		break;
	case APIC_LVTT:
		valid = LVT_BITS | TIMER_MODE_MASK;
		break;
	case APIC_LVTTHMR:
	case APIC_LVTPC:
	case APIC_LVTCMCI:
		valid = LVT_BITS | APIC_MODE_MASK;
		break;
	case APIC_LVT0:
	case APIC_LVT1:
		valid = LINT_BITS;
		break;
	case APIC_LVTERR:
		valid = LVT_BITS;
		break;
	case APIC_TMICT:
		valid = ~0ULL;		/* Xen takes the low half and ignores the rest */
		break;
	case APIC_TDCR:
		valid = 0xb;
		break;
	case APIC_ICR:
		if ((u32)value & ~(APIC_VECTOR_MASK | APIC_MODE_MASK | APIC_DEST_LOGICAL |
				   APIC_INT_ASSERT | APIC_INT_LEVELTRIG | SHORTHAND_MASK))
			return -EINVAL;
		spin_lock_irqsave(&l->lock, flags);
		l->icr2 = value >> 32;
		spin_unlock_irqrestore(&l->lock, flags);
		write(v, APIC_ICR, value);
		return 0;
	case APIC_SELF_IPI:
		if (value & ~(u64)APIC_VECTOR_MASK)
			return -EINVAL;
		off = APIC_ICR;
		value |= APIC_DEST_SELF;
		valid = U32_MAX;
		break;
	case APIC_EOI:
	case APIC_ESR:
		valid = 0;
		break;
	default:
		return -EINVAL;
	}
	if (value & ~valid)
		return -EINVAL;
	write(v, off, value);
	return 0;
}

bool kxen_lapic_mmio(struct kxen_vcpu *v, u64 gpa)
{
	return xapic(&v->arch.lapic) && (gpa >> PAGE_SHIFT) == (APIC_DEFAULT_PHYS_BASE >> PAGE_SHIFT);
}

/*
 * Registers are 32 bits at 16-byte steps; an access that fits inside one reads or
 * writes its bytes, any other reads as zero and writes nothing (Xen's
 * vlapic_mmio_read/write).
 */
u32 kxen_lapic_mmio_read(struct kxen_vcpu *v, unsigned int off, unsigned int size)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned int shift = 8 * (off & 0xf);
	unsigned long flags;
	u32 val;

	if ((off & 0xf) + size > 4 || off > APIC_TDCR + 3)
		return 0;
	spin_lock_irqsave(&l->lock, flags);
	val = read_reg(l, off & ~0xf) >> shift;
	spin_unlock_irqrestore(&l->lock, flags);
	return size == 4 ? val : val & ((1U << (8 * size)) - 1);
}

void kxen_lapic_mmio_write(struct kxen_vcpu *v, unsigned int off, unsigned int size, u32 val)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned int shift = 8 * (off & 0xf);
	unsigned long flags;
	u32 mask;

	if ((off & 0xf) + size > 4 || off > APIC_TDCR + 3)
		return;
	if (size < 4) {		/* the register's other bytes as they are */
		mask = ((1U << (8 * size)) - 1) << shift;
		spin_lock_irqsave(&l->lock, flags);
		val = (read_reg(l, off & ~0xf) & ~mask) | ((val << shift) & mask);
		spin_unlock_irqrestore(&l->lock, flags);
	}
	write(v, off & ~0xf, val);
}

u8 kxen_lapic_get_cr8(struct kxen_vcpu *v)
{
	return (READ_ONCE(v->arch.lapic.tpr) >> 4) & 0xf;
}

void kxen_lapic_set_cr8(struct kxen_vcpu *v, u8 cr8)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->tpr = (cr8 & 0xf) << 4;
	spin_unlock_irqrestore(&l->lock, flags);
}

/* A 32-bit register of the xAPIC page, at its offset. */
static u32 *reg(struct hvm_hw_lapic_regs *regs, unsigned int off)
{
	return (u32 *)&regs->data[off];
}

void kxen_lapic_save(struct kxen_vcpu *v, struct hvm_hw_lapic *hw,
		     struct hvm_hw_lapic_regs *regs)
{
	struct kxen_lapic *l = &v->arch.lapic;
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
	*reg(regs, APIC_LDR) = l->ldr;
	*reg(regs, APIC_DFR) = l->dfr;
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
	*reg(regs, APIC_ICR2) = l->icr2;
	for (i = 0; i < ARRAY_SIZE(l->lvt); i++)
		*reg(regs, APIC_LVTT + 0x10 * i) = l->lvt[i];
	*reg(regs, APIC_TMICT) = l->tmict;
	*reg(regs, APIC_TDCR) = l->tdcr;
	spin_unlock_irqrestore(&l->lock, flags);
}

int kxen_lapic_check_base(struct kxen_vcpu *v, const struct hvm_hw_lapic *hw)
{
	u64 base = hw->apic_base_msr;

	/* x2APIC mode with the APIC disabled does not exist (Xen refuses it too). */
	if ((base & (X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE)) == X2APIC_ENABLE)
		return -EINVAL;
	return (base ^ v->arch.lapic.apic_base) &
	       ~(u64)(X2APIC_ENABLE | MSR_IA32_APICBASE_ENABLE) ? -EINVAL : 0;
}

void kxen_lapic_load_base(struct kxen_vcpu *v, const struct hvm_hw_lapic *hw)
{
	struct kxen_lapic *l = &v->arch.lapic;
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	WRITE_ONCE(l->apic_base, hw->apic_base_msr);
	if (x2apic(l))
		set_x2apic_ids(v);
	spin_unlock_irqrestore(&l->lock, flags);
}

/* What WRMSR would let the guest write, from the page; the rest is kxen's own. */
void kxen_lapic_load_regs(struct kxen_vcpu *v, const struct hvm_hw_lapic_regs *in)
{
	struct hvm_hw_lapic_regs *regs = (struct hvm_hw_lapic_regs *)in;
	struct kxen_lapic *l = &v->arch.lapic;
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
	l->icr = *reg(regs, APIC_ICR) & ~APIC_ICR_BUSY;
	l->icr2 = *reg(regs, APIC_ICR2);
	for (i = 0; i < ARRAY_SIZE(l->lvt); i++)
		l->lvt[i] = *reg(regs, APIC_LVTT + 0x10 * i) & lvt_bits[i];
	/* x2APIC's IDs are the vcpu's (as Xen's lapic_load_fixup); xAPIC's the guest's. */
	if (x2apic(l)) {
		set_x2apic_ids(v);
	} else {
		l->id = *reg(regs, APIC_ID);
		l->ldr = *reg(regs, APIC_LDR) & APIC_LDR_MASK;
		l->dfr = *reg(regs, APIC_DFR) | 0x0fffffff;
	}
	l->tmict = *reg(regs, APIC_TMICT);
	l->tdcr = *reg(regs, APIC_TDCR) & 0xb;
	spin_unlock_irqrestore(&l->lock, flags);
}
