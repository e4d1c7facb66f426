/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of Xen 4.17's public/sysctl.h (the toolstack's host-wide operations) that
 * kxen implements or is about to. Linux does not ship it, so kxen writes out the
 * layouts; every size and offset is pinned at the end to what Xen 4.17.7's own headers
 * give on x86-64 (with __XEN_TOOLS__). Handles are __u64, as in "domctl.h".
 */
#ifndef KXEN_PUBLIC_SYSCTL_H
#define KXEN_PUBLIC_SYSCTL_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

#include "domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION	0x00000015

/* xen_sysctl.cmd */
#define XEN_SYSCTL_readconsole		1
#define XEN_SYSCTL_physinfo		3
#define XEN_SYSCTL_sched_id		4
#define XEN_SYSCTL_getdomaininfolist	6
#define XEN_SYSCTL_getcpuinfo		8
#define XEN_SYSCTL_cputopoinfo		16
#define XEN_SYSCTL_numainfo		17
#define XEN_SYSCTL_cpupool_op		18
#define XEN_SYSCTL_get_cpu_featureset	26
#define XEN_SYSCTL_get_cpu_policy	29

#define XEN_SYSCTL_PHYSCAP_hvm		(1u << 0)
#define XEN_SYSCTL_PHYSCAP_hap		(1u << 3)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1	(1u << 8)

#define XEN_SYSCTL_CPUPOOL_OP_INFO	3
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO	7

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

/* XEN_SYSCTL_getcpuinfo: each physical CPU's idle time. */
struct xen_sysctl_cpuinfo {
	__u64 idletime;			/* ns */
};

struct xen_sysctl_getcpuinfo {
	__u32 max_cpus;			/* in: entries in info */
	__u64 info;			/* handle: struct xen_sysctl_cpuinfo[] */
	__u32 nr_cpus;			/* out: entries written */
};

/*
 * XEN_SYSCTL_cputopoinfo: where each CPU sits. A 0 handle asks for the number of CPUs;
 * otherwise num_cpus is the room in cputopo and comes back as the entries written, or
 * as the number wanted if there was not room for all.
 */
#define XEN_INVALID_CORE_ID		(~0u)
#define XEN_INVALID_SOCKET_ID		(~0u)
#define XEN_INVALID_NODE_ID		(~0u)

struct xen_sysctl_cputopo {
	__u32 core;
	__u32 socket;
	__u32 node;
};

struct xen_sysctl_cputopoinfo {
	__u32 num_cpus;
	__u64 cputopo;			/* handle: struct xen_sysctl_cputopo[] */
};

/*
 * XEN_SYSCTL_numainfo: memory per node and the node distance matrix (entry i * N + j,
 * N the num_nodes returned). Both handles 0 asks for the number of nodes. An offline
 * node reads XEN_INVALID_MEM_SZ in memsize and memfree, a missing distance
 * XEN_INVALID_NODE_DIST; both are a 32-bit ~0, also in the 64-bit fields.
 */
#define XEN_INVALID_MEM_SZ		(~0u)
#define XEN_INVALID_NODE_DIST		(~0u)

struct xen_sysctl_meminfo {
	__u64 memsize;			/* bytes */
	__u64 memfree;			/* bytes */
};

