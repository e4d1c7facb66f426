// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_hvm_op: the HVM parameters a guest may read and set (its console and
 * store, its event callback), and Xen 4.17's answers for the rest.
 */
#include "guest.h"

const char test_title[] = "hvm_op";

#define HVMOP_set_param			0
#define HVMOP_get_param			1
#define HVMOP_pagetable_dying		9
#define HVM_PARAM_CALLBACK_IRQ		0
#define HVM_PARAM_STORE_PFN		1
#define HVM_PARAM_PAE_ENABLED		4
#define HVM_PARAM_IDENT_PT		12
#define HVM_PARAM_CONSOLE_PFN		17
#define HVM_PARAM_CONSOLE_EVTCHN	18

struct param {
	unsigned short domid;
	u32 index;
	u64 value;
};

static s64 param(u64 cmd, unsigned short domid, u32 index, u64 *value)
{
	struct param p = { domid, index, value ? *value : 0 };
	s64 rc = hypercall2(__HYPERVISOR_hvm_op, cmd, (u64)&p);

	if (value)
		*value = p.value;
	return rc;
}

void test_main(void)
{
	u64 v, cb = (2ULL << 56) | 0xf3;	/* HVM_CALLBACK_VECTOR(0xf3), as Linux sets it */
	struct { unsigned short domid; u64 gpa; } dying = { DOMID_SELF, 0 };

	v = 0;
	check_eq(param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &v), 0,
		 "get CONSOLE_PFN");
	if (!v)
		xtf_failure("CONSOLE_PFN is 0: no PV console");
	v = 0;
	check_eq(param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &v), 0,
		 "get CONSOLE_EVTCHN");
	if (!v)
		xtf_failure("CONSOLE_EVTCHN is 0: no PV console");
	check_eq(param(HVMOP_get_param, my_domid(), HVM_PARAM_CONSOLE_EVTCHN, &v), 0,
		 "get CONSOLE_EVTCHN by our own domid");

	check_eq(param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &cb), 0,
		 "set CALLBACK_IRQ (vector 0xf3)");
	v = 0;
	check_eq(param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v), 0,
		 "get CALLBACK_IRQ");
	check_eq(v, cb, "CALLBACK_IRQ reads back");
	v = 0;
	check_eq(param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v), 0,
		 "clear CALLBACK_IRQ");

	/* What a guest may not touch. */
	v = 1;
	check_eq(param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &v), -EPERM,
		 "set STORE_PFN");
	check_eq(param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_IDENT_PT, &v), -EPERM,
		 "get IDENT_PT");
	check_eq(param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_PAE_ENABLED, &v), -EINVAL,
		 "get PAE_ENABLED (deprecated)");
	check_eq(param(HVMOP_get_param, DOMID_SELF, 39, &v), -EINVAL, "get param 39");
	check_eq(param(HVMOP_get_param, DOMID_SELF, 0x80000000u, &v), -EINVAL,
		 "get param 0x80000000");
	check_eq(param(HVMOP_get_param, 0x7100, HVM_PARAM_CONSOLE_PFN, &v), -ESRCH,
		 "get a param of domain 0x7100 (absent)");
	check_eq(hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, 0x40001000UL), -EFAULT,
		 "get_param, unmapped argument");
	check_eq(hypercall2(__HYPERVISOR_hvm_op, HVMOP_pagetable_dying, (u64)&dying), -EINVAL,
		 "pagetable_dying with nested paging");
	check_eq(hypercall2(__HYPERVISOR_hvm_op, 99, 0), -ENOSYS, "unknown command 99");
}
