// SPDX-License-Identifier: GPL-2.0
/*
 * The PVH kernel image, as libxenguest's libelf reads it for a PVH guest: ELF64 or
 * ELF32 for x86, segments at p_paddr, entry from the XEN_ELFNOTE_PHYS32_ENTRY note (Linux:
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

/*
 * The ELF header, as ELF64 whatever the class: a PVH kernel may be ELF32 (what
 * objcopy -O elf32-x86-64 makes of a 64-bit kernel, or an i386 one), and libelf
 * loads both alike, PVH starting them in 32-bit protected mode either way.
 */
static int read_ehdr(const unsigned char *img, size_t size, Elf64_Ehdr *eh)
{
	Elf32_Ehdr e;

	if (size < EI_NIDENT || memcmp(img, ELFMAG, SELFMAG) || img[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	if (img[EI_CLASS] == ELFCLASS64) {
		if (size < sizeof(*eh))
			return -ENOEXEC;
		memcpy(eh, img, sizeof(*eh));
		return eh->e_machine == EM_X86_64 ? 0 : -ENOEXEC;
	}
	if (img[EI_CLASS] != ELFCLASS32 || size < sizeof(e))
		return -ENOEXEC;
	memcpy(&e, img, sizeof(e));
	if (e.e_machine != EM_X86_64 && e.e_machine != EM_386)
		return -ENOEXEC;
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, e.e_ident, EI_NIDENT);
	eh->e_machine = e.e_machine;
	eh->e_phoff = e.e_phoff;
	eh->e_phentsize = e.e_phentsize == sizeof(Elf32_Phdr) ? sizeof(Elf64_Phdr) : 0;
	eh->e_phnum = e.e_phnum;
	return 0;
}

/* Program header i, as ELF64. The caller checked that the table is inside. */
static void read_phdr(const unsigned char *img, const Elf64_Ehdr *eh, unsigned int i,
		      Elf64_Phdr *ph)
{
	Elf32_Phdr p;

	if (eh->e_ident[EI_CLASS] == ELFCLASS64) {
		memcpy(ph, img + eh->e_phoff + i * sizeof(*ph), sizeof(*ph));
		return;
	}
	memcpy(&p, img + eh->e_phoff + i * sizeof(p), sizeof(p));
	ph->p_type = p.p_type;
	ph->p_offset = p.p_offset;
	ph->p_paddr = p.p_paddr;
	ph->p_filesz = p.p_filesz;
	ph->p_memsz = p.p_memsz;
}

int kxen_pvh_elf_parse(const void *image, size_t size, u64 mem_size, struct kxen_pvh_elf *out)
{
	const unsigned char *img = image;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	bool have_entry = false;
	unsigned int i;
	u64 phsz;
	int err;

	memset(out, 0, sizeof(*out));
	err = read_ehdr(img, size, &eh);
	if (err)
		return err;
	phsz = eh.e_ident[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (eh.e_phentsize != sizeof(ph) || !eh.e_phnum ||
	    !inside(eh.e_phoff, (u64)eh.e_phnum * phsz, size))
		return -EINVAL;

	for (i = 0; i < eh.e_phnum; i++) {
		struct kxen_pvh_segment *s;

		read_phdr(img, &eh, i, &ph);
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
