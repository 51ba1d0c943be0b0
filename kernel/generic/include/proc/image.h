/*
 * Read-only program segments shared between tasks (proc/image.c). Every
 * task running a program maps the program's text and read-only data; the
 * pages of one segment with the same bytes are kept once and mapped
 * read-only into each of them (never writable again, so no task can tell
 * it shares them). A segment's pages live while some area maps them.
 *
 * Two sources: a boot module's bytes (program_create: known by their
 * physical address, immutable while the module is pinned) and user memory
 * (the loader's SYS_AS_AREA_CREATE_IMAGE). User bytes in an area over a
 * kept module's frames (the loader maps a module program with
 * SYS_MODULE_MAP) are known by their physical address too: one key for
 * every task of the program, whoever started it, and no byte read. Other
 * user bytes are known by their content, compared byte for byte with the
 * kept pages before they are shared.
 */
#ifndef KERN_PROC_IMAGE_H
#define KERN_PROC_IMAGE_H

#include <mm/as.h>
#include <types.h>

/** Maps at @a base of @a as an area of @a size bytes with @a flags (no
 *  AS_AREA_WRITE) holding the @a len bytes of a boot module kept for good
 *  (module_keep) at physical address @a src, then zeroes: the module's own
 *  frames when @a src is page-aligned, the zeroes fill the last page
 *  only and the module has them there, else a copy. EINVAL, EEXIST,
 *  ENOMEM, ELIMIT. */
errno_t image_map_module(
    as_t *as, uintptr_t base, size_t size, unsigned flags, paddr_t src, size_t len);

/** The same for the @a len bytes at user address @a src of the caller
 *  (EBADMEM if they are not all readable): image_map_module's pages when
 *  they lie in one area over a kept module's frames. */
errno_t image_map_user(
    as_t *as, uintptr_t base, size_t size, unsigned flags, uintptr_t src, size_t len);

/** Frees the kept segments no task maps any more (at a task's end, once its
 *  address space is gone). */
void image_sweep(void);

#endif
