// SPDX-License-Identifier: GPL-2.0
/*
 * Dom0's calls racing each other and the end of a domain, and every size dom0 chooses,
 * at its worst (issues 15 and 16). The host must come through whole: no call may hang
 * or take seconds, a page dom0 maps must stay the mapping's while the domain goes, and
 * kxen must give Xen 4.17's answers. Whether the kernel stayed clean (no BUG, WARN,
 * list corruption) and whether its memory came back, selftests/module/races.t checks
 * after each part. TAP on stdout; root, inside the emulated machine, kxen loaded:
 *
 *   race-test races [ROUNDS]     (a) MMAPBATCH_V2 mappings of a running domain's RAM,
 *                                touched, against XEN_DOMCTL_destroydomain, both
 *                                orders; (b) gntdev mappings and GRANT_COPY against
 *                                it; (c) the domain crashing or powering off under
 *                                them, then destroyed; (d) populate_physmap and
 *                                decrease_reservation against it; (e) both on dom0
 *                                itself from 4 threads; (h) createdomain against a
 *                                destroy of the id it is about to get
 *   race-test bounds             (g) each count and size dom0 passes, at its largest
 *   race-test fuzz [SEED [CALLS]] (f) random hypercalls and ioctls, a domain running
 *
 * The domains are this program's own, built with dom0's calls alone as libxenguest
 * builds one: a page of code at gfn 0x101 that the boot vcpu runs in 32-bit protected
 * mode, a counter and a flag at gfn 0x100, data pages after, granted to dom0. The
 * code counts and spins until dom0 sets the flag through its mapping: 1 crashes it
 * (ud2 with no IDT: a triple fault), 2 powers it off (hlt with interrupts off).
 * Every part is bounded in time (a watchdog fails a call that has not returned
 * after WATCHDOG seconds), and the domains are destroyed on the way out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dom0lib.h"

#define WATCHDOG	180	/* seconds a single call may take before the test fails */
/*
 * Seconds a call with a huge size may take: a hang detector, not a speed test. Clearing
 * 512 MiB takes 3-4 s under QEMU TCG, 23 s under Bochs, more on a loaded machine.
 */
#define BOUND		120.0

/* ---- The guest: gfn 0x100 its counter (offset 0) and flag (offset 4), 0x101 code. */
#define GFN_FLAG	0x100
#define GFN_CODE	0x101
#define GFN_DATA	0x102
#define NR_PAGES	16	/* 0x100 .. 0x10f */
#define FIRST_REF	8	/* data page i is granted to dom0 as ref FIRST_REF + i */
#define NR_REFS		8
#define FLAG_CRASH	1
#define FLAG_POWEROFF	2

static const uint8_t guest_code[] = {
	0xff, 0x05, 0x00, 0x00, 0x10, 0x00,		/*  0: incl 0x100000 */
	0x80, 0x3d, 0x04, 0x00, 0x10, 0x00, 0x00,	/*  6: cmpb $0, 0x100004 */
	0x74, 0xf1,					/* 13: je 0 */
	0x80, 0x3d, 0x04, 0x00, 0x10, 0x00, 0x01,	/* 15: cmpb $1, 0x100004 */
	0x74, 0x02,					/* 22: je 26 */
	0xf4,						/* 24: hlt: poweroff */
	0x90,						/* 25: */
	0x0f, 0x0b,					/* 26: ud2: crash */
};

/* ---- Time, randomness, and the watchdog. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64*: the same calls for the same seed, and per thread with its own state. */
static uint64_t rnd_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static uint64_t seed = 0x6b78656e2d726163ULL;

static uint64_t rnd(void)
{
	return rnd_next(&seed);
}

/*
 * Bumped by every call of the main thread's that returns (the race threads' calls do
 * not count: one of them stuck in the kernel stops the main thread at its join); the
 * watchdog fails the test when it stops.
 */
static volatile unsigned long progress;
static __thread int is_main;
static const char *volatile doing = "starting";

static void *watchdog(void *arg)
{
	unsigned long last = ~0UL;
	int still = 0;

	for (;;) {
		sleep(1);
		still = progress == last ? still + 1 : 0;
		last = progress;
		if (still >= WATCHDOG) {
			printf("not ok %d - %s: a call has not returned in %d s\n", ++tap_n,
			       doing, WATCHDOG);
			printf("Bail out! a call hangs\n");
			fflush(stdout);
			_exit(1);
		}
	}
	return arg;
}

/* Every call of the library's that returns counts, the main thread's alone. */
static void count_call(void)
{
	progress += is_main;
}

/* nr pages of dom from gfn, mapped: the address, or NULL (per-page errors in err). */
static uint8_t *map_gfns(domid_t dom, xen_pfn_t gfn, unsigned int nr, int *err, long *rc)
{
	xen_pfn_t gfns[64];
	uint8_t *p = privcmd_mmap(nr);
	unsigned int i;

	for (i = 0; i < nr; i++)
		gfns[i] = gfn + i;
	*rc = p ? mmapbatch(p, nr, dom, gfns, err) : -ENOMEM;
	if (*rc && p) {
		munmap(p, nr * PAGE);
		p = NULL;
	}
	return p;
}

/*
 * A domain that runs guest_code (when run is set; else it stays paused), with
 * NR_PAGES of RAM from GFN_FLAG and, when grants is set, its data pages granted to
 * dom0 (as refs FIRST_REF...). 0 and *id, or a negative step number.
 */
static long make_domain(domid_t *id, int run, int grants)
{
	struct xen_domctl d;
	struct hvm_save_descriptor desc;
	struct hvm_save_header hdr;
	struct hvm_hw_cpu cpu;
	static __thread uint8_t ctx[16384];
	uint32_t size = sizeof(ctx);
	xen_pfn_t gfns[NR_PAGES];
	int err[NR_PAGES], i;
	uint8_t *ram, *gt;
	long r;

	memset(&d, 0, sizeof(d));
	d.u.createdomain = pvh_config(1);
	if (domctl(&d, XEN_DOMCTL_createdomain, 0))
		return -1;
	*id = d.domain;
	remember(*id);

	memset(&d, 0, sizeof(d));
	d.u.max_mem.max_memkb = (NR_PAGES + 1024) * 4;	/* room for part (d) to populate */
	if (domctl(&d, XEN_DOMCTL_max_mem, *id))
		return -2;
	for (i = 0; i < NR_PAGES; i++)
		gfns[i] = GFN_FLAG + i;
	if (reservation(XENMEM_populate_physmap, *id, gfns, NR_PAGES, 0) != NR_PAGES)
		return -3;
	ram = map_gfns(*id, GFN_FLAG, NR_PAGES, err, &r);
	if (!ram)
		return -4;
	memcpy(ram + PAGE, guest_code, sizeof(guest_code));
	for (i = 2; i < NR_PAGES; i++)
		memset(ram + i * PAGE, i, PAGE);
	munmap(ram, NR_PAGES * PAGE);

	if (grants) {
		uint64_t num = 1;
		grant_entry_v1_t *e;

		gt = privcmd_mmap(1);
		if (!gt || mmap_resource(*id, XENMEM_resource_grant_table,
					 XENMEM_resource_grant_table_id_shared, 0, &num, gt))
			return -5;
		e = (grant_entry_v1_t *)gt;
		for (i = 0; i < NR_REFS; i++) {
			e[FIRST_REF + i].frame = GFN_DATA + i;
			e[FIRST_REF + i].domid = 0;
			__atomic_store_n(&e[FIRST_REF + i].flags, GTF_permit_access,
					 __ATOMIC_RELEASE);
		}
		munmap(gt, PAGE);
	}

	if (gethvmcontext(*id, ctx, &size))
		return -6;
	memcpy(&desc, ctx, sizeof(desc));
	memcpy(&hdr, ctx + sizeof(desc), sizeof(hdr));
	cpu = pvh_bsp((uint64_t)GFN_CODE << 12);
	if (set_one_rec(*id, &hdr, HVM_SAVE_CODE(CPU), 0, &cpu, sizeof(cpu)))
		return -7;
	if (run && domctl0(XEN_DOMCTL_unpausedomain, *id))
		return -8;
	return 0;
}

static domid_t must_make_domain(int run, int grants)
{
	domid_t id = 0;
	long r = make_domain(&id, run, grants);

	if (r) {
		printf("Bail out! cannot build a domain (step %ld, errno %d)\n", -r, errno);
		destroy_all();
		exit(2);
	}
	return id;
}

