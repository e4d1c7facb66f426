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
/*
 * The whole state as the HVM save format's CPU_XSAVE record (struct hvm_hw_cpu_xsave):
 * its length for v (0 on a host without XSAVE: the FXSAVE image is all there is) and
 * the most any vcpu's can take; v's record; Xen's checks of one (0 or Xen's error);
 * and a checked one, after its CPU record, as v's state.
 */
struct hvm_hw_cpu_xsave;
u32 kxen_fpu_xsave_len(struct kxen_vcpu *v);
u32 kxen_fpu_xsave_max_len(void);
void kxen_fpu_get_xsave(struct kxen_vcpu *v, struct hvm_hw_cpu_xsave *x, u32 len);
int kxen_fpu_check_xsave(const struct hvm_hw_cpu_xsave *x, u32 len);
void kxen_fpu_set_xsave(struct kxen_vcpu *v, const struct hvm_hw_cpu_xsave *x);

#endif
