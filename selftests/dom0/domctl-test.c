// SPDX-License-Identifier: GPL-2.0
/*
 * What `xl create` of a PVH guest asks of kxen, one call at a time, with Xen 4.17's
 * answers and error codes: XEN_DOMCTL_createdomain and the domctls libxl issues before
 * the first unpause (max_vcpus, max_mem, affinity, TSC mode, paging pool, CPU policy,
 * HVM context, scheduler parameters, domain handle), the memory_op calls that give
 * the guest its RAM (populate_physmap, decrease_reservation, set_memory_map, claims),
 * the foreign mappings libxenguest loads it through (privcmd mmap() with
 * IOCTL_PRIVCMD_MMAPBATCH_V2, and IOCTL_PRIVCMD_MMAP_RESOURCE of its grant table),
 * and the sysctls it reads the host with (numainfo, cputopoinfo, get_cpu_policy,
 * get_cpu_featureset). Where kxen answers otherwise than Xen by design (PVH guests
 * only, grant tables v1 of 32 frames, no TSC emulation, no claims, no ioreq servers),
 * the check says so.
 *
 * The test makes its own domains and destroys them at the end, also when it bails out
 * or dies of a signal; it needs no xenstored. TAP on stdout. Run as root inside the
 * emulated machine, with kxen loaded:
 *
 *   domctl-test [SECTION...]
 *
 * The checks come in named sections (the table at the end; domctl-test -h lists it),
 * which follow one guest from its createdomain to its end. With no SECTION all run;
 * else those named, in the table's order whatever the order given. A section builds
 * on what the ones before it left (the guest, its RAM, a mapping of it, its boot
 * vcpu's state, the host's CPU policy): when they did not run it makes that quietly
 * first, with no check, so that each section runs alone with the same checks.
 *
 * Xen's layouts and numbers are its public headers' (dom0lib.h).
 */
#include <cpuid.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dom0lib.h"

/* Not in Xen's public headers: they are its own (asm-x86/e820.h, mtrr.h) or libxl's. */
#define E820MAX				1024
struct e820entry {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct e820entry) == 20, "e820entry");
#define MTRR_WB_ENABLED		0x806	/* default type WB, MTRRs on: libxenguest's */
/* libxl's full HVM: all but vPCI */
#define XEN_X86_EMU_HVM		(XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI)

/* A domid nobody has, from the top of the range down. */
static domid_t free_domid(void)
{
	domid_t id;

	for (id = DOMID_FIRST_RESERVED - 0x10; id > 1; id--)
		if (gone(id))
			return id;
	return 0;
}

static long set_max_mem(domid_t dom, uint64_t kb)
{
	struct xen_domctl d;

	memset(&d, 0, sizeof(d));
	d.u.max_mem.max_memkb = kb;
	return domctl(&d, XEN_DOMCTL_max_mem, dom);
}

static long current_reservation(domid_t dom)
{
	return hc(__HYPERVISOR_memory_op, XENMEM_current_reservation, (uint64_t)&dom, 0);
}

/* What libxl asks for a PVH guest with 2 vcpus. */
static struct xen_domctl_createdomain guest_config(void)
{
	static const xen_domain_handle_t handle = {
		0x6b, 0x78, 0x65, 0x6e, 0xd0, 0x3c, 0x41, 0x7e,
		0x8a, 0x51, 0x0d, 0x0c, 0x7e, 0x57, 0x00, 0x01 };
	struct xen_domctl_createdomain c = pvh_config(2);

	memcpy(c.handle, handle, sizeof(handle));
	return c;
}

/* createdomain: 0 and *id, or -errno. Whatever it made is destroyed in the end. */
static long create(const struct xen_domctl_createdomain *c, domid_t want, domid_t *id)
{
	struct xen_domctl d;
	long r;

	memset(&d, 0, sizeof(d));
	d.u.createdomain = *c;
	r = domctl(&d, XEN_DOMCTL_createdomain, want);
	if (!r)
		remember(d.domain);
	if (id)
		*id = r ? 0 : d.domain;
	return r;
}

/* A config that must fail: the error, and a domain made by mistake destroyed again. */
static long create_bad(const struct xen_domctl_createdomain *c, domid_t want)
{
	domid_t id;
	long r = create(c, want, &id);

	if (!r)
		destroy(id);
	return r;
}

/* ---- Grant copy: one segment through IOCTL_GNTDEV_GRANT_COPY; its status, or -errno. */
static long grant_copy(int gfd, struct ioctl_gntdev_grant_copy_segment *seg)
{
	struct ioctl_gntdev_grant_copy op = { 1, seg };

	seg->status = 0x55;
	if (ioctl(gfd, IOCTL_GNTDEV_GRANT_COPY, &op) < 0)
		return -errno;
	return seg->status;
}

/* A segment from grant (dom, ref, off) into buf, or from buf into it. */
static struct ioctl_gntdev_grant_copy_segment from_gref(domid_t dom, uint32_t ref,
							uint16_t off, void *buf, uint16_t len)
{
	struct ioctl_gntdev_grant_copy_segment s = { .len = len, .flags = GNTCOPY_source_gref };

	s.source.foreign.domid = dom;
	s.source.foreign.ref = ref;
	s.source.foreign.offset = off;
	s.dest.virt = buf;
	return s;
}

static struct ioctl_gntdev_grant_copy_segment to_gref(domid_t dom, uint32_t ref, uint16_t off,
						      void *buf, uint16_t len)
{
	struct ioctl_gntdev_grant_copy_segment s = { .len = len, .flags = GNTCOPY_dest_gref };

	s.dest.foreign.domid = dom;
	s.dest.foreign.ref = ref;
	s.dest.foreign.offset = off;
	s.source.virt = buf;
	return s;
}

/* ---- HVM contexts: records read one at a time. */
/* The payload of record (type, instance) in a context, or NULL. */
static void *find_rec(uint8_t *buf, uint32_t len, uint16_t type, uint16_t instance)
{
	struct hvm_save_descriptor desc;
	uint32_t off;

	for (off = 0; off + sizeof(desc) <= len; off += sizeof(desc) + desc.length) {
		memcpy(&desc, buf + off, sizeof(desc));
		if (desc.typecode == type && desc.instance == instance)
			return buf + off + sizeof(desc);
		if (desc.typecode == HVM_SAVE_CODE(END))
			break;
	}
	return NULL;
}

/* Records of a type in a well-formed context (HEADER first, END last, all in len). */
static int count_recs(uint8_t *buf, uint32_t len, uint16_t type)
{
	struct hvm_save_descriptor desc;
	uint32_t off;
	int n = 0;

	for (off = 0; off + sizeof(desc) <= len; off += sizeof(desc) + desc.length) {
		memcpy(&desc, buf + off, sizeof(desc));
		if (off == 0 && desc.typecode != HVM_SAVE_CODE(HEADER))
			return -1;
		n += desc.typecode == type;
		if (desc.typecode == HVM_SAVE_CODE(END))
			return off + sizeof(desc) == len ? n : -1;
	}
	return -1;
}

static long getvcpuinfo(domid_t dom, uint32_t vcpu, struct xen_domctl *d)
{
	memset(d, 0, sizeof(*d));
	d->u.getvcpuinfo.vcpu = vcpu;
	return domctl(d, XEN_DOMCTL_getvcpuinfo, dom);
}

/* ---- The paging pool: set (0 or -errno) or get (the size, or -errno). */
static long pool_set(domid_t dom, uint64_t size)
{
	struct xen_domctl d;

	memset(&d, 0, sizeof(d));
	d.u.paging_mempool.size = size;
	return domctl(&d, XEN_DOMCTL_set_paging_mempool_size, dom);
}

static long pool_get(domid_t dom)
{
	struct xen_domctl d;
	long r;

	memset(&d, 0, sizeof(d));
	r = domctl(&d, XEN_DOMCTL_get_paging_mempool_size, dom);
	return r ? r : (long)d.u.paging_mempool.size;
}

/*
 * Run this process in a memory cgroup of its own holding at most max bytes (max 0:
 * back to the root cgroup, and the cgroup removed). 0, or -1 where there is none.
 */
static int memcg(long max)
{
	static const char *cg = "/sys/fs/cgroup/kxen-domctl-test";
	char path[128], buf[32];
	int f, n;

	if (!max) {
		f = open("/sys/fs/cgroup/cgroup.procs", O_WRONLY);
		n = snprintf(buf, sizeof(buf), "%d\n", getpid());
		n = f >= 0 && write(f, buf, n) == n ? 0 : -1;
		if (f >= 0)
			close(f);
		rmdir(cg);
		return n;
	}
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL);
	f = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY);
	if (f < 0 || write(f, "+memory", 7) != 7) {
		if (f >= 0)
			close(f);
		return -1;
	}
	close(f);
	if (mkdir(cg, 0755) && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	f = open(path, O_WRONLY);
	n = snprintf(buf, sizeof(buf), "%ld\n", max);
	if (f < 0 || write(f, buf, n) != n) {
		if (f >= 0)
			close(f);
		return -1;
	}
	close(f);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	f = open(path, O_WRONLY);
	n = snprintf(buf, sizeof(buf), "%d\n", getpid());
	n = f >= 0 && write(f, buf, n) == n ? 0 : -1;
	if (f >= 0)
		close(f);
	return n;
}

/* ---- /sys/devices/system/cpu/present, "0-3,5": the number of CPUs, and the last + 1. */
static int present_cpus(unsigned int *last)
{
	char buf[256], *p = buf;
	FILE *f = fopen("/sys/devices/system/cpu/present", "r");
	int n = 0;

	*last = 0;
	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		n = sysconf(_SC_NPROCESSORS_CONF);
		*last = n;
		return n;
	}
	fclose(f);
	while (*p >= '0' && *p <= '9') {
		unsigned int lo = strtoul(p, &p, 10), hi = lo;

		if (*p == '-')
			hi = strtoul(p + 1, &p, 10);
		n += hi - lo + 1;
		*last = hi + 1;
		if (*p == ',')
			p++;
	}
	return n;
}

