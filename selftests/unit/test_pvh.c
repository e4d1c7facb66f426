// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/kxen-domu/pvh_elf.c and pvh_acpi.c: reading a PVH kernel
 * image that may be hostile, and the ACPI tables a PVH guest finds its CPUs in.
 */
#include <check.h>
#include "run_suite.h"
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "pvh_acpi.h"
#include "pvh_elf.h"

#define MiB (1024 * 1024)

/* A minimal PVH ELF: one PT_LOAD at 1 MiB, one PT_NOTE with PHYS32_ENTRY. */
struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	struct { uint32_t namesz, descsz, type; char name[4]; uint32_t entry; } note;
	unsigned char text[64];
};

static struct image good(void)
{
	struct image im;

	memset(&im, 0, sizeof(im));
	memcpy(im.eh.e_ident, ELFMAG, SELFMAG);
	im.eh.e_ident[EI_CLASS] = ELFCLASS64;
	im.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im.eh.e_machine = EM_X86_64;
	im.eh.e_phoff = offsetof(struct image, ph);
	im.eh.e_phentsize = sizeof(Elf64_Phdr);
	im.eh.e_phnum = 2;
	im.ph[0].p_type = PT_LOAD;
	im.ph[0].p_offset = offsetof(struct image, text);
	im.ph[0].p_paddr = 1 * MiB;
	im.ph[0].p_filesz = sizeof(im.text);
	im.ph[0].p_memsz = 4096;
	im.ph[1].p_type = PT_NOTE;
	im.ph[1].p_offset = offsetof(struct image, note);
	im.ph[1].p_filesz = sizeof(im.note);
	im.note.namesz = 4;
	im.note.descsz = 4;
	im.note.type = 18;	/* XEN_ELFNOTE_PHYS32_ENTRY */
	memcpy(im.note.name, "Xen", 4);
	im.note.entry = 1 * MiB + 16;
	return im;
}

static struct kxen_pvh_elf out;

/* The same kernel as ELF32 (objcopy -O elf32-x86-64 of a PVH vmlinux looks so). */
struct image32 {
	Elf32_Ehdr eh;
	Elf32_Phdr ph[2];
	struct { uint32_t namesz, descsz, type; char name[4]; uint32_t entry; } note;
	unsigned char text[64];
};

static struct image32 good32(uint16_t machine)
{
	struct image32 im;

	memset(&im, 0, sizeof(im));
	memcpy(im.eh.e_ident, ELFMAG, SELFMAG);
	im.eh.e_ident[EI_CLASS] = ELFCLASS32;
	im.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im.eh.e_machine = machine;
	im.eh.e_phoff = offsetof(struct image32, ph);
	im.eh.e_phentsize = sizeof(Elf32_Phdr);
	im.eh.e_phnum = 2;
	im.ph[0].p_type = PT_LOAD;
	im.ph[0].p_offset = offsetof(struct image32, text);
	im.ph[0].p_paddr = 1 * MiB;
	im.ph[0].p_filesz = sizeof(im.text);
	im.ph[0].p_memsz = 4096;
	im.ph[1].p_type = PT_NOTE;
	im.ph[1].p_offset = offsetof(struct image32, note);
	im.ph[1].p_filesz = sizeof(im.note);
	im.note.namesz = 4;
	im.note.descsz = 4;
	im.note.type = 18;
	memcpy(im.note.name, "Xen", 4);
	im.note.entry = 1 * MiB + 32;
	return im;
}

START_TEST(elf_good)
{
	struct image im = good();

	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), 0);
	ck_assert_uint_eq(out.entry, 1 * MiB + 16);
	ck_assert_uint_eq(out.nr_segments, 1);
	ck_assert_uint_eq(out.seg[0].paddr, 1 * MiB);
	ck_assert_uint_eq(out.seg[0].filesz, 64);
	ck_assert_uint_eq(out.end, 1 * MiB + 4096);
}
END_TEST

START_TEST(elf_not_elf)
{
	struct image im = good();

	im.eh.e_ident[1] = 'X';
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -ENOEXEC);
	im = good();
	im.eh.e_machine = EM_386;
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -ENOEXEC);
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, 10, 8 * MiB, &out), -ENOEXEC);
}
END_TEST

START_TEST(elf32)
{
	struct image32 im = good32(EM_X86_64);

	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), 0);
	ck_assert_uint_eq(out.entry, 1 * MiB + 32);
	ck_assert_uint_eq(out.nr_segments, 1);
	ck_assert_uint_eq(out.seg[0].paddr, 1 * MiB);
	ck_assert_uint_eq(out.seg[0].offset, offsetof(struct image32, text));
	ck_assert_uint_eq(out.seg[0].filesz, 64);
	ck_assert_uint_eq(out.end, 1 * MiB + 4096);
	im = good32(EM_386);
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), 0);
	ck_assert_uint_eq(out.entry, 1 * MiB + 32);
	im = good32(EM_ARM);
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -ENOEXEC);
	/* Header there, program headers cut off; a 64-bit entry size in a 32-bit file. */
	im = good32(EM_X86_64);
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im.eh) + 8, 8 * MiB, &out), -EINVAL);
	im.eh.e_phentsize = sizeof(Elf64_Phdr);
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -EINVAL);
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im.eh) - 1, 8 * MiB, &out), -ENOEXEC);
}
END_TEST

