/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX world switch. VM entry loads the guest's RSP, RIP, RFLAGS and its control
 * and segment registers from the VMCS; VM exit loads the host's from there and
 * continues at kxen_vmx_exit with RSP as HOST_RSP says (written here, just before the
 * entry, so that it is this very frame). The other general-purpose registers are ours
 * to swap by hand.
 *
 * Called with interrupts off and the vcpu's VMCS current, fully set up.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>
#include "guest_gprs.S"

#define HOST_RSP_FIELD	0x00006c14

.text

/*
 * int kxen_vmx_run(struct kxen_gprs *gprs): 0 after a VM exit, 1 when VMLAUNCH
 * itself failed (the VMCS's VM_INSTRUCTION_ERROR says why).
 */
SYM_FUNC_START(kxen_vmx_run)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	push	%rdi		/* (%rsp) at the exit: gprs */

	mov	$HOST_RSP_FIELD, %eax
	vmwrite	%rsp, %rax

	mov	%rdi, %rax
	LOAD_GUEST_GPRS
	mov	GPR_RAX(%rax), %rax

	/*
	 * CPU buffers cleared where the kernel clears them (MDS, TAA, MMIO stale data,
	 * RFDS): X86_FEATURE_CLEAR_CPU_BUF, as KVM's VMX entry in this kernel (spec.c).
	 */
	CLEAR_CPU_BUFFERS
	UNWIND_HINT_SAVE
	vmlaunch
	/* Still here: the entry failed, before any guest state was loaded. */
	pop	%rdi
	mov	$1, %eax
	jmp	.Lout

SYM_INNER_LABEL(kxen_vmx_exit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ANNOTATE_NOENDBR
	/* RSP is the frame above; everything else is the guest's. */
	push	%rax
	mov	8(%rsp), %rax
	SAVE_GUEST_GPRS
	pop	GPR_RAX(%rax)
	pop	%rdi

	/* The guest may have trained the return predictor: overwrite it, as KVM does. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, X86_FEATURE_RSB_VMEXIT_LITE
	/* And the branch history, where the kernel asks it for VM exits (BHI). */
	CLEAR_BRANCH_HISTORY_VMEXIT

	/* Leave no guest value behind for speculation to find. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%eax, %eax
.Lout:
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(kxen_vmx_run)

/*
 * void kxen_vmx_do_nmi(void (*handler)(void)): a host NMI that ended a run, into the
 * kernel's NMI entry with the frame the CPU would have pushed (SS, RSP, RFLAGS, CS,
 * RIP; RSP aligned to 16 first), from which its IRET returns here. As KVM does.
 */
SYM_FUNC_START(kxen_vmx_do_nmi)
	push	%rbp
	mov	%rsp, %rbp
	and	$-16, %rsp
	push	$__KERNEL_DS
	push	%rbp
	pushf
	push	$__KERNEL_CS
	CALL_NOSPEC rdi
	/* IRET has put RSP back already; objtool wants to see it done. */
	mov	%rbp, %rsp
	pop	%rbp
	RET
SYM_FUNC_END(kxen_vmx_do_nmi)
