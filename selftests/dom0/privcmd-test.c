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
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

/* Linux's include/uapi/xen/privcmd.h (which userspace cannot include as it is). */
struct privcmd_hypercall {
	uint64_t op, arg[5];
};
struct privcmd_dm_op {
	uint16_t dom, num;
	const void *ubufs;
};
#define IOCTL_PRIVCMD_HYPERCALL	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_DM_OP	_IOC(_IOC_NONE, 'P', 5, sizeof(struct privcmd_dm_op))
#define IOCTL_PRIVCMD_RESTRICT	_IOC(_IOC_NONE, 'P', 6, sizeof(uint16_t))
_Static_assert(IOCTL_PRIVCMD_HYPERCALL == 0x00305000, "HYPERCALL");
_Static_assert(IOCTL_PRIVCMD_DM_OP == 0x00105005, "DM_OP");
_Static_assert(IOCTL_PRIVCMD_RESTRICT == 0x00025006, "RESTRICT");

/* From Xen 4.17's public headers (xen.h, version.h, sysctl.h, domctl.h, memory.h). */
#define HYPERVISOR_memory_op	12
#define HYPERVISOR_multicall	13
#define HYPERVISOR_xen_version	17
#define HYPERVISOR_xsm_op	27
#define HYPERVISOR_sysctl	35
#define HYPERVISOR_domctl	36
#define XENVER_version		0
#define XENMEM_get_sharing_freed_pages 18
#define SYSCTL_VERSION		0x15
#define XEN_SYSCTL_physinfo	3
#define XEN_SYSCTL_sched_id	4
#define XEN_SYSCTL_getdomaininfolist 6
#define XEN_SYSCTL_cpupool_op	18
#define XEN_DOMCTL_destroydomain 2
#define XEN_DOMCTL_pausedomain	3
#define XEN_DOMCTL_unpausedomain 4
#define XEN_DOMCTL_getdomaininfo 5
#define XEN_DOMINF_paused	(1u << 3)
#define DOMID_INVALID		0x7ff4

struct physinfo {
	uint32_t threads_per_core, cores_per_socket, nr_cpus, max_cpu_id, nr_nodes,
		 max_node_id, cpu_khz, capabilities, arch_capabilities, pad;
	uint64_t total_pages, free_pages, scrub_pages, outstanding_pages, max_mfn;
	uint32_t hw_cap[8];
};

struct dominfo {
	uint16_t domain, pad1;
	uint32_t flags;
	uint64_t tot_pages, max_pages, outstanding_pages, shr_pages, paged_pages,
		 shared_info_frame, cpu_time;
	uint32_t nr_online_vcpus, max_vcpu_id, ssidref;
	uint8_t handle[16];
	uint32_t cpupool;
	uint8_t gpaddr_bits, pad2[7];
	uint32_t emulation_flags, misc_flags;
};

struct sysctl {
	uint32_t cmd, interface_version;
	union {
		struct physinfo physinfo;
		uint32_t sched_id;
		struct { uint16_t first; uint32_t max; uint64_t buffer; uint32_t num; } list;
		struct { uint32_t op, pool, sched, domid, cpu, n_dom; uint64_t map;
			 uint32_t nr_bits; } pool;
		uint8_t pad[128];
	} u;
};

struct domctl {
	uint32_t cmd, interface_version;
	uint16_t domain, pad[3];
	union {
		struct dominfo info;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct physinfo) == 112, "physinfo");
_Static_assert(sizeof(struct dominfo) == 112, "getdomaininfo");
_Static_assert(sizeof(struct sysctl) == 136, "sysctl");
_Static_assert(sizeof(struct domctl) == 144, "domctl");

/* A hypercall: its result, or -errno as the ioctl failed. */
static long hc(int fd, uint64_t op, uint64_t a0, uint64_t a1)
{
	struct privcmd_hypercall h = { op, { a0, a1 } };
	long r = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);

	return r < 0 ? -errno : r;
}

static long sysctl(int fd, struct sysctl *s, uint32_t cmd)
{
	s->cmd = cmd;
	s->interface_version = SYSCTL_VERSION;
	return hc(fd, HYPERVISOR_sysctl, (uint64_t)s, 0);
}

static long getdomaininfo(int fd, uint16_t dom, struct domctl *d)
{
	memset(d, 0, sizeof(*d));
	d->cmd = XEN_DOMCTL_getdomaininfo;
	d->interface_version = SYSCTL_VERSION;
	d->domain = dom;
	return hc(fd, HYPERVISOR_domctl, (uint64_t)d, 0);
}

