// SPDX-License-Identifier: GPL-2.0
/*
 * A vcpu is a kernel thread that enters the guest, handles the exit, and enters again.
 * Linux schedules it like any thread: a host interrupt ends every guest run (the
 * backend intercepts them all), and the thread gives the CPU up whenever the
 * scheduler asks, so a guest that spins with its interrupts off still shares the CPU.
 * The thread sleeps while the guest halts, and while its domain is not running.
 *
 * What the guest is interrupted with: its event-channel callback vector while
 * evtchn_upcall_pending is set (level-triggered, no EOI, as Xen delivers it), then
 * whatever its local APIC has pending.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/smp.h>
#include <xen/interface/xen.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>

#include "domain.h"
#include "../arch/x86/arch.h"
#include "../arch/x86/fpu.h"
#include "../xen/hvm_save.h"

static bool may_run(struct kxen_vcpu *v)
{
	return kxen_domain_runnable(v->d) && kxen_vcpu_up(v);
}

/*
 * INIT and SIPI arrive from other vcpus; only this thread may touch its own state. A
 * SIPI counts only in the wait-for-SIPI state that INIT leaves (or that an AP starts
 * in): Linux sends two, and the second must not restart a CPU that is up, nor wake
 * one that halted for good. An INIT and the SIPIs after it may all be pending by the
 * time this thread looks (lapic.c voids only the SIPIs sent before an INIT).
 */
static bool startup_pending(struct kxen_vcpu *v)
{
	return READ_ONCE(v->arch.lapic.init_pending) || READ_ONCE(v->arch.lapic.sipi_pending) ||
	       READ_ONCE(v->ctx_down) || READ_ONCE(v->ctx_cpu);
}

/*
 * A CPU state handed over (xen/hvm_save.c): the toolstack's sethvmcontext (down, then
 * maybe up with new state), or the guest's VCPUOP_initialise (new state, staying down
 * until VCPUOP_up). Under d->lock, so that VCPUOP_initialise and VCPUOP_up, which
 * take it too, see the vcpu either with its state pending or loaded, never between.
 */
static void take_context(struct kxen_vcpu *v)
{
	struct hvm_hw_cpu_xsave *xs;
	struct hvm_hw_cpu *c;
	bool down;

	mutex_lock(&v->d->lock);
	spin_lock(&v->d->ctx_lock);
	down = v->ctx_down;
	c = v->ctx_cpu;
	xs = v->ctx_xsave;
	v->ctx_down = false;
	v->ctx_cpu = NULL;
	v->ctx_xsave = NULL;
	spin_unlock(&v->d->ctx_lock);
	/* A context loaded says down or up, whatever VCPUOP_down said before. */
	if (down)
		WRITE_ONCE(v->op_down, false);
	if (down && !READ_ONCE(v->waiting_sipi)) {
		WRITE_ONCE(v->waiting_sipi, true);
		v->arch.lapic.wait_for_sipi = true;
		kxen_vcpu_runstate(v, RUNSTATE_offline);
	}
	if (c) {
		kxen_hvm_load_cpu(v, c, xs);
		kfree(c);
		v->arch.lapic.wait_for_sipi = false;
		kxen_vcpu_runstate(v, RUNSTATE_running);
		WRITE_ONCE(v->waiting_sipi, false);
	}
	kfree(xs);
	mutex_unlock(&v->d->lock);
}

static void startup(struct kxen_vcpu *v)
{
	if (READ_ONCE(v->ctx_down) || READ_ONCE(v->ctx_cpu))
		take_context(v);
	if (xchg(&v->arch.lapic.init_pending, false)) {
		WRITE_ONCE(v->op_down, false);
		WRITE_ONCE(v->waiting_sipi, true);
		kxen_lapic_init(v);
		v->arch.lapic.wait_for_sipi = true;
	}
	if (xchg(&v->arch.lapic.sipi_pending, false) && v->arch.lapic.wait_for_sipi) {
		smp_rmb();	/* pairs with lapic.c's deliver(): the vector is set first */
		v->arch.lapic.wait_for_sipi = false;
		kxen_backend->vcpu_sipi(v, v->arch.lapic.sipi_vector);
		v->arch.debugctl = 0;	/* INIT clears it */
		kxen_vcpu_runstate(v, RUNSTATE_running);
		WRITE_ONCE(v->waiting_sipi, false);
	}
}

