/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables of a PVH guest, as libxl builds them for one: an RSDP, an XSDT, a
 * MADT listing one local APIC per vcpu (APIC ID 2 x vcpu id) and a hardware-reduced
 * FADT with an empty DSDT. Pure logic, one page.
 */
#ifndef KXEN_DOMU_PVH_ACPI_H
#define KXEN_DOMU_PVH_ACPI_H

#include "types.h"

#define KXEN_ACPI_SIZE	4096

/* Fill buf (KXEN_ACPI_SIZE bytes, to live at guest-physical gpa); the RSDP is at gpa. */
int kxen_pvh_acpi_build(void *buf, u64 gpa, unsigned int nr_vcpus);

#endif
