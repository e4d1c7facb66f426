/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instructions kxen completes itself when a guest's data access reaches a
 * guest-physical address nothing backs (mmio.c): those compilers emit for device
 * access, MOV in its forms (register, immediate, moffs), MOVZX and MOVSX. Pure logic,
 * unit-tested (selftests/unit/test_decode.c).
 */
#ifndef KXEN_ARCH_X86_DECODE_H
#define KXEN_ARCH_X86_DECODE_H

#include <kxen/types.h>

struct kxen_mem_insn {
	unsigned int len;	/* bytes, prefixes included */
	unsigned int size;	/* bytes accessed in memory: 1, 2, 4 or 8 */
	unsigned int dst_size;	/* bytes of the register a load lands in */
	bool write;
	bool sign;		/* MOVSX: a load is sign-extended into the register */
	int reg;		/* the register operand (0 RAX ... 15 R15), or -1: imm */
	bool high_byte;		/* reg names AH, CH, DH or BH */
	u64 imm;		/* a store's immediate, sign-extended as the CPU does */
};

/* An instruction's prefixes, as the CPU reads them. */
struct kxen_prefixes {
	unsigned int len;	/* their bytes: the opcode is at b[len] (len == n: none) */
	u8 rex;			/* a REX just before the opcode, 64-bit code only; else 0 */
	u8 seg;			/* the last segment override (26h ... 65h), or 0 */
	u8 rep;			/* the last of F2h and F3h, or 0 */
	bool opsize;		/* 66h */
	bool addrsize;		/* 67h, once or many times */
};

/*
 * The legacy prefixes (any number, in any order) and a REX of the n bytes at b. A REX
 * counts only just before the opcode: a legacy prefix after it cancels it. Shared by
 * every decoder of kxen's (this file's, string I/O's, MOV to CR4's).
 */
void kxen_decode_prefixes(const u8 *b, unsigned int n, bool long64, struct kxen_prefixes *p);

/*
 * Decode the n bytes at RIP, for code of that mode (64-bit, else 32- or 16-bit by
 * CS.D): 0, or -EINVAL for an instruction not listed above, or cut short.
 */
int kxen_decode_mem(const u8 *b, unsigned int n, bool long64, bool code32,
		    struct kxen_mem_insn *in);
/* A load of val (in->size bytes) into register *r, as the CPU writes it. */
void kxen_mem_insn_load(u64 *r, const struct kxen_mem_insn *in, u64 val);
/* What a store writes: the register's bytes (or the immediate), in->size of them. */
u64 kxen_mem_insn_store(const u64 *r, const struct kxen_mem_insn *in);

#endif