/* ---- What the sections share: the guest they take from createdomain to its end. */
static const uint8_t code[] = { 0xf4, 0xeb, 0xfd };	/* 1: hlt; jmp 1b */
static const uint64_t entry = 0x101000;			/* gfn 0x101, where the code goes */

static struct {
	domid_t dom;		/* the guest: 0 until made */
	domid_t absent;		/* a domid nobody has */
	uint8_t pattern[PAGE];	/* what "maps" writes to its gfn 0x100 */
	uint8_t *map;		/* its gfns 0x100, 0x101 and 0x200, mapped from "maps" on */
	/* Set where a section made the thing: else need_*() makes it, quietly. */
	int max_mem;		/* max_mem 8192 KiB */
	int ram;		/* gfns 0x100-0x103 populated */
	int bsp;		/* vcpu 0's state loaded: it runs code from entry */
	int policy;		/* the host's HVM default policy read into leaves */
	xen_cpuid_leaf_t leaves[121];
	unsigned int nleaves;
} g;

/*
 * What a section needs of the ones before it, made quietly when they did not run (a
 * section asked for alone): no check counted, "Bail out!" when it cannot be made. In
 * a run of every section none of this runs: each flag is set where the section that
 * makes the thing made it.
 */
static void need_dom(void)
{
	struct xen_domctl_createdomain cfg = guest_config();

	if (!g.dom && create(&cfg, 0, &g.dom))
		bail("cannot create a domain");
}

static void need_max_mem(void)
{
	need_dom();
	if (!g.max_mem && set_max_mem(g.dom, 8192))
		bail("cannot set max_mem");
	g.max_mem = 1;
}

static void need_ram(void)
{
	const xen_pfn_t gfns[4] = { 0x100, 0x101, 0x102, 0x103 };

	need_max_mem();
	if (!g.ram && reservation(XENMEM_populate_physmap, g.dom, gfns, 4, 0) != 4)
		bail("cannot populate gfns 0x100-0x103");
	g.ram = 1;
}

/* As "maps" leaves it: the pattern at gfn 0x100, the code at 0x101, 0x200 populated. */
static void need_map(void)
{
	const xen_pfn_t gfns[3] = { 0x100, 0x101, 0x200 };
	int err[3];

	need_ram();
	if (g.map)
		return;
	g.map = privcmd_mmap(3);
	if (!g.map || reservation(XENMEM_populate_physmap, g.dom, gfns + 2, 1, 0) != 1 ||
	    mmapbatch(g.map, 3, g.dom, gfns, err) || err[0] || err[1] || err[2])
		bail("cannot map gfns 0x100, 0x101 and 0x200");
	memcpy(g.map, g.pattern, PAGE);
	memcpy(g.map + PAGE, code, sizeof(code));
}

/* As "hvm" leaves it: vcpu 0 online at entry (still paused), vcpu 1 down. */
static void need_bsp(void)
{
	static uint8_t ctx[8192];
	struct hvm_save_header hdr;
	struct hvm_hw_cpu cpu = pvh_bsp(entry);
	struct xen_domctl d;
	uint32_t size = sizeof(ctx);
	int i;

	need_dom();
	if (g.bsp)
		return;
	if (gethvmcontext(g.dom, ctx, &size) ||
	    size < sizeof(struct hvm_save_descriptor) + sizeof(hdr))
		bail("cannot read the HVM context");
	memcpy(&hdr, ctx + sizeof(struct hvm_save_descriptor), sizeof(hdr));
	if (set_one_rec(g.dom, &hdr, HVM_SAVE_CODE(CPU), 0, &cpu, sizeof(cpu)))
		bail("cannot load vcpu 0's state");
	for (i = 0; i < 100 && !(getvcpuinfo(g.dom, 0, &d) == 0 && d.u.getvcpuinfo.online); i++)
		sleep_us(50000);
	g.bsp = 1;
}

static void need_policy(void)
{
	struct xen_sysctl s;
	xen_msr_entry_t msrs[2];

	if (g.policy)
		return;
	memset(&s, 0, sizeof(s));
	s.u.cpu_policy.index = XEN_SYSCTL_cpu_policy_hvm_default;
	s.u.cpu_policy.nr_leaves = 120;
	s.u.cpu_policy.nr_msrs = 2;
	set_xen_guest_handle(s.u.cpu_policy.leaves, g.leaves);
	set_xen_guest_handle(s.u.cpu_policy.msrs, msrs);
	if (sysctl(&s, XEN_SYSCTL_get_cpu_policy) || !s.u.cpu_policy.nr_leaves)
		bail("cannot read the host's HVM default CPU policy");
	g.nleaves = s.u.cpu_policy.nr_leaves;
	g.policy = 1;
}

/* ---- createdomain: a PVH guest, and what kxen (or Xen) refuses. */
static void section_create(void)
{
	struct xen_domctl_createdomain cfg;
	struct xen_domctl_getdomaininfo info;
	struct xen_domctl d;
	domid_t dom;
	long r;

	cfg = guest_config();
	r = create(&cfg, 0, &g.dom);
	dom = g.dom;
	ok(r == 0 && dom >= 1 && dom < DOMID_FIRST_RESERVED,
	   "createdomain of a PVH guest: 0, domid %u (got %ld)", dom, r);
	if (r)
		bail("cannot create a domain");
	r = getdomaininfo(dom, &info);
	ok(r == 0 && info.domain == dom &&
	   info.flags == (XEN_DOMINF_paused | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap),
	   "getdomaininfo: paused (by the toolstack), hvm_guest, hap (flags %#x)", info.flags);
	ok(!memcmp(info.handle, cfg.handle, sizeof(cfg.handle)), "getdomaininfo: the handle");
	ok(info.nr_online_vcpus == 0 && info.max_vcpu_id == 1,
	   "getdomaininfo: 2 vcpus, all down (nr_online_vcpus %u, max_vcpu_id %u)",
	   info.nr_online_vcpus, info.max_vcpu_id);
	ok(getvcpuinfo(dom, 0, &d) == 0 && d.u.getvcpuinfo.online == 0,
	   "getvcpuinfo vcpu 0: 0, not online (down until its context is set)");
	ok(getvcpuinfo(dom, 7, &d) == -EINVAL, "getvcpuinfo vcpu 7 (of 2): EINVAL");

	cfg = guest_config();
	cfg.flags = 0;
	cfg.arch.emulation_flags = 0;
	ok(create_bad(&cfg, 0) == -EINVAL, "createdomain of a PV guest: EINVAL (kxen: PVH only)");
	cfg = guest_config();
	cfg.flags = XEN_DOMCTL_CDF_hvm;
	ok(create_bad(&cfg, 0) == -EINVAL,
	   "createdomain of HVM without HAP: EINVAL (kxen: no shadow paging)");
	cfg = guest_config();
	cfg.flags |= 1u << 8;
	ok(create_bad(&cfg, 0) == -EINVAL, "createdomain with an unknown CDF flag: EINVAL");
	cfg = guest_config();
	cfg.max_vcpus = 0;
	ok(create_bad(&cfg, 0) == -EINVAL, "createdomain with max_vcpus 0: EINVAL");
	cfg = guest_config();
	cfg.arch.emulation_flags = XEN_X86_EMU_HVM;
	ok(create_bad(&cfg, 0) == -EOPNOTSUPP,
	   "createdomain with full HVM emulation (%#x): EOPNOTSUPP", XEN_X86_EMU_HVM);
	cfg = guest_config();
	cfg.grant_opts = 2;
	ok(create_bad(&cfg, 0) == -EINVAL,
	   "createdomain with grant tables v2: EINVAL (kxen: v1 only)");
	cfg = guest_config();
	ok(create_bad(&cfg, dom) == -EEXIST, "createdomain asking for d%u, taken: EEXIST", dom);
	memset(&d, 0, sizeof(d));
	d.u.createdomain = guest_config();
	d.cmd = XEN_DOMCTL_createdomain;
	d.interface_version = 0x14;
	r = hc(__HYPERVISOR_domctl, (uint64_t)&d, 0, 0);
	if (!r)
		destroy(d.domain);
	ok(r == -EACCES, "createdomain with Xen 4.16's interface version: EACCES");
}

/* ---- max_vcpus, max_mem, the domain handle; dom0 and absent domains. */
static void section_limits(void)
{
	const xen_domain_handle_t handle2 = { 0x6b, 0x78, 0x65, 0x6e, 2 };
	struct xen_domctl_getdomaininfo info;
	struct xen_domctl d;
	domid_t dom, absent = g.absent;
	uint32_t size;
	long r;

	need_dom();
	dom = g.dom;

	memset(&d, 0, sizeof(d));
	d.u.max_vcpus.max = 2;
	ok(domctl(&d, XEN_DOMCTL_max_vcpus, dom) == 0, "max_vcpus 2, as createdomain had: 0");
	d.u.max_vcpus.max = 3;
	ok(domctl(&d, XEN_DOMCTL_max_vcpus, dom) == -EINVAL, "max_vcpus 3: EINVAL");
	ok(set_max_mem(dom, 8192) == 0, "max_mem 8192 KiB: 0");
	g.max_mem = 1;
	/* Called first: ok()'s arguments print what it read (their order is the compiler's). */
	r = getdomaininfo(dom, &info);
	ok(r == 0 && info.max_pages == 2048 && info.tot_pages == 0,
	   "getdomaininfo: max_pages 2048, tot_pages 0 (got %lu, %lu)",
	   (unsigned long)info.max_pages, (unsigned long)info.tot_pages);
	memset(&d, 0, sizeof(d));
	memcpy(d.u.setdomainhandle.handle, handle2, sizeof(handle2));
	ok(domctl(&d, XEN_DOMCTL_setdomainhandle, dom) == 0 && getdomaininfo(dom, &info) == 0 &&
	   !memcmp(info.handle, handle2, sizeof(handle2)),
	   "setdomainhandle: 0, and getdomaininfo shows the new handle");
	memset(&d, 0, sizeof(d));
	d.u.max_vcpus.max = 1;
	ok(domctl(&d, XEN_DOMCTL_max_vcpus, 0) == -EINVAL, "max_vcpus of dom0 itself: EINVAL");
	size = 0;
	ok(gethvmcontext(0, NULL, &size) == -EINVAL, "gethvmcontext of dom0 itself: EINVAL");
	ok(set_max_mem(absent, 8192) == -ESRCH, "max_mem of d%u, absent: ESRCH", absent);
	memset(&d, 0, sizeof(d));
	d.cmd = XEN_DOMCTL_max_mem;
	d.interface_version = 0x14;
	d.domain = dom;
	d.u.max_mem.max_memkb = 8192;
	ok(hc(__HYPERVISOR_domctl, (uint64_t)&d, 0, 0) == -EACCES,
	   "max_mem with Xen 4.16's interface version: EACCES");
}

