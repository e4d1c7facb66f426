// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-linear addresses, as hypercall handles give them: translated through the
 * guest's own page tables (whatever paging mode it is in right now), then through its
 * p2m. Only what the guest itself could reach at its privilege is reachable: a
 * missing entry, or a read-only one for a write, is -EFAULT, as on Xen.
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "../../core/domain.h"
#include "arch.h"

#define PTE_P		BIT_ULL(0)
#define PTE_RW		BIT_ULL(1)
#define PTE_US		BIT_ULL(2)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	GENMASK_ULL(51, 12)

/* One step of a walk: read the entry, check it permits the access. */
static int entry(struct kxen_domain *d, u64 gpa, unsigned int size, bool write, bool user,
		 bool wp, u64 *pte)
{
	u32 e32;

	if (size == 4) {
		if (kxen_gpa_read(d, &e32, gpa, 4))
			return -EFAULT;
		*pte = e32;
	} else if (kxen_gpa_read(d, pte, gpa, 8)) {
		return -EFAULT;
	}
	if (!(*pte & PTE_P))
		return -EFAULT;
	if (user && !(*pte & PTE_US))
		return -EACCES;
	if (write && !(*pte & PTE_RW) && (user || wp))
		return -EACCES;
	return 0;
}

/*
 * gva to gpa as the guest's paging has it now: 0; -EFAULT where an entry is not
 * present, -EACCES where one denies the access (a #PF either way, with or without its
 * P bit), -ERANGE for an address that is not canonical (#GP).
 */
static int translate(struct kxen_vcpu *v, const struct kxen_sregs *s, u64 gva, bool write,
		     u64 *gpa)
{
	struct kxen_domain *d = v->d;
	bool user = s->cpl == 3, wp = s->cr0 & X86_CR0_WP;
	int levels, level, err;
	u64 table, pte;

	if (!(s->cr0 & X86_CR0_PG)) {
		*gpa = (u32)gva;
		return 0;
	}
	if (!(s->efer & EFER_LMA)) {
		gva = (u32)gva;
		if (!(s->cr4 & X86_CR4_PAE)) {
			/* Two levels of 4-byte entries; 4 MiB pages with PSE. */
			err = entry(d, (s->cr3 & 0xfffff000) + (gva >> 22) * 4, 4, write, user,
				    wp, &pte);
			if (err)
				return err;
			if ((pte & PTE_PS) && (s->cr4 & X86_CR4_PSE)) {
				*gpa = (pte & 0xffc00000) | (gva & 0x3fffff);
				return 0;
			}
			err = entry(d, (pte & 0xfffff000) + ((gva >> 12) & 1023) * 4, 4, write,
				    user, wp, &pte);
			if (err)
				return err;
			*gpa = (pte & 0xfffff000) | (gva & 0xfff);
			return 0;
		}
		/* PAE: four PDPTEs at CR3, then two levels of 8-byte entries. */
		if (kxen_gpa_read(d, &pte, (s->cr3 & 0xffffffe0) + (gva >> 30) * 8, 8) ||
		    !(pte & PTE_P))
			return -EFAULT;
		table = pte & PTE_ADDR;
		levels = 2;
	} else {
		levels = (s->cr4 & X86_CR4_LA57) ? 5 : 4;
		/* Non-canonical addresses fault before any walk. */
		if ((s64)(gva << (64 - 9 * levels - 12)) >> (64 - 9 * levels - 12) != gva)
			return -ERANGE;
		table = s->cr3 & PTE_ADDR;
	}
	for (level = levels; level > 0; level--) {
		unsigned int shift = 12 + 9 * (level - 1);

		err = entry(d, table + ((gva >> shift) & 511) * 8, 8, write, user, wp, &pte);
		if (err)
			return err;
		if (level > 1 && (pte & PTE_PS)) {
			if (level > 3)
				return -EFAULT;	/* no 512 GiB pages */
			*gpa = (pte & PTE_ADDR & ~((1ULL << shift) - 1)) |
			       (gva & ((1ULL << shift) - 1));
			return 0;
		}
		table = pte & PTE_ADDR;
	}
	*gpa = table | (gva & 0xfff);
	return 0;
}

