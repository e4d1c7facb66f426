// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile guest: interrupts off, then a loop that never ends and never exits to the
 * hypervisor. The host must still get its CPUs (every host interrupt ends a guest
 * run), and destroying the domain must still work.
 */
#include "guest.h"

const char test_title[] = "spin with interrupts off, forever";

void test_main(void)
{
	printk("spinning\n");
	asm volatile("cli");
	for (;;)
		asm volatile("" ::: "memory");
}
