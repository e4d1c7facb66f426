// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O. A PVH guest has no emulated devices; the one port that means something is
 * 0xE9, Xen's (and Bochs') debug console, which Linux's hvc_xen writes when console_io
 * is denied. Other ports (and reads of 0xE9) find nothing: reads give all ones, writes go
 * nowhere, as on Xen for a domain without a device model.
 */
#include "../../core/domain.h"
#include "x86.h"

#define DEBUG_PORT	0xe9

void kxen_x86_out(struct kxen_vcpu *v, u16 port, unsigned int size, u32 value)
{
	if (port == DEBUG_PORT)
		kxen_console_guest_putc(v->d, value & 0xff);
}

u32 kxen_x86_in(struct kxen_vcpu *v, u16 port, unsigned int size)
{
	/* Xen handles only writes to 0xE9: a read finds no device, like any other. */
	return size == 4 ? ~0U : (1U << (8 * size)) - 1;
}
