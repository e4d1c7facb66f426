/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kxen-netback: the backend half of Xen's netif protocol (public/io/netif.h) for a
 * dom0 whose kernel is not running on Xen, where Linux's xen-netback cannot load.
 * One process serves every vif: it finds them in xenstore where libxl writes them,
 * gives each a tap device named vif<domid>.<devid> for Debian's vif-bridge script to
 * put on a bridge, and copies packets between the guest's rings and the tap with
 * grant copies (/dev/xen/gntdev), woken through /dev/xen/evtchn.
 */
#ifndef KXEN_NETBACK_H
#define KXEN_NETBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>
#include <linux/virtio_net.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

#include "csum.h"

/* What Linux's xen-netback accepts from a frontend: 18 slots a packet at most. */
#define NB_MAX_SLOTS		XEN_NETIF_NR_SLOTS_MIN
#define NB_MAX_PACKET		0xffff	/* the first slot's size is 16 bits */
#define NB_PAGE			4096
/* From the tap to a guest: a 64 KiB TCP segment (GSO) and its Ethernet header. */
#define NB_MAX_RX		(65536 + NB_PAGE)

struct vif {
	struct vif *next;
	unsigned int domid, devid;
	char be[64];			/* /local/domain/0/backend/vif/<domid>/<devid> */
	char fe[128];			/* the frontend's directory, as the backend says */
	char name[IFNAMSIZ];		/* vif<domid>.<devid> */
	int tap;			/* the tap's fd, or -1 */
	int state;			/* the backend state last written (XenbusState) */
	bool watching;			/* a watch on the frontend's state is set */

	/* While connected: the two rings, mapped, and the event channel. */
	bool connected;
	evtchn_port_t port;
	netif_tx_back_ring_t tx;
	netif_rx_back_ring_t rx;
	void *tx_page, *rx_page;
	bool sg;			/* the frontend takes receive packets in several slots */
	bool rx_gso;			/* ... and TCP segments of up to 64 KiB (GSO) */
	uint64_t tx_packets, tx_dropped, rx_packets, rx_dropped;
};

/* The handles every vif shares (main.c). */
extern struct xs_handle *nb_xs;
extern xenevtchn_handle *nb_evtchn;
extern xengnttab_handle *nb_gnttab;
extern bool nb_verbose;

void nb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vif.c: following libxl and the frontend through xenstore. */
void vif_scan(struct vif **list);
void vif_update(struct vif **list, struct vif *v);
struct vif *vif_by_path(struct vif *list, const char *path);
struct vif *vif_by_port(struct vif *list, evtchn_port_t port);
void vif_disconnect(struct vif *v);
void vif_fail(struct vif *v);
void vif_free_all(struct vif **list);

/* io.c: the rings. Each returns false when the frontend broke the protocol. */
bool io_tx(struct vif *v);
bool io_rx(struct vif *v);
bool io_rx_wanted(struct vif *v);

#endif