/*
 * ---- The paging pool, the pages the nested page tables are built from: a new
 * domain has Xen's initial 256 pages; spent, populating a new region fails.
 */
static void section_pool(void)
{
	struct xen_domctl_createdomain cfg;
	struct xen_domctl_getdomaininfo info;
	domid_t dom, scratch;
	xen_pfn_t gfns[1];
	uint64_t num;
	long r;

	need_dom();
	dom = g.dom;

	r = pool_get(dom);
	ok(r == 1 << 20, "get_paging_mempool_size of a new domain: 1 MiB (got %ld)", r);
	ok(pool_get(0) == -EOPNOTSUPP && pool_set(0, 1 << 20) == -EOPNOTSUPP,
	   "get/set_paging_mempool_size of dom0: EOPNOTSUPP");
	ok(pool_set(dom, 1ULL << 44) == -EINVAL,
	   "set_paging_mempool_size 2^32 pages, more than Xen counts: EINVAL");
	r = pool_set(dom, 0xffffffffULL << 12);
	ok(r == -ENOMEM && pool_get(dom) == 1 << 20,
	   "set_paging_mempool_size 2^32 - 1 pages: ENOMEM, and the pool is as it was (got %ld)",
	   r);
	/*
	 * Below what is in use the pool keeps just that: here the root table alone. (Xen
	 * also keeps its per-vcpu monitor tables; kxen runs vcpus on Linux's own.)
	 */
	r = pool_set(dom, 0);
	ok(r == 0 && pool_get(dom) == 4096,
	   "set_paging_mempool_size 0: 0, and the pool is the one table in use (got %ld, %ld)",
	   r, pool_get(dom));
	gfns[0] = 0x100;
	r = reservation(XENMEM_populate_physmap, dom, gfns, 1, 0);
	ok(r == 0 && getdomaininfo(dom, &info) == 0 && info.tot_pages == 0,
	   "populate_physmap with the pool spent: 0 extents, no page taken (got %ld)", r);
	if (memcg(2 << 20) == 0) {
		r = pool_set(dom, 64 << 20);
		ok(r == -ENOMEM, "set_paging_mempool_size 64 MiB from a 2 MiB cgroup: ENOMEM "
		   "(got %ld)", r);
		memcg(0);
		r = pool_get(dom);
		ok(r == 4096, "and what it could allocate went back (got %ld)", r);
	} else {
		skip("set_paging_mempool_size in a small cgroup: no memory cgroup here");
		skip("and what it could allocate went back");
	}
	r = pool_set(dom, 1 << 20);
	ok(r == 0 && pool_get(dom) == 1 << 20,
	   "set_paging_mempool_size 1 MiB again: 0 (got %ld, %ld)", r, pool_get(dom));
	/*
	 * A frame populated and given back in one 2 MiB region after another leaves a
	 * table behind in each: the pool bounds them, and the host gives no more. (On a
	 * domain of its own: the highest frame ever mapped is checked below.)
	 */
	cfg = guest_config();
	r = create(&cfg, 0, &scratch);
	ok(r == 0 && set_max_mem(scratch, 4) == 0, "createdomain d%u for the pool's bound: 0",
	   scratch);
	for (num = 0; !r && num < 1024; num++) {
		gfns[0] = num << 9;
		if (reservation(XENMEM_populate_physmap, scratch, gfns, 1, 0) != 1)
			break;
		if (reservation(XENMEM_decrease_reservation, scratch, gfns, 1, 0) != 1)
			break;
	}
	ok(num > 200 && num < 256 && pool_get(scratch) == 1 << 20 &&
	   getdomaininfo(scratch, &info) == 0 && info.tot_pages == 0,
	   "a frame populated and given back in region after region: populate fails once "
	   "the pool's 256 tables are spent (after %lu), the pool stays 1 MiB",
	   (unsigned long)num);
	ok(destroy(scratch) == 0, "destroydomain d%u: 0", scratch);
}

/* ---- The guest's memory: populate_physmap, decrease_reservation, the rest. */
static void section_memory(void)
{
	struct e820entry e820[E820MAX + 1];
	struct xen_foreign_memory_map fmap;
	struct xen_memory_reservation claim;
	struct xen_domctl_getdomaininfo info;
	struct xen_domctl d;
	xen_pfn_t gfns[8];
	unsigned int i;
	domid_t dom;
	long r;

	need_max_mem();
	dom = g.dom;

	for (i = 0; i < 4; i++)
		gfns[i] = 0x100 + i;
	r = reservation(XENMEM_populate_physmap, dom, gfns, 4, 0);
	ok(r == 4, "populate_physmap of 4 frames (gfn 0x100-0x103): 4 (got %ld)", r);
	g.ram = 1;
	r = reservation(XENMEM_populate_physmap, dom, gfns, 1, 0);
	/*
	 * The page it replaces stays the domain's on Xen, unreachable, and counted until
	 * the domain dies (memory-op/, a test guest, shows it on real Xen 4.17).
	 */
	ok(r == 1, "populate_physmap of gfn 0x100 again: 1, a new page in place of the old "
	   "(got %ld)", r);
	gfns[0] = 0x400;
	r = reservation(XENMEM_populate_physmap, dom, gfns, 1, 10);
	ok(r == 1, "populate_physmap of an order-10 extent at 0x400, from dom0: 1 (got %ld)", r);
	gfns[0] = 0x80000;
	r = reservation(XENMEM_populate_physmap, dom, gfns, 1, 19);
	ok(r == 0, "populate_physmap of order 19, above dom0's 18: 0 (got %ld)", r);
	r = current_reservation(dom);
	ok(r == 1029, "current_reservation: 1029 pages, the one replaced too (got %ld)", r);
	r = getdomaininfo(dom, &info);
	ok(r == 0 && info.tot_pages == 1029,
	   "getdomaininfo: tot_pages 1029 (got %ld, %lu)", r, (unsigned long)info.tot_pages);
	ok(set_max_mem(dom, (1029 + 3) * 4) == 0, "max_mem 3 pages above what it has: 0");
	for (i = 0; i < 8; i++)
		gfns[i] = 0x2000 + i;
	r = reservation(XENMEM_populate_physmap, dom, gfns, 8, 0);
	ok(r == 3, "populate_physmap of 8 frames then: 3, max_mem stops it (got %ld)", r);
	ok(current_reservation(dom) == 1032, "current_reservation: 1032");
	r = reservation(XENMEM_decrease_reservation, dom, gfns, 3, 0);
	ok(r == 3, "decrease_reservation of those 3: 3 (got %ld)", r);
	r = reservation(XENMEM_decrease_reservation, dom, gfns + 3, 1, 0);
	ok(r == 0, "decrease_reservation of gfn 0x2003, never populated: 0 (got %ld)", r);
	ok(current_reservation(dom) == 1029, "current_reservation: 1029 again");
	/* What the toolstack saves a domain by: the highest frame, each frame's type. */
	r = hc(__HYPERVISOR_memory_op, XENMEM_maximum_gpfn, (uint64_t)&dom, 0);
	ok(r == 0x2002, "maximum_gpfn: 0x2002, the highest frame ever there (got %#lx)", r);
	{
		xen_pfn_t types[3] = { 0x100, 0x2000, 0x7ffff };

		memset(&d, 0, sizeof(d));
		d.u.getpageframeinfo3.num = 3;
		set_xen_guest_handle(d.u.getpageframeinfo3.array, types);
		r = domctl(&d, XEN_DOMCTL_getpageframeinfo3, dom);
		ok(r == 0 && types[0] == 0 && types[1] == 0xfUL << 28 && types[2] == 0xfUL << 28,
		   "getpageframeinfo3 of 0x100, 0x2000 (given back), 0x7ffff: NOTAB, XTAB, XTAB "
		   "(got %ld, %#lx, %#lx, %#lx)", r, (unsigned long)types[0],
		   (unsigned long)types[1], (unsigned long)types[2]);
		d.u.getpageframeinfo3.num = 1025;
		ok(domctl(&d, XEN_DOMCTL_getpageframeinfo3, dom) == -E2BIG,
		   "getpageframeinfo3 of 1025 frames: E2BIG");
		d.u.getpageframeinfo3.num = 1;
		set_xen_guest_handle(d.u.getpageframeinfo3.array, (xen_pfn_t *)8);
		ok(domctl(&d, XEN_DOMCTL_getpageframeinfo3, dom) == -EFAULT,
		   "getpageframeinfo3 at a bad address: EFAULT");
	}
	ok(set_max_mem(dom, 8192) == 0, "max_mem 8192 KiB again: 0");
	memset(&claim, 0, sizeof(claim));
	claim.nr_extents = 16;
	claim.domid = dom;
	ok(hc(__HYPERVISOR_memory_op, XENMEM_claim_pages, (uint64_t)&claim, 0) == -ENOSYS,
	   "claim_pages: ENOSYS (kxen cannot promise the host's memory)");
	memset(e820, 0, sizeof(e820));
	e820[0] = (struct e820entry){ 0, 0x800000, 1 };
	e820[1] = (struct e820entry){ 0xfc000000, 0x1000000, 2 };
	memset(&fmap, 0, sizeof(fmap));
	fmap.domid = dom;
	fmap.map.nr_entries = 2;
	set_xen_guest_handle(fmap.map.buffer, e820);
	ok(hc(__HYPERVISOR_memory_op, XENMEM_set_memory_map, (uint64_t)&fmap, 0) == 0,
	   "set_memory_map with 2 entries: 0");
	fmap.map.nr_entries = E820MAX + 1;
	ok(hc(__HYPERVISOR_memory_op, XENMEM_set_memory_map, (uint64_t)&fmap, 0) == -EINVAL,
	   "set_memory_map with %d entries: EINVAL", E820MAX + 1);
}

