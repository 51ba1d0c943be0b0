/*
 * The program loader's parts: the protocol server (loader.c), where
 * programs come from (source.c), mapping a program and building its initial
 * stack (image.c), what of the loader goes before the jump (leave.c), and
 * entering the program (arch/ARCH/run.S).
 *
 * Address-space plan: every program, the loader too, is built for the small
 * code model and so lies below 2 GiB. The loader is linked near the top of
 * that range (its image_base file) and a program must end below the
 * loader's image (program_space_end()). The loader's other areas lie far
 * above: AS_AREA_ANY areas from 1 TiB up, fibril stacks, the kernel-made
 * main stack. So no area of the loader can be where a valid program goes,
 * and the kernel refuses any area that would overlap one anyway.
 */
#ifndef LOADER_LOADER_H
#define LOADER_LOADER_H

#include <abi/errno.h>
#include <common/elf.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Where the loader's image starts (set from image_base at link time). */
extern const char __image_base[];

/** The end of the room for programs: the start of the loader's image. */
static inline uint64_t program_space_end(void)
{
	return (uintptr_t) __image_base;
}

/** The arguments as the protocol delivers them: @a argc NUL-terminated
 *  strings back to back in @a size bytes at @a strings. */
typedef struct {
	char *strings;
	size_t size;
	size_t argc;
} loader_args_t;

/** The last component of @a path (the whole of it without a '/'). */
static inline const char *path_last(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

/** The program at @a path whole in a new buffer (source_free() it): read
 *  from the file system, or a boot module mapped read-only; its size in
 *  *@a size. ENOENT when there is no such program. */
errno_t source_read(const char *path, char **image, size_t *size);
void source_free(char *image);

/** Maps the validated program @a elf (file bytes at @a image) into this
 *  task and builds its initial stack with @a args, the environment @a env
 *  (argc 0: empty), the working directory
 *  @a cwd and the descriptors @a files for stdin, stdout and stderr (-1:
 *  none); the stack pointer to start with in *@a sp, the stack area's base
 *  in *@a stack_base. On failure nothing stays mapped. */
errno_t image_load(const char *image, const elf_image_t *elf, const loader_args_t *args,
    const loader_args_t *env, const char *cwd, const int files[3], uintptr_t *sp,
    uintptr_t *stack_base);

/* The most areas leave_areas() names. */
#define LEAVE_AREAS_MAX 4

/** The bases of the loader's own writable areas that may go before the
 *  jump (leave.c), in @a bases; their count: the loader's data and bss,
 *  the calling fibril's stack, and the areas holding @a main_stack (an
 *  address in the kernel-made main stack) and @a heap_block (a live heap
 *  block); never the program's areas (its stack is the area at
 *  @a program_stack). */
size_t leave_areas(uintptr_t bases[LEAVE_AREAS_MAX], uintptr_t main_stack,
    const void *heap_block, uintptr_t program_stack);

/** Leaves the loader for good: RSP = @a sp, then destroys the @a count
 *  areas at @a unmap (leave_areas(): nothing of them is touched after),
 *  then RDI = @a sp, RBP = 0, jump to @a entry. The caller must be the
 *  task's only thread. */
_Noreturn void loader_enter_program(
    uintptr_t entry, uintptr_t sp, const uintptr_t *unmap, size_t count);

#endif
