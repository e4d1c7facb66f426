// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_domctl (public/domctl.h): the toolstack's operations on one domain. Only
 * dom0 may; the interface version must be Xen 4.17's. What `xl create` of a PVH guest
 * asks, in its order: createdomain (the domain paused, its vcpus down), max_vcpus,
 * vcpu and node affinities, max_mem, TSC mode, paging pool, the CPU policy, HVM
 * context (hvm_save.c: the boot vcpu's entry state), scheduler parameters, unpause.
 * Then getdomaininfo, with Xen 4.17's rule that it describes the first domain whose
 * id is at least the one asked for (xenstored and libxc check the id that comes
 * back); pause, destroy; getvcpuinfo and getvcpuaffinity for `xl vcpu-list`.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>
#include <linux/string.h>
#include <xen/interface/xen.h>
#include <xen/interface/vcpu.h>

#include <kxen/public/domctl.h>
#include <kxen/public/sysctl.h>
#include <kxen/xen_errno.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "hvm_save.h"
#include "hypercall.h"

/* Xen's getdomaininfo(): what xl list and xentop show of a domain. */
void kxen_getdomaininfo(struct kxen_domain *d, struct xen_domctl_getdomaininfo *info)
{
	u32 flags = XEN_DOMINF_blocked;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->domain = d->id;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	if (kxen_is_dom0(d)) {
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
		if (!kxen_vcpu_up(v))
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
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->arch_config.emulation_flags = d->id ? XEN_X86_EMU_LAPIC : 0;
	info->tot_pages = kxen_p2m_tot_pages(d);
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

/*
 * XEN_DOMCTL_createdomain, for what kxen can run: a PVH guest (HVM, HAP, an emulated
 * local APIC and nothing else), grant tables v1. Xen's error codes for the rest.
 */
static long createdomain(struct xen_domctl *op)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	const u32 known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity |
			  XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain |
			  XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_nested_virt |
			  XEN_DOMCTL_CDF_vpmu;
	struct kxen_domain *d;
	unsigned int i;
	int err = 0;

	if ((c->flags & ~known) || (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask) ||
	    !c->max_vcpus || c->max_vcpus > KXEN_MAX_VCPUS || c->iommu_opts ||
	    c->vmtrace_size || (c->arch.misc_flags & ~XEN_X86_MISC_FLAGS_MAX))
		return -EINVAL;
	/* No PV guests, no shadow paging, no IOMMU, nested virtualisation or vPMU. */
	if (!(c->flags & XEN_DOMCTL_CDF_hvm) || !(c->flags & XEN_DOMCTL_CDF_hap) ||
	    (c->flags & (XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_nested_virt |
			 XEN_DOMCTL_CDF_vpmu)))
		return -EINVAL;
	/* Only PVH's emulation: a full HVM guest needs devices kxen does not have yet. */
	if (c->arch.emulation_flags != XEN_X86_EMU_LAPIC)
		return -EOPNOTSUPP;
	if (XEN_DOMCTL_GRANT_version(c->grant_opts) > 1 ||
	    c->max_grant_frames > KXEN_GNTTAB_MAX_FRAMES || c->cpupool_id)
		return -EINVAL;

	d = kxen_domain_create(op->domain && op->domain < DOMID_FIRST_RESERVED ? op->domain : 0,
			       c->max_vcpus, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	/*
	 * Paused by the toolstack until it has built the guest; every vcpu down. Under
	 * the lock: a destroy racing in from another process (the id is easy to guess)
	 * waits for all of them, or came first and left the domain dying, with no
	 * vcpus: then it is gone, and so is this call.
	 */
	mutex_lock(&d->lock);
	if (d->state == KXEN_DOM_DYING) {
		err = -ESRCH;
	} else {
		d->state = KXEN_DOM_RUNNING;
		d->pause_count = 1;
		memcpy(d->handle, c->handle, sizeof(d->handle));
	}
	for (i = 0; i < c->max_vcpus && !err; i++)
		err = kxen_vcpu_create(d, i);
	mutex_unlock(&d->lock);
	op->domain = d->id;
	if (err && err != -ESRCH)
		kxen_domain_destroy(d);	/* drops the domain table's reference */
	kxen_domain_put(d);		/* kxen_domain_create()'s, for this call */
	return err;
}

/* The vcpu a domctl names: -EINVAL past the domain's vcpus, -ESRCH for none there. */
static struct kxen_vcpu *vcpu_of(struct kxen_domain *d, u32 id, long *rc)
{
	if (id >= d->max_vcpus) {
		*rc = -EINVAL;
		return NULL;
	}
	if (!kxen_vcpu_of(d, id))
		*rc = -ESRCH;
	return kxen_vcpu_of(d, id);
}

/*
 * Xen's xenctl_bitmap, the one size dom0 chooses freely: in, only the bits of CPUs
 * that can exist are read; out, they are written and the rest of the caller's
 * nr_bits is cleared, as Xen 4.17's bitmap_to_xenctl_bitmap() does. That rest may be
 * 512 MiB (nr_bits is 32 bits wide), so it is cleared a page at a time, each a chance
 * to reschedule or to stop for a fatal signal; and a page that is not there stops
 * it exactly at its start, with every byte before it cleared, as Xen's copies do
 * (clear_user() of a longer range may stop a few bytes short). Domctl and sysctl
 * reach here from dom0 only: the buffer is the calling process's memory.
 */

int kxen_xenctl_to_cpumask(const struct xenctl_bitmap *b, struct cpumask *mask)
{
	unsigned int room = BITS_TO_LONGS(nr_cpu_ids) * BITS_PER_LONG;
	unsigned int bits = min(b->nr_bits, nr_cpu_ids);

	/* x86 is little-endian: the bytes of a cpumask are those of Xen's bitmap. */
	cpumask_clear(mask);
	if (copy_from_user(cpumask_bits(mask), u64_to_user_ptr(b->bitmap),
			   DIV_ROUND_UP(bits, 8)))
		return -EFAULT;
	bitmap_clear(cpumask_bits(mask), bits, room - bits);
	return 0;
}

int kxen_cpumask_to_xenctl(const struct xenctl_bitmap *b, const struct cpumask *mask)
{
	u64 bytes = DIV_ROUND_UP((u64)b->nr_bits, 8), done, n;

	done = min_t(u64, bytes, DIV_ROUND_UP(nr_cpu_ids, 8));
	if (copy_to_user(u64_to_user_ptr(b->bitmap), cpumask_bits(mask), done))
		return -EFAULT;
	for (; done < bytes; done += n) {
		u64 to = b->bitmap + done;

		n = min_t(u64, bytes - done, PAGE_SIZE - offset_in_page(to));
		if (clear_user(u64_to_user_ptr(to), n))
			return -EFAULT;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/*
 * The host CPUs a vcpu's thread may run on, in *mask. Under d->lock: a domain not yet
 * dying still has its vcpu threads (kxen_domain_destroy() marks it first, then stops
 * them), so the thread is referenced only then. NULL once the domain is dying.
 */
static struct task_struct *vcpu_task(struct kxen_domain *d, struct kxen_vcpu *v)
{
	struct task_struct *t = NULL;

	mutex_lock(&d->lock);
	if (READ_ONCE(d->state) != KXEN_DOM_DYING && v->task) {
		t = v->task;
		get_task_struct(t);
	}
	mutex_unlock(&d->lock);
	return t;
}

/*
 * XEN_DOMCTL_setvcpuaffinity and getvcpuaffinity. A hard affinity pins the vcpu's
 * thread to those host CPUs; a soft one (Xen's preference, what xl's NUMA placement
 * sets) has no Linux counterpart and changes nothing. As Xen, both answer with the
 * affinity in effect: hard, the CPUs the thread may use; soft, that within every
 * CPU (the default Xen keeps for it) or within the one asked for.
 */
static long vcpuaffinity(struct kxen_domain *d, struct xen_domctl_vcpuaffinity *a, bool set)
{
	cpumask_var_t hard, soft;
	struct task_struct *t;
	struct kxen_vcpu *v;
	long rc = 0;

	v = vcpu_of(d, a->vcpu, &rc);
	if (!v)
		return rc;
	if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
		return -EINVAL;
	if (!alloc_cpumask_var(&hard, GFP_KERNEL))
		return -ENOMEM;
	if (!alloc_cpumask_var(&soft, GFP_KERNEL)) {
		free_cpumask_var(hard);
		return -ENOMEM;
	}
	t = vcpu_task(d, v);
	cpumask_copy(hard, t ? t->cpus_ptr : cpu_possible_mask);
	if (set && (a->flags & XEN_VCPUAFFINITY_HARD)) {
		rc = kxen_xenctl_to_cpumask(&a->cpumap_hard, soft);
		cpumask_and(soft, soft, cpu_online_mask);
		if (!rc && cpumask_empty(soft))
			rc = -EINVAL;
		/* A domain that is going runs no vcpu to pin: nothing to do, as Xen. */
		if (!rc && t)
			rc = set_cpus_allowed_ptr(t, soft);
		if (!rc)
			cpumask_copy(hard, soft);
	}
	if (!rc && (a->flags & XEN_VCPUAFFINITY_HARD))
		rc = kxen_cpumask_to_xenctl(&a->cpumap_hard, hard);
	if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT)) {
		cpumask_copy(soft, cpu_possible_mask);
		if (set)
			rc = kxen_xenctl_to_cpumask(&a->cpumap_soft, soft);
		if (set && !rc) {
			cpumask_and(soft, soft, cpu_online_mask);
			cpumask_and(soft, soft, hard);
		}
		if (!rc)
			rc = kxen_cpumask_to_xenctl(&a->cpumap_soft, soft);
	}
	if (t)
		put_task_struct(t);
	free_cpumask_var(soft);
	free_cpumask_var(hard);
	return rc;
}

static long getvcpuinfo(struct kxen_domain *d, struct xen_domctl_getvcpuinfo *i)
{
	struct kxen_vcpu *v;
	long rc = 0;

	v = vcpu_of(d, i->vcpu, &rc);
	if (!v)
		return rc;
	i->online = kxen_vcpu_up(v);
	i->blocked = READ_ONCE(v->blocked);
	i->running = READ_ONCE(v->guest_cpu) >= 0;
	i->cpu_time = v->runstate_time[RUNSTATE_running];
	if (READ_ONCE(v->runstate) == RUNSTATE_running)
		i->cpu_time += kxen_system_time() - READ_ONCE(v->runstate_entry);
	i->cpu = max(READ_ONCE(v->arch.last_cpu), 0);
	return 0;
}

/*
 * XEN_DOMCTL_get_cpu_policy: the domain's CPUID, serialised as Xen's toolstack reads
 * it (libxenguest saves it with the domain); no MSRs, as kxen's own policy.
 */
static long get_cpu_policy(struct kxen_vcpu *caller, struct kxen_domain *d,
			   struct xen_domctl_cpu_policy *p, bool *copyback)
{
	struct kxen_cpuid_policy policy;
	int err;

	mutex_lock(&d->lock);
	policy = d->cpuid;
	mutex_unlock(&d->lock);
	err = kxen_cpuid_policy_to_guest(caller, &policy, p->leaves, &p->nr_leaves, p->msrs,
					 &p->nr_msrs);
	*copyback = !err;
	return err;
}

/* XEN_DOMCTL_set_cpu_policy: what CPUID the guest will see, until it first runs. */
static long set_cpu_policy(struct kxen_vcpu *caller, struct kxen_domain *d,
			   struct xen_domctl_cpu_policy *p, bool *copyback)
{
	struct xen_cpuid_leaf *leaves;
	struct xen_msr_entry msr;
	unsigned int i;
	long rc;

	if (p->nr_leaves > KXEN_CPUID_MAX_LEAVES || p->nr_msrs > 2)
		return -E2BIG;
	/*
	 * kxen keeps no MSR policy: of the two MSRs Xen's has, PLATFORM_INFO and
	 * ARCH_CAPABILITIES, guests get neither feature, so both may only be 0 (libxc
	 * puts them in every policy it restores); any other MSR is not Xen's either.
	 */
	for (i = 0; i < p->nr_msrs; i++) {
		if (kxen_copy_from_guest(caller, &msr, p->msrs + i * sizeof(msr), sizeof(msr)))
			return -EFAULT;
		if (msr.idx != MSR_PLATFORM_INFO && msr.idx != MSR_IA32_ARCH_CAPABILITIES) {
			p->err_msr = msr.idx;
			*copyback = true;
			return -ERANGE;
		}
		if (msr.flags || msr.val)
			return -EINVAL;
	}
	leaves = kvmalloc_array(max(p->nr_leaves, 1U), sizeof(*leaves), GFP_KERNEL);
	if (!leaves)
		return -ENOMEM;
	rc = -EFAULT;
	if (kxen_copy_from_guest(caller, leaves, p->leaves, p->nr_leaves * sizeof(*leaves)))
		goto out;
	mutex_lock(&d->lock);
	if (d->creation_finished)
		rc = -EEXIST;
	else
		rc = kxen_cpuid_policy_set(&d->cpuid, leaves, p->nr_leaves, &p->err_leaf,
					   &p->err_subleaf);
	mutex_unlock(&d->lock);
	*copyback = rc == -ERANGE;
out:
	kvfree(leaves);
	return rc;
}

/* XEN_DOMCTL_getpageframeinfo3: what each frame is, as the toolstack saves a domain. */
static long pageframeinfo(struct kxen_vcpu *caller, struct kxen_domain *d,
			  struct xen_domctl_getpageframeinfo3 *f)
{
	u64 i, gfn, type;

	if (f->num > 1024)
		return -E2BIG;
	for (i = 0; i < f->num; i++) {
		if (kxen_copy_from_guest(caller, &gfn, f->array + i * sizeof(gfn), sizeof(gfn)))
			return -EFAULT;
		type = kxen_p2m_is_ram(d, gfn) ? XEN_DOMCTL_PFINFO_NOTAB :
						 XEN_DOMCTL_PFINFO_XTAB;
		if (kxen_copy_to_guest(caller, f->array + i * sizeof(type), &type, sizeof(type)))
			return -EFAULT;
	}
	return 0;
}

/* The operations on one existing domU; dom0 itself is never their target. */
static long domu_op(struct kxen_vcpu *caller, struct kxen_domain *d, struct xen_domctl *op,
		    bool *copyback)
{
	struct xen_domctl_tsc_info *tsc = &op->u.tsc_info;
	struct xen_domctl_scheduler_op *sch = &op->u.scheduler_op;

	switch (op->cmd) {
	case XEN_DOMCTL_pausedomain:
		return kxen_domain_pause(d);
	case XEN_DOMCTL_unpausedomain:
		return kxen_domain_unpause(d);
	case XEN_DOMCTL_resumedomain:
		kxen_domain_resume(d);
		return 0;
	case XEN_DOMCTL_getpageframeinfo3:
		return pageframeinfo(caller, d, &op->u.getpageframeinfo3);
	case XEN_DOMCTL_destroydomain:
		return destroy(d);
	case XEN_DOMCTL_max_vcpus:
		/* Still issued by 4.17's libxl: it must agree with createdomain. */
		return op->u.max_vcpus.max == d->max_vcpus ? 0 : -EINVAL;
	case XEN_DOMCTL_max_mem:
		/* May go below what the domain has: then it just cannot grow (as Xen). */
		WRITE_ONCE(d->p2m.max_pages,
			   min_t(u64, op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10), ULONG_MAX));
		return 0;
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_getvcpuaffinity:
		*copyback = op->cmd == XEN_DOMCTL_getvcpuaffinity;
		return vcpuaffinity(d, &op->u.vcpuaffinity, op->cmd == XEN_DOMCTL_setvcpuaffinity);
	case XEN_DOMCTL_setnodeaffinity:
		return 0;	/* one node: nothing to choose */
	case XEN_DOMCTL_getvcpuinfo:
		*copyback = true;
		return getvcpuinfo(d, &op->u.getvcpuinfo);
	case XEN_DOMCTL_settscinfo:
		/* The host's TSC, unscaled: Xen's default mode or never-emulate. */
		if (tsc->tsc_mode != 0 && tsc->tsc_mode != 2)
			return -EOPNOTSUPP;
		return tsc->gtsc_khz && tsc->gtsc_khz != tsc_khz ? -EOPNOTSUPP : 0;
	case XEN_DOMCTL_gettscinfo:
		*tsc = (struct xen_domctl_tsc_info){ .gtsc_khz = tsc_khz };
		*copyback = true;
		return 0;
	case XEN_DOMCTL_set_paging_mempool_size:
		/* Whole pages, and (as Xen's pool counter) no more than 2^32 - 1 of them. */
		if (op->u.paging_mempool.size & ~PAGE_MASK ||
		    op->u.paging_mempool.size >> PAGE_SHIFT > U32_MAX)
			return -EINVAL;
		return kxen_p2m_pool_set(d, op->u.paging_mempool.size >> PAGE_SHIFT);
	case XEN_DOMCTL_get_paging_mempool_size:
		op->u.paging_mempool.size = (u64)kxen_p2m_pool_size(d) << PAGE_SHIFT;
		*copyback = true;
		return 0;
	case XEN_DOMCTL_get_cpu_policy:
		return get_cpu_policy(caller, d, &op->u.cpu_policy, copyback);
	case XEN_DOMCTL_set_cpu_policy:
		return set_cpu_policy(caller, d, &op->u.cpu_policy, copyback);
	case XEN_DOMCTL_gethvmcontext:
		*copyback = true;
		return kxen_hvm_getcontext(caller, d, &op->u.hvmcontext);
	case XEN_DOMCTL_sethvmcontext:
		return kxen_hvm_setcontext(caller, d, &op->u.hvmcontext);
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
		return 0;
	case XEN_DOMCTL_scheduler_op:
		/* Credit2's parameters, kept for the toolstack: Linux schedules the vcpus. */
		if (sch->sched_id != XEN_SCHEDULER_CREDIT2)
			return -EINVAL;
		if (sch->cmd == XEN_DOMCTL_SCHEDOP_getinfo) {
			sch->u.credit2.weight = d->sched_weight;
			sch->u.credit2.cap = d->sched_cap;
			*copyback = true;
			return 0;
		}
		if (sch->cmd != XEN_DOMCTL_SCHEDOP_putinfo)
			return -EINVAL;
		if (sch->u.credit2.cap > 100 * d->max_vcpus)
			return -EINVAL;
		if (sch->u.credit2.weight)
			d->sched_weight = sch->u.credit2.weight;
		d->sched_cap = sch->u.credit2.cap;
		return 0;
	}
	return -XEN_ENOSYS;
}

/*
 * Dom0's vcpus are the host's CPUs (`xl vcpu-list` lists them): each online, its time
 * what Linux has accounted to it; the one asking runs, the others kxen cannot say
 * (neither running nor blocked). Nothing else is asked of dom0.
 */
static long dom0_op(struct xen_domctl *op, bool *copyback)
{
	struct xen_domctl_getvcpuinfo *i = &op->u.getvcpuinfo;
	struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
	unsigned int cpu = op->u.getvcpuinfo.vcpu;	/* the first field of both */
	const u64 *t;
	long rc = 0;

	/* Dom0 has no nested page tables, as a PV dom0 on Xen has no paging pool. */
	if (op->cmd == XEN_DOMCTL_get_paging_mempool_size ||
	    op->cmd == XEN_DOMCTL_set_paging_mempool_size)
		return -EOPNOTSUPP;
	if (op->cmd != XEN_DOMCTL_getvcpuinfo && op->cmd != XEN_DOMCTL_getvcpuaffinity)
		return -EINVAL;		/* the rest would act on the host itself */
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	*copyback = true;
	if (op->cmd == XEN_DOMCTL_getvcpuaffinity) {
		/* Each may run anywhere: Xen's default affinities. */
		if (a->flags & XEN_VCPUAFFINITY_HARD)
			rc = kxen_cpumask_to_xenctl(&a->cpumap_hard, cpu_possible_mask);
		if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
			rc = kxen_cpumask_to_xenctl(&a->cpumap_soft, cpu_possible_mask);
		return rc;
	}
	t = kcpustat_cpu(cpu).cpustat;
	i->online = 1;
	i->running = cpu == raw_smp_processor_id();
	i->blocked = 0;
	i->cpu_time = t[CPUTIME_USER] + t[CPUTIME_NICE] + t[CPUTIME_SYSTEM] +
		      t[CPUTIME_IRQ] + t[CPUTIME_SOFTIRQ];
	i->cpu = cpu;
	return 0;
}

long kxen_do_domctl(struct kxen_vcpu *v, const unsigned long *a)
{
	bool copyback = false;
	struct xen_domctl op;
	struct kxen_domain *d;
	long rc;

	/*
	 * A domU may make the call, and gets Xen's answers in Xen's order: the copy,
	 * the version, the domain named (save for createdomain, which names none), and
	 * only then the privilege check (XSM's dummy policy: -EPERM).
	 */
	if (kxen_copy_from_guest(v, &op, a[0], sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -EACCES;
	if (!kxen_is_dom0(v->d)) {
		if (op.cmd != XEN_DOMCTL_createdomain) {
			d = kxen_domain_get(op.domain);
			if (!d)
				return -ESRCH;
			kxen_domain_put(d);
		}
		return -EPERM;
	}

	switch (op.cmd) {
	case XEN_DOMCTL_createdomain:
		rc = createdomain(&op);
		copyback = !rc;
		break;
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
		copyback = true;
		break;
	default:
		d = kxen_domain_get(op.domain);
		if (!d)
			return -ESRCH;
		if (d == v->d)
			rc = dom0_op(&op, &copyback);
		else
			rc = domu_op(v, d, &op, &copyback);
		kxen_domain_put(d);
	}
	if (copyback && kxen_copy_to_guest(v, a[0], &op, sizeof(op)))
		return -EFAULT;
	return rc;
}
