// SPDX-License-Identifier: GPL-2.0
/* What the dom0 test programs share. See dom0lib.h. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dom0lib.h"

/* ---- TAP. */
int tap_n, tap_failed;

void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	tap_failed += !cond;
}

void skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_n, why);
}

int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

void bail(const char *why)
{
	printf("Bail out! %s\n", why);
	destroy_all();
	exit(1);
}

/* ---- Hypercalls through /dev/xen/privcmd. */
int privcmd_fd = -1;
void (*after_call)(void);

int open_privcmd(void)
{
	privcmd_fd = open("/dev/xen/privcmd", O_RDWR);
	if (privcmd_fd < 0) {
		printf("Bail out! /dev/xen/privcmd: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

long hc_on(int fd, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	privcmd_hypercall_t h = { op, { a0, a1, a2 } };
	long r = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);

	if (after_call)
		after_call();
	return r < 0 ? -errno : r;
}

long hc(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return hc_on(privcmd_fd, op, a0, a1, a2);
}

long domctl(struct xen_domctl *d, uint32_t cmd, domid_t dom)
{
	d->cmd = cmd;
	d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	d->domain = dom;
	return hc(__HYPERVISOR_domctl, (uint64_t)d, 0, 0);
}

long domctl0(uint32_t cmd, domid_t dom)
{
	struct xen_domctl d;

	memset(&d, 0, sizeof(d));
	return domctl(&d, cmd, dom);
}

long sysctl(struct xen_sysctl *s, uint32_t cmd)
{
	s->cmd = cmd;
	s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return hc(__HYPERVISOR_sysctl, (uint64_t)s, 0, 0);
}

long getdomaininfo(domid_t dom, struct xen_domctl_getdomaininfo *info)
{
	struct xen_domctl d;
	long r;

	memset(&d, 0, sizeof(d));
	r = domctl(&d, XEN_DOMCTL_getdomaininfo, dom);
	*info = d.u.getdomaininfo;
	return r;
}

int gone(domid_t dom)
{
	struct xen_domctl_getdomaininfo info;
	long r = getdomaininfo(dom, &info);

	return r == -ESRCH || (r == 0 && info.domain > dom);
}

long reservation(unsigned int cmd, domid_t dom, const xen_pfn_t *gfns, unsigned long nr,
		 unsigned int order)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr, .extent_order = order, .domid = dom,
	};

	set_xen_guest_handle(r.extent_start, (xen_pfn_t *)gfns);
	return hc(__HYPERVISOR_memory_op, cmd, (uint64_t)&r, 0);
}

