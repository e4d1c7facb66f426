// SPDX-License-Identifier: GPL-2.0
/*
 * A vif's life in xenstore, as libxl and xen-netfront expect it of Linux's
 * xen-netback (drivers/net/xen-netback/xenbus.c):
 *
 *   libxl writes backend/vif/<d>/<n> with state 1 (Initialising) and online 1;
 *   kxen-netback makes the tap, writes its features and state 2 (InitWait), and
 *   libxl runs vif-bridge, which puts the tap on a bridge and writes
 *   hotplug-status "connected";
 *   netfront writes its ring references and event channel and goes to 4 (Connected);
 *   kxen-netback maps the rings, binds the channel and, once the script said so,
 *   writes 4 too.
 *   On the way down the frontend goes to 5 or 6, or libxl writes online 0 and state 5
 *   and waits for 6; the directory's removal ends the vif and its tap.
 *   kxen-netback stopped or killed takes its taps with it and leaves the rest as it
 *   is; started again, it finds the vifs Connected and takes them over.
 *
 * Every watch event rescans: the state is in xenstore, and this reads it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>

#include <xen/io/xenbus.h>

#include "netback.h"

#define BACKEND_DIR	"/local/domain/0/backend/vif"

static char *read_key(const char *dir, const char *key)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(nb_xs, XBT_NULL, path, NULL);
}

/* A number in xenstore, or def when the key is missing or is not one. */
static long read_num(const char *dir, const char *key, long def)
{
	char *s = read_key(dir, key), *end;
	long n;

	if (!s)
		return def;
	n = strtol(s, &end, 10);
	if (end == s || *end)
		n = def;
	free(s);
	return n;
}

static bool write_key(const char *dir, const char *key, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write(nb_xs, XBT_NULL, path, val, strlen(val));
}

static void set_state(struct vif *v, int state)
{
	char s[4];

	if (v->state == state)
		return;
	snprintf(s, sizeof(s), "%d", state);
	if (write_key(v->be, "state", s))
		v->state = state;
	if (nb_verbose)
		nb_log("%s: backend state %d\n", v->name, state);
}

/*
 * The tap: vif-bridge finds it by name, so it must exist before InitWait. With
 * IFF_VNET_HDR every packet carries its offloads both ways.
 */
