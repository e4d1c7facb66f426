// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile netfront (public/io/netif.h), spoken straight through xenstore, the grant
 * table and an event channel, against the vif backend in dom0: kxen-netback on kxen.
 * selftests/module/net.t starts it with `xl create` and six vifs on xenbr0, and each
 * vif takes one attack:
 *
 *   0  its tx ring "granted" by a reference that grants nothing
 *   1  a tx producer index a thousand requests ahead of the backend
 *   2  an rx producer index five thousand ahead
 *   3  bad packets: an ungranted page, zero bytes, 64 KiB in one slot, a slot crossing
 *      its page, a first size smaller than the rest's, a checksum to fill in where
 *      there is none, GSO metadata that lies (a type that does not exist, TCP
 *      segmentation of UDP, no checksum to go with it); then a good packet
 *   4  a packet whose slots all say "more follows", one past the 18 a packet may take
 *   5  receive requests whose grants grant nothing (net.t sends broadcasts meanwhile)
 *
 * A protocol broken (0, 1, 2, 4) must end that vif: the backend goes to Closing (5).
 * A bad packet (3) is answered NETIF_RSP_ERROR and the vif carries on: the good packet
 * after it goes, and the backend stays Connected (4). A receive into a grant that
 * does not copy (5) is answered with an error too. net.t checks the rest from dom0:
 * the backend still runs, other guests still talk, and the vifs go with this domain.
 */
#include "guest.h"

const char test_title[] = "hostile netif frontends";

#define __HYPERVISOR_sched_op_yield	0
#define EVTCHNOP_send			4
#define EVTCHNOP_alloc_unbound		6
#define HVMOP_get_param			1
#define HVM_PARAM_STORE_PFN		1
#define HVM_PARAM_STORE_EVTCHN		2
#define XENMAPSPACE_grant_table		1

/* Frames of ours below 1 MiB: the grant table, and two rings for each vif. */
#define GRANT_GFN	0x90
#define RING_GFN(vif, rx)	(0x40 + 2 * (vif) + (rx))
#define DATA_GFN	0x60
#define FIRST_REF	16	/* 0-7 are the toolstack's */
#define NR_VIFS		6

static struct shared_info *si;

static u64 now_ms(void)
{
	return system_time(&si->vcpu_info[0].time) / 1000000;
}

static void yield(void)
{
	hypercall2(__HYPERVISOR_sched_op, __HYPERVISOR_sched_op_yield, 0);
}

static void notify(u32 port)
{
	hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (u64)&port);
}

static void smp_mb(void)
{
	asm volatile("mfence" ::: "memory");
}

/* ---- xenstore, over its ring (public/io/xs_wire.h), polled. */
struct xs_ring {
	char req[1024], rsp[1024];
	u32 req_cons, req_prod, rsp_cons, rsp_prod;
};

struct xs_msg {
	u32 type, req_id, tx_id, len;
};

#define XS_READ		2
#define XS_WRITE	11
#define XS_ERROR	16

static volatile struct xs_ring *xs;
static u32 xs_port;

static void xs_put(const void *data, u32 len)
{
	const char *p = data;
	u32 i;

	for (i = 0; i < len; i++) {
		while (xs->req_prod - xs->req_cons >= sizeof(xs->req))
			yield();
		xs->req[xs->req_prod % sizeof(xs->req)] = p[i];
		smp_mb();
		xs->req_prod++;
	}
}

static void xs_get(void *data, u32 len)
{
	char *p = data;
	u32 i;

	for (i = 0; i < len; i++) {
		while (xs->rsp_prod == xs->rsp_cons) {
			notify(xs_port);
			yield();
		}
		smp_mb();
		if (p)
			p[i] = xs->rsp[xs->rsp_cons % sizeof(xs->rsp)];
		smp_mb();
		xs->rsp_cons++;
	}
}

/* One request, its reply into buf (NUL-terminated): the reply's length, or -1. */
static int xs_call(u32 type, const char *path, const char *val, char *buf, u32 size)
{
	struct xs_msg m = { .type = type, .req_id = 1 };
	u32 plen = strlen(path) + 1, vlen = val ? strlen(val) : 0, n;

	m.len = plen + vlen;
	xs_put(&m, sizeof(m));
	xs_put(path, plen);
	if (val)
		xs_put(val, vlen);
	notify(xs_port);
	xs_get(&m, sizeof(m));
	n = m.len < size - 1 ? m.len : size - 1;
	xs_get(buf, n);
	xs_get(NULL, m.len - n);
	buf[n] = 0;
	notify(xs_port);
	return m.type == XS_ERROR ? -1 : (int)n;
}

