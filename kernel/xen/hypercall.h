/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercalls: one handler per entry of Xen's table (public/xen.h), each in the file
 * named for its public header. A handler gets the calling vcpu and the six argument
 * registers, already decoded from the guest's mode, and returns what goes in RAX: a
 * result, or a negative Xen errno (which, on x86, has Linux's values).
 *
 * Dom0's hypercalls come through /dev/xen/privcmd (dom0/privcmd.c) with a vcpu of
 * domain 0 that no thread runs: its handles are the calling process's user pointers,
 * and it has a table of its own, of the calls that make sense from outside a guest.
 */
#ifndef KXEN_XEN_HYPERCALL_H
#define KXEN_XEN_HYPERCALL_H

#include <linux/types.h>

struct kxen_vcpu;

typedef long kxen_hypercall_t(struct kxen_vcpu *v, const unsigned long *arg);

long kxen_hypercall(struct kxen_vcpu *v, unsigned long nr, const unsigned long *arg);
/*
 * Whether a long hypercall should stop where it is (Xen would make a continuation):
 * a dom0 caller killed, or a vcpu thread told to stop (its domain is being destroyed).
 */
bool kxen_hypercall_should_stop(struct kxen_vcpu *v);

kxen_hypercall_t kxen_do_memory_op;		/* memory.c */
kxen_hypercall_t kxen_do_multicall;		/* multicall.c */
kxen_hypercall_t kxen_do_set_timer_op;		/* xen.c */
kxen_hypercall_t kxen_do_xen_version;		/* version.c */
kxen_hypercall_t kxen_do_console_io;		/* console_io.c */
kxen_hypercall_t kxen_do_grant_table_op;	/* grant_table.c */
kxen_hypercall_t kxen_do_vm_assist;		/* xen.c */
kxen_hypercall_t kxen_do_vcpu_op;		/* vcpu_op.c */
kxen_hypercall_t kxen_do_sched_op;		/* sched_op.c */
kxen_hypercall_t kxen_do_event_channel_op;	/* event_channel.c */
kxen_hypercall_t kxen_do_hvm_op;		/* hvm_op.c */
kxen_hypercall_t kxen_do_sysctl;		/* sysctl.c */
kxen_hypercall_t kxen_do_domctl;		/* domctl.c */

struct kxen_domain;
struct xen_domctl_getdomaininfo;
/* What getdomaininfo says of a domain (domctl.c). */
void kxen_getdomaininfo(struct kxen_domain *d, struct xen_domctl_getdomaininfo *info);

struct cpumask;
struct xenctl_bitmap;
/*
 * Xen's xenctl_bitmap of CPUs, from or to dom0's process (domctl.c): in, the bits of
 * CPUs that can exist; out, those, and the rest of the caller's bits cleared.
 */
int kxen_xenctl_to_cpumask(const struct xenctl_bitmap *b, struct cpumask *mask);
int kxen_cpumask_to_xenctl(const struct xenctl_bitmap *b, const struct cpumask *mask);

#endif
