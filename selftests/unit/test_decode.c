// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kernel/arch/x86/decode.c: the instructions kxen completes when a
 * guest touches a guest-physical address nothing backs. The bytes are what GNU as
 * emits for each instruction named beside them (checked with objdump; for the 16-bit
 * absolute load, the ModRM form, as gas prefers the moffs one); hostile input (cut
 * short, only prefixes, register operands, other opcodes) must be refused.
 */
#include <check.h>
#include "run_suite.h"
#include <stdlib.h>

#include "decode.h"

#define RAX 0
#define RCX 1
#define RBX 3
#define RSI 6
#define R8 8
#define R15 15

static struct kxen_mem_insn in;

static int dec64(const u8 *b, unsigned int n)
{
	return kxen_decode_mem(b, n, true, false, &in);
}

START_TEST(prefixes)
{
	static const u8 rep_outsb[] = { 0xf3, 0x6e };			/* rep outsb */
	static const u8 fs_a32_insw[] = { 0x64, 0x67, 0x66, 0x6d };	/* fs addr32 insw */
	static const u8 rex_then_seg[] = { 0x48, 0x2e, 0x6f };	/* REX cancelled */
	static const u8 seg_then_rex[] = { 0x2e, 0x48, 0x0f, 0x22, 0xe0 }; /* mov %rax,%cr4 */
	static const u8 inc_eax[] = { 0x40 };			/* inc %eax, 32-bit */
	static const u8 only[] = { 0x66, 0x67, 0xf0 };
	struct kxen_prefixes p;

	kxen_decode_prefixes(rep_outsb, sizeof(rep_outsb), false, &p);
	ck_assert_uint_eq(p.len, 1);
	ck_assert_uint_eq(p.rep, 0xf3);
	ck_assert(!p.opsize && !p.addrsize && !p.seg && !p.rex);
	kxen_decode_prefixes(fs_a32_insw, sizeof(fs_a32_insw), true, &p);
	ck_assert_uint_eq(p.len, 3);
	ck_assert_uint_eq(p.seg, 0x64);
	ck_assert(p.opsize && p.addrsize && !p.rep);
	kxen_decode_prefixes(rex_then_seg, sizeof(rex_then_seg), true, &p);
	ck_assert_uint_eq(p.len, 2);
	ck_assert_uint_eq(p.rex, 0);
	ck_assert_uint_eq(p.seg, 0x2e);
	kxen_decode_prefixes(seg_then_rex, sizeof(seg_then_rex), true, &p);
	ck_assert_uint_eq(p.len, 2);
	ck_assert_uint_eq(p.rex, 0x48);
	kxen_decode_prefixes(inc_eax, sizeof(inc_eax), false, &p);
	ck_assert_uint_eq(p.len, 0);
	ck_assert_uint_eq(p.rex, 0);
	/* Nothing but prefixes: len is n, no opcode to read. */
	kxen_decode_prefixes(only, sizeof(only), true, &p);
	ck_assert_uint_eq(p.len, sizeof(only));
	kxen_decode_prefixes(only, 0, true, &p);
	ck_assert_uint_eq(p.len, 0);
}
END_TEST

