// SPDX-License-Identifier: GPL-2.0
/*
 * AMD nested page tables: guest-physical to host-physical, in the ordinary x86-64
 * format, with as many levels as the host's own paging has (the CPU walks them in the
 * host's mode: five levels when the host runs with LA57). The hardware walks them as
 * user-mode accesses, so every entry carries U/S. Only 4k leaves for now: simple to
 * take apart page by page.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/tlbflush.h>

#include "../../core/domain.h"
#include "npt.h"

#define NPT_P		BIT_ULL(0)
#define NPT_RW		BIT_ULL(1)
#define NPT_US		BIT_ULL(2)
#define NPT_TABLE	(NPT_P | NPT_RW | NPT_US)
#define NPT_ADDR	GENMASK_ULL(51, 12)

static int levels(void)
{
	return (__read_cr4() & X86_CR4_LA57) ? 5 : 4;
}

static struct page *npt_root(struct kxen_domain *d)
{
	return d->p2m.arch;
}

u64 kxen_npt_root_pa(struct kxen_domain *d)
{
	return page_to_phys(npt_root(d));
}

static struct page *table_alloc(struct kxen_domain *d)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);

	if (page)
		d->p2m.nr_table_pages++;
	return page;
}

int kxen_npt_init(struct kxen_domain *d)
{
	d->p2m.arch = table_alloc(d);
	return d->p2m.arch ? 0 : -ENOMEM;
}

/* The leaf entry for gfn, building the tables on the way when alloc says so. */
static u64 *leaf_entry(struct kxen_domain *d, u64 gfn, bool alloc)
{
	u64 *table = page_address(npt_root(d));
	int level;

	for (level = levels() - 1; level > 0; level--) {
		u64 *e = &table[(gfn >> (9 * level)) & 511];

		if (!(*e & NPT_P)) {
			struct page *page;

			if (!alloc)
				return NULL;
			page = table_alloc(d);
			if (!page)
				return NULL;
			*e = page_to_phys(page) | NPT_TABLE;
		}
		table = __va(*e & NPT_ADDR);
	}
	return &table[gfn & 511];
}

int kxen_npt_map(struct kxen_domain *d, u64 gfn, u64 pfn)
{
	u64 *e = leaf_entry(d, gfn, true);

	if (!e)
		return -ENOMEM;
	WRITE_ONCE(*e, (pfn << PAGE_SHIFT) | NPT_P | NPT_RW | NPT_US);
	return 0;
}

void kxen_npt_unmap(struct kxen_domain *d, u64 gfn)
{
	u64 *e = leaf_entry(d, gfn, false);

	/* The caller makes the vcpus drop their TLB entries (kxen_domain_sync_vcpus). */
	if (e)
		WRITE_ONCE(*e, 0);
}

static void table_free(struct kxen_domain *d, struct page *page, int level)
{
	u64 *table = page_address(page);
	int i;

	if (level > 1)
		for (i = 0; i < 512; i++)
			if (table[i] & NPT_P)
				table_free(d, pfn_to_page((table[i] & NPT_ADDR) >> PAGE_SHIFT),
					   level - 1);
	__free_page(page);
	d->p2m.nr_table_pages--;
}

void kxen_npt_destroy(struct kxen_domain *d)
{
	if (d->p2m.arch)
		table_free(d, npt_root(d), levels());
	d->p2m.arch = NULL;
}
