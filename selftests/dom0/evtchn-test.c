// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/evtchn as dom0's processes see it on kxen: ports bound through Linux's
 * evtchn ioctls, read() giving the ports that fired, write() enabling them again, and
 * poll(). A loop within dom0: an unbound port, and a port bound to it. TAP on stdout;
 * root, inside the emulated machine, kxen loaded (selftests/module/dom0.t).
 *
 *   evtchn-test DOMID      DOMID: a running domU (VIRQ_DOM_EXC fires when it goes)
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dom0lib.h"

/* The ports waiting on fd now (non-blocking), or -errno. */
static int pending(int fd, uint32_t *ports, int max)
{
	ssize_t r = read(fd, ports, max * 4);

	return r < 0 ? -errno : (int)(r / 4);
}

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* An address nobody maps. */
static void *volatile bad = (void *)8;

int main(int argc, char **argv)
{
	int domu = argc > 1 ? atoi(argv[1]) : 1;
	int fd, fd2, a, b, exc, r;
	uint32_t got[8];
	char cmd[128];

	fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		printf("Bail out! /dev/xen/evtchn: %s\n", strerror(errno));
		return 1;
	}
	fd2 = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);

	ok(pending(fd, got, 8) == -EAGAIN, "nothing to read yet: EAGAIN");
	ok(ioctl(fd, IOCTL_EVTCHN_NOTIFY, bad) < 0 && errno == EFAULT,
	   "an ioctl at a bad address: EFAULT");
	ok(!readable(fd), "poll: not readable");

	a = evtchn_io(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0, 0);
	ok(a > 0, "BIND_UNBOUND_PORT for dom0: port %d", a);
	b = evtchn_io(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, 0, a);
	ok(b > 0 && b != a, "BIND_INTERDOMAIN to it: port %d", b);
	/* A bind raises the local port (whatever was sent to the unbound one is not lost). */
	r = pending(fd, got, 8);
	ok(r == 1 && got[0] == (uint32_t)b, "the new port fired once (got %d)", r);
	ok(evtchn_io(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, 0, a) == -EINVAL,
	   "binding the same remote port again: EINVAL");

	ok(evtchn_io(fd, IOCTL_EVTCHN_NOTIFY, b, 0) == 0, "NOTIFY %d", b);
	ok(readable(fd), "poll: readable");
	ok(read(fd, bad, 8) < 0 && errno == EFAULT, "read into a bad buffer: EFAULT");
	r = pending(fd, got, 8);
	ok(r == 1 && got[0] == (uint32_t)a, "read: port %d fired (the failed read lost nothing)", a);
	ok(evtchn_io(fd, IOCTL_EVTCHN_NOTIFY, b, 0) == 0 && pending(fd, got, 8) == -EAGAIN,
	   "fired again while not enabled: nothing more to read");
	ok(write(fd, &a, 4) == 4, "write %d: enabled again", a);
	r = pending(fd, got, 8);
	ok(r == 1 && got[0] == (uint32_t)a, "and what fired meanwhile is read now");
	write(fd, &a, 4);
	write(fd, &b, 4);

	ok(evtchn_io(fd2, IOCTL_EVTCHN_NOTIFY, b, 0) == -ENOTCONN,
	   "NOTIFY of another file's port: ENOTCONN");
	ok(evtchn_io(fd2, IOCTL_EVTCHN_UNBIND, a, 0) == -ENOTCONN,
	   "UNBIND of another file's port: ENOTCONN");
	ok(evtchn_io(fd, IOCTL_EVTCHN_NOTIFY, 5000, 0) == -EINVAL, "NOTIFY of port 5000: EINVAL");
	ok(evtchn_io(fd, IOCTL_EVTCHN_BIND_VIRQ, VIRQ_TIMER, 0) == -EINVAL,
	   "BIND_VIRQ of a per-vcpu VIRQ: EINVAL");
	ok(evtchn_io(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, DOMID_INVALID, 1) == -ESRCH,
	   "BIND_INTERDOMAIN to DOMID_INVALID: ESRCH");
	ok(evtchn_io(fd, _IOC(_IOC_NONE, 'E', 99, 0), 0, 0) == -ENOSYS,
	   "an unknown ioctl: ENOSYS (as Linux)");

	/* VIRQ_DOM_EXC: a domain went away. */
	exc = evtchn_io(fd2, IOCTL_EVTCHN_BIND_VIRQ, VIRQ_DOM_EXC, 0);
	ok(exc > 0, "BIND_VIRQ(DOM_EXC): port %d", exc);
	ok(evtchn_io(fd, IOCTL_EVTCHN_BIND_VIRQ, VIRQ_DOM_EXC, 0) == -EEXIST, "twice: EEXIST");
	snprintf(cmd, sizeof(cmd), "%s destroy %d", DOMU_TOOL, domu);
	ok(system(cmd) == 0, "d%d destroyed", domu);
	r = pending(fd2, got, 8);
	ok(r == 1 && got[0] == (uint32_t)exc, "VIRQ_DOM_EXC fired (got %d)", r);

	ok(evtchn_io(fd, IOCTL_EVTCHN_UNBIND, a, 0) == 0, "UNBIND %d", a);
	ok(evtchn_io(fd, IOCTL_EVTCHN_NOTIFY, a, 0) == -ENOTCONN,
	   "then it is not ours: ENOTCONN");
	ok(evtchn_io(fd, IOCTL_EVTCHN_RESTRICT_DOMID, 0, 0) == -EINVAL,
	   "RESTRICT_DOMID to 0: EINVAL");
	ok(evtchn_io(fd, IOCTL_EVTCHN_RESTRICT_DOMID, 7, 0) == 0, "RESTRICT_DOMID to 7");
	ok(evtchn_io(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0, 0) == -EACCES,
	   "then BIND_UNBOUND_PORT: EACCES");
	ok(evtchn_io(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, 0, b) == -EACCES,
	   "and BIND_INTERDOMAIN to dom0: EACCES");
	close(fd);
	close(fd2);
	return done_testing();
}
