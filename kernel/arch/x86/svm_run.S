/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVM world switch. VMRUN itself saves and restores only part of the host: its
 * RSP, RIP, RAX, control and segment registers. The rest (FS, GS, TR and LDTR with
 * their hidden parts, KERNEL_GS_BASE, the SYSCALL and SYSENTER MSRs) goes through
 * VMSAVE/VMLOAD: the host's into a page of the vcpu's, the guest's from its VMCB. The
 * general-purpose registers other than RAX and RSP are ours to swap by hand.
 *
 * Called with GIF clear (CLGI) and interrupts off. STI just before VMRUN lets a
 * physical interrupt that arrives while the guest runs end the run (the INTR
 * intercept): GIF holds it until the caller sets GIF again, and then the host takes
 * it as usual.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include "guest_gprs.S"

.text

/* void kxen_svm_run(u64 vmcb_pa, u64 host_save_pa, struct kxen_gprs *gprs) */
SYM_FUNC_START(kxen_svm_run)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	push	%rdx		/* 16(%rsp): gprs */
	push	%rsi		/*  8(%rsp): host save area */
	push	%rdi		/*  0(%rsp): VMCB */

	mov	%rsi, %rax
	vmsave	%rax
	mov	%rdi, %rax
	vmload	%rax

	/*
	 * IF on, so that a host interrupt ends the guest's run (GIF, clear until VMRUN,
	 * holds it until then). Not just before VMRUN: QEMU 7.2's TCG carries the STI
	 * interrupt shadow into the guest, which then cannot take a virtual interrupt on
	 * its first instruction.
	 */
	sti
	mov	%rdx, %rax
	LOAD_GUEST_GPRS
	mov	(%rsp), %rax

	/* CPU buffers cleared where the kernel says VMs need it (TSA; spec.c). */
	VM_CLEAR_CPU_BUFFERS
	vmrun	%rax
	cli

	/* RSP is ours again, RAX holds the VMCB's address; the rest is the guest's. */
	mov	16(%rsp), %rax
	SAVE_GUEST_GPRS

	mov	(%rsp), %rax
	vmsave	%rax
	mov	8(%rsp), %rax
	vmload	%rax

	/* The guest may have trained the return predictor: overwrite it, as KVM does. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	/* Leave no guest value behind for speculation to find. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	add	$24, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(kxen_svm_run)