static int xs_read(const char *path, char *buf, u32 size)
{
	return xs_call(XS_READ, path, NULL, buf, size);
}

static int xs_write(const char *path, const char *val)
{
	char ack[16];

	return xs_call(XS_WRITE, path, val, ack, sizeof(ack)) < 0 ? -1 : 0;
}

/* ---- Strings for paths and numbers. */
static char *cat(char *dst, const char *src)
{
	while (*dst)
		dst++;
	while ((*dst = *src++))
		dst++;
	return dst;
}

static void utoa(char *buf, u64 n)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = '0' + n % 10;
		n /= 10;
	} while (n);
	while (i)
		*buf++ = tmp[--i];
	*buf = 0;
}

static s64 atoi(const char *s)
{
	s64 n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + *s++ - '0';
	return n;
}

/* dir/key as a path, in buf. */
static char *path(char *buf, const char *dir, const char *key)
{
	buf[0] = 0;
	cat(cat(cat(buf, dir), "/"), key);
	return buf;
}

static s64 read_num(const char *dir, const char *key)
{
	char p[128], v[32];

	return xs_read(path(p, dir, key), v, sizeof(v)) < 0 ? -1 : atoi(v);
}

static void write_num(const char *dir, const char *key, u64 n)
{
	char p[128], v[24];

	utoa(v, n);
	if (xs_write(path(p, dir, key), v))
		xtf_error("cannot write %s", p);
}

/* ---- Grants to dom0, v1 entries (public/grant_table.h). */
struct grant_v1 {
	unsigned short flags, domid;
	u32 frame;
};
#define GTF_permit_access	1

static volatile struct grant_v1 *gnt;
static u32 next_ref = FIRST_REF;

static u32 grant(u64 gfn)
{
	u32 ref = next_ref++;

	gnt[ref].domid = 0;
	gnt[ref].frame = gfn;
	smp_mb();
	gnt[ref].flags = GTF_permit_access;
	return ref;
}

/* A reference that grants nothing: an entry never written. */
#define BAD_REF		400

/* ---- The netif rings (public/io/netif.h, public/io/ring.h). */
struct sring_hdr {
	u32 req_prod, req_event, rsp_prod, rsp_event;
	u8 pad[48];
};

struct tx_req {
	u32 gref;
	unsigned short offset, flags, id, size;
};
struct tx_rsp {
	unsigned short id;
	short status;
};
struct extra_gso {
	u8 type, flags;
	unsigned short size;
	u8 gso_type, pad;
	unsigned short features;
};
union tx_slot {
	struct tx_req req;
	struct tx_rsp rsp;
	struct extra_gso gso;
};
struct rx_req {
	unsigned short id, pad;
	u32 gref;
};
struct rx_rsp {
	unsigned short id, offset, flags;
	short status;
};
union rx_slot {
	struct rx_req req;
	struct rx_rsp rsp;
};

_Static_assert(sizeof(struct sring_hdr) == 64, "ring header");
_Static_assert(sizeof(union tx_slot) == 12, "netif_tx_request");
_Static_assert(sizeof(union rx_slot) == 8, "netif_rx_request");

#define NETTXF_csum_blank	(1 << 0)
#define NETTXF_more_data	(1 << 2)
#define NETTXF_extra_info	(1 << 3)
#define EXTRA_TYPE_GSO		1
#define GSO_TYPE_TCPV4		1
#define RSP_ERROR		(-1)
#define RSP_OKAY		0
#define RING_SIZE		256	/* both rings, in a 4 KiB page */

struct vif {
	unsigned int devid;
	char fe[32], be[96];
	u32 port;
	volatile struct sring_hdr *tx_hdr, *rx_hdr;
	volatile union tx_slot *tx;
	volatile union rx_slot *rx;
	u32 tx_prod, tx_cons;
};

static struct vif vifs[NR_VIFS];

