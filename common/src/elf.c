/*
 * ELF64 validation (see elf.h). Every offset and size is checked against the
 * image and every address against user space with overflow-safe arithmetic.
 */
#include <common/elf.h>
#include <abi/proc.h>
#include <common/arch/page.h>
#include <common/str.h>
#include <stdbool.h>

#define PAGE ((uint64_t) PAGE_SIZE)

static errno_t reject(const char **why, const char *reason)
{
	*why = reason;
	return ENOEXEC;
}

static errno_t check_header(const elf64_ehdr_t *eh, size_t size, const char **why)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
	if (size < sizeof(*eh) || memcmp(eh->ident, magic, 4) != 0)
		return reject(why, "not an ELF file");
	if (eh->ident[4] != 2 || eh->ident[5] != 1 || eh->ident[6] != 1)
		return reject(why, "not a little-endian ELF64 file");
	if (eh->type != 2 || eh->machine != 62 || eh->version != 1)
		return reject(why, "not an x86_64 executable");
	if (eh->phentsize != sizeof(elf64_phdr_t) || eh->phnum == 0 || eh->phnum > 64)
		return reject(why, "bad program header table");
	if (eh->phoff > size || (size - eh->phoff) / sizeof(elf64_phdr_t) < eh->phnum)
		return reject(why, "program headers outside the file");
	return EOK;
}

static unsigned segment_flags(uint32_t pf)
{
	unsigned f = AS_AREA_READ | AS_AREA_CACHEABLE;
	if (pf & ELF_PF_W)
		f |= AS_AREA_WRITE;
	if (pf & ELF_PF_X)
		f |= AS_AREA_EXEC;
	return f;
}

static errno_t check_segment(const elf64_phdr_t *ph, size_t size, uint64_t user_end,
    elf_segment_t *seg, const char **why)
{
	if (ph->filesz > ph->memsz)
		return reject(why, "segment file size exceeds its memory size");
	if (ph->offset > size || ph->filesz > size - ph->offset)
		return reject(why, "segment data outside the file");
	if (ph->memsz == 0)
		return reject(why, "empty loadable segment");
	if (ph->vaddr < USER_ADDRESS_MIN || ph->vaddr >= user_end ||
	    ph->memsz > user_end - ph->vaddr)
		return reject(why, "segment outside user space");
	if ((ph->flags & ELF_PF_W) && (ph->flags & ELF_PF_X))
		return reject(why, "segment both writable and executable");
	uint64_t start = ph->vaddr & ~(PAGE - 1);
	uint64_t end = (ph->vaddr + ph->memsz + PAGE - 1) & ~(PAGE - 1);
	seg->vaddr = start;
	seg->pages = (end - start) / PAGE;
	seg->file_vaddr = ph->vaddr;
	seg->offset = ph->offset;
	seg->filesz = ph->filesz;
	seg->flags = segment_flags(ph->flags);
	return EOK;
}

static bool segments_overlap(const elf_segment_t *a, const elf_segment_t *b)
{
	return a->vaddr < b->vaddr + b->pages * PAGE &&
	    b->vaddr < a->vaddr + a->pages * PAGE;
}

static bool entry_in_code(const elf_image_t *img)
{
	for (size_t i = 0; i < img->segment_count; i++) {
		const elf_segment_t *s = &img->segments[i];
		if ((s->flags & AS_AREA_EXEC) && img->entry >= s->vaddr &&
		    img->entry < s->vaddr + s->pages * PAGE)
			return true;
	}
	return false;
}

errno_t elf_parse(
    const void *image, size_t size, uint64_t user_end, elf_image_t *out, const char **why)
{
	const elf64_ehdr_t *eh = image;
	errno_t rc = check_header(eh, size, why);
	if (rc != EOK)
		return rc;
	const elf64_phdr_t *ph = (const elf64_phdr_t *) ((const uint8_t *) image +
	    eh->phoff);
	out->segment_count = 0;
	out->entry = eh->entry;
	for (size_t i = 0; i < eh->phnum; i++) {
		if (ph[i].type == ELF_PT_INTERP || ph[i].type == ELF_PT_DYNAMIC)
			return reject(why, "dynamically linked");
		if (ph[i].type != ELF_PT_LOAD)
			continue;
		if (out->segment_count == ELF_MAX_SEGMENTS)
			return reject(why, "too many loadable segments");
		elf_segment_t *seg = &out->segments[out->segment_count];
		rc = check_segment(&ph[i], size, user_end, seg, why);
		if (rc != EOK)
			return rc;
		for (size_t j = 0; j < out->segment_count; j++) {
			if (segments_overlap(seg, &out->segments[j]))
				return reject(why, "segments share a page");
		}
		out->segment_count++;
	}
	if (out->segment_count == 0)
		return reject(why, "no loadable segments");
	if (!entry_in_code(out))
		return reject(why, "entry point outside executable code");
	return EOK;
}
