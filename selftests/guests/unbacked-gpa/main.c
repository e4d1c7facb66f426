// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-physical addresses with nothing behind them: a frame the guest gave back, and
 * a hole far beyond its RAM (both mapped 1:1 by its own page tables). Xen completes
 * such accesses as a device that is not there would: reads give all ones, writes go
 * nowhere, and the guest carries on. Each MOV form a compiler emits for device access
 * is tried, with the register results the CPU would give (a 32-bit load clears the
 * upper half, 8- and 16-bit loads merge, MOVZX/MOVSX extend).
 */
#include "guest.h"

const char test_title[] = "Unbacked guest-physical addresses: all ones, writes dropped";

#define HOLE		0x30000000UL
#define XENMEM_decrease_reservation	1

struct xen_memory_reservation {
	u64 extent_start;
	u64 nr_extents;
	u32 extent_order, mem_flags;
	unsigned short domid;
};

#define JUNK	0x1234567890abcdefUL

static void check(const char *what, u64 got, u64 want)
{
	if (got != want)
		xtf_failure("%s: got %#lx, want %#lx", what, got, want);
}

static void reads(const char *where, u64 a)
{
	u64 r;

	printk("reads at %s (%#lx)\n", where, a);
	r = JUNK;
	asm volatile("movq (%1), %0" : "+r"(r) : "r"(a) : "memory");
	check("movq", r, ~0UL);
	r = JUNK;
	asm volatile("movl (%1), %k0" : "+r"(r) : "r"(a) : "memory");
	check("movl (clears the upper half)", r, 0xffffffffUL);
	r = JUNK;
	asm volatile("movw (%1), %w0" : "+r"(r) : "r"(a) : "memory");
	check("movw (merges)", r, (JUNK & ~0xffffUL) | 0xffff);
	r = JUNK;
	asm volatile("movb (%1), %b0" : "+a"(r) : "r"(a) : "memory");
	check("movb al (merges)", r, (JUNK & ~0xffUL) | 0xff);
	r = JUNK;
	asm volatile("movb (%1), %h0" : "+a"(r) : "b"(a) : "memory");
	check("movb ah", r, (JUNK & ~0xff00UL) | 0xff00);
	r = JUNK;
	asm volatile("movzbl (%1), %k0" : "+r"(r) : "r"(a) : "memory");
	check("movzbl", r, 0xff);
	r = JUNK;
	asm volatile("movzwq (%1), %0" : "+r"(r) : "r"(a) : "memory");
	check("movzwq", r, 0xffff);
	r = JUNK;
	asm volatile("movsbq (%1), %0" : "+r"(r) : "r"(a) : "memory");
	check("movsbq", r, ~0UL);
	r = JUNK;
	asm volatile("movswl (%1), %k0" : "+r"(r) : "r"(a) : "memory");
	check("movswl", r, 0xffffffffUL);
	r = JUNK;
	asm volatile("movl 8(%1,%2,4), %k0" : "+r"(r) : "r"(a), "r"(2UL) : "memory");
	check("movl disp(base,index,4)", r, 0xffffffffUL);
	r = JUNK;
	asm volatile("movq (%1), %%r8; movq %%r8, %0"
		     : "+r"(r) : "r"(a) : "r8", "memory");
	check("movq into r8", r, ~0UL);
}

static void writes(u64 a)
{
	u64 v = JUNK;

	asm volatile("movq %0, (%1)" : : "r"(v), "r"(a) : "memory");
	asm volatile("movl %k0, 4(%1)" : : "r"(v), "r"(a) : "memory");
	asm volatile("movw %w0, 2(%1)" : : "r"(v), "r"(a) : "memory");
	asm volatile("movb %b0, 1(%1)" : : "a"(v), "r"(a) : "memory");
	asm volatile("movb $0x5a, (%0)" : : "r"(a) : "memory");
	asm volatile("movl $0x12345678, 8(%0)" : : "r"(a) : "memory");
	asm volatile("movq $-2, 16(%0)" : : "r"(a) : "memory");
	asm volatile("movw $0x1234, 24(%0)" : : "r"(a) : "memory");
}

void test_main(void)
{
	u64 gfn = SCRATCH_GFN, a = SCRATCH_GFN << 12, r;
	struct xen_memory_reservation res = {
		.extent_start = (u64)&gfn, .nr_extents = 1, .domid = DOMID_SELF,
	};
	s64 rc;

	/* A hole, far past the guest's RAM. */
	reads("a hole", HOLE);
	writes(HOLE);
	reads("a hole, after writes", HOLE);

	/* moffs forms (A0-A3), with a 64-bit absolute address. */
	r = JUNK;
	asm volatile("movabsl 0x30000040, %k0" : "+a"(r) : : "memory");
	check("movabs eax, moffs", r, 0xffffffffUL);
	asm volatile("movabsb %b0, 0x30000040" : : "a"(r) : "memory");

	/* A frame of its own, given back. */
	*(volatile u64 *)a = 42;
	rc = hypercall2(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, (u64)&res);
	check_eq(rc, 1, "decrease_reservation of one frame");
	reads("a frame given back", a);
	writes(a);
	reads("a frame given back, after writes", a);
}