/* The backend's state, once it is want or after ms milliseconds: what it is then. */
static s64 wait_backend(struct vif *v, s64 want, u64 ms)
{
	u64 end = now_ms() + ms;
	s64 st;

	while ((st = read_num(v->be, "state")) != want && now_ms() < end)
		yield();
	return st;
}

/* Rings, grants and a channel, written where the backend looks; then Connected. */
static void connect(struct vif *v, int bad_tx_ref)
{
	struct { unsigned short dom, remote; u32 port; } un = { DOMID_SELF, 0, 0 };
	u64 txg = RING_GFN(v->devid, 0), rxg = RING_GFN(v->devid, 1);
	char p[128];

	v->tx_hdr = (void *)(txg << 12);
	v->rx_hdr = (void *)(rxg << 12);
	memset((void *)v->tx_hdr, 0, 4096);
	memset((void *)v->rx_hdr, 0, 4096);
	v->tx_hdr->req_event = v->tx_hdr->rsp_event = 1;
	v->rx_hdr->req_event = v->rx_hdr->rsp_event = 1;
	v->tx = (void *)((u64)v->tx_hdr + 64);
	v->rx = (void *)((u64)v->rx_hdr + 64);
	if (hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (u64)&un))
		xtf_error("vif %u: alloc_unbound failed", v->devid);
	v->port = un.port;
	write_num(v->fe, "tx-ring-ref", bad_tx_ref ? BAD_REF : grant(txg));
	write_num(v->fe, "rx-ring-ref", grant(rxg));
	write_num(v->fe, "event-channel", v->port);
	write_num(v->fe, "request-rx-copy", 1);
	write_num(v->fe, "feature-sg", 1);
	if (xs_write(path(p, v->fe, "state"), "4"))
		xtf_error("vif %u: cannot write its state", v->devid);
}

static void connect_ok(struct vif *v)
{
	s64 st;

	connect(v, 0);
	st = wait_backend(v, 4, 60000);
	if (st != 4)
		xtf_error("vif %u: the backend did not connect (state %ld)", v->devid, st);
}

/* ---- Transmit: requests on the ring, the producer index, an event. */
static unsigned short tx_put(struct vif *v, u32 gref, unsigned short offset, unsigned short flags, unsigned short size)
{
	volatile struct tx_req *r = &v->tx[v->tx_prod % RING_SIZE].req;
	unsigned short id = v->tx_prod % RING_SIZE;

	r->gref = gref;
	r->offset = offset;
	r->flags = flags;
	r->id = id;
	r->size = size;
	v->tx_prod++;
	return id;
}

static void tx_push(struct vif *v, u32 prod)
{
	smp_mb();
	v->tx_hdr->req_prod = prod;
	smp_mb();
	notify(v->port);
}

/* The responses to everything pushed, within 60 s: false if they did not come. */
static int tx_wait(struct vif *v)
{
	u64 end = now_ms() + 60000;

	while (v->tx_hdr->rsp_prod != v->tx_prod && now_ms() < end)
		yield();
	return v->tx_hdr->rsp_prod == v->tx_prod;
}

static short tx_status(struct vif *v, u32 idx)
{
	return v->tx[idx % RING_SIZE].rsp.status;
}

/*
 * The data page: at 0 a broadcast frame of an EtherType for local experiments, at
 * 2048 the headers of an IPv4 TCP segment, at 3072 of an IPv4 UDP datagram.
 */
#define TCP_AT	2048
#define UDP_AT	3072
static u32 data_ref;

static void ip_frame(u8 *f, u8 proto)
{
	memset(f, 0xff, 6);
	f[6] = 0x00; f[7] = 0x16; f[8] = 0x3e; f[9] = 0x7f; f[11] = 0x03;
	f[12] = 0x08;				/* IPv4 */
	f[14] = 0x45;				/* version 4, 20 bytes */
	f[23] = proto;
	f[14 + 20 + 12] = 0x50;			/* a TCP header of 20 bytes */
}

static void make_data(void)
{
	u8 *f = (u8 *)(DATA_GFN << 12);

	memset(f, 0, 4096);
	memset(f, 0xff, 6);
	f[6] = 0x00; f[7] = 0x16; f[8] = 0x3e; f[9] = 0x7f; f[11] = 0x03;
	f[12] = 0x88; f[13] = 0xb5;
	ip_frame(f + TCP_AT, 6);
	ip_frame(f + UDP_AT, 17);
	data_ref = grant(DATA_GFN);
}

