// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kernel/arch/x86/detect.c: which machines kxen runs on, and what it
 * tells the user on the ones it refuses.
 */
#include <check.h>
#include "run_suite.h"
#include <stdlib.h>
#include <string.h>

#include "detect.h"

/* A CPU kxen runs on: each test spoils one fact. */
static struct kxen_cpu_facts amd(void)
{
	struct kxen_cpu_facts f = {
		.vendor = KXEN_VENDOR_AMD, .svm = true, .npt = true, .busy_cpu = -1,
		.have_svm_backend = true, .have_vmx_backend = true,
	};
	return f;
}

static struct kxen_cpu_facts intel(void)
{
	struct kxen_cpu_facts f = {
		.vendor = KXEN_VENDOR_INTEL, .vmx = true, .busy_cpu = -1,
		.feat_ctl = KXEN_FEAT_CTL_LOCKED | KXEN_FEAT_CTL_VMX_OUTSIDE_SMX,
		.procbased_allowed1 = KXEN_PROCBASED_SECONDARY,
		.procbased2_allowed1 = KXEN_PROCBASED2_EPT | KXEN_PROCBASED2_UNRESTRICTED,
		.have_svm_backend = true, .have_vmx_backend = true,
	};
	return f;
}

static char msg[512];

static const char *explain(const struct kxen_cpu_facts *f)
{
	kxen_verdict_explain(kxen_verdict(f), f, msg, sizeof(msg));
	return msg;
}

START_TEST(amd_with_npt_runs)
{
	struct kxen_cpu_facts f = amd();

	ck_assert_int_eq(kxen_verdict(&f), KXEN_RUN_SVM);
	ck_assert(kxen_verdict_runs(KXEN_RUN_SVM));
	ck_assert_int_eq(kxen_verdict_errno(KXEN_RUN_SVM), 0);
	ck_assert_str_eq(explain(&f), "AMD SVM with nested paging");
}
END_TEST

START_TEST(intel_with_ept_and_ug_runs)
{
	struct kxen_cpu_facts f = intel();

	ck_assert_int_eq(kxen_verdict(&f), KXEN_RUN_VMX);
	ck_assert_str_eq(explain(&f), "Intel VMX with EPT and unrestricted guest");
}
END_TEST

START_TEST(no_virtualization)
{
	struct kxen_cpu_facts f = amd();

	f.svm = false;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_VIRT);
	ck_assert_int_eq(kxen_verdict_errno(KXEN_NO_VIRT), -ENODEV);
	ck_assert_ptr_nonnull(strstr(explain(&f), "neither AMD SVM nor Intel VMX"));

	f = intel();
	f.vmx = false;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_VIRT);
}
END_TEST

START_TEST(feature_bit_of_the_other_vendor_is_ignored)
{
	struct kxen_cpu_facts f = intel();

	/* An Intel CPU claiming SVM, or an unknown vendor: neither extension applies. */
	f.vmx = false;
	f.svm = true;
	f.npt = true;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_VIRT);
	f = amd();
	f.vendor = KXEN_VENDOR_OTHER;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_VIRT);
}
END_TEST

START_TEST(svm_disabled_by_firmware)
{
	struct kxen_cpu_facts f = amd();

	f.vm_cr = KXEN_VM_CR_SVMDIS;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_SVM_DISABLED);
	ck_assert_int_eq(kxen_verdict_errno(KXEN_SVM_DISABLED), -ENODEV);
	ck_assert_ptr_nonnull(strstr(explain(&f), "disabled by the firmware (VM_CR=0x10)"));
	ck_assert_ptr_null(strstr(msg, "locked"));
	f.vm_cr |= 1 << 3;
	ck_assert_ptr_nonnull(strstr(explain(&f), "(VM_CR=0x18, locked)"));
}
END_TEST

START_TEST(vmx_disabled_by_firmware)
{
	struct kxen_cpu_facts f = intel();

	f.feat_ctl = KXEN_FEAT_CTL_LOCKED;	/* locked with VMX off */
	ck_assert_int_eq(kxen_verdict(&f), KXEN_VMX_DISABLED);
	ck_assert_ptr_nonnull(strstr(explain(&f), "IA32_FEATURE_CONTROL=0x1"));
	f.feat_ctl = KXEN_FEAT_CTL_VMX_OUTSIDE_SMX;	/* never locked: VMXON would #GP */
	ck_assert_int_eq(kxen_verdict(&f), KXEN_VMX_DISABLED);
}
END_TEST

START_TEST(nested_paging_required)
{
	struct kxen_cpu_facts f = amd();

	f.npt = false;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_NPT);
	ck_assert_ptr_nonnull(strstr(explain(&f), "no nested paging"));

	f = intel();
	f.procbased_allowed1 = 0;	/* no secondary controls: no EPT either */
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_EPT);
	f = intel();
	f.procbased2_allowed1 = KXEN_PROCBASED2_UNRESTRICTED;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_EPT);
	ck_assert_ptr_nonnull(strstr(explain(&f), "no EPT"));
	f = intel();
	f.procbased2_allowed1 = KXEN_PROCBASED2_EPT;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_UNRESTRICTED);
	ck_assert_ptr_nonnull(strstr(explain(&f), "no unrestricted guest"));
}
END_TEST

