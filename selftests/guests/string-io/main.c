// SPDX-License-Identifier: GPL-2.0
/*
 * INS and OUTS, which the hypervisor emulates: every string I/O instruction exits. As
 * the SDM has them: DF=1 counts down by the element size in the address size's width
 * (a fuzzer found OUTSB with DF=1 leaving RSI 4 GiB too high), a 67h prefix makes
 * 64-bit code use ESI/EDI/ECX (and clears their upper halves), OUTS takes a segment
 * override (FS and GS have bases in 64-bit mode), INS always uses ES. A fault on an
 * element is the guest's, as the CPU raises it, with RCX and RDI/RSI saying how far
 * the instruction got: #PF (CR2, error code) for an address its page tables do not
 * map, #GP(0) for one that is not canonical; a frame nothing backs takes writes and
 * gives all ones. Port 0xE9 is Xen's debug console: it takes bytes, and reads as
 * nothing there (all ones).
 */
#include "guest.h"

const char test_title[] = "INS/OUTS: DF, address size, segments, faults";

#define PORT		0xe9
#define UNMAPPED	0x40000000UL	/* head.S maps the first GiB only */
#define HOLE		0x30000000UL	/* mapped, but far beyond a test guest's RAM */
#define MSR_FS_BASE	0xc0000100

static u8 buf[64] __attribute__((aligned(64)));

struct regs {
	u64 rsi, rdi, rcx;
	u32 fault;
};

/* Each form, with DF as asked; the exception (if any) comes back in RAX. */
#define STRING_IO(name, insn)							\
static void name(struct regs *r, int df)					\
{										\
	u64 fault = 0;								\
										\
	if (df)									\
		asm volatile("std");						\
	asm volatile("1: " insn "; 2:\n\t" EXTABLE_RAX(1b, 2b)			\
		     : "+a"(fault), "+S"(r->rsi), "+D"(r->rdi), "+c"(r->rcx)	\
		     : "d"(PORT) : "memory");					\
	asm volatile("cld");							\
	r->fault = fault;							\
}

STRING_IO(outsb, "outsb")
STRING_IO(rep_outsb, "rep outsb")
STRING_IO(rep_insb, "rep insb")
STRING_IO(rep_insw, "rep insw")
STRING_IO(addr32_rep_outsb, "addr32 rep outsb")
STRING_IO(addr32_rep_insb, "addr32 rep insb")
STRING_IO(fs_outsb, "fs outsb")

static void expect(const char *what, const struct regs *r, u64 rsi, u64 rdi, u64 rcx, u32 fault)
{
	if (r->rsi != rsi || r->rdi != rdi || r->rcx != rcx || r->fault != fault)
		xtf_failure("%s: rsi %#lx rdi %#lx rcx %#lx fault %#x; want %#lx %#lx %#lx %#x",
			    what, r->rsi, r->rdi, r->rcx, r->fault, rsi, rdi, rcx, fault);
}

