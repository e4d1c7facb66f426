/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of Xen 4.17's public/sysctl.h and public/domctl.h that kxen implements.
 * Linux ships neither (they are the toolstack's interface, not a guest's), so kxen
 * spells out the structures it uses; every size and offset is pinned below to what
 * Xen 4.17.7's own headers give on x86-64 (with __XEN_TOOLS__).
 */
#ifndef KXEN_PUBLIC_SYSCTL_H
#define KXEN_PUBLIC_SYSCTL_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

#define XEN_SYSCTL_INTERFACE_VERSION	0x00000015
#define XEN_DOMCTL_INTERFACE_VERSION	0x00000015

/* sysctl commands kxen knows. */
#define XEN_SYSCTL_readconsole		1
#define XEN_SYSCTL_physinfo		3
#define XEN_SYSCTL_sched_id		4
#define XEN_SYSCTL_getdomaininfolist	6
#define XEN_SYSCTL_cpupool_op		18

#define XEN_SYSCTL_PHYSCAP_hvm		(1u << 0)
#define XEN_SYSCTL_PHYSCAP_hap		(1u << 3)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1	(1u << 8)

#define XEN_SYSCTL_CPUPOOL_OP_INFO	3
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO	7

/* public/sched.h */
#define XEN_SCHEDULER_CREDIT2		6

/* domctl commands kxen knows. */
#define XEN_DOMCTL_destroydomain	2
#define XEN_DOMCTL_pausedomain		3
#define XEN_DOMCTL_unpausedomain	4
#define XEN_DOMCTL_getdomaininfo	5

#define XEN_DOMINF_dying		(1u << 0)
#define XEN_DOMINF_hvm_guest		(1u << 1)
#define XEN_DOMINF_shutdown		(1u << 2)
#define XEN_DOMINF_paused		(1u << 3)
#define XEN_DOMINF_blocked		(1u << 4)
#define XEN_DOMINF_running		(1u << 5)
#define XEN_DOMINF_hap			(1u << 8)
#define XEN_DOMINF_shutdownshift	16
#define XEN_INVALID_MAX_VCPU_ID		(~0u)

struct xenctl_bitmap {
	__u64 bitmap;			/* handle */
	__u32 nr_bits;
};

struct xen_sysctl_readconsole {
	__u8 clear;
	__u8 incremental;
	__u8 pad0, pad1;
	__u32 index;
	__u64 buffer;			/* handle: char[] */
	__u32 count;
};

struct xen_sysctl_physinfo {
	__u32 threads_per_core;
	__u32 cores_per_socket;
	__u32 nr_cpus;
	__u32 max_cpu_id;
	__u32 nr_nodes;
	__u32 max_node_id;
	__u32 cpu_khz;
	__u32 capabilities;
	__u32 arch_capabilities;
	__u32 pad;
	__u64 total_pages;
	__u64 free_pages;
	__u64 scrub_pages;
	__u64 outstanding_pages;
	__u64 max_mfn;
	__u32 hw_cap[8];
};

struct xen_sysctl_getdomaininfolist {
	__u16 first_domain;
	__u32 max_domains;
	__u64 buffer;			/* handle: xen_domctl_getdomaininfo[] */
	__u32 num_domains;
};

struct xen_sysctl_cpupool_op {
	__u32 op;
	__u32 cpupool_id;
	__u32 sched_id;
	__u32 domid;
	__u32 cpu;
	__u32 n_dom;
	struct xenctl_bitmap cpumap;
};

struct xen_sysctl {
	__u32 cmd;
	__u32 interface_version;
	union {
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_physinfo physinfo;
		__u32 sched_id;
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		struct xen_sysctl_cpupool_op cpupool_op;
		__u8 pad[128];
	} u;
};

struct xen_domctl_getdomaininfo {
	__u16 domain;
	__u16 pad1;
	__u32 flags;
	__u64 tot_pages;
	__u64 max_pages;
	__u64 outstanding_pages;
	__u64 shr_pages;
	__u64 paged_pages;
	__u64 shared_info_frame;
	__u64 cpu_time;
	__u32 nr_online_vcpus;
	__u32 max_vcpu_id;
	__u32 ssidref;
	__u8 handle[16];
	__u32 cpupool;
	__u8 gpaddr_bits;
	__u8 pad2[7];
	__u32 emulation_flags;		/* struct xen_arch_domainconfig */
	__u32 misc_flags;
};

struct xen_domctl {
	__u32 cmd;
	__u32 interface_version;
	__u16 domain;
	__u16 pad[3];
	union {
		struct xen_domctl_getdomaininfo getdomaininfo;
		__u8 pad[128];
	} u;
};

static_assert(sizeof(struct xenctl_bitmap) == 16);
static_assert(sizeof(struct xen_sysctl_readconsole) == 24);
static_assert(offsetof(struct xen_sysctl_readconsole, buffer) == 8);
static_assert(offsetof(struct xen_sysctl_readconsole, count) == 16);
static_assert(sizeof(struct xen_sysctl_physinfo) == 112);
static_assert(offsetof(struct xen_sysctl_physinfo, total_pages) == 40);
static_assert(offsetof(struct xen_sysctl_physinfo, hw_cap) == 80);
static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24);
static_assert(offsetof(struct xen_sysctl_getdomaininfolist, buffer) == 8);
static_assert(offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16);
static_assert(sizeof(struct xen_sysctl_cpupool_op) == 40);
static_assert(offsetof(struct xen_sysctl_cpupool_op, cpumap) == 24);
static_assert(sizeof(struct xen_sysctl) == 136);
static_assert(offsetof(struct xen_sysctl, u) == 8);
static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112);
static_assert(offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8);
static_assert(offsetof(struct xen_domctl_getdomaininfo, cpu_time) == 56);
static_assert(offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64);
static_assert(offsetof(struct xen_domctl_getdomaininfo, handle) == 76);
static_assert(offsetof(struct xen_domctl_getdomaininfo, cpupool) == 92);
static_assert(offsetof(struct xen_domctl_getdomaininfo, emulation_flags) == 104);
static_assert(sizeof(struct xen_domctl) == 144);
static_assert(offsetof(struct xen_domctl, u) == 16);

#endif