START_TEST(mov_loads)
{
	static const u8 movq[] = { 0x48, 0x8b, 0x06 };		/* mov (%rsi),%rax */
	static const u8 movl_r8[] = { 0x44, 0x8b, 0x00 };	/* mov (%rax),%r8d */
	static const u8 movw[] = { 0x66, 0x8b, 0x0b };		/* mov (%rbx),%cx */
	static const u8 movb_ah[] = { 0x8a, 0x23 };		/* mov (%rbx),%ah */
	static const u8 movb_sil[] = { 0x40, 0x8a, 0x33 };	/* mov (%rbx),%sil */
	static const u8 rex_then_66[] = { 0x4c, 0x66, 0x8b, 0x0b };	/* mov (%rbx),%cx */
	static const u8 two_rex[] = { 0x48, 0x44, 0x8b, 0x00 };	/* mov (%rax),%r8d */

	ck_assert_int_eq(dec64(movq, sizeof(movq)), 0);
	ck_assert_uint_eq(in.len, 3);
	ck_assert_uint_eq(in.size, 8);
	ck_assert_int_eq(in.reg, RAX);
	ck_assert(!in.write);
	ck_assert_int_eq(dec64(movl_r8, sizeof(movl_r8)), 0);
	ck_assert_uint_eq(in.size, 4);
	ck_assert_int_eq(in.reg, R8);
	ck_assert_int_eq(dec64(movw, sizeof(movw)), 0);
	ck_assert_uint_eq(in.size, 2);
	ck_assert_int_eq(in.reg, RCX);
	ck_assert_int_eq(dec64(movb_ah, sizeof(movb_ah)), 0);
	ck_assert_uint_eq(in.size, 1);
	ck_assert(in.high_byte);
	ck_assert_int_eq(in.reg, RAX);
	/* With REX, register 6 is SIL, not DH. */
	ck_assert_int_eq(dec64(movb_sil, sizeof(movb_sil)), 0);
	ck_assert(!in.high_byte);
	ck_assert_int_eq(in.reg, RSI);
	/* A REX before a legacy prefix is ignored; of two REX, the last counts. */
	ck_assert_int_eq(dec64(rex_then_66, sizeof(rex_then_66)), 0);
	ck_assert_uint_eq(in.size, 2);
	ck_assert_int_eq(in.reg, RCX);
	ck_assert_int_eq(dec64(two_rex, sizeof(two_rex)), 0);
	ck_assert_uint_eq(in.size, 4);
	ck_assert_int_eq(in.reg, R8);
}
END_TEST

START_TEST(addressing_forms)
{
	/* mov 0x8(%rax,%rcx,4),%edx; mov 0x12345678(%rip),%eax; mov 0x100(%rbx),%r15 */
	static const u8 sib8[] = { 0x8b, 0x54, 0x88, 0x08 };
	static const u8 riprel[] = { 0x8b, 0x05, 0x78, 0x56, 0x34, 0x12 };
	static const u8 disp32[] = { 0x4c, 0x8b, 0xbb, 0x00, 0x01, 0x00, 0x00 };
	/* mov 0x30000000(,%rcx,1),%eax: SIB with no base, disp32 */
	static const u8 nobase[] = { 0x8b, 0x04, 0x0d, 0x00, 0x00, 0x00, 0x30 };
	/* 16-bit code: mov 0x1234,%ax (mod 0, rm 6: disp16); mov 0x10(%bx,%si),%ax */
	static const u8 abs16[] = { 0x8b, 0x06, 0x34, 0x12 };
	static const u8 bxsi8[] = { 0x8b, 0x40, 0x10 };

	ck_assert_int_eq(dec64(sib8, sizeof(sib8)), 0);
	ck_assert_uint_eq(in.len, 4);
	ck_assert_int_eq(dec64(riprel, sizeof(riprel)), 0);
	ck_assert_uint_eq(in.len, 6);
	ck_assert_int_eq(dec64(disp32, sizeof(disp32)), 0);
	ck_assert_uint_eq(in.len, 7);
	ck_assert_int_eq(in.reg, R15);
	ck_assert_uint_eq(in.size, 8);
	ck_assert_int_eq(dec64(nobase, sizeof(nobase)), 0);
	ck_assert_uint_eq(in.len, 7);
	ck_assert_int_eq(kxen_decode_mem(abs16, sizeof(abs16), false, false, &in), 0);
	ck_assert_uint_eq(in.len, 4);
	ck_assert_uint_eq(in.size, 2);
	ck_assert_int_eq(kxen_decode_mem(bxsi8, sizeof(bxsi8), false, false, &in), 0);
	ck_assert_uint_eq(in.len, 3);
	/* The same bytes in 32-bit code: mod 1, rm 0 is disp8(%eax). */
	ck_assert_int_eq(kxen_decode_mem(bxsi8, sizeof(bxsi8), false, true, &in), 0);
	ck_assert_uint_eq(in.len, 3);
	ck_assert_uint_eq(in.size, 4);
}
END_TEST

START_TEST(stores)
{
	static const u8 movb_imm[] = { 0xc6, 0x00, 0x5a };		/* movb $0x5a,(%rax) */
	static const u8 movl_imm[] = { 0xc7, 0x40, 0x08, 0x78, 0x56, 0x34, 0x12 };
	static const u8 movq_imm[] = { 0x48, 0xc7, 0x40, 0x10, 0xfe, 0xff, 0xff, 0xff };
	static const u8 movw_imm[] = { 0x66, 0xc7, 0x40, 0x18, 0x34, 0x12 };
	static const u8 movq_st[] = { 0x48, 0x89, 0x10 };		/* mov %rdx,(%rax) */
	u64 rax = 0x1122334455667788ULL;

	ck_assert_int_eq(dec64(movb_imm, sizeof(movb_imm)), 0);
	ck_assert(in.write);
	ck_assert_int_eq(in.reg, -1);
	ck_assert_uint_eq(in.len, 3);
	ck_assert_uint_eq(kxen_mem_insn_store(NULL, &in), 0x5a);
	ck_assert_int_eq(dec64(movl_imm, sizeof(movl_imm)), 0);
	ck_assert_uint_eq(in.len, 7);
	ck_assert_uint_eq(kxen_mem_insn_store(NULL, &in), 0x12345678);
	/* A 64-bit store of an imm32 sign-extends it. */
	ck_assert_int_eq(dec64(movq_imm, sizeof(movq_imm)), 0);
	ck_assert_uint_eq(in.len, 8);
	ck_assert_uint_eq(kxen_mem_insn_store(NULL, &in), (u64)-2);
	ck_assert_int_eq(dec64(movw_imm, sizeof(movw_imm)), 0);
	ck_assert_uint_eq(in.len, 6);
	ck_assert_uint_eq(in.size, 2);
	ck_assert_uint_eq(kxen_mem_insn_store(NULL, &in), 0x1234);
	ck_assert_int_eq(dec64(movq_st, sizeof(movq_st)), 0);
	ck_assert(in.write);
	ck_assert_uint_eq(kxen_mem_insn_store(&rax, &in), rax);
}
END_TEST

START_TEST(moffs)
{
	/* movabs 0x30000040,%eax; movabs %al,0x30000040; addr32 mov 0x40,%eax */
	static const u8 a1[] = { 0xa1, 0x40, 0, 0, 0x30, 0, 0, 0, 0 };
	static const u8 a2[] = { 0xa2, 0x40, 0, 0, 0x30, 0, 0, 0, 0 };
	static const u8 a1_32[] = { 0x67, 0xa1, 0x40, 0, 0, 0 };
	static const u8 a1_32_twice[] = { 0x67, 0x67, 0xa1, 0x40, 0, 0, 0 };

	ck_assert_int_eq(dec64(a1, sizeof(a1)), 0);
	ck_assert_uint_eq(in.len, 9);
	ck_assert_uint_eq(in.size, 4);
	ck_assert(!in.write);
	ck_assert_int_eq(dec64(a2, sizeof(a2)), 0);
	ck_assert(in.write);
	ck_assert_uint_eq(in.size, 1);
	ck_assert_int_eq(dec64(a1_32, sizeof(a1_32)), 0);
	ck_assert_uint_eq(in.len, 6);
	/* Two 67h prefixes are one: 32-bit addresses still, in 64-bit code. */
	ck_assert_int_eq(dec64(a1_32_twice, sizeof(a1_32_twice)), 0);
	ck_assert_uint_eq(in.len, 7);
	/* Cut short: the 8-byte address is not all there. */
	ck_assert_int_eq(dec64(a1, 5), -EINVAL);
}
END_TEST

START_TEST(extending_loads)
{
	static const u8 movzbl[] = { 0x0f, 0xb6, 0x00 };	/* movzbl (%rax),%eax */
	static const u8 movzwq[] = { 0x48, 0x0f, 0xb7, 0x00 };	/* movzwq (%rax),%rax */
	static const u8 movsbq[] = { 0x48, 0x0f, 0xbe, 0x00 };	/* movsbq (%rax),%rax */
	static const u8 movswl[] = { 0x0f, 0xbf, 0x00 };	/* movswl (%rax),%eax */
	u64 r;

	ck_assert_int_eq(dec64(movzbl, sizeof(movzbl)), 0);
	r = ~0ULL;
	kxen_mem_insn_load(&r, &in, 0x80);
	ck_assert_uint_eq(r, 0x80);
	ck_assert_int_eq(dec64(movzwq, sizeof(movzwq)), 0);
	ck_assert_uint_eq(in.size, 2);
	ck_assert_uint_eq(in.dst_size, 8);
	r = 1;
	kxen_mem_insn_load(&r, &in, 0xffff);
	ck_assert_uint_eq(r, 0xffff);
	ck_assert_int_eq(dec64(movsbq, sizeof(movsbq)), 0);
	kxen_mem_insn_load(&r, &in, 0x80);
	ck_assert_uint_eq(r, 0xffffffffffffff80ULL);
	ck_assert_int_eq(dec64(movswl, sizeof(movswl)), 0);
	r = 0x1234567800000000ULL;
	kxen_mem_insn_load(&r, &in, 0x8000);
	ck_assert_uint_eq(r, 0xffff8000ULL);
}
END_TEST

