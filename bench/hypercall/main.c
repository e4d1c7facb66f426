// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall round trip: the same PVH guest runs on kxen and on KVM (QEMU's PVH boot),
 * and times N calls of the hypervisor's cheapest hypercall with the TSC: on Xen (and
 * kxen), xen_version(XENVER_version); on KVM, a VMMCALL/VMCALL that KVM answers in
 * the kernel (an unknown KVM hypercall number: -KVM_ENOSYS). It prints
 * "BENCH hypercall cycles=N" and ends: SCHEDOP_shutdown on Xen, QEMU's isa-debug-exit
 * device (port 0xf4) elsewhere.
 */
#include "guest.h"

const char test_title[] = "hypercall round trip";

#define CALLS		20000
#define KVM_HC_UNKNOWN	0xffff

static int on_xen(void)
{
	u32 a, b, c, d;

	cpuid(0x40000000, 0, &a, &b, &c, &d);
	return b == 0x566e6558;		/* "XenV" */
}

void test_main(void)
{
	u64 nr = on_xen() ? __HYPERVISOR_xen_version : KVM_HC_UNKNOWN, t0, t1;
	unsigned int i;

	hypercall2(nr, 0, 0);		/* warm up */
	t0 = rdtsc();
	for (i = 0; i < CALLS; i++)
		hypercall2(nr, 0, 0);
	t1 = rdtsc();
	printk("BENCH hypercall cycles=%lu calls=%u on=%s\n", (t1 - t0) / CALLS, CALLS,
	       on_xen() ? "xen" : "other");
	if (!on_xen())
		outb(0, 0xf4);		/* isa-debug-exit: QEMU quits */
}
