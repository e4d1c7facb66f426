// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_sysctl (public/sysctl.h): the toolstack's questions about the machine.
 * Only dom0 may ask; the interface version must be Xen 4.17's. The answers describe
 * the host Linux runs on, as Xen's describe the machine under it: `xl info` prints them.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include <linux/topology.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <xen/interface/xen.h>

#include <kxen/public/sysctl.h>
#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../arch/x86/cpuid.h"
#include "../core/domain.h"
#include "hypercall.h"

static int ram_end(struct resource *r, void *arg)
{
	u64 *end = arg;

	*end = max(*end, (u64)r->end + 1);
	return 0;
}

static void physinfo(struct xen_sysctl_physinfo *pi)
{
	u64 end = 0;

	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = cpumask_weight(topology_sibling_cpumask(0));
	pi->cores_per_socket = cpumask_weight(topology_core_cpumask(0)) /
			       pi->threads_per_core;
	pi->nr_cpus = num_online_cpus();
	pi->max_cpu_id = nr_cpu_ids - 1;
	pi->nr_nodes = num_online_nodes();
	pi->max_node_id = MAX_NUMNODES - 1;
	pi->cpu_khz = tsc_khz;
	/* PVH and HVM guests on nested paging, grant tables v1: what kxen runs. */
	pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
			   XEN_SYSCTL_PHYSCAP_gnttab_v1;
	pi->total_pages = totalram_pages();
	/* What a new domain could have now: the host's free memory. */
	pi->free_pages = global_zone_page_state(NR_FREE_PAGES);
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
			    U64_MAX, &end, ram_end);
	pi->max_mfn = end ? PHYS_PFN(end) - 1 : 0;
	memcpy(pi->hw_cap, boot_cpu_data.x86_capability,
	       min(sizeof(pi->hw_cap), sizeof(boot_cpu_data.x86_capability)));
}

static u64 node_free(int nid)
{
	struct zone *z = NODE_DATA(nid)->node_zones;
	u64 n = 0;

	for (; z < NODE_DATA(nid)->node_zones + MAX_NR_ZONES; z++)
		n += zone_page_state(z, NR_FREE_PAGES);
	return n;
}

/*
 * One node's memory, as numainfo gives it, and the distance table: Linux's nodes. A
 * short buffer gets the first nodes, and the count of those back (as Xen).
 */
static long numainfo(struct kxen_vcpu *v, struct xen_sysctl_numainfo *ni)
{
	unsigned int n = nr_node_ids, i, j;
	struct xen_sysctl_meminfo mi;
	u32 dist;

	if (ni->meminfo || ni->distance)
		n = min(n, ni->num_nodes);
	for (i = 0; (ni->meminfo || ni->distance) && i < n; i++) {
		mi.memsize = node_online(i) ? (u64)node_present_pages(i) << PAGE_SHIFT :
			     XEN_INVALID_MEM_SZ;
		mi.memfree = node_online(i) ? node_free(i) << PAGE_SHIFT : XEN_INVALID_MEM_SZ;
		if (ni->meminfo && kxen_copy_to_guest(v, ni->meminfo + i * sizeof(mi), &mi,
						      sizeof(mi)))
			return -EFAULT;
		for (j = 0; ni->distance && j < n; j++) {
			dist = node_online(i) && node_online(j) ? node_distance(i, j) :
			       XEN_INVALID_NODE_DIST;
			if (kxen_copy_to_guest(v, ni->distance + (i * n + j) * sizeof(dist),
					       &dist, sizeof(dist)))
				return -EFAULT;
		}
	}
	ni->num_nodes = n;
	return 0;
}

/* Each CPU's core, socket and node, as Linux's topology has them; clipped as numainfo. */
static long cputopoinfo(struct kxen_vcpu *v, struct xen_sysctl_cputopoinfo *ti)
{
	unsigned int n = cpumask_last(cpu_present_mask) + 1, i;
	struct xen_sysctl_cputopo t;

	if (ti->cputopo)
		n = min(n, ti->num_cpus);
	for (i = 0; ti->cputopo && i < n; i++) {
		if (cpu_present(i))
			t = (struct xen_sysctl_cputopo){ topology_core_id(i),
							 topology_physical_package_id(i),
							 cpu_to_node(i) };
		else
			t = (struct xen_sysctl_cputopo){ XEN_INVALID_CORE_ID,
							 XEN_INVALID_SOCKET_ID,
							 XEN_INVALID_NODE_ID };
		if (kxen_copy_to_guest(v, ti->cputopo + i * sizeof(t), &t, sizeof(t)))
			return -EFAULT;
	}
	ti->num_cpus = n;
	return 0;
}

/*
 * The CPU policies: kxen has one, what any guest of its may see (cpuid.c), and gives
 * it for every index Xen has; it keeps no MSRs in it.
 */
static long cpu_policy(struct kxen_vcpu *v, struct xen_sysctl_cpu_policy *p)
{
	if (p->index > XEN_SYSCTL_cpu_policy_hvm_default || p->_rsvd)
		return -EINVAL;
	return kxen_cpuid_policy_to_guest(v, NULL, p->leaves, &p->nr_leaves, p->msrs,
					  &p->nr_msrs);
}

static long cpu_featureset(struct kxen_vcpu *v, struct xen_sysctl_cpu_featureset *f)
{
	u32 fs[KXEN_CPUID_FEATURESET_WORDS];
	unsigned int n;

	if (!f->features) {	/* how many words there are */
		f->nr_features = KXEN_CPUID_FEATURESET_WORDS;
		return 0;
	}
	if (f->index > XEN_SYSCTL_cpu_featureset_hvm_max)
		return -EINVAL;
	n = min_t(u32, f->nr_features, kxen_cpuid_featureset(fs));
	if (kxen_copy_to_guest(v, f->features, fs, n * sizeof(*fs)))
		return -EFAULT;
	f->nr_features = n;
	/* Too little room: the words that fit, and -ENOBUFS (with the count back). */
	return n < KXEN_CPUID_FEATURESET_WORDS ? -ENOBUFS : 0;
}

/* Xen 4.17's getdomaininfolist: from first_domain up, at most max_domains. */
static long getdomaininfolist(struct kxen_vcpu *v, struct xen_sysctl_getdomaininfolist *l)
{
	struct xen_domctl_getdomaininfo info;
	struct kxen_domain *d;
	u32 n = 0, next = l->first_domain;

	while (n < l->max_domains && next < DOMID_FIRST_RESERVED &&
	       (d = kxen_domain_next(next))) {
		kxen_getdomaininfo(d, &info);
		next = d->id + 1;
		kxen_domain_put(d);
		if (kxen_copy_to_guest(v, l->buffer + n * sizeof(info), &info, sizeof(info)))
			return -EFAULT;
		n++;
	}
	l->num_domains = n;
	return 0;
}

/* One pool, Pool-0, with every CPU and every domain in it, run by "credit2". */
static long cpupool_op(struct xen_sysctl_cpupool_op *op)
{
	struct kxen_domain *d;
	u32 next = 0;

	switch (op->op) {
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		/* The first pool with an id >= the one asked for, as Xen. */
		if (op->cpupool_id > 0)
			return -ENOENT;
		op->cpupool_id = 0;
		op->sched_id = XEN_SCHEDULER_CREDIT2;
		op->n_dom = 0;
		while (next < DOMID_FIRST_RESERVED && (d = kxen_domain_next(next))) {
			next = d->id + 1;
			kxen_domain_put(d);
			op->n_dom++;
		}
		return kxen_cpumask_to_xenctl(&op->cpumap, cpu_online_mask);
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return kxen_cpumask_to_xenctl(&op->cpumap, cpu_none_mask);	/* all in Pool-0 */
	}
	return -EINVAL;
}

long kxen_do_sysctl(struct kxen_vcpu *v, const unsigned long *a)
{
	struct xen_sysctl op;
	long rc;

	/* From a domU: Xen's order, the copy and the version before the privilege. */
	if (kxen_copy_from_guest(v, &op, a[0], sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -EACCES;
	if (!kxen_is_dom0(v->d))
		return -EPERM;

	switch (op.cmd) {
	case XEN_SYSCTL_readconsole:	/* xl dmesg */
		rc = kxen_console_read_ring(v, op.u.readconsole.buffer, &op.u.readconsole.count,
					    &op.u.readconsole.index,
					    op.u.readconsole.incremental, op.u.readconsole.clear);
		break;
	case XEN_SYSCTL_physinfo:
		physinfo(&op.u.physinfo);
		rc = 0;
		break;
	case XEN_SYSCTL_sched_id:
		op.u.sched_id = XEN_SCHEDULER_CREDIT2;
		rc = 0;
		break;
	case XEN_SYSCTL_getdomaininfolist:
		rc = getdomaininfolist(v, &op.u.getdomaininfolist);
		break;
	case XEN_SYSCTL_cpupool_op:
		rc = cpupool_op(&op.u.cpupool_op);
		break;
	case XEN_SYSCTL_numainfo:
		rc = numainfo(v, &op.u.numainfo);
		break;
	case XEN_SYSCTL_cputopoinfo:
		rc = cputopoinfo(v, &op.u.cputopoinfo);
		break;
	case XEN_SYSCTL_get_cpu_policy:
		rc = cpu_policy(v, &op.u.cpu_policy);
		break;
	case XEN_SYSCTL_get_cpu_featureset:
		rc = cpu_featureset(v, &op.u.cpu_featureset);
		if (rc == -ENOBUFS && kxen_copy_to_guest(v, a[0], &op, sizeof(op)))
			return -EFAULT;
		break;
	default:
		return -XEN_ENOSYS;
	}
	if (!rc && kxen_copy_to_guest(v, a[0], &op, sizeof(op)))
		return -EFAULT;
	return rc;
}
