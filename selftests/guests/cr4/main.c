// SPDX-License-Identifier: GPL-2.0
/*
 * MOV to CR4, bit by bit. Xen lets an HVM guest set only the CR4 bits its CPUID
 * offers (hvm_cr4_guest_valid_bits() in Xen 4.17's hvm.c) and answers #GP for the
 * rest, VMXE and SMXE included; LA57 is never among them. The write either happens or
 * faults with CR4 as it was: a bit the hardware would take but the guest was not
 * offered must not reach the CPU (a VMRUN with it fails, on AMD).
 */
#include "guest.h"

const char test_title[] = "CR4 bits: the offered ones set, the rest #GP";

#define CR4_VME		(1UL << 0)
#define CR4_PVI		(1UL << 1)
#define CR4_TSD		(1UL << 2)
#define CR4_DE		(1UL << 3)
#define CR4_PSE		(1UL << 4)
#define CR4_PAE		(1UL << 5)
#define CR4_MCE		(1UL << 6)
#define CR4_PGE		(1UL << 7)
#define CR4_PCE		(1UL << 8)
#define CR4_OSFXSR	(1UL << 9)
#define CR4_OSXMMEXCPT	(1UL << 10)
#define CR4_UMIP	(1UL << 11)
#define CR4_LA57	(1UL << 12)
#define CR4_VMXE	(1UL << 13)
#define CR4_SMXE	(1UL << 14)
#define CR4_FSGSBASE	(1UL << 16)
#define CR4_PCIDE	(1UL << 17)
#define CR4_OSXSAVE	(1UL << 18)
#define CR4_SMEP	(1UL << 20)
#define CR4_SMAP	(1UL << 21)
#define CR4_PKE		(1UL << 22)
#define CR4_CET		(1UL << 23)

/* What Xen 4.17 lets a guest with this CPUID set. */
static u64 offered(void)
{
	u32 a, b1, c1, d1, b7 = 0, c7 = 0, d7 = 0, max;
	u64 v = CR4_PCE;

	cpuid(0, 0, &max, &b1, &c1, &d1);
	cpuid(1, 0, &a, &b1, &c1, &d1);
	if (max >= 7)
		cpuid(7, 0, &a, &b7, &c7, &d7);
	v |= (d1 & (1 << 1)) ? CR4_VME | CR4_PVI : 0;
	v |= (d1 & (1 << 4)) ? CR4_TSD : 0;
	v |= (d1 & (1 << 2)) ? CR4_DE : 0;
	v |= (d1 & (1 << 3)) ? CR4_PSE : 0;
	v |= (d1 & (1 << 6)) ? CR4_PAE : 0;
	v |= (d1 & ((1 << 7) | (1 << 14))) ? CR4_MCE : 0;
	v |= (d1 & (1 << 13)) ? CR4_PGE : 0;
	v |= (d1 & (1 << 24)) ? CR4_OSFXSR : 0;
	v |= (d1 & (1 << 25)) ? CR4_OSXMMEXCPT : 0;
	v |= (c7 & (1 << 2)) ? CR4_UMIP : 0;
	v |= (c1 & (1 << 5)) ? CR4_VMXE : 0;
	v |= (b7 & (1 << 0)) ? CR4_FSGSBASE : 0;
	v |= (c1 & (1 << 17)) ? CR4_PCIDE : 0;
	v |= (c1 & (1 << 26)) ? CR4_OSXSAVE : 0;
	v |= (b7 & (1 << 7)) ? CR4_SMEP : 0;
	v |= (b7 & (1 << 20)) ? CR4_SMAP : 0;
	v |= (c7 & (1 << 3)) ? CR4_PKE : 0;
	v |= ((c7 & (1 << 7)) || (d7 & (1 << 20))) ? CR4_CET : 0;
	return v;
}

void test_main(void)
{
	u64 cr4 = read_cr4(), valid = offered(), now;
	unsigned int bit, tried = 0;
	u32 fault;

	printk("CR4 %#lx, offered %#lx\n", cr4, valid);
	for (bit = 0; bit < 64; bit++) {
		u64 b = 1UL << bit;

		/* PAE stays (below); CET wants CR0.WP, which this guest leaves clear. */
		if ((cr4 & b) || b == CR4_CET || (bit > 32 && bit < 63))
			continue;
		tried++;
		fault = write_cr4_safe(cr4 | b);
		now = read_cr4();
		if (valid & b) {
			if (fault)
				xtf_failure("CR4 bit %u (offered): fault %#x", bit, fault);
			else if (!(now & b))
				xtf_failure("CR4 bit %u (offered): set, reads %#lx", bit, now);
			fault = write_cr4_safe(cr4);
			if (fault)
				xtf_error("CR4 bit %u: clearing it again faulted (%#x)", bit, fault);
		} else {
			if (fault != exinfo(X86_EXC_GP, 0))
				xtf_failure("CR4 bit %u (not offered): want #GP(0), got %#x",
					    bit, fault);
			if (now != cr4) {
				xtf_failure("CR4 bit %u (not offered): CR4 now %#lx", bit, now);
				write_cr4_safe(cr4);
			}
		}
	}
	/* Long mode needs PAE: clearing it is #GP, whatever else. */
	fault = write_cr4_safe(cr4 & ~CR4_PAE);
	check_eq(fault, exinfo(X86_EXC_GP, 0), "CR4.PAE cleared in long mode");
	check_eq(read_cr4(), cr4, "CR4 after that");
	printk("%u bits tried\n", tried);
}
