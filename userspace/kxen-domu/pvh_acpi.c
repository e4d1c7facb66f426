// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables for a PVH guest. Linux finds its CPUs in the MADT (and, without one,
 * runs on one CPU with the APIC driver it guessed); the FADT says "hardware-reduced,
 * no VGA, no CMOS clock" so that Linux looks for none of a PC's fixed hardware. The
 * layouts are ACPI 6's; offsets are pinned below. See pvh_acpi.h.
 */
#include "pvh_acpi.h"

struct __packed acpi_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char creator_id[4];
	u32 creator_revision;
};

struct __packed rsdp {
	char signature[8];
	u8 checksum;
	char oem_id[6];
	u8 revision;
	u32 rsdt;
	u32 length;
	u64 xsdt;
	u8 ext_checksum;
	u8 reserved[3];
};

struct __packed madt_lapic {
	u8 type, length, processor_id, apic_id;
	u32 flags;
};

/* Offsets into the FADT (ACPI 6.x, 276 bytes) of the fields kxen sets. */
#define FADT_LENGTH		276
#define FADT_DSDT		40
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_FLAGS		112
#define FADT_MINOR_REVISION	131
#define FADT_X_DSDT		140
#define FADT_HYPERVISOR_ID	268

#define IAPC_VGA_NOT_PRESENT	BIT(2)
#define IAPC_CMOS_RTC_NOT_PRESENT BIT(5)
#define FADT_HW_REDUCED_ACPI	BIT(20)

/* Where each table sits in the page. */
#define AT_RSDP	0x000
#define AT_XSDT	0x040
#define AT_MADT	0x080
#define AT_FADT	0x800
#define AT_DSDT	0xa00

_Static_assert(sizeof(struct acpi_header) == 36, "ACPI table header");
_Static_assert(sizeof(struct rsdp) == 36, "RSDP (revision 2)");
_Static_assert(sizeof(struct madt_lapic) == 8, "MADT local APIC entry");

static u8 checksum(const void *p, unsigned int len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

static void header(void *at, const char *sig, u32 length, u8 revision)
{
	struct acpi_header *h = at;

	memcpy(h->signature, sig, 4);
	h->length = length;
	h->revision = revision;
	memcpy(h->oem_id, "KXEN  ", 6);
	memcpy(h->oem_table_id, "KXEN PVH", 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, "KXEN", 4);
	h->creator_revision = 1;
	h->checksum = 0;
	h->checksum = checksum(at, length);
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

int kxen_pvh_acpi_build(void *buf, u64 gpa, unsigned int nr_vcpus)
{
	u8 *page = buf, *madt = page + AT_MADT, *fadt = page + AT_FADT;
	u32 madt_len = 36 + 8 + nr_vcpus * sizeof(struct madt_lapic);
	struct rsdp *r = (struct rsdp *)(page + AT_RSDP);
	unsigned int i;

	if (!nr_vcpus || nr_vcpus > 128 || AT_MADT + madt_len > AT_FADT)
		return -EINVAL;
	memset(buf, 0, KXEN_ACPI_SIZE);

	header(page + AT_DSDT, "DSDT", 36, 2);

	put32(fadt + FADT_DSDT, gpa + AT_DSDT);
	fadt[FADT_IAPC_BOOT_ARCH] = IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT;
	put32(fadt + FADT_FLAGS, FADT_HW_REDUCED_ACPI);
	fadt[FADT_MINOR_REVISION] = 1;
	put64(fadt + FADT_X_DSDT, gpa + AT_DSDT);
	memcpy(fadt + FADT_HYPERVISOR_ID, "XenVMMXe", 8);
	header(fadt, "FACP", FADT_LENGTH, 6);

	/* MADT: the local APICs' address, no PC-AT 8259s, then one entry per vcpu. */
	put32(madt + 36, 0xfee00000);
	put32(madt + 40, 0);
	for (i = 0; i < nr_vcpus; i++) {
		struct madt_lapic e = {
			.type = 0, .length = 8, .processor_id = i, .apic_id = 2 * i, .flags = 1,
		};

		memcpy(madt + 44 + i * sizeof(e), &e, sizeof(e));
	}
	header(madt, "APIC", madt_len, 4);

	put64(page + AT_XSDT + 36, gpa + AT_FADT);
	put64(page + AT_XSDT + 44, gpa + AT_MADT);
	header(page + AT_XSDT, "XSDT", 36 + 2 * 8, 1);

	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "KXEN  ", 6);
	r->revision = 2;
	r->length = sizeof(*r);
	r->xsdt = gpa + AT_XSDT;
	r->checksum = checksum(r, 20);
	r->ext_checksum = checksum(r, sizeof(*r));
	return 0;
}
