// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/privcmd as dom0's processes see it on kxen: the ioctls of Linux's privcmd
 * driver, and the hypercalls behind IOCTL_PRIVCMD_HYPERCALL with Xen 4.17's answers
 * and error codes. TAP on stdout. Run as root inside the emulated machine, with kxen
 * loaded, by selftests/module/dom0.t:
 *
 *   privcmd-test DOMID VICTIM   DOMID: a domU, running, with an id above 1 (for
 *                               getdomaininfo's >= rule); VICTIM: a second one, the
 *                               last, running, which the test pauses and destroys
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dom0lib.h"

/* getdomaininfo, the whole domctl back: Xen echoes the domain in domctl.domain too. */
static long getdomaininfo_d(domid_t dom, struct xen_domctl *d)
{
	memset(d, 0, sizeof(*d));
	return domctl(d, XEN_DOMCTL_getdomaininfo, dom);
}

static long meminfo(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = atol(line + strlen(key));
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	int domu = argc > 1 ? atoi(argv[1]) : 0;
	int victim = argc > 2 ? atoi(argv[2]) : 0;
	xen_domctl_getdomaininfo_t list[8];
	struct xen_sysctl s;
	struct xen_domctl d;
	privcmd_dm_op_t dm = { .dom = DOMID_INVALID };
	multicall_entry_t mc = {
		.op = __HYPERVISOR_memory_op, .result = 99,
		.args = { XENMEM_get_sharing_freed_pages },
	};
	domid_t dom;
	uint8_t map[8];
	int fd2;
	long r;

	if (open_privcmd())
		return 1;
	fd2 = open("/proc/xen/privcmd", O_RDWR);
	ok(fd2 >= 0, "/proc/xen/privcmd opens too");
	ok(open_as_nobody("/dev/xen/privcmd") == EPERM,
	   "an unprivileged open of /dev/xen/privcmd: EPERM");
	ok(open_as_nobody("/proc/xen/privcmd") == EACCES,
	   "an unprivileged open of /proc/xen/privcmd: EACCES (0600, as xenfs has it)");

	/* The probes every Xen library makes when it opens the device. */
	r = ioctl(privcmd_fd, IOCTL_PRIVCMD_UNIMPLEMENTED, NULL);
	ok(r < 0 && errno == ENOTTY, "an ioctl privcmd does not know: ENOTTY");
	ok(ioctl(privcmd_fd, IOCTL_PRIVCMD_DM_OP, &dm) == 0,
	   "DM_OP with no buffers (the probe): 0");

	r = hc(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	ok(r == 0x40011, "xen_version(XENVER_version) = 0x40011 (got %#lx)", r);
	ok(hc_on(fd2, __HYPERVISOR_xen_version, XENVER_version, 0, 0) == 0x40011,
	   "the same through /proc/xen/privcmd");
	ok(hc(__HYPERVISOR_xsm_op, 0, 0, 0) == -ENOSYS, "xsm_op: ENOSYS (no XSM policy)");
	ok(hc(63, 0, 0, 0) == -ENOSYS, "an unknown hypercall: ENOSYS");

	/* sysctl: Xen 4.17's interface version, or EACCES. */
	memset(&s, 0, sizeof(s));
	s.cmd = XEN_SYSCTL_physinfo;
	s.interface_version = 0x14;
	ok(hc(__HYPERVISOR_sysctl, (uint64_t)&s, 0, 0) == -EACCES,
	   "sysctl with Xen 4.16's interface version: EACCES");
	ok(hc(__HYPERVISOR_sysctl, 8, 0, 0) == -EFAULT, "sysctl at a bad address: EFAULT");
	memset(&s, 0, sizeof(s));
	r = sysctl(&s, XEN_SYSCTL_physinfo);
	ok(r == 0, "physinfo: 0 (got %ld)", r);
	ok((s.u.physinfo.capabilities & (XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
					 XEN_SYSCTL_PHYSCAP_gnttab_v1)) ==
	   (XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1),
	   "physinfo: capabilities hvm, hap, gnttab_v1 (got %#x)", s.u.physinfo.capabilities);
	ok(s.u.physinfo.nr_cpus == (uint32_t)sysconf(_SC_NPROCESSORS_ONLN),
	   "physinfo: nr_cpus %u, the host's", s.u.physinfo.nr_cpus);
	ok((long)s.u.physinfo.total_pages == meminfo("MemTotal:") / 4,
	   "physinfo: total_pages %lu, MemTotal's", (unsigned long)s.u.physinfo.total_pages);
	ok(s.u.physinfo.free_pages > 0 && s.u.physinfo.free_pages <= s.u.physinfo.total_pages,
	   "physinfo: free_pages %lu, some of them", (unsigned long)s.u.physinfo.free_pages);
	ok(s.u.physinfo.cpu_khz > 0 && s.u.physinfo.threads_per_core >= 1,
	   "physinfo: cpu_khz %u, threads_per_core %u", s.u.physinfo.cpu_khz,
	   s.u.physinfo.threads_per_core);
	r = sysctl(&s, XEN_SYSCTL_sched_id);
	ok(r == 0 && s.u.sched_id.sched_id == XEN_SCHEDULER_CREDIT2, "sched_id: credit2 (6)");
	memset(&s, 0, sizeof(s));
	memset(map, 0xff, sizeof(map));
	s.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO;
	set_xen_guest_handle(s.u.cpupool_op.cpumap.bitmap, map);
	s.u.cpupool_op.cpumap.nr_bits = 64;
	r = sysctl(&s, XEN_SYSCTL_cpupool_op);
	ok(r == 0 && !map[0] && !map[7], "cpupool FREEINFO: 0, no CPU outside Pool-0");
	memset(&s, 0, sizeof(s));
	s.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	s.u.cpupool_op.cpupool_id = 1;
	ok(sysctl(&s, XEN_SYSCTL_cpupool_op) == -ENOENT, "cpupool INFO of pool 1: ENOENT");
	ok(sysctl(&s, 99) == -ENOSYS, "an unknown sysctl: ENOSYS");

	/* The domain list: dom0 first, then the domU. */
	memset(&s, 0, sizeof(s));
	s.u.getdomaininfolist.first_domain = 0;
	s.u.getdomaininfolist.max_domains = 8;
	set_xen_guest_handle(s.u.getdomaininfolist.buffer, list);
	r = sysctl(&s, XEN_SYSCTL_getdomaininfolist);
	ok(r == 0 && s.u.getdomaininfolist.num_domains == 3 && list[0].domain == 0 &&
	   list[1].domain == domu && list[2].domain == victim,
	   "getdomaininfolist: dom0, d%d, d%d (%u domains)", domu, victim,
	   s.u.getdomaininfolist.num_domains);
	ok(list[0].nr_online_vcpus == (uint32_t)sysconf(_SC_NPROCESSORS_ONLN),
	   "dom0's vcpus are the host's CPUs");
	ok(list[1].tot_pages > 0 && (list[1].flags & XEN_DOMINF_hvm_guest),
	   "d%d: pages and an HVM guest", domu);
	set_xen_guest_handle(s.u.getdomaininfolist.buffer, (xen_domctl_getdomaininfo_t *)8);
	ok(sysctl(&s, XEN_SYSCTL_getdomaininfolist) == -EFAULT,
	   "getdomaininfolist into a bad buffer: EFAULT");
	set_xen_guest_handle(s.u.getdomaininfolist.buffer, list);
	s.u.getdomaininfolist.max_domains = 1;
	s.u.getdomaininfolist.first_domain = 1;
	r = sysctl(&s, XEN_SYSCTL_getdomaininfolist);
	ok(r == 0 && s.u.getdomaininfolist.num_domains == 1 && list[0].domain == domu,
	   "getdomaininfolist from 1, at most 1: d%d", domu);

	/* getdomaininfo: the first domain with an id >= the one asked for (Xen 4.17). */
	r = getdomaininfo_d(0, &d);
	ok(r == 0 && d.domain == 0 && d.u.getdomaininfo.domain == 0, "getdomaininfo(0): dom0");
	r = getdomaininfo_d(1, &d);
	ok(r == 0 && d.domain == domu && d.u.getdomaininfo.domain == domu,
	   "getdomaininfo(1): d%d, the next one there is", domu);
	ok(getdomaininfo_d(victim + 1, &d) == -ESRCH, "getdomaininfo past the last: ESRCH");
	ok(getdomaininfo_d(DOMID_SELF, &d) == -EINVAL, "getdomaininfo(DOMID_SELF): EINVAL");
	ok(hc(__HYPERVISOR_domctl, 8, 0, 0) == -EFAULT, "domctl at a bad address: EFAULT");
	d.interface_version = 0x14;
	ok(hc(__HYPERVISOR_domctl, (uint64_t)&d, 0, 0) == -EACCES,
	   "domctl with Xen 4.16's interface version: EACCES");

	/* The toolstack's pause, unpause and destroy. */
	ok(domctl0(XEN_DOMCTL_pausedomain, victim) == 0, "pausedomain d%d", victim);
	ok(getdomaininfo_d(victim, &d) == 0 && (d.u.getdomaininfo.flags & XEN_DOMINF_paused),
	   "getdomaininfo: paused");
	ok(domctl0(XEN_DOMCTL_pausedomain, victim) == 0, "paused twice");
	ok(domctl0(XEN_DOMCTL_unpausedomain, victim) == 0 && getdomaininfo_d(victim, &d) == 0 &&
	   (d.u.getdomaininfo.flags & XEN_DOMINF_paused), "unpaused once: still paused");
	ok(domctl0(XEN_DOMCTL_unpausedomain, victim) == 0 && getdomaininfo_d(victim, &d) == 0 &&
	   !(d.u.getdomaininfo.flags & XEN_DOMINF_paused), "unpaused twice: running");
	ok(domctl0(XEN_DOMCTL_unpausedomain, victim) == -EINVAL,
	   "unpaused once too often: EINVAL");
	ok(domctl0(XEN_DOMCTL_pausedomain, 0) == -EINVAL, "pausedomain of dom0: EINVAL");
	ok(domctl0(XEN_DOMCTL_destroydomain, 0) == -EINVAL, "destroydomain of dom0: EINVAL");
	ok(domctl0(XEN_DOMCTL_pausedomain, 0x7000) == -ESRCH, "pausedomain of no domain: ESRCH");
	ok(domctl0(XEN_DOMCTL_destroydomain, victim) == 0, "destroydomain d%d", victim);
	ok(getdomaininfo_d(victim, &d) == -ESRCH, "then getdomaininfo(%d): ESRCH", victim);
	ok(domctl0(XEN_DOMCTL_destroydomain, victim) == -ESRCH, "destroyed again: ESRCH");

	/* memory_op in a multicall, as libxc issues it on x86-64. */
	r = hc(__HYPERVISOR_multicall, (uint64_t)&mc, 1, 0);
	ok(r == 0 && mc.result == 0, "multicall of memory_op(get_sharing_freed_pages): 0");

	/* RESTRICT: then no more plain hypercalls. */
	dom = domu;
	ok(ioctl(fd2, IOCTL_PRIVCMD_RESTRICT, &dom) == 0, "RESTRICT to d%d", domu);
	dom = domu + 1;
	ok(ioctl(fd2, IOCTL_PRIVCMD_RESTRICT, &dom) < 0 && errno == EINVAL,
	   "RESTRICT again, to another domain: EINVAL");
	ok(hc_on(fd2, __HYPERVISOR_xen_version, XENVER_version, 0, 0) == -EPERM,
	   "a hypercall on a restricted file: EPERM");
	ok(hc(__HYPERVISOR_xen_version, XENVER_version, 0, 0) == 0x40011,
	   "another file is not restricted");

	return done_testing();
}