START_TEST(another_hypervisor_holds_svm)
{
	struct kxen_cpu_facts f = amd();

	f.busy_cpu = 1;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_SVM_BUSY);
	ck_assert_int_eq(kxen_verdict_errno(KXEN_SVM_BUSY), -EBUSY);
	explain(&f);
	ck_assert_ptr_nonnull(strstr(msg, "AMD SVM is in use by another hypervisor on CPU 1"));
	ck_assert_ptr_nonnull(strstr(msg, "EFER.SVME"));
	ck_assert_ptr_nonnull(strstr(msg, "'rmmod kvm_amd'"));
	ck_assert_ptr_nonnull(strstr(msg, "kvm.enable_virt_at_load=0"));
}
END_TEST

START_TEST(another_hypervisor_holds_vmx)
{
	struct kxen_cpu_facts f = intel();

	f.busy_cpu = 0;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_VMX_BUSY);
	ck_assert_int_eq(kxen_verdict_errno(KXEN_VMX_BUSY), -EBUSY);
	explain(&f);
	ck_assert_ptr_nonnull(strstr(msg, "Intel VMX is in use by another hypervisor on CPU 0"));
	ck_assert_ptr_nonnull(strstr(msg, "CR4.VMXE"));
	ck_assert_ptr_nonnull(strstr(msg, "'rmmod kvm_intel'"));
}
END_TEST

START_TEST(permanent_reasons_before_passing_ones)
{
	struct kxen_cpu_facts f = amd();

	/* Firmware-disabled and "busy": unloading KVM would not help, so say firmware. */
	f.busy_cpu = 0;
	f.vm_cr = KXEN_VM_CR_SVMDIS;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_SVM_DISABLED);
	f.vm_cr = 0;
	f.npt = false;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_NPT);

	f = intel();
	f.busy_cpu = 0;
	f.procbased2_allowed1 = KXEN_PROCBASED2_EPT;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_UNRESTRICTED);
}
END_TEST

START_TEST(xen_guest_refused)
{
	struct kxen_cpu_facts f = amd();

	f.xen_guest = true;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_XEN_GUEST);
	ck_assert_ptr_nonnull(strstr(explain(&f), "itself a Xen guest"));
}
END_TEST

START_TEST(backend_compiled_out)
{
	struct kxen_cpu_facts f = amd();

	f.have_svm_backend = false;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_BACKEND);
	ck_assert_ptr_nonnull(strstr(explain(&f), "CONFIG_KXEN_SVM=n"));
	f = intel();
	f.have_vmx_backend = false;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_NO_BACKEND);
	ck_assert_ptr_nonnull(strstr(explain(&f), "CONFIG_KXEN_VMX=n"));
	/* The other backend missing does not matter. */
	f = intel();
	f.have_svm_backend = false;
	ck_assert_int_eq(kxen_verdict(&f), KXEN_RUN_VMX);
}
END_TEST

START_TEST(every_refusal_is_one_line_that_says_so)
{
	struct kxen_cpu_facts f = amd();
	int v;

	f.busy_cpu = 3;
	for (v = KXEN_RUN_SVM; v <= KXEN_NO_BACKEND; v++) {
		int n = kxen_verdict_explain(v, &f, msg, sizeof(msg));

		ck_assert_int_gt(n, 0);
		ck_assert_int_lt(n, (int)sizeof(msg));
		ck_assert_ptr_null(strchr(msg, '\n'));
		if (kxen_verdict_runs(v))
			ck_assert_int_eq(kxen_verdict_errno(v), 0);
		else {
			ck_assert_msg(!strncmp(msg, "cannot run: ", 12), "%d: %s", v, msg);
			ck_assert_int_lt(kxen_verdict_errno(v), 0);
		}
	}
}
END_TEST

START_TEST(short_buffer_is_cut_and_terminated)
{
	struct kxen_cpu_facts f = amd();
	char small[8];
	int n;

	f.busy_cpu = 0;
	memset(small, 'x', sizeof(small));
	n = kxen_verdict_explain(KXEN_SVM_BUSY, &f, small, sizeof(small));
	ck_assert_int_gt(n, (int)sizeof(small));
	ck_assert_str_eq(small, "cannot ");
}
END_TEST

static Suite *detect_suite(void)
{
	Suite *s = suite_create("detect");
	TCase *tc = tcase_create("verdict");

	tcase_add_test(tc, amd_with_npt_runs);
	tcase_add_test(tc, intel_with_ept_and_ug_runs);
	tcase_add_test(tc, no_virtualization);
	tcase_add_test(tc, feature_bit_of_the_other_vendor_is_ignored);
	tcase_add_test(tc, svm_disabled_by_firmware);
	tcase_add_test(tc, vmx_disabled_by_firmware);
	tcase_add_test(tc, nested_paging_required);
	tcase_add_test(tc, another_hypervisor_holds_svm);
	tcase_add_test(tc, another_hypervisor_holds_vmx);
	tcase_add_test(tc, permanent_reasons_before_passing_ones);
	tcase_add_test(tc, xen_guest_refused);
	tcase_add_test(tc, backend_compiled_out);
	tcase_add_test(tc, every_refusal_is_one_line_that_says_so);
	tcase_add_test(tc, short_buffer_is_cut_and_terminated);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(detect_suite());
}
