// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_vcpu_op (public/vcpu.h): starting a vcpu, where a vcpu's vcpu_info and
 * runstate live, and its timers. Checks and error codes as Xen 4.17's common_vcpu_op,
 * arch_set_info_hvm_guest and map_vcpu_info.
 */
#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <xen/interface/xen.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/hvm/hvm_vcpu.h>

#include <kxen/xen_errno.h>
#include <kxen/public/hvm_save.h>
#include "../arch/x86/arch.h"
#include "../core/domain.h"
#include "event_channel.h"
#include "hvm_save.h"
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
	/* The page must be the domain's own RAM; our reference keeps it while we use it. */
	page = kxen_p2m_get_page(v->d, r.mfn, true);
	if (!page)
		return -EINVAL;
	/*
	 * Once only, and for another vcpu only while it is down (VCPUOP_up takes d->lock
	 * too): two vcpus registering for a third at once would otherwise both pass.
	 */
	mutex_lock(&v->d->lock);
	if (v->vcpu_info_page || (v != caller && kxen_vcpu_up(v))) {
		mutex_unlock(&v->d->lock);
		put_page(page);
		return -EINVAL;
	}
	new = page_address(page) + r.offset;
	memcpy(new, v->vcpu_info, sizeof(*new));
	v->vcpu_info_page = page;
	WRITE_ONCE(v->vcpu_info, new);
	mutex_unlock(&v->d->lock);
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

/*
 * ---- VCPUOP_initialise for an HVM/PVH vcpu (public/hvm/hvm_vcpu.h): the guest
 * starts a vcpu of its own in the state it names, 32-bit or 64-bit, without INIT and
 * SIPI. The checks and error codes are Xen 4.17's arch_set_info_hvm_guest(); the
 * state becomes a CPU record, loaded by the vcpu's thread as a toolstack's context
 * is (hvm_save.c), whose checks then refuse what the hardware would not enter with.
 */

/* Segment attributes in Xen's 12-bit format: type, S, DPL, P, then AVL, L, D/B, G. */
#define SEG_TYPE(ar)	((ar) & 0xf)
#define SEG_S		BIT(4)
#define SEG_DPL(ar)	(((ar) >> 5) & 3)
#define SEG_P		BIT(7)
#define SEG_G		BIT(11)
#define TYPE_CODE	BIT(3)
#define TYPE_RW		BIT(1)		/* readable code, writable data */
#define TYPE_TSS_BUSY	0xb

enum hvm_seg { SEG_CS, SEG_DS, SEG_SS, SEG_ES, SEG_TR };

/* One segment of a 32-bit state: as Xen, accessed (TR: busy) if present, then checked. */
static int check_segment(u16 *ar, enum hvm_seg seg)
{
	if (*ar & 0xf000)
		return -EINVAL;
	if (!*ar)	/* a null selector: fine for DS and ES only */
		return seg == SEG_DS || seg == SEG_ES ? 0 : -EINVAL;
	if (*ar & SEG_P)
		*ar |= seg == SEG_TR ? 2 : 1;
	if (seg == SEG_TR) {
		if ((*ar & SEG_S) || SEG_TYPE(*ar) != TYPE_TSS_BUSY)
			return -EINVAL;
	} else if (!(*ar & SEG_S)) {
		return -EINVAL;
	}
	if (!(*ar & SEG_P))
		return -EINVAL;
	switch (seg) {
	case SEG_CS:
		return *ar & TYPE_CODE ? 0 : -EINVAL;
	case SEG_SS:
		return (*ar & TYPE_CODE) || !(*ar & TYPE_RW) ? -EINVAL : 0;
	case SEG_DS:
	case SEG_ES:
		return (*ar & TYPE_CODE) && !(*ar & TYPE_RW) ? -EINVAL : 0;
	default:
		return 0;
	}
}

static int hvm_state_32(const struct vcpu_hvm_x86_32 *r, struct hvm_hw_cpu *c)
{
	u16 cs = r->cs_ar, ds = r->ds_ar, ss = r->ss_ar, es = r->es_ar, tr = r->tr_ar;
	u32 limit = r->cs_limit;
	int err;

	if (r->pad1 || r->pad2[0] || r->pad2[1] || r->pad2[2])
		return -EINVAL;
	/* Xen checks all five and then fails, whichever it was. */
	err = check_segment(&cs, SEG_CS);
	err |= check_segment(&ds, SEG_DS);
	err |= check_segment(&ss, SEG_SS);
	err |= check_segment(&es, SEG_ES);
	err |= check_segment(&tr, SEG_TR);
	if (err)
		return -EINVAL;
	/* Xen scales a page-granular limit for this check (only). */
	if (cs & SEG_G)
		limit = (limit << 12) | 0xfff;
	if (r->eip > limit || SEG_DPL(ss) != SEG_DPL(cs) ||
	    ((ds & SEG_P) && SEG_DPL(ds) > SEG_DPL(cs)) ||
	    ((es & SEG_P) && SEG_DPL(es) > SEG_DPL(cs)) ||
	    ((r->efer & EFER_LMA) && !(r->efer & EFER_LME)))
		return -EINVAL;

	c->rax = r->eax;
	c->rcx = r->ecx;
	c->rdx = r->edx;
	c->rbx = r->ebx;
	c->rsp = r->esp;
	c->rbp = r->ebp;
	c->rsi = r->esi;
	c->rdi = r->edi;
	c->rip = r->eip;
	c->rflags = r->eflags;
	c->cr0 = r->cr0;
	c->cr3 = r->cr3;
	c->cr4 = r->cr4;
	c->msr_efer = r->efer;
	c->cs_arbytes = cs;
	c->cs_base = r->cs_base;
	c->cs_limit = r->cs_limit;
	c->ds_arbytes = ds;
	c->ds_base = r->ds_base;
	c->ds_limit = r->ds_limit;
	c->ss_arbytes = ss;
	c->ss_base = r->ss_base;
	c->ss_limit = r->ss_limit;
	c->es_arbytes = es;
	c->es_base = r->es_base;
	c->es_limit = r->es_limit;
	c->tr_arbytes = tr;
	c->tr_base = r->tr_base;
	c->tr_limit = r->tr_limit;
	return 0;
}

