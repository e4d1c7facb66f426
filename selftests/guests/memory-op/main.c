// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_memory_op and grant_table_op as a PVH guest uses them: placing
 * shared_info and grant frames, the reservation, the memory map the toolstack set,
 * the grant table's size and version.
 */
#include "guest.h"

const char test_title[] = "memory_op, grant_table_op";

#define XENMEM_decrease_reservation	1
#define XENMEM_current_reservation	3
#define XENMEM_maximum_reservation	4
#define XENMEM_add_to_physmap		7
#define XENMEM_memory_map		9
#define XENMEM_maximum_gpfn		14
#define XENMEM_get_vnumainfo		26
#define XENMEM_populate_physmap		6
#define MEMOP_EXTENT_SHIFT		6
#define XENMAPSPACE_shared_info		0
#define XENMAPSPACE_grant_table		1
#define XENMAPSPACE_gmfn_foreign	4
#define GNTTABOP_query_size		6
#define GNTTABOP_set_version		8
#define GNTTABOP_get_version		10

struct atp {
	unsigned short domid, size;
	u32 space;
	u64 idx, gpfn;
};

static s64 add_to_physmap(unsigned short domid, u32 space, u64 idx, u64 gpfn)
{
	struct atp x = { domid, 0, space, idx, gpfn };

	return hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (u64)&x);
}

struct reservation {
	u64 *extent_start;
	u64 nr_extents;
	u32 extent_order, mem_flags;
	unsigned short domid;
};

/* A reservation op on frames of this domain, starting at extent 'start'. */
static s64 reservation(u64 cmd, u64 start, u64 *gfns, u64 nr)
{
	struct reservation r = { gfns, nr, 0, 0, DOMID_SELF };

	return hypercall2(__HYPERVISOR_memory_op, cmd | start << MEMOP_EXTENT_SHIFT, (u64)&r);
}

static s64 gnttab(u64 cmd, void *arg, u64 count)
{
	return hypercall3(__HYPERVISOR_grant_table_op, cmd, (u64)arg, count);
}

