// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_event_channel_op (public/event_channel.h), the 2-level ABI: a port is a
 * bit in shared_info's evtchn_pending and evtchn_mask, a bit per word of them in the
 * notified vcpu's evtchn_pending_sel, and evtchn_upcall_pending, on which kxen
 * injects the domain's callback vector. Ports connect a domain to its own vcpus
 * (VIRQs, IPIs) or to another domain (interdomain, after one side left an unbound
 * port for the other to bind). Once the guest asks for the FIFO ABI
 * (EVTCHNOP_init_control), raising, clearing and unmasking a port go to event_fifo.c
 * instead of the shared_info bits; the ports themselves stay here.
 *
 * Error codes follow Xen 4.17's xen/common/event_channel.c: a port beyond those the
 * domain has (they come in buckets of 64) is -EINVAL; so is most misuse of a valid one.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "event_channel.h"
#include "hypercall.h"

#define BUCKET	64

enum { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI };

/* Ports [0, valid) exist; valid grows a bucket at a time, as Xen's does. */
struct evtchn_table {
	unsigned int valid;
	struct kxen_evtchn port[KXEN_EVTCHN_PORTS];
};

static struct evtchn_table *table(struct kxen_domain *d)
{
	return (struct evtchn_table *)d->evtchn;
}

static struct kxen_evtchn *port_of(struct kxen_domain *d, u32 port)
{
	struct evtchn_table *t = table(d);

	if (port >= READ_ONCE(t->valid))
		return NULL;
	return &t->port[array_index_nospec(port, KXEN_EVTCHN_PORTS)];
}

struct kxen_evtchn *kxen_evtchn_port(struct kxen_domain *d, u32 port)
{
	lockdep_assert_held(&d->evtchn_lock);
	return port_of(d, port);
}

static bool is_pending(struct kxen_domain *d, u32 port)
{
	if (d->evtchn_fifo)
		return kxen_fifo_is_pending(d, port);
	return test_bit(port, (unsigned long *)d->shared_info->evtchn_pending);
}

/*
 * For SCHEDOP_poll, as Xen 4.17's evtchn_port_poll(): -EINVAL for a port not in use
 * (never allocated, free, or port 0), else whether it is pending.
 */
int kxen_evtchn_port_poll(struct kxen_domain *d, u32 port)
{
	struct kxen_evtchn *c = port_of(d, port);
	unsigned long flags;
	int ret;

	if (!c)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	ret = c->state <= ECS_RESERVED ? -EINVAL : is_pending(d, port);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return ret;
}

static bool virq_is_global(unsigned int virq)
{
	return !(virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
		 virq == VIRQ_XENPMU || (virq >= VIRQ_ARCH_0 && virq <= VIRQ_ARCH_7));
}

int kxen_evtchn_init(struct kxen_domain *d)
{
	struct evtchn_table *t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);

	if (!t)
		return -ENOMEM;
	t->valid = BUCKET;
	t->port[0].state = ECS_RESERVED;
	spin_lock_init(&d->evtchn_lock);
	d->evtchn = (struct kxen_evtchn *)t;
	return 0;
}

/*
 * The lowest free port, under d->evtchn_lock, made ready for a new binding: notified
 * vcpu 0, the default FIFO priority. Under FIFO a port still on a queue is skipped.
 */
static int get_free_port(struct kxen_domain *d)
{
	struct evtchn_table *t = table(d);
	unsigned int p;

	lockdep_assert_held(&d->evtchn_lock);
	if (READ_ONCE(d->state) == KXEN_DOM_DYING)
		return -EINVAL;
	for (p = 0; p < KXEN_EVTCHN_PORTS; p++) {
		if (p >= t->valid)
			WRITE_ONCE(t->valid, t->valid + BUCKET);
		if (t->port[p].state == ECS_FREE && !(d->evtchn_fifo && kxen_fifo_is_busy(d, p))) {
			t->port[p].priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
			t->port[p].fifo_pending = false;
			return p;
		}
	}
	return -ENOSPC;
}

/* A free port (get_free_port()) bound as state, notifying vcpu. */
static struct kxen_evtchn *bind_port(struct kxen_domain *d, u32 port, u8 state, u8 vcpu)
{
	struct kxen_evtchn *c = &table(d)->port[port];