/* ---- Foreign mappings: privcmd mmap() and MMAPBATCH_V2. */
static void section_maps(void)
{
	struct xen_domctl_createdomain cfg;
	domid_t dom, dom2, other, absent = g.absent;
	const uint8_t *pattern = g.pattern;
	uint8_t *map, *map2, *anon;
	xen_pfn_t gfns[8];
	int err[8];
	long r;

	need_ram();
	dom = g.dom;

	map = privcmd_mmap(3);
	ok(map != NULL, "mmap() of /dev/xen/privcmd, 3 pages");
	if (!map)
		bail("cannot mmap /dev/xen/privcmd");
	g.map = map;
	gfns[0] = 0x100;
	gfns[1] = 0x101;
	gfns[2] = 0x200;		/* not populated */
	memset(err, 0x55, sizeof(err));
	r = mmapbatch(map, 3, dom, gfns, err);
	ok(r == 0 && err[0] == 0 && err[1] == 0 && err[2] == -EINVAL,
	   "MMAPBATCH_V2 of 2 populated frames and a hole: 0, err {0, 0, -EINVAL} "
	   "(got %ld, {%d, %d, %d})", r, err[0], err[1], err[2]);
	ok(map[0] == 0 && !memcmp(map, map + 1, PAGE - 1), "a fresh guest frame reads zeros");
	memcpy(map, pattern, PAGE);
	memcpy(map + PAGE, code, sizeof(code));
	map2 = privcmd_mmap(1);
	r = map2 ? mmapbatch(map2, 1, dom, gfns, err) : -ENOMEM;
	ok(r == 0 && !memcmp(map2, pattern, PAGE),
	   "a second mapping of gfn 0x100 reads what the first wrote: the guest's own page");
	if (map2)
		munmap(map2, PAGE);
	r = reservation(XENMEM_populate_physmap, dom, gfns + 2, 1, 0);
	memset(err, 0x55, sizeof(err));
	r = r == 1 ? mmapbatch(map + 2 * PAGE, 1, dom, gfns + 2, err) : -1;
	ok(r == 0 && err[0] == 0 && map[2 * PAGE] == 0,
	   "the hole, once populated, filled by a second MMAPBATCH_V2: 0, err 0 (got %ld, %d)",
	   r, err[0]);
	map2 = privcmd_mmap(2);
	r = mmapbatch(map2, 1, dom, gfns, err);
	ok(r == -EINVAL, "MMAPBATCH_V2 whose first fill leaves part of the range: EINVAL");
	memset(err, 0x55, sizeof(err));
	r = mmapbatch(map2, 2, absent, gfns, err);
	ok(r == 0 && err[0] == -ESRCH && err[1] == -ESRCH,
	   "MMAPBATCH_V2 of d%u, absent: 0, err {-ESRCH, -ESRCH} (got %ld, {%d, %d})", absent,
	   r, err[0], err[1]);
	if (map2)
		munmap(map2, 2 * PAGE);
	map2 = privcmd_mmap(1);
	memset(err, 0x55, sizeof(err));
	r = mmapbatch(map2, 1, 0, gfns, err);
	ok(r == 0 && err[0] == -EPERM,
	   "MMAPBATCH_V2 of dom0's own memory: 0, err -EPERM (got %ld, %d)", r, err[0]);
	if (map2)
		munmap(map2, PAGE);
	anon = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(mmapbatch(anon, 1, dom, gfns, err) == -EINVAL,
	   "MMAPBATCH_V2 into anonymous memory, not privcmd's: EINVAL");
	munmap(anon, PAGE);

	/* A second domain, which dies while its page is mapped here. */
	cfg = guest_config();
	cfg.max_vcpus = 1;
	other = free_domid();
	r = create(&cfg, other, &dom2);
	ok(r == 0 && dom2 == other, "createdomain asking for d%u, free: that domid (got %ld, %u)",
	   other, r, dom2);
	gfns[7] = 0;
	map2 = privcmd_mmap(1);
	r = !r && set_max_mem(dom2, 64) == 0 &&
	    reservation(XENMEM_populate_physmap, dom2, gfns + 7, 1, 0) == 1 && map2 ?
	    mmapbatch(map2, 1, dom2, gfns + 7, err) : -1;
	ok(r == 0 && err[0] == 0, "d%u: a frame populated and mapped", dom2);
	if (!r)
		memcpy(map2, pattern, PAGE);
	ok(destroy(dom2) == 0, "destroydomain d%u while a page of it is mapped: 0", dom2);
	ok(gone(dom2), "then getdomaininfo(%u): ESRCH or a later domain", dom2);
	ok(!r && !memcmp(map2, pattern, PAGE),
	   "the mapping still reads what was written: the page outlives its domain");
	ok(map2 && munmap(map2, PAGE) == 0, "and munmap() of it: 0");
}