/* ---- The attacks. */
static void expect_closing(struct vif *v, const char *what)
{
	s64 st = wait_backend(v, 5, 60000);

	if (st != 5)
		xtf_failure("vif %u, %s: backend state %ld, want 5 (Closing)", v->devid, what, st);
	else
		printk("vif %u, %s: the backend disconnected it\n", v->devid, what);
}

static void ring_ref_not_granted(struct vif *v)
{
	connect(v, 1);
	expect_closing(v, "tx ring ref that grants nothing");
}

static void tx_producer_ahead(struct vif *v)
{
	connect_ok(v);
	tx_push(v, 1000);
	expect_closing(v, "tx producer 1000 requests ahead");
}

static void rx_producer_ahead(struct vif *v)
{
	connect_ok(v);
	smp_mb();
	v->rx_hdr->req_prod = 5000;
	smp_mb();
	notify(v->port);
	expect_closing(v, "rx producer 5000 requests ahead");
}

/* One packet of one slot, with a GSO extra of gso_type after it unless that is 0. */
static u32 packet(struct vif *v, u32 gref, unsigned short offset, unsigned short flags, unsigned short size, u8 gso_type)
{
	u32 at = v->tx_prod;
	volatile struct extra_gso *e;

	tx_put(v, gref, offset, flags | (gso_type ? NETTXF_extra_info : 0), size);
	if (gso_type) {
		e = &v->tx[v->tx_prod % RING_SIZE].gso;
		e->type = EXTRA_TYPE_GSO;
		e->flags = 0;
		e->size = 500;
		e->gso_type = gso_type;
		e->features = 0;
		v->tx_prod++;
	}
	return at;
}

static void bad_packets(struct vif *v)
{
	static const char *const what[] = {
		"an ungranted page", "zero bytes", "65535 bytes in one slot",
		"a slot crossing its page", "a first size below the rest's",
		"a checksum to fill in a frame that is not IP", "GSO of type 9",
		"TCPv4 GSO on a UDP datagram", "GSO without a checksum to fill",
	};
	u32 idx[9], i, n = 0, good;
	s64 st;

	connect_ok(v);
	idx[n++] = packet(v, BAD_REF, 0, 0, 60, 0);
	idx[n++] = packet(v, data_ref, 0, 0, 0, 0);
	idx[n++] = packet(v, data_ref, 0, 0, 65535, 0);
	idx[n++] = packet(v, data_ref, 4000, 0, 200, 0);
	idx[n++] = packet(v, data_ref, 0, NETTXF_more_data, 100, 0);
	tx_put(v, data_ref, 0, 0, 200);
	idx[n++] = packet(v, data_ref, 0, NETTXF_csum_blank, 60, 0);
	idx[n++] = packet(v, data_ref, TCP_AT, NETTXF_csum_blank, 1000, 9);
	idx[n++] = packet(v, data_ref, UDP_AT, NETTXF_csum_blank, 1000, GSO_TYPE_TCPV4);
	idx[n++] = packet(v, data_ref, TCP_AT, 0, 1000, GSO_TYPE_TCPV4);
	good = packet(v, data_ref, 0, 0, 60, 0);
	tx_push(v, v->tx_prod);
	if (!tx_wait(v)) {
		xtf_failure("vif %u: bad packets: %u responses of %u after 60 s", v->devid,
			    v->tx_hdr->rsp_prod, v->tx_prod);
		return;
	}
	for (i = 0; i < n; i++)
		if (tx_status(v, idx[i]) != RSP_ERROR)
			xtf_failure("vif %u: %s: status %d, want NETIF_RSP_ERROR", v->devid,
				    what[i], tx_status(v, idx[i]));
	if (tx_status(v, good) != RSP_OKAY)
		xtf_failure("vif %u: the good packet after them: status %d, want OKAY",
			    v->devid, tx_status(v, good));
	st = read_num(v->be, "state");
	if (st != 4)
		xtf_failure("vif %u: backend state %ld after bad packets, want 4", v->devid, st);
	printk("vif %u: %u bad packets answered NETIF_RSP_ERROR, a good one sent after\n",
	       v->devid, n);
}

