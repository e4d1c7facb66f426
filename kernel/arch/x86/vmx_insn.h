/* SPDX-License-Identifier: GPL-2.0 */
/* VMX instructions that can fault (vmx_insn.S), and the world switch (vmx_run.S). */
#ifndef KXEN_ARCH_X86_VMX_INSN_H
#define KXEN_ARCH_X86_VMX_INSN_H

#include <linux/types.h>

int kxen_vmxon(u64 *pa);
int kxen_vmxoff(void);

struct kxen_gprs;

/* The world switch (vmx_run.S): 0 after a VM exit, 1 when VMLAUNCH failed. */
int kxen_vmx_run(struct kxen_gprs *gprs);
/* Where a VM exit lands (HOST_RIP). */
extern char kxen_vmx_exit[];
/* Call an entry point that ends in IRET, on the frame the CPU would have built. */
void kxen_vmx_do_nmi(void (*handler)(void));

#endif