static long domctl(int fd, uint32_t cmd, uint16_t dom)
{
	struct domctl d = { .cmd = cmd, .interface_version = SYSCTL_VERSION, .domain = dom };

	return hc(fd, HYPERVISOR_domctl, (uint64_t)&d, 0);
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

/* As an unprivileged user: open() must say EPERM. */
static int open_as_nobody(const char *path)
{
	int st;
	pid_t pid = fork();

	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(open(path, O_RDWR) < 0 ? errno : 0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
	int domu = argc > 1 ? atoi(argv[1]) : 0;
	int victim = argc > 2 ? atoi(argv[2]) : 0;
	struct dominfo list[8];
	struct sysctl s;
	struct domctl d;
	struct privcmd_dm_op dm = { .dom = DOMID_INVALID };
	struct {
		uint64_t op, result, args[6];
	} mc = { HYPERVISOR_memory_op, 99, { XENMEM_get_sharing_freed_pages } };
	uint16_t dom;
	uint8_t map[8];
	int fd, fd2;
	long r;

	fd = open("/dev/xen/privcmd", O_RDWR);
	if (fd < 0) {
		printf("Bail out! /dev/xen/privcmd: %s\n", strerror(errno));
		return 1;
	}
	fd2 = open("/proc/xen/privcmd", O_RDWR);
	ok(fd2 >= 0, "/proc/xen/privcmd opens too");
	ok(open_as_nobody("/dev/xen/privcmd") == EPERM, "an unprivileged open of /dev/xen/privcmd: EPERM");
	ok(open_as_nobody("/proc/xen/privcmd") == EACCES,
	   "an unprivileged open of /proc/xen/privcmd: EACCES (0600, as xenfs has it)");

	/* The probes every Xen library makes when it opens the device. */
	r = ioctl(fd, _IOC(_IOC_NONE, 'P', 0xff, 0), NULL);
	ok(r < 0 && errno == ENOTTY, "an ioctl privcmd does not know: ENOTTY");
	ok(ioctl(fd, IOCTL_PRIVCMD_DM_OP, &dm) == 0, "DM_OP with no buffers (the probe): 0");

	r = hc(fd, HYPERVISOR_xen_version, XENVER_version, 0);
	ok(r == 0x40011, "xen_version(XENVER_version) = 0x40011 (got %#lx)", r);
	ok(hc(fd2, HYPERVISOR_xen_version, XENVER_version, 0) == 0x40011,
	   "the same through /proc/xen/privcmd");
	ok(hc(fd, HYPERVISOR_xsm_op, 0, 0) == -ENOSYS, "xsm_op: ENOSYS (no XSM policy)");
	ok(hc(fd, 63, 0, 0) == -ENOSYS, "an unknown hypercall: ENOSYS");

	/* sysctl: Xen 4.17's interface version, or EACCES. */
	memset(&s, 0, sizeof(s));
	s.cmd = XEN_SYSCTL_physinfo;
	s.interface_version = 0x14;
	ok(hc(fd, HYPERVISOR_sysctl, (uint64_t)&s, 0) == -EACCES,
	   "sysctl with Xen 4.16's interface version: EACCES");
	ok(hc(fd, HYPERVISOR_sysctl, 8, 0) == -EFAULT, "sysctl at a bad address: EFAULT");
	memset(&s, 0, sizeof(s));
	r = sysctl(fd, &s, XEN_SYSCTL_physinfo);
	ok(r == 0, "physinfo: 0 (got %ld)", r);
	ok((s.u.physinfo.capabilities & 0x109) == 0x109,
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
	r = sysctl(fd, &s, XEN_SYSCTL_sched_id);
	ok(r == 0 && s.u.sched_id == 6, "sched_id: credit2 (6)");
	memset(&s, 0, sizeof(s));
	memset(map, 0xff, sizeof(map));
	s.u.pool.op = 7;	/* FREEINFO */
	s.u.pool.map = (uint64_t)map;
	s.u.pool.nr_bits = 64;
	r = sysctl(fd, &s, XEN_SYSCTL_cpupool_op);
	ok(r == 0 && !map[0] && !map[7], "cpupool FREEINFO: 0, no CPU outside Pool-0");
	memset(&s, 0, sizeof(s));
	s.u.pool.op = 3;	/* INFO */
	s.u.pool.pool = 1;
	ok(sysctl(fd, &s, XEN_SYSCTL_cpupool_op) == -ENOENT, "cpupool INFO of pool 1: ENOENT");
	ok(sysctl(fd, &s, 99) == -ENOSYS, "an unknown sysctl: ENOSYS");

	/* The domain list: dom0 first, then the domU. */
	memset(&s, 0, sizeof(s));
	s.u.list.first = 0;
	s.u.list.max = 8;
	s.u.list.buffer = (uint64_t)list;
	r = sysctl(fd, &s, XEN_SYSCTL_getdomaininfolist);
	ok(r == 0 && s.u.list.num == 3 && list[0].domain == 0 && list[1].domain == domu &&
	   list[2].domain == victim,
	   "getdomaininfolist: dom0, d%d, d%d (%u domains)", domu, victim, s.u.list.num);
	ok(list[0].nr_online_vcpus == (uint32_t)sysconf(_SC_NPROCESSORS_ONLN),
	   "dom0's vcpus are the host's CPUs");
	ok(list[1].tot_pages > 0 && (list[1].flags & 2), "d%d: pages and an HVM guest", domu);
	s.u.list.buffer = 8;
	ok(sysctl(fd, &s, XEN_SYSCTL_getdomaininfolist) == -EFAULT,
	   "getdomaininfolist into a bad buffer: EFAULT");
	s.u.list.buffer = (uint64_t)list;
	s.u.list.max = 1;
	s.u.list.first = 1;
	r = sysctl(fd, &s, XEN_SYSCTL_getdomaininfolist);
	ok(r == 0 && s.u.list.num == 1 && list[0].domain == domu,
	   "getdomaininfolist from 1, at most 1: d%d", domu);

	/* getdomaininfo: the first domain with an id >= the one asked for (Xen 4.17). */
	r = getdomaininfo(fd, 0, &d);
	ok(r == 0 && d.domain == 0 && d.u.info.domain == 0, "getdomaininfo(0): dom0");
	r = getdomaininfo(fd, 1, &d);
	ok(r == 0 && d.domain == domu && d.u.info.domain == domu,
	   "getdomaininfo(1): d%d, the next one there is", domu);
	ok(getdomaininfo(fd, victim + 1, &d) == -ESRCH, "getdomaininfo past the last: ESRCH");
	ok(getdomaininfo(fd, 0x7ff0, &d) == -EINVAL, "getdomaininfo(DOMID_SELF): EINVAL");
	ok(hc(fd, HYPERVISOR_domctl, 8, 0) == -EFAULT, "domctl at a bad address: EFAULT");
	d.interface_version = 0x14;
	ok(hc(fd, HYPERVISOR_domctl, (uint64_t)&d, 0) == -EACCES,
	   "domctl with Xen 4.16's interface version: EACCES");

	/* The toolstack's pause, unpause and destroy. */
	ok(domctl(fd, XEN_DOMCTL_pausedomain, victim) == 0, "pausedomain d%d", victim);
	ok(getdomaininfo(fd, victim, &d) == 0 && (d.u.info.flags & XEN_DOMINF_paused),
	   "getdomaininfo: paused");
	ok(domctl(fd, XEN_DOMCTL_pausedomain, victim) == 0, "paused twice");
	ok(domctl(fd, XEN_DOMCTL_unpausedomain, victim) == 0 && getdomaininfo(fd, victim, &d) == 0 &&
	   (d.u.info.flags & XEN_DOMINF_paused), "unpaused once: still paused");
	ok(domctl(fd, XEN_DOMCTL_unpausedomain, victim) == 0 && getdomaininfo(fd, victim, &d) == 0 &&
	   !(d.u.info.flags & XEN_DOMINF_paused), "unpaused twice: running");
	ok(domctl(fd, XEN_DOMCTL_unpausedomain, victim) == -EINVAL, "unpaused once too often: EINVAL");
	ok(domctl(fd, XEN_DOMCTL_pausedomain, 0) == -EINVAL, "pausedomain of dom0: EINVAL");
	ok(domctl(fd, XEN_DOMCTL_destroydomain, 0) == -EINVAL, "destroydomain of dom0: EINVAL");
	ok(domctl(fd, XEN_DOMCTL_pausedomain, 0x7000) == -ESRCH, "pausedomain of no domain: ESRCH");
	ok(domctl(fd, XEN_DOMCTL_destroydomain, victim) == 0, "destroydomain d%d", victim);
	ok(getdomaininfo(fd, victim, &d) == -ESRCH, "then getdomaininfo(%d): ESRCH", victim);
	ok(domctl(fd, XEN_DOMCTL_destroydomain, victim) == -ESRCH, "destroyed again: ESRCH");

	/* memory_op in a multicall, as libxc issues it on x86-64. */
	r = hc(fd, HYPERVISOR_multicall, (uint64_t)&mc, 1);
	ok(r == 0 && mc.result == 0, "multicall of memory_op(get_sharing_freed_pages): 0");

	/* RESTRICT: then no more plain hypercalls. */
	dom = domu;
	ok(ioctl(fd2, IOCTL_PRIVCMD_RESTRICT, &dom) == 0, "RESTRICT to d%d", domu);
	dom = domu + 1;
	ok(ioctl(fd2, IOCTL_PRIVCMD_RESTRICT, &dom) < 0 && errno == EINVAL,
	   "RESTRICT again, to another domain: EINVAL");
	ok(hc(fd2, HYPERVISOR_xen_version, XENVER_version, 0) == -EPERM,
	   "a hypercall on a restricted file: EPERM");
	ok(hc(fd, HYPERVISOR_xen_version, XENVER_version, 0) == 0x40011,
	   "another file is not restricted");

	return done_testing();
}
