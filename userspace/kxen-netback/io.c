// SPDX-License-Identifier: GPL-2.0
/*
 * The two rings of a vif. The frontend is not trusted: every request is copied out
 * of the shared page once and checked there, the producer index may not run more
 * than a ring ahead, and a packet may not claim more than 18 slots or a slot cross
 * its page. Breaking the protocol disconnects the vif (as xen-netback's fatal
 * errors do); a packet that is merely bad (a grant that does not copy, a length that
 * does not add up) is answered NETIF_RSP_ERROR and dropped, and the vif carries on.
 */
#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include "netback.h"

/* One packet's worth of copies and the packet itself, reused for every vif. */
static xengnttab_grant_copy_segment_t segs[NB_MAX_SLOTS];
static uint8_t packet[NB_MAX_RX + NB_PAGE];

static void notify(struct vif *v, int notify)
{
	if (notify)
		xenevtchn_notify(nb_evtchn, v->port);
}

static void tx_respond(struct vif *v, const netif_tx_request_t *req, int16_t status)
{
	netif_tx_response_t *rsp = RING_GET_RESPONSE(&v->tx, v->tx.rsp_prod_pvt);

	rsp->id = req->id;
	rsp->status = status;
	v->tx.rsp_prod_pvt++;
}

/*
 * The packet at req_cons, when the frontend has put all of it on the ring: its data
 * requests in reqs[] (*nreq), its extras in extras[]. 0 when there is none yet,
 * -1 when what is there breaks the protocol, else the number of ring slots it takes.
 */
static int tx_gather(struct vif *v, RING_IDX prod, netif_tx_request_t *reqs, unsigned int *nreq,
		     struct netif_extra_info *extras, unsigned int *nextra)
{
	RING_IDX i = v->tx.req_cons;
	uint16_t flags;

	*nreq = *nextra = 0;
	if (i == prod)
		return 0;
	reqs[0] = *RING_GET_REQUEST(&v->tx, i++);
	flags = reqs[0].flags;
	*nreq = 1;
	/* Extras follow the first request, chained by their own MORE flag. */
	if (flags & NETTXF_extra_info) {
		do {
			if (i == prod)
				return 0;
			if (*nextra == XEN_NETIF_EXTRA_TYPE_MAX)
				return -1;
			memcpy(&extras[*nextra], RING_GET_REQUEST(&v->tx, i++),
			       sizeof(extras[0]));
		} while (extras[(*nextra)++].flags & XEN_NETIF_EXTRA_FLAG_MORE);
	}
	while (flags & NETTXF_more_data) {
		if (*nreq == NB_MAX_SLOTS)
			return -1;	/* a chain that does not end */
		if (i == prod)
			return 0;
		reqs[*nreq] = *RING_GET_REQUEST(&v->tx, i++);
		flags = reqs[(*nreq)++].flags;
	}
	return i - v->tx.req_cons;
}

/*
 * One gathered packet to the tap: true when it went. The first request's size is the
 * whole packet's, so its own data is that less the others'.
 */
