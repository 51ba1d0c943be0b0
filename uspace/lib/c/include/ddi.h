/*
 * Device access for drivers: I/O ports, hardware resource grants and port
 * I/O (libarch/pio.h). Physical memory is mapped with physmem_map() (as.h),
 * IRQs subscribed with async_irq_subscribe() (async.h).
 */
#ifndef LIBC_DDI_H
#define LIBC_DDI_H

#include <discard.h>

#include <abi/hwres.h>
#include <errno.h>
#include <libarch/pio.h>
#include <stdint.h>
#include <task.h>

/** Lets this task use I/O ports @a port .. @a port + @a size - 1: EPERM
 *  unless it holds PERM_IO or was granted a range covering them. */
_NODISCARD errno_t iospace_enable(uint32_t port, uint32_t size);
/** Grants resource @a res to task @a id (before it starts): the caller
 *  needs the matching permission (PERM_IO, PERM_PHYSMEM, PERM_IRQ) and the
 *  task must be its child. ELIMIT when the task holds the most grants. */
_NODISCARD errno_t hwres_grant(task_id_t id, const hw_resource_t *res);

#endif
