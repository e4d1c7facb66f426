// SPDX-License-Identifier: GPL-2.0
/* Dom0's side of the Xen ABI, through Linux's Xen device files. See xen.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen.h"
#include <xen/memory.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/sys/privcmd.h>

static int privcmd = -1;

int xen_open(void)
{
	privcmd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	return privcmd < 0 ? -errno : 0;
}

static long hypercall(unsigned int op, uint64_t a0, uint64_t a1)
{
	privcmd_hypercall_t h = { .op = op, .arg = { a0, a1 } };
	long r = ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &h);

	return r < 0 ? -errno : r;
}

long xen_domctl(struct xen_domctl *d, uint32_t cmd, domid_t dom)
{
	d->cmd = cmd;
	d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	d->domain = dom;
	return hypercall(__HYPERVISOR_domctl, (uintptr_t)d, 0);
}

long xen_sysctl(struct xen_sysctl *s, uint32_t cmd)
{
	s->cmd = cmd;
	s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return hypercall(__HYPERVISOR_sysctl, (uintptr_t)s, 0);
}

long xen_populate(domid_t dom, const xen_pfn_t *gfns, unsigned long nr, unsigned int order)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr, .extent_order = order, .domid = dom,
	};

	set_xen_guest_handle(r.extent_start, (xen_pfn_t *)gfns);
	return hypercall(__HYPERVISOR_memory_op, XENMEM_populate_physmap, (uintptr_t)&r);
}

long xen_memory_op(unsigned int cmd, void *arg)
{
	return hypercall(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg);
}

long xen_set_param(domid_t dom, uint32_t index, uint64_t value)
{
	struct xen_hvm_param p = { .domid = dom, .index = index, .value = value };

	return hypercall(__HYPERVISOR_hvm_op, HVMOP_set_param, (uintptr_t)&p);
}

long xen_get_param(domid_t dom, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = dom, .index = index };
	long r = hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param, (uintptr_t)&p);

	*value = p.value;
	return r;
}

long xen_alloc_unbound(domid_t dom, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
	long r = hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
			   (uintptr_t)&a);

	return r < 0 ? r : (long)a.port;
}

long xen_dominfo(domid_t dom, struct xen_domctl_getdomaininfo *info)
{
	struct xen_domctl d;
	long r;

	memset(&d, 0, sizeof(d));
	r = xen_domctl(&d, XEN_DOMCTL_getdomaininfo, dom);
	/* Xen answers for the first domain at or above dom. */
	if (r == 0 && d.u.getdomaininfo.domain != dom)
		r = -ESRCH;
	*info = d.u.getdomaininfo;
	return r;
}

void *xen_map(domid_t dom, uint64_t gfn, unsigned long nr)
{
	xen_pfn_t *gfns = calloc(nr, sizeof(*gfns));
	int *err = calloc(nr, sizeof(*err));
	void *p = MAP_FAILED;
	unsigned long i;

	if (!gfns || !err) {
		errno = ENOMEM;
		goto out;
	}
	for (i = 0; i < nr; i++)
		gfns[i] = gfn + i;
	p = mmap(NULL, nr * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, privcmd, 0);
	if (p == MAP_FAILED)
		goto out;
	privcmd_mmapbatch_v2_t m = { .num = nr, .dom = dom, .addr = (uintptr_t)p,
				     .arr = gfns, .err = err };
	/* The ioctl succeeds with holes where frames are missing: each has its error. */
	if (ioctl(privcmd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m) < 0) {
		int e = errno;

		munmap(p, nr * PAGE_SIZE);
		p = MAP_FAILED;
		errno = e;
	} else {
		for (i = 0; i < nr && !err[i]; i++)
			;
		if (i < nr) {
			munmap(p, nr * PAGE_SIZE);
			p = MAP_FAILED;
			errno = -err[i];
		}
	}
out:
	free(gfns);
	free(err);
	return p == MAP_FAILED ? NULL : p;
}

void xen_unmap(void *p, unsigned long nr)
{
	munmap(p, nr * PAGE_SIZE);
}

void *xen_map_grant_table(domid_t dom)
{
	void *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, privcmd, 0);
	privcmd_mmap_resource_t m = {
		.dom = dom, .type = XENMEM_resource_grant_table,
		.id = XENMEM_resource_grant_table_id_shared, .idx = 0, .num = 1,
		.addr = (uintptr_t)p,
	};

	if (p == MAP_FAILED)
		return NULL;
	if (ioctl(privcmd, IOCTL_PRIVCMD_MMAP_RESOURCE, &m) < 0) {
		int e = errno;

		munmap(p, PAGE_SIZE);
		errno = e;
		return NULL;
	}
	return p;
}