static int vcpu_thread(void *arg)
{
	struct kxen_vcpu *v = arg;

	while (!kthread_should_stop()) {
		if (startup_pending(v))
			startup(v);
		if (!may_run(v)) {
			/* Taken down (VCPUOP_down): offline until VCPUOP_up, as on Xen. */
			if (!kxen_vcpu_up(v) && v->runstate != RUNSTATE_offline)
				kxen_vcpu_runstate(v, RUNSTATE_offline);
			wait_event_idle(v->wq, kthread_should_stop() || may_run(v) ||
					startup_pending(v));
			continue;
		}
		if (v->runstate == RUNSTATE_offline)
			kxen_vcpu_runstate(v, RUNSTATE_running);
		kxen_backend->vcpu_enter(v);
		cond_resched();
	}
	return 0;
}

int kxen_vcpu_create(struct kxen_domain *d, unsigned int id)
{
	struct kxen_vcpu *v;
	int err;

	if (id >= d->max_vcpus || d->vcpus[id])
		return -EINVAL;
	v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return -ENOMEM;
	v->d = d;
	v->id = id;
	v->arch.last_cpu = -1;
	v->guest_cpu = -1;
	v->waiting_sipi = true;
	v->runstate = RUNSTATE_offline;
	v->runstate_entry = kxen_system_time();
	init_waitqueue_head(&v->wq);
	kxen_timer_init(v);
	spin_lock_init(&v->arch.lapic.lock);
	kxen_lapic_reset(v);
	v->arch.lapic.wait_for_sipi = true;
	kxen_hvm_mtrr_init(&v->arch.mtrr);
	/* Until the guest registers its own, vcpus 0-31 use shared_info's vcpu_info. */
	v->vcpu_info = id < MAX_VIRT_CPUS ? &d->shared_info->vcpu_info[id] : &v->dummy_info;
	kxen_time_update_vcpu(v);
	err = kxen_fpu_vcpu_init(v);
	if (err)
		goto out_free;
	err = kxen_backend->vcpu_init(v);
	if (err)
		goto out_fpu;
	v->task = kthread_create(vcpu_thread, v, "kxen-d%uv%u", d->id, id);
	if (IS_ERR(v->task)) {
		err = PTR_ERR(v->task);
		goto out_arch;
	}
	get_task_struct(v->task);
	d->vcpus[id] = v;
	wake_up_process(v->task);
	return 0;

out_arch:
	kxen_backend->vcpu_free(v);
out_fpu:
	kxen_fpu_vcpu_free(v);
out_free:
	kfree(v);
	return err;
}

/*
 * The thread ends and the timers with it: the vcpu runs no guest code from now on.
 * Its memory stays until the domain's last reference goes (kxen_vcpu_free()), for
 * dom0 may still be looking at it (pause, getvcpuinfo, an event's kick).
 */
void kxen_vcpu_stop(struct kxen_vcpu *v)
{
	if (!v->task)
		return;
	kthread_stop(v->task);
	put_task_struct(v->task);
	v->task = NULL;
	kxen_timer_stop(v);
	kxen_timer_periodic(v, 0);
}

void kxen_vcpu_free(struct kxen_vcpu *v)
{
	kxen_vcpu_stop(v);
	kxen_backend->vcpu_free(v);
	kxen_fpu_vcpu_free(v);
	if (v->vcpu_info_page)
		put_page(v->vcpu_info_page);
	kfree(v->ctx_cpu);
	kfree(v->ctx_xsave);
	v->d->vcpus[v->id] = NULL;
	kfree(v);
}

/*
 * Make the vcpu look at its state again: wake it if it sleeps, and if it is in guest
 * mode on another CPU, interrupt that CPU (any interrupt ends a guest run).
 */
void kxen_vcpu_kick(struct kxen_vcpu *v)
{
	int cpu;

	WRITE_ONCE(v->kicked, true);
	wake_up(&v->wq);
	smp_mb();	/* kicked, then guest_cpu: the backend sets them the other way */
	cpu = READ_ONCE(v->guest_cpu);
	if (cpu >= 0 && cpu != raw_smp_processor_id())
		smp_send_reschedule(cpu);
}

