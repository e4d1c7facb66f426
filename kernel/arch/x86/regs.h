/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest registers that neither the VMCB nor the VMCS holds: the world switch
 * (svm_run.S) saves and loads them here. RAX, RSP, RIP and RFLAGS live in the VMCB on
 * SVM; the backend copies RAX in and out so that code above sees all sixteen here.
 */
#ifndef KXEN_ARCH_X86_REGS_H
#define KXEN_ARCH_X86_REGS_H

#ifndef __ASSEMBLY__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct kxen_gprs {
	u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Register n as instructions number them (0 RAX ... 15 R15): the struct's order. */
static inline u64 *kxen_gpr(struct kxen_gprs *r, unsigned int n)
{
	return &((u64 *)r)[n & 15];
}
#endif

/* Byte offsets, for assembly; pinned to the struct below. */
#define GPR_RAX	0
#define GPR_RCX	8
#define GPR_RDX	16
#define GPR_RBX	24
#define GPR_RSP	32
#define GPR_RBP	40
#define GPR_RSI	48
#define GPR_RDI	56
#define GPR_R8	64
#define GPR_R9	72
#define GPR_R10	80
#define GPR_R11	88
#define GPR_R12	96
#define GPR_R13	104
#define GPR_R14	112
#define GPR_R15	120

#ifndef __ASSEMBLY__
static_assert(offsetof(struct kxen_gprs, rbx) == GPR_RBX);
static_assert(offsetof(struct kxen_gprs, rdi) == GPR_RDI);
static_assert(offsetof(struct kxen_gprs, r15) == GPR_R15);
#endif

#endif
