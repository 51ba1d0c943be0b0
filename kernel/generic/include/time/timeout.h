/*
 * One-shot timeouts on the tick: a handler runs in interrupt context at the
 * first tick at or after its deadline. Each CPU keeps its timeouts ordered by
 * deadline (cpu->timeouts, guarded by cpu->timeout_lock).
 */
#ifndef KERN_TIME_TIMEOUT_H
#define KERN_TIME_TIMEOUT_H

#include <common/adt/list.h>
#include <types.h>

typedef void (*timeout_handler_t)(void *arg);

typedef struct {
	link_t link;
	uint64_t deadline; /* clock_ns() value */
	timeout_handler_t handler;
	void *arg;
	bool pending;	 /* on cpu's list; under that CPU's timeout_lock */
	struct cpu *cpu; /* whose list it went on when last armed */
	/* Its handler runs (set under the lock when it is taken off the list,
	 * cleared after the handler returns): a disarm waits for it. */
	volatile bool firing;
} timeout_t;

void timeout_init(timeout_t *t);
/** Arms @a t to fire @a delay_ns from now. @a t must not be pending. */
void timeout_register(
    timeout_t *t, uint64_t delay_ns, timeout_handler_t handler, void *arg);
/** Arms @a t to fire at clock_ns() value @a deadline_ns (at the next tick if
 *  that has passed). @a t must not be pending. */
void timeout_register_at(
    timeout_t *t, uint64_t deadline_ns, timeout_handler_t handler, void *arg);
/** Disarms @a t; returns false if it already fired (or was never armed).
 *  Returns only once a handler that is running on another CPU is done, so
 *  that the caller may arm @a t again or free what the handler touches (a
 *  sleeper that moved to another CPU would otherwise be woken out of its
 *  next sleep by the late handler of its last one). Interrupts off or on;
 *  the caller holds no lock the handler takes. */
bool timeout_unregister(timeout_t *t);
/** Runs the expired timeouts of this CPU; called from the tick. */
void timeout_process(void);

#endif
