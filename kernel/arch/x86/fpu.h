/* SPDX-License-Identifier: GPL-2.0 */
/* The guest's FPU state around each guest run (fpu.c). */
#ifndef KXEN_ARCH_X86_FPU_H
#define KXEN_ARCH_X86_FPU_H

#include <linux/types.h>

struct kxen_vcpu;

int kxen_fpu_init(void);
int kxen_fpu_vcpu_init(struct kxen_vcpu *v);
void kxen_fpu_vcpu_free(struct kxen_vcpu *v);
/* With interrupts off: just before VMRUN (guest_cr4: the CR4 it will run with), after. */
void kxen_fpu_load(struct kxen_vcpu *v, u64 guest_cr4);
void kxen_fpu_save(struct kxen_vcpu *v);
/*
 * The x87/SSE state as a 512-byte FXSAVE image (the HVM save format's): set it
 * (NULL: the reset state, everything else initial too), or read it.
 */
void kxen_fpu_set_fxsave(struct kxen_vcpu *v, const u8 *fx);
void kxen_fpu_get_fxsave(struct kxen_vcpu *v, u8 *fx);

#endif
