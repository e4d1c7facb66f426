/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a PVH kernel image: an ELF64 file whose XEN_ELFNOTE_PHYS32_ENTRY note gives
 * the 32-bit entry point, and whose PT_LOAD segments go at their physical addresses.
 * Pure logic: the image is untrusted bytes, every offset and size is checked.
 */
#ifndef KXEN_DOMU_PVH_ELF_H
#define KXEN_DOMU_PVH_ELF_H

#include "types.h"

#define KXEN_PVH_MAX_SEGMENTS	16

struct kxen_pvh_segment {
	u64 paddr;	/* where it goes in guest memory */
	u64 offset;	/* where its bytes are in the file */
	u64 filesz;	/* bytes from the file; the rest up to memsz is zero */
	u64 memsz;
};

struct kxen_pvh_elf {
	u32 entry;
	unsigned int nr_segments;
	struct kxen_pvh_segment seg[KXEN_PVH_MAX_SEGMENTS];
	u64 end;	/* first byte after the highest segment */
};

/*
 * Parse and check the image against a guest of mem_size bytes: 0, or -ENOEXEC (not a
 * 64-bit x86 ELF, or no PVH entry note), -EINVAL (bad offsets or sizes, too many
 * segments), -EFBIG (a segment beyond guest memory).
 */
int kxen_pvh_elf_parse(const void *image, size_t size, u64 mem_size, struct kxen_pvh_elf *out);

#endif
