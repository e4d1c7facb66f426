// SPDX-License-Identifier: GPL-2.0
/*
 * Deciding whether kxen can run. A refusal must tell the user what to do, in one line,
 * so each verdict comes with its remedy. Permanent reasons (no SVM, firmware switched
 * it off, no nested paging) are reported before passing ones (another hypervisor is in
 * SVM/VMX operation right now), so a user is never sent to unload KVM for nothing.
 *
 * Pure logic: built into kxen.ko and into selftests/unit.
 */
#include "detect.h"

static enum kxen_verdict svm_verdict(const struct kxen_cpu_facts *f)
{
	if (f->vm_cr & KXEN_VM_CR_SVMDIS)
		return KXEN_SVM_DISABLED;
	if (!f->npt)
		return KXEN_NO_NPT;
	if (f->busy_cpu >= 0)
		return KXEN_SVM_BUSY;
	if (!f->have_svm_backend)
		return KXEN_NO_BACKEND;
	return KXEN_RUN_SVM;
}

static enum kxen_verdict vmx_verdict(const struct kxen_cpu_facts *f)
{
	/*
	 * VMXON faults unless the firmware (or Linux at boot) locked FEATURE_CONTROL with
	 * VMX allowed outside SMX. An unlocked MSR is left alone: Linux locks it at boot,
	 * so finding it unlocked means something unusual happened, and KVM refuses too.
	 */
	if (!(f->feat_ctl & KXEN_FEAT_CTL_LOCKED) ||
	    !(f->feat_ctl & KXEN_FEAT_CTL_VMX_OUTSIDE_SMX))
		return KXEN_VMX_DISABLED;
	if (!(f->procbased_allowed1 & KXEN_PROCBASED_SECONDARY) ||
	    !(f->procbased2_allowed1 & KXEN_PROCBASED2_EPT))
		return KXEN_NO_EPT;
	if (!(f->procbased2_allowed1 & KXEN_PROCBASED2_UNRESTRICTED))
		return KXEN_NO_UNRESTRICTED;
	if (f->busy_cpu >= 0)
		return KXEN_VMX_BUSY;
	if (!f->have_vmx_backend)
		return KXEN_NO_BACKEND;
	return KXEN_RUN_VMX;
}

enum kxen_verdict kxen_verdict(const struct kxen_cpu_facts *f)
{
	if (f->xen_guest)
		return KXEN_XEN_GUEST;
	if (f->vendor == KXEN_VENDOR_AMD && f->svm)
		return svm_verdict(f);
	if (f->vendor == KXEN_VENDOR_INTEL && f->vmx)
		return vmx_verdict(f);
	return KXEN_NO_VIRT;
}

bool kxen_verdict_runs(enum kxen_verdict v)
{
	return v == KXEN_RUN_SVM || v == KXEN_RUN_VMX;
}

/* What module init returns: EBUSY for a passing conflict, ENODEV for the rest. */
int kxen_verdict_errno(enum kxen_verdict v)
{
	if (kxen_verdict_runs(v))
		return 0;
	if (v == KXEN_SVM_BUSY || v == KXEN_VMX_BUSY)
		return -EBUSY;
	return -ENODEV;
}

int kxen_verdict_explain(enum kxen_verdict v, const struct kxen_cpu_facts *f,
			 char *buf, size_t len)
{
	bool amd = f->vendor == KXEN_VENDOR_AMD;

	switch (v) {
	case KXEN_RUN_SVM:
		return snprintf(buf, len, "AMD SVM with nested paging");
	case KXEN_RUN_VMX:
		return snprintf(buf, len, "Intel VMX with EPT and unrestricted guest");
	case KXEN_XEN_GUEST:
		return snprintf(buf, len,
				"cannot run: this kernel is itself a Xen guest; load kxen on bare metal or in a VM with nested virtualization");
	case KXEN_SVM_DISABLED:
		return snprintf(buf, len,
				"cannot run: AMD SVM is disabled by the firmware (VM_CR=%#llx%s); enable SVM in the firmware setup",
				(unsigned long long)f->vm_cr,
				f->vm_cr & BIT(3) ? ", locked" : "");
	case KXEN_VMX_DISABLED:
		return snprintf(buf, len,
				"cannot run: Intel VMX is disabled by the firmware (IA32_FEATURE_CONTROL=%#llx); enable VT-x in the firmware setup",
				(unsigned long long)f->feat_ctl);
	case KXEN_NO_NPT:
		return snprintf(buf, len,
				"cannot run: this CPU has AMD SVM but no nested paging (NPT), which kxen needs");
	case KXEN_NO_EPT:
		return snprintf(buf, len,
				"cannot run: this CPU has Intel VMX but no EPT, which kxen needs");
	case KXEN_NO_UNRESTRICTED:
		return snprintf(buf, len,
				"cannot run: this CPU has Intel VMX but no unrestricted guest, which kxen needs");
	case KXEN_SVM_BUSY:
	case KXEN_VMX_BUSY:
		return snprintf(buf, len,
				"cannot run: %s is in use by another hypervisor on CPU %d (%s set); if it is KVM, stop its VMs or 'rmmod %s' (on kernels that have it, boot with kvm.enable_virt_at_load=0)",
				amd ? "AMD SVM" : "Intel VMX", f->busy_cpu,
				amd ? "EFER.SVME" : "CR4.VMXE",
				amd ? "kvm_amd" : "kvm_intel");
	case KXEN_NO_BACKEND:
		return snprintf(buf, len,
				"cannot run: this build of kxen has no %s backend (built with CONFIG_KXEN_%s=n)",
				amd ? "AMD SVM" : "Intel VMX", amd ? "SVM" : "VMX");
	case KXEN_NO_VIRT:
	default:
		return snprintf(buf, len,
				"cannot run: this CPU has neither AMD SVM nor Intel VMX (in a VM, turn on nested virtualization)");
	}
}
