// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page tables: the hardware's map of a domain's guest-physical memory to host
 * pages, which p2m.c keeps in step with its own. AMD's (NPT) are ordinary x86-64 page
 * tables with as many levels as the host's own paging (the CPU walks them in the
 * host's mode: five with LA57), walked as user-mode accesses, so every entry carries
 * U/S. Intel's (EPT) have four levels and read/write/execute bits instead of present
 * and writable; a leaf also names the memory type (write-back: the guest's own PAT
 * still applies on top, as on real hardware). Otherwise they are the same tree, built
 * here for both. Only 4k leaves: simple to take apart page by page.
 *
 * Removing a mapping is not enough: CPUs cache translations (by ASID on AMD, by EPT
 * root on Intel). The caller makes the vcpus drop them (kxen_domain_sync_vcpus()).
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/tlbflush.h>

#include "../../core/domain.h"
#include "nested_pt.h"

#define ADDR		GENMASK_ULL(51, 12)

struct format {
	u64 table;	/* a non-leaf entry's bits */
	u64 leaf;	/* a leaf's bits */
	u64 present;	/* any of these: the entry is there */
	bool ept;
};

/* NPT: present, writable, user. */
static const struct format npt = { 0x7, 0x7, 0x1, false };
/* EPT: read, write, execute; a leaf is write-back (memory type 6 in bits 5:3). */
static const struct format ept = { 0x7, 0x7 | (6 << 3), 0x7, true };

static int levels(const struct format *f)
{
	return f->ept ? 4 : (__read_cr4() & X86_CR4_LA57) ? 5 : 4;
}

static struct page *root(struct kxen_domain *d)
{
	return d->p2m.arch;
}

/* Tables come from the domain's paging pool (p2m.c), under p2m.lock. */
int kxen_nested_pt_init(struct kxen_domain *d)
{
	d->p2m.arch = kxen_p2m_table_alloc(d);
	return d->p2m.arch ? 0 : -ENOMEM;
}

/* The leaf entry for gfn, building the tables on the way when alloc says so. */
static u64 *leaf_entry(const struct format *f, struct kxen_domain *d, u64 gfn, bool alloc)
{
	u64 *table = page_address(root(d));
	int level;

	if (gfn >> (9 * levels(f)))
		return NULL;	/* beyond what the tables reach */
	for (level = levels(f) - 1; level > 0; level--) {
		u64 *e = &table[(gfn >> (9 * level)) & 511];

		if (!(*e & f->present)) {
			struct page *page;

			if (!alloc)
				return NULL;
			page = kxen_p2m_table_alloc(d);
			if (!page)
				return NULL;
			*e = page_to_phys(page) | f->table;
		}
		table = __va(*e & ADDR);
	}
	return &table[gfn & 511];
}

static int map(const struct format *f, struct kxen_domain *d, u64 gfn, u64 pfn)
{
	u64 *e = leaf_entry(f, d, gfn, true);

	if (!e)
		return gfn >> (9 * levels(f)) ? -EINVAL : -ENOMEM;
	WRITE_ONCE(*e, (pfn << PAGE_SHIFT) | f->leaf);
	return 0;
}

static void unmap(const struct format *f, struct kxen_domain *d, u64 gfn)
{
	u64 *e = leaf_entry(f, d, gfn, false);

	if (e)
		WRITE_ONCE(*e, 0);
}

static void table_free(const struct format *f, struct kxen_domain *d, struct page *page,
		       int level)
{
	u64 *table = page_address(page);
	int i;

	if (level > 1)
		for (i = 0; i < 512; i++)
			if (table[i] & f->present)
				table_free(f, d, pfn_to_page((table[i] & ADDR) >> PAGE_SHIFT),
					   level - 1);
	kxen_p2m_table_free(d, page);
}

static void destroy(const struct format *f, struct kxen_domain *d)
{
	if (d->p2m.arch)
		table_free(f, d, root(d), levels(f));
	d->p2m.arch = NULL;
}

/* AMD: the root goes into the VMCB's nested CR3. */
u64 kxen_npt_root_pa(struct kxen_domain *d)
{
	return page_to_phys(root(d));
}

int kxen_npt_map(struct kxen_domain *d, u64 gfn, u64 pfn)
{
	return map(&npt, d, gfn, pfn);
}

void kxen_npt_unmap(struct kxen_domain *d, u64 gfn)
{
	unmap(&npt, d, gfn);
}

void kxen_npt_destroy(struct kxen_domain *d)
{
	destroy(&npt, d);
}

/* Intel: the EPT pointer, a 4-level walk of write-back tables. */
u64 kxen_ept_pointer(struct kxen_domain *d)
{
	return page_to_phys(root(d)) | (3 << 3) | 6;
}

int kxen_ept_map(struct kxen_domain *d, u64 gfn, u64 pfn)
{
	return map(&ept, d, gfn, pfn);
}

void kxen_ept_unmap(struct kxen_domain *d, u64 gfn)
{
	unmap(&ept, d, gfn);
}

void kxen_ept_destroy(struct kxen_domain *d)
{
	destroy(&ept, d);
}