/* ---- MMAP_RESOURCE: the grant table, as libxenguest seeds it. */
static void section_grants(void)
{
	struct ioctl_gntdev_map_grant_ref gmap;
	struct ioctl_gntdev_unmap_grant_ref gunmap;
	volatile grant_entry_v1_t *gnt;
	const uint8_t *pattern = g.pattern;
	domid_t dom, absent = g.absent;
	int gfd, efd, eport, nport;
	uint8_t *map, *res, *gpage;
	uint64_t num;
	long r;

	need_map();
	dom = g.dom;
	map = g.map;

	num = 0;
	r = mmap_resource(dom, XENMEM_resource_grant_table, 0, 0, &num, NULL);
	ok(r == 0 && num == 32,
	   "MMAP_RESOURCE size query of the grant table: 32 frames (kxen's limit; got %ld, %lu)",
	   r, (unsigned long)num);
	res = privcmd_mmap(1);
	num = 1;
	r = res ? mmap_resource(dom, XENMEM_resource_grant_table, 0, 0, &num, res) : -ENOMEM;
	ok(r == 0, "MMAP_RESOURCE of grant-table frame 0: 0 (got %ld)", r);
	gnt = (volatile grant_entry_v1_t *)res + 8;
	if (!r) {
		gnt->frame = 0x100;
		gnt->domid = 0;
		__atomic_store_n(&gnt->flags, GTF_permit_access, __ATOMIC_RELEASE);
	}
	gfd = open("/dev/xen/gntdev", O_RDWR);
	memset(&gmap, 0, sizeof(gmap));
	gmap.count = 1;
	gmap.refs[0].domid = dom;
	gmap.refs[0].ref = 8;
	gpage = gfd >= 0 && !r && ioctl(gfd, IOCTL_GNTDEV_MAP_GRANT_REF, &gmap) == 0 ?
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gfd, gmap.index) :
		MAP_FAILED;
	ok(gpage != MAP_FAILED && !memcmp(gpage, pattern, PAGE),
	   "grant ref 8 written there (gfn 0x100 to dom0): gntdev maps that very page");
	ok(!r && gnt->flags == (GTF_permit_access | GTF_reading | GTF_writing),
	   "and the entry shows it mapped: GTF_reading|GTF_writing (flags %#x)",
	   r ? 0 : gnt->flags);
	if (gpage != MAP_FAILED)
		munmap(gpage, PAGE);
	gunmap = (struct ioctl_gntdev_unmap_grant_ref){ gmap.index, 1, 0 };
	if (gfd >= 0) {
		ioctl(gfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &gunmap);
		close(gfd);
	}
	ok(!r && gnt->flags == GTF_permit_access, "unmapped: GTF_permit_access alone again");

	/* Grant copy (QEMU's disk path), to and from ref 8 (gfn 0x100, map[0..PAGE)). */
	gfd = open("/dev/xen/gntdev", O_RDWR);
	{
		struct ioctl_gntdev_grant_copy none = { 0, NULL };
		struct ioctl_gntdev_grant_copy_segment seg;
		char buf[256], msg[] = "copied in by GRANT_COPY";

		ok(gfd >= 0 && ioctl(gfd, IOCTL_GNTDEV_GRANT_COPY, &none) == 0,
		   "GRANT_COPY of no segments (QEMU's probe): 0");
		memset(buf, 0, sizeof(buf));
		seg = from_gref(dom, 8, 16, buf, 100);
		ok(grant_copy(gfd, &seg) == 0 && !memcmp(buf, pattern + 16, 100),
		   "GRANT_COPY from ref 8, offset 16, 100 bytes: GNTST_okay, the guest's bytes");
		seg = to_gref(dom, 8, 200, msg, sizeof(msg));
		ok(grant_copy(gfd, &seg) == 0 && !memcmp(map + 200, msg, sizeof(msg)),
		   "GRANT_COPY into ref 8 at 200: GNTST_okay, and the guest's page has it");
		ok(!r && gnt->flags == GTF_permit_access,
		   "  and the entry holds no GTF_reading/GTF_writing after (flags %#x)",
		   r ? 0 : gnt->flags);
		seg = from_gref(dom, 5000, 0, buf, 8);
		ok(grant_copy(gfd, &seg) == GNTST_bad_gntref, "from ref 5000: GNTST_bad_gntref");
		if (!r) {
			gnt[1].frame = 0x101;
			gnt[1].domid = 0;
			__atomic_store_n(&gnt[1].flags, GTF_permit_access | GTF_readonly,
					 __ATOMIC_RELEASE);
			gnt[2].frame = 0x101;
			gnt[2].domid = 5;
			__atomic_store_n(&gnt[2].flags, GTF_permit_access, __ATOMIC_RELEASE);
		}
		seg = to_gref(dom, 9, 0, msg, 8);
		ok(grant_copy(gfd, &seg) == GNTST_permission_denied,
		   "into ref 9, granted read-only: GNTST_permission_denied");
		seg = from_gref(dom, 9, 0, buf, 8);
		ok(grant_copy(gfd, &seg) == 0, "from ref 9: GNTST_okay");
		seg = from_gref(dom, 10, 0, buf, 8);
		ok(grant_copy(gfd, &seg) == GNTST_permission_denied,
		   "from ref 10, granted to d5: GNTST_permission_denied");
		seg = from_gref(absent, 8, 0, buf, 8);
		ok(grant_copy(gfd, &seg) == GNTST_bad_domain,
		   "from d%u, absent: GNTST_bad_domain", absent);
		seg = from_gref(dom, 8, 4000, buf, 200);
		ok(grant_copy(gfd, &seg) == -EINVAL, "a segment crossing the granted page: EINVAL");
		seg = from_gref(dom, 8, 0, buf, 8);
		seg.flags = 0;
		seg.source.virt = msg;
		ok(grant_copy(gfd, &seg) == -EINVAL,
		   "a segment with no grant on either side: EINVAL");
		seg = from_gref(dom, 8, 0, (void *)8, 8);
		ok(grant_copy(gfd, &seg) == -EFAULT, "into a bad local address: EFAULT");
		seg = to_gref(dom, 8, 0, (void *)8, 8);
		ok(grant_copy(gfd, &seg) == -EFAULT, "from a bad local address: EFAULT");
	}

	/* Unmap notify: the byte cleared at munmap, an event at the end of the map. */
	efd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
	eport = efd >= 0 ? evtchn_io(efd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0, 0) : -1;
	nport = eport > 0 ? evtchn_io(efd, IOCTL_EVTCHN_BIND_INTERDOMAIN, 0, eport) : -1;
	ok(eport > 0 && nport > 0, "a dom0 port pair for the notification (%d -> %d)", nport,
	   eport);
	/* Binding sets the new port pending (as Xen does, lest an event be lost): drain. */
	{
		uint32_t drain[8];

		while (efd >= 0 && read(efd, drain, sizeof(drain)) > 0)
			;
	}
	memset(&gmap, 0, sizeof(gmap));
	gmap.count = 1;
	gmap.refs[0].domid = dom;
	gmap.refs[0].ref = 8;
	gpage = gfd >= 0 && !r && ioctl(gfd, IOCTL_GNTDEV_MAP_GRANT_REF, &gmap) == 0 ?
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gfd, gmap.index) :
		MAP_FAILED;
	{
		struct ioctl_gntdev_unmap_notify n = {
			gmap.index + 5, UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT,
			(uint32_t)nport };
		struct ioctl_gntdev_unmap_notify bad = n;
		uint32_t got = 0;

		ok(gpage != MAP_FAILED && ioctl(gfd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n) == 0,
		   "SET_UNMAP_NOTIFY: clear byte 5, then notify port %d", nport);
		bad.index = gmap.index + 1000 * PAGE;
		ok(ioctl(gfd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &bad) < 0 && errno == ENOENT,
		   "SET_UNMAP_NOTIFY at an offset no map has: ENOENT");
		bad = n;
		bad.action = 4;
		ok(ioctl(gfd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &bad) < 0 && errno == EINVAL,
		   "SET_UNMAP_NOTIFY with an unknown action: EINVAL");
		if (gpage != MAP_FAILED) {
			gpage[5] = 0x7f;
			munmap(gpage, PAGE);
		}
		ok(map[5] == 0, "munmap: byte 5 of the guest's page is cleared (%#x)", map[5]);
		ssize_t rd = read(efd, &got, 4);

		ok(rd < 0 && errno == EAGAIN, "  and no event yet (read %zd, port %u)", rd, got);
		gunmap = (struct ioctl_gntdev_unmap_grant_ref){ gmap.index, 1, 0 };
		ok(gfd >= 0 && ioctl(gfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &gunmap) == 0 &&
		   read(efd, &got, 4) == 4 && got == (uint32_t)eport,
		   "UNMAP_GRANT_REF, the map's end: the event arrives on port %d", eport);
	}
	if (efd >= 0)
		close(efd);
	if (gfd >= 0)
		close(gfd);
	if (res)
		munmap(res, PAGE);
	num = 0;
	ok(mmap_resource(dom, XENMEM_resource_ioreq_server, 0, 0, &num, NULL) == -EOPNOTSUPP,
	   "MMAP_RESOURCE of an ioreq server: EOPNOTSUPP (kxen has none)");
	res = privcmd_mmap(1);
	num = 1;
	ok(mmap_resource(dom, XENMEM_resource_grant_table, 1, 0, &num, res) == -EINVAL,
	   "MMAP_RESOURCE of the status frames (id 1, v2 only): EINVAL");
	num = 1;
	ok(mmap_resource(dom, XENMEM_resource_grant_table, 0, 40, &num, res) == -EINVAL,
	   "MMAP_RESOURCE of frame 40, past the table: EINVAL");
	num = 0;
	ok(mmap_resource(dom, XENMEM_resource_grant_table, 0, 0, &num, res) == -EINVAL,
	   "MMAP_RESOURCE with an address and no frames: EINVAL");
	if (res)
		munmap(res, PAGE);
	num = 0;
	ok(mmap_resource(absent, XENMEM_resource_grant_table, 0, 0, &num, NULL) == -ESRCH,
	   "MMAP_RESOURCE of d%u, absent: ESRCH", absent);
}

/*
 * CPU_XSAVE, on a host with XSAVE: one record for the vcpu that is up, and the loads
 * Xen's validate_xstate() refuses, refused with its error codes (each refused load
 * changes nothing: vcpu 0 stays up).
 */
static long set_xsave(domid_t dom, const struct hvm_save_header *hdr,
		      const struct hvm_hw_cpu_xsave *x, uint32_t len)
{
	return set_one_rec(dom, hdr, CPU_XSAVE_CODE, 0, x, len);
}

static void xsave_records(domid_t dom, const struct hvm_save_header *hdr, uint8_t *ctx,
			  uint32_t used)
{
	static uint8_t buf[4096];
	struct hvm_hw_cpu_xsave *x = (void *)buf, *got;
	struct hvm_save_descriptor desc;
	unsigned int a, b, c, d;
	struct xen_domctl vi;
	uint32_t len;

	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 26))) {
		skip("CPU_XSAVE records: this host has no XSAVE");
		return;
	}
	got = ctx ? find_rec(ctx, used, CPU_XSAVE_CODE, 0) : NULL;
	if (got)
		memcpy(&desc, (uint8_t *)got - sizeof(desc), sizeof(desc));
	ok(got && count_recs(ctx, used, CPU_XSAVE_CODE) == 1 && desc.length >= sizeof(*x) &&
	   (got->xcr0 & 1) && !(got->xcr0 & ~got->xcr0_accum) && !got->save_area.xsave_hdr.xcomp_bv,
	   "a CPU_XSAVE record for vcpu 0 alone: %u bytes, xcr0 %#lx within xcr0_accum %#lx",
	   got ? desc.length : 0, got ? (unsigned long)got->xcr0 : 0,
	   got ? (unsigned long)got->xcr0_accum : 0);
	if (!got || desc.length > sizeof(buf))
		return;

	/* x87 and SSE: a record of 600 bytes, 24 and FXSAVE's 512 and the header's 64. */
#define RESET()	do { memcpy(x, got, sizeof(*x)); x->xcr0 = 1; x->xcr0_accum = 3;	\
		     x->save_area.xsave_hdr.xstate_bv = 3; len = sizeof(*x); } while (0)
	RESET();
	x->save_area.xsave_hdr.xstate_bv = 7;
	ok(set_xsave(dom, hdr, x, len) == -EINVAL, "CPU_XSAVE with state beyond xcr0_accum: EINVAL");
	RESET();
	x->xcr0 = 2;
	ok(set_xsave(dom, hdr, x, len) == -EINVAL, "CPU_XSAVE with an xcr0 lacking x87: EINVAL");
	RESET();
	x->xcr0 = 7;
	ok(set_xsave(dom, hdr, x, len) == -EINVAL, "CPU_XSAVE with xcr0 beyond xcr0_accum: EINVAL");
	RESET();
	x->xcr0_accum |= 1ull << 62;
	ok(set_xsave(dom, hdr, x, len) == -EINVAL,
	   "CPU_XSAVE with a feature no guest has (bit 62): EINVAL");
	RESET();
	x->save_area.xsave_hdr.xcomp_bv = 1ull << 63;
	ok(set_xsave(dom, hdr, x, len) == -EOPNOTSUPP,
	   "CPU_XSAVE in the compacted form: EOPNOTSUPP");
	RESET();
	x->save_area.xsave_hdr.reserved[0] = 1;
	ok(set_xsave(dom, hdr, x, len) == -EIO, "CPU_XSAVE with a reserved header word set: EIO");
	RESET();
	ok(set_xsave(dom, hdr, x, len - 8) == -EINVAL, "CPU_XSAVE shorter than 600 bytes: EINVAL");
	RESET();
	buf[len] = 1;
	ok(set_xsave(dom, hdr, x, len + 8) == -EOPNOTSUPP,
	   "CPU_XSAVE longer than its features need, not with zeros: EOPNOTSUPP");
	buf[len] = 0;
	RESET();
	*(uint32_t *)(x->save_area.fpu_sse.x + 24) = 1u << 20;
	ok(set_xsave(dom, hdr, x, len) == -EINVAL,
	   "CPU_XSAVE with reserved MXCSR bits (kxen's own check: its XRSTOR): EINVAL");
	asm volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	if (a & 4) {	/* AVX here, so guests may have it */
		RESET();
		x->xcr0_accum = 7;
		ok(set_xsave(dom, hdr, x, len) == -EOPNOTSUPP,
		   "CPU_XSAVE with AVX in xcr0_accum but no room for it: EOPNOTSUPP");
	}