static void nothing(void *unused)
{
}

/*
 * Every vcpu that may still use a translation the caller just removed gets a fresh
 * ASID on its next entry (tlb_flush); one in guest mode now is interrupted, and the
 * interrupt handler running on its CPU proves it has left the guest.
 */
void kxen_domain_sync_vcpus(struct kxen_domain *d)
{
	unsigned int i;
	int cpu;

	for (i = 0; i < d->max_vcpus; i++) {
		struct kxen_vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		WRITE_ONCE(v->arch.tlb_flush, true);
		smp_mb();	/* the flag, then guest_cpu: the backend goes the other way */
		cpu = READ_ONCE(v->guest_cpu);
		if (cpu >= 0)
			smp_call_function_single(cpu, nothing, NULL, true);
	}
}

int kxen_vcpu_pending_irq(struct kxen_vcpu *v)
{
	if (v->d->callback_vector && READ_ONCE(v->vcpu_info->evtchn_upcall_pending))
		return v->d->callback_vector;
	return kxen_lapic_pending(v);
}

void kxen_vcpu_ack_irq(struct kxen_vcpu *v, int vector)
{
	/*
	 * The callback vector is no local APIC vector: it is pending while
	 * upcall_pending is, and nothing to acknowledge (the guest may well have
	 * cleared upcall_pending already when kxen learns the vector was taken).
	 */
	if (!(v->d->callback_vector && vector == v->d->callback_vector))
		kxen_lapic_ack(v, vector);
}

/* Runstate bookkeeping, and the guest's copy of it (by virtual address, as Xen). */
void kxen_vcpu_runstate(struct kxen_vcpu *v, int state)
{
	struct vcpu_runstate_info r;
	u64 now = kxen_system_time();

	v->runstate_time[v->runstate] += now - v->runstate_entry;
	v->runstate = state;
	v->runstate_entry = now;
	if (!v->runstate_gva)
		return;
	/*
	 * With VMASST_TYPE_runstate_update_flag, the guest may read it from another vcpu
	 * at any time: XEN_RUNSTATE_UPDATE in state_entry_time marks it as changing.
	 */
	r.state = state;
	r.state_entry_time = now | XEN_RUNSTATE_UPDATE;
	memcpy(r.time, v->runstate_time, sizeof(r.time));
	if (v->d->runstate_update_flag) {
		kxen_copy_to_guest(v, v->runstate_gva + offsetof(struct vcpu_runstate_info,
								 state_entry_time),
				   &r.state_entry_time, sizeof(r.state_entry_time));
		smp_wmb();	/* the flag before the new values */
	}
	r.state_entry_time = now;
	kxen_copy_to_guest(v, v->runstate_gva, &r, sizeof(r));
}

/*
 * A vcpu that halts with interrupts off is down (Xen's hvm_vcpu_down): only INIT, or
 * VCPUOP_up (it stays initialised, as on Xen), wakes it. When the last one is down,
 * the domain has powered itself off: that is how a PVH Linux, which has no other
 * way, ends `poweroff`.
 */
static void vcpu_down(struct kxen_vcpu *v)
{
	struct kxen_domain *d = v->d;
	unsigned int i, online = 0;

	WRITE_ONCE(v->op_down, true);
	kxen_vcpu_runstate(v, RUNSTATE_offline);
	mutex_lock(&d->lock);
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && kxen_vcpu_up(d->vcpus[i]))
			online++;
	mutex_unlock(&d->lock);
	if (!online) {
		kxen_console_printf("(XEN) d%uv%u All CPUs offline -- powering off.\n", d->id,
				    v->id);
		kxen_domain_shutdown(d, SHUTDOWN_poweroff);
	}
	/* Here, not in vcpu_thread(): a VCPUOP_up resumes it after its HLT, running. */
	wait_event_idle(v->wq, kthread_should_stop() || may_run(v) || startup_pending(v));
	if (may_run(v))
		kxen_vcpu_runstate(v, RUNSTATE_running);
}

