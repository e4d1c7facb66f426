// SPDX-License-Identifier: GPL-2.0
/*
 * kxen-netback [-v]: serve every vif libxl asks dom0 for, until SIGTERM or SIGINT;
 * SIGUSR1 writes each vif's counters and ring indices on the log.
 * kxen-dom0 starts it beside Debian's daemons. One thread, one poll(): xenstore's
 * watches, the event channels of every vif (one /dev/xen/evtchn handle), and the taps
 * of the vifs whose guest has posted pages to receive into.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "netback.h"

struct xs_handle *nb_xs;
xenevtchn_handle *nb_evtchn;
xengnttab_handle *nb_gnttab;
bool nb_verbose;

static volatile sig_atomic_t stopping, dumping;

void nb_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("kxen-netback: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		dumping = 1;
	else
		stopping = 1;
}

/* SIGUSR1: each vif's counters and ring indices, on the log. */
static void dump(struct vif *v)
{
	for (; v; v = v->next) {
		nb_log("%s: state %d%s, tx %llu packets (%llu dropped), rx %llu (%llu dropped)\n",
		       v->name, v->state, v->connected ? " connected" : "",
		       (unsigned long long)v->tx_packets, (unsigned long long)v->tx_dropped,
		       (unsigned long long)v->rx_packets, (unsigned long long)v->rx_dropped);
		if (!v->connected)
			continue;
		nb_log("%s: tx req_prod %u req_cons %u rsp_prod %u req_event %u; "
		       "rx req_prod %u req_cons %u rsp_prod %u req_event %u rsp_event %u\n",
		       v->name, v->tx.sring->req_prod, v->tx.req_cons, v->tx.rsp_prod_pvt,
		       v->tx.sring->req_event, v->rx.sring->req_prod, v->rx.req_cons,
		       v->rx.rsp_prod_pvt, v->rx.sring->req_event, v->rx.sring->rsp_event);
	}
}

static void watch_events(struct vif **list)
{
	char **ev;
	bool rescan = false;

	while ((ev = xs_check_watch(nb_xs))) {
		struct vif *v = vif_by_path(*list, ev[XS_WATCH_TOKEN]);

		if (v && strcmp(ev[XS_WATCH_TOKEN], "backend"))
			vif_update(list, v);	/* its frontend's state */
		else
			rescan = true;
		free(ev);
	}
	if (rescan)
		vif_scan(list);
}

static void channel_events(struct vif **list)
{
	xenevtchn_port_or_error_t port;
	struct vif *v;

	while ((port = xenevtchn_pending(nb_evtchn)) >= 0) {
		xenevtchn_unmask(nb_evtchn, port);
		v = vif_by_port(*list, port);
		if (!v)
			continue;
		if (!io_tx(v) || !io_rx(v))
			vif_fail(v);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct vif *vifs = NULL, *v;
	struct pollfd pfd[2 + 256];
	struct vif *tap_of[256];
	unsigned int n, i;
	int opt;

	while ((opt = getopt(argc, argv, "v")) != -1) {
		if (opt != 'v') {
			fprintf(stderr, "usage: kxen-netback [-v]\n");
			return 2;
		}
		nb_verbose = true;
	}
	nb_xs = xs_open(0);
	nb_evtchn = xenevtchn_open(NULL, 0);
	nb_gnttab = xengnttab_open(NULL, 0);
	if (!nb_xs || !nb_evtchn || !nb_gnttab) {
		nb_log("cannot open xenstore, /dev/xen/evtchn or /dev/xen/gntdev: %s\n",
		       strerror(errno));
		return 1;
	}
	/*
	 * libxenevtchn opens the device blocking, and xenevtchn_pending() is a read():
	 * draining the pending ports must end in EAGAIN, not wait there for the next
	 * event while xenstore's watches (a new vif) and the other vifs wait too.
	 */
	if (fcntl(xenevtchn_fd(nb_evtchn), F_SETFL,
		  fcntl(xenevtchn_fd(nb_evtchn), F_GETFL) | O_NONBLOCK)) {
		nb_log("cannot make /dev/xen/evtchn non-blocking: %s\n", strerror(errno));
		return 1;
	}
	if (!xs_watch(nb_xs, "/local/domain/0/backend/vif", "backend") ||
	    !xs_watch(nb_xs, "@releaseDomain", "backend")) {
		nb_log("cannot watch xenstore: %s\n", strerror(errno));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	nb_log("serving vifs\n");

	while (!stopping) {
		if (dumping) {
			dumping = 0;
			dump(vifs);
		}
		pfd[0] = (struct pollfd){ .fd = xs_fileno(nb_xs), .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = xenevtchn_fd(nb_evtchn), .events = POLLIN };
		n = 2;
		for (v = vifs; v && n < sizeof(pfd) / sizeof(pfd[0]); v = v->next) {
			if (v->tap < 0 || !io_rx_wanted(v))
				continue;
			tap_of[n - 2] = v;
			pfd[n++] = (struct pollfd){ .fd = v->tap, .events = POLLIN };
		}
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			nb_log("poll: %s\n", strerror(errno));
			break;
		}
		if (pfd[0].revents)
			watch_events(&vifs);
		if (pfd[1].revents)
			channel_events(&vifs);
		for (i = 2; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			/* Still there? A watch or a channel above may have ended it. */
			for (v = vifs; v && v != tap_of[i - 2]; v = v->next)
				;
			if (v && v->connected && !io_rx(v))
				vif_fail(v);
		}
	}
	vif_free_all(&vifs);
	nb_log("stopped\n");
	return 0;
}
