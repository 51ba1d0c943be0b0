/*
 * Hardware resources: the I/O port ranges, physical memory ranges and IRQs
 * of a device. The device manager learns them from the driver of the
 * parent device and grants them to the device's own driver task with
 * SYS_HWRES_GRANT before that driver starts; a driver holds no PERM_IO,
 * PERM_IRQ or PERM_PHYSMEM, so SYS_IOSPACE_ENABLE, SYS_IRQ_SUBSCRIBE and
 * SYS_PHYSMEM_MAP succeed for what it was granted and fail with EPERM for
 * anything else. Each port, IRQ line and page is one task's at a time
 * (a line granted as HWRES_IRQ_SHARED excepted): granted to (or used under
 * a permission by) another task, it is EBUSY until that task ends; ports 0xcf8-0xcff (PCI configuration) only a grant
 * reaches (docs/devices.md).
 */
#ifndef ABI_HWRES_H
#define ABI_HWRES_H

#include <stdint.h>

#define HWRES_IO  1 /* I/O ports base .. base + size - 1 */
#define HWRES_MEM 2 /* physical memory base .. base + size - 1 (page-aligned) */
#define HWRES_IRQ 3 /* interrupt line base (size 1) */
/* A shareable interrupt line (a PCI INTx line): several tasks may hold it
 * this way at once, each one's IRQ program deciding whether an interrupt
 * is its device's; an exclusive HWRES_IRQ claim of it is EBUSY meanwhile,
 * and it is EBUSY while a task holds the line exclusively. */
#define HWRES_IRQ_SHARED 4

/* Grants a task may hold, per kind (SYS_HWRES_GRANT then fails with
 * ELIMIT). IRQs are a bitmap of all HWRES_IRQ_MAX lines. */
#define HWRES_IO_MAX  16
#define HWRES_MEM_MAX 8
#define HWRES_IRQ_MAX 256

typedef struct {
	uint32_t kind; /* HWRES_* */
	uint32_t reserved;
	uint64_t base;
	uint64_t size;
} hw_resource_t;

#endif
