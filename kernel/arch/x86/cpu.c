// SPDX-License-Identifier: GPL-2.0
/*
 * Finding out what the CPU offers, and switching SVM/VMX operation on and off on every
 * CPU. The decision itself lives in detect.c; this file only reads the hardware.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>
#include <xen/xen.h>

#include "arch.h"
#include "detect.h"

const struct kxen_backend *kxen_backend;
static char description[128];

static enum kxen_vendor vendor_of(const struct cpuinfo_x86 *c)
{
	switch (c->x86_vendor) {
	case X86_VENDOR_AMD:
	case X86_VENDOR_HYGON:
		return KXEN_VENDOR_AMD;
	case X86_VENDOR_INTEL:
	case X86_VENDOR_CENTAUR:
	case X86_VENDOR_ZHAOXIN:
		return KXEN_VENDOR_INTEL;
	default:
		return KXEN_VENDOR_OTHER;
	}
}

/* Runs on each CPU: is somebody else in SVM/VMX operation here? */
static void find_busy_cpu(void *arg)
{
	struct kxen_cpu_facts *f = arg;
	bool busy;
	u64 efer;

	if (f->vendor == KXEN_VENDOR_AMD) {
		rdmsrl(MSR_EFER, efer);
		busy = efer & EFER_SVME;
	} else {
		busy = __read_cr4() & X86_CR4_VMXE;
	}
	if (busy)
		cmpxchg(&f->busy_cpu, -1, smp_processor_id());
}

/* Read the facts from the raw CPUID and MSRs, as the hardware has them. */
static void read_facts(struct kxen_cpu_facts *f)
{
	u64 msr;

	memset(f, 0, sizeof(*f));
	f->vendor = vendor_of(&boot_cpu_data);
	f->xen_guest = xen_domain();
	f->busy_cpu = -1;
	f->have_svm_backend = IS_ENABLED(CONFIG_KXEN_SVM);
	f->have_vmx_backend = IS_ENABLED(CONFIG_KXEN_VMX);

	if (f->vendor == KXEN_VENDOR_AMD && cpuid_eax(0x80000000) >= 0x8000000a) {
		f->svm = cpuid_ecx(0x80000001) & BIT(2);
		f->npt = f->svm && (cpuid_edx(0x8000000a) & BIT(0));
		if (f->svm && !rdmsrl_safe(MSR_VM_CR, &msr))
			f->vm_cr = msr;
	}
	if (f->vendor == KXEN_VENDOR_INTEL) {
		f->vmx = cpuid_ecx(1) & BIT(5);
		if (f->vmx && !rdmsrl_safe(MSR_IA32_FEAT_CTL, &msr))
			f->feat_ctl = msr;
		if (f->vmx && !rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS, &msr))
			f->procbased_allowed1 = msr >> 32;
		if (f->procbased_allowed1 & KXEN_PROCBASED_SECONDARY &&
		    !rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &msr))
			f->procbased2_allowed1 = msr >> 32;
	}
	if (f->svm || f->vmx)
		on_each_cpu(find_busy_cpu, f, 1);
}

/* ---- Holding SVM/VMX operation on every CPU ---- */

static DEFINE_PER_CPU(struct page *, cpu_page);
static DEFINE_MUTEX(virt_lock);
static unsigned int virt_users;
static enum cpuhp_state virt_state;

/* CPU hotplug callbacks: they run on the CPU concerned, in its hotplug thread. */
static int kxen_cpu_online(unsigned int cpu)
{
	struct page *page;
	int err;

	page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
	if (!page)
		return -ENOMEM;
	err = kxen_backend->cpu_on(page);
	if (err) {
		__free_page(page);
		pr_err("cannot switch %s on, on CPU %u: %d\n", kxen_backend->name, cpu, err);
		return err;
	}
	per_cpu(cpu_page, cpu) = page;
	return 0;
}

static int kxen_cpu_offline(unsigned int cpu)
{
	kxen_backend->cpu_off();
	__free_page(per_cpu(cpu_page, cpu));
	per_cpu(cpu_page, cpu) = NULL;
	return 0;
}

int kxen_virt_get(void)
{
	int ret = 0;

	mutex_lock(&virt_lock);
	if (!virt_users) {
		/* Calls kxen_cpu_online on every online CPU, and undoes it all on failure. */
		ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "kxen:online",
					kxen_cpu_online, kxen_cpu_offline);
		if (ret >= 0)
			virt_state = ret;
	}
	if (ret >= 0) {
		virt_users++;
		ret = 0;
	}
	mutex_unlock(&virt_lock);
	return ret;
}

void kxen_virt_put(void)
{
	mutex_lock(&virt_lock);
	if (!WARN_ON(!virt_users) && !--virt_users)
		cpuhp_remove_state(virt_state);
	mutex_unlock(&virt_lock);
}

const char *kxen_arch_describe(void)
{
	return description;
}

int kxen_arch_init(void)
{
	struct kxen_cpu_facts facts;
	enum kxen_verdict verdict;
	char why[256];
	int err;

	read_facts(&facts);
	verdict = kxen_verdict(&facts);
	kxen_verdict_explain(verdict, &facts, why, sizeof(why));
	if (!kxen_verdict_runs(verdict)) {
		pr_err("%s\n", why);
		return kxen_verdict_errno(verdict);
	}
	/* IS_ENABLED lets a build without one backend drop every reference to it. */
	if (IS_ENABLED(CONFIG_KXEN_SVM) && verdict == KXEN_RUN_SVM)
		kxen_backend = &kxen_svm_backend;
	else if (IS_ENABLED(CONFIG_KXEN_VMX) && verdict == KXEN_RUN_VMX)
		kxen_backend = &kxen_vmx_backend;
	else
		return -ENODEV;	/* detect.c refuses a missing backend first */
	if (kxen_backend->setup) {
		err = kxen_backend->setup();
		if (err)
			return err;
	}

	/*
	 * Prove now that every CPU really enters SVM/VMX operation, so that a machine where
	 * it cannot is refused at load, not when the first domain starts.
	 */
	err = kxen_virt_get();
	if (err) {
		pr_err("cannot run: %s did not switch on (%d)\n", kxen_backend->name, err);
		return err;
	}
	kxen_virt_put();

	snprintf(description, sizeof(description), "%s on %u CPUs", why,
		 num_online_cpus());
	return 0;
}

void kxen_arch_exit(void)
{
	WARN_ON(virt_users);
}
