/* SPDX-License-Identifier: GPL-2.0 */
/* Intel extended page tables (ept.c), used by the VMX backend. */
#ifndef KXEN_ARCH_X86_EPT_H
#define KXEN_ARCH_X86_EPT_H

#include <linux/types.h>

struct kxen_domain;

int kxen_ept_init(struct kxen_domain *d);
int kxen_ept_map(struct kxen_domain *d, u64 gfn, u64 pfn);
void kxen_ept_unmap(struct kxen_domain *d, u64 gfn);
void kxen_ept_destroy(struct kxen_domain *d);
u64 kxen_ept_pointer(struct kxen_domain *d);

#endif
