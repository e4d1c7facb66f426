// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_vcpu_op (public/vcpu.h): where a vcpu's vcpu_info and runstate live, and
 * its timers. Checks and error codes as Xen 4.17's common_vcpu_op and map_vcpu_info.
 */
#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <xen/interface/xen.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>

#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "event_channel.h"
#include "hypercall.h"

/* Xen's STIME_DELTA_MAX: the longest timer period it accepts. */
#define STIME_DELTA_MAX	(1ULL << 62)

/* Only a vcpu itself, or one not yet started, may move its vcpu_info. */
static int register_vcpu_info(struct kxen_vcpu *caller, struct kxen_vcpu *v,
			      unsigned long arg)
{
	struct vcpu_register_vcpu_info r;
	struct vcpu_info *new;
	struct page *page;

	if (kxen_copy_from_guest(caller, &r, arg, sizeof(r)))
		return -EFAULT;
	if (r.offset > PAGE_SIZE - sizeof(*new) || (r.offset & 7))
		return -ENXIO;
	if (v->vcpu_info_page)
		return -EINVAL;
	if (v != caller && kxen_vcpu_up(v))
		return -EINVAL;
	/* The page must be the domain's own RAM, and stays allocated while we use it. */
	mutex_lock(&v->d->p2m.lock);
	page = kxen_p2m_lookup_ram(v->d, r.mfn);
	if (page)
		get_page(page);
	mutex_unlock(&v->d->p2m.lock);
	if (!page)
		return -EINVAL;

	new = page_address(page) + r.offset;
	memcpy(new, v->vcpu_info, sizeof(*new));
	v->vcpu_info_page = page;
	WRITE_ONCE(v->vcpu_info, new);
	smp_wmb();	/* the new vcpu_info before any event is marked in it */
	/* Everything pending, so nothing sent meanwhile is lost (Xen does the same). */
	WRITE_ONCE(new->evtchn_pending_sel, ~0UL);
	kxen_evtchn_mark_pending(v);
	kxen_time_update_vcpu(v);
	return 0;
}

static void runstate_info(struct kxen_vcpu *v, struct vcpu_runstate_info *r)
{
	u64 now = kxen_system_time();

	r->state = v->runstate;
	r->state_entry_time = v->runstate_entry;
	memcpy(r->time, v->runstate_time, sizeof(r->time));
	r->time[v->runstate] += now - v->runstate_entry;
}

/*
 * VCPUOP_down, as Linux's xen_vcpu_restore() uses it after a restore (down, register
 * its vcpu_info again, up): the vcpu stops where it is. The last one up going down
 * powers the domain off, as on Xen.
 */
static long vcpu_down(struct kxen_vcpu *v)
{
	struct kxen_domain *d = v->d;
	unsigned int i;
	bool last = true;

	mutex_lock(&d->lock);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i] != v && kxen_vcpu_up(d->vcpus[i]))
			last = false;
	if (!last)
		WRITE_ONCE(v->op_down, true);
	mutex_unlock(&d->lock);
	if (last)
		kxen_domain_shutdown(d, SHUTDOWN_poweroff);
	else
		kxen_vcpu_kick(v);
	return 0;
}

long kxen_do_vcpu_op(struct kxen_vcpu *caller, const unsigned long *a)
{
	unsigned long cmd = a[0], arg = a[2];
	struct kxen_domain *d = caller->d;
	struct vcpu_set_singleshot_timer sst;
	struct vcpu_set_periodic_timer spt;
	struct vcpu_runstate_info r;
	struct kxen_vcpu *v;
	u64 gva;

	if (a[1] >= d->max_vcpus)
		return -ENOENT;
	v = d->vcpus[array_index_nospec(a[1], d->max_vcpus)];
	if (!v)
		return -ENOENT;

	switch (cmd) {
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(caller, v, arg);
	case VCPUOP_register_runstate_memory_area:
		if (kxen_copy_from_guest(caller, &gva, arg, sizeof(gva)))
			return -EFAULT;
		v->runstate_gva = gva;
		runstate_info(v, &r);
		kxen_copy_to_guest(caller, gva, &r, sizeof(r));	/* errors ignored, as Xen */
		return 0;
	case VCPUOP_get_runstate_info:
		runstate_info(v, &r);
		return kxen_copy_to_guest(caller, arg, &r, sizeof(r)) ? -EFAULT : 0;
	case VCPUOP_register_vcpu_time_memory_area:
		if (kxen_copy_from_guest(caller, &gva, arg, sizeof(gva)))
			return -EFAULT;
		kxen_time_write_guest(caller, v, gva);
		return 0;
	case VCPUOP_set_periodic_timer:
		if (kxen_copy_from_guest(caller, &spt, arg, sizeof(spt)))
			return -EFAULT;
		if (spt.period_ns < NSEC_PER_MSEC || spt.period_ns > STIME_DELTA_MAX)
			return -EINVAL;
		kxen_timer_periodic(v, spt.period_ns);
		return 0;
	case VCPUOP_stop_periodic_timer:
		kxen_timer_periodic(v, 0);
		return 0;
	case VCPUOP_set_singleshot_timer:
		if (v != caller)
			return -EINVAL;
		if (kxen_copy_from_guest(caller, &sst, arg, sizeof(sst)))
			return -EFAULT;
		kxen_timer_set(v, sst.timeout_abs_ns);
		return 0;
	case VCPUOP_stop_singleshot_timer:
		if (v != caller)
			return -EINVAL;
		kxen_timer_stop(v);
		return 0;
	case VCPUOP_is_up:
		return kxen_vcpu_up(v);
	case VCPUOP_down:
		return vcpu_down(v);
	case VCPUOP_up:
		/* Only one that has run: one waiting for INIT/SIPI has no state to go on. */
		if (READ_ONCE(v->waiting_sipi))
			return -EINVAL;
		WRITE_ONCE(v->op_down, false);
		kxen_vcpu_kick(v);
		return 0;
	case VCPUOP_send_nmi:
		if (arg)
			return -EINVAL;
		WRITE_ONCE(v->nmi_pending, true);
		kxen_vcpu_kick(v);
		return 0;
	case VCPUOP_get_physid:
		return -EINVAL;		/* only for dom0's pinned vcpus */
	}
	return -XEN_ENOSYS;
}
