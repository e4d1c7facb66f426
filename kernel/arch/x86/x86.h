/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a guest sees of the x86 machine, the same on both backends: CPUID, MSRs, I/O
 * ports, XCR0, and the hypercall register convention. A backend decodes its exit and
 * calls one of these; they work on the vcpu's registers (kxen_gprs).
 */
#ifndef KXEN_ARCH_X86_X86_H
#define KXEN_ARCH_X86_X86_H

#include <linux/types.h>

struct kxen_vcpu;
struct kxen_sregs;

/* Machine facts the guest policy is built from, read once at load (cpuid.c). */
int kxen_x86_init(void);

/* CPUID with leaf in RAX, subleaf in RCX; the result into RAX..RDX (cpuid.c). */
void kxen_x86_cpuid(struct kxen_vcpu *v, const struct kxen_sregs *s);

/* MSRs the backend does not keep itself: 0, or -EINVAL for #GP (msr.c). */
int kxen_x86_rdmsr(struct kxen_vcpu *v, u32 index, u64 *value);
int kxen_x86_wrmsr(struct kxen_vcpu *v, u32 index, u64 value);

/* XSETBV: 0, or -EINVAL for #GP. The value is loaded around each guest run. */
int kxen_x86_xsetbv(struct kxen_vcpu *v, u32 index, u64 value);
/* The host's XCR0, to put back after a guest run. */
extern u64 kxen_host_xcr0;

/* Port I/O of size 1, 2 or 4 bytes (io.c). */
void kxen_x86_out(struct kxen_vcpu *v, u16 port, unsigned int size, u32 value);
u32 kxen_x86_in(struct kxen_vcpu *v, u16 port, unsigned int size);

/* A hypercall: number and arguments from the registers as the guest's mode has them. */
void kxen_x86_hypercall(struct kxen_vcpu *v, const struct kxen_sregs *s);

#endif
