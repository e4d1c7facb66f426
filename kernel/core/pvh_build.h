/* SPDX-License-Identifier: GPL-2.0 */
/* kxen's own PVH domain builder (pvh_build.c). */
#ifndef KXEN_CORE_PVH_BUILD_H
#define KXEN_CORE_PVH_BUILD_H

#include <linux/types.h>

struct kxen_domain;
struct kxen_boot_state;

#define KXEN_PVH_CMDLINE_MAX	2048
/* Guest RAM below 4 GiB ends here; the rest starts at 4 GiB. */
#define KXEN_PVH_LOWMEM_END	0xf0000000ULL
/* Pages a domain holds beyond its RAM: the console ring and the ACPI tables. */
#define KXEN_PVH_EXTRA_PAGES	2

struct kxen_pvh_image {
	const void *kernel;		/* an ELF with a PHYS32_ENTRY note */
	size_t kernel_size;
	const void *initrd;		/* or NULL */
	size_t initrd_size;
	const char *cmdline;
	unsigned long mem_pages;	/* guest RAM, from address 0 */
	unsigned int vcpus;		/* listed in the MADT */
};

/* Populate the domain's RAM and load the image; boot gets vcpu 0's entry state. */
int kxen_pvh_build(struct kxen_domain *d, const struct kxen_pvh_image *img,
		   struct kxen_boot_state *boot);

#endif
