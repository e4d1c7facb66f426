/* SPDX-License-Identifier: GPL-2.0 */
/* VMX instructions that can fault, in vmx_insn.S. */
#ifndef KXEN_ARCH_X86_VMX_INSN_H
#define KXEN_ARCH_X86_VMX_INSN_H

#include <linux/types.h>

int kxen_vmxon(u64 *pa);
int kxen_vmxoff(void);

#endif
