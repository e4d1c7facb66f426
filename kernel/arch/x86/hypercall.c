// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 hypercall convention, as Xen's hvm_hypercall reads it: the number in RAX and
 * arguments in RDI, RSI, RDX, R10, R8, R9 from 64-bit code; EAX and EBX, ECX, EDX,
 * ESI, EDI from 16- and 32-bit code. Only the guest kernel may call: from CPL > 0
 * (real mode aside) the answer is -EPERM.
 */
#include <linux/errno.h>
#include <asm/msr-index.h>

#include "../../core/domain.h"
#include "../../xen/hypercall.h"
#include "arch.h"
#include "x86.h"

void kxen_x86_hypercall(struct kxen_vcpu *v, const struct kxen_sregs *s)
{
	struct kxen_gprs *r = &v->arch.gprs;
	bool real = !(s->cr0 & X86_CR0_PE);
	unsigned long a[6];
	long ret;

	if (!real && s->cpl) {
		r->rax = -EPERM;
		return;
	}
	if ((s->efer & EFER_LMA) && s->cs_l) {
		a[0] = r->rdi;
		a[1] = r->rsi;
		a[2] = r->rdx;
		a[3] = r->r10;
		a[4] = r->r8;
		a[5] = r->r9;
		r->rax = kxen_hypercall(v, r->rax, a);
		return;
	}
	a[0] = (u32)r->rbx;
	a[1] = (u32)r->rcx;
	a[2] = (u32)r->rdx;
	a[3] = (u32)r->rsi;
	a[4] = (u32)r->rdi;
	a[5] = (u32)r->rbp;
	ret = kxen_hypercall(v, (u32)r->rax, a);
	r->rax = (u32)ret;
}