void test_main(void)
{
	u64 b = (u64)buf, hi = 0x1234UL << 32;
	struct regs r;
	unsigned int i;

	memset(buf, 'x', sizeof(buf));
	buf[32] = '\n';

	/* DF=1: one byte down, in 64-bit arithmetic. */
	r = (struct regs){ .rsi = b + 32, .rdi = 0, .rcx = 7 };
	outsb(&r, 1);
	expect("OUTSB, DF=1", &r, b + 31, 0, 7, 0);
	r = (struct regs){ .rsi = b + 4, .rdi = 0, .rcx = 4 };
	rep_outsb(&r, 1);
	expect("REP OUTSB, DF=1", &r, b, 0, 0, 0);
	outb('\n', PORT);

	/* INS reads all ones from a port with nothing behind it, DF=1 counting down. */
	r = (struct regs){ .rsi = 0, .rdi = b + 8, .rcx = 4 };
	rep_insb(&r, 1);
	expect("REP INSB, DF=1", &r, 0, b + 4, 0, 0);
	for (i = 0; i < 16; i++)
		if (buf[i] != ((i >= 5 && i <= 8) ? 0xff : 'x'))
			xtf_failure("REP INSB, DF=1: buf[%u] = %#x", i, buf[i]);
	memset(buf, 'x', 16);
	r = (struct regs){ .rsi = 0, .rdi = b, .rcx = 3 };
	rep_insw(&r, 0);
	expect("REP INSW", &r, 0, b + 6, 0, 0);
	if (buf[5] != 0xff || buf[6] != 'x')
		xtf_failure("REP INSW: buf[5..6] = %#x %#x", buf[5], buf[6]);

	/* A 67h prefix: ESI, EDI, ECX, the upper halves ignored and then cleared. */
	r = (struct regs){ .rsi = hi | (b + 40), .rdi = 0, .rcx = hi | 2 };
	buf[40] = '-';
	buf[41] = '\n';
	addr32_rep_outsb(&r, 0);
	expect("ADDR32 REP OUTSB", &r, b + 42, 0, 0, 0);
	r = (struct regs){ .rsi = 0, .rdi = hi | (b + 16), .rcx = hi | 2 };
	addr32_rep_insb(&r, 0);
	expect("ADDR32 REP INSB", &r, 0, b + 18, 0, 0);

	/* A page its tables do not map: #PF, CR2 the element's address, RCX what is left. */
	r = (struct regs){ .rsi = 0, .rdi = UNMAPPED - 1, .rcx = 3 };
	rep_insb(&r, 0);
	expect("REP INSB into unmapped", &r, 0, UNMAPPED, 2, exinfo(X86_EXC_PF, 2));
	check_eq(read_cr2(), UNMAPPED, "REP INSB into unmapped: CR2");
	r = (struct regs){ .rsi = UNMAPPED - 2, .rdi = 0, .rcx = 3 };
	rep_outsb(&r, 0);
	expect("REP OUTSB from unmapped", &r, UNMAPPED, 0, 1, exinfo(X86_EXC_PF, 0));
	check_eq(read_cr2(), UNMAPPED, "REP OUTSB from unmapped: CR2");
	r = (struct regs){ .rsi = 0, .rdi = UNMAPPED + 1, .rcx = 3 };
	rep_insb(&r, 1);
	expect("REP INSB into unmapped, DF=1", &r, 0, UNMAPPED + 1, 3, exinfo(X86_EXC_PF, 2));
	check_eq(read_cr2(), UNMAPPED + 1, "REP INSB into unmapped, DF=1: CR2");

	/* Not canonical: #GP(0). */
	r = (struct regs){ .rsi = 1UL << 63, .rdi = 0, .rcx = 0 };
	outsb(&r, 0);
	expect("OUTSB, non-canonical", &r, 1UL << 63, 0, 0, exinfo(X86_EXC_GP, 0));

	/* FS override: FS's base counts (an unmapped one, to see it in CR2). */
	if (wrmsr_safe(MSR_FS_BASE, UNMAPPED))
		xtf_error("wrmsr FS_BASE faulted");
	r = (struct regs){ .rsi = 0x10, .rdi = 0, .rcx = 0 };
	fs_outsb(&r, 0);
	expect("FS: OUTSB", &r, 0x10, 0, 0, exinfo(X86_EXC_PF, 0));
	check_eq(read_cr2(), UNMAPPED + 0x10, "FS: OUTSB: CR2");
	wrmsr_safe(MSR_FS_BASE, 0);

	/* Mapped, but no RAM: INS writes go nowhere, and nothing faults. */
	r = (struct regs){ .rsi = 0, .rdi = HOLE, .rcx = 2 };
	rep_insb(&r, 0);
	expect("REP INSB into a hole", &r, 0, HOLE + 2, 0, 0);
	r = (struct regs){ .rsi = HOLE, .rdi = 0, .rcx = 1 };
	rep_outsb(&r, 0);
	expect("REP OUTSB from a hole", &r, HOLE + 1, 0, 0, 0);
	outb('\n', PORT);
}
