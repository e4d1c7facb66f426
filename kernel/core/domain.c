// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: the table of domids, and each domain's life. Created paused with its memory
 * and vcpus; started; stopped when its guest shuts down or kxen crashes it; destroyed
 * by dom0 (or by unloading kxen), which stops the vcpu threads and gives every page
 * back. A domain holds SVM/VMX switched on (kxen_virt_get) for as long as it exists.
 */
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <xen/interface/sched.h>

#include "domain.h"
#include "../arch/x86/arch.h"
#include "../xen/event_channel.h"
#include "../xen/grant_table.h"

/* Domids are handed out in turn, from 1, as Xen does; dom0 is the host itself. */
static DEFINE_XARRAY_ALLOC1(domains);
static u32 next_domid = 1;
static atomic64_t serials = ATOMIC64_INIT(0);
static DEFINE_MUTEX(domains_lock);	/* creation and destruction */

/*
 * Dom0 is the running Linux itself: kxen runs none of its vcpus and holds none of its
 * memory, but it is domain 0 to every hypercall (getdomaininfo lists it, an event
 * channel can join it to a domU), so it has a domain record and an event-channel
 * table of its own. It is not in the table of domids: nothing can destroy it.
 */
static struct kxen_domain *dom0;

/* The last reference: whoever held one may have been sending it events until now. */
static void domain_free(struct kref *ref)
{
	struct kxen_domain *d = container_of(ref, struct kxen_domain, ref);
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			kxen_vcpu_free(d->vcpus[i]);
	kxen_evtchn_free(d);
	free_page((unsigned long)d->shared_info);
	kfree(d->e820);
	/* A lookup may still be reading d->ref under RCU (kxen_domain_get()). */
	kfree_rcu(d, rcu);
}

struct kxen_domain *kxen_domain_get(u16 id)
{
	struct kxen_domain *d;

	if (id == 0) {
		kref_get(&dom0->ref);
		return dom0;
	}
	rcu_read_lock();
	d = xa_load(&domains, id);
	if (d && !kref_get_unless_zero(&d->ref))
		d = NULL;
	rcu_read_unlock();
	return d;
}

void kxen_domain_put(struct kxen_domain *d)
{
	kref_put(&d->ref, domain_free);
}

/* The domain with the lowest id >= first (Xen 4.17's getdomaininfo), or NULL. */
struct kxen_domain *kxen_domain_next(u16 first)
{
	unsigned long id = first;
	struct kxen_domain *d;

	if (first == 0)
		return kxen_domain_get(0);
	rcu_read_lock();
	while ((d = xa_find(&domains, &id, KXEN_DOMID_MAX, XA_PRESENT))) {
		if (kref_get_unless_zero(&d->ref))
			break;
		id++;		/* on its way out: as if gone already */
	}
	rcu_read_unlock();
	return d;
}

int kxen_dom0_init(void)
{
	struct kxen_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);
	int err;

	if (!d)
		return -ENOMEM;
	kref_init(&d->ref);
	mutex_init(&d->lock);
	spin_lock_init(&d->con_lock);
	mutex_init(&d->gnttab_lock);	/* gntdev may name domain 0: it finds no frames */
	d->state = KXEN_DOM_RUNNING;
	d->shutdown_code = KXEN_SHUTDOWN_NONE;
	d->shared_info_gfn = ~0ULL;
	/* Its event channels' pending and mask bits live here, as a guest's do. */
	d->shared_info = (void *)get_zeroed_page(GFP_KERNEL);
	if (!d->shared_info) {
		kfree(d);
		return -ENOMEM;
	}
	kxen_p2m_init_closed(d);
	err = kxen_evtchn_init(d);
	if (err) {
		kxen_domain_put(d);
		return err;
	}
	dom0 = d;
	return 0;
}

void kxen_dom0_exit(void)
{
	kxen_domain_put(dom0);
	dom0 = NULL;
}

struct kxen_domain *kxen_domain_target(struct kxen_vcpu *v, u16 domid, int *err)
{
	struct kxen_domain *d;

