/* SPDX-License-Identifier: GPL-2.0 */
/* Event channels, 2-level ABI (event_channel.c). */
#ifndef KXEN_XEN_EVENT_CHANNEL_H
#define KXEN_XEN_EVENT_CHANNEL_H

#include <linux/types.h>

struct kxen_domain;
struct kxen_vcpu;

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
/* A port of dom0 became pending, with dom0's table locked (dom0/evtchn.c). */
void kxen_dom0_evtchn_event(u32 port);
/* Tell the guest it has events waiting, and get it to look (vcpu_mark_events_pending). */
void kxen_evtchn_mark_pending(struct kxen_vcpu *v);
int kxen_evtchn_port_poll(struct kxen_domain *d, u32 port);

#endif
