// SPDX-License-Identifier: GPL-2.0
/*
 * kxen-domu: start and watch PVH domains with nothing but dom0's Xen ABI, no xenstore,
 * no toolstack. What kxen's own tests and benchmarks boot their guests with (also in
 * the emulated Intel machine, which has no Xen userspace); `xl create` is the way
 * otherwise, and this works the same on real Xen.
 *
 *   kxen-domu create [-m MiB] [-n VCPUS] [-i INITRD] [-c CMDLINE] KERNEL
 *                         build and unpause a PVH domain; prints its id
 *   kxen-domu list        one line per domU: "ID STATE CODE VCPUS PAGES", STATE one of
 *                         running, paused, shutdown, dying; CODE the shutdown reason
 *   kxen-domu destroy ID
 *   kxen-domu console ID  copy the domain's PV console (hvc0) to stdout, as xenconsoled
 *                         would, until the domain is gone
 *   kxen-domu dmesg       the hypervisor console, as `xl dmesg`
 *
 * KERNEL is an ELF with a XEN_ELFNOTE_PHYS32_ENTRY note (a bzImage's payload: Linux's
 * scripts/extract-vmlinux, or pvops/extract-vmlinux here).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "build.h"
#include "types.h"
#include "xen.h"
#include <xen/hvm/params.h>
#include <xen/io/console.h>
#include <xen/sys/evtchn.h>

static void __noreturn usage(void)
{
	fprintf(stderr, "usage: kxen-domu create [-m MiB] [-n VCPUS] [-i INITRD] [-c CMDLINE] KERNEL\n"
		"       kxen-domu list | destroy ID | console ID | dmesg\n");
	exit(2);
}

static int fail(const char *what, long err)
{
	fprintf(stderr, "kxen-domu: %s: %s\n", what, strerror(-err));
	return 1;
}

static unsigned long number(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || v > max)
		usage();
	return v;
}

static int cmd_create(int argc, char **argv)
{
	struct domu_config cfg = { .cmdline = "", .mem_mib = 32, .vcpus = 1 };
	domid_t dom;
	long r;
	int c;

	while ((c = getopt(argc, argv, "m:n:i:c:")) != -1) {
		switch (c) {
		case 'm':
			cfg.mem_mib = number(optarg, 1UL << 20);
			break;
		case 'n':
			cfg.vcpus = number(optarg, 128);
			break;
		case 'i':
			cfg.initrd = optarg;
			break;
		case 'c':
			cfg.cmdline = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || !cfg.mem_mib || !cfg.vcpus)
		usage();
	cfg.kernel = argv[optind];
	r = domu_create(&cfg, &dom);
	if (r)
		return fail("create", r);
	printf("%u\n", dom);
	return 0;
}

static const char *state(uint32_t flags)
{
	if (flags & XEN_DOMINF_dying)
		return "dying";
	if (flags & XEN_DOMINF_shutdown)
		return "shutdown";
	if (flags & XEN_DOMINF_paused)
		return "paused";
	return "running";
}

static int cmd_list(void)
{
	static struct xen_domctl_getdomaininfo info[64];
	struct xen_sysctl s;
	domid_t next = 1;
	uint32_t i;
	long r;

	do {
		memset(&s, 0, sizeof(s));
		s.u.getdomaininfolist.first_domain = next;
		s.u.getdomaininfolist.max_domains = 64;
		set_xen_guest_handle(s.u.getdomaininfolist.buffer, info);
		r = xen_sysctl(&s, XEN_SYSCTL_getdomaininfolist);
		if (r)
			return fail("getdomaininfolist", r);
		for (i = 0; i < s.u.getdomaininfolist.num_domains; i++) {
			printf("%u %s %d %u %llu\n", info[i].domain, state(info[i].flags),
			       info[i].flags & XEN_DOMINF_shutdown ?
			       (int)(info[i].flags >> XEN_DOMINF_shutdownshift &
				     XEN_DOMINF_shutdownmask) : -1,
			       info[i].nr_online_vcpus,
			       (unsigned long long)info[i].tot_pages);
			next = info[i].domain + 1;
		}
	} while (s.u.getdomaininfolist.num_domains == 64);
	return 0;
}

static int cmd_destroy(const char *id)
{
	struct xen_domctl d;
	long r;

	memset(&d, 0, sizeof(d));
	r = xen_domctl(&d, XEN_DOMCTL_destroydomain, number(id, DOMID_FIRST_RESERVED - 1));
	return r ? fail("destroy", r) : 0;
}

static int cmd_dmesg(void)
{
	static char buf[16384];
	struct xen_sysctl s;
	uint32_t index = 0;
	long r;

	for (;;) {
		memset(&s, 0, sizeof(s));
		s.u.readconsole.incremental = 1;
		s.u.readconsole.index = index;
		s.u.readconsole.count = sizeof(buf);
		set_xen_guest_handle(s.u.readconsole.buffer, buf);
		r = xen_sysctl(&s, XEN_SYSCTL_readconsole);
		if (r)
			return fail("readconsole", r);
		if (!s.u.readconsole.count)
			return 0;
		fwrite(buf, 1, s.u.readconsole.count, stdout);
		index = s.u.readconsole.index;
	}
}

/*
 * The guest's console ring: take what it wrote, then tell it there is room again.
 * The guest owns the indices: no more than one ring's worth is trusted at a time.
 */
