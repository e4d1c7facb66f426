// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall page (CPUID 0x40000002: one page, filled by writing its address to
 * MSR 0x40000000). Kernels before the XSA-466 fix call through it; newer ones issue
 * VMCALL/VMMCALL themselves. 128 stubs of 32 bytes: "mov $nr, %eax; vmmcall; ret",
 * with the rest int3 and HYPERVISOR_iret a ud2, byte for byte what Xen 4.17 writes.
 */
#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/string.h>
#include <asm/processor.h>
#include <xen/interface/xen.h>

#include "../../core/domain.h"
#include "x86.h"

int kxen_hypercall_page_write(struct kxen_vcpu *v, u64 gpa)
{
	bool amd = boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		   boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
	struct page *pg = kxen_p2m_get_page(v->d, gpa >> PAGE_SHIFT, false);
	unsigned int i;
	u8 *page;

	/* Not the domain's RAM: #GP, as Xen raises it. */
	if (!pg)
		return -EINVAL;
	page = kmap_local_page(pg);
	memset(page, 0xcc, PAGE_SIZE);
	for (i = 0; i < PAGE_SIZE / 32; i++) {
		u8 *p = page + i * 32;

		if (i == __HYPERVISOR_iret) {
			p[0] = 0x0f;	/* ud2 */
			p[1] = 0x0b;
			continue;
		}
		p[0] = 0xb8;		/* mov $i, %eax */
		memcpy(p + 1, &i, 4);
		p[5] = 0x0f;		/* vmmcall (0f 01 d9) or vmcall (0f 01 c1) */
		p[6] = 0x01;
		p[7] = amd ? 0xd9 : 0xc1;
		p[8] = 0xc3;		/* ret */
	}
	kunmap_local(page);
	put_page(pg);
	return 0;
}