#undef RESET
	ok(getvcpuinfo(dom, 0, &vi) == 0 && vi.u.getvcpuinfo.online,
	   "after them all, vcpu 0 is still up");
}

/* ---- The HVM context: read, refused loads, then libxenguest's boot state. */
static void section_hvm(void)
{
	static uint8_t saved[16384], got[16384];
	const uint8_t any[8] = { 0 };		/* a record's bytes, whatever they are */
	struct hvm_save_descriptor desc;
	struct hvm_save_header hdr;
	struct hvm_hw_cpu cpu, *cpup;
	struct hvm_hw_mtrr mtrr, *mtrrp;
	struct xen_domctl d;
	uint32_t size, qsize, used;
	unsigned int i;
	int ok_all;
	domid_t dom;
	long r;

	need_dom();
	dom = g.dom;

	size = 0;
	r = gethvmcontext(dom, NULL, &size);
	ok(r == 0 && size >= 2 * sizeof(desc) + sizeof(hdr) && size <= sizeof(saved),
	   "gethvmcontext with no buffer: 0 and the size, %u bytes (got %ld)", size, r);
	if (r || size > sizeof(saved))
		bail("no HVM context size");
	qsize = size;
	used = size;
	r = gethvmcontext(dom, saved, &used);
	ok(r == 0 && used <= size, "gethvmcontext: 0, %u bytes used (got %ld)", used, r);
	memcpy(&desc, saved, sizeof(desc));
	memcpy(&hdr, saved + sizeof(desc), sizeof(hdr));
	ok(desc.typecode == HVM_SAVE_CODE(HEADER) && desc.length == sizeof(hdr) &&
	   hdr.magic == HVM_FILE_MAGIC && hdr.version == HVM_FILE_VERSION,
	   "its header: magic %#x, version %u", hdr.magic, hdr.version);
	ok(count_recs(saved, used, HVM_SAVE_CODE(END)) == 1, "it ends with END, at the size used");
	ok(count_recs(saved, used, HVM_SAVE_CODE(CPU)) == 0, "no CPU record: the vcpus are down");
	ok(count_recs(saved, used, HVM_SAVE_CODE(LAPIC)) == 2 &&
	   count_recs(saved, used, HVM_SAVE_CODE(LAPIC_REGS)) == 2,
	   "a LAPIC and a LAPIC_REGS record for each vcpu (what xl save keeps of the APIC)");
	ok(count_recs(saved, used, HVM_SAVE_CODE(MTRR)) == 2 &&
	   find_rec(saved, used, HVM_SAVE_CODE(MTRR), 0) &&
	   find_rec(saved, used, HVM_SAVE_CODE(MTRR), 1), "an MTRR record for vcpu 0 and 1");
	size = used;
	used = qsize - 1;
	ok(gethvmcontext(dom, got, &used) == -ENOSPC,
	   "gethvmcontext into a buffer a byte short of that size: ENOSPC");

	ok(sethvmcontext(dom, saved, size) == 0, "sethvmcontext of those same bytes: 0");
	memcpy(got, saved, size);
	((struct hvm_save_header *)(got + sizeof(desc)))->magic ^= 1;
	ok(sethvmcontext(dom, got, size) == -EINVAL, "sethvmcontext with a bad magic: EINVAL");
	ok(sethvmcontext(dom, saved + sizeof(desc) + sizeof(hdr),
			 size - sizeof(desc) - sizeof(hdr)) == -ENODATA,
	   "sethvmcontext without the header: ENODATA");
	ok(sethvmcontext(dom, saved, size - sizeof(desc)) == -ENODATA,
	   "sethvmcontext without the END record: ENODATA");
	cpu = pvh_bsp(entry);
	ok(set_one_rec(dom, &hdr, HVM_SAVE_CODE(CPU), 5, &cpu, sizeof(cpu)) == -EINVAL,
	   "sethvmcontext with a CPU record for vcpu 5, absent: EINVAL");
	cpu.cr0 = X86_CR0_PE;
	ok(set_one_rec(dom, &hdr, HVM_SAVE_CODE(CPU), 0, &cpu, sizeof(cpu)) == -EINVAL,
	   "sethvmcontext with a CPU record whose CR0 lacks ET: EINVAL");
	ok(set_one_rec(dom, &hdr, 99, 0, any, 8) == -EINVAL,
	   "sethvmcontext with a record of unknown type 99: EINVAL");
	{
		/* An APIC moved away from 0xfee00000: WRMSR would not do it, nor may a load. */
		struct hvm_hw_lapic apic = {
			.apic_base_msr = 0xfed00000 | 0xc00, .disabled = 0, .timer_divisor = 2,
		};

		ok(set_one_rec(dom, &hdr, HVM_SAVE_CODE(LAPIC), 1, &apic, sizeof(apic)) == -EINVAL,
		   "sethvmcontext with a LAPIC record moving the APIC: EINVAL");
	}

	/* As vcpu_hvm() does: an MTRR record per vcpu, then the boot vcpu's CPU record. */
	mtrrp = find_rec(saved, size, HVM_SAVE_CODE(MTRR), 0);
	memcpy(&mtrr, mtrrp ? (void *)mtrrp : (void *)got, sizeof(mtrr));
	mtrr.msr_mtrr_def_type = MTRR_WB_ENABLED;
	ok_all = !!mtrrp;
	for (i = 0; i < 2; i++) {
		ok_all &= set_one_rec(dom, &hdr, HVM_SAVE_CODE(MTRR), i, &mtrr, sizeof(mtrr)) == 0;
	}
	ok(ok_all, "sethvmcontext of each vcpu's MTRR record, WB by default: 0");
	cpu = pvh_bsp(entry);
	r = set_one_rec(dom, &hdr, HVM_SAVE_CODE(CPU), 0, &cpu, sizeof(cpu));
	ok(r == 0, "sethvmcontext of the boot vcpu's record, rip %#lx: 0 (got %ld)",
	   (unsigned long)entry, r);
	g.bsp = 1;
	/* kxen's vcpu thread takes the new state; Xen's is there when the call returns. */
	for (i = 0; i < 100 && !(getvcpuinfo(dom, 0, &d) == 0 && d.u.getvcpuinfo.online); i++)
		sleep_us(50000);
	ok(d.u.getvcpuinfo.online && getvcpuinfo(dom, 1, &d) == 0 && !d.u.getvcpuinfo.online,
	   "then vcpu 0 is online, vcpu 1 still down");
	used = qsize;
	r = gethvmcontext(dom, got, &used);
	cpup = r ? NULL : find_rec(got, used, HVM_SAVE_CODE(CPU), 0);
	if (cpup)
		memcpy(&cpu, cpup, sizeof(cpu));
	ok(cpup && count_recs(got, used, HVM_SAVE_CODE(CPU)) == 1,
	   "gethvmcontext: 0, a CPU record for vcpu 0 alone (got %ld)", r);
	ok(cpup && cpu.rip == entry && cpu.cs_arbytes == 0xc9b &&
	   cpu.cr0 == (X86_CR0_PE | X86_CR0_ET),
	   "its rip %#lx, cs_arbytes %#x and cr0 %#lx, as loaded (the domain is paused)",
	   (unsigned long)cpu.rip, cpu.cs_arbytes, (unsigned long)cpu.cr0);
	mtrrp = r ? NULL : find_rec(got, used, HVM_SAVE_CODE(MTRR), 1);
	ok(mtrrp && mtrrp->msr_mtrr_def_type == MTRR_WB_ENABLED,
	   "and vcpu 1's MTRR record has the default type loaded");
	xsave_records(dom, &hdr, r ? NULL : got, used);
}

