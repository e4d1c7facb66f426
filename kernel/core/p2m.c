// SPDX-License-Identifier: GPL-2.0
/*
 * A domain's physical memory. Every guest frame is a page from Linux's allocator,
 * charged to the domain (and to the memory cgroup of whoever created it). The xarray
 * says which page backs which guest frame; the backend's nested page tables (NPT or
 * EPT) say the same to the hardware, and the two change together under p2m.lock.
 *
 * A few frames are not the domain's RAM but kxen's pages that the guest asked to see
 * (shared_info, grant-table frames): marked FOREIGN, they are unhooked, never freed,
 * when they move or the domain dies.
 *
 * The rule for a guest page's life (Documentation/03-domains.md, "Who frees a page"):
 *
 *   The p2m holds one reference to each RAM page while the page is in the xarray.
 *   Whoever else touches a guest page holds a reference of its own for the whole
 *   access, taken with kxen_p2m_get_page() and dropped with put_page(): a copy to or
 *   from the guest (one page at a time), a foreign mapping in a dom0 process (the
 *   mapping's own reference, from vm_insert_page()), a grant mapped or copied by dom0,
 *   a registered vcpu_info. Taking a frame out of the p2m (the guest gives it back,
 *   populate replaces it, the domain dies) drops only the p2m's reference; the page
 *   is freed by whoever drops the last one. The nested page tables hold no reference:
 *   a frame leaves them, and every vcpu leaves guest mode (its TLB), before the p2m's
 *   reference goes.
 *
 * So no pointer from the xarray is ever used without a reference; there is no way to
 * get one (kxen_p2m_get_page() is the only lookup that returns a page).
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>

#include "domain.h"
#include "../arch/x86/arch.h"

#define FOREIGN	XA_MARK_1

/* The frames a guest may name: what 52-bit physical addresses reach. */
#define GFN_LIMIT	(1ULL << (52 - PAGE_SHIFT))

/*
 * The paging pool. Nested page tables grow with every region of guest-physical space
 * a guest populates, and stay until it dies (kxen, like Xen, does not take empty
 * tables apart), so a guest giving frames back and populating new ones further on
 * could grow them without end. As in Xen, they come from a pool the toolstack sets
 * aside for the domain (libxl: 1 MiB per vcpu and a page per MiB of RAM); when it is
 * spent, populating a new region fails with -ENOMEM. A new domain's pool is Xen's
 * initial one, 256 pages.
 */
#define POOL_INITIAL	256

static void pool_shrink(struct kxen_p2m *p, unsigned long free)
{
	struct page *page;

	while (p->pool_free > free) {
		page = list_first_entry(&p->pool, struct page, lru);
		list_del(&page->lru);
		p->pool_free--;
		__free_page(page);
	}
}

