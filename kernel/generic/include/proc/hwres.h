/*
 * Hardware resources granted to a task (abi/hwres.h): I/O port ranges,
 * physical memory ranges and IRQ lines it may use without holding PERM_IO,
 * PERM_PHYSMEM or PERM_IRQ. The device manager grants a driver task exactly
 * its device's resources; the set only grows while the task lives and is
 * guarded by the task's lock.
 *
 * Claims: each I/O port, IRQ line and page of device memory belongs to one
 * task at a time. A grant claims what it grants for the receiving task; a
 * task using a port range or an IRQ line under PERM_IO or PERM_IRQ claims it
 * too. Another task's grant or use of anything overlapping then fails with
 * EBUSY, except that shared claims of an IRQ line (HWRES_IRQ_SHARED) allow
 * each other; a task's claims go when it ends. The claim table is pure data here
 * (host-tested); the kernel keeps one, under its own lock (proc/task.c).
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

/** Whether @a base .. @a base + @a size - 1 is a valid range of @a kind
 *  (I/O within 0..0xffff, memory page-aligned and not wrapping, one IRQ
 *  line below HWRES_IRQ_MAX; never empty). */
bool hwres_valid(uint32_t kind, uint64_t base, uint64_t size);
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

/* Claims the kernel can hold at once (the devices of a PC need a few dozen). */
#define HWRES_CLAIMS_MAX 256

typedef struct {
	uint32_t kind; /* HWRES_* */
	uint64_t base; /* base .. base + size - 1, valid for the kind */
	uint64_t size;
	uint64_t owner; /* task id */
	bool shared;	/* an HWRES_IRQ_SHARED claim (kind is HWRES_IRQ) */
} hwres_claim_t;

typedef struct {
	hwres_claim_t claims[HWRES_CLAIMS_MAX];
	size_t count;
} hwres_claims_t;

/** The task holding a claim of @a kind that overlaps @a base .. @a base +
 *  @a size - 1 other than @a self; 0 when none does. */
uint64_t hwres_claims_other_owner(
    const hwres_claims_t *c, uint32_t kind, uint64_t base, uint64_t size, uint64_t self);
/** Claims a valid range for task @a owner (already held: no new entry);
 *  EBUSY when another task's claim overlaps it, ELIMIT when the table is
 *  full, EINVAL for an invalid range. */
errno_t hwres_claims_add(
    hwres_claims_t *c, uint32_t kind, uint64_t base, uint64_t size, uint64_t owner);
/** Drops every claim of task @a owner. */
void hwres_claims_release(hwres_claims_t *c, uint64_t owner);
/** Whether the range touches the PCI configuration ports (0xcf8-0xcff),
 *  which only a task granted them (the PCI driver) may use: PERM_IO does
 *  not reach them. */
bool hwres_is_pci_config(uint32_t kind, uint64_t base, uint64_t size);

#endif
