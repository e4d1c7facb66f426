/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dom0's side of the Xen ABI, as kxen-domu uses it: hypercalls through
 * /dev/xen/privcmd, foreign mappings of a domain's frames, /dev/xen/evtchn. The
 * public headers are Xen 4.17's, from Debian's libxen-dev. Every call returns 0 (or
 * a count) or -errno: through IOCTL_PRIVCMD_HYPERCALL a Xen error -E comes back as
 * errno E, and on x86 Linux's errno numbers are Xen's.
 */
#ifndef KXEN_DOMU_XEN_H
#define KXEN_DOMU_XEN_H

#define __XEN_TOOLS__ 1
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

#define PAGE_SIZE	4096UL
#define PAGE_SHIFT	12

int xen_open(void);
long xen_domctl(struct xen_domctl *d, uint32_t cmd, domid_t dom);
long xen_sysctl(struct xen_sysctl *s, uint32_t cmd);
/* XENMEM_populate_physmap of nr extents of 2^order frames at gfns: extents done. */
long xen_populate(domid_t dom, const xen_pfn_t *gfns, unsigned long nr, unsigned int order);
/* Any XENMEM_ command whose argument is one structure. */
long xen_memory_op(unsigned int cmd, void *arg);
long xen_set_param(domid_t dom, uint32_t index, uint64_t value);
long xen_get_param(domid_t dom, uint32_t index, uint64_t *value);
/* EVTCHNOP_alloc_unbound: a port of dom's that remote may bind; the port or -errno. */
long xen_alloc_unbound(domid_t dom, domid_t remote);
/* The domain's information, or -ESRCH when it does not exist (not the next one's). */
long xen_dominfo(domid_t dom, struct xen_domctl_getdomaininfo *info);

/* Map nr frames of dom from gfn, read-write; NULL (errno set) when any is missing. */
void *xen_map(domid_t dom, uint64_t gfn, unsigned long nr);
void xen_unmap(void *p, unsigned long nr);
/* Map the first frame of dom's grant table (XENMEM_resource_grant_table), or NULL. */
void *xen_map_grant_table(domid_t dom);

#endif