/* ---- One race: threads against the destruction of one domain. */
struct race {
	domid_t dom;
	volatile int stop, go;
	unsigned long calls, mapped, refused, lost, odd;
	char odd_what[160];
	uint64_t rs;		/* the thread's own random state */
};

static void note_odd(struct race *r, const char *fmt, long a, long b)
{
	if (!r->odd++)
		snprintf(r->odd_what, sizeof(r->odd_what), fmt, a, b);
}

/* A per-page error of a domain that is going: nothing else may come back. */
static int going_err(int e)
{
	return e == -EINVAL || e == -ESRCH || e == -ENOENT || e == -EPERM;
}

/*
 * Map the domain's RAM, write each data page through the mapping and read it back;
 * every third round keep the mapping until the domain has gone, then check it still
 * holds what was written (the page is the mapping's until munmap).
 */
static void *mmap_thread(void *arg)
{
	struct race *r = arg;
	uint8_t *held = NULL, *p;
	uint32_t stamp = 0;
	int err[NR_PAGES], i;
	long rc;

	while (!r->go)
		;
	while (!r->stop) {
		p = map_gfns(r->dom, GFN_FLAG, NR_PAGES, err, &rc);
		r->calls++;
		if (!p) {
			if (rc != -EINVAL && rc != -ESRCH)
				note_odd(r, "MMAPBATCH_V2 failed: %ld (%ld)", rc, 0);
			r->refused++;
			continue;
		}
		for (i = 0; i < NR_PAGES; i++) {
			if (err[i]) {
				if (!going_err(err[i]))
					note_odd(r, "page %ld: err %ld", i, err[i]);
				r->refused++;
				continue;
			}
			(void)*(volatile uint32_t *)(p + i * PAGE);	/* counter, code */
			if (i < 2)
				continue;
			*(volatile uint32_t *)(p + i * PAGE + 64) = ++stamp;
			if (*(volatile uint32_t *)(p + i * PAGE + 64) != stamp)
				r->lost++;
		}
		r->mapped++;
		if (!held && !err[NR_PAGES - 1] && r->calls % 3 == 1) {
			held = p;
			*(volatile uint32_t *)(held + (NR_PAGES - 1) * PAGE + 128) = 0x5eed;
			continue;
		}
		munmap(p, NR_PAGES * PAGE);
	}
	if (held) {
		if (*(volatile uint32_t *)(held + (NR_PAGES - 1) * PAGE + 128) != 0x5eed)
			r->lost++;
		munmap(held, NR_PAGES * PAGE);
	}
	return NULL;
}

/* gntdev: map the domain's grants, write through them, unmap; one kept until the end. */
static void *gntdev_thread(void *arg)
{
	struct race *r = arg;
	/* refs[1] is Linux's flexible array: room for NR_REFS of them. */
	union {
		struct ioctl_gntdev_map_grant_ref op;
		uint8_t room[sizeof(struct ioctl_gntdev_map_grant_ref) +
			     (NR_REFS - 1) * sizeof(struct ioctl_gntdev_grant_ref)];
	} m;
	struct ioctl_gntdev_unmap_grant_ref un;
	uint8_t *p, *held = NULL;
	int gfd = open("/dev/xen/gntdev", O_RDWR), i;

	while (!r->go)
		;
	while (gfd >= 0 && !r->stop) {
		memset(&m, 0, sizeof(m));
		m.op.count = NR_REFS;
		for (i = 0; i < NR_REFS; i++)
			m.op.refs[i] = (struct ioctl_gntdev_grant_ref){ r->dom, FIRST_REF + i };
		r->calls++;
		progress += is_main;
		if (ioctl(gfd, IOCTL_GNTDEV_MAP_GRANT_REF, &m)) {
			note_odd(r, "MAP_GRANT_REF: errno %ld (%ld)", errno, 0);
			continue;
		}
		p = mmap(NULL, NR_REFS * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gfd,
			 m.op.index);
		progress += is_main;
		if (p == MAP_FAILED) {
			if (errno != EINVAL)
				note_odd(r, "gntdev mmap: errno %ld (%ld)", errno, 0);
			r->refused++;
		} else {
			for (i = 0; i < NR_REFS; i++) {
				*(volatile uint32_t *)(p + i * PAGE + 256) = i + 1;
				if (*(volatile uint32_t *)(p + i * PAGE + 256) != (uint32_t)i + 1)
					r->lost++;
			}
			r->mapped++;
			if (!held && r->mapped % 2) {
				held = p;	/* its grant stays mapped past the domain */
				*(volatile uint32_t *)(held + 512) = 0xfee1;
			} else {
				munmap(p, NR_REFS * PAGE);
			}
		}
		un = (struct ioctl_gntdev_unmap_grant_ref){ m.op.index, NR_REFS, 0 };
		if (ioctl(gfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un))
			note_odd(r, "UNMAP_GRANT_REF: errno %ld (%ld)", errno, 0);
	}
	if (held) {
		if (*(volatile uint32_t *)(held + 512) != 0xfee1)
			r->lost++;
		munmap(held, NR_REFS * PAGE);
	}
	if (gfd >= 0)
		close(gfd);
	return NULL;
}

/* GRANT_COPY to and from every granted page, a batch at a time. */
static void *copy_thread(void *arg)
{
	struct race *r = arg;
	struct ioctl_gntdev_grant_copy_segment seg[2 * NR_REFS];
	struct ioctl_gntdev_grant_copy op = { 2 * NR_REFS, seg };
	static __thread uint8_t buf[2 * NR_REFS][512];
	int gfd = open("/dev/xen/gntdev", O_RDWR), i;

	while (!r->go)
		;
	while (gfd >= 0 && !r->stop) {
		memset(seg, 0, sizeof(seg));
		for (i = 0; i < 2 * NR_REFS; i++) {
			struct ioctl_gntdev_grant_copy_segment *s = &seg[i];
			int into = i & 1;

			s->len = sizeof(buf[i]);
			s->flags = into ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
			if (into) {
				s->dest.foreign.ref = FIRST_REF + i / 2;
				s->dest.foreign.domid = r->dom;
				s->dest.foreign.offset = 1024;
				s->source.virt = buf[i];
			} else {
				s->source.foreign.ref = FIRST_REF + i / 2;
				s->source.foreign.domid = r->dom;
				s->dest.virt = buf[i];
			}
			s->status = 0x55;
		}
		r->calls++;
		progress += is_main;
		if (ioctl(gfd, IOCTL_GNTDEV_GRANT_COPY, &op)) {
			note_odd(r, "GRANT_COPY: errno %ld (%ld)", errno, 0);
			continue;
		}
		for (i = 0; i < 2 * NR_REFS; i++) {
			if (seg[i].status == GNTST_okay)
				r->mapped++;
			else if (seg[i].status == GNTST_bad_domain ||
				 seg[i].status == GNTST_bad_gntref ||
				 seg[i].status == GNTST_general_error)
				r->refused++;
			else
				note_odd(r, "GRANT_COPY segment %ld: status %ld", i, seg[i].status);
		}
	}
	if (gfd >= 0)
		close(gfd);
	return NULL;
}

/* populate_physmap and decrease_reservation, 16 extents a call: 0..16 done, no less. */
static void *populate_thread(void *arg)
{
	struct race *r = arg;
	xen_pfn_t gfns[16];
	unsigned long base = 0x1000;
	long n;
	int i;

	while (!r->go)
		;
	while (!r->stop) {
		for (i = 0; i < 16; i++)
			gfns[i] = base + i;
		n = reservation(XENMEM_populate_physmap, r->dom, gfns, 16, 0);
		r->calls++;
		if (n < 0 || n > 16)
			note_odd(r, "populate_physmap of 16: %ld (%ld)", n, 0);
		else if (n == 16)
			r->mapped++;
		else
			r->refused++;
		n = reservation(XENMEM_decrease_reservation, r->dom, gfns, 16, 0);
		r->calls++;
		if (n < 0 || n > 16)
			note_odd(r, "decrease_reservation of 16: %ld (%ld)", n, 0);
		base = 0x1000 + (base + 16) % 0x2000;
	}
	return NULL;
}

/* Every thread of a race, and what they found, summed over the rounds. */
struct tally {
	unsigned long rounds, calls, mapped, refused, lost, odd, destroy_bad, not_gone;
	double t0;
	char odd_what[160];
};

static void add(struct tally *t, const struct race *r)
{
	t->calls += r->calls;
	t->mapped += r->mapped;
	t->refused += r->refused;
	t->lost += r->lost;
	if (r->odd && !t->odd)
		memcpy(t->odd_what, r->odd_what, sizeof(t->odd_what));
	t->odd += r->odd;
}

