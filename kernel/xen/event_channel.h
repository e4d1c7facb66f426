/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels: ports and the 2-level ABI (event_channel.c), the FIFO ABI
 * (event_fifo.c).
 */
#ifndef KXEN_XEN_EVENT_CHANNEL_H
#define KXEN_XEN_EVENT_CHANNEL_H

#include <linux/types.h>

struct kxen_domain;
struct kxen_vcpu;
struct evtchn_init_control;

/* A port of a domain. */
struct kxen_evtchn {
	u8 state;
	u8 vcpu;		/* the vcpu notified */
	u16 remote_dom;		/* unbound: who may bind; interdomain: the peer */
	u32 remote_port;	/* interdomain */
	u32 virq;
	/*
	 * FIFO: the queue it goes on; the queue it was last linked on (kept when the port
	 * is closed, as the queue may still end with it); raised before it had a word.
	 */
	u8 priority, last_prio, last_vcpu;
	bool fifo_pending;
};

/* libxl's default event-channel limit for a domU: ports 0..1023. */
#define KXEN_EVTCHN_PORTS	1024

int kxen_evtchn_init(struct kxen_domain *d);
/* Close d's interdomain channels (its peers' ports become unbound). */
void kxen_evtchn_destroy(struct kxen_domain *d);
/* When the last reference to d goes. */
void kxen_evtchn_free(struct kxen_domain *d);
/* A port of d that remote_dom may bind to (the toolstack's console and store ports). */
int kxen_evtchn_alloc_unbound(struct kxen_domain *d, u16 remote_dom);
/* Raise the port bound to this vcpu's virq, if any; any context. */
void kxen_evtchn_send_virq(struct kxen_vcpu *v, unsigned int virq);
/* Dom0's processes' side (dom0/evtchn.c): a port number, or a negative Xen errno. */
int kxen_evtchn_bind_interdomain(struct kxen_domain *d, u16 remote_dom, u32 remote_port);
int kxen_evtchn_bind_dom0_virq(struct kxen_domain *d, u32 virq);
int kxen_evtchn_close(struct kxen_domain *d, u32 port);
int kxen_evtchn_send(struct kxen_domain *d, u32 port);
void kxen_evtchn_send_dom0_virq(unsigned int virq);
/*
 * Dom0 runs no guest: a port of its that becomes pending goes to the dom0 process that
 * bound it. Dom0's event device (dom0/evtchn.c) registers how, called with dom0's
 * table locked; NULL again before it goes.
 */
void kxen_evtchn_set_dom0_notify(void (*notify)(u32 port));
/* Tell the guest it has events waiting, and get it to look (vcpu_mark_events_pending). */
void kxen_evtchn_mark_pending(struct kxen_vcpu *v);
int kxen_evtchn_port_poll(struct kxen_domain *d, u32 port);
/* Port p of d if it exists, under d->evtchn_lock (for event_fifo.c). */
struct kxen_evtchn *kxen_evtchn_port(struct kxen_domain *d, u32 port);

/* The FIFO ABI (event_fifo.c), under d->evtchn_lock but for the first two. */
int kxen_fifo_init_control(struct kxen_domain *d, struct evtchn_init_control *ic);
int kxen_fifo_expand_array(struct kxen_domain *d, u64 gfn);
/* True when the port became pending (it was not). */
bool kxen_fifo_set_pending(struct kxen_domain *d, struct kxen_vcpu *v, struct kxen_evtchn *c,
			   u32 port);
void kxen_fifo_clear_pending(struct kxen_domain *d, u32 port);
void kxen_fifo_unmask(struct kxen_domain *d, struct kxen_vcpu *v, struct kxen_evtchn *c,
		      u32 port);
bool kxen_fifo_is_pending(struct kxen_domain *d, u32 port);
bool kxen_fifo_is_busy(struct kxen_domain *d, u32 port);
int kxen_fifo_set_priority(struct kxen_domain *d, struct kxen_evtchn *c, u32 priority);
void kxen_fifo_free(struct kxen_domain *d);

#endif