/* Pool of 'pages' in all, counting those in use; below what is in use, just those. */
static int pool_set(struct kxen_p2m *p, unsigned long pages)
{
	unsigned long free = pages > p->nr_table_pages ? pages - p->nr_table_pages : 0;
	struct page *page;

	lockdep_assert_held(&p->lock);
	pool_shrink(p, free);
	while (p->pool_free < free) {
		/* Not at any price: a dom0 asking too much gets -ENOMEM, not the OOM killer. */
		page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN);
		if (!page)
			return -ENOMEM;
		list_add(&page->lru, &p->pool);
		p->pool_free++;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

struct page *kxen_p2m_table_alloc(struct kxen_domain *d)
{
	struct kxen_p2m *p = &d->p2m;
	struct page *page;

	lockdep_assert_held(&p->lock);
	page = list_first_entry_or_null(&p->pool, struct page, lru);
	if (!page)
		return NULL;
	list_del(&page->lru);
	p->pool_free--;
	p->nr_table_pages++;
	clear_highpage(page);
	return page;
}

void kxen_p2m_table_free(struct kxen_domain *d, struct page *page)
{
	struct kxen_p2m *p = &d->p2m;

	lockdep_assert_held(&p->lock);
	list_add(&page->lru, &p->pool);
	p->pool_free++;
	p->nr_table_pages--;
}

int kxen_p2m_pool_set(struct kxen_domain *d, unsigned long pages)
{
	struct kxen_p2m *p = &d->p2m;
	int err = -ESRCH;

	mutex_lock(&p->lock);
	if (!p->closed) {
		unsigned long was = p->nr_table_pages + p->pool_free;

		/* More than the host has can never be: Xen's answer without trying. */
		err = pages > totalram_pages() ? -ENOMEM : pool_set(p, pages);
		/*
		 * Xen keeps what it could allocate of a pool it failed to fill; here that
		 * would be memory taken from dom0 itself, so it goes back.
		 */
		if (err)
			pool_set(p, was);
	}
	mutex_unlock(&p->lock);
	return err;
}

unsigned long kxen_p2m_pool_size(struct kxen_domain *d)
{
	struct kxen_p2m *p = &d->p2m;
	unsigned long pages;

	mutex_lock(&p->lock);
	pages = p->nr_table_pages + p->pool_free;
	mutex_unlock(&p->lock);
	return pages;
}

int kxen_p2m_init(struct kxen_domain *d, unsigned long max_pages)
{
	struct kxen_p2m *p = &d->p2m;
	int err;

	xa_init(&p->pages);
	mutex_init(&p->lock);
	INIT_LIST_HEAD(&p->pool);
	p->max_pages = max_pages;
	mutex_lock(&p->lock);
	err = pool_set(p, POOL_INITIAL);
	if (!err)
		err = kxen_backend->p2m_init(d);
	if (err)
		pool_shrink(p, 0);
	mutex_unlock(&p->lock);
	return err;
}

/*
 * Dom0's memory is Linux's, not kxen's: its p2m is empty and closed, so that a
 * toolstack naming domain 0 in a memory_op gets an error, never a page.
 */
void kxen_p2m_init_closed(struct kxen_domain *d)
{
	xa_init(&d->p2m.pages);
	mutex_init(&d->p2m.lock);
	INIT_LIST_HEAD(&d->p2m.pool);
	d->p2m.closed = true;
}

/*
 * The domain is going: no vcpu runs any more, and nothing can be added from now on
 * (populate_physmap from dom0 may race this). Each page loses the p2m's reference;
 * one still mapped by dom0 or in the middle of a copy is freed by that holder.
 */
void kxen_p2m_destroy(struct kxen_domain *d)
{
	struct kxen_p2m *p = &d->p2m;
	struct page *page;
	unsigned long gfn;

	mutex_lock(&p->lock);
	p->closed = true;
	kxen_backend->p2m_destroy(d);
	xa_for_each(&p->pages, gfn, page) {
		bool foreign = xa_get_mark(&p->pages, gfn, FOREIGN);

		xa_erase(&p->pages, gfn);
		if (!foreign) {
			put_page(page);
			p->nr_pages--;
		}
		if (!(gfn & 1023))
			cond_resched();
	}
	WARN_ON(p->nr_pages || p->nr_table_pages);
	pool_shrink(p, 0);
	p->orphans = 0;
	mutex_unlock(&p->lock);
}

/*
 * The page behind gfn, with a reference for the caller (put_page() when done), or
 * NULL. Lock-free: the reference is taken only if the page is still in the xarray
 * once the reference is held, as the page cache does (a page just removed may be
 * back in the allocator, or someone else's; the re-check sees that and lets it go).
 */
struct page *kxen_p2m_get_page(struct kxen_domain *d, u64 gfn, bool ram_only)
{
	XA_STATE(xas, &d->p2m.pages, gfn);
	struct page *page;

	if (gfn >= GFN_LIMIT)
		return NULL;
	rcu_read_lock();
retry:
	xas_reset(&xas);
	page = xas_load(&xas);
	if (xas_retry(&xas, page))
		goto retry;
	if (!page || (ram_only && xas_get_mark(&xas, FOREIGN))) {
		page = NULL;
		goto out;
	}
	if (!get_page_unless_zero(page))
		goto retry;
	if (unlikely(page != xas_reload(&xas))) {
		put_page(page);
		goto retry;
	}
out:
	rcu_read_unlock();
	return page;
}

bool kxen_p2m_is_ram(struct kxen_domain *d, u64 gfn)
{
	struct page *page = kxen_p2m_get_page(d, gfn, true);

	if (page)
		put_page(page);
	return page;
}

/* Take gfn out of the guest's p2m, under p2m.lock; a RAM page loses the p2m's reference. */
static void p2m_remove(struct kxen_domain *d, u64 gfn)
{
	struct kxen_p2m *p = &d->p2m;
	bool foreign = xa_get_mark(&p->pages, gfn, FOREIGN);
	struct page *page;

	lockdep_assert_held(&p->lock);
	page = xa_erase(&p->pages, gfn);
	if (!page)
		return;
	kxen_backend->p2m_unmap(d, gfn);
	/* No vcpu may still reach the page through its TLB when it can be freed. */
	kxen_domain_sync_vcpus(d);
	if (!foreign) {
		put_page(page);
		p->nr_pages--;
	}
}

static int p2m_add(struct kxen_domain *d, u64 gfn)
{
	struct kxen_p2m *p = &d->p2m;
	struct page *page;
	int err;

	lockdep_assert_held(&p->lock);
	if (kxen_p2m_tot_pages(d) >= READ_ONCE(p->max_pages))
		return -ENOMEM;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);
	if (!page)
		return -ENOMEM;
	err = xa_insert(&p->pages, gfn, page, GFP_KERNEL_ACCOUNT);
	/* RAM there already: the new page replaces it, and the old still counts. */
	if (err == -EBUSY && !xa_get_mark(&p->pages, gfn, FOREIGN)) {
		p2m_remove(d, gfn);
		p->orphans++;
		err = xa_insert(&p->pages, gfn, page, GFP_KERNEL_ACCOUNT);
	}
	if (err) {
		__free_page(page);
		return err;	/* -EBUSY: a page of kxen's is there (shared_info...) */
	}
	err = kxen_backend->p2m_map(d, gfn, page_to_pfn(page));
	if (err) {
		xa_erase(&p->pages, gfn);
		put_page(page);		/* a copy may hold it a moment longer */
		return err;
	}
	p->nr_pages++;
	p->max_gfn = max(p->max_gfn, gfn);
	return 0;
}