	c->state = state;
	c->vcpu = vcpu;
	return c;
}

void kxen_evtchn_mark_pending(struct kxen_vcpu *v)
{
	struct vcpu_info *vi = READ_ONCE(v->vcpu_info);

	if (!xchg(&vi->evtchn_upcall_pending, 1))
		kxen_vcpu_kick(v);
}

/* A vcpu in SCHEDOP_poll waits for any of its ports: let each look again. */
static void wake_pollers(struct kxen_domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && READ_ONCE(d->vcpus[i]->polling))
			wake_up(&d->vcpus[i]->wq);
}

static void (*dom0_notify)(u32 port);

void kxen_evtchn_set_dom0_notify(void (*notify)(u32 port))
{
	WRITE_ONCE(dom0_notify, notify);
}

/* Raise a port (Xen's evtchn_2l_set_pending, or FIFO's), with d->evtchn_lock held. */
static void set_pending(struct kxen_domain *d, struct kxen_evtchn *c, u32 port)
{
	struct shared_info *s = d->shared_info;
	struct kxen_vcpu *v = kxen_vcpu_of(d, c->vcpu);

	lockdep_assert_held(&d->evtchn_lock);
	if (d->evtchn_fifo) {
		if (v && kxen_fifo_set_pending(d, v, c, port) && atomic_read(&d->pollers))
			wake_pollers(d);
		return;
	}
	if (test_and_set_bit(port, (unsigned long *)s->evtchn_pending))
		return;
	if (kxen_is_dom0(d)) {
		void (*notify)(u32 port) = READ_ONCE(dom0_notify);

		if (notify)
			notify(port);	/* to whichever process bound it */
		return;
	}
	if (atomic_read(&d->pollers))
		wake_pollers(d);
	if (!v || test_bit(port, (unsigned long *)s->evtchn_mask))
		return;
	if (!test_and_set_bit(port / BITS_PER_LONG,
			      (unsigned long *)&READ_ONCE(v->vcpu_info)->evtchn_pending_sel))
		kxen_evtchn_mark_pending(v);
}

/* Raise the port in *slot (a VIRQ's binding, 0 for none), read under d's lock. */
static void send_bound(struct kxen_domain *d, const u32 *slot)
{
	unsigned long flags;
	u32 port;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	port = *slot;
	if (port)
		set_pending(d, &table(d)->port[port], port);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
}

void kxen_evtchn_send_virq(struct kxen_vcpu *v, unsigned int virq)
{
	send_bound(v->d, &v->virq_port[virq]);
}

int kxen_evtchn_alloc_unbound(struct kxen_domain *d, u16 remote_dom)
{
	unsigned long flags;
	int port;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	port = get_free_port(d);
	if (port > 0)
		bind_port(d, port, ECS_UNBOUND, 0)->remote_dom = remote_dom;
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return port;
}

/* Lock two domains' tables, lower domid first. */
static void lock_two(struct kxen_domain *a, struct kxen_domain *b, unsigned long *flags)
{
	if (a == b) {
		spin_lock_irqsave(&a->evtchn_lock, *flags);
	} else if (a->id < b->id) {
		spin_lock_irqsave(&a->evtchn_lock, *flags);
		spin_lock_nested(&b->evtchn_lock, SINGLE_DEPTH_NESTING);
	} else {
		spin_lock_irqsave(&b->evtchn_lock, *flags);
		spin_lock_nested(&a->evtchn_lock, SINGLE_DEPTH_NESTING);
	}
}

static void unlock_two(struct kxen_domain *a, struct kxen_domain *b, unsigned long *flags)
{
	struct kxen_domain *first = a->id < b->id ? a : b;

	if (a != b)
		spin_unlock(&(first == a ? b : a)->evtchn_lock);
	spin_unlock_irqrestore(&first->evtchn_lock, *flags);
}

/*
 * The far end of interdomain port c of d, with both domains' tables locked (d's lock,
 * held on entry, is dropped and taken again in order): NULL, unlocked, when the peer
 * is gone or the port stopped being interdomain meanwhile. While d's lock was dropped,
 * c may have been closed and bound again, to another domain: only what c says once
 * both locks are held counts, and it must name the domain locked.
 */
