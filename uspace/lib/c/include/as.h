/*
 * The task's address space: areas are ranges of pages with one set of rights
 * (AS_AREA_* in abi/proc.h; never writable and executable at once),
 * demand-paged and zero-filled. Sizes are rounded up to whole pages.
 */
#ifndef LIBC_AS_H
#define LIBC_AS_H

#include <discard.h>

#include <abi/errno.h>
#include <abi/proc.h>
#include <stddef.h>
#include <stdint.h>

/** Creates an area of @a size bytes at *@a base, or wherever the kernel
 *  chooses when *@a base is AS_AREA_ANY; stores the base in *@a base. */
_NODISCARD errno_t as_area_create(uintptr_t *base, size_t size, unsigned flags);
/** Grows or shrinks the area at @a base in place (fails if it cannot grow
 *  there). */
_NODISCARD errno_t as_area_resize(uintptr_t base, size_t size);
_NODISCARD errno_t as_area_destroy(uintptr_t base);
/** Unmaps [@a addr, @a addr + @a size) of the one area it lies in: its end
 *  shrinks the area, its start moves its base, its middle splits it in two;
 *  all of it destroys it. EINVAL (unaligned, size 0, past the area's end),
 *  ENOENT (no area at @a addr), ENOTSUP (DMA memory), ENOMEM. */
_NODISCARD errno_t as_area_unmap(uintptr_t addr, size_t size);
/** Writes the written pages of the shared writable file mappings
 *  (AS_PAGER_WRITEBACK) in [@a addr, @a addr + @a size) back to their
 *  pagers and waits until each has stored its page (msync). EINVAL
 *  (unaligned, size 0), ENOENT (a page of the range is not mapped), or
 *  the pager's error (EIO, ENOSPC, EHANGUP; those pages stay written). */
_NODISCARD errno_t as_area_sync(uintptr_t addr, size_t size);
/** Describes the area that contains @a addr; ENOENT if none does. */
_NODISCARD errno_t as_area_query(uintptr_t addr, as_area_info_t *info);
/** Gives the area at @a base new rights (anonymous areas not shared). */
_NODISCARD errno_t as_area_change_flags(uintptr_t base, unsigned flags);
/** A read-only area at @a base of @a size bytes with @a flags (no
 *  AS_AREA_WRITE, now or later: EINVAL) holding the @a len bytes at @a src,
 *  then zeroes: a program's text. Its pages are shared with every other
 *  area of the same bytes (the kernel compares them all first). EINVAL,
 *  EEXIST, EBADMEM, ENOMEM, ELIMIT. */
_NODISCARD errno_t as_area_create_image(
    uintptr_t base, size_t size, unsigned flags, const void *src, size_t len);
/** Maps @a size bytes of device memory at physical @a phys (PERM_PHYSMEM);
 *  stores the chosen base in *@a base. EPERM for RAM and for the interrupt
 *  controllers only the kernel drives (the local and I/O APICs). */
_NODISCARD errno_t physmem_map(
    uintptr_t phys, size_t size, unsigned flags, uintptr_t *base);
/** Allocates @a size bytes (rounded up to pages, at most DMAMEM_MAX) of
 *  zeroed, physically contiguous memory for a device to reach by DMA and
 *  maps it read-write; *@a virt is where this task sees it, *@a phys where
 *  the device does. @a flags: 0 or DMAMEM_BELOW_4G. A driver holding a device
 *  grant or a task with PERM_PHYSMEM; EPERM otherwise, EINVAL for a size of 0
 *  or too large or an unknown flag, ENOMEM. Free it with as_area_destroy(). */
_NODISCARD errno_t dmamem_map_anonymous(
    size_t size, unsigned flags, void **virt, uintptr_t *phys);

#endif
