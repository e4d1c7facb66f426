// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile guest's noise: random hypercalls (any number, five random arguments),
 * CPUID leaves, RDMSR and WRMSR, and port reads and writes, from both vcpus at once,
 * from a fixed seed so that a run can be repeated. The hypervisor must answer each
 * (Xen's errors are small negative numbers), never crash or hang the domain or the
 * host, and never write where the guest did not point it: the guest's own image is
 * checked at the end, and the host's log by guests.t.
 *
 * A few operations would end the test by the guest's own hand, as they would on Xen
 * (shut down, take its vcpu down, give back or replace the frames it runs from, put
 * vcpu_info, FIFO event pages or the hypercall page over its code, an interrupt it
 * has no handler for, INIT through its APIC); those are left out, and each is said below.
 * Arguments that may be pointers point into an arena of random bytes, at page 0, or
 * at nothing mapped, never into the image; and since an array a call walks grows
 * upwards (with a count as large as it likes), the first MiB below the image is
 * unmapped, so a walk from a small number (DOMID_SELF, 0x7ff0, is one) faults at
 * once instead of reaching the image (on Xen, GNTTABOP_swap_grant_ref from 0x7ff0
 * wrote its status words over the guest's code).
 *
 * The seed and the number of rounds per vcpu may be given on the command line
 * ("seed=N rounds=N", as kxen-domu's -c or xl's cmdline= pass it); make check uses
 * the defaults.
 */
#include "guest.h"

const char test_title[] = "fuzz: random hypercalls, CPUID, MSRs and ports from 2 vcpus";

#define DEFAULT_SEED	0x6b78656e2d667a31UL
#define DEFAULT_ROUNDS	20000UL
#define ARENA		0x500000UL	/* 5 MiB, 128 pages of the 8 MiB guest */
#define ARENA_PAGES	128
#define UNMAPPED	0x40000000UL	/* past the 1 GiB the guest maps */


/* What each vcpu saw, by kind. */
struct tally {
	u64 rounds, hypercalls, skipped, zero, positive, errors, odd;
	u64 msr_ok, msr_gp, io, cpuid;
	u64 ns;			/* how long its rounds took (TSC-derived system time) */
	s64 odd_rc;
	u64 odd_nr;
};

static struct tally tally[2];
static u64 seed, rounds;
static volatile u32 finished;
static u64 image_sum;
static struct shared_info *shared;

extern const char _start32[], __stop_extable[];

static u64 next(u64 *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dUL;
}

/* The text and read-only data: the part of the image nothing may write. */
static u64 sum_image(void)
{
	const u64 *p = (const u64 *)_start32, *end = (const u64 *)((u64)__stop_extable & ~7UL);
	u64 s = 0;

	for (; p < end; p++)
		s = (s ^ *p) * 0x100000001b3UL;
	return s;
}

/* Unmap the first MiB (but shared_info, at 0x80000): see the top of the file. */
static u64 low_pt[512] __attribute__((aligned(4096)));

static void unmap_low(void)
{
	u64 *pml4 = (u64 *)(read_cr3() & ~0xfffUL);
	u64 *pdpt = (u64 *)(pml4[0] & 0x000ffffffffff000UL);
	u64 *pd = (u64 *)(pdpt[0] & 0x000ffffffffff000UL);
	unsigned int i;

	for (i = 0; i < 512; i++)
		low_pt[i] = i >= 256 || i == SHARED_INFO_GFN ? (u64)i << 12 | 3 : 0;
	pd[0] = (u64)low_pt | 3;
	asm volatile("mov %0, %%cr3" : : "r"(read_cr3()) : "memory");
}

/* An argument: a small number, a page-0 or arena pointer, nothing mapped, or noise. */
static u64 arg(u64 *s)
{
	u64 r = next(s);

	switch (r & 7) {
	case 0:
		return (r >> 8) & 0x3f;
	case 1:
		return 0x7ff0;				/* DOMID_SELF */
	case 2:
	case 3:
		return ARENA + ((r >> 8) % (ARENA_PAGES * 4096UL - 64));
	case 4:
		return UNMAPPED + ((r >> 8) & 0xffffffffUL);
	case 5:
		return -(u64)((r >> 8) & 0xff);		/* -1, -2, ... */
	default:
		r = next(s);
		return r < (1UL << 30) ? r | UNMAPPED : r;	/* never into the image */
	}
}

/* Why a call is left out: it would end the test by the guest's own hand. */
static const char *own_goal(u64 nr, const u64 *a)
{
	u32 cmd = a[0];

	switch (nr) {
	case 12:	/* memory_op: only those that read, or write into the arena */
		switch ((u32)(a[0] & 0x3f)) {
		case 0: case 1: case 6:		/* increase/decrease_reservation, populate */
		case 7: case 23:		/* add_to_physmap(_batch): over its code */
		case 11: case 15:		/* exchange, remove_from_physmap */
		case 28:			/* acquire_resource */
			return "memory_op that moves the guest's frames";
		}
		return NULL;
	case 13:
		return "multicall (its entries would be unfiltered)";
	case 32:	/* event_channel_op: FIFO's control block or event array over its code */
		return cmd == 11 || cmd == 12 ? "FIFO pages over its memory" : NULL;
	case 18:
		return cmd == 0 ? "console_io write (noise on the host's console)" : NULL;
	case 20:	/* grant_table_op: map (0), transfer (4), copy (5) over its frames */
		return cmd == 0 || cmd == 4 || cmd == 5 ? "grant map/copy over its frames" : NULL;
	case 24:	/* vcpu_op */
		switch (cmd) {
		case 2:
			return "VCPUOP_down";
		case 5: case 10: case 13:
			return "vcpu_op registering an area over its memory";
		case 11:
			return "VCPUOP_send_nmi (no NMI handler)";
		}
		return NULL;
	case 29:
		return cmd != 0 ? "sched_op other than yield" : NULL;
	case 34:	/* hvm_op: set_param (callback vector), set_evtchn_upcall_vector */
		return cmd == 0 || cmd == 23 ? "an interrupt it has no handler for" : NULL;
	}
	return NULL;
}

static void one_hypercall(u64 *s, struct tally *t)
{
	u64 r = next(s), nr, a[5];
	unsigned int i;
	s64 rc;

	/* Half the time one an HVM guest has on Xen; else any, now and then far past. */
	static const unsigned char known[] = { 12, 15, 17, 18, 20, 21, 24, 29, 32, 33, 34, 35,
					       36, 41 };

	if (r & 1)
		nr = known[((r >> 8) & 0xff) % sizeof(known)];
	else if (r & 0xe)
		nr = (r >> 8) & 63;
	else
		nr = 64 + ((r >> 8) & 0xffff) + ((r >> 40) << 32);
	for (i = 0; i < 5; i++)
		a[i] = arg(s);
	/* A sub-op number the handler knows, more often than not; some with junk above. */
	if (r & 0x30)
		a[0] = (r >> 32) & 0x1f;
	if ((r & 0x30) == 0x10)
		a[0] |= next(s) & ~0xffffffffUL;
	if (own_goal(nr, a) || own_goal((u32)nr, a)) {
		t->skipped++;
		return;
	}
	rc = hypercall5(nr, a[0], a[1], a[2], a[3], a[4]);
	t->hypercalls++;
	if (rc == 0)
		t->zero++;
	else if (rc > 0)
		t->positive++;
	else if (rc >= -4095)
		t->errors++;
	else if (!t->odd++) {
		t->odd_rc = rc;
		t->odd_nr = nr;
	}
}

static int msr_writable(u32 msr)
{
	return !(msr == 0x1b ||				/* APIC_BASE */
		 (msr >= 0x200 && msr <= 0x2ff) ||	/* MTRRs, PAT */
		 (msr >= 0x800 && msr <= 0x8ff) ||	/* x2APIC: INIT to itself */
		 (msr >= 0xc0000080 && msr <= 0xc0000102) ||	/* EFER ... GS bases */
		 (msr >= 0x40000000 && msr <= 0x4fffffff));	/* the hypercall page */
}

static void one_msr(u64 *s, struct tally *t)
{
	static const u32 ranges[] = { 0, 0x800, 0xc0000000, 0xc0010000, 0x40000000 };
	u64 r = next(s), v;
	u32 msr;

	msr = (r & 7) < 5 ? ranges[r & 7] + ((r >> 8) & 0x3ff) : (u32)(r >> 16);
	if ((r & 0x80) && msr_writable(msr)) {
		/* What it reads, or noise: both kinds of write. */
		if (rdmsr_safe(msr, &v) || (r & 0x100))
			v = next(s);
		if (wrmsr_safe(msr, v))
			t->msr_gp++;
		else
			t->msr_ok++;
	} else if (rdmsr_safe(msr, &v)) {
		t->msr_gp++;
	} else {
		t->msr_ok++;
	}
}

static void one_port(u64 *s, struct tally *t)
{
	u64 r = next(s);
	unsigned short port = r >> 16;
	u32 v = r >> 32;

	if (port >= 0xe8 && port <= 0xeb)
		port = 0x80;		/* 0xe9 is the console */
	switch ((r >> 8) & 7) {
	case 0:
		asm volatile("inb %1, %b0" : "=a"(v) : "Nd"(port));
		break;
	case 1:
		asm volatile("inw %1, %w0" : "=a"(v) : "Nd"(port));
		break;
	case 2:
		asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
		break;
	case 3:
		asm volatile("outb %b0, %1" : : "a"(v), "Nd"(port));
		break;
	case 4:
		asm volatile("outw %w0, %1" : : "a"(v), "Nd"(port));
		break;
	default:
		asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
	}
	t->io++;
}

static void fuzz(void *arg)
{
	unsigned int id = (u64)arg;
	struct tally *t = &tally[id];
	u64 s = seed + id * 0x9e3779b97f4a7c15UL, i, r;
	u32 a, b, c, d;

	u64 start = system_time(&shared->vcpu_info[id].time);

	if (!s)
		s = 1;
	for (i = 0; i < rounds; i++) {
		r = next(&s);
		/* Fresh noise in one arena page now and then. */
		if (!(r & 0xff)) {
			u64 *p = (u64 *)(ARENA + ((r >> 8) % ARENA_PAGES) * 4096);
			unsigned int j;

			for (j = 0; j < 512; j++)
				p[j] = next(&s);
		}
		switch ((r >> 16) & 7) {
		case 0:
		case 1:
		case 2:
		case 3:
			one_hypercall(&s, t);
			break;
		case 4:
			/* Basic, Xen's, extended, or any leaf; any subleaf. */
			a = next(&s);
			a = (a & 3) == 3 ? a : (a & 3) * 0x40000000 + ((a >> 8) & 0x1f);
			cpuid(a, (r >> 24) & 0xf, &a, &b, &c, &d);
			t->cpuid++;
			break;
		case 5:
		case 6:
			one_msr(&s, t);
			break;
		default:
			one_port(&s, t);
		}
		t->rounds++;
	}
	t->ns = system_time(&shared->vcpu_info[id].time) - start;
}

static void ap_fuzz(void *arg)
{
	fuzz(arg);
	__atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
}

void test_main(void)
{
	unsigned int i;
	s64 r;

	seed = cmdline_number("seed", DEFAULT_SEED);
	rounds = cmdline_number("rounds", DEFAULT_ROUNDS);
	printk("note: seed %#lx, %lu rounds on each of 2 vcpus\n", seed, rounds);
	shared = map_shared_info();
	if (!shared)
		xtf_error("cannot map shared_info");
	unmap_low();
	image_sum = sum_image();
	r = start_vcpu(1, ap_fuzz, (void *)1UL);
	if (r)
		xtf_error("cannot start vcpu 1: %ld", r);
	fuzz((void *)0UL);
	while (!READ_ONCE(finished))
		cpu_relax();

	for (i = 0; i < 2; i++) {
		struct tally *t = &tally[i];

		printk("note: vcpu %u: %lu rounds in %lu ms\n", i, t->rounds, t->ns / 1000000);
		printk("note: vcpu %u: %lu hypercalls: %lu zero, %lu positive, %lu errors, %lu odd; "
		       "%lu left out\n", i, t->hypercalls, t->zero, t->positive, t->errors, t->odd,
		       t->skipped);
		printk("note: vcpu %u: %lu CPUID, %lu MSR accesses (%lu #GP), %lu port accesses\n",
		       i, t->cpuid, t->msr_ok + t->msr_gp, t->msr_gp, t->io);
		if (t->rounds != rounds)
			xtf_failure("vcpu %u ran %lu rounds of %lu", i, t->rounds, rounds);
		if (t->odd)
			xtf_failure("vcpu %u: %lu hypercalls returned no errno, e.g. %ld from #%lu",
				    i, t->odd, t->odd_rc, t->odd_nr);
	}
	if (sum_image() != image_sum)
		xtf_failure("the guest's text or read-only data changed under it");
}