static int drain(struct xencons_interface *ring)
{
	char buf[sizeof(ring->out)];
	XENCONS_RING_IDX cons = ring->out_cons;
	/* The index, then the bytes it covers. */
	XENCONS_RING_IDX prod = __atomic_load_n(&ring->out_prod, __ATOMIC_ACQUIRE);
	size_t n = 0;

	while (cons != prod && n < sizeof(buf))
		buf[n++] = ring->out[MASK_XENCONS_IDX(cons++, ring->out)];
	/* The bytes are read before the guest may reuse them. */
	__atomic_store_n(&ring->out_cons, cons, __ATOMIC_RELEASE);
	if (n && write(STDOUT_FILENO, buf, n) != (ssize_t)n)
		return -1;
	return n;
}

static int cmd_console(const char *id)
{
	domid_t dom = number(id, DOMID_FIRST_RESERVED - 1);
	struct xen_domctl_getdomaininfo info;
	struct ioctl_evtchn_bind_interdomain bind;
	struct ioctl_evtchn_notify notify;
	struct xencons_interface *ring;
	uint64_t pfn, port;
	struct pollfd pfd;
	uint32_t pending;
	long r;
	int n;

	r = xen_get_param(dom, HVM_PARAM_CONSOLE_PFN, &pfn);
	if (!r)
		r = xen_get_param(dom, HVM_PARAM_CONSOLE_EVTCHN, &port);
	if (!r && (!pfn || !port))
		r = -ENOENT;	/* no console (yet): frame 0 is RAM, not a ring */
	if (r)
		return fail("console", r);
	ring = xen_map(dom, pfn, 1);
	if (!ring)
		return fail("console: map", -errno);
	pfd.fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	pfd.events = POLLIN;
	bind = (struct ioctl_evtchn_bind_interdomain){ .remote_domain = dom,
						       .remote_port = port };
	r = pfd.fd < 0 ? -errno : ioctl(pfd.fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (r < 0)
		return fail("console: bind", pfd.fd < 0 ? r : -errno);
	notify.port = r;
	/* Until the domain is gone: each kick from the guest, or 5 times a second. */
	while (xen_dominfo(dom, &info) == 0 && !(info.flags & XEN_DOMINF_dying)) {
		n = drain(ring);
		if (n < 0)
			return 1;
		if (n)
			ioctl(pfd.fd, IOCTL_EVTCHN_NOTIFY, &notify);
		if (poll(&pfd, 1, 200) > 0 && read(pfd.fd, &pending, sizeof(pending)) > 0)
			write(pfd.fd, &pending, sizeof(pending));	/* unmask it again */
	}
	/* What it wrote last: the mapping keeps the page, even of a domain gone. */
	return drain(ring) < 0;
}

int main(int argc, char **argv)
{
	long r;

	if (argc < 2)
		usage();
	r = xen_open();
	if (r)
		return fail("/dev/xen/privcmd", r);
	if (!strcmp(argv[1], "create"))
		return cmd_create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list") && argc == 2)
		return cmd_list();
	if (!strcmp(argv[1], "destroy") && argc == 3)
		return cmd_destroy(argv[2]);
	if (!strcmp(argv[1], "console") && argc == 3)
		return cmd_console(argv[2]);
	if (!strcmp(argv[1], "dmesg") && argc == 2)
		return cmd_dmesg();
	usage();
}
