/* SPDX-License-Identifier: GPL-2.0 */
/* Building and starting a PVH domain from dom0 (build.c). */
#ifndef KXEN_DOMU_BUILD_H
#define KXEN_DOMU_BUILD_H

#include "xen.h"

struct domu_config {
	const char *kernel;		/* an ELF with a PHYS32_ENTRY note */
	const char *initrd;		/* or NULL */
	const char *cmdline;
	unsigned long mem_mib;
	unsigned int vcpus;
};

/* Create, build and unpause; 0 and *dom, or -errno with nothing left behind. */
long domu_create(const struct domu_config *cfg, domid_t *dom);

#endif