static void endless_chain(struct vif *v)
{
	u32 i;

	connect_ok(v);
	for (i = 0; i < 19; i++)
		tx_put(v, data_ref, 0, NETTXF_more_data, 60);
	tx_push(v, v->tx_prod);
	expect_closing(v, "a packet of 19+ slots");
}

/* Receive requests into nothing; what dom0 broadcasts must come back as errors. */
static void rx_not_granted(struct vif *v)
{
	volatile struct rx_req *r;
	u64 end;
	u32 i;

	connect_ok(v);
	for (i = 0; i < 64; i++) {
		r = &v->rx[i].req;
		r->id = i;
		r->gref = BAD_REF;
	}
	smp_mb();
	v->rx_hdr->req_prod = 64;
	smp_mb();
	notify(v->port);
	printk("vif %u: receive requests posted, waiting for traffic\n", v->devid);
	end = now_ms() + 120000;
	while (v->rx_hdr->rsp_prod == 0 && now_ms() < end)
		yield();
	if (v->rx_hdr->rsp_prod == 0) {
		xtf_failure("vif %u: no receive response in 120 s", v->devid);
		return;
	}
	smp_mb();
	if (v->rx[0].rsp.status != RSP_ERROR)
		xtf_failure("vif %u: receive into an ungranted page: status %d, want ERROR",
			    v->devid, v->rx[0].rsp.status);
	else
		printk("vif %u: a receive into an ungranted page was answered ERROR\n", v->devid);
	if (read_num(v->be, "state") != 4)
		xtf_failure("vif %u: the backend left Connected", v->devid);
}

/* Map the first 4 GiB 1:1 (head.S mapped one): the xenstore page lies high. */
static void map_4g(void)
{
	u64 *pml4 = (u64 *)(read_cr3() & ~0xfffUL), *pdpt = (u64 *)(pml4[0] & ~0xfffUL);
	u64 i;

	for (i = 1; i < 4; i++)
		pdpt[i] = (i << 30) | 0x83;	/* present, writable, 1 GiB */
	asm volatile("mov %0, %%cr3" : : "r"(read_cr3()) : "memory");
}

static u64 hvm_param(u32 index)
{
	struct { unsigned short domid; u32 index; u64 value; } p = { DOMID_SELF, index, 0 };

	if (hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, (u64)&p))
		xtf_error("HVMOP_get_param %u failed", index);
	return p.value;
}

void test_main(void)
{
	static void (*const attack[NR_VIFS])(struct vif *) = {
		ring_ref_not_granted, tx_producer_ahead, rx_producer_ahead, bad_packets,
		endless_chain, rx_not_granted,
	};
	struct { unsigned short domid, size; u32 space; u64 idx, gpfn; } atp = {
		DOMID_SELF, 0, XENMAPSPACE_grant_table, 0, GRANT_GFN,
	};
	char p[64];
	u64 store;
	unsigned int i;

	si = map_shared_info();
	if (!si)
		xtf_error("cannot map shared_info");
	store = hvm_param(HVM_PARAM_STORE_PFN);
	xs_port = hvm_param(HVM_PARAM_STORE_EVTCHN);
	if (!store || store >= (1UL << 20))
		xtf_skip("no xenstore page below 4 GiB (pfn %#lx): not started by a toolstack",
			 store);
	map_4g();
	xs = (void *)(store << 12);
	if (hypercall2(__HYPERVISOR_memory_op, 7 /* add_to_physmap */, (u64)&atp))
		xtf_error("cannot map grant frame 0");
	gnt = (void *)(GRANT_GFN << 12);
	make_data();

	for (i = 0; i < NR_VIFS; i++) {
		struct vif *v = &vifs[i];

		v->devid = i;
		cat(cat(v->fe, "device/vif/"), (utoa(p, i), p));
		if (xs_read(path(p, v->fe, "backend"), v->be, sizeof(v->be)) < 0)
			xtf_error("no vif %u (xl's vif= gives %u)", i, NR_VIFS);
		if (wait_backend(v, 2, 60000) != 2)
			xtf_error("vif %u: the backend is not waiting for us (InitWait)", i);
	}
	for (i = 0; i < NR_VIFS; i++)
		attack[i](&vifs[i]);
}