void test_main(void)
{
	struct { unsigned short dom; u32 nr_frames, max_nr_frames; short status; } q;
	struct { u32 version; } sv;
	struct { unsigned short dom, pad; u32 version; } gv;
	unsigned short self = DOMID_SELF, bad;
	volatile u32 *si = (u32 *)(SHARED_INFO_GFN << 12);
	struct { u32 nr; void *buffer; } mm;
	struct { unsigned short domid, pad; u32 nr[3]; u64 handles[3]; } vn;
	struct { u64 addr, size; u32 type; } __attribute__((packed)) e820[8];
	s64 cur;

	check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1, SHARED_INFO_GFN),
		 -EINVAL, "add_to_physmap shared_info, idx 1");
	check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, SHARED_INFO_GFN),
		 -ENOSYS, "add_to_physmap gmfn_foreign (only through the batch op)");
	check_eq(add_to_physmap(0x7100, XENMAPSPACE_shared_info, 0, SHARED_INFO_GFN), -ESRCH,
		 "add_to_physmap for domain 0x7100 (absent)");
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, 0x40001000UL),
		 -EFAULT, "add_to_physmap, unmapped argument");

	/* shared_info replaces the RAM page there: the domain has one page less. */
	cur = hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, (u64)&self);
	if (cur <= 0)
		xtf_failure("current_reservation %ld", cur);
	si[0] = 0x12345678;
	check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, SHARED_INFO_GFN), 0,
		 "add_to_physmap shared_info");
	if (si[0] == 0x12345678)
		xtf_failure("the RAM page is still there, not shared_info");
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, (u64)&self),
		 cur - 1, "current_reservation after giving a page to shared_info");
	if (hypercall2(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, (u64)&self) < cur)
		xtf_failure("maximum_reservation below current_reservation");
	/* Moving it: the old frame is left empty. */
	check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, SCRATCH_GFN), 0,
		 "add_to_physmap shared_info elsewhere");

	/* The highest frame ever mapped: the toolstack saves a domain by it. */
	cur = hypercall2(__HYPERVISOR_memory_op, XENMEM_maximum_gpfn, (u64)&self);
	if (cur < SCRATCH_GFN || cur < SHARED_INFO_GFN || cur >= (1L << 40))
		xtf_failure("maximum_gpfn %ld, below a frame mapped", cur);
	bad = 0x7100;
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_maximum_gpfn, (u64)&bad), -ESRCH,
		 "maximum_gpfn of domain 0x7100 (absent)");
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_maximum_gpfn, 0x40001000UL), -EFAULT,
		 "maximum_gpfn, unmapped argument");

	/*
	 * Giving frames back and taking them again. The bits above the command are
	 * where to start (Xen's continuations use them) and the answer counts from 0.
	 */
	cur = hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, (u64)&self);
	{
		u64 gfns[2] = { SCRATCH_GFN + 1, SCRATCH_GFN + 2 };

		check_eq(reservation(XENMEM_decrease_reservation, 1, gfns, 2), 2,
			 "decrease_reservation from extent 1 of 2");
		check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation,
				    (u64)&self), cur - 1, "current_reservation after it");
		check_eq(reservation(XENMEM_decrease_reservation, 5, gfns, 2), 5,
			 "decrease_reservation from extent 5 of 2: nothing done");
		check_eq(reservation(XENMEM_decrease_reservation, 1, gfns, 2), 1,
			 "decrease_reservation of a frame given back already");
		check_eq(reservation(XENMEM_populate_physmap, 1, gfns, 2), 2,
			 "populate_physmap from extent 1 of 2");
		check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation,
				    (u64)&self), cur, "current_reservation back");
		/*
		 * Over a frame that is RAM already: Xen puts a new page there, and the
		 * one it replaced stays the domain's, unreachable, until the domain dies.
		 */
		check_eq(reservation(XENMEM_populate_physmap, 0, gfns, 1), 1,
			 "populate_physmap over a RAM frame");
		check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation,
				    (u64)&self), cur + 1,
			 "current_reservation: the replaced page still counts");
		check_eq(reservation(XENMEM_decrease_reservation, 0, gfns, 1), 1,
			 "decrease_reservation of the new page");
		check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation,
				    (u64)&self), cur, "current_reservation: the old one counts still");
		check_eq(reservation(XENMEM_decrease_reservation, 0, (u64 *)0x40001000UL, 2),
			 0, "decrease_reservation, unmapped extent list");
	}

	/* The memory map the toolstack set (as in the start info): RAM from 0 first. */
	mm.nr = 8;
	mm.buffer = e820;
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map, (u64)&mm), 0,
		 "memory_map");
	if (mm.nr < 2 || mm.nr > 8 || e820[0].addr != 0 || e820[0].type != 1 ||
	    e820[0].size < (1UL << 20))
		xtf_failure("memory_map: %u entries, the first %#lx+%#lx type %u", mm.nr,
			    e820[0].addr, e820[0].size, e820[0].type);
	mm.nr = 0;
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map, (u64)&mm), 0,
		 "memory_map into room for none");
	check_eq(mm.nr, 0, "memory_map into room for none: 0 entries");
	mm.nr = 8;
	mm.buffer = (void *)0x40001000UL;
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map, (u64)&mm), -EFAULT,
		 "memory_map into an unmapped buffer");
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map, 0x40001000UL), -EFAULT,
		 "memory_map, unmapped argument");

	/* No virtual NUMA topology: EOPNOTSUPP (what libxl's save wants to see). */
	vn.domid = DOMID_SELF;
	vn.pad = 0;
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_get_vnumainfo, (u64)&vn), -EOPNOTSUPP,
		 "get_vnumainfo: none");
	vn.pad = 1;
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_get_vnumainfo, (u64)&vn), -EINVAL,
		 "get_vnumainfo, pad not 0");
	vn.pad = 0;
	vn.domid = 0x7100;
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_get_vnumainfo, (u64)&vn), -ESRCH,
		 "get_vnumainfo of domain 0x7100 (absent)");
	check_eq(hypercall2(__HYPERVISOR_memory_op, XENMEM_get_vnumainfo, 0x40001000UL), -EFAULT,
		 "get_vnumainfo, unmapped argument");

	/* Grant table v1. */
	q.dom = DOMID_SELF;
	check_eq(gnttab(GNTTABOP_query_size, &q, 1), 0, "query_size");
	check_eq(q.status, 0, "query_size: status");
	if (q.nr_frames < 1 || q.max_nr_frames < q.nr_frames)
		xtf_failure("query_size: %u of %u frames", q.nr_frames, q.max_nr_frames);
	check_eq(gnttab(GNTTABOP_query_size, &q, 2), -EINVAL, "query_size, count 2");
	q.dom = 0x7100;
	check_eq(gnttab(GNTTABOP_query_size, &q, 1), 0, "query_size of domain 0x7100");
	check_eq(q.status, -2, "query_size of domain 0x7100: GNTST_bad_domain");
	sv.version = 1;
	check_eq(gnttab(GNTTABOP_set_version, &sv, 1), 0, "set_version(1)");
	sv.version = 3;
	check_eq(gnttab(GNTTABOP_set_version, &sv, 1), -EINVAL, "set_version(3)");
	check_eq(sv.version, 1, "set_version(3) reports version 1");
	gv.dom = DOMID_SELF;
	check_eq(gnttab(GNTTABOP_get_version, &gv, 1), 0, "get_version");
	check_eq(gv.version, 1, "get_version: 1");
	check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x90), 0,
		 "add_to_physmap grant frame 0");
	check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 1, 0x91), 0,
		 "add_to_physmap grant frame 1 (grows the table)");
	check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 4095, 0x92), -EINVAL,
		 "add_to_physmap grant frame 4095");
	check_eq(gnttab(99, NULL, 0), -ENOSYS, "unknown grant_table_op 99");
	check_eq(hypercall2(__HYPERVISOR_memory_op, 0x3e, 0), -ENOSYS, "unknown memory_op 0x3e");
	check_eq(hypercall3(__HYPERVISOR_console_io, 0, 1, (u64)"x"), -EPERM,
		 "console_io from a domU (release Xen)");
}
