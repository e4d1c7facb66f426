// SPDX-License-Identifier: GPL-2.0
/*
 * Intel extended page tables: guest-physical to host-physical, four levels, the
 * Intel twin of npt.c. An entry's low bits are read, write and execute permission
 * rather than present and writable; a leaf also names the memory type (write-back:
 * the guest's own PAT still applies on top, as on real hardware). Only 4k leaves.
 *
 * The CPU caches guest-physical translations per EPT root and keeps them across VM
 * exits and entries: after kxen unmaps a frame, vmx.c flushes them (INVEPT) before a
 * vcpu of the domain runs again (kxen_domain_sync_vcpus() sets tlb_flush).
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>

#include "../../core/domain.h"
#include "ept.h"

#define EPT_R		BIT_ULL(0)
#define EPT_W		BIT_ULL(1)
#define EPT_X		BIT_ULL(2)
#define EPT_RWX		(EPT_R | EPT_W | EPT_X)
#define EPT_WB		(6ULL << 3)	/* leaf: memory type write-back */
#define EPT_ADDR	GENMASK_ULL(51, 12)
#define EPT_LEVELS	4

static struct page *ept_root(struct kxen_domain *d)
{
	return d->p2m.arch;
}

/* The EPT pointer: the root, a 4-level walk, write-back paging structures. */
u64 kxen_ept_pointer(struct kxen_domain *d)
{
	return page_to_phys(ept_root(d)) | ((EPT_LEVELS - 1) << 3) | 6;
}

static struct page *table_alloc(struct kxen_domain *d)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);

	if (page)
		d->p2m.nr_table_pages++;
	return page;
}

int kxen_ept_init(struct kxen_domain *d)
{
	d->p2m.arch = table_alloc(d);
	return d->p2m.arch ? 0 : -ENOMEM;
}

/* The leaf entry for gfn, building the tables on the way when alloc says so. */
static u64 *leaf_entry(struct kxen_domain *d, u64 gfn, bool alloc)
{
	u64 *table = page_address(ept_root(d));
	int level;

	if (gfn >> (9 * EPT_LEVELS))
		return NULL;	/* beyond what four levels reach */
	for (level = EPT_LEVELS - 1; level > 0; level--) {
		u64 *e = &table[(gfn >> (9 * level)) & 511];

		if (!(*e & EPT_RWX)) {
			struct page *page;

			if (!alloc)
				return NULL;
			page = table_alloc(d);
			if (!page)
				return NULL;
			*e = page_to_phys(page) | EPT_RWX;
		}
		table = __va(*e & EPT_ADDR);
	}
	return &table[gfn & 511];
}

int kxen_ept_map(struct kxen_domain *d, u64 gfn, u64 pfn)
{
	u64 *e = leaf_entry(d, gfn, true);

	if (!e)
		return gfn >> (9 * EPT_LEVELS) ? -EINVAL : -ENOMEM;
	WRITE_ONCE(*e, (pfn << PAGE_SHIFT) | EPT_RWX | EPT_WB);
	return 0;
}

void kxen_ept_unmap(struct kxen_domain *d, u64 gfn)
{
	u64 *e = leaf_entry(d, gfn, false);

	if (e)
		WRITE_ONCE(*e, 0);
}

static void table_free(struct kxen_domain *d, struct page *page, int level)
{
	u64 *table = page_address(page);
	int i;

	if (level > 1)
		for (i = 0; i < 512; i++)
			if (table[i] & EPT_RWX)
				table_free(d, pfn_to_page((table[i] & EPT_ADDR) >> PAGE_SHIFT),
					   level - 1);
	__free_page(page);
	d->p2m.nr_table_pages--;
}

void kxen_ept_destroy(struct kxen_domain *d)
{
	if (d->p2m.arch)
		table_free(d, ept_root(d), EPT_LEVELS);
	d->p2m.arch = NULL;
}