struct xen_sysctl_numainfo {
	__u32 num_nodes;
	__u64 meminfo;			/* handle: struct xen_sysctl_meminfo[] */
	__u64 distance;			/* handle: __u32[] */
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

/* XEN_SYSCTL_get_cpu_featureset: one of the host's x86 featuresets, as __u32 words. */
#define XEN_SYSCTL_cpu_featureset_raw		0
#define XEN_SYSCTL_cpu_featureset_host		1
#define XEN_SYSCTL_cpu_featureset_pv		2
#define XEN_SYSCTL_cpu_featureset_hvm		3
#define XEN_SYSCTL_cpu_featureset_pv_max	4
#define XEN_SYSCTL_cpu_featureset_hvm_max	5

struct xen_sysctl_cpu_featureset {
	__u32 index;			/* XEN_SYSCTL_cpu_featureset_* */
	__u32 nr_features;		/* in: room, or the maximum asked for with handle 0 */
	__u64 features;			/* handle: __u32[] */
};

/* XEN_SYSCTL_get_cpu_policy: one of the host's CPUID and MSR policies. */
#define XEN_SYSCTL_cpu_policy_raw		0
#define XEN_SYSCTL_cpu_policy_host		1
#define XEN_SYSCTL_cpu_policy_pv_max		2
#define XEN_SYSCTL_cpu_policy_hvm_max		3
#define XEN_SYSCTL_cpu_policy_pv_default	4
#define XEN_SYSCTL_cpu_policy_hvm_default	5

struct xen_sysctl_cpu_policy {
	__u32 index;			/* XEN_SYSCTL_cpu_policy_* */
	__u32 nr_leaves;		/* in: room, or the maximum asked for with handle 0 */
	__u32 nr_msrs;			/* likewise for msrs */
	__u32 _rsvd;			/* must be zero */
	__u64 leaves;			/* handle: struct xen_cpuid_leaf[] */
	__u64 msrs;			/* handle: struct xen_msr_entry[] */
};

struct xen_sysctl {
	__u32 cmd;
	__u32 interface_version;
	union {
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_physinfo physinfo;
		struct xen_sysctl_cputopoinfo cputopoinfo;
		struct xen_sysctl_numainfo numainfo;
		__u32 sched_id;			/* struct xen_sysctl_sched_id */
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		struct xen_sysctl_getcpuinfo getcpuinfo;
		struct xen_sysctl_cpupool_op cpupool_op;
		struct xen_sysctl_cpu_featureset cpu_featureset;
		struct xen_sysctl_cpu_policy cpu_policy;
		__u8 pad[128];
	} u;
};

static_assert(sizeof(struct xen_sysctl_readconsole) == 24);
static_assert(offsetof(struct xen_sysctl_readconsole, buffer) == 8);
static_assert(offsetof(struct xen_sysctl_readconsole, count) == 16);
static_assert(sizeof(struct xen_sysctl_physinfo) == 112);
static_assert(offsetof(struct xen_sysctl_physinfo, total_pages) == 40);
static_assert(offsetof(struct xen_sysctl_physinfo, hw_cap) == 80);
static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24);
static_assert(offsetof(struct xen_sysctl_getdomaininfolist, buffer) == 8);
static_assert(offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16);
static_assert(sizeof(struct xen_sysctl_cpuinfo) == 8);
static_assert(sizeof(struct xen_sysctl_getcpuinfo) == 24);
static_assert(offsetof(struct xen_sysctl_getcpuinfo, info) == 8);
static_assert(offsetof(struct xen_sysctl_getcpuinfo, nr_cpus) == 16);
static_assert(sizeof(struct xen_sysctl_cputopo) == 12);
static_assert(offsetof(struct xen_sysctl_cputopo, socket) == 4);
static_assert(offsetof(struct xen_sysctl_cputopo, node) == 8);
static_assert(sizeof(struct xen_sysctl_cputopoinfo) == 16);
static_assert(offsetof(struct xen_sysctl_cputopoinfo, cputopo) == 8);
static_assert(sizeof(struct xen_sysctl_meminfo) == 16);
static_assert(offsetof(struct xen_sysctl_meminfo, memfree) == 8);
static_assert(sizeof(struct xen_sysctl_numainfo) == 24);
static_assert(offsetof(struct xen_sysctl_numainfo, meminfo) == 8);
static_assert(offsetof(struct xen_sysctl_numainfo, distance) == 16);
static_assert(sizeof(struct xen_sysctl_cpupool_op) == 40);
static_assert(offsetof(struct xen_sysctl_cpupool_op, cpumap) == 24);
static_assert(sizeof(struct xen_sysctl_cpu_featureset) == 16);
static_assert(offsetof(struct xen_sysctl_cpu_featureset, nr_features) == 4);
static_assert(offsetof(struct xen_sysctl_cpu_featureset, features) == 8);
static_assert(sizeof(struct xen_sysctl_cpu_policy) == 32);
static_assert(offsetof(struct xen_sysctl_cpu_policy, nr_leaves) == 4);
static_assert(offsetof(struct xen_sysctl_cpu_policy, nr_msrs) == 8);
static_assert(offsetof(struct xen_sysctl_cpu_policy, leaves) == 16);
static_assert(offsetof(struct xen_sysctl_cpu_policy, msrs) == 24);
static_assert(sizeof(struct xen_sysctl) == 136);
static_assert(offsetof(struct xen_sysctl, u) == 8);

#endif