START_TEST(register_writes)
{
	static const u8 movl[] = { 0x8b, 0x00 }, movw[] = { 0x66, 0x8b, 0x00 };
	static const u8 movb[] = { 0x8a, 0x00 }, movb_ah[] = { 0x8a, 0x20 };
	u64 r;

	dec64(movl, sizeof(movl));
	r = 0x1234567890abcdefULL;
	kxen_mem_insn_load(&r, &in, 0xffffffff);
	ck_assert_uint_eq(r, 0xffffffffULL);		/* upper half cleared */
	dec64(movw, sizeof(movw));
	r = 0x1234567890abcdefULL;
	kxen_mem_insn_load(&r, &in, 0xffff);
	ck_assert_uint_eq(r, 0x1234567890abffffULL);
	dec64(movb, sizeof(movb));
	r = 0x1234567890abcdefULL;
	kxen_mem_insn_load(&r, &in, 0xff);
	ck_assert_uint_eq(r, 0x1234567890abcdffULL);
	dec64(movb_ah, sizeof(movb_ah));
	r = 0x1234567890abcdefULL;
	kxen_mem_insn_load(&r, &in, 0xff);
	ck_assert_uint_eq(r, 0x1234567890abffefULL);
}
END_TEST

START_TEST(refused)
{
	static const u8 prefixes[15] = { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
					 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66 };
	static const u8 regreg[] = { 0x8b, 0xc1 };		/* mov %ecx,%eax */
	static const u8 add[] = { 0x01, 0x00 };			/* add %eax,(%rax) */
	static const u8 c7_reg1[] = { 0xc7, 0x08, 0, 0, 0, 0 };	/* C7 /1: not MOV */
	static const u8 movsb[] = { 0xa4 };
	static const u8 cut[] = { 0x8b, 0x80, 0x00 };		/* disp32 cut short */
	static const u8 imm_cut[] = { 0xc7, 0x00, 0x78, 0x56 };	/* imm32 cut short */
	static const u8 sib_cut[] = { 0x8b, 0x04 };		/* SIB missing */
	static const u8 only_0f[] = { 0x0f };
	static const u8 other_0f[] = { 0x0f, 0xaf, 0x00 };	/* imul */
	static const u8 rep_mov[] = { 0xf3, 0x8b, 0x06 };	/* F3h: not a plain MOV */

	ck_assert_int_eq(dec64(prefixes, sizeof(prefixes)), -EINVAL);
	ck_assert_int_eq(dec64(regreg, sizeof(regreg)), -EINVAL);
	ck_assert_int_eq(dec64(rep_mov, sizeof(rep_mov)), -EINVAL);
	ck_assert_int_eq(dec64(add, sizeof(add)), -EINVAL);
	ck_assert_int_eq(dec64(c7_reg1, sizeof(c7_reg1)), -EINVAL);
	ck_assert_int_eq(dec64(movsb, sizeof(movsb)), -EINVAL);
	ck_assert_int_eq(dec64(cut, sizeof(cut)), -EINVAL);
	ck_assert_int_eq(dec64(imm_cut, sizeof(imm_cut)), -EINVAL);
	ck_assert_int_eq(dec64(sib_cut, sizeof(sib_cut)), -EINVAL);
	ck_assert_int_eq(dec64(only_0f, sizeof(only_0f)), -EINVAL);
	ck_assert_int_eq(dec64(other_0f, sizeof(other_0f)), -EINVAL);
	ck_assert_int_eq(dec64(NULL, 0), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, prefixes);
	tcase_add_test(tc, mov_loads);
	tcase_add_test(tc, addressing_forms);
	tcase_add_test(tc, stores);
	tcase_add_test(tc, moffs);
	tcase_add_test(tc, extending_loads);
	tcase_add_test(tc, register_writes);
	tcase_add_test(tc, refused);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
