// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/gntdev as dom0's processes see it on kxen: a domU's grant mapped into this
 * process through Linux's gntdev ioctls and mmap(), as xenconsoled maps a console ring.
 * The domain is one kxen-domu made, which (as libxenguest) grants its console ring to
 * dom0 as ref 0; what this process writes in the ring's output half comes out of a
 * reader that maps the ring by its frame (kxen-domu console), so the mapping is that
 * very page. TAP on stdout; root, inside the emulated machine, kxen loaded
 * (selftests/module/dom0.t).
 *
 *   gntdev-test DOMID      DOMID: a running domU of kxen-domu's, which the test
 *                          destroys at the end (while it maps the domain's ring)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dom0lib.h"

/* public/io/console.h: the ring page's output half, and its producer index. */
#define OUT		offsetof(struct xencons_interface, out)
#define OUT_PROD	offsetof(struct xencons_interface, out_prod)

/* MAP_GRANT_REF of one (domid, ref): the file offset, or -errno. */
static long map_ref(int fd, uint32_t domid, uint32_t ref)
{
	struct ioctl_gntdev_map_grant_ref op = { .count = 1, .refs = { { domid, ref } } };

	return ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &op) < 0 ? -errno : (long)op.index;
}

static int mmap_errno(int fd, long index, int prot, int flags)
{
	void *p = mmap(NULL, 4096, prot, flags, fd, index);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, 4096);
	return 0;
}

int main(int argc, char **argv)
{
	int domid = argc > 1 ? atoi(argv[1]) : 1;
	const char msg[] = "hello from a dom0 process\n";
	struct ioctl_gntdev_get_offset_for_vaddr off;
	struct ioctl_gntdev_unmap_grant_ref un;
	struct ioctl_gntdev_set_max_grants max = { 8 };
	char buf[4096], cmd[160];
	long idx, bad;
	FILE *con;
	char *ring;
	ssize_t r;
	int fd;

	fd = open("/dev/xen/gntdev", O_RDWR);
	if (fd < 0) {
		printf("Bail out! /dev/xen/gntdev: %s\n", strerror(errno));
		return 1;
	}
	ok(open_as_nobody("/dev/xen/gntdev") == EPERM, "an unprivileged open: EPERM");
	ok(ioctl(fd, IOCTL_GNTDEV_SET_MAX_GRANTS, &max) < 0 && errno == ENOTTY,
	   "SET_MAX_GRANTS: ENOTTY (as Linux 6.1)");

	idx = map_ref(fd, domid, 0);
	ok(idx >= 0, "MAP_GRANT_REF d%d ref 0 (its console ring): offset %#lx", domid, idx);
	ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, idx);
	ok(ring != MAP_FAILED, "mmap it, writable");
	if (ring == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}
	off.vaddr = (uint64_t)ring;
	ok(ioctl(fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &off) == 0 && off.offset == (uint64_t)idx &&
	   off.count == 1, "GET_OFFSET_FOR_VADDR: that offset, 1 page");
	ok(mmap_errno(fd, idx, PROT_READ, MAP_SHARED) == EINVAL, "mapping it a second time: EINVAL");

	/*
	 * As if the guest wrote to its console: a reader that maps the ring by its frame
	 * (kxen-domu console, a foreign mapping) must see it. This guest writes nothing
	 * there itself.
	 */
	memcpy(ring + OUT, msg, sizeof(msg) - 1);
	__atomic_store_n((XENCONS_RING_IDX *)(ring + OUT_PROD), sizeof(msg) - 1,
			 __ATOMIC_RELEASE);
	snprintf(cmd, sizeof(cmd), "timeout 2 %s console %d", DOMU_TOOL, domid);
	con = popen(cmd, "r");
	r = con ? fread(buf, 1, sizeof(buf) - 1, con) : 0;
	buf[r > 0 ? r : 0] = 0;
	if (con)
		pclose(con);
	ok(r > 0 && strstr(buf, "hello from a dom0 process"),
	   "written through the mapping, read through d%d's console frame", domid);

	ok(munmap(ring, 4096) == 0, "munmap");
	un.index = idx;
	un.count = 1;
	ok(ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un) == 0, "UNMAP_GRANT_REF");
	ok(ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un) < 0 && errno == ENOENT, "again: ENOENT");

	/* Grants that are not there, or not to dom0. */
	bad = map_ref(fd, domid, 5);
	ok(bad >= 0 && mmap_errno(fd, bad, PROT_READ, MAP_SHARED) == EINVAL,
	   "ref 5, not granted: mmap EINVAL");
	bad = map_ref(fd, domid, 100000);
	ok(bad >= 0 && mmap_errno(fd, bad, PROT_READ, MAP_SHARED) == EINVAL,
	   "ref 100000, beyond the table: mmap EINVAL");
	bad = map_ref(fd, 0x7000, 0);
	ok(bad >= 0 && mmap_errno(fd, bad, PROT_READ, MAP_SHARED) == EINVAL,
	   "a domain that does not exist: mmap EINVAL");
	idx = map_ref(fd, domid, 0);
	ok(mmap_errno(fd, idx, PROT_READ, MAP_PRIVATE) == EINVAL, "a private mapping: EINVAL");
	ok(mmap_errno(fd, idx, PROT_READ, MAP_SHARED) == 0, "read-only, shared: fine");
	{
		struct ioctl_gntdev_map_grant_ref op = { .count = 0 };

		ok(ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &op) < 0 && errno == EINVAL,
		   "MAP_GRANT_REF of 0 grants: EINVAL");
		op.count = 1 << 30;
		ok(ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &op) < 0 && errno == EINVAL,
		   "MAP_GRANT_REF of 2^30 grants: EINVAL");
		ok(ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, (void *)8) < 0 && errno == EFAULT,
		   "MAP_GRANT_REF at a bad address: EFAULT");
	}
	/* The domain goes while its ring is mapped: the page stays the mapping's. */
	idx = map_ref(fd, domid, 0);
	ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, idx);
	snprintf(cmd, sizeof(cmd), "%s destroy %d", DOMU_TOOL, domid);
	ok(ring != MAP_FAILED && system(cmd) == 0, "d%d destroyed while dom0 maps its ring", domid);
	if (ring != MAP_FAILED) {
		ok(!memcmp(ring + OUT, msg, sizeof(msg) - 1), "the mapping still reads the page");
		ring[OUT] = 'H';
		ok(munmap(ring, 4096) == 0, "and unmaps");
	}
	close(fd);
	return done_testing();
}
