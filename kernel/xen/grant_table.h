/* SPDX-License-Identifier: GPL-2.0 */
/* Grant tables, v1 (grant_table.c). */
#ifndef KXEN_XEN_GRANT_TABLE_H
#define KXEN_XEN_GRANT_TABLE_H

#include <linux/types.h>

struct kxen_domain;
struct page;

int kxen_gnttab_init(struct kxen_domain *d);
void kxen_gnttab_destroy(struct kxen_domain *d);
/*
 * Frame idx of d's table (grown to it on demand), referenced (put_page() it), and
 * where its gfn is kept; -ESRCH once the domain is being destroyed.
 */
int kxen_gnttab_frame(struct kxen_domain *d, unsigned long idx, struct page **page,
		      u64 **gfn);

/*
 * Dom0's map of ref in d: 0 and the page (referenced), or -EINVAL (no such ref, or
 * no RAM behind it), -EPERM (not granted to mapper, or read-only), -ENOSPC.
 */
int kxen_gnttab_map(struct kxen_domain *d, u32 ref, u16 mapper, bool readonly,
		    struct page **page);
void kxen_gnttab_unmap(struct kxen_domain *d, u32 ref, bool readonly, struct page *page);

#endif
