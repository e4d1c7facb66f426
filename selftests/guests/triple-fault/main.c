// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile guest: an empty IDT, then an exception. Delivering it faults, delivering
 * that faults again: a triple fault, after which a real CPU resets. Xen (and kxen)
 * crash the domain instead, and nothing else.
 */
#include "guest.h"

const char test_title[] = "triple fault";

void test_main(void)
{
	static const struct __attribute__((packed)) { unsigned short limit; u64 base; }
		no_idt = { 0, 0 };

	printk("loading an empty IDT, then int3\n");
	asm volatile("lidt %0; int3" : : "m"(no_idt));
	xtf_error("still running after a triple fault");
}
