// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O, and the IN/OUT/INS/OUTS exits both backends decode into it. A PVH guest
 * has no emulated devices; the one port that means something is
 * 0xE9, Xen's (and Bochs') debug console, which Linux's hvc_xen writes when console_io
 * is denied. Other ports (and reads of 0xE9) find nothing: reads give all ones, writes go
 * nowhere, as on Xen for a domain without a device model.
 */
#include "../../core/domain.h"
#include "arch.h"
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

/*
 * IN or OUT of size bytes with RAX, as a decoded exit gives it: the value read goes
 * into the low bytes of RAX (all of EAX for a dword, as the CPU does).
 */
void kxen_x86_io(struct kxen_vcpu *v, u16 port, unsigned int size, bool in)
{
	struct kxen_gprs *r = &v->gprs;
	u32 data;

	if (!in) {
		kxen_x86_out(v, port, size, r->rax);
		return;
	}
	data = kxen_x86_in(v, port, size);
	r->rax = size == 4 ? data : (r->rax & ~((1ULL << (8 * size)) - 1)) | data;
}

/*
 * INS/OUTS (REP or not), for the debug port: Linux's early console writes it with
 * OUTSB. Operands are flat (PVH guests run with zero segment bases); amask is the
 * address size's mask for RCX, RSI and RDI. A bounded batch per call, so that a huge
 * count cannot hold the CPU: true when the instruction is done (the caller steps
 * over it), false when it must run again for the rest. A guest buffer it cannot reach
 * crashes the domain.
 */
bool kxen_x86_string_io(struct kxen_vcpu *v, u16 port, unsigned int size, bool in, bool rep,
			u64 amask, bool df)
{
	struct kxen_gprs *r = &v->gprs;
	u64 count = rep ? r->rcx & amask : 1, addr;
	unsigned int i;
	u32 data = 0;

	for (i = 0; i < 256 && count; i++, count--) {
		u64 *reg = in ? &r->rdi : &r->rsi;

		addr = *reg & amask;
		if (in) {
			data = kxen_x86_in(v, port, size);
			if (kxen_copy_to_guest(v, addr, &data, size))
				goto fault;
		} else {
			if (kxen_copy_from_guest(v, &data, addr, size))
				goto fault;
			kxen_x86_out(v, port, size, data);
		}
		addr += df ? -size : size;
		*reg = (*reg & ~amask) | (addr & amask);
	}
	if (rep)
		r->rcx = (r->rcx & ~amask) | count;
	return !count;
fault:
	kxen_domain_crash(v->d, "string I/O on memory the guest cannot reach");
	return false;
}
