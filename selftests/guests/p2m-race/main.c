// SPDX-License-Identifier: GPL-2.0
/*
 * A frame given back while a hypercall copies to or from it (a use-after-free in
 * the hypervisor if it copies through a page it no longer holds). Two vcpus:
 *
 *   vcpu 1, over and over: gives frame F back (decrease_reservation), populates frame
 *   G (on a hypervisor that freed F's page at once, very likely with that very page),
 *   fills G with its own pattern, populates F again (a fresh page, all zeros), then
 *   checks that G keeps its pattern before giving G back too.
 *   vcpu 0, over and over: hypercalls whose buffers lie in F, which write into it
 *   (xen_version capabilities, compile_info, extraversion; memory_map's entries),
 *   read from it (sched_op poll's port list) or both (grant_table_op query_size).
 *
 * A lock between the two covers only what the guest itself does with F (it never
 * touches F while F is absent) and vcpu 1's decrease+populate of F; the hypercalls run
 * outside it, racing vcpu 1. A generation count says whether F was replaced meanwhile.
 * After each hypercall the whole of F must be: with no replacement, exactly what the
 * hypercall gives (and what vcpu 0 wrote elsewhere in F); after one, also zeros (a
 * fresh page) and bytes F held before (Xen may hand the guest's own page back as is).
 * Anything else (vcpu 1's pattern, 0xaa or 0x6b poison, kernel data), a call that
 * read G's bytes as its input (query_size answering for domain 0x5a5a), or G changed
 * under vcpu 1: FAILURE. It runs ~8 s of Xen system time (seconds=N on the command
 * line for longer) and prints how each kind of hypercall ended.
 */
#include "guest.h"

const char test_title[] = "p2m: a frame given back during a hypercall's copy";

#define F_GFN		0x400UL		/* 4 MiB: RAM in an 8 MiB guest, used by nothing */
#define G_GFN		0x401UL
#define SPARE_GFN	0x402UL
#define F_PAGE		((u8 *)(F_GFN << 12))
#define G_PAGE		((u8 *)(G_GFN << 12))
#define DURATION_NS	8000000000UL
#define MAX_ROUNDS	2000000UL
#define FILL		0xc3		/* vcpu 0's bytes in F */
#define FILL2		0x3c		/* the same, to tell the bytes a call writes */
#define G_BYTE		0x5a		/* vcpu 1's bytes in G */
#define MAX_REPORTS	10

#define XENMEM_decrease_reservation	1
#define XENMEM_populate_physmap		6
#define XENMEM_memory_map		9
#define XENVER_extraversion		1
#define XENVER_compile_info		2
#define XENVER_capabilities		3
#define SCHEDOP_poll			3
#define EVTCHNOP_alloc_unbound		6
#define GNTTABOP_query_size		6
#define NR_PORTS			128

struct reservation {
	u64 *extent_start;
	u64 nr_extents;
	u32 extent_order, mem_flags;
	unsigned short domid;
};

struct memory_map {
	u32 nr;
	void *buffer;
};

struct sched_poll {
	u32 *ports;
	u32 nr_ports, pad;
	u64 timeout;
};

enum kind { CAPS, COMPILE, EXTRA, MEMMAP, POLL, QUERY, NR_KINDS };

static const char *const kind_name[NR_KINDS] = {
	"xen_version(capabilities)", "xen_version(compile_info)",
	"xen_version(extraversion)", "memory_map", "sched_op(poll)",
	"grant_table_op(query_size)",
};

/* Where in F each kind's buffer lies, and how long it is. */
static const unsigned int kind_off[NR_KINDS] = { 0, 1024, 1280, 1536, 2048, 3072 };
/* memory_map's: as many entries as the toolstack gave (learn() counts them). */
static unsigned int kind_len[NR_KINDS] = { 1024, 144, 16, 160, NR_PORTS * 4, 16 };

/*
 * What each kind's buffer holds after its call: same[] when F stayed the same page;
 * after F was replaced, any byte may also be 0 (the fresh page) or alt1[]/alt2[]
 * (what the call writes, reading the guest's input or a fresh page's zeros).
 */
static u8 same[NR_KINDS][1024], alt1[NR_KINDS][1024], alt2[NR_KINDS][1024];
static u8 input[NR_KINDS][1024];	/* what prepare() puts there */

static struct shared_info *s;
static volatile u32 f_lock;
static u32 gen, stop, v1_done;
static u64 v1_rounds, v1_g_bad;
static u32 reports;
static u64 count_ok[NR_KINDS], count_fault[NR_KINDS], count_other[NR_KINDS];
static u64 count_replaced[NR_KINDS], count_bad[NR_KINDS];
static u8 scratch[4096] __attribute__((aligned(4096)));
static u8 scratch2[4096] __attribute__((aligned(4096)));

/* A failure: counted always, printed the first MAX_REPORTS times. */
#define report(...)								\
	do {									\
		if (__atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED) < MAX_REPORTS) \
			xtf_failure(__VA_ARGS__);				\
	} while (0)

