// SPDX-License-Identifier: GPL-2.0
/*
 * kxen's own PVH domain builder: what libxenguest does for `xl create` of a PVH guest,
 * in small. Guest RAM from 0; the kernel's segments at their physical addresses; the
 * initrd after them; then one page holding struct hvm_start_info, the module list,
 * the memory map and the command line. vcpu 0 enters at the PHYS32_ENTRY with %ebx
 * pointing at the start info (docs/misc/pvh.pandoc in Xen).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/interface/hvm/start_info.h>

#include "../arch/x86/arch.h"
#include "domain.h"
#include "pvh_build.h"
#include "pvh_elf.h"

/* The start-info page: everything the kernel reads first, in one page. */
struct start_page {
	struct hvm_start_info info;
	struct hvm_modlist_entry mod;
	struct hvm_memmap_table_entry memmap[1];
	char cmdline[KXEN_PVH_CMDLINE_MAX];
};
static_assert(sizeof(struct start_page) <= PAGE_SIZE);
static_assert(sizeof(struct hvm_start_info) == 56);
static_assert(sizeof(struct hvm_modlist_entry) == 32);
static_assert(sizeof(struct hvm_memmap_table_entry) == 24);

int kxen_pvh_build(struct kxen_domain *d, const struct kxen_pvh_image *img,
		   struct kxen_boot_state *boot)
{
	u64 mem = img->mem_pages << PAGE_SHIFT, initrd_at, start_at;
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
	err = kxen_pvh_elf_parse(img->kernel, img->kernel_size, mem, elf);
	if (err)
		goto out;

	initrd_at = PAGE_ALIGN(elf->end);
	start_at = PAGE_ALIGN(initrd_at + img->initrd_size);
	err = -EFBIG;
	if (start_at + PAGE_SIZE > mem)
		goto out;

	err = kxen_p2m_populate(d, 0, img->mem_pages);
	if (err)
		goto out;
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
	sp->info.memmap_paddr = start_at + offsetof(struct start_page, memmap);
	sp->info.memmap_entries = ARRAY_SIZE(sp->memmap);
	sp->memmap[0].addr = 0;
	sp->memmap[0].size = mem;
	sp->memmap[0].type = XEN_HVM_MEMMAP_TYPE_RAM;
	err = kxen_gpa_write(d, start_at, sp, sizeof(*sp));
	boot->eip = elf->entry;
	boot->ebx = start_at;
out:
	kfree(sp);
	kfree(elf);
	return err;
}
