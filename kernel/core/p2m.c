// SPDX-License-Identifier: GPL-2.0
/*
 * A domain's physical memory. Every guest frame is a page from Linux's allocator,
 * charged to the domain (and to the memory cgroup of whoever created it). The xarray
 * says which page backs which guest frame; the backend's nested page tables (NPT or
 * EPT) say the same to the hardware, and the two change together under p2m.lock.
 *
 * kxen reads and writes guest memory only here, through the xarray: a guest-physical
 * address that the domain does not own is -EFAULT, never somebody else's page.
 *
 * A few frames are not the domain's RAM but kxen's pages that the guest asked to see
 * (shared_info, grant-table frames): marked FOREIGN, they are unhooked, never freed,
 * when they move or the domain dies.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>

#include "domain.h"
#include "../arch/x86/arch.h"

#define FOREIGN	XA_MARK_1

int kxen_p2m_init(struct kxen_domain *d, unsigned long max_pages)
{
	struct kxen_p2m *p = &d->p2m;

	xa_init(&p->pages);
	mutex_init(&p->lock);
	p->max_pages = max_pages;
	return kxen_backend->p2m_init(d);
}

void kxen_p2m_destroy(struct kxen_domain *d)
{
	struct kxen_p2m *p = &d->p2m;
	struct page *page;
	unsigned long gfn;

	/* No vcpu runs any more: the nested tables can go first, then the pages. */
	kxen_backend->p2m_destroy(d);
	xa_for_each(&p->pages, gfn, page) {
		if (xa_get_mark(&p->pages, gfn, FOREIGN))
			continue;
		__free_page(page);
		p->nr_pages--;
	}
	xa_destroy(&p->pages);
	WARN_ON(p->nr_pages || p->nr_table_pages);
}

static void p2m_remove(struct kxen_domain *d, u64 gfn);

static int p2m_add(struct kxen_domain *d, u64 gfn)
{
	struct kxen_p2m *p = &d->p2m;
	struct page *page;
	int err;

	if (p->nr_pages >= p->max_pages)
		return -ENOMEM;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);
	if (!page)
		return -ENOMEM;
	err = xa_insert(&p->pages, gfn, page, GFP_KERNEL_ACCOUNT);
	/* RAM there already: the new page replaces it (Xen's p2m_add_page does too). */
	if (err == -EBUSY && !xa_get_mark(&p->pages, gfn, FOREIGN)) {
		p2m_remove(d, gfn);
		err = xa_insert(&p->pages, gfn, page, GFP_KERNEL_ACCOUNT);
	}
	if (err) {
		__free_page(page);
		return err;	/* -EBUSY: a page of kxen's is there (shared_info...) */
	}
	err = kxen_backend->p2m_map(d, gfn, page_to_pfn(page));
	if (err) {
		xa_erase(&p->pages, gfn);
		__free_page(page);
		return err;
	}
	p->nr_pages++;
	p->max_gfn = max(p->max_gfn, gfn);
	return 0;
}

int kxen_p2m_populate(struct kxen_domain *d, u64 gfn, unsigned long nr)
{
	unsigned long i;
	int err = 0;

	if (gfn + nr < gfn || gfn + nr > (1ULL << (52 - PAGE_SHIFT)))
		return -EINVAL;
	mutex_lock(&d->p2m.lock);
	for (i = 0; i < nr && !err; i++) {
		err = p2m_add(d, gfn + i);
		if (!(i & 1023))
			cond_resched();
	}
	/* All or nothing: what this call added goes again. */
	if (err)
		for (i--; i-- > 0; )
			p2m_remove(d, gfn + i);
	mutex_unlock(&d->p2m.lock);
	return err;
}

struct page *kxen_p2m_lookup(struct kxen_domain *d, u64 gfn)
{
	return xa_load(&d->p2m.pages, gfn);
}

struct page *kxen_p2m_lookup_ram(struct kxen_domain *d, u64 gfn)
{
	if (xa_get_mark(&d->p2m.pages, gfn, FOREIGN))
		return NULL;
	return xa_load(&d->p2m.pages, gfn);
}

/* Walk [gpa, gpa + len) a page at a time; fn copies one piece. */
static int gpa_access(struct kxen_domain *d, u64 gpa, void *buf, size_t len, bool write)
{
	while (len) {
		size_t off = offset_in_page(gpa), n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = kxen_p2m_lookup(d, gpa >> PAGE_SHIFT);
		void *va;

		if (!page)
			return -EFAULT;
		va = kmap_local_page(page);
		if (write)
			memcpy(va + off, buf, n);
		else
			memcpy(buf, va + off, n);
		kunmap_local(va);
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int kxen_gpa_read(struct kxen_domain *d, void *dst, u64 gpa, size_t len)
{
	return gpa_access(d, gpa, dst, len, false);
}

int kxen_gpa_write(struct kxen_domain *d, u64 gpa, const void *src, size_t len)
{
	return gpa_access(d, gpa, (void *)src, len, true);
}

/* Take gfn out of the guest's p2m, under p2m.lock; its RAM page is freed. */
static void p2m_remove(struct kxen_domain *d, u64 gfn)
{
	struct kxen_p2m *p = &d->p2m;
	bool foreign = xa_get_mark(&p->pages, gfn, FOREIGN);
	struct page *page = xa_erase(&p->pages, gfn);

	if (!page)
		return;
	kxen_backend->p2m_unmap(d, gfn);
	/* No vcpu may still reach the page through its TLB when it is freed. */
	kxen_domain_sync_vcpus(d);
	if (!foreign) {
		__free_page(page);
		p->nr_pages--;
	}
}

void kxen_p2m_remove(struct kxen_domain *d, u64 gfn)
{
	mutex_lock(&d->p2m.lock);
	p2m_remove(d, gfn);
	mutex_unlock(&d->p2m.lock);
}

int kxen_p2m_map_foreign(struct kxen_domain *d, u64 gfn, struct page *page)
{
	struct kxen_p2m *p = &d->p2m;
	int err;

	if (gfn >= (1ULL << (52 - PAGE_SHIFT)))
		return -EINVAL;
	mutex_lock(&p->lock);
	p2m_remove(d, gfn);
	err = xa_insert(&p->pages, gfn, page, GFP_KERNEL_ACCOUNT);
	if (!err) {
		xa_set_mark(&p->pages, gfn, FOREIGN);
		err = kxen_backend->p2m_map(d, gfn, page_to_pfn(page));
		if (err)
			xa_erase(&p->pages, gfn);
		else
			p->max_gfn = max(p->max_gfn, gfn);
	}
	mutex_unlock(&p->lock);
	return err;
}
