// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O, and the IN/OUT/INS/OUTS exits both backends decode into it. A PVH guest
 * has no emulated devices; the one port that means something is
 * 0xE9, Xen's (and Bochs') debug console, which Linux's hvc_xen writes when console_io
 * is denied. Other ports (and reads of 0xE9) find nothing: reads give all ones, writes go
 * nowhere, as on Xen for a domain without a device model.
 */
#include <linux/mm.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "../../core/domain.h"
#include "arch.h"
#include "decode.h"
#include "x86.h"

#define DEBUG_PORT	0xe9

void kxen_x86_out(struct kxen_vcpu *v, u16 port, unsigned int size, u32 value)
{
	if (port == DEBUG_PORT)
		kxen_console_guest_putc(v->d, value & 0xff);
}

u32 kxen_x86_in(struct kxen_vcpu *v, u16 port, unsigned int size)
{
	/* Xen handles only writes to 0xE9: a read finds no device, like any other. */
	return size == 4 ? ~0U : (1U << (8 * size)) - 1;
}

/*
 * IN or OUT of size bytes with RAX, as a decoded exit gives it: the value read goes
 * into the low bytes of RAX (all of EAX for a dword, as the CPU does).
 */
void kxen_x86_io(struct kxen_vcpu *v, u16 port, unsigned int size, bool in)
{
	struct kxen_gprs *r = &v->arch.gprs;
	u32 data;

	if (!in) {
		kxen_x86_out(v, port, size, r->rax);
		return;
	}
	data = kxen_x86_in(v, port, size);
	r->rax = size == 4 ? data : (r->rax & ~((1ULL << (8 * size)) - 1)) | data;
}

/*
 * What the instruction itself says of an INS/OUTS that exited: its address size
 * (the code's, or the other one with 67h prefixes) and, for OUTS, a segment
 * override. 0; -EAGAIN when the bytes at RIP are not (or no longer: another vcpu may
 * have changed them) the string I/O instruction that exited, and it should simply
 * run again.
 */
static int decode(struct kxen_vcpu *v, const struct kxen_sregs *s, bool long64, bool in,
		  unsigned int size, unsigned int *asize, unsigned int *seg)
{
	u8 insn[KXEN_INSN_MAX], op;
	struct kxen_prefixes pf;
	unsigned int n;

	n = kxen_fetch_insn(v, s, insn);
	kxen_decode_prefixes(insn, n, long64, &pf);
	if (pf.len >= n)
		return -EAGAIN;
	op = insn[pf.len];
	/* Only the instruction that exited: INS or OUTS, direction and byte form agreeing. */
	if (op < 0x6c || op > 0x6f || in != (op < 0x6e) || (size == 1) != !(op & 1))
		return -EAGAIN;
	switch (pf.seg) {
	case 0x26:
		*seg = KXEN_SEG_ES;
		break;
	case 0x2e:
		*seg = KXEN_SEG_CS;
		break;
	case 0x36:
		*seg = KXEN_SEG_SS;
		break;
	case 0x64:
		*seg = KXEN_SEG_FS;
		break;
	case 0x65:
		*seg = KXEN_SEG_GS;
		break;
	default:
		*seg = KXEN_SEG_DS;
	}
	if (in)
		*seg = KXEN_SEG_ES;	/* INS: always ES */
	*asize = long64 ? (pf.addrsize ? 4 : 8) : (s->cs_db != pf.addrsize) ? 4 : 2;
	return 0;
}

/* Register reg after a string instruction of address size asize moved it to val. */
static void set_areg(u64 *reg, unsigned int asize, u64 val)
{
	if (asize == 8)
		*reg = val;
	else if (asize == 4)
		*reg = (u32)val;	/* a 32-bit result clears the upper half */
	else
		*reg = (*reg & ~0xffffULL) | (u16)val;
}

/*
 * INS/OUTS, REP or not: the exit gives the port, size and REP; decode() the rest.
 * Each element as the SDM has it: the segment's base and limit (in 64-bit mode only
 * FS and GS have a base, and the address must be canonical), the guest's paging,
 * then the port. A fault is the guest's, as the CPU would raise it (#GP, #SS, #PF),
 * with RCX, RSI and RDI saying how far the instruction got: never a domain crash.
 * A bounded batch per call, so that a huge count cannot hold the CPU: true when the
 * instruction is done (the caller steps over it), false when it must run again for
 * the rest (or to take its fault).
 */
bool kxen_x86_string_io(struct kxen_vcpu *v, const struct kxen_sregs *s, u16 port,
			unsigned int size, bool in, bool rep)
{
	bool long64 = s->cs_l && (s->efer & EFER_LMA);
	struct kxen_gprs *r = &v->arch.gprs;
	u64 amask, count, *reg = in ? &r->rdi : &r->rsi, cr2 = 0;
	unsigned int asize, segno, i, vector = 0;
	struct kxen_seg seg;
	u32 err = 0, data;

	if (decode(v, s, long64, in, size, &asize, &segno))
		return false;
	kxen_backend->get_seg(v, segno, &seg);
	amask = asize == 8 ? ~0ULL : asize == 4 ? 0xffffffffULL : 0xffffULL;
	count = rep ? r->rcx & amask : 1;
	for (i = 0; i < 256 && count; i++, count--) {
		u64 off = *reg & amask, la;

		if (long64) {
			la = (segno == KXEN_SEG_FS || segno == KXEN_SEG_GS ? seg.base : 0) + off;
		} else {
			if (!seg.usable || off + size - 1 > seg.limit) {
				vector = segno == KXEN_SEG_SS ? X86_TRAP_SS : X86_TRAP_GP;
				goto fault;
			}
			la = (u32)(seg.base + off);
		}
		data = in ? kxen_x86_in(v, port, size) : 0;
		if (kxen_linear_access(v, s, la, &data, size, in, &vector, &err, &cr2)) {
			if (vector == X86_TRAP_GP && segno == KXEN_SEG_SS)
				vector = X86_TRAP_SS;	/* not canonical, through SS */
			goto fault;
		}
		if (!in)
			kxen_x86_out(v, port, size, data);
		set_areg(reg, asize, off + (s->rflags & X86_EFLAGS_DF ? -(u64)size : size));
		if (rep)
			set_areg(&r->rcx, asize, count - 1);
	}
	return !count;
fault:
	kxen_backend->inject_exception(v, vector, err, cr2);
	return false;
}
