/* SPDX-License-Identifier: GPL-2.0 */
/* AMD nested page tables (npt.c), used by the SVM backend. */
#ifndef KXEN_ARCH_X86_NPT_H
#define KXEN_ARCH_X86_NPT_H

#include <linux/types.h>

struct kxen_domain;

int kxen_npt_init(struct kxen_domain *d);
int kxen_npt_map(struct kxen_domain *d, u64 gfn, u64 pfn);
void kxen_npt_unmap(struct kxen_domain *d, u64 gfn);
void kxen_npt_destroy(struct kxen_domain *d);
u64 kxen_npt_root_pa(struct kxen_domain *d);

#endif