static void *memcpy(void *d, const void *src, unsigned long n)
{
	u8 *x = d;
	const u8 *y = src;

	while (n--)
		*x++ = *y++;
	return d;
}

static u64 now(void)
{
	return system_time(&s->vcpu_info[0].time);
}

static s64 reservation(u64 cmd, u64 gfn)
{
	u64 extent = gfn;
	struct reservation r = { &extent, 1, 0, 0, DOMID_SELF };

	return hypercall2(__HYPERVISOR_memory_op, cmd, (u64)&r);
}

static u32 poll_port[2];		/* two unbound ports of this domain's own */

/* The guest's input for a kind, at buf (in F or a scratch page). */
static void prepare(enum kind k, u8 *buf, u8 fill)
{
	unsigned int i;

	memset(buf, fill, kind_len[k]);
	/* Ports in use, none pending (a port not in use is -EINVAL, as on Xen). */
	if (k == POLL)
		for (i = 0; i < NR_PORTS; i++)
			((u32 *)buf)[i] = poll_port[i % 2];
	if (k == QUERY)
		*(unsigned short *)buf = DOMID_SELF;
}

/* The hypercall of a kind on the buffer at buf; 0 is success for all. */
static s64 call(enum kind k, u8 *buf)
{
	struct memory_map mm = { 8, buf };
	struct sched_poll p = { (u32 *)buf, NR_PORTS, 0, 1 /* long past: at once */ };
	s64 r;

	switch (k) {
	case CAPS:
		return hypercall2(__HYPERVISOR_xen_version, XENVER_capabilities, (u64)buf);
	case COMPILE:
		return hypercall2(__HYPERVISOR_xen_version, XENVER_compile_info, (u64)buf);
	case EXTRA:
		return hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion, (u64)buf);
	case MEMMAP:
		r = hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map, (u64)&mm);
		if (!r && mm.nr * 20 != kind_len[MEMMAP]) {
			if (kind_len[MEMMAP] == 160 && mm.nr && mm.nr < 8)
				kind_len[MEMMAP] = mm.nr * 20;	/* learn()'s call */
			else
				report("memory_map: %u entries, not %u", mm.nr,
				       kind_len[MEMMAP] / 20);
		}
		return r;
	case POLL:
		return hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)&p);
	case QUERY:
		return hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, (u64)buf, 1);
	default:
		return -EINVAL;
	}
}

/* The answers each kind gives, worked out on pages that nothing takes away. */
static void learn(enum kind k)
{
	unsigned int i, n = kind_len[k];

	prepare(k, scratch, FILL);
	memcpy(input[k], scratch, n);
	check_eq(call(k, scratch), 0, kind_name[k]);
	n = kind_len[k];	/* memory_map's is known now */
	prepare(k, input[k], FILL);
	memcpy(same[k], scratch, n);
	switch (k) {
	case POLL:	/* reads only */
		memset(alt1[k], 0, n);
		memset(alt2[k], 0, n);
		break;
	case QUERY:	/* reads the domain, writes the whole record back */
		memcpy(alt1[k], scratch, n);
		memset(scratch, 0, n);	/* what it answers reading a fresh page */
		check_eq(call(k, scratch), 0, "query_size of a zeroed record");
		memcpy(alt2[k], scratch, n);
		break;
	default:	/* writes only: the bytes it writes are those two fills agree on */
		prepare(k, scratch2, FILL2);
		check_eq(call(k, scratch2), 0, kind_name[k]);
		for (i = 0; i < n; i++)
			alt1[k][i] = scratch[i] == scratch2[i] ? scratch[i] : 0;
		memset(alt2[k], 0, n);
	}
}

/* Check F (under f_lock) after a call of kind k; replaced: F is a new page since. */
static void check_f(enum kind k, int replaced, unsigned long round)
{
	unsigned int i, off = kind_off[k], len = kind_len[k];
	const u8 *f = F_PAGE;

	for (i = 0; i < 4096; i++) {
		u8 b = f[i], want;

		if (i >= off && i < off + len) {
			unsigned int j = i - off;

			want = same[k][j];
			if (b == want || (replaced && (b == 0 || b == alt1[k][j] ||
						       b == alt2[k][j] || b == input[k][j])))
				continue;
		} else {
			want = FILL;
			if (b == want || (replaced && !b))
				continue;
		}
		count_bad[k]++;
		report("round %lu, %s: F's byte %#x is %#x, expected %#x%s", round,
		       kind_name[k], i, b, want,
		       replaced ? " (or 0, or the call's or its input; F replaced meanwhile)" :
		       "");
		return;
	}
}

