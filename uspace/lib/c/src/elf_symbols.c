/*
 * The function symbols of an ELF64 program (its .symtab), for symbolic
 * backtraces (backtrace.h). Pure: host-tested (test/host/elf_symbols_test.c).
 */
#include "elf_symbols.h"
#include <common/elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/** Whether [off, off + size) lies in an image of @a total bytes. */
static bool inside(uint64_t off, uint64_t size, size_t total)
{
	return off <= total && size <= total - off;
}

static int function_cmp(const void *a, const void *b)
{
	const elf_function_t *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/** The symbol table's section header and its string table's; ENOEXEC. */
static errno_t symtab_find(
    const uint8_t *image, size_t size, const elf64_shdr_t **sym, const elf64_shdr_t **str)
{
	const elf64_ehdr_t *eh = (const elf64_ehdr_t *) image;
	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) != 0 ||
	    eh->ident[4] != 2 || eh->shentsize != sizeof(elf64_shdr_t) ||
	    !inside(eh->shoff, (uint64_t) eh->shnum * sizeof(elf64_shdr_t), size))
		return ENOEXEC;
	const elf64_shdr_t *sh = (const elf64_shdr_t *) (image + eh->shoff);
	for (unsigned i = 0; i < eh->shnum; i++) {
		if (sh[i].type != ELF_SHT_SYMTAB || sh[i].link >= eh->shnum)
			continue;
		*sym = &sh[i];
		*str = &sh[sh[i].link];
		bool ok = inside((*sym)->offset, (*sym)->size, size) &&
		    inside((*str)->offset, (*str)->size, size) && (*str)->size > 0 &&
		    image[(*str)->offset + (*str)->size - 1] == '\0';
		return ok ? EOK : ENOEXEC;
	}
	return ENOEXEC;
}

errno_t elf_symbols_parse(void *image, size_t size, elf_symbols_t *syms)
{
	memset(syms, 0, sizeof(*syms));
	syms->image = image;
	const elf64_shdr_t *symh, *strh;
	errno_t rc = symtab_find(image, size, &symh, &strh);
	if (rc != EOK)
		return rc;
	const elf64_sym_t *s = (const elf64_sym_t *) ((uint8_t *) image + symh->offset);
	size_t n = symh->size / sizeof(*s);
	syms->funcs = malloc((n > 0 ? n : 1) * sizeof(elf_function_t));
	if (syms->funcs == NULL)
		return ENOMEM;
	const char *strings = (const char *) image + strh->offset;
	for (size_t i = 0; i < n; i++) {
		/* Functions defined here (not undefined imports, section 0). */
		if ((s[i].info & 0xf) != ELF_STT_FUNC || s[i].shndx == 0 ||
		    s[i].name >= strh->size)
			continue;
		syms->funcs[syms->count++] = (elf_function_t){
		    s[i].value, s[i].size, strings + s[i].name};
	}
	qsort(syms->funcs, syms->count, sizeof(elf_function_t), function_cmp);
	return EOK;
}

void elf_symbols_free(elf_symbols_t *syms)
{
	free(syms->funcs);
	free(syms->image);
	memset(syms, 0, sizeof(*syms));
}

const char *elf_symbols_find(const elf_symbols_t *syms, uintptr_t addr, uintptr_t *offset)
{
	size_t lo = 0, hi = syms->count;
	while (lo < hi) { /* the first function above addr */
		size_t mid = (lo + hi) / 2;
		if (syms->funcs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const elf_function_t *f = &syms->funcs[lo - 1];
	if (f->size != 0 && addr - f->addr >= f->size)
		return NULL;
	*offset = addr - f->addr;
	return f->name;
}
