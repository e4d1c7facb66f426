// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_domctl (public/domctl.h): the toolstack's operations on one domain. Only
 * dom0 may; the interface version must be Xen 4.17's. So far: getdomaininfo, with
 * Xen 4.17's rule that it describes the first domain whose id is at least the one
 * asked for (xenstored and libxc check the id that comes back); pause, unpause and
 * destroy.
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include <kxen/public/sysctl.h>
#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "hypercall.h"

/* Xen's getdomaininfo(): what xl list and xentop show of a domain. */
void kxen_getdomaininfo(struct kxen_domain *d, struct xen_domctl_getdomaininfo *info)
{
	u32 flags = XEN_DOMINF_blocked;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->domain = d->id;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	if (d->id == 0) {
		/* The host: its CPUs are its vcpus, its memory is what Linux has. */
		info->nr_online_vcpus = num_online_cpus();
		info->max_vcpu_id = num_online_cpus() - 1;
		info->tot_pages = totalram_pages();
		info->max_pages = totalram_pages();
		info->flags = XEN_DOMINF_running;
		return;
	}
	mutex_lock(&d->lock);
	for (i = 0; i < d->max_vcpus; i++) {
		struct kxen_vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		info->max_vcpu_id = i;
		info->cpu_time += v->runstate_time[RUNSTATE_running];
		if (READ_ONCE(v->runstate) == RUNSTATE_running)
			info->cpu_time += kxen_system_time() - READ_ONCE(v->runstate_entry);
		if (READ_ONCE(v->waiting_sipi))
			continue;
		info->nr_online_vcpus++;
		if (!READ_ONCE(v->blocked))
			flags &= ~XEN_DOMINF_blocked;
		if (READ_ONCE(v->guest_cpu) >= 0)
			flags |= XEN_DOMINF_running;
	}
	info->flags = (info->nr_online_vcpus ? flags : 0) | XEN_DOMINF_hvm_guest |
		      XEN_DOMINF_hap;
	switch (READ_ONCE(d->state)) {
	case KXEN_DOM_PAUSED:
		info->flags |= XEN_DOMINF_paused;
		break;
	case KXEN_DOM_SHUTDOWN:
		info->flags |= XEN_DOMINF_shutdown;
		break;
	case KXEN_DOM_DYING:
		info->flags |= XEN_DOMINF_dying;
		break;
	case KXEN_DOM_RUNNING:
		break;
	}
	if (d->pause_count)
		info->flags |= XEN_DOMINF_paused;
	if (d->shutdown_code != KXEN_SHUTDOWN_NONE)
		info->flags |= (d->shutdown_code & 0xff) << XEN_DOMINF_shutdownshift;
	mutex_unlock(&d->lock);
	info->tot_pages = d->p2m.nr_pages;
	info->max_pages = d->p2m.max_pages;
	info->shared_info_frame = d->shared_info_gfn;
	info->gpaddr_bits = 52;
}

/* A domain that is being destroyed already is done too, as for Xen's domain_kill(). */
static long destroy(struct kxen_domain *d)
{
	int err = kxen_domain_destroy(d);

	return err == -ESRCH ? 0 : err;
}

long kxen_do_domctl(struct kxen_vcpu *v, const unsigned long *a)
{
	struct xen_domctl op;
	struct kxen_domain *d;
	long rc;

	if (v->d->id != 0)
		return -EPERM;
	if (kxen_copy_from_guest(v, &op, a[0], sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -EACCES;

	switch (op.cmd) {
	case XEN_DOMCTL_getdomaininfo:
		if (op.domain >= DOMID_FIRST_RESERVED)
			return -EINVAL;
		d = kxen_domain_next(op.domain);
		if (!d)
			return -ESRCH;
		kxen_getdomaininfo(d, &op.u.getdomaininfo);
		kxen_domain_put(d);
		op.domain = op.u.getdomaininfo.domain;
		rc = 0;
		break;
	case XEN_DOMCTL_pausedomain:
	case XEN_DOMCTL_unpausedomain:
	case XEN_DOMCTL_destroydomain:
		d = kxen_domain_get(op.domain);
		if (!d)
			return -ESRCH;
		if (d == v->d)
			rc = -EINVAL;	/* dom0 itself: never */
		else if (op.cmd == XEN_DOMCTL_pausedomain)
			rc = kxen_domain_pause(d);
		else if (op.cmd == XEN_DOMCTL_unpausedomain)
			rc = kxen_domain_unpause(d);
		else
			rc = destroy(d);
		kxen_domain_put(d);
		return rc;
	default:
		return -XEN_ENOSYS;
	}
	if (kxen_copy_to_guest(v, a[0], &op, sizeof(op)))
		return -EFAULT;
	return rc;
}