static void report(const char *what, struct tally *t)
{
	ok(t->rounds && !t->odd && !t->destroy_bad && !t->not_gone,
	   "%s: %lu rounds, %lu calls all returned with Xen's answers, destroydomain 0, "
	   "the domain gone (%lu mapped, %lu refused; odd %lu%s%s; bad destroy %lu, "
	   "not gone %lu; %.1f s)", what, t->rounds, t->calls, t->mapped, t->refused, t->odd,
	   t->odd ? ": " : "", t->odd ? t->odd_what : "", t->destroy_bad, t->not_gone,
	   now() - t->t0);
	ok(!t->lost, "%s: every page mapped kept what was written, past the domain's end "
	   "(%lu lost)", what, t->lost);
}

/*
 * One round: the threads start on a running domain; destroy comes first (the
 * threads begin 0..200 us after it), or after them (0..4 ms in). Then the threads
 * go on a little against the dead domain and stop.
 */
static void race_round(struct tally *t, void *(*fn[])(void *), int nfn, int destroy_first,
		       int shutdown_flag)
{
	struct race r[4];
	pthread_t th[4];
	domid_t dom = must_make_domain(1, 1);
	uint8_t *flag = NULL;
	int i, err[1];
	long rc;

	memset(r, 0, sizeof(r));
	for (i = 0; i < nfn; i++) {
		r[i].dom = dom;
		r[i].rs = rnd() | 1;
		pthread_create(&th[i], NULL, fn[i], &r[i]);
	}
	if (shutdown_flag)
		flag = map_gfns(dom, GFN_FLAG, 1, err, &rc);
	if (destroy_first) {
		for (i = 0; i < nfn; i++)
			r[i].go = 0;
		rc = destroy(dom);
		sleep_us(rnd() % 200);
		for (i = 0; i < nfn; i++)
			r[i].go = 1;
	} else {
		for (i = 0; i < nfn; i++)
			r[i].go = 1;
		sleep_us(rnd() % 4000);
		if (flag) {
			struct xen_domctl_getdomaininfo info;
			int n;

			/* The guest sees the flag and stops: a crash, or a poweroff. */
			__atomic_store_n(flag + 4, shutdown_flag, __ATOMIC_RELEASE);
			for (n = 0; n < 300; n++) {
				if (getdomaininfo(dom, &info) == 0 &&
				    (info.flags & XEN_DOMINF_shutdown))
					break;
				sleep_us(10000);
			}
			if (!(info.flags & XEN_DOMINF_shutdown) ||
			    ((info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) !=
			    (shutdown_flag == FLAG_CRASH ? SHUTDOWN_crash : SHUTDOWN_poweroff))
				note_odd(&r[0], "no shutdown seen: flags %#lx (%ld)", info.flags, 0);
			sleep_us(rnd() % 4000);
		}
		rc = destroy(dom);
	}
	if (rc)
		t->destroy_bad++;
	sleep_us(2000);
	for (i = 0; i < nfn; i++)
		r[i].stop = 1;
	for (i = 0; i < nfn; i++) {
		pthread_join(th[i], NULL);
		add(t, &r[i]);
	}
	if (flag) {
		/* The flag page outlived the domain too. */
		if (flag[4] != shutdown_flag)
			t->lost++;
		munmap(flag, PAGE);
	}
	if (!gone(dom))
		t->not_gone++;
	t->rounds++;
}

static void races(int rounds)
{
	void *(*map_fns[])(void *) = { mmap_thread, mmap_thread };
	void *(*gnt_fns[])(void *) = { gntdev_thread, copy_thread, mmap_thread };
	void *(*pop_fns[])(void *) = { populate_thread, mmap_thread };
	const double per_part = 8.0;	/* seconds: rounds stop early past this */
	struct tally t;
	int i;

	/* The guest runs: its counter moves. */
	{
		domid_t dom = must_make_domain(1, 0);
		uint32_t c0, c1;
		int err[1];
		long rc;
		uint8_t *p = map_gfns(dom, GFN_FLAG, 1, err, &rc);

		c0 = p ? *(volatile uint32_t *)p : 0;
		sleep_us(200000);
		c1 = p ? *(volatile uint32_t *)p : 0;
		ok(p && c1 != c0, "the test guest runs: its counter went from %u to %u", c0, c1);
		if (p)
			munmap(p, PAGE);
		ok(destroy(dom) == 0 && gone(dom), "and is destroyed: 0, gone");
	}

	doing = "(a) MMAPBATCH_V2 against destroydomain, destroy last";
	memset(&t, 0, sizeof(t));
	t.t0 = now();
	for (i = 0; i < rounds && now() - t.t0 < per_part; i++)
		race_round(&t, map_fns, 2, 0, 0);
	report("(a) 2 threads mapping and touching a running domain's RAM, destroyed under "
	       "them", &t);

	doing = "(a) MMAPBATCH_V2 against destroydomain, destroy first";
	memset(&t, 0, sizeof(t));
	t.t0 = now();
	for (i = 0; i < rounds && now() - t.t0 < per_part; i++)
		race_round(&t, map_fns, 2, 1, 0);
	report("(a) destroydomain first, 2 threads mapping right after it", &t);

	doing = "(b) gntdev maps and GRANT_COPY against destroydomain";
	memset(&t, 0, sizeof(t));
	t.t0 = now();
	for (i = 0; i < rounds && now() - t.t0 < per_part; i++)
		race_round(&t, gnt_fns, 3, i & 1, 0);
	report("(b) gntdev MAP_GRANT_REF + mmap, GRANT_COPY and MMAPBATCH_V2 against "
	       "destroydomain, both orders", &t);

	doing = "(c) the domain crashes or powers off under mappings, then destroyed";
	memset(&t, 0, sizeof(t));
	t.t0 = now();
	for (i = 0; i < rounds && now() - t.t0 < per_part; i++)
		race_round(&t, gnt_fns, 3, 0, i & 1 ? FLAG_POWEROFF : FLAG_CRASH);
	report("(c) the domain crashing (ud2, no IDT) or powering off under gntdev, "
	       "GRANT_COPY and MMAPBATCH_V2, then destroyed", &t);

	doing = "(d) populate_physmap against destroydomain";
	memset(&t, 0, sizeof(t));
	t.t0 = now();
	for (i = 0; i < rounds && now() - t.t0 < per_part; i++)
		race_round(&t, pop_fns, 2, i & 1, 0);
	report("(d) populate_physmap / decrease_reservation and MMAPBATCH_V2 against "
	       "destroydomain, both orders", &t);
}

/*
 * (e) Dom0's own physmap: on Xen a PV dom0 may populate it, but kxen's dom0 is the
 * host Linux, whose memory is Linux's and which kxen has no p2m for. kxen refuses as
 * Xen refuses any reservation it cannot do (xen/common/memory.c do_memory_op: it
 * returns the extents done so far, here 0): never a crash, never memory given.
 */
struct dom0_args {
	unsigned long calls, bad;
	long what;
};

static void *dom0_thread(void *arg)
{
	struct dom0_args *a = arg;
	xen_pfn_t gfns[4];
	unsigned int i, k;
	long n;

	for (i = 0; i < 200; i++) {
		for (k = 0; k < 4; k++)
			gfns[k] = 0x80000 + (i * 4 + k) * 512;
		n = reservation(i & 2 ? XENMEM_decrease_reservation : XENMEM_populate_physmap,
				i & 1 ? DOMID_SELF : 0, gfns, 4, i & 4 ? 9 : 0);
		a->calls++;
		if (n != 0) {
			a->bad++;
			a->what = n;
		}
	}
	return NULL;
}

static void dom0_physmap(void)
{
	struct dom0_args a[4];
	pthread_t th[4];
	unsigned long calls = 0, bad = 0;
	long what = 0;
	int i;

	doing = "(e) populate_physmap on dom0 from 4 threads";
	memset(a, 0, sizeof(a));
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, dom0_thread, &a[i]);
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		calls += a[i].calls;
		bad += a[i].bad;
		if (a[i].bad)
			what = a[i].what;
	}
	ok(calls == 800 && !bad,
	   "(e) populate_physmap and decrease_reservation of dom0 (0 and DOMID_SELF), "
	   "orders 0 and 9, 4 threads: %lu calls, each 0 extents done (%lu otherwise, "
	   "e.g. %ld)", calls, bad, what);
}

