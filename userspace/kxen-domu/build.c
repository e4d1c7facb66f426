// SPDX-License-Identifier: GPL-2.0
/*
 * Building a PVH domain over dom0's ABI alone, in the order libxl and libxenguest do
 * it for `xl create`, less everything that needs xenstore: createdomain, max_vcpus,
 * max_mem, the paging pool, the RAM populated, the image loaded through foreign
 * mappings, the console ring and port as HVM params, vcpu 0's entry state as an HVM
 * context, unpause.
 *
 * Guest-physical layout, as libxenguest's for a PVH guest: RAM from 0 (above
 * LOWMEM_END it continues at 4 GiB); the kernel's segments at their physical
 * addresses, the initrd after them, then one page with struct hvm_start_info, the
 * module list, the memory map and the command line; the special pages (the console
 * ring the last of them) reserved in [0xfeff8000, 0xff000000); the ACPI tables where
 * libxl puts a PVH guest's. vcpu 0 enters at the PHYS32_ENTRY in flat 32-bit protected
 * mode with %ebx pointing at the start info (docs/misc/pvh.pandoc in Xen's source).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "types.h"
#include "pvh_acpi.h"
#include "pvh_elf.h"
#include "xen.h"
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/hvm/params.h>
#include <xen/hvm/save.h>
#include <xen/arch-x86/hvm/start_info.h>

#define LOWMEM_END	0xf0000000ULL
#define SPECIAL_PFN(n)	(0xff000 - 8 + (n))	/* libxenguest's 8 special frames */
#define SPECIAL_CONSOLE	7
#define ACPI_GPA	0xfc000000ULL
#define EXTRA_PAGES	2			/* the console ring and the ACPI page */
#define CMDLINE_MAX	2048
#define MAP_CHUNK	4096UL			/* frames mapped at a time */

/* The start-info page: everything the kernel reads first, in one page. */
struct start_page {
	struct hvm_start_info info;
	struct hvm_modlist_entry mod;
	struct hvm_memmap_table_entry memmap[4];
	char cmdline[CMDLINE_MAX];
};
_Static_assert(sizeof(struct start_page) <= PAGE_SIZE, "one page");
_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry");

/* The memory map as XENMEM_set_memory_map takes it (Xen's e820 entry). */
struct e820entry {
	uint64_t addr, size;
	uint32_t type;
} __packed;
_Static_assert(sizeof(struct e820entry) == 20, "e820entry");

/* The guest's memory map, in start-info form: RAM, the ACPI tables, special pages. */
static unsigned int memory_map(uint64_t mem, uint64_t low, struct hvm_memmap_table_entry *m)
{
	unsigned int n = 0;

	m[n++] = (struct hvm_memmap_table_entry){
		.addr = 0, .size = low, .type = XEN_HVM_MEMMAP_TYPE_RAM };
	m[n++] = (struct hvm_memmap_table_entry){
		.addr = ACPI_GPA, .size = KXEN_ACPI_SIZE, .type = XEN_HVM_MEMMAP_TYPE_ACPI };
	m[n++] = (struct hvm_memmap_table_entry){
		.addr = (uint64_t)SPECIAL_PFN(0) << PAGE_SHIFT, .size = 8 * PAGE_SIZE,
		.type = XEN_HVM_MEMMAP_TYPE_RESERVED };
	if (mem > low)
		m[n++] = (struct hvm_memmap_table_entry){
			.addr = 1ULL << 32, .size = mem - low, .type = XEN_HVM_MEMMAP_TYPE_RAM };
	return n;
}

/* The same map for XENMEM_memory_map, as libxl sets it: the guest may ask for it. */
static long set_memory_map(domid_t dom, const struct hvm_memmap_table_entry *m,
			   unsigned int n)
{
	struct e820entry e820[4];
	struct xen_foreign_memory_map fm = { .domid = dom, .map.nr_entries = n };
	unsigned int i;

	for (i = 0; i < n; i++)	/* the HVM_MEMMAP types are e820's */
		e820[i] = (struct e820entry){ m[i].addr, m[i].size, m[i].type };
	set_xen_guest_handle(fm.map.buffer, e820);
	return xen_memory_op(XENMEM_set_memory_map, &fm);
}

