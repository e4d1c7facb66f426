/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain's CPU policy: what the toolstack said with XEN_DOMCTL_set_cpu_policy, kept
 * as the limits it puts on what kxen would offer (cpuid.c). The toolstack may lower
 * the maximum leaves and hide features; it cannot add what kxen does not offer.
 */
#ifndef KXEN_ARCH_X86_CPUID_H
#define KXEN_ARCH_X86_CPUID_H

#include <linux/types.h>

#define KXEN_CPUID_NR_WORDS	12

struct kxen_cpuid_policy {
	u32 basic_max;		/* highest basic leaf */
	u32 extd_max;		/* highest extended leaf */
	u32 mask[KXEN_CPUID_NR_WORDS];	/* feature words, as cpuid.c lists them */
	u64 cr4_valid;		/* the CR4 bits a guest may set, from the above */
};

struct xen_cpuid_leaf;
struct kxen_vcpu;

/* Whether the policy lets the guest see (and so enter) x2APIC mode. */
bool kxen_cpuid_x2apic(const struct kxen_cpuid_policy *p);
/* Everything kxen offers: the policy of a domain nobody restricted. */
void kxen_cpuid_policy_init(struct kxen_cpuid_policy *p);
/*
 * Serialise a policy as Xen's toolstack reads it: kxen's own (p NULL, for
 * XEN_SYSCTL_get_cpu_policy) or a domain's (XEN_DOMCTL_get_cpu_policy). The number
 * of leaves written, or -ENOBUFS when more than max.
 */
int kxen_cpuid_policy_get(const struct kxen_cpuid_policy *p, struct xen_cpuid_leaf *leaves,
			  unsigned int max);
/* Xen's limit on a serialised policy (CPUID_MAX_SERIALISED_LEAVES in 4.17). */
#define KXEN_CPUID_MAX_LEAVES	120
/*
 * What XEN_SYSCTL_get_cpu_policy and XEN_DOMCTL_get_cpu_policy answer: with no
 * leaves (msrs) handle, the most there can be in *nr_leaves (*nr_msrs); else p (NULL:
 * kxen's own) serialised into the caller's handle, with how many. kxen keeps no
 * MSRs. 0, -ENOBUFS (*nr_leaves too few), -EFAULT or -ENOMEM.
 */
int kxen_cpuid_policy_to_guest(struct kxen_vcpu *caller, const struct kxen_cpuid_policy *p,
			       u64 leaves, u32 *nr_leaves, u64 msrs, u32 *nr_msrs);
/*
 * Read a serialised policy into p: 0, -E2BIG (too many leaves) or -ERANGE (a leaf
 * Xen's policy has no room for; *err_leaf and *err_subleaf name it).
 */
int kxen_cpuid_policy_set(struct kxen_cpuid_policy *p, const struct xen_cpuid_leaf *leaves,
			  unsigned int nr, u32 *err_leaf, u32 *err_subleaf);

/* Xen's featureset: the feature words of kxen's policy, in Xen's order, as many. */
#define KXEN_CPUID_FEATURESET_WORDS	19
int kxen_cpuid_featureset(u32 *fs);

#endif