/* vcpu 1: give F back and take it again, with G between, until told to stop. */
static void churn(void *unused)
{
	unsigned int i, pass;

	(void)unused;
	while (!READ_ONCE(stop)) {
		spin_lock(&f_lock);
		if (reservation(XENMEM_decrease_reservation, F_GFN) != 1)
			report("round %lu: decrease_reservation(F) did not give it back",
			       v1_rounds);
		if (reservation(XENMEM_populate_physmap, G_GFN) != 1)
			report("round %lu: populate_physmap(G) failed", v1_rounds);
		memset(G_PAGE, G_BYTE, 4096);
		if (reservation(XENMEM_populate_physmap, F_GFN) != 1)
			report("round %lu: populate_physmap(F) failed", v1_rounds);
		WRITE_ONCE(gen, gen + 1);
		spin_unlock(&f_lock);

		/* Whatever a late copy put into F's old page shows up here, if G has it. */
		for (pass = 0; pass < 4; pass++)
			for (i = 0; i < 4096; i += 8)
				if (*(volatile u64 *)(G_PAGE + i) != 0x5a5a5a5a5a5a5a5aUL) {
					v1_g_bad++;
					report("round %lu: G (vcpu 1's) changed at %#x: %#lx",
					       v1_rounds, i, *(u64 *)(G_PAGE + i));
					pass = 4;
					break;
				}
		/*
		 * Zeroed before it goes: Xen does not scrub a page a running domain gives
		 * back, and hands it out again as is, maybe as F's new page. Only this
		 * page ever holds G_BYTE, so G_BYTE read anywhere else came from G itself.
		 * (F's old page may come back as F, with bytes F held: that is allowed.)
		 */
		memset(G_PAGE, 0, 4096);
		if (reservation(XENMEM_decrease_reservation, G_GFN) != 1)
			report("round %lu: decrease_reservation(G) did not give it back",
			       v1_rounds);
		v1_rounds++;
	}
	WRITE_ONCE(v1_done, 1);
}

void test_main(void)
{
	unsigned long round;
	u64 start, end, duration, max_rounds;
	enum kind k;
	s64 r;

	s = map_shared_info();
	if (!s)
		xtf_error("cannot map shared_info");
	r = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0);
	if (r == -ENOENT)
		xtf_skip("needs a second vcpu (start it with 2)");

	for (r = 0; r < 2; r++) {
		struct { unsigned short dom, remote; u32 port; } a = { DOMID_SELF, DOMID_SELF, 0 };

		check_eq(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
				    (u64)&a), 0, "alloc_unbound, for poll");
		poll_port[r] = a.port;
	}
	for (k = 0; k < NR_KINDS; k++)
		learn(k);
	/* G and a spare frame go first: room for the one page more vcpu 1 holds at times. */
	check_eq(reservation(XENMEM_decrease_reservation, G_GFN), 1, "decrease_reservation(G)");
	check_eq(reservation(XENMEM_decrease_reservation, SPARE_GFN), 1,
		 "decrease_reservation(spare)");
	r = start_vcpu(1, churn, NULL);
	if (r)
		xtf_error("cannot start vcpu 1: %ld", r);

	/* seconds=N on the command line: a longer run by hand, with no bound on rounds. */
	duration = cmdline_number("seconds", 0) * 1000000000UL;
	max_rounds = duration ? ~0UL : MAX_ROUNDS;
	start = now();
	end = start + (duration ?: DURATION_NS);
	for (round = 0; round < max_rounds && now() < end; round++) {
		u32 g0, g1;

		k = round % NR_KINDS;
		spin_lock(&f_lock);
		memset(F_PAGE, FILL, 4096);
		prepare(k, F_PAGE + kind_off[k], FILL);
		g0 = READ_ONCE(gen);
		spin_unlock(&f_lock);

		r = call(k, F_PAGE + kind_off[k]);

		spin_lock(&f_lock);
		g1 = READ_ONCE(gen);
		check_f(k, g1 != g0, round);
		spin_unlock(&f_lock);

		if (g1 != g0)
			count_replaced[k]++;
		if (!r)
			count_ok[k]++;
		else if (r == -EFAULT && g1 != g0)
			count_fault[k]++;
		/*
		 * A poll that read F's new page read zeros there: port 0, never in use,
		 * is -EINVAL. (One that read G instead is caught by query_size, which
		 * would answer for domain 0x5a5a.)
		 */
		else if (r == -EINVAL && k == POLL && g1 != g0)
			count_fault[k]++;
		else {
			count_other[k]++;
			report("round %lu, %s: returned %ld, F %s", round, kind_name[k], r,
			       g1 != g0 ? "replaced meanwhile" : "the same page");
		}
	}
	WRITE_ONCE(stop, 1);
	end = now() + 5000000000UL;
	while (!READ_ONCE(v1_done) && now() < end)
		cpu_relax();
	if (!READ_ONCE(v1_done))
		xtf_failure("vcpu 1 did not stop within 5 s");

	printk("%lu rounds in %lu ms; vcpu 1: %lu give-backs of F\n", round,
	       (now() - start) / 1000000, v1_rounds);
	for (k = 0; k < NR_KINDS; k++)
		printk("  %s: %lu ok, %lu EFAULT (or EINVAL), %lu other; F replaced during %lu, "
		       "bad %lu\n",
		       kind_name[k], count_ok[k], count_fault[k], count_other[k],
		       count_replaced[k], count_bad[k]);
	if (reports > MAX_REPORTS)
		printk("(%u problems in all, the first %u shown)\n", reports, MAX_REPORTS);
	if (v1_g_bad)
		xtf_failure("G changed under vcpu 1 %lu times", v1_g_bad);
}