/* ---- Foreign mappings. */
void *privcmd_mmap(unsigned long pages)
{
	void *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, privcmd_fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

long mmapbatch(void *addr, unsigned int num, domid_t dom, const xen_pfn_t *gfns, int *err)
{
	privcmd_mmapbatch_v2_t m = { num, dom, (uint64_t)addr, gfns, err };
	long r = ioctl(privcmd_fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m) < 0 ? -errno : 0;

	if (after_call)
		after_call();
	return r;
}

long mmap_resource(domid_t dom, uint32_t type, uint32_t id, uint32_t idx, uint64_t *num,
		   void *addr)
{
	privcmd_mmap_resource_t m = { dom, type, id, idx, *num, (uint64_t)addr };
	long r = ioctl(privcmd_fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &m) < 0 ? -errno : 0;

	*num = m.num;
	return r;
}

/* ---- The domains a program made. */
static domid_t doms[64];
static int nr_doms;
/* race-test makes and destroys domains from several threads. */
static pthread_mutex_t doms_lock = PTHREAD_MUTEX_INITIALIZER;

struct xen_domctl_createdomain pvh_config(unsigned int max_vcpus)
{
	struct xen_domctl_createdomain c = {
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
		.max_vcpus = max_vcpus,
		.max_evtchn_port = 1023,
		.max_grant_frames = -1,
		.max_maptrack_frames = -1,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
		.arch.emulation_flags = XEN_X86_EMU_LAPIC,
	};

	return c;
}

void remember(domid_t dom)
{
	pthread_mutex_lock(&doms_lock);
	if (nr_doms < (int)(sizeof(doms) / sizeof(doms[0])))
		doms[nr_doms++] = dom;
	pthread_mutex_unlock(&doms_lock);
}

void forget(domid_t dom)
{
	int i;

	pthread_mutex_lock(&doms_lock);
	for (i = 0; i < nr_doms; i++)
		if (doms[i] == dom)
			doms[i] = doms[--nr_doms];
	pthread_mutex_unlock(&doms_lock);
}

/* Destroyed first, forgotten then: a signal in between destroys it twice, harmlessly. */
long destroy(domid_t dom)
{
	long r = domctl0(XEN_DOMCTL_destroydomain, dom);

	forget(dom);
	return r;
}

/* No lock: on_signal() calls it, and only system calls are made (ioctl() is safe). */
void destroy_all(void)
{
	while (nr_doms > 0)
		domctl0(XEN_DOMCTL_destroydomain, doms[--nr_doms]);
}

static void on_signal(int sig)
{
	destroy_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

void destroy_on_signals(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
}

/* ---- HVM contexts. */
long gethvmcontext(domid_t dom, void *buf, uint32_t *size)
{
	struct xen_domctl d;
	long r;

	memset(&d, 0, sizeof(d));
	d.u.hvmcontext.size = *size;
	set_xen_guest_handle(d.u.hvmcontext.buffer, buf);
	r = domctl(&d, XEN_DOMCTL_gethvmcontext, dom);
	*size = d.u.hvmcontext.size;
	return r;
}

long sethvmcontext(domid_t dom, const void *buf, uint32_t size)
{
	struct xen_domctl d;

	memset(&d, 0, sizeof(d));
	d.u.hvmcontext.size = size;
	set_xen_guest_handle(d.u.hvmcontext.buffer, (uint8_t *)buf);
	return domctl(&d, XEN_DOMCTL_sethvmcontext, dom);
}

/* A context being built: records appended one at a time. */
struct ctx {
	uint8_t buf[8192];
	uint32_t len;
};

static void put_rec(struct ctx *c, uint16_t type, uint16_t instance, const void *data,
		    uint32_t len)
{
	struct hvm_save_descriptor desc = { type, instance, len };

	memcpy(c->buf + c->len, &desc, sizeof(desc));
	memcpy(c->buf + c->len + sizeof(desc), data, len);
	c->len += sizeof(desc) + len;
}

long set_one_rec(domid_t dom, const struct hvm_save_header *hdr, uint16_t type,
		 uint16_t instance, const void *data, uint32_t len)
{
	static __thread struct ctx c;

	c.len = 0;
	put_rec(&c, HVM_SAVE_CODE(HEADER), 0, hdr, sizeof(*hdr));
	put_rec(&c, type, instance, data, len);
	put_rec(&c, HVM_SAVE_CODE(END), 0, NULL, 0);
	return sethvmcontext(dom, c.buf, c.len);
}

struct hvm_hw_cpu pvh_bsp(uint64_t entry)
{
	struct hvm_hw_cpu c;

	memset(&c, 0, sizeof(c));
	c.cs_limit = c.ds_limit = c.es_limit = c.ss_limit = ~0u;
	c.tr_limit = 0x67;
	c.cs_arbytes = 0xc9b;
	c.ds_arbytes = c.es_arbytes = c.ss_arbytes = 0xc93;
	c.tr_arbytes = 0x8b;
	c.cr0 = X86_CR0_PE | X86_CR0_ET;
	c.rip = entry;
	c.dr6 = 0xffff0ff0;		/* X86_DR6_DEFAULT */
	c.dr7 = 0x400;			/* X86_DR7_DEFAULT */
	c.rbx = 0;			/* no start_info here */
	return c;
}

/* ---- /dev/xen/evtchn. */
_Static_assert(sizeof(struct ioctl_evtchn_bind_interdomain) == 2 * sizeof(unsigned int) &&
	       offsetof(struct ioctl_evtchn_bind_interdomain, remote_port) == sizeof(unsigned int),
	       "evtchn arguments: unsigned ints");

int evtchn_io(int fd, unsigned long cmd, unsigned int a, unsigned int b)
{
	unsigned int arg[2] = { a, b };
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

/* ---- The rest. */
int open_as_nobody(const char *path)
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

void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}