/*
 * A whole file, mapped read-only (no copy of a 60 MB vmlinux); NULL with errno set,
 * EINVAL for an empty one.
 */
static void *map_file(const char *path, size_t *size)
{
	struct stat st;
	void *p = MAP_FAILED;
	int e, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st)) {
		*size = st.st_size;
		if (st.st_size)
			p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		else
			errno = EINVAL;
	}
	e = errno;
	close(fd);
	errno = e;
	return p == MAP_FAILED ? NULL : p;
}

/* Copy len bytes into the domain's memory at gpa, through foreign mappings. */
static int gpa_write(domid_t dom, uint64_t gpa, const void *src, size_t len)
{
	while (len) {
		uint64_t gfn = gpa >> PAGE_SHIFT, off = gpa & (PAGE_SIZE - 1);
		unsigned long nr = (off + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
		size_t n;
		char *p;

		if (nr > MAP_CHUNK)
			nr = MAP_CHUNK;
		n = nr * PAGE_SIZE - off;
		if (n > len)
			n = len;
		p = xen_map(dom, gfn, nr);
		if (!p)
			return -errno;
		memcpy(p + off, src, n);
		xen_unmap(p, nr);
		gpa += n;
		src = (const char *)src + n;
		len -= n;
	}
	return 0;
}

/*
 * RAM at [gfn, gfn + nr): 2 MiB extents where aligned, as libxenguest prefers, and
 * 4 KiB frames from where the hypervisor has no 2 MiB ones left.
 */
static int populate(domid_t dom, uint64_t gfn, uint64_t nr)
{
	xen_pfn_t batch[512];
	unsigned int order, n;
	bool superpages = true;
	long r;

	while (nr) {
		order = superpages && !(gfn & 511) && nr >= 512 ? 9 : 0;
		for (n = 0; n < 512 && nr >= 1ULL << order; n++) {
			batch[n] = gfn;
			gfn += 1ULL << order;
			nr -= 1ULL << order;
		}
		r = xen_populate(dom, batch, n, order);
		if (r >= 0 && r < n && order) {
			/* Extents done stay; the rest again, a frame at a time. */
			gfn = batch[r];
			nr += (uint64_t)(n - r) << order;
			superpages = false;
			continue;
		}
		if (r != n)
			return r < 0 ? r : -ENOMEM;
	}
	return 0;
}

/*
 * libxenguest's grant seeding: the reserved ref GNTTAB_RESERVED_CONSOLE grants the
 * console ring to dom0, so that xenconsoled (or any backend) can map it by grant.
 */
static int seed_console_grant(domid_t dom, uint64_t gfn)
{
	struct grant_entry_v1 *gnttab = xen_map_grant_table(dom);

	if (!gnttab)
		return -errno;
	gnttab[GNTTAB_RESERVED_CONSOLE].domid = 0;
	gnttab[GNTTAB_RESERVED_CONSOLE].frame = gfn;
	__atomic_store_n(&gnttab[GNTTAB_RESERVED_CONSOLE].flags, GTF_permit_access,
			 __ATOMIC_RELEASE);	/* the frame, then the flag that makes it live */
	xen_unmap(gnttab, 1);
	return 0;
}

/* vcpu 0 at the PVH entry: the HVM context libxenguest sets for it (HEADER, CPU, END). */
static long set_entry_state(domid_t dom, uint32_t eip, uint32_t ebx)
{
	struct {
		struct hvm_save_descriptor h_d;
		struct hvm_save_header h;
		struct hvm_save_descriptor c_d;
		struct hvm_hw_cpu c;
		struct hvm_save_descriptor end;
	} __packed ctx;
	struct xen_domctl d;

	memset(&ctx, 0, sizeof(ctx));
	ctx.h_d = (struct hvm_save_descriptor){ HVM_SAVE_CODE(HEADER), 0,
						HVM_SAVE_LENGTH(HEADER) };
	ctx.h.magic = HVM_FILE_MAGIC;
	ctx.h.version = HVM_FILE_VERSION;
	ctx.c_d = (struct hvm_save_descriptor){ HVM_SAVE_CODE(CPU), 0, HVM_SAVE_LENGTH(CPU) };
	ctx.c.cr0 = 0x11;			/* PE, ET */
	ctx.c.rflags = 0x2;
	ctx.c.rip = eip;
	ctx.c.rbx = ebx;
	ctx.c.dr6 = 0xffff0ff0;
	ctx.c.dr7 = 0x400;
	ctx.c.cs_limit = ctx.c.ds_limit = ctx.c.es_limit = ctx.c.ss_limit = ~0u;
	ctx.c.fs_limit = ctx.c.gs_limit = ~0u;
	ctx.c.cs_arbytes = 0xc9b;		/* 32-bit code, 4k granular */
	ctx.c.ds_arbytes = ctx.c.es_arbytes = ctx.c.ss_arbytes = 0xc93;
	ctx.c.fs_arbytes = ctx.c.gs_arbytes = 0xc93;
	ctx.c.tr_arbytes = 0x8b;		/* a busy 32-bit TSS */
	ctx.c.tr_limit = 0x67;
	ctx.end = (struct hvm_save_descriptor){ HVM_SAVE_CODE(END), 0, 0 };

	memset(&d, 0, sizeof(d));
	d.u.hvmcontext.size = sizeof(ctx);
	set_xen_guest_handle(d.u.hvmcontext.buffer, (uint8_t *)&ctx);
	return xen_domctl(&d, XEN_DOMCTL_sethvmcontext, dom);
}

static long create_domain(const struct domu_config *cfg, domid_t *dom)
{
	struct xen_domctl d;
	long r;

	memset(&d, 0, sizeof(d));
	d.u.createdomain = (struct xen_domctl_createdomain){
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
		.max_vcpus = cfg->vcpus,
		.max_evtchn_port = 1023,
		.max_grant_frames = -1,
		.max_maptrack_frames = -1,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
		.arch.emulation_flags = XEN_X86_EMU_LAPIC,
	};
	r = xen_domctl(&d, XEN_DOMCTL_createdomain, 0);
	*dom = d.domain;
	return r;
}

static long build(domid_t dom, const struct domu_config *cfg, const void *kernel,
		  size_t kernel_size, const void *initrd, size_t initrd_size)
{
	uint64_t mem = (uint64_t)cfg->mem_mib << 20;
	uint64_t low = mem < LOWMEM_END ? mem : LOWMEM_END;
	uint64_t initrd_at, start_at, acpi[KXEN_ACPI_SIZE / 8];
	struct kxen_pvh_elf elf;
	struct start_page sp;
	struct xen_domctl d;
	unsigned int i, n;
	long r, port;

	if (strlen(cfg->cmdline) >= CMDLINE_MAX)
		return -E2BIG;
	r = kxen_pvh_elf_parse(kernel, kernel_size, low, &elf);
	if (r)
		return r;
	initrd_at = (elf.end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	start_at = (initrd_at + initrd_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (start_at + PAGE_SIZE > low)
		return -EFBIG;

	memset(&d, 0, sizeof(d));
	d.u.max_vcpus.max = cfg->vcpus;
	r = xen_domctl(&d, XEN_DOMCTL_max_vcpus, dom);
	if (r)
		return r;
	memset(&d, 0, sizeof(d));
	d.u.max_mem.max_memkb = (mem >> 10) + EXTRA_PAGES * (PAGE_SIZE >> 10);
	r = xen_domctl(&d, XEN_DOMCTL_max_mem, dom);
	/* The nested page tables' pool, as libxl sizes it: 1 MiB a vcpu, 4 KiB a MiB of RAM. */
	memset(&d, 0, sizeof(d));
	d.u.paging_mempool.size = ((uint64_t)cfg->vcpus << 20) + ((uint64_t)cfg->mem_mib << 12);
	if (!r)
		r = xen_domctl(&d, XEN_DOMCTL_set_paging_mempool_size, dom);
	if (!r)
		r = populate(dom, 0, low >> PAGE_SHIFT);
	if (!r && mem > low)
		r = populate(dom, 1ULL << (32 - PAGE_SHIFT), (mem - low) >> PAGE_SHIFT);
	if (!r)
		r = populate(dom, SPECIAL_PFN(SPECIAL_CONSOLE), 1);
	if (!r)
		r = populate(dom, ACPI_GPA >> PAGE_SHIFT, 1);
	if (r)
		return r;

	/* The console: a ring page and a port for dom0's console reader to bind. */
	port = xen_alloc_unbound(dom, 0);
	if (port < 0)
		return port;
	r = xen_set_param(dom, HVM_PARAM_CONSOLE_PFN, SPECIAL_PFN(SPECIAL_CONSOLE));
	if (!r)
		r = xen_set_param(dom, HVM_PARAM_CONSOLE_EVTCHN, port);
	if (!r)
		r = seed_console_grant(dom, SPECIAL_PFN(SPECIAL_CONSOLE));
	if (r)
		return r;

	/* New frames are zero: only the file's bytes need copying. */
	for (i = 0; i < elf.nr_segments && !r; i++)
		r = gpa_write(dom, elf.seg[i].paddr, (const char *)kernel + elf.seg[i].offset,
			      elf.seg[i].filesz);
	if (!r && initrd_size)
		r = gpa_write(dom, initrd_at, initrd, initrd_size);
	if (!r)
		r = kxen_pvh_acpi_build(acpi, ACPI_GPA, cfg->vcpus);
	if (!r)
		r = gpa_write(dom, ACPI_GPA, acpi, sizeof(acpi));
	if (r)
		return r;

	memset(&sp, 0, sizeof(sp));
	n = memory_map(mem, low, sp.memmap);
	r = set_memory_map(dom, sp.memmap, n);
	if (r)
		return r;
	sp.info.magic = XEN_HVM_START_MAGIC_VALUE;
	sp.info.version = 1;
	sp.info.cmdline_paddr = start_at + offsetof(struct start_page, cmdline);
	strcpy(sp.cmdline, cfg->cmdline);
	if (initrd_size) {
		sp.info.nr_modules = 1;
		sp.info.modlist_paddr = start_at + offsetof(struct start_page, mod);
		sp.mod.paddr = initrd_at;
		sp.mod.size = initrd_size;
	}
	sp.info.rsdp_paddr = ACPI_GPA;
	sp.info.memmap_paddr = start_at + offsetof(struct start_page, memmap);
	sp.info.memmap_entries = n;
	r = gpa_write(dom, start_at, &sp, sizeof(sp));
	if (!r)
		r = set_entry_state(dom, elf.entry, start_at);
	return r;
}

long domu_create(const struct domu_config *cfg, domid_t *dom)
{
	void *kernel, *initrd = NULL;
	size_t kernel_size, initrd_size = 0;
	struct xen_domctl d;
	long r;

	kernel = map_file(cfg->kernel, &kernel_size);
	if (!kernel)
		return -errno;
	if (cfg->initrd) {
		initrd = map_file(cfg->initrd, &initrd_size);
		if (!initrd) {
			r = -errno;
			goto out;
		}
	}
	r = create_domain(cfg, dom);
	if (r)
		goto out;
	r = build(*dom, cfg, kernel, kernel_size, initrd, initrd_size);
	memset(&d, 0, sizeof(d));
	if (!r)
		r = xen_domctl(&d, XEN_DOMCTL_unpausedomain, *dom);
	if (r) {
		memset(&d, 0, sizeof(d));
		xen_domctl(&d, XEN_DOMCTL_destroydomain, *dom);
	}
out:
	if (initrd)
		munmap(initrd, initrd_size);
	munmap(kernel, kernel_size);
	return r;
}