static int open_tap(struct vif *v)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int sz = sizeof(struct virtio_net_hdr);

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", v->name);
	if (ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNSETVNETHDRSZ, &sz)) {
		nb_log("%s: cannot make the tap: %s\n", v->name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * What the tap may hand us for this frontend: with a checksum left to fill in unless
 * it said it cannot take that (feature-no-csum-offload), and 64 KiB TCP segments if
 * it takes packets in several slots and said which (feature-gso-tcpv4/6): fewer,
 * larger packets, so fewer copies and events.
 */
static bool set_offloads(struct vif *v)
{
	unsigned int off = 0;

	v->rx_gso = false;
	if (read_num(v->fe, "feature-no-csum-offload", 0) != 1) {
		off = TUN_F_CSUM;
		if (v->sg && read_num(v->fe, "feature-gso-tcpv4", 0) == 1)
			off |= TUN_F_TSO4;
		if (v->sg && read_num(v->fe, "feature-gso-tcpv6", 0) == 1)
			off |= TUN_F_TSO6;
		v->rx_gso = off != TUN_F_CSUM;
	}
	if (ioctl(v->tap, TUNSETOFFLOAD, off)) {
		nb_log("%s: cannot set the tap's offloads: %s\n", v->name, strerror(errno));
		return false;
	}
	return true;
}

/*
 * A vif already Connected when this process found it: kxen-netback was restarted, and
 * its tap went with the old process. So the tap is made again and put where Debian's
 * vif-bridge had put it, up and on the bridge the backend directory names, before the
 * rings are taken over where the old process left them (connect_rings()).
 */
static bool reattach_tap(struct vif *v)
{
	char *bridge = read_key(v->be, "bridge");
	struct ifreq ifr = { 0 };
	bool ok = false;
	int s;

	v->tap = open_tap(v);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (v->tap >= 0 && s >= 0) {
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", v->name);
		ok = !ioctl(s, SIOCGIFFLAGS, &ifr);
		ifr.ifr_flags |= IFF_UP;
		ok = ok && !ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (ok && bridge) {
		ifr.ifr_ifindex = if_nametoindex(v->name);
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", bridge);
		ok = ifr.ifr_ifindex && !ioctl(s, SIOCBRADDIF, &ifr);
	}
	if (!ok)
		nb_log("%s: cannot make its tap again on bridge %s: %s\n", v->name,
		       bridge ? bridge : "(none)", strerror(errno));
	else
		nb_log("%s: tap made again, on %s\n", v->name, bridge ? bridge : "no bridge");
	if (s >= 0)
		close(s);
	free(bridge);
	return ok;
}

/* What a frontend learns of this backend before it connects. */
static bool announce(struct vif *v)
{
	static const char *const features[][2] = {
		{ "feature-rx-copy", "1" }, { "feature-rx-flip", "0" },
		{ "feature-sg", "1" }, { "feature-gso-tcpv4", "1" }, { "feature-gso-tcpv6", "1" },
		{ "feature-ipv6-csum-offload", "1" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (!write_key(v->be, features[i][0], features[i][1]))
			return false;
	return true;
}

static void *map_ring(struct vif *v, const char *key)
{
	long ref = read_num(v->fe, key, -1);

	if (ref < 0 || ref > UINT32_MAX)
		return NULL;
	return xengnttab_map_grant_ref(nb_gnttab, v->domid, ref, PROT_READ | PROT_WRITE);
}

/* The frontend is Connected: its rings and channel, as it wrote them. */
static bool connect_rings(struct vif *v)
{
	long port = read_num(v->fe, "event-channel", -1);
	xenevtchn_port_or_error_t local;

	if (read_num(v->fe, "request-rx-copy", 0) != 1) {
		nb_log("%s: the frontend does not ask for rx-copy\n", v->name);
		return false;
	}
	if (read_num(v->fe, "multi-queue-num-queues", 1) != 1 || port < 0) {
		nb_log("%s: the frontend wants what was not offered\n", v->name);
		return false;
	}
	v->sg = read_num(v->fe, "feature-sg", 0) == 1;
	if (!set_offloads(v))
		return false;
	v->tx_page = map_ring(v, "tx-ring-ref");
	v->rx_page = map_ring(v, "rx-ring-ref");
	if (!v->tx_page || !v->rx_page) {
		nb_log("%s: cannot map the rings\n", v->name);
		return false;
	}
	local = xenevtchn_bind_interdomain(nb_evtchn, v->domid, port);
	if (local < 0) {
		nb_log("%s: cannot bind event channel %ld\n", v->name, port);
		return false;
	}
	v->port = local;
	/*
	 * From the responses already given on: nothing on a fresh ring, and where an
	 * earlier kxen-netback stopped on one it served (requests it took and never
	 * answered are taken again). The index is the frontend's to spoil like any other:
	 * io.c checks every producer against it.
	 */
	BACK_RING_ATTACH(&v->tx, (netif_tx_sring_t *)v->tx_page,
			 ((netif_tx_sring_t *)v->tx_page)->rsp_prod, NB_PAGE);
	BACK_RING_ATTACH(&v->rx, (netif_rx_sring_t *)v->rx_page,
			 ((netif_rx_sring_t *)v->rx_page)->rsp_prod, NB_PAGE);
	v->connected = true;
	nb_log("%s: connected (domain %u, channel %ld)\n", v->name, v->domid, port);
	return true;
}

void vif_disconnect(struct vif *v)
{
	if (v->port) {
		xenevtchn_unbind(nb_evtchn, v->port);
		v->port = 0;
	}
	if (v->tx_page)
		xengnttab_unmap(nb_gnttab, v->tx_page, 1);
	if (v->rx_page)
		xengnttab_unmap(nb_gnttab, v->rx_page, 1);
	v->tx_page = v->rx_page = NULL;
	if (v->connected)
		nb_log("%s: disconnected (tx %llu packets, %llu dropped; rx %llu, %llu)\n",
		       v->name, (unsigned long long)v->tx_packets,
		       (unsigned long long)v->tx_dropped, (unsigned long long)v->rx_packets,
		       (unsigned long long)v->rx_dropped);
	v->connected = false;
}

/* The frontend broke the protocol: disconnected, and told so (Closing). */
void vif_fail(struct vif *v)
{
	vif_disconnect(v);
	set_state(v, XenbusStateClosing);
}

static void vif_free(struct vif **list, struct vif *v)
{
	struct vif **p;
	char path[256];

	vif_disconnect(v);
	if (v->watching) {
		snprintf(path, sizeof(path), "%s/state", v->fe);
		xs_unwatch(nb_xs, path, v->be);
	}
	if (v->tap >= 0)
		close(v->tap);
	for (p = list; *p; p = &(*p)->next) {
		if (*p == v) {
			*p = v->next;
			break;
		}
	}
	free(v);
}

/*
 * On the way out the vifs' taps go, and nothing is written: a frontend told Closing
 * closes for good (Linux's netfront does not start again), where one left Connected
 * is taken over by the next kxen-netback (reattach_tap(), connect_rings()).
 */
void vif_free_all(struct vif **list)
{
	while (*list)
		vif_free(list, *list);
}

/* Act on what xenstore says now; may free v. */
void vif_update(struct vif **list, struct vif *v)
{
	char *fe = read_key(v->be, "frontend"), *hotplug;
	long be_state = read_num(v->be, "state", -1);
	long online = read_num(v->be, "online", 0);
	long fe_state;
	char path[256];

	if (!fe || be_state < 0) {	/* the directory is gone: so is the vif */
		free(fe);
		vif_free(list, v);
		return;
	}
	if (!v->watching) {
		snprintf(v->fe, sizeof(v->fe), "%s", fe);
		snprintf(path, sizeof(path), "%s/state", v->fe);
		v->watching = xs_watch(nb_xs, path, v->be);
	}
	free(fe);
	v->state = be_state;
	fe_state = read_num(v->fe, "state", XenbusStateUnknown);

	/* libxl takes the device away (online 0), or the frontend has closed. */
	if (!online || fe_state == XenbusStateClosed) {
		vif_disconnect(v);
		set_state(v, XenbusStateClosed);
		return;
	}
	if (fe_state == XenbusStateClosing || be_state == XenbusStateClosing) {
		vif_disconnect(v);
		set_state(v, XenbusStateClosing);
		return;
	}
	/* New, or closed and the frontend starting again (a new driver, kexec). */
	if (be_state == XenbusStateInitialising ||
	    (be_state == XenbusStateClosed && fe_state == XenbusStateInitialising)) {
		if (v->tap < 0)
			v->tap = open_tap(v);
		if (v->tap < 0 || !announce(v)) {
			set_state(v, XenbusStateClosed);
			return;
		}
		set_state(v, XenbusStateInitWait);
		return;
	}
	if (fe_state == XenbusStateConnected && !v->connected &&
	    (be_state == XenbusStateInitWait || be_state == XenbusStateConnected)) {
		/* What it queued before the channel was bound raised no event here. */
		if ((v->tap < 0 && !reattach_tap(v)) || !connect_rings(v) || !io_tx(v)) {
			vif_fail(v);
			return;
		}
	}
	hotplug = read_key(v->be, "hotplug-status");
	if (v->connected && hotplug && !strcmp(hotplug, "connected"))
		set_state(v, XenbusStateConnected);
	free(hotplug);
}

struct vif *vif_by_path(struct vif *list, const char *path)
{
	for (; list; list = list->next)
		if (!strncmp(path, list->be, strlen(list->be)) &&
		    (path[strlen(list->be)] == '/' || !path[strlen(list->be)]))
			return list;
	return NULL;
}

struct vif *vif_by_port(struct vif *list, evtchn_port_t port)
{
	for (; list; list = list->next)
		if (list->connected && list->port == port)
			return list;
	return NULL;
}

/* Every vif libxl has written, new ones added; then each brought up to date. */
void vif_scan(struct vif **list)
{
	unsigned int nd, nn, i, j;
	char **doms, **devs, dir[128];
	struct vif *v, *next;

	doms = xs_directory(nb_xs, XBT_NULL, BACKEND_DIR, &nd);
	for (i = 0; doms && i < nd; i++) {
		snprintf(dir, sizeof(dir), BACKEND_DIR "/%s", doms[i]);
		devs = xs_directory(nb_xs, XBT_NULL, dir, &nn);
		for (j = 0; devs && j < nn; j++) {
			char be[64];
			unsigned long d = strtoul(doms[i], NULL, 10), n = strtoul(devs[j], NULL, 10);

			if (d == 0 || d >= DOMID_FIRST_RESERVED || n > 255)
				continue;
			snprintf(be, sizeof(be), BACKEND_DIR "/%lu/%lu", d, n);
			if (vif_by_path(*list, be))
				continue;
			v = calloc(1, sizeof(*v));
			if (!v)
				break;
			snprintf(v->be, sizeof(v->be), "%s", be);
			snprintf(v->name, sizeof(v->name), "vif%lu.%lu", d, n);
			v->domid = d;
			v->devid = n;
			v->tap = -1;
			v->state = -1;
			v->next = *list;
			*list = v;
		}
		free(devs);
	}
	free(doms);
	for (v = *list; v; v = next) {
		next = v->next;
		vif_update(list, v);
	}
}
