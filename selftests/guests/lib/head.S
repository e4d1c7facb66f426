/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of a kxen test guest, booted the PVH way: the hypervisor (or libxenguest)
 * enters at XEN_ELFNOTE_PHYS32_ENTRY in 32-bit protected mode, paging off, with
 * %ebx = the physical address of struct hvm_start_info. We map the first GiB 1:1 with
 * 2 MiB pages, enter long mode, and call guest_main().
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MSR_EFER 0xc0000080

	.section .note.Xen, "a", @note
	.align 4
	.long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.align 4
	.long _start32
	.align 4

	.section .text.head, "ax"
	.code32
	.global _start32
_start32:
	movl	%ebx, start_info_pa

	/* PD: 512 x 2 MiB pages, present + writable + large. */
	movl	$pd, %edi
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax
	movl	%eax, (%edi,%ecx,8)
	movl	$0, 4(%edi,%ecx,8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	1b
	movl	$pd, %eax
	orl	$3, %eax
	movl	%eax, pdpt
	movl	$pdpt, %eax
	orl	$3, %eax
	movl	%eax, pml4

	movl	%cr4, %eax
	orl	$0x20, %eax		/* PAE */
	movl	%eax, %cr4
	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$0x100, %eax		/* LME */
	wrmsr
	movl	%cr0, %eax
	orl	$0x80000001, %eax	/* PG | PE */
	movl	%eax, %cr0

	lgdt	gdt_ptr
	ljmp	$0x08, $start64

	.code64
start64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	stack_top(%rip), %rsp
	call	guest_main
2:	hlt
	jmp	2b

/*
 * Another vcpu, started in 64-bit mode by VCPUOP_initialise (lib.c: start_vcpu()):
 * %rsp its stack, %rbx the function, %rdi its argument, %rsi where to store the
 * registers as they came (struct ap_regs), before anything changes them. Xen gives
 * it flat segments but no GDT of its own: it loads ours, then calls the function.
 */
	.global ap_entry64
ap_entry64:
	movq	%rax, 0(%rsi)
	movq	%rcx, 8(%rsi)
	movq	%rdx, 16(%rsi)
	movq	%rbx, 24(%rsi)
	movq	%rsp, 32(%rsi)
	movq	%rbp, 40(%rsi)
	movq	%rsi, 48(%rsi)
	movq	%rdi, 56(%rsi)
	pushfq
	popq	64(%rsi)
	movq	%cr0, %rax
	movq	%rax, 72(%rsi)
	movq	%cr3, %rax
	movq	%rax, 80(%rsi)
	movq	%cr4, %rax
	movq	%rax, 88(%rsi)
	movl	$MSR_EFER, %ecx
	rdmsr
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, 96(%rsi)
	xorl	%eax, %eax
	movw	%cs, %ax
	movq	%rax, 104(%rsi)
	movw	%ss, %ax
	movq	%rax, 112(%rsi)
	movw	%ds, %ax
	movq	%rax, 120(%rsi)
	lgdt	gdt_ptr64(%rip)
	lidt	idt_ptr(%rip)
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	pushq	$0x08
	leaq	3f(%rip), %rax
	pushq	%rax
	lretq
3:	call	*%rbx
4:	cli
	hlt
	jmp	4b

/*
 * Exceptions 0-31: each stub makes the frame alike (an error code or a 0 in its
 * place, then the vector), exc_common saves the registers and calls do_exception()
 * (lib.c) with them, which may change any of them before the IRET.
 */
	.macro	exc_stub vec
	.align	16
	.if	(\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
	.endm

	.align	16
	.global	exc_stubs
exc_stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exc_stub \v
	.endr

exc_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	cld
	call	do_exception
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* the vector and the error code */
	iretq

	.section .data
	.align 8
gdt_ptr64:
	.word gdt_end - gdt - 1
	.quad gdt
	.align 8
gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: data */
gdt_end:
gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt
	.global start_info_pa
start_info_pa:
	.long 0

	.section .bss
	.align 4096
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4096
	.skip 16384
stack_top:
