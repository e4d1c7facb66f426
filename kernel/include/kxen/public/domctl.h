/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of Xen 4.17's public/domctl.h (the toolstack's operations on one domain)
 * that kxen implements or is about to, with the few x86 pieces of public/arch-x86/xen.h
 * they carry. Linux does not ship these, so kxen writes out the layouts; every size and
 * offset is pinned at the end to what Xen 4.17.7's own headers give on x86-64 (with
 * __XEN_TOOLS__).
 *
 * A guest handle (XEN_GUEST_HANDLE_64) is a __u64 here: on x86-64 it is one pointer,
 * 8-byte aligned, into the caller's address space.
 */
#ifndef KXEN_PUBLIC_DOMCTL_H
#define KXEN_PUBLIC_DOMCTL_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

#define XEN_DOMCTL_INTERFACE_VERSION	0x00000015

/* xen_domctl.cmd. Numbers Xen retired are never reused, hence the gaps. */
#define XEN_DOMCTL_createdomain			1
#define XEN_DOMCTL_destroydomain		2
#define XEN_DOMCTL_pausedomain			3
#define XEN_DOMCTL_unpausedomain		4
#define XEN_DOMCTL_getdomaininfo		5
#define XEN_DOMCTL_setvcpuaffinity		9
#define XEN_DOMCTL_max_mem			11
#define XEN_DOMCTL_setvcpucontext		12
#define XEN_DOMCTL_getvcpucontext		13
#define XEN_DOMCTL_getvcpuinfo			14
#define XEN_DOMCTL_max_vcpus			15
#define XEN_DOMCTL_scheduler_op			16
#define XEN_DOMCTL_setdomainhandle		17
#define XEN_DOMCTL_settimeoffset		24
#define XEN_DOMCTL_getvcpuaffinity		25
#define XEN_DOMCTL_resumedomain			27
#define XEN_DOMCTL_subscribe			29
#define XEN_DOMCTL_gethvmcontext		33
#define XEN_DOMCTL_sethvmcontext		34
#define XEN_DOMCTL_set_target			46
#define XEN_DOMCTL_gethvmcontext_partial	55
#define XEN_DOMCTL_gettscinfo			59
#define XEN_DOMCTL_settscinfo			60
#define XEN_DOMCTL_getpageframeinfo3		61
#define XEN_DOMCTL_setnodeaffinity		68
#define XEN_DOMCTL_getnodeaffinity		69
#define XEN_DOMCTL_soft_reset			79
#define XEN_DOMCTL_get_cpu_policy		82
#define XEN_DOMCTL_set_cpu_policy		83
#define XEN_DOMCTL_get_paging_mempool_size	85
#define XEN_DOMCTL_set_paging_mempool_size	86

/* A bitmap of CPUs or NUMA nodes in the caller's memory (public/xen.h). */
struct xenctl_bitmap {
	__u64 bitmap;			/* handle: __u8[(nr_bits + 7) / 8] */
	__u32 nr_bits;
};

/* public/arch-x86/xen.h: which devices Xen emulates for an x86 domain. */
#define XEN_X86_EMU_LAPIC		(1u << 0)
#define XEN_X86_EMU_HPET		(1u << 1)
#define XEN_X86_EMU_PM			(1u << 2)
#define XEN_X86_EMU_RTC			(1u << 3)
#define XEN_X86_EMU_IOAPIC		(1u << 4)
#define XEN_X86_EMU_PIC			(1u << 5)
#define XEN_X86_EMU_VGA			(1u << 6)
#define XEN_X86_EMU_IOMMU		(1u << 7)
#define XEN_X86_EMU_PIT			(1u << 8)
#define XEN_X86_EMU_USE_PIRQ		(1u << 9)
#define XEN_X86_EMU_VPCI		(1u << 10)
#define XEN_X86_EMU_ALL			0x7ffu	/* bits 0-10, all of the above */

/* misc_flags: unknown MSRs read 0 and ignore writes instead of raising #GP. */
#define XEN_X86_MSR_RELAXED		(1u << 0)
#define XEN_X86_MISC_FLAGS_MAX		XEN_X86_MSR_RELAXED

struct xen_arch_domainconfig {
	__u32 emulation_flags;		/* XEN_X86_EMU_* */
	__u32 misc_flags;		/* XEN_X86_MSR_RELAXED */
};

/* public/arch-x86/xen.h: one CPUID leaf and one MSR of a serialised CPU policy. */
#define XEN_CPUID_NO_SUBLEAF		0xffffffffu	/* leaf has no subleaves */

struct xen_cpuid_leaf {
	__u32 leaf, subleaf;
	__u32 a, b, c, d;
};

struct xen_msr_entry {
	__u32 idx;
	__u32 flags;			/* must be zero */
	__u64 val;
};

/*
 * XEN_DOMCTL_createdomain. xen_domctl.domain is in and out: 0 or an id at or above
 * DOMID_FIRST_RESERVED asks Xen to pick one, and the id chosen comes back there.
 */
#define XEN_DOMCTL_CDF_hvm		(1u << 0)
#define XEN_DOMCTL_CDF_hap		(1u << 1)
#define XEN_DOMCTL_CDF_s3_integrity	(1u << 2)
#define XEN_DOMCTL_CDF_oos_off		(1u << 3)
#define XEN_DOMCTL_CDF_xs_domain	(1u << 4)
#define XEN_DOMCTL_CDF_iommu		(1u << 5)
#define XEN_DOMCTL_CDF_nested_virt	(1u << 6)
#define XEN_DOMCTL_CDF_vpmu		(1u << 7)
#define XEN_DOMCTL_CDF_MAX		XEN_DOMCTL_CDF_vpmu	/* highest flag defined */

#define XEN_DOMCTL_IOMMU_no_sharept	(1u << 0)
#define XEN_DOMCTL_IOMMU_MAX		XEN_DOMCTL_IOMMU_no_sharept

/* grant_opts: the grant table version the guest may use, in the low 4 bits. */
#define XEN_DOMCTL_GRANT_version_mask	0xf
#define XEN_DOMCTL_GRANT_version(v)	((v) & XEN_DOMCTL_GRANT_version_mask)

struct xen_domctl_createdomain {
	__u32 ssidref;
	__u8 handle[16];		/* xen_domain_handle_t: the toolstack's UUID */
	__u32 flags;			/* XEN_DOMCTL_CDF_* */
	__u32 iommu_opts;		/* XEN_DOMCTL_IOMMU_* */
	__u32 max_vcpus;
	__u32 max_evtchn_port;
	__s32 max_grant_frames;		/* below 0: Xen's default */
	__s32 max_maptrack_frames;	/* below 0: Xen's default */
	__u32 grant_opts;		/* XEN_DOMCTL_GRANT_version() */
	__u32 vmtrace_size;		/* bytes of trace buffer per vcpu, 0 for none */
	__u32 cpupool_id;
	struct xen_arch_domainconfig arch;
};

/* XEN_DOMCTL_getdomaininfo (and each entry of XEN_SYSCTL_getdomaininfolist). */
#define XEN_DOMINF_dying		(1u << 0)
#define XEN_DOMINF_hvm_guest		(1u << 1)
#define XEN_DOMINF_shutdown		(1u << 2)
#define XEN_DOMINF_paused		(1u << 3)
#define XEN_DOMINF_blocked		(1u << 4)
#define XEN_DOMINF_running		(1u << 5)
#define XEN_DOMINF_debugged		(1u << 6)
#define XEN_DOMINF_xs_domain		(1u << 7)
#define XEN_DOMINF_hap			(1u << 8)
/* With XEN_DOMINF_shutdown: the guest's SHUTDOWN_* reason sits in bits 16-23. */
#define XEN_DOMINF_shutdownmask		255
#define XEN_DOMINF_shutdownshift	16
#define XEN_INVALID_MAX_VCPU_ID		(~0u)	/* max_vcpu_id of a domain without vcpus */

struct xen_domctl_getdomaininfo {
	__u16 domain;
	__u16 pad1;
	__u32 flags;			/* XEN_DOMINF_* */
	__u64 tot_pages;
	__u64 max_pages;
	__u64 outstanding_pages;
	__u64 shr_pages;
	__u64 paged_pages;
	__u64 shared_info_frame;	/* gfn */
	__u64 cpu_time;			/* ns, all vcpus */
	__u32 nr_online_vcpus;
	__u32 max_vcpu_id;
	__u32 ssidref;
	__u8 handle[16];
	__u32 cpupool;
	__u8 gpaddr_bits;		/* guest physical address width */
	__u8 pad2[7];
	struct xen_arch_domainconfig arch_config;
};

/* XEN_DOMCTL_max_mem */
struct xen_domctl_max_mem {
	__u64 max_memkb;
};

/* XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpucontext */
struct xen_domctl_vcpucontext {
	__u32 vcpu;
	__u64 ctxt;			/* handle: struct vcpu_guest_context */
};

/* XEN_DOMCTL_getvcpuinfo: what xl vcpu-list shows of one vcpu. */
struct xen_domctl_getvcpuinfo {
	__u32 vcpu;			/* in */
	__u8 online;
	__u8 blocked;
	__u8 running;
	__u64 cpu_time;			/* ns */
	__u32 cpu;			/* the physical CPU it last ran on */
};

/* XEN_DOMCTL_setnodeaffinity, XEN_DOMCTL_getnodeaffinity */
struct xen_domctl_nodeaffinity {
	struct xenctl_bitmap nodemap;
};

/* XEN_DOMCTL_setvcpuaffinity, XEN_DOMCTL_getvcpuaffinity */
#define XEN_VCPUAFFINITY_HARD		(1u << 0)
#define XEN_VCPUAFFINITY_SOFT		(1u << 1)
#define XEN_VCPUAFFINITY_FORCE		(1u << 2)	/* drop a SCHEDOP_pin_override */

struct xen_domctl_vcpuaffinity {
	__u32 vcpu;
	__u32 flags;			/* XEN_VCPUAFFINITY_* */
	/* Set returns the effective masks in these, get the ones last set. */
	struct xenctl_bitmap cpumap_hard;
	struct xenctl_bitmap cpumap_soft;
};

/* XEN_DOMCTL_max_vcpus: 4.17 still wants it after createdomain, same number. */
struct xen_domctl_max_vcpus {
	__u32 max;
};

/* XEN_DOMCTL_scheduler_op (and public/sysctl.h's cpupool and sched_id answers). */
#define XEN_SCHEDULER_CREDIT		5
#define XEN_SCHEDULER_CREDIT2		6
#define XEN_SCHEDULER_ARINC653		7
#define XEN_SCHEDULER_RTDS		8
#define XEN_SCHEDULER_NULL		9

#define XEN_DOMCTL_SCHEDOP_putinfo	0
#define XEN_DOMCTL_SCHEDOP_getinfo	1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo	2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo	3

#define XEN_DOMCTL_SCHEDRT_extra	(1u << 0)

struct xen_domctl_sched_credit {
	__u16 weight;
	__u16 cap;
};

struct xen_domctl_sched_credit2 {
	__u16 weight;
	__u16 cap;			/* percent of one CPU, 0 for no cap */
};

struct xen_domctl_sched_rtds {
	__u32 period;			/* us */
	__u32 budget;			/* us */
	__u32 flags;			/* XEN_DOMCTL_SCHEDRT_* */
};

/* One element of scheduler_op.u.v.vcpus. */
struct xen_domctl_schedparam_vcpu {
	union {
		struct xen_domctl_sched_credit credit;
		struct xen_domctl_sched_credit2 credit2;
		struct xen_domctl_sched_rtds rtds;
	} u;
	__u32 vcpuid;
};

