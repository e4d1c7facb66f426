// SPDX-License-Identifier: GPL-2.0
/*
 * Speculation barriers between guests, and between a guest and the host, as KVM and
 * Xen put them around a guest run. Each costs only where the CPU is affected; the
 * kernel has already decided which mitigations this CPU needs.
 *
 * - Before a run, in svm_run.S and vmx_run.S: VERW, which clears the CPU's buffers,
 *   where the kernel clears them: on Intel (MDS, TAA, MMIO stale data, RFDS) when it
 *   set X86_FEATURE_CLEAR_CPU_BUF, on AMD (TSA) X86_FEATURE_CLEAR_CPU_BUF_VM, as
 *   KVM's entries in this kernel.
 * - After a run: the return stack buffer filled (both), and on Intel the branch
 *   history cleared when the kernel asks it for VM exits (BHI).
 * - Here, with interrupts off before a run: an IBPB when this CPU last ran another
 *   domain (one guest must not steer the next one's indirect branches; Xen's rule,
 *   KVM's is per vcpu), and on Intel parts open to L1TF an L1D flush at every entry,
 *   as Xen does by default (what the host or another guest left in L1D stays out of
 *   this guest's reach), unless l1tf=off or the CPU says an entry needs none (a
 *   hypervisor below us flushes).
 */
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/processor.h>

#include "../../core/domain.h"
#include "x86.h"

static DEFINE_PER_CPU(u64, last_serial);
static bool l1d_flush;

void kxen_x86_spec_init(void)
{
	u64 caps = 0;

	if (boot_cpu_has(X86_FEATURE_ARCH_CAPABILITIES))
		rdmsrl(MSR_IA32_ARCH_CAPABILITIES, caps);
	l1d_flush = boot_cpu_has_bug(X86_BUG_L1TF) && boot_cpu_has(X86_FEATURE_FLUSH_L1D) &&
		    l1tf_mitigation != L1TF_MITIGATION_OFF &&
		    !(caps & ARCH_CAP_SKIP_VMENTRY_L1DFLUSH);
}

void kxen_x86_spec_enter(struct kxen_vcpu *v)
{
	u64 *last = this_cpu_ptr(&last_serial);

	if (*last != v->d->serial) {
		*last = v->d->serial;
		indirect_branch_prediction_barrier();
	}
	if (l1d_flush)
		wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
}
