/*
 * Hardware resources granted to a task (abi/hwres.h): I/O port ranges,
 * physical memory ranges and IRQ lines it may use without holding PERM_IO,
 * PERM_PHYSMEM or PERM_IRQ. The device manager grants a driver task exactly
 * its device's resources; the set only grows while the task lives and is
 * guarded by the task's lock.
 */
#ifndef KERN_PROC_HWRES_H
#define KERN_PROC_HWRES_H

#include <abi/errno.h>
#include <abi/hwres.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t base;
	uint64_t size;
} hwres_range_t;

typedef struct {
	hwres_range_t io[HWRES_IO_MAX];
	hwres_range_t mem[HWRES_MEM_MAX];
	uint8_t io_count;
	uint8_t mem_count;
	uint64_t irq[HWRES_IRQ_MAX / 64];
} hwres_set_t;

/** Adds a grant: EINVAL for a bad kind or range (I/O beyond 0xffff, memory
 *  not page-aligned or wrapping, an IRQ above HWRES_IRQ_MAX - 1 or a size
 *  other than 1), ELIMIT when the kind's slots are full. A range already
 *  covered takes no slot. */
errno_t hwres_set_add(hwres_set_t *set, uint32_t kind, uint64_t base, uint64_t size);
/** Whether one grant of @a kind covers all of @a base .. @a base + @a size - 1. */
bool hwres_set_covers(
    const hwres_set_t *set, uint32_t kind, uint64_t base, uint64_t size);
/** Whether the set grants anything at all (its task drives a device). */
bool hwres_set_any(const hwres_set_t *set);

#endif
