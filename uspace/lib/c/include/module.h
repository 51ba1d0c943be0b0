/*
 * The boot modules: the programs and files loaded with the kernel, each
 * named by the first word of its command line in boot/modules.list. Any task
 * may read them; the loader and init take programs and configuration from
 * here until a file system serves them.
 */
#ifndef LIBC_MODULE_H
#define LIBC_MODULE_H

#include <discard.h>

#include <abi/errno.h>
#include <stddef.h>
#include <stdint.h>

/** The size of module @a name in *@a size; ENOENT if there is none. */
_NODISCARD errno_t module_size(const char *name, uint64_t *size);
/** Reads @a size bytes from @a offset of module @a name into @a buf; EINVAL
 *  unless they all lie inside the module. */
_NODISCARD errno_t module_read(const char *name, uint64_t offset, void *buf, size_t size);
/** The whole module @a name in a new NUL-terminated buffer (free() it),
 *  its size in *@a size (unless NULL). */
_NODISCARD errno_t module_load(const char *name, char **data, size_t *size);

/** Takes module @a name over (PERM_TASK): its bytes, in the frames they
 *  were loaded into, become a new readable and writable area of this task
 *  at *@a base (@a *size bytes, zero after them to the page's end), and the
 *  module is gone for everyone; as_area_destroy(*base) frees its memory.
 *  ENOENT, EPERM, EBUSY (being read now). */
_NODISCARD errno_t module_take(const char *name, void **base, size_t *size);

/** Maps module @a name, an ELF file or a cpio archive, read-only at
 *  *@a base (*@a size bytes, zero after them to the page's end): its own
 *  frames, no copy, never written; it is never taken from then on.
 *  as_area_destroy(*base) unmaps it. ENOENT, ENOEXEC (neither an ELF file
 *  nor a cpio archive), ENOTSUP (not mappable whole: read it). */
_NODISCARD errno_t module_map(const char *name, void **base, size_t *size);

#endif
