/*
 * The ELF symbol reader of symbolic backtraces (src/elf_symbols.c), on the
 * host: this test program's own file names its functions, and malformed or
 * stripped images are refused with ENOEXEC.
 */
#include "host_test.h"
#include "elf_symbols.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) int elf_test_marker_one(int x)
{
	return x * 3 + 1;
}

__attribute__((noinline)) int elf_test_marker_two(int x)
{
	return x * 5 + 2;
}

/** This program's file, whole, in a malloc'd buffer. */
static void *self_image(size_t *size)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *buf = n > 0 ? malloc((size_t) n) : NULL;
	if (buf != NULL && fread(buf, 1, (size_t) n, f) != (size_t) n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t) n;
	return buf;
}

static const elf_function_t *by_name(const elf_symbols_t *syms, const char *name)
{
	for (size_t i = 0; i < syms->count; i++) {
		if (strcmp(syms->funcs[i].name, name) == 0)
			return &syms->funcs[i];
	}
	return NULL;
}

HOST_TEST(symbols_name_the_functions_of_a_program)
{
	size_t size;
	void *image = self_image(&size);
	CHECK(image != NULL);
	elf_symbols_t syms;
	CHECK(elf_symbols_parse(image, size, &syms) == EOK);
	const elf_function_t *one = by_name(&syms, "elf_test_marker_one");
	const elf_function_t *two = by_name(&syms, "elf_test_marker_two");
	CHECK(one != NULL && two != NULL && one->size > 0);
	/* The file's addresses are as far apart as the running ones. */
	CHECK(two->addr - one->addr ==
	    (uintptr_t) elf_test_marker_two - (uintptr_t) elf_test_marker_one);
	uintptr_t off = 0;
	const char *name = elf_symbols_find(&syms, one->addr + 1, &off);
	CHECK(name != NULL && strcmp(name, "elf_test_marker_one") == 0 && off == 1);
	CHECK(elf_symbols_find(&syms, syms.funcs[0].addr - 1, &off) == NULL);
	for (size_t i = 1; i < syms.count; i++)
		CHECK(syms.funcs[i - 1].addr <= syms.funcs[i].addr);
	elf_symbols_free(&syms);
}

/** elf_symbols_parse of the first @a keep bytes of this program, with
 *  @a patch applied at @a at (if any). */
static errno_t parse_damaged(size_t keep, size_t at, const void *patch, size_t len)
{
	size_t size;
	uint8_t *image = self_image(&size);
	if (image == NULL)
		return ENOMEM;
	if (keep < size)
		size = keep;
	if (patch != NULL)
		memcpy(image + at, patch, len);
	elf_symbols_t syms;
	errno_t rc = elf_symbols_parse(image, size, &syms);
	elf_symbols_free(&syms);
	return rc;
}

HOST_TEST(damaged_or_stripped_images_are_refused)
{
	CHECK(parse_damaged(16, 0, NULL, 0) == ENOEXEC); /* shorter than a header */
	CHECK(parse_damaged((size_t) -1, 0, "\177ELG", 4) == ENOEXEC); /* not ELF */
	const uint64_t far = 1ull << 40;
	CHECK(parse_damaged((size_t) -1, 40, &far, 8) == ENOEXEC); /* headers outside */
	const uint16_t none = 0;
	CHECK(parse_damaged((size_t) -1, 60, &none, 2) == ENOEXEC); /* no sections */
	CHECK(parse_damaged(4096, 0, NULL, 0) == ENOEXEC); /* cut: sections gone */
}