struct xen_domctl_scheduler_op {
	__u32 sched_id;			/* XEN_SCHEDULER_* */
	__u32 cmd;			/* XEN_DOMCTL_SCHEDOP_* */
	union {
		struct xen_domctl_sched_credit credit;
		struct xen_domctl_sched_credit2 credit2;
		struct xen_domctl_sched_rtds rtds;
		struct {		/* put/getvcpuinfo */
			__u64 vcpus;	/* handle: struct xen_domctl_schedparam_vcpu[] */
			__u32 nr_vcpus;	/* in: elements, out: elements done */
			__u32 padding;
		} v;
	} u;
};

/* XEN_DOMCTL_setdomainhandle */
struct xen_domctl_setdomainhandle {
	__u8 handle[16];
};

/* XEN_DOMCTL_settimeoffset: the guest's wallclock offset, in seconds. */
struct xen_domctl_settimeoffset {
	__s64 time_offset_seconds;
};

/* XEN_DOMCTL_gethvmcontext, XEN_DOMCTL_sethvmcontext: records of <kxen/public/hvm_save.h>. */
struct xen_domctl_hvmcontext {
	__u32 size;			/* bytes in buffer; get fills in the bytes used */
	__u64 buffer;			/* handle: __u8[]; get with 0 asks for the size */
};

/*
 * XEN_DOMCTL_getpageframeinfo3: each of num frame numbers in array replaced by its
 * type: XEN_DOMCTL_PFINFO_NOTAB for RAM, XTAB where there is none (or a page of the
 * hypervisor's). The toolstack saves a domain by it.
 */
struct xen_domctl_getpageframeinfo3 {
	__u64 num;
	__u64 array;			/* handle: xen_pfn_t[] */
};
#define XEN_DOMCTL_PFINFO_NOTAB		(0x0U << 28)
#define XEN_DOMCTL_PFINFO_XTAB		(0xfU << 28)

/* XEN_DOMCTL_set_target: let this domain (a device model) control target. */
struct xen_domctl_set_target {
	__u16 target;
};

/* XEN_DOMCTL_subscribe: port to signal, instead of VIRQ_DOM_EXC, on a suspend. */
struct xen_domctl_subscribe {
	__u32 port;
};

/* XEN_DOMCTL_gethvmcontext_partial: one record, of a given type and instance. */
struct xen_domctl_hvmcontext_partial {
	__u32 type;			/* HVM_SAVE_CODE_* */
	__u32 instance;
	__u64 bufsz;
	__u64 buffer;			/* handle: __u8[bufsz] */
};

/* XEN_DOMCTL_gettscinfo, XEN_DOMCTL_settscinfo */
struct xen_domctl_tsc_info {
	__u32 tsc_mode;
	__u32 gtsc_khz;
	__u32 incarnation;
	__u32 pad;
	__u64 elapsed_nsec;
};

/* XEN_DOMCTL_get_cpu_policy, XEN_DOMCTL_set_cpu_policy */
#define XEN_CPUID_INPUT_UNUSED		0xffffffffu

struct xen_domctl_cpu_policy {
	__u32 nr_leaves;		/* in: room in leaves, out: entries used */
	__u32 nr_msrs;			/* in: room in msrs, out: entries used */
	__u64 leaves;			/* handle: struct xen_cpuid_leaf[] */
	__u64 msrs;			/* handle: struct xen_msr_entry[] */
	/* Set only, on some failures: the leaf, subleaf and MSR Xen refused. */
	__u32 err_leaf, err_subleaf, err_msr;
};

/* XEN_DOMCTL_get_paging_mempool_size, XEN_DOMCTL_set_paging_mempool_size */
struct xen_domctl_paging_mempool {
	__u64 size;			/* bytes */
};

struct xen_domctl {
	__u32 cmd;			/* XEN_DOMCTL_* */
	__u32 interface_version;	/* XEN_DOMCTL_INTERFACE_VERSION */
	__u16 domain;
	__u16 pad[3];
	union {
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_nodeaffinity nodeaffinity;
		struct xen_domctl_vcpuaffinity vcpuaffinity;
		struct xen_domctl_max_mem max_mem;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_getvcpuinfo getvcpuinfo;
		struct xen_domctl_max_vcpus max_vcpus;
		struct xen_domctl_scheduler_op scheduler_op;
		struct xen_domctl_setdomainhandle setdomainhandle;
		struct xen_domctl_settimeoffset settimeoffset;
		struct xen_domctl_tsc_info tsc_info;
		struct xen_domctl_hvmcontext hvmcontext;
		struct xen_domctl_getpageframeinfo3 getpageframeinfo3;
		struct xen_domctl_hvmcontext_partial hvmcontext_partial;
		struct xen_domctl_set_target set_target;
		struct xen_domctl_subscribe subscribe;
		struct xen_domctl_cpu_policy cpu_policy;
		struct xen_domctl_paging_mempool paging_mempool;
		__u8 pad[128];
	} u;
};

static_assert(sizeof(struct xenctl_bitmap) == 16);
static_assert(offsetof(struct xenctl_bitmap, nr_bits) == 8);
static_assert(sizeof(struct xen_arch_domainconfig) == 8);
static_assert(offsetof(struct xen_arch_domainconfig, misc_flags) == 4);
static_assert(sizeof(struct xen_cpuid_leaf) == 24);
static_assert(offsetof(struct xen_cpuid_leaf, subleaf) == 4);
static_assert(offsetof(struct xen_cpuid_leaf, a) == 8);
static_assert(offsetof(struct xen_cpuid_leaf, d) == 20);
static_assert(sizeof(struct xen_msr_entry) == 16);
static_assert(offsetof(struct xen_msr_entry, flags) == 4);
static_assert(offsetof(struct xen_msr_entry, val) == 8);

static_assert(sizeof(struct xen_domctl_createdomain) == 64);
static_assert(sizeof(struct xen_domctl_getpageframeinfo3) == 16);
static_assert(offsetof(struct xen_domctl_createdomain, handle) == 4);
static_assert(offsetof(struct xen_domctl_createdomain, flags) == 20);
static_assert(offsetof(struct xen_domctl_createdomain, iommu_opts) == 24);
static_assert(offsetof(struct xen_domctl_createdomain, max_vcpus) == 28);
static_assert(offsetof(struct xen_domctl_createdomain, max_evtchn_port) == 32);
static_assert(offsetof(struct xen_domctl_createdomain, max_grant_frames) == 36);
static_assert(offsetof(struct xen_domctl_createdomain, max_maptrack_frames) == 40);
static_assert(offsetof(struct xen_domctl_createdomain, grant_opts) == 44);
static_assert(offsetof(struct xen_domctl_createdomain, vmtrace_size) == 48);
static_assert(offsetof(struct xen_domctl_createdomain, cpupool_id) == 52);
static_assert(offsetof(struct xen_domctl_createdomain, arch) == 56);

static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112);
static_assert(offsetof(struct xen_domctl_getdomaininfo, flags) == 4);
static_assert(offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8);
static_assert(offsetof(struct xen_domctl_getdomaininfo, shared_info_frame) == 48);
static_assert(offsetof(struct xen_domctl_getdomaininfo, cpu_time) == 56);
static_assert(offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64);
static_assert(offsetof(struct xen_domctl_getdomaininfo, max_vcpu_id) == 68);
static_assert(offsetof(struct xen_domctl_getdomaininfo, ssidref) == 72);
static_assert(offsetof(struct xen_domctl_getdomaininfo, handle) == 76);
static_assert(offsetof(struct xen_domctl_getdomaininfo, cpupool) == 92);
static_assert(offsetof(struct xen_domctl_getdomaininfo, gpaddr_bits) == 96);
static_assert(offsetof(struct xen_domctl_getdomaininfo, arch_config) == 104);

static_assert(sizeof(struct xen_domctl_max_mem) == 8);
static_assert(sizeof(struct xen_domctl_vcpucontext) == 16);
static_assert(offsetof(struct xen_domctl_vcpucontext, ctxt) == 8);
static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24);
static_assert(offsetof(struct xen_domctl_getvcpuinfo, online) == 4);
static_assert(offsetof(struct xen_domctl_getvcpuinfo, blocked) == 5);
static_assert(offsetof(struct xen_domctl_getvcpuinfo, running) == 6);
static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu_time) == 8);
static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu) == 16);
static_assert(sizeof(struct xen_domctl_nodeaffinity) == 16);
static_assert(sizeof(struct xen_domctl_vcpuaffinity) == 40);
static_assert(offsetof(struct xen_domctl_vcpuaffinity, flags) == 4);
static_assert(offsetof(struct xen_domctl_vcpuaffinity, cpumap_hard) == 8);
static_assert(offsetof(struct xen_domctl_vcpuaffinity, cpumap_soft) == 24);
static_assert(sizeof(struct xen_domctl_max_vcpus) == 4);

static_assert(sizeof(struct xen_domctl_sched_credit) == 4);
static_assert(sizeof(struct xen_domctl_sched_credit2) == 4);
static_assert(offsetof(struct xen_domctl_sched_credit2, cap) == 2);
static_assert(sizeof(struct xen_domctl_sched_rtds) == 12);
static_assert(sizeof(struct xen_domctl_schedparam_vcpu) == 16);
static_assert(offsetof(struct xen_domctl_schedparam_vcpu, vcpuid) == 12);
static_assert(sizeof(struct xen_domctl_scheduler_op) == 24);
static_assert(offsetof(struct xen_domctl_scheduler_op, cmd) == 4);
static_assert(offsetof(struct xen_domctl_scheduler_op, u) == 8);
static_assert(offsetof(struct xen_domctl_scheduler_op, u.credit2.weight) == 8);
static_assert(offsetof(struct xen_domctl_scheduler_op, u.credit2.cap) == 10);
static_assert(offsetof(struct xen_domctl_scheduler_op, u.v.nr_vcpus) == 16);

static_assert(sizeof(struct xen_domctl_setdomainhandle) == 16);
static_assert(sizeof(struct xen_domctl_settimeoffset) == 8);
static_assert(sizeof(struct xen_domctl_hvmcontext) == 16);
static_assert(offsetof(struct xen_domctl_hvmcontext, buffer) == 8);
static_assert(sizeof(struct xen_domctl_set_target) == 2);
static_assert(sizeof(struct xen_domctl_subscribe) == 4);
static_assert(sizeof(struct xen_domctl_hvmcontext_partial) == 24);
static_assert(offsetof(struct xen_domctl_hvmcontext_partial, instance) == 4);
static_assert(offsetof(struct xen_domctl_hvmcontext_partial, bufsz) == 8);
static_assert(offsetof(struct xen_domctl_hvmcontext_partial, buffer) == 16);
static_assert(sizeof(struct xen_domctl_tsc_info) == 24);
static_assert(offsetof(struct xen_domctl_tsc_info, gtsc_khz) == 4);
static_assert(offsetof(struct xen_domctl_tsc_info, incarnation) == 8);
static_assert(offsetof(struct xen_domctl_tsc_info, elapsed_nsec) == 16);
static_assert(sizeof(struct xen_domctl_cpu_policy) == 40);
static_assert(offsetof(struct xen_domctl_cpu_policy, leaves) == 8);
static_assert(offsetof(struct xen_domctl_cpu_policy, msrs) == 16);
static_assert(offsetof(struct xen_domctl_cpu_policy, err_leaf) == 24);
static_assert(offsetof(struct xen_domctl_cpu_policy, err_subleaf) == 28);
static_assert(offsetof(struct xen_domctl_cpu_policy, err_msr) == 32);
static_assert(sizeof(struct xen_domctl_paging_mempool) == 8);

static_assert(sizeof(struct xen_domctl) == 144);
static_assert(offsetof(struct xen_domctl, domain) == 8);
static_assert(offsetof(struct xen_domctl, u) == 16);

#endif
