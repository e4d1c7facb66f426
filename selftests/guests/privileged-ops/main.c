// SPDX-License-Identifier: GPL-2.0
/*
 * The toolstack's hypercalls (domctl, sysctl; the livepatch ops are a sysctl) made by
 * a domU. Xen 4.17 reads the argument and checks its interface version first, looks
 * up the domain a domctl names, and only then refuses the caller (XSM's dummy policy:
 * -EPERM). A guest probing for them sees exactly that order.
 */
#include "guest.h"

const char test_title[] = "domctl and sysctl from a domU";

#define __HYPERVISOR_sysctl		35
#define __HYPERVISOR_domctl		36
#define XEN_DOMCTL_INTERFACE_VERSION	0x15
#define XEN_SYSCTL_INTERFACE_VERSION	0x15
#define XEN_DOMCTL_createdomain		1
#define XEN_DOMCTL_pausedomain		3
#define XEN_DOMCTL_getdomaininfo	5
#define XEN_SYSCTL_physinfo		3
#define XEN_SYSCTL_livepatch_op		27

/* struct xen_domctl and xen_sysctl: cmd, version, then (domctl) the domain. */
struct op {
	u32 cmd, interface_version;
	unsigned short domain;
};

/* Room for the whole of either struct (Xen copies all of it in). */
static union {
	struct op op;
	char bytes[4096];
} buf __attribute__((aligned(4096)));

static s64 call(u64 nr, u32 cmd, u32 version, unsigned short domain)
{
	memset(&buf, 0, sizeof(buf));
	buf.op.cmd = cmd;
	buf.op.interface_version = version;
	buf.op.domain = domain;
	return hypercall2(nr, (u64)&buf, 0);
}

void test_main(void)
{
	const u64 D = __HYPERVISOR_domctl, S = __HYPERVISOR_sysctl;
	const u32 DV = XEN_DOMCTL_INTERFACE_VERSION, SV = XEN_SYSCTL_INTERFACE_VERSION;

	check_eq(hypercall2(D, 0x40001000UL, 0), -EFAULT, "domctl, unmapped argument");
	check_eq(call(D, XEN_DOMCTL_pausedomain, DV - 1, 0), -EACCES,
		 "domctl, an older interface version");
	check_eq(call(D, XEN_DOMCTL_pausedomain, DV, 0x7100), -ESRCH,
		 "domctl pausedomain of domain 0x7100 (absent)");
	check_eq(call(D, XEN_DOMCTL_pausedomain, DV, DOMID_SELF), -ESRCH,
		 "domctl pausedomain of DOMID_SELF (domctl takes real ids only)");
	check_eq(call(D, XEN_DOMCTL_pausedomain, DV, 0), -EPERM, "domctl pausedomain of dom0");
	check_eq(call(D, XEN_DOMCTL_createdomain, DV, 0), -EPERM, "domctl createdomain");
	check_eq(call(D, XEN_DOMCTL_getdomaininfo, DV, 0x7100), -ESRCH,
		 "domctl getdomaininfo of domain 0x7100 (absent)");
	check_eq(call(D, XEN_DOMCTL_getdomaininfo, DV, 0), -EPERM, "domctl getdomaininfo of dom0");

	check_eq(hypercall2(S, 0x40001000UL, 0), -EFAULT, "sysctl, unmapped argument");
	check_eq(call(S, XEN_SYSCTL_physinfo, SV + 1, 0), -EACCES,
		 "sysctl, a newer interface version");
	check_eq(call(S, XEN_SYSCTL_physinfo, SV, 0), -EPERM, "sysctl physinfo");
	check_eq(call(S, XEN_SYSCTL_livepatch_op, SV, 0), -EPERM, "sysctl livepatch_op");
	check_eq(call(S, 0x7fff, SV, 0), -EPERM, "sysctl of an unknown command");
}
