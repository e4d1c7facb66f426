// SPDX-License-Identifier: GPL-2.0
/*
 * The FIFO event channel ABI (public/event_channel.h, EVTCHNOP_init_control,
 * expand_array, set_priority), as Xen 4.17's xen/common/event_fifo.c has it. A domain
 * starts on the 2-level ABI (event_channel.c) and moves here when a vcpu gives kxen
 * its control block; from then on a port's state is a 32-bit event word in pages the
 * guest adds one at a time (the event array): PENDING, MASKED, LINKED, BUSY and a
 * 17-bit link to the next port on the same queue. Each vcpu has 16 queues, one per
 * priority; a raised, unmasked port is linked at the tail of its queue, the queue's
 * head lives in the vcpu's control block, and the control block's READY bit for the
 * priority tells the guest to look (with the upcall, when the bit was clear).
 *
 * The guest consumes the queues concurrently: it may clear PENDING, set or clear
 * MASKED, and clear LINKED (ending a queue) while kxen links. So every change kxen
 * makes to a word is atomic, and linking after a tail is a compare-and-exchange that
 * holds only if the tail is still LINKED; BUSY, set on the tail while kxen retries,
 * tells a guest unmasking that word to ask kxen (EVTCHNOP_unmask) instead. Links are
 * written, never followed: a guest's own link values cannot lead kxen anywhere.
 *
 * The control blocks and event-array pages stay referenced until the domain goes
 * (as Xen keeps them mapped): a guest that gives one back loses only its p2m entry.
 * Everything here runs under d->evtchn_lock.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

#include <kxen/xen_errno.h>
#include "../core/domain.h"
#include "event_channel.h"

#define WORDS_PER_PAGE	(PAGE_SIZE / sizeof(event_word_t))
/* Xen's bound on the event array: enough pages for every port FIFO can name. */
#define ARRAY_PAGES	(EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)

struct fifo_vcpu {
	struct page *cb_page;
	struct evtchn_fifo_control_block *cb;	/* NULL until init_control for it */
	u32 tail[EVTCHN_FIFO_MAX_QUEUES];	/* 0: the queue is empty */
};

struct kxen_evtchn_fifo {
	unsigned int nr_words;			/* ports with an event word */
	struct page *array_page[ARRAY_PAGES];
	event_word_t *array[ARRAY_PAGES];
	struct fifo_vcpu vcpu[];		/* d->max_vcpus of them */
};

static_assert(sizeof(struct evtchn_init_control) == 24);
static_assert(sizeof(struct evtchn_fifo_control_block) == 72);

/* Atomic bit operations on a guest's 32-bit word (never wider: it may end a page). */
static bool word_test(const event_word_t *w, unsigned int bit)
{
	return READ_ONCE(*w) & BIT(bit);
}

static bool word_test_and_set(event_word_t *w, unsigned int bit)
{
	return atomic_fetch_or(BIT(bit), (atomic_t *)w) & BIT(bit);
}

static void word_set(event_word_t *w, unsigned int bit)
{
	atomic_or(BIT(bit), (atomic_t *)w);
}

static void word_clear(event_word_t *w, unsigned int bit)
{
	atomic_andnot(BIT(bit), (atomic_t *)w);
}

static event_word_t *word_of(struct kxen_evtchn_fifo *f, u32 port)
{
	if (port >= f->nr_words)
		return NULL;
	port = array_index_nospec(port, f->nr_words);
	return f->array[port / WORDS_PER_PAGE] + port % WORDS_PER_PAGE;
}

/*
 * Point the tail's link at port, if the tail is still LINKED: 1 if linked, 0 if the
 * guest ended the queue meanwhile (the tail is no longer LINKED: port starts a new
 * one). A guest changing the word under us makes the exchange fail; BUSY stops it
 * unmasking, so a few tries suffice, and after them kxen gives up as Xen does.
 */