/* ---- The CPU policy: the host's HVM default, given back; then refusals. */
static void section_policy(void)
{
	xen_msr_entry_t msrs[2], bad_msr = { 0x12345678, 0, 0 };
	xen_cpuid_leaf_t *leaves = g.leaves;
	unsigned int i, nleaves, nmsrs, hidden;
	struct xen_sysctl s;
	struct xen_domctl d;
	uint32_t fs[19];
	domid_t dom;
	long r;

	need_dom();
	dom = g.dom;

	memset(&s, 0, sizeof(s));
	s.u.cpu_policy.index = XEN_SYSCTL_cpu_policy_hvm_default;
	r = sysctl(&s, XEN_SYSCTL_get_cpu_policy);
	ok(r == 0 && s.u.cpu_policy.nr_leaves == 120 && s.u.cpu_policy.nr_msrs == 2,
	   "get_cpu_policy with no buffers: 120 leaves, 2 MSRs at most (got %ld, %u, %u)", r,
	   s.u.cpu_policy.nr_leaves, s.u.cpu_policy.nr_msrs);
	memset(&s, 0, sizeof(s));
	s.u.cpu_policy.index = XEN_SYSCTL_cpu_policy_hvm_default;
	s.u.cpu_policy.nr_leaves = 120;
	s.u.cpu_policy.nr_msrs = 2;
	set_xen_guest_handle(s.u.cpu_policy.leaves, leaves);
	set_xen_guest_handle(s.u.cpu_policy.msrs, msrs);
	r = sysctl(&s, XEN_SYSCTL_get_cpu_policy);
	nleaves = s.u.cpu_policy.nr_leaves;
	nmsrs = s.u.cpu_policy.nr_msrs;
	ok(r == 0 && nleaves > 0 && nleaves <= 120 && nmsrs <= 2 && leaves[0].leaf == 0,
	   "get_cpu_policy of hvm_default: 0, %u leaves from leaf 0, %u MSRs", nleaves, nmsrs);
	g.nleaves = nleaves;
	g.policy = 1;
	memset(&d, 0, sizeof(d));
	d.u.cpu_policy.nr_leaves = nleaves;
	d.u.cpu_policy.nr_msrs = nmsrs;
	set_xen_guest_handle(d.u.cpu_policy.leaves, leaves);
	set_xen_guest_handle(d.u.cpu_policy.msrs, msrs);
	r = domctl(&d, XEN_DOMCTL_set_cpu_policy, dom);
	ok(r == 0, "set_cpu_policy of it: 0 (got %ld)", r);

	/* The domain's policy read back (libxenguest saves it): less what was hidden. */
	memset(&d, 0, sizeof(d));
	r = domctl(&d, XEN_DOMCTL_get_cpu_policy, dom);
	ok(r == 0 && d.u.cpu_policy.nr_leaves == 120 && d.u.cpu_policy.nr_msrs == 2,
	   "get_cpu_policy of d%u, no buffers: 120 leaves, 2 MSRs at most (got %ld, %u, %u)",
	   dom, r, d.u.cpu_policy.nr_leaves, d.u.cpu_policy.nr_msrs);
	for (i = 0; i < nleaves && leaves[i].leaf != 1; i++)
		;
	hidden = i < nleaves ? leaves[i].c & -leaves[i].c : 0;	/* its lowest ECX feature */
	if (hidden) {
		static xen_cpuid_leaf_t back[120];

		leaves[i].c &= ~hidden;
		memset(&d, 0, sizeof(d));
		d.u.cpu_policy.nr_leaves = nleaves;
		set_xen_guest_handle(d.u.cpu_policy.leaves, leaves);
		r = domctl(&d, XEN_DOMCTL_set_cpu_policy, dom);
		memset(&d, 0, sizeof(d));
		d.u.cpu_policy.nr_leaves = 120;
		set_xen_guest_handle(d.u.cpu_policy.leaves, back);
		set_xen_guest_handle(d.u.cpu_policy.msrs, msrs);
		d.u.cpu_policy.nr_msrs = 2;
		r = r ?: domctl(&d, XEN_DOMCTL_get_cpu_policy, dom);
		ok(r == 0 && d.u.cpu_policy.nr_leaves == nleaves && d.u.cpu_policy.nr_msrs == 0 &&
		   !memcmp(back, leaves, nleaves * sizeof(*leaves)),
		   "set_cpu_policy without leaf 1 ECX %#x, then get_cpu_policy: the same %u "
		   "leaves, no MSRs (got %ld, %u, %u)", hidden, nleaves, r,
		   d.u.cpu_policy.nr_leaves, d.u.cpu_policy.nr_msrs);
		leaves[i].c |= hidden;
	} else {
		ok(0, "the host policy's leaf 1 has an ECX feature to hide");
	}
	memset(&d, 0, sizeof(d));
	d.u.cpu_policy.nr_leaves = 1;
	set_xen_guest_handle(d.u.cpu_policy.leaves, &leaves[120]);
	ok(domctl(&d, XEN_DOMCTL_get_cpu_policy, dom) == -ENOBUFS,
	   "get_cpu_policy into room for 1 leaf: ENOBUFS");
	memset(&d, 0, sizeof(d));
	d.u.cpu_policy.nr_leaves = nleaves;
	set_xen_guest_handle(d.u.cpu_policy.leaves, leaves);
	ok(domctl(&d, XEN_DOMCTL_set_cpu_policy, dom) == 0, "set_cpu_policy, all again: 0");
	for (i = nleaves; i < 121; i++)
		leaves[i] = (xen_cpuid_leaf_t){ .leaf = 0x80000000 + i,
						.subleaf = XEN_CPUID_NO_SUBLEAF };
	memset(&d, 0, sizeof(d));
	d.u.cpu_policy.nr_leaves = 121;
	set_xen_guest_handle(d.u.cpu_policy.leaves, leaves);
	ok(domctl(&d, XEN_DOMCTL_set_cpu_policy, dom) == -E2BIG,
	   "set_cpu_policy of 121 leaves: E2BIG");
	memset(&d, 0, sizeof(d));
	leaves[120] = (xen_cpuid_leaf_t){ .leaf = 4, .subleaf = 9 };
	d.u.cpu_policy.nr_leaves = 1;
	set_xen_guest_handle(d.u.cpu_policy.leaves, &leaves[120]);
	d.u.cpu_policy.err_leaf = d.u.cpu_policy.err_subleaf = 0xdead;
	r = domctl(&d, XEN_DOMCTL_set_cpu_policy, dom);
	ok(r == -ERANGE && d.u.cpu_policy.err_leaf == 4 && d.u.cpu_policy.err_subleaf == 9,
	   "set_cpu_policy of leaf 4 subleaf 9: ERANGE, err_leaf 4, err_subleaf 9 "
	   "(got %ld, %#x, %#x)", r, d.u.cpu_policy.err_leaf, d.u.cpu_policy.err_subleaf);
	memset(&d, 0, sizeof(d));
	d.u.cpu_policy.nr_msrs = 1;
	set_xen_guest_handle(d.u.cpu_policy.msrs, &bad_msr);
	d.u.cpu_policy.err_msr = 0xdead;
	r = domctl(&d, XEN_DOMCTL_set_cpu_policy, dom);
	ok(r == -ERANGE && d.u.cpu_policy.err_msr == bad_msr.idx,
	   "set_cpu_policy of MSR %#x: ERANGE, err_msr names it (got %ld, %#x)", bad_msr.idx, r,
	   d.u.cpu_policy.err_msr);
	{
		/* Xen's two policy MSRs, as libxc restores them: with no feature, fine. */
		xen_msr_entry_t two[2] = { { 0xce, 0, 0 }, { 0x10a, 0, 0 } };

		memset(&d, 0, sizeof(d));
		d.u.cpu_policy.nr_msrs = 2;
		set_xen_guest_handle(d.u.cpu_policy.msrs, two);
		ok(domctl(&d, XEN_DOMCTL_set_cpu_policy, dom) == 0,
		   "set_cpu_policy of PLATFORM_INFO and ARCH_CAPABILITIES, both 0: 0");
		two[0].val = 1;
		ok(domctl(&d, XEN_DOMCTL_set_cpu_policy, dom) == -EINVAL,
		   "set_cpu_policy of PLATFORM_INFO with a feature kxen has not: EINVAL");
	}

	memset(&s, 0, sizeof(s));
	s.u.cpu_featureset.index = XEN_SYSCTL_cpu_featureset_host;
	s.u.cpu_featureset.nr_features = 19;
	set_xen_guest_handle(s.u.cpu_featureset.features, fs);
	r = sysctl(&s, XEN_SYSCTL_get_cpu_featureset);
	ok(r == 0 && s.u.cpu_featureset.nr_features == 19,
	   "get_cpu_featureset host, room for 19 words: 0, Xen 4.17.7's 19 words (got %ld, %u)",
	   r, s.u.cpu_featureset.nr_features);
	set_xen_guest_handle(s.u.cpu_featureset.features, NULL);
	s.u.cpu_featureset.nr_features = 0;
	r = sysctl(&s, XEN_SYSCTL_get_cpu_featureset);
	ok(r == 0 && s.u.cpu_featureset.nr_features == 19,
	   "get_cpu_featureset with no buffer: 0, and the size, 19 (got %ld, %u)", r,
	   s.u.cpu_featureset.nr_features);
	set_xen_guest_handle(s.u.cpu_featureset.features, fs);
	s.u.cpu_featureset.nr_features = 2;
	r = sysctl(&s, XEN_SYSCTL_get_cpu_featureset);
	ok(r == -ENOBUFS && s.u.cpu_featureset.nr_features == 2,
	   "get_cpu_featureset with room for 2: ENOBUFS, 2 words (got %ld, %u)", r,
	   s.u.cpu_featureset.nr_features);
	s.u.cpu_featureset.index = 9;
	s.u.cpu_featureset.nr_features = 19;
	ok(sysctl(&s, XEN_SYSCTL_get_cpu_featureset) == -EINVAL,
	   "get_cpu_featureset of index 9: EINVAL");
}

/* ---- The host as the toolstack reads it: NUMA nodes, CPU topology. */
static void section_host(void)
{
	static xen_sysctl_meminfo_t meminfo[64];
	static uint32_t distance[64 * 64];
	unsigned int i, ncpus, last_cpu, num_nodes;
	xen_sysctl_cputopo_t *topo;
	struct xen_sysctl s;
	uint32_t used;
	int ok_all;
	long r;

	memset(&s, 0, sizeof(s));
	r = sysctl(&s, XEN_SYSCTL_numainfo);
	num_nodes = s.u.numainfo.num_nodes;
	ok(r == 0 && num_nodes >= 1 && num_nodes <= 64,
	   "numainfo with no buffers: 0, %u nodes (got %ld)", num_nodes, r);
	if (num_nodes < 1 || num_nodes > 64)
		num_nodes = 1;
	s.u.numainfo.num_nodes = num_nodes;
	set_xen_guest_handle(s.u.numainfo.meminfo, meminfo);
	set_xen_guest_handle(s.u.numainfo.distance, distance);
	r = sysctl(&s, XEN_SYSCTL_numainfo);
	ok(r == 0 && meminfo[0].memsize > 0 && distance[0] == 10,
	   "numainfo: node 0 has memory, at distance 10 from itself (got %ld)", r);
	ncpus = present_cpus(&last_cpu);
	memset(&s, 0, sizeof(s));
	r = sysctl(&s, XEN_SYSCTL_cputopoinfo);
	ok(r == 0 && s.u.cputopoinfo.num_cpus == last_cpu,
	   "cputopoinfo with no buffer: 0, %u CPUs, the host's present ones (got %ld, %u)",
	   last_cpu, r, s.u.cputopoinfo.num_cpus);
	topo = calloc(last_cpu + 1, sizeof(*topo));
	if (!topo)
		bail("out of memory");
	s.u.cputopoinfo.num_cpus = last_cpu;
	set_xen_guest_handle(s.u.cputopoinfo.cputopo, topo);
	r = sysctl(&s, XEN_SYSCTL_cputopoinfo);
	ok_all = r == 0 && s.u.cputopoinfo.num_cpus == last_cpu;
	for (i = 0, used = 0; i < last_cpu; i++) {
		if (topo[i].node == XEN_INVALID_NODE_ID)
			continue;
		used++;
		ok_all &= topo[i].node < num_nodes;
	}
	ok(ok_all && used == ncpus, "cputopoinfo: each of the %u present CPUs on a node there is "
	   "(got %ld, %u)", ncpus, r, used);
	s.u.cputopoinfo.num_cpus = last_cpu - 1;
	r = sysctl(&s, XEN_SYSCTL_cputopoinfo);
	ok(r == 0 && s.u.cputopoinfo.num_cpus == last_cpu - 1,
	   "cputopoinfo into room for %u CPUs: 0, that many filled, as Xen (got %ld, %u)",
	   last_cpu - 1, r, s.u.cputopoinfo.num_cpus);
	free(topo);
}