	if (domid == DOMID_SELF || domid == v->d->id) {
		kref_get(&v->d->ref);
		return v->d;
	}
	d = kxen_domain_get(domid);
	if (!d) {
		*err = -ESRCH;
	} else if (!kxen_is_dom0(v->d)) {
		kxen_domain_put(d);
		d = NULL;
		*err = -EPERM;
	}
	return d;
}

struct kxen_domain *kxen_domain_create(u16 want, unsigned int max_vcpus,
				       unsigned long max_pages)
{
	struct kxen_domain *d;
	u32 id;
	int err;

	if (!max_vcpus || max_vcpus > KXEN_MAX_VCPUS)
		return ERR_PTR(-EINVAL);
	if (!kxen_backend->vcpu_init)
		return ERR_PTR(-EOPNOTSUPP);	/* a backend that cannot run guests yet */
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return ERR_PTR(-ENOMEM);
	err = -ENOMEM;
	kref_init(&d->ref);
	mutex_init(&d->lock);
	spin_lock_init(&d->con_lock);
	mutex_init(&d->gnttab_lock);	/* before anything can fail: destroy takes it */
	spin_lock_init(&d->ctx_lock);
	xa_init(&d->gnttab_maps);
	d->state = KXEN_DOM_PAUSED;
	d->shutdown_code = KXEN_SHUTDOWN_NONE;
	d->max_vcpus = max_vcpus;
	kxen_cpuid_policy_init(&d->cpuid);
	d->sched_weight = 256;		/* credit2's default */

	d->shared_info_gfn = ~0ULL;
	d->shared_info = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!d->shared_info)
		goto out_free;
	kxen_time_update_wallclock(d);
	err = kxen_evtchn_init(d);
	if (err)
		goto out_free;
	err = kxen_gnttab_init(d);
	if (err)
		goto out_free;
	err = kxen_virt_get();
	if (err)
		goto out_free;
	err = kxen_p2m_init(d, max_pages);
	if (err)
		goto out_virt;
	/*
	 * The id is reserved first (a lookup finds nothing there), d->id set, and only
	 * then is d published: a lookup never sees a domain whose id is not yet its own.
	 * From then on, another dom0 process may destroy it; the caller's own reference
	 * keeps it in memory until the caller puts it.
	 */
	mutex_lock(&domains_lock);
	if (want) {
		id = want;
		err = xa_insert(&domains, id, NULL, GFP_KERNEL);
		if (err == -EBUSY)
			err = -EEXIST;
	} else {
		err = xa_alloc_cyclic(&domains, &id, NULL, XA_LIMIT(1, KXEN_DOMID_MAX),
				      &next_domid, GFP_KERNEL);
		if (err == -EBUSY)
			err = -ENOSPC;	/* every domid taken */
	}
	if (err >= 0) {
		d->id = id;
		d->serial = atomic64_inc_return(&serials);
		kref_get(&d->ref);	/* the caller's */
		xa_store(&domains, id, d, GFP_KERNEL);	/* into the slot reserved: no alloc */
	}
	mutex_unlock(&domains_lock);
	if (err < 0)
		goto out_p2m;
	return d;

out_p2m:
	kxen_p2m_destroy(d);
out_virt:
	kxen_virt_put();
out_free:
	kxen_gnttab_destroy(d);
	kxen_domain_put(d);
	return ERR_PTR(err);
}

/* Stop every vcpu where it is; the domain stays until dom0 destroys it. */
static void domain_stop(struct kxen_domain *d, unsigned int code)
{
	unsigned int i;

	/* The first reason given wins, as on Xen. */
	cmpxchg(&d->shutdown_code, KXEN_SHUTDOWN_NONE, code);
	if (cmpxchg(&d->state, KXEN_DOM_RUNNING, KXEN_DOM_SHUTDOWN) != KXEN_DOM_RUNNING)
		return;
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			kxen_vcpu_kick(d->vcpus[i]);
	kxen_evtchn_send_dom0_virq(VIRQ_DOM_EXC);	/* xenstored, xl: look again */
}