static bool tx_packet(struct vif *v, netif_tx_request_t *reqs, unsigned int nreq,
		      const struct netif_extra_info *extras, unsigned int nextra)
{
	struct virtio_net_hdr hdr = { 0 };
	unsigned int i, total = reqs[0].size, rest = 0, at = 0;
	struct iovec iov[2];
	uint16_t start, offset;
	uint8_t proto;

	for (i = 1; i < nreq; i++)
		rest += reqs[i].size;
	if (rest >= total || total < 14)
		return false;
	for (i = 0; i < nreq; i++) {
		unsigned int len = i ? reqs[i].size : total - rest;

		if (reqs[i].offset + len > NB_PAGE || !len)
			return false;
		segs[i] = (xengnttab_grant_copy_segment_t){
			.source.foreign = { .ref = reqs[i].gref, .offset = reqs[i].offset,
					    .domid = v->domid },
			.dest.virt = packet + at,
			.len = len,
			.flags = GNTCOPY_source_gref,
		};
		at += len;
	}
	if (xengnttab_grant_copy(nb_gnttab, nreq, segs))
		return false;
	for (i = 0; i < nreq; i++)
		if (segs[i].status != GNTST_okay)
			return false;

	/* Offloads, as a virtio_net_hdr: the tap finishes what the guest left. */
	if (reqs[0].flags & NETTXF_csum_blank) {
		if (!nb_csum_offsets(packet, total, &start, &offset, &proto))
			return false;
		hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		hdr.csum_start = start;
		hdr.csum_offset = offset;
	} else if (reqs[0].flags & NETTXF_data_validated) {
		hdr.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	}
	for (i = 0; i < nextra; i++) {
		const struct netif_extra_info *e = &extras[i];

		if (e->type != XEN_NETIF_EXTRA_TYPE_GSO)
			continue;	/* multicast filters: not offered, ignored */
		if (!(hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || !e->u.gso.size ||
		    proto != 6)
			return false;
		if (e->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4)
			hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		else if (e->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6)
			hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
		else
			return false;
		hdr.gso_size = e->u.gso.size;
		hdr.hdr_len = start + 4 * (packet[start + 12] >> 4);
	}

	iov[0] = (struct iovec){ &hdr, sizeof(hdr) };
	iov[1] = (struct iovec){ packet, total };
	/* A full tap queue drops, as a NIC's full queue would; so does a tap gone down. */
	if (writev(v->tap, iov, 2) < 0 && errno != EAGAIN && errno != EIO)
		nb_log("%s: tap write: %s\n", v->name, strerror(errno));
	return true;
}

bool io_tx(struct vif *v)
{
	netif_tx_request_t reqs[NB_MAX_SLOTS];
	struct netif_extra_info extras[XEN_NETIF_EXTRA_TYPE_MAX];
	unsigned int nreq, nextra, i;
	int more, n, note;
	RING_IDX prod;

	for (;;) {
		prod = v->tx.sring->req_prod;
		xen_rmb();	/* the requests before the index that shows them */
		if (prod - v->tx.req_cons > RING_SIZE(&v->tx)) {
			nb_log("%s: tx producer %u is more than a ring ahead of %u\n", v->name,
			       prod, v->tx.req_cons);
			return false;
		}
		while ((n = tx_gather(v, prod, reqs, &nreq, extras, &nextra)) > 0) {
			bool ok = tx_packet(v, reqs, nreq, extras, nextra);

			v->tx.req_cons += n;
			tx_respond(v, &reqs[0], ok ? NETIF_RSP_OKAY : NETIF_RSP_ERROR);
			for (i = 0; i < nextra; i++) {
				netif_tx_request_t null = { .id = 0 };

				tx_respond(v, &null, NETIF_RSP_NULL);
			}
			for (i = 1; i < nreq; i++)
				tx_respond(v, &reqs[i], ok ? NETIF_RSP_OKAY : NETIF_RSP_ERROR);
			if (ok)
				v->tx_packets++;
			else
				v->tx_dropped++;
		}
		if (n < 0) {
			nb_log("%s: tx packet of more than %u slots or extras\n", v->name,
			       NB_MAX_SLOTS);
			return false;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&v->tx, note);
		notify(v, note);
		if (v->tx.req_cons == prod) {
			RING_FINAL_CHECK_FOR_REQUESTS(&v->tx, more);
			if (!more)
				return true;
			continue;
		}
		/*
		 * A packet whose last slots are not posted yet: told when more come, not
		 * looking again before (the requests already there would say "more").
		 */
		v->tx.sring->req_event = prod + 1;
		xen_mb();
		if (v->tx.sring->req_prod == prod)
			return true;
	}
}

/* Receive requests posted and not used, or -1 when the index is out of range. */
static int rx_available(struct vif *v)
{
	RING_IDX prod = v->rx.sring->req_prod;

	xen_rmb();
	if (prod - v->rx.req_cons > RING_SIZE(&v->rx))
		return -1;
	return prod - v->rx.req_cons;
}

/*
 * Slots a packet from the tap may take: all of it in one, or split into pages with,
 * for a TCP segment (GSO), one more for the extra that says how to cut it.
 */
static int rx_slots(struct vif *v)
{
	return v->sg ? NB_MAX_SLOTS : 1;
}

bool io_rx_wanted(struct vif *v)
{
	RING_IDX prod;

	if (!v->connected)
		return false;
	/*
	 * Too few posted: ask to be told of the next one the frontend posts (it notifies
	 * when its new index passes req_event), then look again, as it may have posted
	 * before it could see that. Not RING_FINAL_CHECK_FOR_REQUESTS: with a few
	 * requests posted, fewer than a packet may take, it would leave req_event where
	 * it was and nobody would wake this vif.
	 */
	do {
		prod = v->rx.sring->req_prod;
		if (rx_available(v) >= rx_slots(v))
			return true;
		v->rx.sring->req_event = prod + 1;
		xen_mb();
	} while (v->rx.sring->req_prod != prod);
	return false;
}

/* The GSO extra for a TCP segment from the tap, or false when there is none. */
static bool rx_gso_extra(const struct virtio_net_hdr *hdr, struct netif_extra_info *e)
{
	uint8_t type = hdr->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;

	if (type == VIRTIO_NET_HDR_GSO_NONE)
		return false;
	*e = (struct netif_extra_info){ .type = XEN_NETIF_EXTRA_TYPE_GSO };
	e->u.gso.size = hdr->gso_size;
	e->u.gso.type = type == VIRTIO_NET_HDR_GSO_TCPV6 ? XEN_NETIF_GSO_TYPE_TCPV6
							  : XEN_NETIF_GSO_TYPE_TCPV4;
	return true;
}

/*
 * One packet from the tap into the guest's posted pages, a page a slot; a TCP
 * segment's extra goes in the slot after the first, as netif.h lays receive out.
 */
static void rx_packet(struct vif *v, const struct virtio_net_hdr *hdr, unsigned int len)
{
	netif_rx_request_t reqs[NB_MAX_SLOTS];
	RING_IDX data_rsp[NB_MAX_SLOTS];
	unsigned int n = (len + NB_PAGE - 1) / NB_PAGE, i;
	struct netif_extra_info extra;
	bool gso = rx_gso_extra(hdr, &extra), ok = true;
	netif_rx_response_t *rsp;

	if ((n > 1 && !v->sg) || n + gso > NB_MAX_SLOTS || (gso && !v->rx_gso)) {
		v->rx_dropped++;	/* more than the frontend said it takes */
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned int at = i * NB_PAGE, chunk = len - at < NB_PAGE ? len - at : NB_PAGE;

		reqs[i] = *RING_GET_REQUEST(&v->rx, v->rx.req_cons++);
		if (!i && gso)
			v->rx.req_cons++;	/* the extra's slot */
		segs[i] = (xengnttab_grant_copy_segment_t){
			.source.virt = packet + at,
			.dest.foreign = { .ref = reqs[i].gref, .offset = 0, .domid = v->domid },
			.len = chunk,
			.flags = GNTCOPY_dest_gref,
		};
	}
	if (xengnttab_grant_copy(nb_gnttab, n, segs))
		ok = false;
	for (i = 0; i < n; i++) {
		data_rsp[i] = v->rx.rsp_prod_pvt;
		rsp = RING_GET_RESPONSE(&v->rx, v->rx.rsp_prod_pvt++);
		if (segs[i].status != GNTST_okay)
			ok = false;
		rsp->id = reqs[i].id;
		rsp->offset = 0;
		rsp->flags = i + 1 < n ? NETRXF_more_data : 0;
		rsp->status = segs[i].len;
		if (i)
			continue;
		if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
			rsp->flags |= NETRXF_csum_blank | NETRXF_data_validated;
		else if (hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID)
			rsp->flags |= NETRXF_data_validated;
		if (gso) {
			rsp->flags |= NETRXF_extra_info;
			memcpy(RING_GET_RESPONSE(&v->rx, v->rx.rsp_prod_pvt++), &extra,
			       sizeof(extra));
		}
	}
	if (!ok) {
		/* The frontend learns of the loss on every data slot of the packet. */
		for (i = 0; i < n; i++)
			RING_GET_RESPONSE(&v->rx, data_rsp[i])->status = NETIF_RSP_ERROR;
		v->rx_dropped++;
	} else {
		v->rx_packets++;
	}
}

bool io_rx(struct vif *v)
{
	struct virtio_net_hdr hdr;
	struct iovec iov[2] = { { &hdr, sizeof(hdr) }, { packet, NB_MAX_RX } };
	int note, avail, done = 0;
	ssize_t got;

	while ((avail = rx_available(v)) >= rx_slots(v) && done < 64) {
		got = readv(v->tap, iov, 2);
		if (got < 0)
			break;		/* EAGAIN: nothing more for now */
		done++;
		if ((size_t)got <= sizeof(hdr))
			continue;
		rx_packet(v, &hdr, got - sizeof(hdr));
	}
	if (avail < 0) {
		nb_log("%s: rx producer is more than a ring ahead\n", v->name);
		return false;
	}
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&v->rx, note);
	notify(v, note);
	return true;
}