static int try_link(event_word_t *tail, event_word_t *w, u32 port)
{
	event_word_t old = *w, new;

	if (!(old & BIT(EVTCHN_FIFO_LINKED)))
		return 0;
	new = (old & ~(BIT(EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | port;
	*w = cmpxchg(tail, old, new);
	return *w == old ? 1 : -EAGAIN;
}

static bool set_link(event_word_t *tail, u32 port)
{
	event_word_t w = READ_ONCE(*tail);
	unsigned int try;
	int ret;

	ret = try_link(tail, &w, port);
	if (ret >= 0)
		return ret;
	word_set(tail, EVTCHN_FIFO_BUSY);
	w = READ_ONCE(*tail);
	for (try = 0; try < 4; try++) {
		ret = try_link(tail, &w, port);
		if (ret >= 0) {
			if (!ret)
				word_clear(tail, EVTCHN_FIFO_BUSY);
			return ret;
		}
	}
	word_clear(tail, EVTCHN_FIFO_BUSY);
	return true;
}

bool kxen_fifo_set_pending(struct kxen_domain *d, struct kxen_vcpu *v, struct kxen_evtchn *c,
			   u32 port)
{
	struct kxen_evtchn_fifo *f = d->evtchn_fifo;
	event_word_t *word = word_of(f, port);
	struct fifo_vcpu *fv = &f->vcpu[v->id];
	u32 *old_tail, *tail;
	bool newly, linked = true;

	lockdep_assert_held(&d->evtchn_lock);
	if (!word) {
		c->fifo_pending = true;	/* raised when its array page comes */
		return false;
	}
	/* No control block: the guest may not unmask before it has one; dropped. */
	if (!fv->cb)
		return false;
	newly = !word_test_and_set(word, EVTCHN_FIFO_PENDING);
	if (!word_test(word, EVTCHN_FIFO_MASKED) &&
	    !word_test_and_set(word, EVTCHN_FIFO_LINKED)) {
		/* The port ended the queue it was last on: that queue is empty now. */
		old_tail = &f->vcpu[c->last_vcpu].tail[c->last_prio];
		if (*old_tail == port)
			*old_tail = 0;
		c->last_vcpu = v->id;
		c->last_prio = c->priority;
		tail = &fv->tail[c->priority];
		linked = *tail && set_link(word_of(f, *tail), port);
		if (!linked)
			WRITE_ONCE(fv->cb->head[c->priority], port);
		*tail = port;
	}
	if (!linked && !word_test_and_set(&fv->cb->ready, c->priority))
		kxen_evtchn_mark_pending(v);
	return newly;
}

void kxen_fifo_clear_pending(struct kxen_domain *d, u32 port)
{
	event_word_t *word = word_of(d->evtchn_fifo, port);

	lockdep_assert_held(&d->evtchn_lock);
	/* The guest unlinks, and skips a linked port that is no longer pending. */
	if (word)
		word_clear(word, EVTCHN_FIFO_PENDING);
}

void kxen_fifo_unmask(struct kxen_domain *d, struct kxen_vcpu *v, struct kxen_evtchn *c,
		      u32 port)
{
	event_word_t *word = word_of(d->evtchn_fifo, port);

	lockdep_assert_held(&d->evtchn_lock);
	if (!word)
		return;
	word_clear(word, EVTCHN_FIFO_MASKED);
	if (v && word_test(word, EVTCHN_FIFO_PENDING))
		kxen_fifo_set_pending(d, v, c, port);	/* link it now */
}

bool kxen_fifo_is_pending(struct kxen_domain *d, u32 port)
{
	event_word_t *word = word_of(d->evtchn_fifo, port);

	lockdep_assert_held(&d->evtchn_lock);
	return word && word_test(word, EVTCHN_FIFO_PENDING);
}

/* A port still on a queue is not reused until the guest unlinks it. */
bool kxen_fifo_is_busy(struct kxen_domain *d, u32 port)
{
	event_word_t *word = word_of(d->evtchn_fifo, port);

	lockdep_assert_held(&d->evtchn_lock);
	return word && word_test(word, EVTCHN_FIFO_LINKED);
}

/* The first control block: ports raised under 2-level are raised again later. */
static void switch_abi(struct kxen_domain *d)
{
	unsigned long *pending = (unsigned long *)d->shared_info->evtchn_pending;
	struct kxen_evtchn *c;
	u32 port;

	for (port = 1; (c = kxen_evtchn_port(d, port)); port++) {
		if (test_bit(port, pending))
			c->fifo_pending = true;
		c->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
}

int kxen_fifo_init_control(struct kxen_domain *d, struct evtchn_init_control *ic)
{
	struct kxen_evtchn_fifo *new = NULL;
	struct kxen_vcpu *v;
	struct fifo_vcpu *fv;
	struct page *page;
	unsigned long flags;
	int err = 0;

	ic->link_bits = EVTCHN_FIFO_LINK_BITS;
	v = kxen_vcpu_of(d, ic->vcpu);
	if (!v)
		return -ENOENT;
	if (ic->offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) ||
	    (ic->offset & 7))
		return -EINVAL;
	/* The domain's own RAM; the reference keeps it while kxen uses it. */
	page = kxen_p2m_get_page(d, ic->control_gfn, true);
	if (!page)
		return -EINVAL;
	if (!READ_ONCE(d->evtchn_fifo)) {
		new = kzalloc(struct_size(new, vcpu, d->max_vcpus), GFP_KERNEL_ACCOUNT);
		if (!new) {
			put_page(page);
			return -ENOMEM;
		}
	}

	spin_lock_irqsave(&d->evtchn_lock, flags);
	if (!d->evtchn_fifo && new) {
		d->evtchn_fifo = new;
		new = NULL;
		switch_abi(d);
	}
	fv = &d->evtchn_fifo->vcpu[v->id];
	if (fv->cb) {
		err = -EINVAL;		/* one control block per vcpu */
	} else {
		fv->cb_page = page;
		fv->cb = page_address(page) + ic->offset;
		page = NULL;
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	if (page)
		put_page(page);
	kfree(new);
	return err;
}

/* Raise what was raised while these ports had no word (Xen does the same). */
static void raise_saved(struct kxen_domain *d, u32 from, u32 to)
{
	struct kxen_evtchn *c;
	struct kxen_vcpu *v;
	u32 port;

	for (port = from; port < to && (c = kxen_evtchn_port(d, port)); port++) {
		if (!c->fifo_pending)
			continue;
		c->fifo_pending = false;
		v = kxen_vcpu_of(d, c->vcpu);
		if (v)
			kxen_fifo_set_pending(d, v, c, port);
	}
}

int kxen_fifo_expand_array(struct kxen_domain *d, u64 gfn)
{
	struct kxen_evtchn_fifo *f;
	struct page *page;
	unsigned long flags;
	unsigned int slot;
	int err = 0;

	/* Xen's order of errors: no FIFO, then no room, then a bad frame. */
	spin_lock_irqsave(&d->evtchn_lock, flags);
	f = d->evtchn_fifo;
	if (!f)
		err = -EOPNOTSUPP;
	else if (f->nr_words / WORDS_PER_PAGE >= ARRAY_PAGES)
		err = -ENOSPC;
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	if (err)
		return err;
	page = kxen_p2m_get_page(d, gfn, true);
	if (!page)
		return -EINVAL;

	spin_lock_irqsave(&d->evtchn_lock, flags);
	slot = f->nr_words / WORDS_PER_PAGE;	/* another vcpu may have added one */
	if (slot >= ARRAY_PAGES) {
		err = -ENOSPC;
	} else {
		f->array_page[slot] = page;
		f->array[slot] = page_address(page);
		f->nr_words += WORDS_PER_PAGE;
		page = NULL;
		raise_saved(d, slot * WORDS_PER_PAGE, f->nr_words);
	}
	spin_unlock_irqrestore(&d->evtchn_lock, flags);
	if (page)
		put_page(page);
	return err;
}

int kxen_fifo_set_priority(struct kxen_domain *d, struct kxen_evtchn *c, u32 priority)
{
	lockdep_assert_held(&d->evtchn_lock);
	if (!d->evtchn_fifo)
		return -XEN_ENOSYS;
	if (priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -EINVAL;
	/* For what is raised from now on; a port already queued stays where it is. */
	c->priority = priority;
	return 0;
}

void kxen_fifo_free(struct kxen_domain *d)
{
	struct kxen_evtchn_fifo *f = d->evtchn_fifo;
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < f->nr_words / WORDS_PER_PAGE; i++)
		put_page(f->array_page[i]);
	for (i = 0; i < d->max_vcpus; i++)
		if (f->vcpu[i].cb_page)
			put_page(f->vcpu[i].cb_page);
	kfree(f);
	d->evtchn_fifo = NULL;
}
