/*
 * The function symbols of an ELF64 program, sorted by address, for symbolic
 * backtraces (backtrace.h). elf_symbols_parse and elf_symbols_find are pure
 * (host-tested); elf_symbols_load reads the file (backtrace.c).
 */
#ifndef LIBC_ELF_SYMBOLS_H
#define LIBC_ELF_SYMBOLS_H

#include <abi/errno.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uintptr_t addr;
	size_t size;
	const char *name; /* in image */
} elf_function_t;

/** The function symbols of one program, sorted by address. */
typedef struct {
	void *image; /* the whole file */
	elf_function_t *funcs;
	size_t count;
} elf_symbols_t;

/** Reads the function symbols of the ELF file @a path. ENOENT, ENOMEM,
 *  ENOEXEC (not ELF64, or no symbol table: a stripped program). */
errno_t elf_symbols_load(const char *path, elf_symbols_t *syms);
/** The same from a malloc'd image in memory, which @a syms then owns, also
 *  on failure (freed by elf_symbols_free). */
errno_t elf_symbols_parse(void *image, size_t size, elf_symbols_t *syms);
void elf_symbols_free(elf_symbols_t *syms);
/** The function containing @a addr and the offset into it; NULL if none. */
const char *elf_symbols_find(
    const elf_symbols_t *syms, uintptr_t addr, uintptr_t *offset);

#endif
