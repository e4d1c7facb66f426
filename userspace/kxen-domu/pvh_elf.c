// SPDX-License-Identifier: GPL-2.0
/*
 * The PVH kernel image, as libxenguest's libelf reads it for a PVH guest: ELF64 for
 * x86-64, segments at p_paddr, entry from the XEN_ELFNOTE_PHYS32_ENTRY note (Linux:
 * arch/x86/platform/pvh/head.S). See pvh_elf.h.
 */
#include <elf.h>

#include "pvh_elf.h"

#define XEN_ELFNOTE_PHYS32_ENTRY	18

/* [off, off + len) inside [0, size), without overflow. */
static bool inside(u64 off, u64 len, u64 size)
{
	return off <= size && len <= size - off;
}

static u32 get32(const unsigned char *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Look through one PT_NOTE segment for Xen's PHYS32_ENTRY note. */
static bool find_entry(const unsigned char *note, u64 len, u32 *entry)
{
	while (len >= 12) {
		u64 namesz = get32(note), descsz = get32(note + 4), type = get32(note + 8);
		u64 name_al = (namesz + 3) & ~3ULL, desc_al = (descsz + 3) & ~3ULL;

		if (name_al > len - 12 || desc_al > len - 12 - name_al)
			return false;
		if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 &&
		    !memcmp(note + 12, "Xen", 4) && (descsz == 4 || descsz == 8)) {
			*entry = get32(note + 12 + name_al);	/* little-endian: low half */
			return true;
		}
		note += 12 + name_al + desc_al;
		len -= 12 + name_al + desc_al;
	}
	return false;
}

int kxen_pvh_elf_parse(const void *image, size_t size, u64 mem_size, struct kxen_pvh_elf *out)
{
	const unsigned char *img = image;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	bool have_entry = false;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (size < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh.e_phentsize != sizeof(ph) || !eh.e_phnum ||
	    !inside(eh.e_phoff, (u64)eh.e_phnum * sizeof(ph), size))
		return -EINVAL;

	for (i = 0; i < eh.e_phnum; i++) {
		struct kxen_pvh_segment *s;

		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_NOTE) {
			if (!inside(ph.p_offset, ph.p_filesz, size))
				return -EINVAL;
			if (!have_entry)
				have_entry = find_entry(img + ph.p_offset, ph.p_filesz,
							&out->entry);
			continue;
		}
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (out->nr_segments == KXEN_PVH_MAX_SEGMENTS)
			return -EINVAL;
		if (ph.p_filesz > ph.p_memsz || !inside(ph.p_offset, ph.p_filesz, size))
			return -EINVAL;
		if (!inside(ph.p_paddr, ph.p_memsz, mem_size))
			return -EFBIG;
		s = &out->seg[out->nr_segments++];
		s->paddr = ph.p_paddr;
		s->offset = ph.p_offset;
		s->filesz = ph.p_filesz;
		s->memsz = ph.p_memsz;
		if (s->paddr + s->memsz > out->end)
			out->end = s->paddr + s->memsz;
	}
	if (!have_entry || !out->nr_segments)
		return -ENOEXEC;
	if (out->entry >= mem_size)
		return -EFBIG;
	return 0;
}