/* ---- Scheduling, affinity, TSC and paging pool: what libxl sets. */
static void section_sched(void)
{
	struct xen_domctl d;
	uint8_t cpumap[8];
	domid_t dom;
	long r;

	need_dom();
	dom = g.dom;

	memset(&d, 0, sizeof(d));
	d.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
	d.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	r = domctl(&d, XEN_DOMCTL_scheduler_op, dom);
	ok(r == 0 && d.u.scheduler_op.u.credit2.weight == 256 &&
	   d.u.scheduler_op.u.credit2.cap == 0,
	   "scheduler_op credit2 getinfo: weight 256, cap 0 (got %ld, %u, %u)", r,
	   d.u.scheduler_op.u.credit2.weight, d.u.scheduler_op.u.credit2.cap);
	d.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
	d.u.scheduler_op.u.credit2.weight = 512;
	d.u.scheduler_op.u.credit2.cap = 0;
	r = domctl(&d, XEN_DOMCTL_scheduler_op, dom);
	memset(&d, 0, sizeof(d));
	d.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
	d.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	ok(r == 0 && domctl(&d, XEN_DOMCTL_scheduler_op, dom) == 0 &&
	   d.u.scheduler_op.u.credit2.weight == 512,
	   "scheduler_op credit2 putinfo weight 512: 0, and getinfo has 512");
	d.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
	ok(domctl(&d, XEN_DOMCTL_scheduler_op, dom) == -EINVAL,
	   "scheduler_op for credit, not the pool's scheduler: EINVAL");
	memset(&d, 0, sizeof(d));
	memset(cpumap, 0, sizeof(cpumap));
	cpumap[0] = 1;
	d.u.vcpuaffinity.vcpu = 0;
	d.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	set_xen_guest_handle(d.u.vcpuaffinity.cpumap_hard.bitmap, cpumap);
	d.u.vcpuaffinity.cpumap_hard.nr_bits = 8 * sizeof(cpumap);
	ok(domctl(&d, XEN_DOMCTL_setvcpuaffinity, dom) == 0, "setvcpuaffinity hard, CPU 0: 0");
	memset(cpumap, 0, sizeof(cpumap));
	r = domctl(&d, XEN_DOMCTL_getvcpuaffinity, dom);
	ok(r == 0 && (cpumap[0] & 1), "getvcpuaffinity hard: 0, CPU 0 in it (got %ld, %#x)", r,
	   cpumap[0]);
	d.u.vcpuaffinity.flags = 0;
	ok(domctl(&d, XEN_DOMCTL_setvcpuaffinity, dom) == -EINVAL,
	   "setvcpuaffinity neither hard nor soft: EINVAL");
	memset(&d, 0, sizeof(d));
	d.u.tsc_info.tsc_mode = 1;		/* always emulate */
	ok(domctl(&d, XEN_DOMCTL_settscinfo, dom) == -EOPNOTSUPP,
	   "settscinfo mode 1, always emulate: EOPNOTSUPP (kxen: the host's TSC)");
	d.u.tsc_info.tsc_mode = 0;
	ok(domctl(&d, XEN_DOMCTL_settscinfo, dom) == 0, "settscinfo mode 0, the default: 0");
	memset(&d, 0, sizeof(d));
	d.u.paging_mempool.size = 4 << 20;
	ok(domctl(&d, XEN_DOMCTL_set_paging_mempool_size, dom) == 0,
	   "set_paging_mempool_size 4 MiB: 0");
	d.u.paging_mempool.size = 4097;
	ok(domctl(&d, XEN_DOMCTL_set_paging_mempool_size, dom) == -EINVAL,
	   "set_paging_mempool_size 4097, not whole pages: EINVAL");
	memset(&d, 0, sizeof(d));
	r = domctl(&d, XEN_DOMCTL_get_paging_mempool_size, dom);
	ok(r == 0 && d.u.paging_mempool.size == 4 << 20,
	   "get_paging_mempool_size: 4 MiB (got %lu)", (unsigned long)d.u.paging_mempool.size);
}

/* ---- The first unpause: creation is over, the guest runs its hlt with IF clear. */
static void section_run(void)
{
	struct xen_domctl_getdomaininfo info;
	struct xen_domctl d;
	unsigned int i;
	domid_t dom;
	long r;

	need_map();
	need_bsp();
	need_policy();
	dom = g.dom;

	memset(&d, 0, sizeof(d));
	ok(domctl(&d, XEN_DOMCTL_unpausedomain, dom) == 0, "unpausedomain d%u: 0", dom);
	memset(&d, 0, sizeof(d));
	d.u.cpu_policy.nr_leaves = g.nleaves;
	set_xen_guest_handle(d.u.cpu_policy.leaves, g.leaves);
	ok(domctl(&d, XEN_DOMCTL_set_cpu_policy, dom) == -EEXIST,
	   "set_cpu_policy once the domain has run: EEXIST");
	for (i = 0; i < 400 && getdomaininfo(dom, &info) == 0 &&
		    !(info.flags & XEN_DOMINF_shutdown); i++)
		sleep_us(50000);
	ok((info.flags & XEN_DOMINF_shutdown) &&
	   (info.flags >> XEN_DOMINF_shutdownshift & XEN_DOMINF_shutdownmask) == SHUTDOWN_poweroff,
	   "its vcpu ran from rip: hlt with interrupts off, all down, powered off (flags %#x)",
	   info.flags);
	/* What `xl save` does when it gives up: the shutdown undone (the vcpus stay down). */
	memset(&d, 0, sizeof(d));
	r = domctl(&d, XEN_DOMCTL_resumedomain, dom);
	r = r ?: getdomaininfo(dom, &info);
	ok(r == 0 && !(info.flags & XEN_DOMINF_shutdown) &&
	   !(info.flags >> XEN_DOMINF_shutdownshift & XEN_DOMINF_shutdownmask),
	   "resumedomain: 0, and the domain is no longer shut down (got %ld, flags %#x)", r,
	   info.flags);
}

/* ---- The end: nothing left behind. */
static void section_end(void)
{
	domid_t dom;

	need_map();
	dom = g.dom;

	ok(destroy(dom) == 0, "destroydomain d%u: 0", dom);
	ok(gone(dom), "then getdomaininfo(%u): ESRCH or a later domain", dom);
	ok(munmap(g.map, 3 * PAGE) == 0, "munmap() of its frames, mapped all along: 0");
	g.map = NULL;
}

static const struct section {
	const char *name;
	void (*run)(void);
	const char *what;
} sections[] = {
	{ "create",	section_create,	"createdomain of a PVH guest; the configs refused" },
	{ "limits",	section_limits,	"max_vcpus, max_mem, the handle; dom0, absent domains" },
	{ "pool",	section_pool,	"the paging pool: its size, populate bounded by it" },
	{ "memory",	section_memory,	"populate_physmap, decrease_reservation, the rest" },
	{ "maps",	section_maps,	"foreign mappings: privcmd mmap(), MMAPBATCH_V2" },
	{ "grants",	section_grants,	"the grant table: MMAP_RESOURCE, gntdev, GRANT_COPY" },
	{ "hvm",	section_hvm,	"the HVM context: read, refused loads, boot state" },
	{ "policy",	section_policy,	"the CPU policy and featureset" },
	{ "host",	section_host,	"numainfo and cputopoinfo" },
	{ "sched",	section_sched,	"scheduler, affinity, TSC mode, paging pool size" },
	{ "run",	section_run,	"the first unpause: run, power off; resumedomain" },
	{ "end",	section_end,	"destroydomain: nothing left behind" },
};
#define NR_SECTIONS	(sizeof(sections) / sizeof(sections[0]))

static int usage(const char *argv0)
{
	unsigned int i;

	fprintf(stderr, "usage: %s [SECTION...]: all of them, or those, in this order:\n", argv0);
	for (i = 0; i < NR_SECTIONS; i++)
		fprintf(stderr, "  %-8s %s\n", sections[i].name, sections[i].what);
	return 2;
}

int main(int argc, char **argv)
{
	int want[NR_SECTIONS] = { 0 }, j;
	unsigned int i;

	for (j = 1; j < argc; j++) {
		for (i = 0; i < NR_SECTIONS && strcmp(argv[j], sections[i].name); i++)
			;
		if (i == NR_SECTIONS)
			return usage(argv[0]);
		want[i] = 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (open_privcmd())
		return 1;
	destroy_on_signals();
	g.absent = free_domid();
	if (!g.absent)
		bail("no free domid");
	for (i = 0; i < PAGE; i++)
		g.pattern[i] = i * 7 + 1;

	for (i = 0; i < NR_SECTIONS; i++)
		if (argc == 1 || want[i])
			sections[i].run();
	destroy_all();
	return done_testing();
}
