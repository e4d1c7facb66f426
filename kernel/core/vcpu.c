// SPDX-License-Identifier: GPL-2.0
/*
 * A vcpu is a kernel thread that enters the guest, handles the exit, and enters again.
 * Linux schedules it like any thread: a host interrupt ends every guest run (the
 * backend intercepts them all), and the thread gives the CPU up whenever the
 * scheduler asks, so a guest that spins with its interrupts off still shares the CPU.
 * The thread sleeps while the guest halts, and while its domain is not running.
 */
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <asm/smp.h>

#include "domain.h"
#include "../arch/x86/arch.h"

static bool may_run(struct kxen_vcpu *v)
{
	return READ_ONCE(v->d->state) == KXEN_DOM_RUNNING && !READ_ONCE(v->waiting_sipi);
}

static int vcpu_thread(void *arg)
{
	struct kxen_vcpu *v = arg;

	/* From here on this thread's FPU state is the guest's (Linux saves it for us). */
	fpu_swap_kvm_fpstate(&v->fpu, true);
	while (!kthread_should_stop()) {
		if (!may_run(v)) {
			wait_event_idle(v->wq, kthread_should_stop() || may_run(v));
			continue;
		}
		kxen_backend->vcpu_enter(v);
		cond_resched();
	}
	fpu_swap_kvm_fpstate(&v->fpu, false);
	return 0;
}

int kxen_vcpu_create(struct kxen_domain *d, unsigned int id,
		     const struct kxen_boot_state *boot)
{
	struct kxen_boot_state none = {};
	struct kxen_vcpu *v;
	int err;

	if (id >= d->max_vcpus || d->vcpus[id])
		return -EINVAL;
	v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return -ENOMEM;
	v->d = d;
	v->id = id;
	v->last_cpu = -1;
	v->guest_cpu = -1;
	v->waiting_sipi = !boot;
	init_waitqueue_head(&v->wq);
	err = -ENOMEM;
	if (!fpu_alloc_guest_fpstate(&v->fpu))
		goto out_free;
	err = kxen_backend->vcpu_init(v, boot ?: &none);
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
	fpu_free_guest_fpstate(&v->fpu);
out_free:
	kfree(v);
	return err;
}

void kxen_vcpu_destroy(struct kxen_vcpu *v)
{
	kthread_stop(v->task);
	put_task_struct(v->task);
	kxen_backend->vcpu_free(v);
	fpu_free_guest_fpstate(&v->fpu);
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
	/* Pairs with the backend's barrier between setting guest_cpu and entering. */
	smp_mb();
	cpu = READ_ONCE(v->guest_cpu);
	if (cpu >= 0 && cpu != raw_smp_processor_id())
		smp_send_reschedule(cpu);
}

void kxen_vcpu_halt(struct kxen_vcpu *v)
{
	wait_event_idle(v->wq, kthread_should_stop() || READ_ONCE(v->kicked) || !may_run(v));
	WRITE_ONCE(v->kicked, false);
}
