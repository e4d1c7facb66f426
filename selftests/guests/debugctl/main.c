// SPDX-License-Identifier: GPL-2.0
/*
 * MSR_IA32_DEBUGCTL (0x1d9), as guests probe their debug features: Xen 4.17 lets any
 * HVM guest read it and write LBR and BTF, and reads back what was written (LBR may
 * read as 0 on Intel, where Xen drops it for CPUs it has no LBR layout for). Other
 * bits are #GP on Intel; on AMD Xen 4.17 takes them, so they are not tried there.
 */
#include "guest.h"

const char test_title[] = "DEBUGCTL reads, and takes LBR and BTF";

#define MSR_IA32_DEBUGCTL	0x1d9
#define DEBUGCTL_LBR		(1UL << 0)
#define DEBUGCTL_BTF		(1UL << 1)

static int intel(void)
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	return b == 0x756e6547;		/* "Genu" ineIntel */
}

static void write_read(u64 val, u64 must, u64 may, const char *what)
{
	u32 fault = wrmsr_safe(MSR_IA32_DEBUGCTL, val);
	u64 now = ~0UL;

	if (fault) {
		xtf_failure("%s: wrmsr %#lx faulted (%#x)", what, val, fault);
		return;
	}
	fault = rdmsr_safe(MSR_IA32_DEBUGCTL, &now);
	if (fault)
		xtf_failure("%s: rdmsr after it faulted (%#x)", what, fault);
	else if ((now & ~may) != must)
		xtf_failure("%s: reads %#lx, want %#lx", what, now, must);
}

void test_main(void)
{
	u64 val = ~0UL;
	u32 fault = rdmsr_safe(MSR_IA32_DEBUGCTL, &val);

	if (fault)
		xtf_failure("rdmsr DEBUGCTL: fault %#x", fault);
	else
		check_eq(val, 0, "DEBUGCTL at start");
	write_read(0, 0, 0, "DEBUGCTL = 0");
	write_read(DEBUGCTL_BTF, DEBUGCTL_BTF, 0, "DEBUGCTL = BTF");
	write_read(DEBUGCTL_LBR, 0, DEBUGCTL_LBR, "DEBUGCTL = LBR");
	write_read(DEBUGCTL_LBR | DEBUGCTL_BTF, DEBUGCTL_BTF, DEBUGCTL_LBR, "DEBUGCTL = LBR|BTF");
	write_read(0, 0, 0, "DEBUGCTL = 0 again");
	if (intel()) {
		fault = wrmsr_safe(MSR_IA32_DEBUGCTL, 1UL << 63);
		check_eq(fault, exinfo(X86_EXC_GP, 0), "DEBUGCTL = bit 63 (reserved)");
		write_read(0, 0, 0, "DEBUGCTL after the reserved write");
	} else {
		printk("AMD: reserved DEBUGCTL bits not tried (Xen 4.17 takes them)\n");
	}
}
