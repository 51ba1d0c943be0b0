/*
 * Hardware IRQ handler table. Handlers run in interrupt context with
 * interrupts disabled: they must not block or allocate.
 */
#ifndef KERN_INTERRUPT_H
#define KERN_INTERRUPT_H

#include <types.h>

struct istate;

typedef void (*irq_handler_t)(unsigned irq, void *arg);
/** Returns true when it handled the exception (execution resumes). */
typedef bool (*exception_handler_t)(struct istate *istate);

/** Installs @a handler for @a irq and unmasks the line; EBUSY if taken. */
errno_t irq_register(unsigned irq, irq_handler_t handler, void *arg);
void irq_unregister(unsigned irq);
/** Masks line @a irq while its handler stays installed (interrupt-safe; a
 *  leaf: takes only the controller's lock). */
void irq_line_hold(unsigned irq);
/** Unmasks line @a irq again if a handler is still installed on it. */
void irq_line_release(unsigned irq);
/** Called by the architecture for every hardware IRQ. */
void irq_dispatch(unsigned irq, struct istate *istate);
/** Number of times @a irq fired. */
uint64_t irq_count(unsigned irq);
/** Keeps line @a irq (< IRQ_COUNT) for a device the kernel drives itself
 *  without interrupts: irq_register() answers EBUSY for it. */
void irq_reserve(unsigned irq);
/** Delivers @a irq to CPU @a cpu from now on (also once registered);
 *  EINVAL for a line or CPU that does not exist. */
errno_t irq_set_cpu(unsigned irq, unsigned cpu);

void exception_register(unsigned vector, exception_handler_t handler);

#endif