/*
 * Pause: no vcpu of d runs guest code once this returns (each is kicked, and seen
 * out of guest mode). Xen caps the toolstack's count at 255.
 */
int kxen_domain_pause(struct kxen_domain *d)
{
	unsigned int i;
	int err = 0;

	mutex_lock(&d->lock);
	if (d->pause_count == 255)
		err = -EOVERFLOW;
	else
		WRITE_ONCE(d->pause_count, d->pause_count + 1);
	mutex_unlock(&d->lock);
	if (err)
		return err;
	smp_mb();	/* the count, then guest_cpu: svm_vcpu_enter() goes the other way */
	for (i = 0; i < d->max_vcpus; i++) {
		struct kxen_vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		kxen_vcpu_kick(v);
		while (READ_ONCE(v->guest_cpu) >= 0)
			cpu_relax();
	}
	return 0;
}

/*
 * XEN_DOMCTL_resumedomain, as Xen's domain_resume(): a domain that shut down (the
 * toolstack cancels a suspend this way) runs again, its shutdown code forgotten.
 */
void kxen_domain_resume(struct kxen_domain *d)
{
	unsigned int i;

	mutex_lock(&d->lock);
	if (cmpxchg(&d->state, KXEN_DOM_SHUTDOWN, KXEN_DOM_RUNNING) == KXEN_DOM_SHUTDOWN)
		WRITE_ONCE(d->shutdown_code, KXEN_SHUTDOWN_NONE);
	mutex_unlock(&d->lock);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			kxen_vcpu_kick(d->vcpus[i]);
}

int kxen_domain_unpause(struct kxen_domain *d)
{
	unsigned int i;
	int err = 0;

	mutex_lock(&d->lock);
	if (!d->pause_count)
		err = -EINVAL;
	else
		WRITE_ONCE(d->pause_count, d->pause_count - 1);
	if (!d->pause_count)
		d->creation_finished = true;
	mutex_unlock(&d->lock);
	for (i = 0; !err && i < d->max_vcpus; i++)
		if (d->vcpus[i])
			kxen_vcpu_kick(d->vcpus[i]);
	return err;
}

void kxen_domain_shutdown(struct kxen_domain *d, unsigned int code)
{
	domain_stop(d, code);
}

void kxen_domain_set_shutdown_code(struct kxen_domain *d, unsigned int code)
{
	cmpxchg(&d->shutdown_code, KXEN_SHUTDOWN_NONE, code);
}

void kxen_domain_crash(struct kxen_domain *d, const char *why)
{
	kxen_console_printf("(XEN) domain_crash called: d%u: %s\n", d->id, why);
	pr_info("d%u crashed: %s\n", d->id, why);
	domain_stop(d, SHUTDOWN_crash);
}

int kxen_domain_destroy(struct kxen_domain *d)
{
	unsigned int i;

	/* The first caller destroys; a racing second one finds it gone already. */
	mutex_lock(&d->lock);
	if (d->state == KXEN_DOM_DYING) {
		mutex_unlock(&d->lock);
		return -ESRCH;
	}
	WRITE_ONCE(d->state, KXEN_DOM_DYING);
	mutex_unlock(&d->lock);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			kxen_vcpu_stop(d->vcpus[i]);
	kxen_evtchn_destroy(d);
	kxen_p2m_destroy(d);
	kxen_gnttab_destroy(d);
	mutex_lock(&domains_lock);
	xa_erase(&domains, d->id);
	mutex_unlock(&domains_lock);
	kxen_virt_put();
	kxen_domain_put(d);	/* the table's reference */
	kxen_evtchn_send_dom0_virq(VIRQ_DOM_EXC);
	return 0;
}

void kxen_domains_destroy_all(void)
{
	struct kxen_domain *d;
	unsigned long id;

	xa_for_each(&domains, id, d)
		kxen_domain_destroy(d);
}