/*
 * (h) createdomain against a destroy of the id it is about to hand out: ids come in
 * turn, so another process can guess the next one and destroy the domain between its
 * creation and the end of the createdomain call. The call must then fail (ESRCH) or
 * succeed with a domain that destroy can still end; never a freed domain used, never
 * vcpus that nothing stops.
 */
static volatile domid_t h_last;
static volatile int h_stop;
static unsigned long h_kills;

static void *h_killer(void *arg)
{
	struct xen_domctl d;

	while (!h_stop) {
		domid_t next = h_last + 1 + (domid_t)(rand() % 2);

		memset(&d, 0, sizeof(d));
		if (domctl(&d, XEN_DOMCTL_destroydomain, next) == 0)
			h_kills++;
	}
	return arg;
}

static void create_vs_destroy(void)
{
	static domid_t ids[2000];
	struct xen_domctl d;
	unsigned long made = 0, lost = 0, bad = 0, left = 0, j;
	long r, last_bad = 0;
	double t0 = now();
	pthread_t th;
	int i;

	doing = "(h) createdomain against a destroy of the id it gets";
	pthread_create(&th, NULL, h_killer, NULL);
	for (i = 0; i < 2000 && now() - t0 < 6.0; i++) {
		memset(&d, 0, sizeof(d));
		d.u.createdomain = pvh_config(2);
		r = domctl(&d, XEN_DOMCTL_createdomain, 0);
		if (r == 0) {
			ids[made++] = d.domain;
			h_last = d.domain;
			r = domctl0(XEN_DOMCTL_destroydomain, d.domain);
			if (r != 0 && r != -ESRCH) {	/* ESRCH: the racer was first */
				bad++;
				last_bad = r;
			}
		} else if (r == -ESRCH) {
			lost++;		/* destroyed while it was being made */
		} else {
			bad++;
			last_bad = r;
		}
	}
	h_stop = 1;
	pthread_join(th, NULL);
	/* Every destroy has returned: each domain made is gone now. */
	for (j = 0; j < made; j++)
		left += !gone(ids[j]);
	ok(made + lost > 0 && !bad && !left,
	   "(h) createdomain with a destroy of the next ids racing it: %lu made, %lu "
	   "destroyed during the call (ESRCH), %lu destroys by the racer; %lu other "
	   "answers (e.g. %ld), %lu left behind", made, lost, h_kills, bad, last_bad, left);
}

/* ---- (g) The largest sizes. */

/*
 * A 512 MiB buffer that costs 1 MiB: one memfd mapped 512 times over, with an
 * unmapped page after it. The kernel may write all of it; what it reads back is the
 * same megabyte again.
 */
#define BIG		(512UL << 20)
static uint8_t *big;

