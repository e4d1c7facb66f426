// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC in xAPIC mode, through its MMIO page at 0xfee00000, as a guest that
 * does not (or not yet) use x2APIC sees it; and the moves between modes that
 * APIC_BASE allows. Xen 4.17 resets an HVM/PVH vcpu's APIC to xAPIC mode, enabled,
 * at the default base; its registers are 32 bits at 16-byte steps, smaller accesses
 * inside one register work, anything else reads 0. A fixed self-IPI and IPIs by
 * physical and logical (flat, cluster) destination arrive as interrupts, and an EOI
 * through the page retires them. In x2APIC mode, or with the APIC disabled, the
 * page is nothing (all ones, as any hole).
 */
#include "guest.h"

const char test_title[] = "xAPIC: the MMIO page, IPIs, APIC_BASE mode changes";

#define MSR_APIC_BASE	0x1b
#define BASE_BSP	(1UL << 8)
#define BASE_EXTD	(1UL << 10)
#define BASE_EN		(1UL << 11)
#define APIC_PA		0xfee00000UL

#define APIC_ID		0x20
#define APIC_LVR	0x30
#define APIC_TPR	0x80
#define APIC_PPR	0xa0
#define APIC_EOI	0xb0
#define APIC_LDR	0xd0
#define APIC_DFR	0xe0
#define APIC_SVR	0xf0
#define APIC_ISR	0x100
#define APIC_IRR	0x200
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVT0	0x350
#define APIC_TDCR	0x3e0

#define VECTOR		0x40
#define ICR_LOGICAL	(1U << 11)
#define ICR_SELF	(1U << 18)

#define X2APIC_MSR(r)	(0x800 + ((r) >> 4))

static volatile u32 irqs;

void irq_entry(void);
asm(".text\n"
    ".global irq_entry\n"
    "irq_entry:\n"
    "	lock incl irqs(%rip)\n"
    "	iretq\n");

static struct {
	unsigned short limit;
	u64 base;
} __attribute__((packed)) idtr;
static u64 idt[256][2] __attribute__((aligned(16)));

/* The page mapped uncached by a page directory of ours for 3-4 GiB. */
static u64 pd3[512] __attribute__((aligned(4096)));

static void map_apic(void)
{
	u64 *pml4 = (u64 *)(read_cr3() & ~0xfffUL);
	u64 *pdpt = (u64 *)(pml4[0] & 0x000ffffffffff000UL);

	/* 2 MiB page, present, writable, PWT|PCD. */
	pd3[(APIC_PA >> 21) & 511] = (APIC_PA & ~0x1fffffUL) | 0x9b;
	pdpt[3] = (u64)pd3 | 3;
	asm volatile("mov %0, %%cr3" : : "r"(read_cr3()) : "memory");
}

static u32 rd(unsigned int off)
{
	return *(volatile u32 *)(APIC_PA + off);
}

static void wr(unsigned int off, u32 v)
{
	*(volatile u32 *)(APIC_PA + off) = v;
}

static u64 base(void)
{
	u64 v = 0;

	if (rdmsr_safe(MSR_APIC_BASE, &v))
		xtf_error("rdmsr APIC_BASE faulted");
	return v;
}

/* Send, with interrupts off; then open them for an instruction: how many came. */
static u32 ipi(u32 icr2, u32 icr)
{
	u32 before = irqs;

	wr(APIC_ICR2, icr2);
	wr(APIC_ICR, icr);
	asm volatile("sti; nop; cli" ::: "memory");
	if (irqs != before)
		wr(APIC_EOI, 0);
	return irqs - before;
}

