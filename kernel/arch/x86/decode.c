// SPDX-License-Identifier: GPL-2.0
/* Decoding the memory-access instructions mmio.c completes: see decode.h. */
#include "decode.h"

/* The bytes of the ModRM operand after the ModRM byte: SIB and displacement. */
static int modrm_extra(const u8 *p, unsigned int avail, unsigned int asize)
{
	u8 modrm = p[0], mod = modrm >> 6, rm = modrm & 7;

	if (mod == 3)
		return -EINVAL;		/* a register: no memory access to fault */
	if (asize == 2)
		return mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
	if (rm == 4) {			/* SIB */
		if (avail < 2)
			return -EINVAL;
		if (mod == 0 && (p[1] & 7) == 5)
			return 1 + 4;
		return 1 + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
	}
	return mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 5) ? 4 : 0;
}

static u64 le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

void kxen_decode_prefixes(const u8 *b, unsigned int n, bool long64, struct kxen_prefixes *p)
{
	unsigned int i;

	*p = (struct kxen_prefixes){ 0 };
	for (i = 0; i < n; i++) {
		switch (b[i]) {
		case 0x40 ... 0x4f:
			if (!long64)
				goto out;	/* INC/DEC: an opcode outside 64-bit code */
			p->rex = b[i];
			continue;
		case 0x66:
			p->opsize = true;
			break;
		case 0x67:
			p->addrsize = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
			p->seg = b[i];
			break;
		case 0xf2: case 0xf3:
			p->rep = b[i];
			break;
		case 0xf0:
			break;
		default:
			goto out;
		}
		p->rex = 0;
	}
out:
	p->len = i;
}

int kxen_decode_mem(const u8 *b, unsigned int n, bool long64, bool code32,
		    struct kxen_mem_insn *in)
{
	unsigned int i, osize = code32 || long64 ? 4 : 2, asize = long64 ? 8 : osize;
	unsigned int rex, imm = 0;
	struct kxen_prefixes pf;
	int extra;
	u8 op;

	kxen_decode_prefixes(b, n, long64, &pf);
	i = pf.len;
	rex = pf.rex;
	if (pf.rep)
		return -EINVAL;	/* F2h/F3h: not a plain MOV any more (or not one of ours) */
	if (pf.opsize)
		osize = code32 || long64 ? 2 : 4;
	if (pf.addrsize)
		asize = long64 ? 4 : asize == 4 ? 2 : 4;
	if (rex & 8)
		osize = 8;
	if (i + 1 >= n)
		return -EINVAL;
	memset(in, 0, sizeof(*in));
	in->reg = ((b[i + 1] >> 3) & 7) | (rex & 4) << 1;
	op = b[i++];
	switch (op) {
	case 0x88:	/* MOV r/m8, r8 */
	case 0x8a:	/* MOV r8, r/m8 */
		in->size = 1;
		in->write = op == 0x88;
		break;
	case 0x89:	/* MOV r/m, r */
	case 0x8b:	/* MOV r, r/m */
		in->size = osize;
		in->write = op == 0x89;
		break;
	case 0xc6:	/* MOV r/m8, imm8 */
	case 0xc7:	/* MOV r/m, imm16/32 (sign-extended to 64) */
		if ((b[i] >> 3) & 7)
			return -EINVAL;
		in->size = op == 0xc6 ? 1 : osize;
		in->write = true;
		in->reg = -1;
		imm = in->size < 4 ? in->size : 4;
		break;
	case 0xa0 ... 0xa3:	/* MOV AL/eAX to and from moffs */
		in->size = op & 1 ? osize : 1;
		in->write = op >= 0xa2;
		in->reg = 0;
		if (i + asize > n)
			return -EINVAL;
		in->len = i + asize;
		goto done;
	case 0x0f:	/* MOVZX, MOVSX r, r/m8 or r/m16 */
		op = b[i++];
		if (i >= n || (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf))
			return -EINVAL;
		in->reg = ((b[i] >> 3) & 7) | (rex & 4) << 1;
		in->size = op & 1 ? 2 : 1;
		in->dst_size = osize;
		in->sign = op >= 0xbe;
		break;
	default:
		return -EINVAL;
	}
	extra = modrm_extra(b + i, n - i, asize);
	if (extra < 0 || i + 1 + extra + imm > n)
		return -EINVAL;
	in->len = i + 1 + extra + imm;
	if (imm) {
		in->imm = le(b + i + 1 + extra, imm);
		if (imm == 4 && in->size == 8)
			in->imm = (u64)(s64)(s32)in->imm;
	}
done:
	if (!in->dst_size)
		in->dst_size = in->size;
	/* An 8-bit register without REX: 4-7 are AH, CH, DH, BH. */
	if (in->reg >= 4 && in->reg < 8 && !rex && in->size == 1 && in->dst_size == 1) {
		in->high_byte = true;
		in->reg -= 4;
	}
	return 0;
}

void kxen_mem_insn_load(u64 *r, const struct kxen_mem_insn *in, u64 val)
{
	unsigned int bits = in->size * 8;

	if (bits < 64)
		val &= (1ULL << bits) - 1;
	if (in->sign && bits < 64 && (val >> (bits - 1)))
		val |= ~0ULL << bits;
	switch (in->dst_size) {
	case 8:
		*r = val;
		break;
	case 4:
		*r = (u32)val;		/* a 32-bit result clears the upper half */
		break;
	case 2:
		*r = (*r & ~0xffffULL) | (u16)val;
		break;
	default:
		if (in->high_byte)
			*r = (*r & ~0xff00ULL) | (u8)val << 8;
		else
			*r = (*r & ~0xffULL) | (u8)val;
	}
}

u64 kxen_mem_insn_store(const u64 *r, const struct kxen_mem_insn *in)
{
	u64 val = in->reg < 0 ? in->imm : in->high_byte ? *r >> 8 : *r;

	return in->size == 8 ? val : val & ((1ULL << (8 * in->size)) - 1);
}