static int copy_guest(struct kxen_vcpu *v, u64 gva, void *buf, size_t len, bool write)
{
	struct kxen_sregs s;
	u64 gpa;

	kxen_backend->get_sregs(v, &s);
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(gva));
		int err = translate(v, &s, gva, write, &gpa);

		if (!err)
			err = write ? kxen_gpa_write(v->d, gpa, buf, n) :
				      kxen_gpa_read(v->d, buf, gpa, n);
		if (err)
			return -EFAULT;
		gva += n;
		buf += n;
		len -= n;
	}
	return 0;
}

#define PFEC_P		BIT(0)
#define PFEC_W		BIT(1)
#define PFEC_U		BIT(2)

int kxen_linear_access(struct kxen_vcpu *v, const struct kxen_sregs *s, u64 la, void *buf,
		       unsigned int len, bool write, unsigned int *vector, u32 *err, u64 *cr2)
{
	unsigned int n[2], pages, i;
	u64 gpa[2];

	if (WARN_ON_ONCE(len > PAGE_SIZE))
		return -EINVAL;		/* callers move a few bytes: two pages at most */
	/* Every page the access touches is checked before any byte moves, as the CPU does. */
	for (pages = 0; len; pages++) {
		int e = translate(v, s, la, write, &gpa[pages]);

		if (e == -ERANGE) {
			*vector = X86_TRAP_GP;
			*err = 0;
			return -EFAULT;
		}
		if (e) {
			*vector = X86_TRAP_PF;
			*err = (e == -EACCES ? PFEC_P : 0) | (write ? PFEC_W : 0) |
			       (s->cpl == 3 ? PFEC_U : 0);
			*cr2 = la;
			return -EFAULT;
		}
		n[pages] = min_t(unsigned int, len, PAGE_SIZE - offset_in_page(la));
		la += n[pages];
		len -= n[pages];
	}
	for (i = 0; i < pages; buf += n[i], i++) {
		if (write)
			kxen_gpa_write(v->d, gpa[i], buf, n[i]);
		else if (kxen_gpa_read(v->d, buf, gpa[i], n[i]))
			memset(buf, 0xff, n[i]);
	}
	return 0;
}

int kxen_fetch_insn(struct kxen_vcpu *v, const struct kxen_sregs *s, u8 *buf)
{
	bool long64 = s->cs_l && (s->efer & EFER_LMA);
	unsigned int n, vector;
	struct kxen_seg cs;
	u64 la, cr2;
	u32 err;

	kxen_backend->get_seg(v, KXEN_SEG_CS, &cs);
	la = long64 ? s->rip : (u32)(cs.base + s->rip);
	memset(buf, 0, KXEN_INSN_MAX);
	/* Up to the end of the page first: the instruction may end before it does. */
	n = min_t(unsigned int, KXEN_INSN_MAX, PAGE_SIZE - offset_in_page(la));
	if (kxen_linear_access(v, s, la, buf, n, false, &vector, &err, &cr2))
		return 0;
	if (n < KXEN_INSN_MAX &&
	    !kxen_linear_access(v, s, la + n, buf + n, KXEN_INSN_MAX - n, false, &vector, &err,
				&cr2))
		n = KXEN_INSN_MAX;
	return n;
}

/*
 * Dom0's hypercalls come from its processes through /dev/xen/privcmd: its handles are
 * the calling process's user pointers.
 */
int kxen_copy_from_guest(struct kxen_vcpu *v, void *dst, u64 gva, size_t len)
{
	if (kxen_is_dom0(v->d))
		return copy_from_user(dst, u64_to_user_ptr(gva), len) ? -EFAULT : 0;
	return copy_guest(v, gva, dst, len, false);
}

int kxen_copy_to_guest(struct kxen_vcpu *v, u64 gva, const void *src, size_t len)
{
	if (kxen_is_dom0(v->d))
		return copy_to_user(u64_to_user_ptr(gva), src, len) ? -EFAULT : 0;
	return copy_guest(v, gva, (void *)src, len, true);
}
