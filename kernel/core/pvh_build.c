// SPDX-License-Identifier: GPL-2.0
/*
 * kxen's own PVH domain builder: what libxenguest does for `xl create` of a PVH guest,
 * in small. Guest RAM from 0; the kernel's segments at their physical addresses; the
 * initrd after them; then one page holding struct hvm_start_info, the module list,
 * the memory map and the command line. vcpu 0 enters at the PHYS32_ENTRY with %ebx
 * pointing at the start info (docs/misc/pvh.pandoc in Xen).
 *
 * Below 4 GiB, as libxenguest lays it out: the special pages (the PV console ring
 * among them) in [0xfeff8000, 0xff000000), reserved in the memory map; RAM above
 * KXEN_PVH_LOWMEM_END continues from 4 GiB.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/interface/hvm/start_info.h>

#include <xen/interface/xen.h>
#include <xen/interface/hvm/params.h>

#include "../arch/x86/arch.h"
#include "../xen/event_channel.h"
#include "../xen/grant_table.h"
#include "domain.h"
#include "pvh_acpi.h"
#include "pvh_build.h"
#include "pvh_elf.h"

/* The start-info page: everything the kernel reads first, in one page. */
struct start_page {
	struct hvm_start_info info;
	struct hvm_modlist_entry mod;
	struct hvm_memmap_table_entry memmap[4];
	char cmdline[KXEN_PVH_CMDLINE_MAX];
};
static_assert(sizeof(struct start_page) <= PAGE_SIZE);
static_assert(sizeof(struct hvm_start_info) == 56);
static_assert(sizeof(struct hvm_modlist_entry) == 32);
static_assert(sizeof(struct hvm_memmap_table_entry) == 24);

/* libxenguest's special pages: 8 frames ending at 0xff000, the console's the last. */
#define SPECIAL_PFN(n)		(0xff000 - 8 + (n))
#define SPECIAL_CONSOLE		7
/* The ACPI tables, where libxl puts them for a PVH guest. */
#define ACPI_GPA		0xfc000000ULL

int kxen_pvh_build(struct kxen_domain *d, const struct kxen_pvh_image *img,
		   struct kxen_boot_state *boot)
{
	u64 mem = img->mem_pages << PAGE_SHIFT, low = min_t(u64, mem, KXEN_PVH_LOWMEM_END);
	u64 initrd_at, start_at;
	unsigned int n = 0;
	int port;
	struct kxen_pvh_elf *elf;
	struct start_page *sp;
	unsigned int i;
	int err;

	if (strnlen(img->cmdline, KXEN_PVH_CMDLINE_MAX) == KXEN_PVH_CMDLINE_MAX)
		return -E2BIG;
	elf = kmalloc(sizeof(*elf), GFP_KERNEL);
	sp = kzalloc(sizeof(*sp), GFP_KERNEL);
	err = -ENOMEM;
	if (!elf || !sp)
		goto out;
	err = kxen_pvh_elf_parse(img->kernel, img->kernel_size, low, elf);
	if (err)
		goto out;

	initrd_at = PAGE_ALIGN(elf->end);
	start_at = PAGE_ALIGN(initrd_at + img->initrd_size);
	err = -EFBIG;
	if (start_at + PAGE_SIZE > low)
		goto out;

	err = kxen_p2m_populate(d, 0, low >> PAGE_SHIFT);
	if (!err && mem > low)
		err = kxen_p2m_populate(d, 1ULL << (32 - PAGE_SHIFT), (mem - low) >> PAGE_SHIFT);
	if (!err)
		err = kxen_p2m_populate(d, SPECIAL_PFN(SPECIAL_CONSOLE), 1);
	if (!err)
		err = kxen_p2m_populate(d, ACPI_GPA >> PAGE_SHIFT, 1);
	if (!err)
		err = kxen_pvh_acpi_build(page_address(kxen_p2m_lookup(d, ACPI_GPA >> PAGE_SHIFT)),
					  ACPI_GPA, img->vcpus);
	if (err)
		goto out;
	/* The console: a ring page and a port that dom0's console daemon will bind. */
	port = kxen_evtchn_alloc_unbound(d, 0);
	if (port < 0) {
		err = port;
		goto out;
	}
	d->hvm_param[HVM_PARAM_CONSOLE_PFN] = SPECIAL_PFN(SPECIAL_CONSOLE);
	/* Ref 0 (GNTTAB_RESERVED_CONSOLE) grants the ring to dom0: xenconsoled maps it. */
	err = kxen_gnttab_seed(d, 0, SPECIAL_PFN(SPECIAL_CONSOLE));
	if (err)
		goto out;
	d->hvm_param[HVM_PARAM_CONSOLE_EVTCHN] = port;
	/* Fresh pages are zero: only the file's bytes need copying. */
	for (i = 0; i < elf->nr_segments && !err; i++)
		err = kxen_gpa_write(d, elf->seg[i].paddr, img->kernel + elf->seg[i].offset,
				     elf->seg[i].filesz);
	if (!err && img->initrd_size)
		err = kxen_gpa_write(d, initrd_at, img->initrd, img->initrd_size);
	if (err)
		goto out;

	sp->info.magic = XEN_HVM_START_MAGIC_VALUE;
	sp->info.version = 1;
	sp->info.cmdline_paddr = start_at + offsetof(struct start_page, cmdline);
	strscpy(sp->cmdline, img->cmdline, sizeof(sp->cmdline));
	if (img->initrd_size) {
		sp->info.nr_modules = 1;
		sp->info.modlist_paddr = start_at + offsetof(struct start_page, mod);
		sp->mod.paddr = initrd_at;
		sp->mod.size = img->initrd_size;
	}
	sp->info.rsdp_paddr = ACPI_GPA;
	sp->info.memmap_paddr = start_at + offsetof(struct start_page, memmap);
	sp->memmap[n++] = (struct hvm_memmap_table_entry){
		.addr = 0, .size = low, .type = XEN_HVM_MEMMAP_TYPE_RAM };
	sp->memmap[n++] = (struct hvm_memmap_table_entry){
		.addr = ACPI_GPA, .size = KXEN_ACPI_SIZE, .type = XEN_HVM_MEMMAP_TYPE_ACPI };
	sp->memmap[n++] = (struct hvm_memmap_table_entry){
		.addr = (u64)SPECIAL_PFN(0) << PAGE_SHIFT, .size = 8 << PAGE_SHIFT,
		.type = XEN_HVM_MEMMAP_TYPE_RESERVED };
	if (mem > low)
		sp->memmap[n++] = (struct hvm_memmap_table_entry){
			.addr = 1ULL << 32, .size = mem - low, .type = XEN_HVM_MEMMAP_TYPE_RAM };
	sp->info.memmap_entries = n;
	err = kxen_gpa_write(d, start_at, sp, sizeof(*sp));
	boot->eip = elf->entry;
	boot->ebx = start_at;
out:
	kfree(sp);
	kfree(elf);
	return err;
}
