// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile guest: the highest task priority in CR8, interrupts on, then a loop that
 * never ends. CR8 is the guest's own LAPIC's TPR; were it the CPU's (a VMX guest
 * without CR8 exits reaches the real TPR), the host CPU would take no interrupt again.
 * The host must keep its CPUs, and destroying the domain must still work.
 */
#include "guest.h"

const char test_title[] = "CR8 at 15, interrupts on, spin forever";

void test_main(void)
{
	unsigned long cr8 = 15;

	asm volatile("mov %0, %%cr8" : : "r"(cr8));
	asm volatile("mov %%cr8, %0" : "=r"(cr8));
	printk("cr8 reads %lu; spinning\n", cr8);
	asm volatile("sti");
	for (;;)
		asm volatile("" ::: "memory");
}
