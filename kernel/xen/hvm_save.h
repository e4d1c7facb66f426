/* SPDX-License-Identifier: GPL-2.0 */
/* A domain's vcpus as Xen's HVM context records (hvm_save.c). */
#ifndef KXEN_XEN_HVM_SAVE_H
#define KXEN_XEN_HVM_SAVE_H

struct kxen_vcpu;
struct kxen_domain;
struct hvm_hw_cpu;
struct hvm_hw_cpu_xsave;
struct hvm_hw_mtrr;
struct xen_domctl_hvmcontext;

/* XEN_DOMCTL_gethvmcontext, sethvmcontext (the caller checked d is another domU). */
long kxen_hvm_getcontext(struct kxen_vcpu *caller, struct kxen_domain *d,
			 struct xen_domctl_hvmcontext *hc);
long kxen_hvm_setcontext(struct kxen_vcpu *caller, struct kxen_domain *d,
			 const struct xen_domctl_hvmcontext *hc);
/*
 * On the vcpu's thread: a CPU record that sethvmcontext checked becomes its state,
 * with the vcpu's CPU_XSAVE record if the context had one (else NULL).
 */
void kxen_hvm_load_cpu(struct kxen_vcpu *v, const struct hvm_hw_cpu *c,
		       const struct hvm_hw_cpu_xsave *xs);
/* VCPUOP_initialise: c (kmalloc'd) becomes v's state, v staying down; under d->lock. */
int kxen_hvm_initialise_vcpu(struct kxen_vcpu *v, struct hvm_hw_cpu *c);
void kxen_hvm_mtrr_init(struct hvm_hw_mtrr *m);

#endif
