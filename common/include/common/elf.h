/*
 * ELF64 executables: the subset Switchboard loads (static x86_64 ET_EXEC),
 * shared by the kernel (boot tasks) and the program loader. elf_parse()
 * validates an image completely before anything is mapped; it is pure and
 * host-tested against malformed images.
 */
#ifndef COMMON_ELF_H
#define COMMON_ELF_H

#include <abi/errno.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16

typedef struct {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
} elf64_ehdr_t;

typedef struct {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
} elf64_phdr_t;

/* Section headers and symbols: only read for symbolic backtraces (libc
 * backtrace.h), never needed to load a program. */
typedef struct {
	uint32_t name;
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
} elf64_shdr_t;

typedef struct {
	uint32_t name;
	uint8_t info;
	uint8_t other;
	uint16_t shndx;
	uint64_t value;
	uint64_t size;
} elf64_sym_t;

#define ELF_SHT_SYMTAB 2
#define ELF_STT_FUNC   2

#define ELF_PT_LOAD    1
#define ELF_PT_DYNAMIC 2
#define ELF_PT_INTERP  3
#define ELF_PF_X       1
#define ELF_PF_W       2
#define ELF_PF_R       4

typedef struct {
	uint64_t vaddr; /* page-aligned start of the mapping */
	uint64_t pages;
	uint64_t file_vaddr; /* where the file bytes go */
	uint64_t offset;     /* file offset of those bytes */
	uint64_t filesz;
	unsigned flags; /* AS_AREA_* */
} elf_segment_t;

typedef struct {
	uint64_t entry;
	size_t segment_count;
	elf_segment_t segments[ELF_MAX_SEGMENTS];
} elf_image_t;

/** Validates @a image of @a size bytes for user space below @a user_end.
 *  ENOEXEC for anything malformed or unsupported (with @a why set). */
errno_t elf_parse(const void *image, size_t size, uint64_t user_end, elf_image_t *out,
    const char **why);

#endif