static struct kxen_evtchn *lock_peer(struct kxen_domain *d, struct kxen_evtchn *c,
				     struct kxen_domain **rd, unsigned long *flags)
{
	struct kxen_evtchn *rc = NULL;

	lockdep_assert_held(&d->evtchn_lock);
	spin_unlock_irqrestore(&d->evtchn_lock, *flags);
	*rd = kxen_domain_get(c->remote_dom);
	if (!*rd)
		return NULL;
	lock_two(d, *rd, flags);
	if (c->state == ECS_INTERDOMAIN && c->remote_dom == (*rd)->id)
		rc = port_of(*rd, c->remote_port);
	if (rc)
		return rc;
	unlock_two(d, *rd, flags);
	kxen_domain_put(*rd);
	return NULL;
}

static void unlock_peer(struct kxen_domain *d, struct kxen_domain *rd, unsigned long *flags)
{
	unlock_two(d, rd, flags);
	kxen_domain_put(rd);
}

/*
 * A port closed: not pending any more (a later binding must not see an old event, as
 * Xen's evtchn_free()), bound to nothing, notifying vcpu 0. Under FIFO it may still
 * be on a queue: where it was last linked stays.
 */
static void free_port(struct kxen_domain *d, struct kxen_evtchn *c)
{
	u32 port = c - table(d)->port;

	if (d->evtchn_fifo)
		kxen_fifo_clear_pending(d, port);
	else
		clear_bit(port, (unsigned long *)d->shared_info->evtchn_pending);
	*c = (struct kxen_evtchn){ .last_prio = c->last_prio, .last_vcpu = c->last_vcpu };
}

