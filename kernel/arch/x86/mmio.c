// SPDX-License-Identifier: GPL-2.0
/*
 * Guest accesses to guest-physical addresses with no RAM behind them. The xAPIC page
 * of a vcpu whose APIC is in xAPIC mode goes to the emulated APIC (lapic.c). The rest
 * (a frame the guest gave back, a hole in its memory map, a device page Xen would
 * emulate and kxen does not, the APIC page in x2APIC mode) Xen completes as a device
 * that is not there would, reads all ones and writes dropped, and the guest carries
 * on; so does kxen.
 *
 * The nested page fault names the address; which instruction, how wide and which
 * register come from decoding it (decode.c). An instruction kxen does not decode
 * crashes the domain with its bytes in the reason, so the log shows what to add.
 */
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/msr-index.h>

#include "../../core/domain.h"
#include "arch.h"
#include "decode.h"
#include "x86.h"

/* What a device that is not there answers. */
static u64 nothing_read(unsigned int size)
{
	return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static int mmio(struct kxen_vcpu *v, const struct kxen_sregs *s, u64 gpa, bool lapic,
		char *why, size_t why_len)
{
	bool long64 = s->cs_l && (s->efer & EFER_LMA);
	struct kxen_mem_insn in;
	u8 b[KXEN_INSN_MAX];
	unsigned int n;
	u64 *reg;

	n = kxen_fetch_insn(v, s, b);
	if (!n)
		return -EAGAIN;		/* its code changed under it: let it run again */
	if (kxen_decode_mem(b, n, long64, s->cs_db, &in)) {
		snprintf(why, why_len,
			 "access to unbacked gpa %#llx by an instruction kxen does not emulate: %*ph",
			 gpa, (int)min(n, 8U), b);
		return -EINVAL;
	}
	reg = in.reg >= 0 ? kxen_gpr(&v->arch.gprs, in.reg) : NULL;
	if (in.write && lapic)
		kxen_lapic_mmio_write(v, gpa & ~PAGE_MASK, in.size, kxen_mem_insn_store(reg, &in));
	else if (!in.write && reg)
		kxen_mem_insn_load(reg, &in, lapic ? kxen_lapic_mmio_read(v, gpa & ~PAGE_MASK,
									   in.size) :
						    nothing_read(in.size));
	/* Any other write goes nowhere. */
	kxen_backend->skip(v, in.len);
	return 0;
}

int kxen_x86_npf(struct kxen_vcpu *v, const struct kxen_sregs *s, u64 gpa, bool not_data,
		 char *why, size_t why_len)
{
	struct page *page = kxen_p2m_get_page(v->d, gpa >> PAGE_SHIFT, false);

	if (page) {
		put_page(page);		/* populated meanwhile: the access may just run */
		return 0;
	}
	if (not_data) {
		snprintf(why, why_len,
			 "instruction fetch, page walk or event delivery at unbacked gpa %#llx", gpa);
		return -EINVAL;
	}
	return mmio(v, s, gpa, kxen_lapic_mmio(v, gpa), why, why_len) == -EINVAL ? -EINVAL : 0;
}