static uint8_t *make_big(void)
{
	int mfd = memfd_create("race-test", 0);
	uint8_t *p;
	unsigned long off;

	if (mfd < 0 || ftruncate(mfd, 1 << 20))
		return NULL;
	p = mmap(NULL, BIG + PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	for (off = 0; off < BIG; off += 1 << 20)
		if (mmap(p + off, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd,
			 0) == MAP_FAILED)
			return NULL;
	close(mfd);
	return p;
}

/* A buffer of n pages followed by an unmapped one: the kernel must stop at its end. */
static uint8_t *guarded(unsigned long pages)
{
	uint8_t *p = mmap(NULL, (pages + 1) * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + pages * PAGE, PAGE);
	return p;
}

/*
 * Run call() in a child, for at most BOUND seconds: its result and time, or
 * -ETIMEDOUT (the child is killed and left; a kernel that never checks for a fatal
 * signal keeps it a while). kill_after_ms > 0: SIGKILL it then, and measure how
 * long it takes to go (*secs), the result being -EINTR.
 */
static long in_child(long (*call)(void *), void *arg, double *secs, int kill_after_ms)
{
	int pfd[2], st;
	double t0 = now();
	long res[2] = { -ETIMEDOUT, 0 };
	pid_t pid;

	if (pipe(pfd))
		return -EPIPE;
	pid = fork();
	if (!pid) {
		double c0 = now();

		res[0] = call(arg);
		res[1] = (long)((now() - c0) * 1e6);
		if (write(pfd[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (kill_after_ms > 0) {
		sleep_us(kill_after_ms * 1000L);
		kill(pid, SIGKILL);
		t0 = now();
	}
	while (now() - t0 < BOUND) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			pid = 0;
			break;
		}
		sleep_us(5000);
		progress++;
	}
	*secs = now() - t0;
	if (pid) {
		kill(pid, SIGKILL);
		close(pfd[0]);
		return -ETIMEDOUT;
	}
	if (kill_after_ms > 0 && WIFSIGNALED(st)) {
		close(pfd[0]);
		return -EINTR;
	}
	if (read(pfd[0], res, sizeof(res)) == sizeof(res))
		*secs = res[1] / 1e6;
	close(pfd[0]);
	return res[0];
}

static domid_t bounds_dom;

/* getvcpuaffinity (hard) of vcpu 0 into buf, nr_bits. */
static long get_affinity(uint8_t *buf, uint32_t nr_bits)
{
	struct xen_domctl d;

	memset(&d, 0, sizeof(d));
	d.u.vcpuaffinity.vcpu = 0;
	d.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	set_xen_guest_handle(d.u.vcpuaffinity.cpumap_hard.bitmap, buf);
	d.u.vcpuaffinity.cpumap_hard.nr_bits = nr_bits;
	return domctl(&d, XEN_DOMCTL_getvcpuaffinity, bounds_dom);
}

static long set_affinity(uint8_t *buf, uint32_t nr_bits)
{
	struct xen_domctl d;

	memset(&d, 0, sizeof(d));
	d.u.vcpuaffinity.vcpu = 0;
	d.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	set_xen_guest_handle(d.u.vcpuaffinity.cpumap_hard.bitmap, buf);
	d.u.vcpuaffinity.cpumap_hard.nr_bits = nr_bits;
	return domctl(&d, XEN_DOMCTL_setvcpuaffinity, bounds_dom);
}

static long cpupool(uint32_t op, uint8_t *buf, uint32_t nr_bits)
{
	struct xen_sysctl s;

	memset(&s, 0, sizeof(s));
	s.u.cpupool_op.op = op;
	set_xen_guest_handle(s.u.cpupool_op.cpumap.bitmap, buf);
	s.u.cpupool_op.cpumap.nr_bits = nr_bits;
	return sysctl(&s, XEN_SYSCTL_cpupool_op);
}

static long huge_getaffinity(void *arg)
{
	return get_affinity(big, 0xfffffff0u);
}

static long huge_cpupool_info(void *arg)
{
	return cpupool(XEN_SYSCTL_CPUPOOL_OP_INFO, big, 0xfffffff0u);
}

static long huge_cpupool_free(void *arg)
{
	return cpupool(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, big, ~0u);
}

static long huge_setaffinity(void *arg)
{
	memset(big, 0xff, 1 << 20);
	return set_affinity(big, 0xfffffff0u);
}

static long huge_evtchn_write(void *arg)
{
	int efd = open("/dev/xen/evtchn", O_RDWR);
	long r;

	memset(big, 0, 1 << 20);	/* port 0: nobody's */
	r = write(efd, big, BIG);
	return r < 0 ? -errno : r;
}

/* The possible CPUs as a byte bitmap (the first 8 bytes), and nr_cpu_ids. */
static unsigned int possible(uint8_t *bits, const char *file)
{
	char buf[256], *p = buf;
	unsigned int last = 0, c;
	FILE *f = fopen(file, "r");

	memset(bits, 0, 8);
	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	while (*p >= '0' && *p <= '9') {
		unsigned int lo = strtoul(p, &p, 10), hi = lo;

		if (*p == '-')
			hi = strtoul(p + 1, &p, 10);
		for (c = lo; c <= hi && c < 64; c++)
			bits[c / 8] |= 1 << (c % 8);
		last = hi + 1;
		if (*p == ',')
			p++;
	}
	return last;
}

/* After a copy-out of a 4-page buffer: the CPUs' bytes, then zeroes to the end. */
static int cpus_then_zero(const uint8_t *buf, unsigned long len, const uint8_t *want,
			  unsigned int nr_cpus)
{
	unsigned long i, head = (nr_cpus + 7) / 8;

	for (i = 0; i < head; i++)
		if (buf[i] != want[i])
			return 0;
	for (; i < len; i++)
		if (buf[i])
			return 0;
	return 1;
}

#define TIMED(r, secs, call) do {			\
	double t0_ = now();				\
	(r) = (call);					\
	(secs) = now() - t0_;				\
} while (0)

static void bounds(void)
{
	uint8_t cpus[8], online[8], none[8] = { 0 }, *four = guarded(4), *one = guarded(1);
	unsigned int ncpu = possible(cpus, "/sys/devices/system/cpu/possible");
	struct xen_domctl d;
	struct xen_sysctl s;
	double secs;
	long r;

	possible(online, "/sys/devices/system/cpu/online");
	big = make_big();
	if (!big || !four || !one || !ncpu) {
		printf("Bail out! no buffers (or no /sys/devices/system/cpu/possible)\n");
		return;
	}
	doing = "(g) bounds";
	bounds_dom = must_make_domain(1, 1);

	/* Affinity and cpupool bitmaps: Xen's bitmap_to_xenctl_bitmap (common/bitmap.c). */
	memset(four, 0xaa, 4 * PAGE);
	TIMED(r, secs, get_affinity(four, 4 * PAGE * 8 - 3));
	ok(r == 0 && cpus_then_zero(four, 4 * PAGE, cpus, ncpu),
	   "getvcpuaffinity into 16 KiB of bits: 0, the %u CPUs' bits, then zeroes to the "
	   "end (got %ld, %#x %#x)", ncpu, r, four[0], four[1]);
	memset(one, 0xaa, PAGE);
	TIMED(r, secs, get_affinity(one, 0xfffffff0u));
	ok(r == -EFAULT && secs < BOUND && one[0] == cpus[0] && !one[PAGE - 1],
	   "getvcpuaffinity, nr_bits 2^32-16, a page of buffer: the CPUs, zeroes, and EFAULT "
	   "at its end, in %.2f s (got %ld)", secs, r);
	r = in_child(huge_getaffinity, NULL, &secs, 0);
	ok(r == 0 && secs < BOUND,
	   "getvcpuaffinity, nr_bits 2^32-16, into 512 MiB: 0 in %.2f s (bound %.0f; got %ld)",
	   secs, BOUND, r);
	r = in_child(huge_getaffinity, NULL, &secs, 30);
	ok((r == -EINTR || r == 0) && secs < 2.0,
	   "  and SIGKILL during it ends the call in %.2f s (got %ld)", secs, r);
	memset(four, 0xff, 4 * PAGE);
	TIMED(r, secs, set_affinity(four, 4 * PAGE * 8));
	ok(r == 0 && cpus_then_zero(four, 4 * PAGE, online, ncpu),
	   "setvcpuaffinity, all of 16 KiB of bits set: 0, and back the online CPUs, then "
	   "zeroes (got %ld, %#x %#x)", r, four[0], four[1]);
	r = in_child(huge_setaffinity, NULL, &secs, 0);
	ok(r == 0 && secs < BOUND,
	   "setvcpuaffinity, nr_bits 2^32-16, from 512 MiB: 0 in %.2f s (got %ld)", secs, r);
	memset(four, 0xaa, 4 * PAGE);
	TIMED(r, secs, cpupool(XEN_SYSCTL_CPUPOOL_OP_INFO, four, 4 * PAGE * 8));
	ok(r == 0 && cpus_then_zero(four, 4 * PAGE, online, ncpu),
	   "cpupool INFO into 16 KiB of bits: 0, Pool-0's CPUs, zeroes (got %ld, %#x)", r,
	   four[0]);
	memset(four, 0xaa, 4 * PAGE);
	TIMED(r, secs, cpupool(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, four, 4 * PAGE * 8));
	ok(r == 0 && cpus_then_zero(four, 4 * PAGE, none, ncpu),
	   "cpupool FREEINFO into 16 KiB of bits: 0, all zero (got %ld)", r);
	/* INFO into 512 MiB clears as FREEINFO does, by the same code: only killed here. */
	r = in_child(huge_cpupool_free, NULL, &secs, 0);
	ok(r == 0 && secs < BOUND, "cpupool FREEINFO, nr_bits 2^32-1, into 512 MiB: 0 in "
	   "%.2f s (got %ld)", secs, r);
	r = in_child(huge_cpupool_info, NULL, &secs, 30);
	ok((r == -EINTR || r == 0) && secs < 2.0,
	   "  and SIGKILL during it ends the call in %.2f s (got %ld)", secs, r);

	/* MMAPBATCH_V2: Linux's privcmd answers EINVAL (range) or EFAULT (array). */
	{
		static const unsigned int nums[] = { 0xffffffffu, 0x80000000u, 0x10000000u };
		xen_pfn_t gfn = GFN_FLAG;
		int err[1], i;
		uint8_t *p = privcmd_mmap(1);

		for (i = 0; i < 3; i++) {
			TIMED(r, secs, mmapbatch(p, nums[i], bounds_dom, &gfn, err));
			ok((r == -EINVAL || r == -EFAULT || r == -ENOMEM) && secs < BOUND,
			   "MMAPBATCH_V2 of %#x frames into a 1-page range: EINVAL or EFAULT "
			   "(got %ld), in %.2f s", nums[i], r, secs);
		}
		if (p)
			munmap(p, PAGE);
	}
	/* MMAP_RESOURCE: the grant table has 32 frames. */
	{
		privcmd_mmap_resource_t m = {
			bounds_dom, XENMEM_resource_grant_table,
			XENMEM_resource_grant_table_id_shared, 0, 1ULL << 62, 0 };
		uint8_t *p = privcmd_mmap(1);

		m.addr = (uint64_t)p;
		r = ioctl(privcmd_fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &m) ? -errno : 0;
		ok(r == -EINVAL, "MMAP_RESOURCE of 2^62 grant frames: EINVAL (got %ld)", r);
		if (p)
			munmap(p, PAGE);
	}
	/* DM_OP: kxen takes no buffers yet (Linux would say E2BIG past 16). */
	{
		privcmd_dm_op_t dm = { bounds_dom, 0xffff, (void *)one };

		r = ioctl(privcmd_fd, IOCTL_PRIVCMD_DM_OP, &dm) ? -errno : 0;
		ok(r < 0, "DM_OP with 65535 buffers: an error (got %ld)", r);
	}

	/* memory_op. */
	{
		xen_pfn_t *gfns = (xen_pfn_t *)(one + PAGE) - 1;	/* one, then the end */
		struct xen_foreign_memory_map fm;

		*gfns = 0x5000;
		TIMED(r, secs, reservation(XENMEM_populate_physmap, bounds_dom, gfns,
					   UINT32_MAX >> 6, 0));
		ok(r >= 0 && r <= 1 && secs < BOUND,
		   "populate_physmap of 2^26-1 extents, the array a page long: 0 or 1 done "
		   "(got %ld) in %.2f s", r, secs);
		TIMED(r, secs, reservation(XENMEM_populate_physmap, bounds_dom, gfns,
					   1ULL << 40, 0));
		ok(r == 0, "populate_physmap of 2^40 extents, more than a continuation "
		   "encodes: 0 (got %ld)", r);
		TIMED(r, secs, reservation(XENMEM_decrease_reservation, bounds_dom, (void *)big,
					   UINT32_MAX >> 6, 0));
		ok(r >= 0 && secs < BOUND, "decrease_reservation of 2^26-1 extents: %ld done in "
		   "%.2f s", r, secs);
		memset(&fm, 0, sizeof(fm));
		fm.domid = bounds_dom;
		fm.map.nr_entries = ~0u;
		set_xen_guest_handle(fm.map.buffer, (void *)one);
		r = hc(__HYPERVISOR_memory_op, XENMEM_set_memory_map, (uint64_t)&fm, 0);
		ok(r == -EINVAL, "set_memory_map of 2^32-1 entries: EINVAL (got %ld)", r);
	}
	/* multicall: Xen checks the whole list is addressable first (common/multicall.c). */
	{
		multicall_entry_t *mc = (multicall_entry_t *)(one + PAGE) - 1;

		memset(mc, 0, sizeof(*mc));
		mc->op = __HYPERVISOR_xen_version;
		TIMED(r, secs, hc(__HYPERVISOR_multicall, (uint64_t)mc, ~0u, 0));
		ok(r == -EFAULT && secs < BOUND,
		   "multicall of 2^32-1 entries, one there: EFAULT in %.2f s (got %ld)", secs, r);
	}
	/* domctl. */
	memset(&d, 0, sizeof(d));
	d.u.getpageframeinfo3.num = 1ULL << 62;
	set_xen_guest_handle(d.u.getpageframeinfo3.array, (xen_pfn_t *)one);
	r = domctl(&d, XEN_DOMCTL_getpageframeinfo3, bounds_dom);
	ok(r == -E2BIG, "getpageframeinfo3 of 2^62 frames: E2BIG (got %ld)", r);
	memset(&d, 0, sizeof(d));
	d.u.cpu_policy.nr_leaves = ~0u;
	set_xen_guest_handle(d.u.cpu_policy.leaves, (void *)one);
	r = domctl(&d, XEN_DOMCTL_set_cpu_policy, bounds_dom);
	ok(r == -E2BIG || r == -EEXIST, "set_cpu_policy of 2^32-1 leaves: E2BIG (got %ld)", r);
	memset(&d, 0, sizeof(d));
	d.u.cpu_policy.nr_leaves = ~0u;
	d.u.cpu_policy.nr_msrs = ~0u;
	set_xen_guest_handle(d.u.cpu_policy.leaves, (void *)four);
	set_xen_guest_handle(d.u.cpu_policy.msrs, (void *)four);
	r = domctl(&d, XEN_DOMCTL_get_cpu_policy, bounds_dom);
	ok(r == 0 && d.u.cpu_policy.nr_leaves < 1024,
	   "get_cpu_policy with room for 2^32-1 leaves: 0, %u leaves", d.u.cpu_policy.nr_leaves);
	memset(&d, 0, sizeof(d));
	d.u.hvmcontext.size = ~0u;
	set_xen_guest_handle(d.u.hvmcontext.buffer, one);
	TIMED(r, secs, domctl(&d, XEN_DOMCTL_sethvmcontext, bounds_dom));
	ok(r == -ENOMEM && secs < BOUND,
	   "sethvmcontext of 4 GiB: ENOMEM, as Xen's failed allocation (got %ld)", r);
	/* sysctl. */
	memset(&s, 0, sizeof(s));
	s.u.readconsole.count = ~0u;
	set_xen_guest_handle(s.u.readconsole.buffer, (char *)big);
	TIMED(r, secs, sysctl(&s, XEN_SYSCTL_readconsole));
	ok(r == 0 && s.u.readconsole.count <= BIG && secs < BOUND,
	   "readconsole with room for 4 GiB: 0, %u bytes", s.u.readconsole.count);
	memset(&s, 0, sizeof(s));
	s.u.numainfo.num_nodes = ~0u;
	set_xen_guest_handle(s.u.numainfo.meminfo, (void *)four);
	TIMED(r, secs, sysctl(&s, XEN_SYSCTL_numainfo));
	ok(r == 0 && s.u.numainfo.num_nodes < 1024 && secs < BOUND,
	   "numainfo with room for 2^32-1 nodes: 0, %u nodes", s.u.numainfo.num_nodes);
	memset(&s, 0, sizeof(s));
	s.u.cputopoinfo.num_cpus = ~0u;
	set_xen_guest_handle(s.u.cputopoinfo.cputopo, (void *)four);
	r = sysctl(&s, XEN_SYSCTL_cputopoinfo);
	ok(r == 0 && s.u.cputopoinfo.num_cpus <= 1024,
	   "cputopoinfo with room for 2^32-1 CPUs: 0, %u CPUs", s.u.cputopoinfo.num_cpus);
	memset(&s, 0, sizeof(s));
	s.u.getdomaininfolist.max_domains = ~0u;
	set_xen_guest_handle(s.u.getdomaininfolist.buffer, (void *)four);
	r = sysctl(&s, XEN_SYSCTL_getdomaininfolist);
	ok(r == 0 && s.u.getdomaininfolist.num_domains >= 2 &&
	   s.u.getdomaininfolist.num_domains < 100,
	   "getdomaininfolist of up to 2^32-1: 0, %u domains", s.u.getdomaininfolist.num_domains);
	memset(&s, 0, sizeof(s));
	s.u.cpu_featureset.nr_features = ~0u;
	set_xen_guest_handle(s.u.cpu_featureset.features, (void *)four);
	r = sysctl(&s, XEN_SYSCTL_get_cpu_featureset);
	ok(r == 0 && s.u.cpu_featureset.nr_features < 64,
	   "get_cpu_featureset with room for 2^32-1 words: 0, %u words",
	   s.u.cpu_featureset.nr_features);

	/* The devices. */
	{
		struct ioctl_gntdev_map_grant_ref m = { .count = 0x80000000u };
		struct ioctl_gntdev_grant_copy_segment *seg =
			(struct ioctl_gntdev_grant_copy_segment *)(one + PAGE) - 1;
		struct ioctl_gntdev_grant_copy op = { ~0u, seg };
		int gfd = open("/dev/xen/gntdev", O_RDWR), efd;
		char rb[64];

		r = ioctl(gfd, IOCTL_GNTDEV_MAP_GRANT_REF, &m) ? -errno : 0;
		ok(r == -EINVAL, "gntdev MAP_GRANT_REF of 2^31 grants: EINVAL, as Linux (got %ld)",
		   r);
		memset(seg, 0, sizeof(*seg));
		seg->flags = GNTCOPY_source_gref;
		seg->source.foreign.domid = bounds_dom;
		seg->source.foreign.ref = FIRST_REF;
		seg->dest.virt = rb;
		seg->len = sizeof(rb);
		TIMED(r, secs, ioctl(gfd, IOCTL_GNTDEV_GRANT_COPY, &op) ? -errno : 0);
		ok(r == -EFAULT && seg->status == GNTST_okay && secs < BOUND,
		   "gntdev GRANT_COPY of 2^32-1 segments, one there: it copied, then EFAULT "
		   "(got %ld, status %d) in %.2f s", r, seg->status, secs);
		close(gfd);
		r = in_child(huge_evtchn_write, NULL, &secs, 0);
		ok(r == (long)PAGE && secs < BOUND,
		   "evtchn write() of 512 MiB of ports: a page of them taken, as Linux's "
		   "(got %ld) in %.2f s", r, secs);
		efd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
		r = read(efd, big, BIG) < 0 ? -errno : 0;
		ok(r == -EAGAIN, "evtchn read() of 512 MiB, nothing pending: EAGAIN (got %ld)", r);
		close(efd);
	}
	ok(destroy(bounds_dom) == 0, "destroydomain d%u: 0", bounds_dom);
}

/* ---- (f) The fuzzer: random calls, seeded, with a domain running. */
static domid_t fuzz_dom;

/* A value of the kind dom0's calls take: small, a size at a limit, huge, a handle. */
static uint64_t fuzz_val(uint8_t *scratch)
{
	static const uint64_t edges[] = {
		0, 1, 2, 7, 8, 31, 32, 63, 64, 255, 1024, 1025, 4096, 0x7fff, 0x7ff0, 0x7ff1,
		0x7ff2, 0x7ff4, 0xffff, 0x10000, 0x7fffffff, 0x80000000u, 0xfffffff0u,
		0xffffffffu, 1ULL << 32, 1ULL << 40, 1ULL << 62, ~0ULL,
	};

	switch (rnd() % 6) {
	case 0:
		return rnd() % 16;
	case 1:
		return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	case 2:
		return (uint64_t)(scratch + (rnd() % 4096 & ~7ULL));
	case 3:
		return fuzz_dom;
	case 4:
		return (uint64_t)(big + (rnd() % BIG & ~4095ULL));
	}
	return rnd();
}

static void fuzz_fill(uint8_t *buf, size_t len, uint8_t *scratch)
{
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t v = fuzz_val(scratch);

		memcpy(buf + i, &v, 8);
	}
}

static void fuzz(uint64_t s0, unsigned long calls, double secs)
{
	static const unsigned int ops[] = {
		__HYPERVISOR_memory_op, __HYPERVISOR_multicall, __HYPERVISOR_xen_version,
		__HYPERVISOR_event_channel_op, __HYPERVISOR_hvm_op, __HYPERVISOR_sysctl,
		__HYPERVISOR_domctl, __HYPERVISOR_grant_table_op, __HYPERVISOR_vcpu_op,
		__HYPERVISOR_sched_op,
	};
	uint8_t *scratch = guarded(2), *arg = guarded(1), *pm;
	double t0 = now();
	unsigned long n, per_kind[4] = { 0 };
	int efd = -1, gfd = -1, i;
	long r;

	seed = s0 ? s0 : 1;
	big = make_big();
	if (!scratch || !arg || !big) {
		printf("Bail out! no buffers\n");
		return;
	}
	fuzz_dom = must_make_domain(1, 1);
	for (n = 0; n < calls && now() - t0 < secs; n++) {
		unsigned int kind = rnd() % 8;

		if (n % 500 == 0) {
			struct xen_domctl_getdomaininfo info;

			/* A restricted file stays so: new ones now and then. */
			if (efd >= 0)
				close(efd);
			if (gfd >= 0)
				close(gfd);
			efd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
			gfd = open("/dev/xen/gntdev", O_RDWR);
			/* The fuzzer may well have destroyed its domain: another. */
			if (getdomaininfo(fuzz_dom, &info) || info.domain != fuzz_dom ||
			    (info.flags & XEN_DOMINF_dying)) {
				forget(fuzz_dom);
				fuzz_dom = must_make_domain(1, 1);
			}
		}
		fuzz_fill(scratch, 2 * PAGE, scratch);
		fuzz_fill(arg, PAGE, scratch);
		if (kind < 5) {
			/* A hypercall. domctl and sysctl mostly with the right version. */
			unsigned int op = rnd() % 4 ? ops[rnd() % 10] : rnd() % 64;
			uint64_t a0 = rnd() % 2 ? rnd() % 40 : fuzz_val(scratch);

			if (op == __HYPERVISOR_domctl || op == __HYPERVISOR_sysctl) {
				uint32_t *h = (uint32_t *)arg;

				h[0] = rnd() % 4 ? rnd() % 90 : (uint32_t)rnd();
				/* Not max_mem: a huge one would let populate take the host's RAM. */
				if (op == __HYPERVISOR_domctl && h[0] == XEN_DOMCTL_max_mem)
					h[0] = XEN_DOMCTL_getdomaininfo;
				h[1] = rnd() % 8 ? 0x15 : (uint32_t)rnd();
				if (op == __HYPERVISOR_domctl)
					((uint16_t *)arg)[4] = rnd() % 4 ? fuzz_dom : fuzz_val(scratch);
				a0 = (uint64_t)arg;
			} else if (op == __HYPERVISOR_memory_op && a0 < 40 && rnd() % 2) {
				/* The reservation ops, on the fuzzer's domain or dom0. */
				struct xen_memory_reservation *res = (void *)arg;

				res->domid = rnd() % 3 ? fuzz_dom : rnd() % 2 ? 0 : DOMID_SELF;
				res->extent_order = rnd() % 3 ? 0 : rnd() % 20;
				res->nr_extents = rnd() % 2 ? rnd() % 32 : fuzz_val(scratch);
				a0 %= 7;
			}
			doing = "(f) fuzz: a hypercall";
			r = hc(op, a0, rnd() % 2 ? (uint64_t)arg : fuzz_val(scratch),
			       fuzz_val(scratch));
			per_kind[0]++;
		} else if (kind == 5) {
			static const unsigned long cmds[] = {
				IOCTL_EVTCHN_BIND_VIRQ, IOCTL_EVTCHN_BIND_INTERDOMAIN,
				IOCTL_EVTCHN_BIND_UNBOUND_PORT, IOCTL_EVTCHN_UNBIND,
				IOCTL_EVTCHN_NOTIFY, IOCTL_EVTCHN_RESET, IOCTL_EVTCHN_RESTRICT_DOMID,
			};
			uint32_t *a = (uint32_t *)arg;

			doing = "(f) fuzz: an evtchn call";
			a[0] = rnd() % 2 ? fuzz_dom : rnd() % 64;
			a[1] = rnd() % 16;
			switch (rnd() % 4) {
			case 0:
				r = write(efd, scratch, rnd() % 64);
				break;
			case 1:
				r = read(efd, scratch, rnd() % 64);
				break;
			default:
				r = ioctl(efd, cmds[rnd() % 7], rnd() % 8 ? (void *)arg : scratch);
			}
			per_kind[1]++;
		} else if (kind == 6) {
			struct ioctl_gntdev_map_grant_ref *m = (void *)arg;
			struct ioctl_gntdev_grant_copy cop;
			struct ioctl_gntdev_grant_copy_segment *seg = (void *)scratch;
			unsigned int k, cnt = 1 + rnd() % 4;

			doing = "(f) fuzz: a gntdev call";
			switch (rnd() % 4) {
			case 0:
				m->count = rnd() % 8 ? cnt : (uint32_t)fuzz_val(scratch);
				for (k = 0; k < cnt; k++)
					m->refs[k] = (struct ioctl_gntdev_grant_ref){
						rnd() % 4 ? fuzz_dom : rnd() % 4,
						rnd() % 2 ? FIRST_REF + rnd() % NR_REFS : rnd() % 64 };
				r = ioctl(gfd, IOCTL_GNTDEV_MAP_GRANT_REF, m);
				if (!r) {
					pm = mmap(NULL, cnt * PAGE, PROT_READ | (rnd() % 2 ?
						  PROT_WRITE : 0), MAP_SHARED, gfd, m->index);
					if (pm != MAP_FAILED) {
						(void)*(volatile uint8_t *)pm;
						munmap(pm, cnt * PAGE);
					}
				}
				break;
			case 1:
				for (k = 0; k < 4; k++) {
					seg[k].flags = rnd() % 4;
					seg[k].len = rnd() % 2 ? rnd() % 4097 : (uint16_t)rnd();
					if (seg[k].flags & GNTCOPY_source_gref) {
						seg[k].source.foreign.domid =
							rnd() % 4 ? fuzz_dom : rnd() % 8;
						seg[k].source.foreign.ref = FIRST_REF + rnd() % 16;
						seg[k].source.foreign.offset = rnd() % 4200;
					} else {
						seg[k].source.virt = arg + rnd() % 64;
					}
					if (seg[k].flags & GNTCOPY_dest_gref) {
						seg[k].dest.foreign.domid =
							rnd() % 4 ? fuzz_dom : rnd() % 8;
						seg[k].dest.foreign.ref = FIRST_REF + rnd() % 16;
						seg[k].dest.foreign.offset = rnd() % 4200;
					} else {
						seg[k].dest.virt = arg + rnd() % 64;
					}
				}
				cop = (struct ioctl_gntdev_grant_copy){
					rnd() % 2 ? rnd() % 5 : (uint32_t)fuzz_val(scratch), seg };
				r = ioctl(gfd, IOCTL_GNTDEV_GRANT_COPY, &cop);
				break;
			case 2:
				r = ioctl(gfd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, arg);
				break;
			default:
				r = ioctl(gfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, arg);
			}
			per_kind[2]++;
		} else {
			/* privcmd's own ioctls, on a fresh file (RESTRICT sticks). */
			int pfd = open("/dev/xen/privcmd", O_RDWR);
			unsigned int pages = 1 + rnd() % 4, num;
			xen_pfn_t *gfns = (xen_pfn_t *)scratch;
			int *errs = (int *)(scratch + PAGE);

			doing = "(f) fuzz: a privcmd ioctl";
			pm = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, pfd, 0);
			for (i = 0; i < 4; i++)
				gfns[i] = rnd() % 2 ? GFN_FLAG + rnd() % NR_PAGES : fuzz_val(scratch);
			num = rnd() % 4 ? pages : (uint32_t)fuzz_val(scratch);
			switch (rnd() % 4) {
			case 0: {
				privcmd_mmapbatch_v2_t mb = {
					num, rnd() % 4 ? fuzz_dom : (domid_t)fuzz_val(scratch),
					(uint64_t)pm, gfns, errs };

				r = ioctl(pfd, IOCTL_PRIVCMD_MMAPBATCH_V2, &mb);
				if (!r && pm != MAP_FAILED)
					for (i = 0; i < (int)pages && i < 4; i++)
						if (!errs[i])
							(void)*(volatile uint8_t *)(pm + i * PAGE);
				break;
			}
			case 1: {
				privcmd_mmap_resource_t mr = {
					rnd() % 4 ? fuzz_dom : (domid_t)fuzz_val(scratch),
					rnd() % 3, rnd() % 3, rnd() % 40,
					rnd() % 4 ? pages : fuzz_val(scratch),
					rnd() % 8 ? (uint64_t)pm : 0 };

				r = ioctl(pfd, IOCTL_PRIVCMD_MMAP_RESOURCE, &mr);
				if (!r && pm != MAP_FAILED)
					(void)*(volatile uint8_t *)pm;
				break;
			}
			case 2:
				r = ioctl(pfd, IOCTL_PRIVCMD_DM_OP, arg);
				break;
			default:
				r = ioctl(pfd, IOCTL_PRIVCMD_RESTRICT, arg);
				r = ioctl(pfd, IOCTL_PRIVCMD_HYPERCALL, arg);
			}
			if (pm != MAP_FAILED)
				munmap(pm, pages * PAGE);
			close(pfd);
			per_kind[3]++;
		}
		(void)r;
		progress++;
	}
	ok(n > 0, "(f) fuzz, seed %#llx: %lu calls in %.1f s, every one returned (%lu "
	   "hypercalls, %lu evtchn, %lu gntdev, %lu privcmd ioctls)", (unsigned long long)s0,
	   n, now() - t0, per_kind[0], per_kind[1], per_kind[2], per_kind[3]);
	close(efd);
	close(gfd);
	/* Whatever the fuzzer made: every domain but dom0 goes (races.t owns the machine). */
	{
		struct xen_domctl_getdomaininfo info;
		domid_t id = 1;
		int left = 0;

		destroy_all();
		while (getdomaininfo(id, &info) == 0 && info.domain >= id && id < DOMID_FIRST_RESERVED) {
			id = info.domain;
			if (destroy(id))
				left++;
			id++;
		}
		ok(!left, "and every domain it made or left is destroyed: 0 (%d refused)", left);
	}
}

