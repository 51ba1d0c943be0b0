/*
 * ELF validation against well-formed and deliberately broken images.
 */
#include "host_test.h"
#include <common/elf.h>
#include <string.h>

#define USER_END 0x0000800000000000ull

typedef struct {
	elf64_ehdr_t eh;
	elf64_phdr_t ph[3];
	uint8_t data[64];
} image_t;

/** A valid image: code at 0x400000 (RX), data at 0x401000 (RW, with bss). */
static void make_image(image_t *img)
{
	memset(img, 0, sizeof(*img));
	static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	memcpy(img->eh.ident, ident, sizeof(ident));
	img->eh.type = 2;
	img->eh.machine = 62;
	img->eh.version = 1;
	img->eh.entry = 0x400010;
	img->eh.phoff = offsetof(image_t, ph);
	img->eh.phentsize = sizeof(elf64_phdr_t);
	img->eh.phnum = 2;
	img->ph[0] = (elf64_phdr_t){.type = ELF_PT_LOAD,
	    .flags = ELF_PF_R | ELF_PF_X,
	    .offset = offsetof(image_t, data),
	    .vaddr = 0x400000,
	    .filesz = 32,
	    .memsz = 32};
	img->ph[1] = (elf64_phdr_t){.type = ELF_PT_LOAD,
	    .flags = ELF_PF_R | ELF_PF_W,
	    .offset = offsetof(image_t, data) + 32,
	    .vaddr = 0x401000,
	    .filesz = 32,
	    .memsz = 0x3000};
}

static errno_t parse(image_t *img, size_t size)
{
	elf_image_t out;
	const char *why = NULL;
	errno_t rc = elf_parse(img, size, USER_END, &out, &why);
	if (rc == EOK) {
		if (out.segment_count != 2 || out.segments[1].pages != 3)
			return EINVAL;
	} else if (why == NULL) {
		return EINVAL; /* every rejection says why */
	}
	return rc;
}

HOST_TEST(accepts_a_valid_image)
{
	image_t img;
	make_image(&img);
	CHECK_EQ(parse(&img, sizeof(img)), EOK);
}

HOST_TEST(rejects_bad_headers)
{
	image_t img;
	make_image(&img);
	CHECK_EQ(parse(&img, 10), ENOEXEC); /* truncated */
	img.eh.ident[1] = 'X';
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* bad magic */
	make_image(&img);
	img.eh.ident[4] = 1;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* ELF32 */
	make_image(&img);
	img.eh.machine = 3;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* i386 */
	make_image(&img);
	img.eh.type = 3;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* shared object */
	make_image(&img);
	img.eh.phoff = sizeof(img) - 8;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* headers past the end */
	make_image(&img);
	img.eh.phoff = UINT64_MAX - 8;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* offset overflow */
	make_image(&img);
	img.eh.phnum = 0;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC);
	make_image(&img);
	img.eh.phentsize = 10;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC);
}

HOST_TEST(rejects_bad_segments)
{
	image_t img;
	make_image(&img);
	img.ph[0].filesz = 1000;
	img.ph[0].memsz = 1000;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* data past the file */
	make_image(&img);
	img.ph[1].filesz = img.ph[1].memsz + 1;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* filesz > memsz */
	make_image(&img);
	img.ph[1].vaddr = 0xffffffff80000000ull;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* in the kernel half */
	make_image(&img);
	img.ph[1].vaddr = USER_END - 0x1000;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* straddles the end */
	make_image(&img);
	img.ph[1].memsz = UINT64_MAX;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* size overflow */
	make_image(&img);
	img.ph[0].vaddr = 0;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* page zero */
	make_image(&img);
	img.ph[1].flags |= ELF_PF_X;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* W+X */
	make_image(&img);
	img.ph[1].vaddr = 0x400800;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* shares a page */
	make_image(&img);
	img.eh.entry = 0x401000;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* entry in data */
	make_image(&img);
	img.eh.phnum = 3;
	img.ph[2].type = ELF_PT_INTERP;
	CHECK_EQ(parse(&img, sizeof(img)), ENOEXEC); /* dynamic */
}