/*
 * As on Xen, an event for the vcpu ends its poll even with its interrupts off (Linux
 * polls for a spinlock kick that way): Xen's vcpu_kick unblocks a polling vcpu.
 */
void kxen_vcpu_poll(struct kxen_vcpu *v, const u32 *ports, unsigned int nr, u64 deadline,
		    bool (*pending)(struct kxen_vcpu *v, const u32 *ports, unsigned int nr))
{
	long timeout = MAX_SCHEDULE_TIMEOUT;

	if (deadline) {
		s64 ns = deadline - kxen_system_time();

		if (ns <= 0)
			return;
		timeout = nsecs_to_jiffies(ns) + 1;
	}
	WRITE_ONCE(v->polling, true);
	atomic_inc(&v->d->pollers);
	smp_mb__after_atomic();	/* polling, then the ports: set_pending goes the other way */
	kxen_vcpu_runstate(v, RUNSTATE_blocked);
	WRITE_ONCE(v->blocked, true);
	wait_event_idle_timeout(v->wq, kthread_should_stop() || !may_run(v) ||
				startup_pending(v) || pending(v, ports, nr) ||
				READ_ONCE(v->arch.nmi_pending) || kxen_vcpu_pending_irq(v) >= 0,
				timeout);
	WRITE_ONCE(v->blocked, false);
	kxen_vcpu_runstate(v, RUNSTATE_running);
	atomic_dec(&v->d->pollers);
	WRITE_ONCE(v->polling, false);
}

/* HLT: sleep until an interrupt the guest can take is pending. */
void kxen_vcpu_halt(struct kxen_vcpu *v)
{
	bool can_take = kxen_backend->interrupts_enabled(v);

	if (kxen_vcpu_pending_irq(v) >= 0 && can_take)
		return;
	if (!can_take && !READ_ONCE(v->arch.nmi_pending)) {
		vcpu_down(v);
		return;
	}
	kxen_vcpu_runstate(v, RUNSTATE_blocked);
	WRITE_ONCE(v->blocked, true);
	wait_event_idle(v->wq, kthread_should_stop() || !may_run(v) || startup_pending(v) ||
			READ_ONCE(v->arch.nmi_pending) ||
			(can_take && kxen_vcpu_pending_irq(v) >= 0));
	WRITE_ONCE(v->blocked, false);
	WRITE_ONCE(v->kicked, false);
	kxen_vcpu_runstate(v, RUNSTATE_running);
}

/*
 * SCHEDOP_block, as Xen's vcpu_block_enable_events(): event delivery on (the
 * vcpu_info's upcall mask cleared), then sleep until something for the vcpu needs
 * its attention, whether its interrupts are on or off. Xen sleeps until the vcpu is
 * kicked by a new event or interrupt and returns at once only if one can be
 * delivered now; kxen wakes for any pending one (an event marked in its vcpu_info,
 * a LAPIC interrupt, an NMI), so with interrupts off it also returns at once for one
 * that was pending already, where Xen would wait for the next. Either is a wakeup a
 * guest must be ready for; neither ever takes the vcpu down, as HLT would.
 */
static bool block_done(struct kxen_vcpu *v)
{
	return kthread_should_stop() || !may_run(v) || startup_pending(v) ||
	       READ_ONCE(v->arch.nmi_pending) ||
	       READ_ONCE(READ_ONCE(v->vcpu_info)->evtchn_upcall_pending) ||
	       kxen_vcpu_pending_irq(v) >= 0;
}

void kxen_vcpu_block(struct kxen_vcpu *v)
{
	WRITE_ONCE(READ_ONCE(v->vcpu_info)->evtchn_upcall_mask, 0);
	smp_mb();	/* the mask, then the check: an event sent meanwhile kicks us */
	if (block_done(v))
		return;
	kxen_vcpu_runstate(v, RUNSTATE_blocked);
	WRITE_ONCE(v->blocked, true);
	wait_event_idle(v->wq, block_done(v));
	WRITE_ONCE(v->blocked, false);
	WRITE_ONCE(v->kicked, false);
	kxen_vcpu_runstate(v, RUNSTATE_running);
}