START_TEST(elf_no_entry_note)
{
	struct image im = good();

	im.note.type = 6;	/* some other Xen note */
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -ENOEXEC);
	im = good();
	memcpy(im.note.name, "Xex", 4);
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -ENOEXEC);
}
END_TEST

START_TEST(elf_hostile_offsets)
{
	struct image im = good();

	im.eh.e_phoff = ~0ULL - 8;		/* wraps */
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -EINVAL);
	im = good();
	im.eh.e_phnum = 0xffff;			/* headers past the end */
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -EINVAL);
	im = good();
	im.ph[0].p_filesz = 1 << 20;		/* bytes past the end of the file */
	im.ph[0].p_memsz = 1 << 20;
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -EINVAL);
	im = good();
	im.ph[0].p_filesz = 128;		/* more file than memory */
	im.ph[0].p_memsz = 64;
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -EINVAL);
	im = good();
	im.note.namesz = 0xfffffff0;		/* a note longer than its segment */
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -ENOEXEC);
}
END_TEST

START_TEST(elf_outside_guest_memory)
{
	struct image im = good();

	im.ph[0].p_paddr = 8 * MiB - 64;	/* its bss runs past 8 MiB */
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -EFBIG);
	im = good();
	im.ph[0].p_paddr = ~0ULL - 100;		/* wraps */
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -EFBIG);
	im = good();
	im.note.entry = 9 * MiB;
	ck_assert_int_eq(kxen_pvh_elf_parse(&im, sizeof(im), 8 * MiB, &out), -EFBIG);
}
END_TEST

static unsigned char page[KXEN_ACPI_SIZE];

static int sum(const unsigned char *p, unsigned int n)
{
	unsigned char s = 0;

	while (n--)
		s += *p++;
	return s;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

#define GPA 0xfc000000ULL

START_TEST(acpi_tables)
{
	const unsigned char *rsdp = page, *xsdt, *madt, *fadt;
	unsigned int i;

	ck_assert_int_eq(kxen_pvh_acpi_build(page, GPA, 3), 0);
	ck_assert(!memcmp(rsdp, "RSD PTR ", 8));
	ck_assert_int_eq(sum(rsdp, 20), 0);
	ck_assert_int_eq(sum(rsdp, 36), 0);
	xsdt = page + (get64(rsdp + 24) - GPA);
	ck_assert(!memcmp(xsdt, "XSDT", 4));
	ck_assert_int_eq(sum(xsdt, get32(xsdt + 4)), 0);
	ck_assert_uint_eq(get32(xsdt + 4), 36 + 16);
	fadt = page + (get64(xsdt + 36) - GPA);
	madt = page + (get64(xsdt + 44) - GPA);
	ck_assert(!memcmp(fadt, "FACP", 4));
	ck_assert_int_eq(sum(fadt, get32(fadt + 4)), 0);
	ck_assert(get32(fadt + 112) & (1 << 20));	/* hardware-reduced */
	ck_assert(!memcmp(page + (get64(fadt + 140) - GPA), "DSDT", 4));
	ck_assert(!memcmp(madt, "APIC", 4));
	ck_assert_int_eq(sum(madt, get32(madt + 4)), 0);
	ck_assert_uint_eq(get32(madt + 4), 44 + 3 * 8);
	ck_assert_uint_eq(get32(madt + 36), 0xfee00000);
	for (i = 0; i < 3; i++) {
		const unsigned char *e = madt + 44 + 8 * i;

		ck_assert_uint_eq(e[0], 0);		/* local APIC */
		ck_assert_uint_eq(e[2], i);		/* processor id */
		ck_assert_uint_eq(e[3], 2 * i);		/* APIC ID 2 x vcpu */
		ck_assert_uint_eq(get32(e + 4), 1);	/* enabled */
	}
}
END_TEST

START_TEST(acpi_vcpu_bounds)
{
	ck_assert_int_eq(kxen_pvh_acpi_build(page, GPA, 0), -EINVAL);
	ck_assert_int_eq(kxen_pvh_acpi_build(page, GPA, 129), -EINVAL);
	ck_assert_int_eq(kxen_pvh_acpi_build(page, GPA, 64), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pvh");
	TCase *tc = tcase_create("pvh");

	tcase_add_test(tc, elf_good);
	tcase_add_test(tc, elf_not_elf);
	tcase_add_test(tc, elf32);
	tcase_add_test(tc, elf_no_entry_note);
	tcase_add_test(tc, elf_hostile_offsets);
	tcase_add_test(tc, elf_outside_guest_memory);
	tcase_add_test(tc, acpi_tables);
	tcase_add_test(tc, acpi_vcpu_bounds);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
