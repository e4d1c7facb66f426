// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen CPUID leaves, as a Linux 6.1 guest finds Xen by them (xen-abi-4.17.md 1.1):
 * the signature at 0x40000000, the version at +1, the hypercall MSR at +2, and the
 * vcpu id and domid at +4. Also the "hypervisor present" bit of leaf 1.
 */
#include "guest.h"

const char test_title[] = "Xen CPUID leaves";

#define XEN_HVM_CPUID_VCPU_ID_PRESENT	(1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT	(1u << 4)

void test_main(void)
{
	u32 a, b, c, d, base;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 31)))
		xtf_failure("CPUID.1:ECX[31] (hypervisor present) is clear");

	/* Linux scans 0x40000000..0x4000ff00 in steps of 0x100 for the signature. */
	for (base = 0x40000000; base < 0x40010000; base += 0x100) {
		cpuid(base, 0, &a, &b, &c, &d);
		if (b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e)
			break;
	}
	if (base >= 0x40010000)
		xtf_error("no \"XenVMMXenVMM\" signature in 0x40000000-0x4000ff00");
	/* Viridian moves Xen's leaves up to 0x40000100; xl's PVH default has none. */
	check_eq(base, 0x40000000, "base of the Xen leaves");
	check_eq(a, base + 5, "base+0 EAX: the last Xen leaf");

	cpuid(base + 1, 0, &a, &b, &c, &d);
	check_eq(a, 0x00040011, "base+1 EAX: Xen version 4.17");

	cpuid(base + 2, 0, &a, &b, &c, &d);
	check_eq(a, 1, "base+2 EAX: hypercall pages");
	check_eq(b, 0x40000000, "base+2 EBX: hypercall page MSR");

	cpuid(base + 4, 0, &a, &b, &c, &d);
	if (!(a & XEN_HVM_CPUID_VCPU_ID_PRESENT))
		xtf_failure("base+4 EAX %#x: no VCPU_ID_PRESENT", a);
	else
		check_eq(b, 0, "base+4 EBX: vcpu id of the boot vcpu");
	if (!(a & XEN_HVM_CPUID_DOMID_PRESENT))
		xtf_failure("base+4 EAX %#x: no DOMID_PRESENT", a);
	else if (c == 0 || c >= 0x7ff0)
		xtf_failure("base+4 ECX: domid %u is not a domU's", c);
	printk("base+4: eax %#x ebx %#x ecx %#x\n", a, b, c);
}
