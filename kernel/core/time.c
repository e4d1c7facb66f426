// SPDX-License-Identifier: GPL-2.0
/*
 * Time. Xen system time is nanoseconds on one clock that the host and every guest
 * share: kxen defines it from the TSC, with the very scale (tsc_to_system_mul,
 * tsc_shift) that guests read in their vcpu_time_info, so a guest's pvclock and kxen's
 * timers never disagree. The wallclock in shared_info is the real time at system
 * time zero.
 *
 * Each vcpu has one singleshot timer (VCPUOP_set_singleshot_timer, set_timer_op): an
 * hrtimer that raises VIRQ_TIMER.
 */
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>
#include <asm/cpufeature.h>
#include <asm/pvclock-abi.h>
#include <asm/tsc.h>
#include <xen/interface/xen.h>

#include "domain.h"
#include "../arch/x86/arch.h"
#include "../xen/event_channel.h"

static u64 tsc0;	/* the TSC at system time 0 */
static u32 tsc_mul;
static s8 tsc_shift;
static bool tsc_stable;

int kxen_time_init(void)
{
	u64 hz = (u64)tsc_khz * 1000, mul;

	if (!hz)
		return -ENODEV;
	/* ns = ((tsc << shift) * mul) >> 32, with mul < 2^32 and shift as small as may be. */
	tsc_shift = 0;
	while ((mul = div64_u64(NSEC_PER_SEC << 32, hz << tsc_shift)) >= (1ULL << 32))
		tsc_shift++;
	tsc_mul = mul;
	tsc_stable = boot_cpu_has(X86_FEATURE_CONSTANT_TSC) &&
		     boot_cpu_has(X86_FEATURE_NONSTOP_TSC);
	tsc0 = rdtsc();
	return 0;
}

u64 kxen_system_time(void)
{
	return mul_u64_u32_shr((rdtsc() - tsc0) << tsc_shift, tsc_mul, 32);
}

static void fill(struct pvclock_vcpu_time_info *t)
{
	t->tsc_timestamp = tsc0;
	t->system_time = 0;
	t->tsc_to_system_mul = tsc_mul;
	t->tsc_shift = tsc_shift;
	t->flags = tsc_stable ? PVCLOCK_TSC_STABLE_BIT : 0;
}

/* The scale never changes while kxen is loaded: one write is as good as many. */
int kxen_time_write_guest(struct kxen_vcpu *caller, struct kxen_vcpu *v, u64 gva)
{
	struct pvclock_vcpu_time_info t = {};

	fill(&t);
	return kxen_copy_to_guest(caller, gva, &t, sizeof(t));
}

void kxen_time_update_vcpu(struct kxen_vcpu *v)
{
	struct pvclock_vcpu_time_info *t = &v->vcpu_info->time;

	/* The version protocol: odd while the fields change. */
	WRITE_ONCE(t->version, t->version + 1);
	smp_wmb();	/* odd version before the fields, fields before even: pvclock */
	fill(t);
	smp_wmb();	/* the fields before the even version */
	WRITE_ONCE(t->version, t->version + 1);
}

void kxen_time_update_wallclock(struct kxen_domain *d)
{
	struct shared_info *s = d->shared_info;
	u64 wc = ktime_get_real_ns() - kxen_system_time();
	u32 rem;

	u64 sec = div_u64_rem(wc, NSEC_PER_SEC, &rem);

	WRITE_ONCE(s->wc.version, s->wc.version + 1);
	smp_wmb();	/* the same version protocol as pvclock */
	s->wc.sec = sec;
	s->wc.nsec = rem;
	s->wc_sec_hi = sec >> 32;
	smp_wmb();	/* the fields before the even version */
	WRITE_ONCE(s->wc.version, s->wc.version + 1);
}

static enum hrtimer_restart timer_fired(struct hrtimer *t)
{
	struct kxen_vcpu *v = container_of(t, struct kxen_vcpu, timer);

	kxen_evtchn_send_virq(v, VIRQ_TIMER);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart periodic_fired(struct hrtimer *t)
{
	struct kxen_vcpu *v = container_of(t, struct kxen_vcpu, periodic);

	kxen_evtchn_send_virq(v, VIRQ_TIMER);
	hrtimer_forward_now(t, ns_to_ktime(READ_ONCE(v->period_ns)));
	return HRTIMER_RESTART;
}

void kxen_timer_init(struct kxen_vcpu *v)
{
	hrtimer_init(&v->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	v->timer.function = timer_fired;
	hrtimer_init(&v->periodic, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	v->periodic.function = periodic_fired;
}

void kxen_timer_periodic(struct kxen_vcpu *v, u64 period_ns)
{
	hrtimer_cancel(&v->periodic);
	WRITE_ONCE(v->period_ns, period_ns);
	if (period_ns)
		hrtimer_start(&v->periodic, ns_to_ktime(period_ns), HRTIMER_MODE_REL_HARD);
}

void kxen_timer_set(struct kxen_vcpu *v, u64 t)
{
	s64 delta = t - kxen_system_time();

	hrtimer_cancel(&v->timer);
	if (delta <= 0)
		kxen_evtchn_send_virq(v, VIRQ_TIMER);
	else
		hrtimer_start(&v->timer, ns_to_ktime(delta), HRTIMER_MODE_REL_HARD);
}

void kxen_timer_stop(struct kxen_vcpu *v)
{
	hrtimer_cancel(&v->timer);
}
