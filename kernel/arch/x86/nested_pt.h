/* SPDX-License-Identifier: GPL-2.0 */
/* Nested page tables, AMD's and Intel's (nested_pt.c): the backends' p2m operations. */
#ifndef KXEN_ARCH_X86_NESTED_PT_H
#define KXEN_ARCH_X86_NESTED_PT_H

#include <linux/types.h>

struct kxen_domain;

int kxen_nested_pt_init(struct kxen_domain *d);

int kxen_npt_map(struct kxen_domain *d, u64 gfn, u64 pfn);
void kxen_npt_unmap(struct kxen_domain *d, u64 gfn);
void kxen_npt_destroy(struct kxen_domain *d);
u64 kxen_npt_root_pa(struct kxen_domain *d);

int kxen_ept_map(struct kxen_domain *d, u64 gfn, u64 pfn);
void kxen_ept_unmap(struct kxen_domain *d, u64 gfn);
void kxen_ept_destroy(struct kxen_domain *d);
u64 kxen_ept_pointer(struct kxen_domain *d);

#endif