/* Close one port; an interdomain peer goes back to unbound, waiting for d. */
static int close_port(struct kxen_domain *d, u32 port)
{
	struct kxen_evtchn *c = port_of(d, port), *rc;
	struct kxen_domain *rd;
	unsigned long flags;
	int err = 0;

	if (!c)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	switch (c->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		err = -EINVAL;
		break;
	case ECS_VIRQ: {
		struct kxen_vcpu *v = kxen_vcpu_of(d, virq_is_global(c->virq) ? 0 : c->vcpu);

		if (kxen_is_dom0(d))
			d->dom0_virq_port[c->virq] = 0;
		else if (v)
			v->virq_port[c->virq] = 0;
		free_port(d, c);
		break;
	}
	case ECS_INTERDOMAIN:
		rc = lock_peer(d, c, &rd, &flags);
		if (!rc)
			return -EINVAL;	/* closed meanwhile */
		if (rc->state == ECS_INTERDOMAIN) {
			rc->state = ECS_UNBOUND;
			rc->remote_dom = d->id;
		}
		free_port(d, c);
		unlock_peer(d, rd, &flags);
		return 0;
	default:
		free_port(d, c);
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return err;
}

/*
 * The domain is dying (d->state says so): its interdomain ports are closed, their
 * peers left unbound. The lock taken and dropped first is a barrier: a bind to one
 * of d's ports that got the lock before is complete, so the scan sees it, and one
 * after sees d dying and fails. Without it, a dom0 port could stay bound to a port of
 * d's number in the next domain given d's id.
 */
void kxen_evtchn_destroy(struct kxen_domain *d)
{
	unsigned long flags;
	u32 p;

	if (!d->evtchn)
		return;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	for (p = 1; p < READ_ONCE(table(d)->valid); p++)
		if (READ_ONCE(table(d)->port[p].state) == ECS_INTERDOMAIN)
			close_port(d, p);
}

void kxen_evtchn_free(struct kxen_domain *d)
{
	kxen_fifo_free(d);
	kvfree(d->evtchn);
	d->evtchn = NULL;
}

static int send(struct kxen_domain *d, u32 port)
{
	struct kxen_evtchn *c = port_of(d, port), *rc;
	struct kxen_domain *rd;
	unsigned long flags;
	int err = 0;

	if (!c)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	switch (c->state) {
	case ECS_IPI:
		set_pending(d, c, port);
		break;
	case ECS_UNBOUND:
		break;		/* nobody listens: dropped, as on Xen */
	case ECS_INTERDOMAIN:
		rc = lock_peer(d, c, &rd, &flags);
		if (!rc)
			return 0;
		if (rc->state == ECS_INTERDOMAIN)
			set_pending(rd, rc, c->remote_port);
		unlock_peer(d, rd, &flags);
		return 0;
	default:
		err = -EINVAL;
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return err;
}

static int unmask(struct kxen_domain *d, u32 port)
{
	struct shared_info *s = d->shared_info;
	struct kxen_evtchn *c = port_of(d, port);
	struct kxen_vcpu *v;
	unsigned long flags;

	if (!c)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	v = kxen_vcpu_of(d, c->vcpu);
	if (d->evtchn_fifo)
		kxen_fifo_unmask(d, v, c, port);
	else if (v && test_and_clear_bit(port, (unsigned long *)s->evtchn_mask) &&
	    test_bit(port, (unsigned long *)s->evtchn_pending) &&
	    !test_and_set_bit(port / BITS_PER_LONG,
			      (unsigned long *)&READ_ONCE(v->vcpu_info)->evtchn_pending_sel))
		kxen_evtchn_mark_pending(v);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return 0;
}

static int bind_virq(struct kxen_domain *d, struct evtchn_bind_virq *b)
{
	struct kxen_vcpu *v;
	unsigned long flags;
	int port;

	if (b->virq >= ARRAY_SIZE(v->virq_port))
		return -EINVAL;
	b->virq = array_index_nospec(b->virq, ARRAY_SIZE(v->virq_port));
	if (virq_is_global(b->virq) && b->vcpu != 0)
		return -EINVAL;
	v = kxen_vcpu_of(d, b->vcpu);
	if (!v)
		return -ENOENT;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	if (v->virq_port[b->virq]) {
		port = -EEXIST;
	} else {
		port = get_free_port(d);
		if (port > 0) {
			bind_port(d, port, ECS_VIRQ, b->vcpu)->virq = b->virq;
			v->virq_port[b->virq] = port;
			b->port = port;
		}
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return port < 0 ? port : 0;
}

static int bind_ipi(struct kxen_domain *d, struct evtchn_bind_ipi *b)
{
	unsigned long flags;
	int port;

	if (!kxen_vcpu_of(d, b->vcpu))
		return -ENOENT;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	port = get_free_port(d);
	if (port > 0) {
		bind_port(d, port, ECS_IPI, b->vcpu);
		b->port = port;
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return port < 0 ? port : 0;
}

static int bind_vcpu(struct kxen_domain *d, struct evtchn_bind_vcpu *b)
{
	struct kxen_evtchn *c;
	unsigned long flags;
	int err = 0;

	if (!kxen_vcpu_of(d, b->vcpu))
		return -ENOENT;
	c = port_of(d, b->port);
	if (!c)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	switch (c->state) {
	case ECS_VIRQ:
		if (virq_is_global(c->virq))
			c->vcpu = b->vcpu;
		else
			err = -EINVAL;
		break;
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
		c->vcpu = b->vcpu;
		break;
	default:
		err = -EINVAL;
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return err;
}

static int status(struct kxen_vcpu *v, struct evtchn_status *st)
{
	static const u32 stat[] = {
		[ECS_FREE] = EVTCHNSTAT_closed, [ECS_RESERVED] = EVTCHNSTAT_closed,
		[ECS_UNBOUND] = EVTCHNSTAT_unbound, [ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
		[ECS_VIRQ] = EVTCHNSTAT_virq, [ECS_IPI] = EVTCHNSTAT_ipi,
	};
	struct kxen_evtchn *c;
	struct kxen_domain *d;
	unsigned long flags;
	int err = 0;

	d = kxen_domain_target(v, st->dom, &err);
	if (!d)
		return err;
	c = port_of(d, st->port);
	if (c) {
		spin_lock_irqsave(&d->evtchn_lock, flags);
		st->status = stat[c->state];
		st->vcpu = c->vcpu;
		memset(&st->u, 0, sizeof(st->u));
		if (c->state == ECS_UNBOUND) {
			st->u.unbound.dom = c->remote_dom;
		} else if (c->state == ECS_INTERDOMAIN) {
			st->u.interdomain.dom = c->remote_dom;
			st->u.interdomain.port = c->remote_port;
		} else if (c->state == ECS_VIRQ) {
			st->u.virq = c->virq;
		}
		spin_unlock_irqrestore(&d->evtchn_lock, flags);
	} else {
		err = -EINVAL;
	}
	kxen_domain_put(d);
	return err;
}

static int alloc_unbound(struct kxen_vcpu *v, struct evtchn_alloc_unbound *a)
{
	struct kxen_domain *d;
	int err = 0, port;

	d = kxen_domain_target(v, a->dom, &err);
	if (!d)
		return err;
	port = kxen_evtchn_alloc_unbound(d, a->remote_dom == DOMID_SELF ? v->d->id :
					 a->remote_dom);
	if (port > 0)
		a->port = port;
	kxen_domain_put(d);
	return port < 0 ? port : 0;
}

static int bind_interdomain(struct kxen_domain *ld, struct evtchn_bind_interdomain *b)
{
	struct kxen_domain *rd;
	struct kxen_evtchn *rc;
	unsigned long flags;
	int port, err = 0;

	if (b->remote_dom == DOMID_SELF) {
		rd = ld;
		kref_get(&rd->ref);
	} else {
		rd = kxen_domain_get(b->remote_dom);
		if (!rd)
			return -ESRCH;
	}
	lock_two(ld, rd, &flags);
	port = get_free_port(ld);
	rc = port_of(rd, b->remote_port);
	if (port < 0) {
		err = port;
	} else if (READ_ONCE(rd->state) == KXEN_DOM_DYING) {
		err = -EINVAL;	/* its ports are being closed (kxen_evtchn_destroy()) */
	} else if (!rc || rc->state != ECS_UNBOUND || rc->remote_dom != ld->id ||
		   (rd == ld && b->remote_port == port)) {
		err = -EINVAL;
	} else {
		struct kxen_evtchn *lc = bind_port(ld, port, ECS_INTERDOMAIN, 0);

		lc->remote_dom = rd->id;
		lc->remote_port = b->remote_port;
		rc->state = ECS_INTERDOMAIN;
		rc->remote_dom = ld->id;
		rc->remote_port = port;
		/* Notifications sent to the unbound port were lost: raise the local one. */
		set_pending(ld, lc, port);
		b->local_port = port;
	}
	unlock_two(ld, rd, &flags);
	kxen_domain_put(rd);
	return err;
}

static int set_priority(struct kxen_domain *d, struct evtchn_set_priority *p)
{
	struct kxen_evtchn *c = port_of(d, p->port);
	unsigned long flags;
	int err;

	if (!c)
		return -EINVAL;
	spin_lock_irqsave(&d->evtchn_lock, flags);
	err = kxen_fifo_set_priority(d, c, p->priority);
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return err;
}

/* ---- For dom0's processes (dom0/evtchn.c): the same operations on dom0's table. */

int kxen_evtchn_bind_interdomain(struct kxen_domain *d, u16 remote_dom, u32 remote_port)
{
	struct evtchn_bind_interdomain b = { .remote_dom = remote_dom,
					     .remote_port = remote_port };
	int err = bind_interdomain(d, &b);

	return err ? err : b.local_port;
}

/* A global VIRQ of dom0's (it has no vcpus of kxen's: the table is the domain's). */
int kxen_evtchn_bind_dom0_virq(struct kxen_domain *d, u32 virq)
{
	unsigned long flags;
	int port;

	if (virq >= ARRAY_SIZE(d->dom0_virq_port) || !virq_is_global(virq))
		return -EINVAL;
	virq = array_index_nospec(virq, ARRAY_SIZE(d->dom0_virq_port));
	spin_lock_irqsave(&d->evtchn_lock, flags);
	if (d->dom0_virq_port[virq]) {
		port = -EEXIST;
	} else {
		port = get_free_port(d);
		if (port > 0) {
			bind_port(d, port, ECS_VIRQ, 0)->virq = virq;
			d->dom0_virq_port[virq] = port;
		}
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	return port;
}

/* Raise a global VIRQ in dom0, if a process bound it (VIRQ_DOM_EXC, ...). */
void kxen_evtchn_send_dom0_virq(unsigned int virq)
{
	struct kxen_domain *d0 = kxen_domain_get(0);

	send_bound(d0, &d0->dom0_virq_port[virq]);
	kxen_domain_put(d0);
}

int kxen_evtchn_close(struct kxen_domain *d, u32 port)
{
	return close_port(d, port);
}

int kxen_evtchn_send(struct kxen_domain *d, u32 port)
{
	return send(d, port);
}

long kxen_do_event_channel_op(struct kxen_vcpu *v, const unsigned long *a)
{
	unsigned int cmd = a[0];	/* an int on Xen: the register's upper half is not read */
	unsigned long arg = a[1];
	union {
		struct evtchn_bind_virq virq;
		struct evtchn_bind_ipi ipi;
		struct evtchn_bind_vcpu vcpu;
		struct evtchn_bind_interdomain interdomain;
		struct evtchn_alloc_unbound unbound;
		struct evtchn_status status;
		struct evtchn_close close;
		struct evtchn_send send;
		struct evtchn_unmask unmask;
		struct evtchn_init_control init_control;
		struct evtchn_expand_array expand_array;
		struct evtchn_set_priority set_priority;
	} u;
	static const u8 size[] = {
		[EVTCHNOP_bind_interdomain] = sizeof(u.interdomain),
		[EVTCHNOP_bind_virq] = sizeof(u.virq),
		[EVTCHNOP_close] = sizeof(u.close),
		[EVTCHNOP_send] = sizeof(u.send),
		[EVTCHNOP_status] = sizeof(u.status),
		[EVTCHNOP_alloc_unbound] = sizeof(u.unbound),
		[EVTCHNOP_bind_ipi] = sizeof(u.ipi),
		[EVTCHNOP_bind_vcpu] = sizeof(u.vcpu),
		[EVTCHNOP_unmask] = sizeof(u.unmask),
		[EVTCHNOP_init_control] = sizeof(u.init_control),
		[EVTCHNOP_expand_array] = sizeof(u.expand_array),
		[EVTCHNOP_set_priority] = sizeof(u.set_priority),
	};
	struct kxen_domain *d = v->d;
	int err;

	if (cmd >= ARRAY_SIZE(size) || !size[cmd])
		return -XEN_ENOSYS;	/* bind_pirq and reset among them */
	/* Dom0's processes bind their own ports through /dev/xen/evtchn. */
	if (kxen_is_dom0(d) && cmd != EVTCHNOP_status && cmd != EVTCHNOP_alloc_unbound)
		return -XEN_ENOSYS;
	if (kxen_copy_from_guest(v, &u, arg, size[cmd]))
		return -EFAULT;

	switch (cmd) {
	case EVTCHNOP_bind_virq:
		err = bind_virq(d, &u.virq);
		break;
	case EVTCHNOP_bind_ipi:
		err = bind_ipi(d, &u.ipi);
		break;
	case EVTCHNOP_bind_interdomain:
		err = bind_interdomain(d, &u.interdomain);
		break;
	case EVTCHNOP_alloc_unbound:
		err = alloc_unbound(v, &u.unbound);
		break;
	case EVTCHNOP_status:
		err = status(v, &u.status);
		break;
	case EVTCHNOP_bind_vcpu:
		return bind_vcpu(d, &u.vcpu);
	case EVTCHNOP_close:
		return close_port(d, u.close.port);
	case EVTCHNOP_send:
		return send(d, u.send.port);
	case EVTCHNOP_unmask:
		return unmask(d, u.unmask.port);
	case EVTCHNOP_init_control:
		err = kxen_fifo_init_control(d, &u.init_control);
		break;
	case EVTCHNOP_expand_array:
		return kxen_fifo_expand_array(d, u.expand_array.array_gfn);
	case EVTCHNOP_set_priority:
		return set_priority(d, &u.set_priority);
	default:
		return -XEN_ENOSYS;
	}
	if (!err && kxen_copy_to_guest(v, arg, &u, size[cmd]))
		err = -EFAULT;
	return err;
}