/*
 * ---- (i) Two threads unbinding one port of /dev/xen/evtchn while another file binds
 * ports: one unbind succeeds, the other finds the port no longer the file's, and the
 * other file's port (which may have the number just freed) stays bound.
 */
static int i_fa, i_fb;
static unsigned int i_port;
static long i_got[2], i_new;
static pthread_barrier_t i_go, i_done;
static volatile int i_stop;

static void *i_thread(void *arg)
{
	long n = (long)arg;

	for (;;) {
		pthread_barrier_wait(&i_go);
		if (i_stop)
			return NULL;
		if (n < 2)
			i_got[n] = evtchn_io(i_fa, IOCTL_EVTCHN_UNBIND, i_port, 0);
		else
			i_new = evtchn_io(i_fb, IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0, 0);
		pthread_barrier_wait(&i_done);
	}
}

static long port_status(domid_t dom, unsigned int port, evtchn_status_t *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = dom;
	st->port = port;
	return hc(__HYPERVISOR_event_channel_op, EVTCHNOP_status, (uint64_t)st, 0);
}

static void evtchn_unbind_race(void)
{
	unsigned long rounds = 0, both = 0, neither = 0, lost = 0, reused = 0;
	double t0 = now();
	evtchn_status_t st;
	pthread_t th[3];
	long i, r;

	doing = "(i) two unbinds of one evtchn port, a bind beside them";
	i_fa = open("/dev/xen/evtchn", O_RDWR);
	i_fb = open("/dev/xen/evtchn", O_RDWR);
	if (i_fa < 0 || i_fb < 0) {
		ok(0, "(i) /dev/xen/evtchn: %s", strerror(errno));
		return;
	}
	pthread_barrier_init(&i_go, NULL, 4);
	pthread_barrier_init(&i_done, NULL, 4);
	for (i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, i_thread, (void *)i);
	while (rounds < 3000 && now() - t0 < 5.0) {
		r = evtchn_io(i_fa, IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0, 0);
		if (r <= 0)
			break;
		i_port = r;
		pthread_barrier_wait(&i_go);
		pthread_barrier_wait(&i_done);
		rounds++;
		both += i_got[0] == 0 && i_got[1] == 0;
		neither += i_got[0] != 0 && i_got[1] != 0;
		if (i_new > 0) {
			reused += (unsigned long)i_new == i_port;
			/* B's port: still bound in kxen, and still B's. */
			lost += port_status(0, i_new, &st) != 0 || st.status != EVTCHNSTAT_unbound ||
				evtchn_io(i_fb, IOCTL_EVTCHN_UNBIND, i_new, 0) != 0;
		} else {
			lost++;
		}
	}
	i_stop = 1;
	pthread_barrier_wait(&i_go);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	close(i_fa);
	close(i_fb);
	ok(rounds > 100 && !both && !neither && !lost,
	   "(i) evtchn UNBIND of one port from two threads, %lu rounds: one unbind each time "
	   "(both %lu, neither %lu); the other file's port kept every time (lost %lu; it had "
	   "the freed number %lu times)", rounds, both, neither, lost, reused);
}

