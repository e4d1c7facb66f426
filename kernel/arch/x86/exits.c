// SPDX-License-Identifier: GPL-2.0
/*
 * Exits both backends finish the same way, once the backend has said what exited and
 * how long the instruction was: RDMSR/WRMSR, XSETBV, and #UD for the other vendor's
 * hypercall instruction. What differs between SVM and VMX (where EFER and PAT live,
 * how to step over an instruction or deliver an exception) goes through the backend's
 * ops; what a guest may read and write is msr.c's and cpuid.c's.
 */
#include <linux/string.h>
#include <asm/traps.h>

#include "../../core/domain.h"
#include "arch.h"
#include "x86.h"

static void gp(struct kxen_vcpu *v)
{
	kxen_backend->inject_exception(v, X86_TRAP_GP, 0, 0);
}

void kxen_x86_msr_exit(struct kxen_vcpu *v, bool write, unsigned int len)
{
	struct kxen_gprs *r = &v->arch.gprs;
	u32 index = r->rcx;
	u64 value;

	if (write) {
		if (kxen_backend->msr_write(v, index, (r->rdx << 32) | (u32)r->rax))
			return gp(v);
	} else {
		if (kxen_backend->msr_read(v, index, &value))
			return gp(v);
		r->rax = (u32)value;
		r->rdx = value >> 32;
	}
	kxen_backend->skip(v, len);
}

void kxen_x86_xsetbv_exit(struct kxen_vcpu *v, unsigned int len)
{
	struct kxen_gprs *r = &v->arch.gprs;

	if (kxen_x86_xsetbv(v, r->rcx, (r->rdx << 32) | (u32)r->rax))
		return gp(v);
	kxen_backend->skip(v, len);
}

/*
 * #UD: kxen takes either vendor's hypercall instruction (Xen does so for a guest whose
 * CPUID names the other vendor, as one migrated between vendors keeps the instruction
 * it patched in). The CPU's own one exits as a hypercall; the other faults, and is
 * taken here.
 */
void kxen_x86_ud(struct kxen_vcpu *v, const struct kxen_sregs *s)
{
	static const u8 vmcall[3] = { 0x0f, 0x01, 0xc1 }, vmmcall[3] = { 0x0f, 0x01, 0xd9 };
	struct kxen_seg cs;
	u8 insn[3];

	kxen_backend->get_seg(v, KXEN_SEG_CS, &cs);
	if (!kxen_copy_from_guest(v, insn, cs.base + s->rip, sizeof(insn)) &&
	    (!memcmp(insn, vmcall, sizeof(insn)) || !memcmp(insn, vmmcall, sizeof(insn)))) {
		kxen_x86_hypercall(v, s);
		kxen_backend->skip(v, sizeof(insn));
		return;
	}
	kxen_backend->inject_exception(v, X86_TRAP_UD, 0, 0);
}
