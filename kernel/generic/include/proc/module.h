/*
 * The boot modules' lifetime (proc/module.c). A module stays in the frames
 * GRUB loaded it into, outside the frame allocator, until a task takes it
 * over (module_take): its frames then become that task's anonymous memory
 * and the module is gone from the list. A reader pins a module while it
 * copies from it, so a module is never taken from under a reader.
 */
#ifndef KERN_PROC_MODULE_H
#define KERN_PROC_MODULE_H

#include <boot.h>
#include <mm/as.h>
#include <types.h>

/** Finds the module whose command line starts with the word @a name and
 *  pins it (ENOENT: none, or taken); module_unpin() it when done. */
errno_t module_pin(const char *name, const boot_module_t **module);
void module_unpin(const boot_module_t *module);
/** Pins the pinned @a module for good (once; later calls do nothing): its
 *  frames may then be mapped into tasks, read-only (proc/image.h), and it
 *  is never taken (module_take is EBUSY); they count as memory in use
 *  (frame_hold) from then on, as a taken module's do. The kernel does so
 *  with every module it runs as a program. */
void module_keep(const boot_module_t *module);

/**
 * Hands module @a name over to @a as: a new readable and writable area
 * anywhere (its base in *@a base, the module's size in bytes in *@a size)
 * holds the module's bytes in the very frames they were loaded into, zero
 * after them to the page's end; destroying the area frees the frames. The
 * module is then gone (ENOENT for everyone). ENOENT: no such module; EBUSY:
 * it is being read now; ENOTSUP: it does not start on a page boundary;
 * ELIMIT, ENOMEM: nothing changed.
 */
errno_t module_take(as_t *as, const char *name, uintptr_t *base, uint64_t *size);

/**
 * Maps module @a name, an ELF file or a cpio archive, into @a as read-only
 * (never writable)
 * anywhere: its base in *@a base, its size in bytes in *@a size; the
 * module's own frames, no copy. The module is kept for good (module_keep),
 * so read-only segments mapped from there (proc/image.h) are the same
 * pages the kernel maps for it. ENOENT: no such module (or taken);
 * ENOEXEC: neither an ELF file nor a cpio archive; ENOTSUP: not page-aligned, or other bytes in
 * its last page; ELIMIT, ENOMEM, nothing changed.
 */
errno_t module_map(as_t *as, const char *name, uintptr_t *base, uint64_t *size);

#endif