/*
 * ---- (j) dom0 binding to a domain's unbound port while the domain is destroyed:
 * the bind fails, or it succeeded first and the destroy left dom0's port unbound;
 * never a dom0 port bound to a domain that is gone.
 */
static volatile domid_t j_dom;
static volatile unsigned int j_rport;
static long j_bind;
static int j_fd;
static pthread_barrier_t j_go, j_done;
static volatile int j_stop;

static void *j_thread(void *arg)
{
	struct ioctl_evtchn_bind_interdomain b;
	long r;

	for (;;) {
		pthread_barrier_wait(&j_go);
		if (j_stop)
			return arg;
		b.remote_domain = j_dom;
		b.remote_port = j_rport;
		r = ioctl(j_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
		j_bind = r < 0 ? -errno : r;
		pthread_barrier_wait(&j_done);
	}
}

static void bind_vs_destroy(void)
{
	unsigned long rounds = 0, bound = 0, stale = 0, bad = 0;
	double t0 = now();
	evtchn_alloc_unbound_t au;
	evtchn_status_t st;
	struct xen_domctl d;
	pthread_t th;
	long r;

	doing = "(j) evtchn bind to a domain's port against its destroy";
	j_fd = open("/dev/xen/evtchn", O_RDWR);
	if (j_fd < 0) {
		ok(0, "(j) /dev/xen/evtchn: %s", strerror(errno));
		return;
	}
	pthread_barrier_init(&j_go, NULL, 2);
	pthread_barrier_init(&j_done, NULL, 2);
	pthread_create(&th, NULL, j_thread, NULL);
	while (rounds < 1000 && now() - t0 < 6.0) {
		memset(&d, 0, sizeof(d));
		d.u.createdomain = pvh_config(1);
		if (domctl(&d, XEN_DOMCTL_createdomain, 0) != 0) {
			bad++;
			break;
		}
		j_dom = d.domain;
		memset(&au, 0, sizeof(au));
		au.dom = j_dom;
		au.remote_dom = 0;
		r = hc(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (uint64_t)&au, 0);
		if (r) {
			bad++;
			domctl0(XEN_DOMCTL_destroydomain, j_dom);
			break;
		}
		j_rport = au.port;
		pthread_barrier_wait(&j_go);
		r = domctl0(XEN_DOMCTL_destroydomain, j_dom);
		pthread_barrier_wait(&j_done);
		rounds++;
		bad += r != 0;
		if (j_bind > 0) {
			bound++;
			/* The domain is gone: dom0's end waits, unbound, as after a close. */
			stale += port_status(0, j_bind, &st) != 0 ||
				 st.status != EVTCHNSTAT_unbound;
			bad += evtchn_io(j_fd, IOCTL_EVTCHN_UNBIND, j_bind, 0) != 0;
		} else if (j_bind != -EINVAL && j_bind != -ESRCH) {
			bad++;
		}
	}
	j_stop = 1;
	pthread_barrier_wait(&j_go);
	pthread_join(th, NULL);
	close(j_fd);
	ok(rounds > 20 && !stale && !bad,
	   "(j) evtchn BIND_INTERDOMAIN against the domain's destroy, %lu rounds (%lu bound "
	   "first): no dom0 port left bound to a dead domain (%lu), no other answers (%lu)",
	   rounds, bound, stale, bad);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "races";
	pthread_t wd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	is_main = 1;
	after_call = count_call;
	if (open_privcmd())
		return 2;
	destroy_on_signals();
	pthread_create(&wd, NULL, watchdog, NULL);
	if (!strcmp(mode, "races")) {
		races(argc > 2 ? atoi(argv[2]) : 30);
		dom0_physmap();
		create_vs_destroy();
		evtchn_unbind_race();
		bind_vs_destroy();
	} else if (!strcmp(mode, "bounds")) {
		bounds();
	} else if (!strcmp(mode, "fuzz")) {
		fuzz(argc > 2 ? strtoull(argv[2], NULL, 0) : 0x6b78656eULL,
		     argc > 3 ? strtoul(argv[3], NULL, 0) : 20000, 20.0);
	} else {
		fprintf(stderr, "usage: %s races [ROUNDS] | bounds | fuzz [SEED [CALLS]]\n",
			argv[0]);
		return 2;
	}
	destroy_all();
	return done_testing();
}
