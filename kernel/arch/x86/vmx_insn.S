/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX instructions that can fault. VMXON and VMXOFF raise #UD or #GP when the CPU is
 * not in the state they need; the exception table turns that into an error return
 * instead of an oops.
 */
#include <linux/linkage.h>
#include <linux/errno.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

.text

/* int kxen_vmxon(u64 *pa): 0, -EIO when VMXON fails (CF or ZF), -EFAULT when it faults. */
SYM_FUNC_START(kxen_vmxon)
1:	vmxon	(%rdi)
	jna	2f
	xorl	%eax, %eax
	RET
2:	movl	$-EIO, %eax
	RET
3:	movl	$-EFAULT, %eax
	RET
	_ASM_EXTABLE(1b, 3b)
SYM_FUNC_END(kxen_vmxon)

/* int kxen_vmxoff(void): 0, or -EFAULT when VMXOFF faults (not in VMX operation). */
SYM_FUNC_START(kxen_vmxoff)
1:	vmxoff
	xorl	%eax, %eax
	RET
2:	movl	$-EFAULT, %eax
	RET
	_ASM_EXTABLE(1b, 2b)
SYM_FUNC_END(kxen_vmxoff)