static void registers(void)
{
	u32 v;

	check_eq(rd(APIC_ID), 0, "ID of vcpu 0");
	check_eq(rd(APIC_LVR), 0x50014, "version register");
	v = *(volatile u8 *)(APIC_PA + APIC_LVR);
	check_eq(v, 0x14, "version, byte 0");
	v = *(volatile u8 *)(APIC_PA + APIC_LVR + 2);
	check_eq(v, 0x05, "version, byte 2");
	v = *(volatile unsigned short *)(APIC_PA + APIC_LVR + 2);
	check_eq(v, 0x0005, "version, bytes 2-3");
	check_eq(*(volatile u32 *)(APIC_PA + APIC_LVR + 2), 0, "version, 4 bytes at +2 (two registers)");
	check_eq(rd(APIC_TDCR + 0x10), 0, "past the last register");
	check_eq(rd(APIC_SVR), 0xff, "SVR after reset");
	check_eq(rd(APIC_DFR), 0xffffffff, "DFR after reset");
	check_eq(rd(APIC_LVT0), 0x10000, "LVT0 after reset: masked");

	wr(APIC_TPR, 0x20);
	check_eq(rd(APIC_TPR), 0x20, "TPR written");
	check_eq(rd(APIC_PPR), 0x20, "PPR follows TPR");
	wr(APIC_TPR, 0x1ff);
	check_eq(rd(APIC_TPR), 0xff, "TPR: 8 bits");
	*(volatile u8 *)(APIC_PA + APIC_TPR) = 0x30;
	check_eq(rd(APIC_TPR), 0x30, "TPR written by a byte");
	wr(APIC_TPR, 0);
	wr(APIC_DFR, 0);
	check_eq(rd(APIC_DFR), 0x0fffffff, "DFR: model bits only");
	wr(APIC_LDR, 0x12345678);
	check_eq(rd(APIC_LDR), 0x12000000, "LDR: bits 31-24");
	wr(APIC_ID, 0x05000000);
	check_eq(rd(APIC_ID), 0x05000000, "ID written");
	wr(APIC_ID, 0);
	wr(APIC_LVR, 0);
	check_eq(rd(APIC_LVR), 0x50014, "version register after a write");
}

static void interrupts(void)
{
	u32 n;

	idt[VECTOR][0] = ((u64)irq_entry & 0xffff) | (0x08UL << 16) | (0x8eUL << 40) |
			 (((u64)irq_entry >> 16 & 0xffff) << 48);
	idt[VECTOR][1] = (u64)irq_entry >> 32;
	for (n = 0; n < 32; n++) {
		idt[n][0] = ((u64 *)idt_ptr.base)[2 * n];
		idt[n][1] = ((u64 *)idt_ptr.base)[2 * n + 1];
	}
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (u64)idt;
	asm volatile("lidt %0" : : "m"(idtr));

	/* Software-disabled: no interrupt is accepted. */
	check_eq(ipi(0, ICR_SELF | VECTOR), 0, "self-IPI with the APIC software-disabled");
	wr(APIC_SVR, 0x1ff);
	check_eq(rd(APIC_SVR), 0x1ff, "SVR enabled");

	/* A self-IPI, held while interrupts are off: IRR, then ISR, then EOI. */
	wr(APIC_ICR, ICR_SELF | VECTOR);
	check_eq(rd(APIC_ICR) & 0xfffff, ICR_SELF | VECTOR, "ICR reads back, not busy");
	check_eq(rd(APIC_IRR + 0x20), 1, "IRR holds the vector");
	asm volatile("sti; nop; cli" ::: "memory");
	check_eq(irqs, 1, "the self-IPI arrived");
	check_eq(rd(APIC_IRR + 0x20), 0, "IRR clear once taken");
	check_eq(rd(APIC_ISR + 0x20), 1, "ISR holds the vector in service");
	check_eq(rd(APIC_PPR), VECTOR, "PPR is the vector in service");
	wr(APIC_EOI, 0);
	check_eq(rd(APIC_ISR + 0x20), 0, "ISR clear after EOI");
	check_eq(rd(APIC_PPR), 0, "PPR back to 0");

	/* Physical destinations: the ID register, which the guest may change. */
	check_eq(ipi(0, VECTOR), 1, "physical IPI to ID 0");
	check_eq(ipi(1U << 24, VECTOR), 0, "physical IPI to ID 1: not us");
	check_eq(ipi(0xffU << 24, VECTOR), 1, "physical broadcast");
	wr(APIC_ID, 0x05000000);
	check_eq(ipi(5U << 24, VECTOR), 1, "physical IPI to ID 5 after ID = 5");
	check_eq(ipi(0, VECTOR), 0, "physical IPI to ID 0 after ID = 5");
	wr(APIC_ID, 0);

	/* Logical: flat (a bit each), then cluster (cluster in 7-4, a bit each in 3-0). */
	wr(APIC_DFR, 0xffffffff);
	wr(APIC_LDR, 0x01000000);
	check_eq(ipi(0x01U << 24, ICR_LOGICAL | VECTOR), 1, "flat logical IPI to bit 0");
	check_eq(ipi(0x06U << 24, ICR_LOGICAL | VECTOR), 0, "flat logical IPI to bits 1-2");
	wr(APIC_DFR, 0x0fffffff);
	wr(APIC_LDR, 0x21000000);
	check_eq(ipi(0x21U << 24, ICR_LOGICAL | VECTOR), 1, "cluster IPI to 2:0");
	check_eq(ipi(0x11U << 24, ICR_LOGICAL | VECTOR), 0, "cluster IPI to 1:0");
	check_eq(ipi(0x22U << 24, ICR_LOGICAL | VECTOR), 0, "cluster IPI to 2:1");
	wr(APIC_DFR, 0xffffffff);
	wr(APIC_LDR, 0);

	/* Software-disable masks every LVT entry. */
	wr(APIC_LVT0, 0x700);
	check_eq(rd(APIC_LVT0), 0x700, "LVT0 written (ExtINT, unmasked)");
	wr(APIC_SVR, 0xff);
	check_eq(rd(APIC_LVT0), 0x10700, "LVT0 masked by software-disable");
}

static void modes(void)
{
	u64 v;
	u32 a, b, c, d, f;

	check_eq(wrmsr_safe(MSR_APIC_BASE, 0xfed00000UL | BASE_EN | BASE_BSP),
		 exinfo(X86_EXC_GP, 0), "moving the xAPIC window");
	check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_PA | BASE_EN | BASE_BSP | (1UL << 9)),
		 exinfo(X86_EXC_GP, 0), "APIC_BASE reserved bit 9");
	check_eq(rdmsr_safe(X2APIC_MSR(APIC_ID), &v), exinfo(X86_EXC_GP, 0),
		 "x2APIC MSR read in xAPIC mode");
	check_eq(base(), APIC_PA | BASE_EN | BASE_BSP, "APIC_BASE after refused writes");

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1U << 21))) {
		printk("no x2APIC in CPUID: the x2APIC moves not tried\n");
		check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_PA | BASE_EN | BASE_BSP | BASE_EXTD),
			 exinfo(X86_EXC_GP, 0), "EXTD without x2APIC in CPUID");
		return;
	}
	wr(APIC_TPR, 0x40);
	check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_PA | BASE_EN | BASE_BSP | BASE_EXTD), 0,
		 "xAPIC to x2APIC");
	check_eq(rd(APIC_LVR), 0xffffffff, "the MMIO page in x2APIC mode: nothing there");
	wr(APIC_TPR, 0x50);	/* goes nowhere */
	f = rdmsr_safe(X2APIC_MSR(APIC_ID), &v);
	check_eq(f, 0, "x2APIC ID readable");
	check_eq(v, 0, "x2APIC ID of vcpu 0");
	rdmsr_safe(X2APIC_MSR(APIC_LDR), &v);
	check_eq(v, 1, "x2APIC LDR of vcpu 0");
	rdmsr_safe(X2APIC_MSR(APIC_TPR), &v);
	check_eq(v, 0x40, "TPR kept across the switch");
	check_eq(rdmsr_safe(X2APIC_MSR(APIC_DFR), &v), exinfo(X86_EXC_GP, 0),
		 "x2APIC has no DFR");
	check_eq(wrmsr_safe(X2APIC_MSR(APIC_TPR), 0x100), exinfo(X86_EXC_GP, 0),
		 "x2APIC TPR reserved bits");
	check_eq(wrmsr_safe(X2APIC_MSR(APIC_ICR), 1U << 12 | VECTOR), exinfo(X86_EXC_GP, 0),
		 "x2APIC ICR with the busy bit");
	check_eq(wrmsr_safe(X2APIC_MSR(APIC_TPR), 0), 0, "x2APIC TPR = 0");
	check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_PA | BASE_EN | BASE_BSP),
		 exinfo(X86_EXC_GP, 0), "x2APIC straight back to xAPIC");
	check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_PA | BASE_BSP), 0, "disable");
	check_eq(base(), APIC_PA | BASE_BSP, "APIC_BASE disabled");
	check_eq(rd(APIC_LVR), 0xffffffff, "the MMIO page of a disabled APIC: nothing there");
	check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_PA | BASE_BSP | BASE_EXTD | BASE_EN),
		 exinfo(X86_EXC_GP, 0), "disabled straight to x2APIC");
	check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_PA | BASE_EN | BASE_BSP), 0,
		 "enable again, in xAPIC mode");
	check_eq(rd(APIC_LVR), 0x50014, "the MMIO page is the APIC again");
	check_eq(rd(APIC_SVR), 0xff, "SVR reset by the enable");
	check_eq(rd(APIC_ID), 0, "ID reset by the enable");
}

void test_main(void)
{
	check_eq(base(), APIC_PA | BASE_EN | BASE_BSP,
		 "APIC_BASE at start: enabled, xAPIC, default base, BSP");
	map_apic();
	registers();
	interrupts();
	modes();
}