int kxen_p2m_populate(struct kxen_domain *d, u64 gfn, unsigned long nr)
{
	unsigned long done = 0;
	int err = 0;

	if (gfn + nr < gfn || gfn + nr > GFN_LIMIT)
		return -EINVAL;
	mutex_lock(&d->p2m.lock);
	if (d->p2m.closed)
		err = -ESRCH;
	while (!err && done < nr) {
		err = p2m_add(d, gfn + done);
		if (!err)
			done++;
		if (!(done & 1023))
			cond_resched();
	}
	/* All or nothing: what this call added goes again. */
	while (err && done)
		p2m_remove(d, gfn + --done);
	mutex_unlock(&d->p2m.lock);
	return err;
}

/*
 * Copy between a buffer and guest-physical memory, a page at a time, each page
 * referenced while it is copied: the guest may give the frame back meanwhile (from
 * another vcpu), and then the bytes land in, or come from, a page that is no longer
 * its own but is not yet anyone else's.
 */
static int gpa_access(struct kxen_domain *d, u64 gpa, void *buf, size_t len, bool write)
{
	while (len) {
		size_t off = offset_in_page(gpa), n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = kxen_p2m_get_page(d, gpa >> PAGE_SHIFT, false);
		void *va;

		if (!page)
			return -EFAULT;
		va = kmap_local_page(page);
		if (write)
			memcpy(va + off, buf, n);
		else
			memcpy(buf, va + off, n);
		kunmap_local(va);
		put_page(page);
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

void kxen_p2m_remove(struct kxen_domain *d, u64 gfn)
{
	mutex_lock(&d->p2m.lock);
	p2m_remove(d, gfn);
	mutex_unlock(&d->p2m.lock);
}

int kxen_p2m_remove_ram(struct kxen_domain *d, u64 gfn)
{
	struct kxen_p2m *p = &d->p2m;
	int err = 0;

	mutex_lock(&p->lock);
	if (gfn >= GFN_LIMIT || !xa_load(&p->pages, gfn) || xa_get_mark(&p->pages, gfn, FOREIGN))
		err = -EINVAL;
	else
		p2m_remove(d, gfn);
	mutex_unlock(&p->lock);
	return err;
}

int kxen_p2m_map_foreign(struct kxen_domain *d, u64 gfn, struct page *page)
{
	struct kxen_p2m *p = &d->p2m;
	int err;

	if (gfn >= GFN_LIMIT)
		return -EINVAL;
	mutex_lock(&p->lock);
	if (p->closed) {
		err = -ESRCH;
		goto out;
	}
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
out:
	mutex_unlock(&p->lock);
	return err;
}
