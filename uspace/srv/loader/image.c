/*
 * Mapping a program into the loader's own task (which becomes the
 * program's) and building its initial stack.
 *
 * A read-only segment (text, constants) is mapped from pages the kernel
 * shares between all tasks running the same bytes. Any other segment gets
 * an anonymous area at its address, writable while its file bytes are
 * copied in (the rest stays zero: bss), then the segment's own rights
 * (never writable and executable at once): each task's private data. The stack is a fresh
 * area anywhere; from its top down: the working directory, the argument
 * strings, the environment's strings, then, 16-byte aligned at the initial
 * RSP, argc, argv[], NULL, envp[], NULL and the auxiliary vector (AT_SB_CWD, AT_NULL), as
 * abi/loader.h and crt0.S say.
 */
#include "loader.h"
#include <abi/loader.h>
#include <abi/proc.h>
#include <as.h>
#include <assert.h>
#include <common/arch/page.h>

#define STACK_SIZE (1024 * 1024)
#define AREA_RW	   (AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE)
/* Stack words besides argv[] and envp[]: argc, their NULLs, at most five
 * auxv pairs (cwd, three files, the end). */
#define STACK_FIXED_WORDS 13
/* The largest initial stack block: the strings, the words, alignment. */
#define STACK_BLOCK_MAX \
	(LOADER_PATH_MAX + 1 + LOADER_ARGS_MAX + LOADER_ENV_MAX + \
	    (LOADER_ARGC_MAX + LOADER_ENVC_MAX + STACK_FIXED_WORDS) * sizeof(uint64_t) + \
	    16)

_Static_assert(STACK_BLOCK_MAX <= STACK_SIZE, "the initial stack block fits");

/** Destroys the area the loader just made at @a base. */
static void area_discard(uintptr_t base)
{
	errno_t rc = as_area_destroy(base);
	assert(rc == EOK); /* ours, at exactly that base */
	(void) rc;
}

/** Maps @a seg with the bytes of @a image it holds. A read-only segment
 *  whose bytes start at its start shares its pages with every other task
 *  of the program (as_area_create_image); any other gets a private copy. */
static errno_t segment_map(const char *image, const elf_segment_t *seg)
{
	size_t size = seg->pages * PAGE_SIZE;
	if (!(seg->flags & AS_AREA_WRITE) && seg->file_vaddr == seg->vaddr)
		return as_area_create_image(
		    seg->vaddr, size, seg->flags, image + seg->offset, seg->filesz);
	uintptr_t base = seg->vaddr;
	errno_t rc = as_area_create(&base, size, AREA_RW);
	if (rc != EOK)
		return rc;
	memcpy((void *) seg->file_vaddr, image + seg->offset, seg->filesz);
	rc = as_area_change_flags(base, seg->flags);
	if (rc != EOK)
		area_discard(base);
	return rc;
}

/** Unmaps the first @a count segments of @a elf. */
static void segments_unmap(const elf_image_t *elf, size_t count)
{
	for (size_t i = 0; i < count; i++)
		area_discard(elf->segments[i].vaddr);
}

static errno_t segments_map(const char *image, const elf_image_t *elf)
{
	for (size_t i = 0; i < elf->segment_count; i++) {
		errno_t rc = segment_map(image, &elf->segments[i]);
		if (rc != EOK) {
			segments_unmap(elf, i);
			return rc;
		}
	}
	return EOK;
}

/** Copies @a size bytes from @a src to just below *@a top, which moves down
 *  to them. */
static char *stack_push(uintptr_t *top, const void *src, size_t size)
{
	*top -= size;
	return memcpy((void *) *top, src, size);
}

/** Writes a pointer to each of the @a count strings at @a str from @a w
 *  on, then a NULL; returns the word after it. */
static uint64_t *vector_fill(uint64_t *w, const char *str, size_t count)
{
	for (size_t i = 0; i < count; i++, str += strlen(str) + 1)
		*w++ = (uint64_t) str;
	*w++ = 0;
	return w;
}

/** Lays the initial stack block out in the stack area ending at @a top;
 *  returns the initial RSP. */
static uintptr_t stack_fill(uintptr_t top, const loader_args_t *args,
    const loader_args_t *env, const char *cwd, const int files[3])
{
	const char *cwd_copy = stack_push(&top, cwd, strlen(cwd) + 1);
	const char *str = stack_push(&top, args->strings, args->size);
	const char *env_str = env->argc > 0 ? stack_push(&top, env->strings, env->size)
					    : NULL;
	size_t words = args->argc + env->argc + STACK_FIXED_WORDS;
	uint64_t *sp = (uint64_t *) ((top - words * sizeof(uint64_t)) & ~(uintptr_t) 15);
	uint64_t *w = sp;
	*w++ = args->argc;
	w = vector_fill(w, str, args->argc);
	w = vector_fill(w, env_str, env->argc);
	*w++ = AT_SB_CWD;
	*w++ = (uint64_t) cwd_copy;
	static const uint64_t file_types[3] = {AT_SB_STDIN, AT_SB_STDOUT, AT_SB_STDERR};
	for (int i = 0; i < 3; i++) {
		if (files[i] >= 0) {
			*w++ = file_types[i];
			*w++ = (uint64_t) files[i];
		}
	}
	*w++ = AT_NULL;
	*w = 0;
	return (uintptr_t) sp;
}

errno_t image_load(const char *image, const elf_image_t *elf, const loader_args_t *args,
    const loader_args_t *env, const char *cwd, const int files[3], uintptr_t *sp,
    uintptr_t *stack_base)
{
	errno_t rc = segments_map(image, elf);
	if (rc != EOK)
		return rc;
	uintptr_t stack = AS_AREA_ANY;
	rc = as_area_create(&stack, STACK_SIZE, AREA_RW | AS_AREA_NORESERVE);
	if (rc != EOK) {
		segments_unmap(elf, elf->segment_count);
		return rc;
	}
	*sp = stack_fill(stack + STACK_SIZE, args, env, cwd, files);
	*stack_base = stack;
	return EOK;
}