static int hvm_state_64(const struct vcpu_hvm_x86_64 *r, struct hvm_hw_cpu *c)
{
	/* Canonical for 4-level paging, as Xen's is_canonical_address(). */
	if ((s64)(r->rip << 16) >> 16 != r->rip || !(r->cr0 & X86_CR0_PG) ||
	    !(r->cr4 & X86_CR4_PAE) || !(r->efer & EFER_LME))
		return -EINVAL;

	c->rax = r->rax;
	c->rcx = r->rcx;
	c->rdx = r->rdx;
	c->rbx = r->rbx;
	c->rsp = r->rsp;
	c->rbp = r->rbp;
	c->rsi = r->rsi;
	c->rdi = r->rdi;
	c->rip = r->rip;
	c->rflags = r->rflags;
	c->cr0 = r->cr0;
	c->cr3 = r->cr3;
	c->cr4 = r->cr4;
	c->msr_efer = r->efer;
	/* Flat, and what Xen gives: 64-bit code, writable data, a busy 64-bit TSS. */
	c->cs_arbytes = 0xa9b;
	c->ds_arbytes = c->es_arbytes = c->ss_arbytes = 0xc93;
	c->cs_limit = c->ds_limit = c->es_limit = c->ss_limit = ~0U;
	c->tr_arbytes = 0x8b;
	c->tr_limit = 0x67;
	return 0;
}

static long initialise(struct kxen_vcpu *caller, struct kxen_vcpu *v, unsigned long arg)
{
	struct kxen_domain *d = v->d;
	struct vcpu_hvm_context ctx;
	struct hvm_hw_cpu *c;
	long err;

	/* Xen's dummy_vcpu_info: a vcpu above 31 that has registered none. */
	if (READ_ONCE(v->vcpu_info) == &v->dummy_info)
		return -EINVAL;
	if (kxen_copy_from_guest(caller, &ctx, arg, sizeof(ctx)))
		return -EFAULT;
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	/* What a fresh vcpu has in the parts the context does not name. */
	c->fs_arbytes = c->gs_arbytes = 0xc93;
	c->fs_limit = c->gs_limit = ~0U;
	c->dr6 = 0xffff0ff0;
	c->dr7 = 0x400;

	mutex_lock(&d->lock);
	/* Initialised: started by any means, or with a state waiting for its thread. */
	if (!READ_ONCE(v->waiting_sipi) || READ_ONCE(v->ctx_cpu))
		err = -EEXIST;
	else if (ctx.pad)
		err = -EINVAL;
	else if (ctx.mode == VCPU_HVM_MODE_32B)
		err = hvm_state_32(&ctx.cpu_regs.x86_32, c);
	else if (ctx.mode == VCPU_HVM_MODE_64B)
		err = hvm_state_64(&ctx.cpu_regs.x86_64, c);
	else
		err = -EINVAL;
	if (!err) {
		/* Long mode is active once LME is set with paging on, as Xen sets it. */
		if (c->msr_efer & EFER_LME)
			c->msr_efer |= EFER_LMA;
		/* ET is hard-wired to 1 on every CPU kxen runs on. */
		c->cr0 |= X86_CR0_ET;
		err = kxen_hvm_initialise_vcpu(v, c);
	}
	mutex_unlock(&d->lock);
	if (err)
		kfree(c);
	return err;
}

/* VCPUOP_up: a vcpu that is initialised runs (on from where it was, if it had). */
static long vcpu_up(struct kxen_vcpu *v)
{
	struct kxen_domain *d = v->d;
	long err = 0;

	mutex_lock(&d->lock);
	/* One waiting for INIT/SIPI, with no state handed to it, has none to go on. */
	if (READ_ONCE(v->waiting_sipi) && !READ_ONCE(v->ctx_cpu))
		err = -EINVAL;
	else
		WRITE_ONCE(v->op_down, false);
	mutex_unlock(&d->lock);
	if (!err)
		kxen_vcpu_kick(v);
	return err;
}

long kxen_do_vcpu_op(struct kxen_vcpu *caller, const unsigned long *a)
{
	/* Xen's vcpu_op takes (int cmd, unsigned int vcpuid): upper halves are not read. */
	unsigned int cmd = a[0], id = a[1];
	unsigned long arg = a[2];
	struct kxen_domain *d = caller->d;
	struct vcpu_set_singleshot_timer sst;
	struct vcpu_set_periodic_timer spt;
	struct vcpu_runstate_info r;
	struct kxen_vcpu *v;
	u64 gva;

	v = kxen_vcpu_of(d, id);
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
	case VCPUOP_initialise:
		return initialise(caller, v, arg);
	case VCPUOP_up:
		return vcpu_up(v);
	case VCPUOP_send_nmi:
		if (arg)
			return -EINVAL;
		WRITE_ONCE(v->arch.nmi_pending, true);
		kxen_vcpu_kick(v);
		return 0;
	case VCPUOP_get_physid:
		return -EINVAL;		/* only for dom0's pinned vcpus */
	}
	return -XEN_ENOSYS;
}
