/*
 * What fibril.c shares with fibril_synch.c: the fibril record, the scheduler
 * lock and blocking. fibril_lock guards the ready queue, the timeout list,
 * the runners' sleep list, every fibril's state, links and timeout, and every
 * wait list and field of the fibril synchronisation objects. It is held
 * across each context switch: the fibril that switches away takes it, and
 * the context that resumes releases it; except a yield between two fibrils
 * of one runner's own `yielded` list (fibril.c), which takes none.
 */
#ifndef LIBC_PRIVATE_FIBRIL_H
#define LIBC_PRIVATE_FIBRIL_H

#include "timeout.h"
#include <common/adt/list.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <libarch/cpu.h>
#include <libarch/fibril_context.h>
#include <libarch/tls.h>
#include <spinlock.h>
#include <stddef.h>
#include "tls.h"

/** The registers a fibril switch keeps (libarch/fibril_context.h). */
typedef arch_fibril_context_t fibril_context_t;

typedef enum {
	FIBRIL_NEW,
	FIBRIL_READY,
	FIBRIL_RUNNING,
	FIBRIL_BLOCKED,
	FIBRIL_EXITED,
} fibril_state_t;

typedef struct fibril_runner fibril_runner_t;

struct fibril {
	fibril_context_t ctx;
	fibril_state_t state;
	fibril_runner_t *runner; /* the kernel thread it runs (or last ran) on */
	link_t link;		 /* the ready queue or one wait list */
	/* Its runner's ring (fibril.c): the runner's current fibril and those
	 * that yielded on it, in the order they run next. Not in a ring: both
	 * point to itself and `in_ring` is false. Only the runner's thread
	 * touches them. */
	fibril_t *ring_next;
	fibril_t *ring_prev;
	bool in_ring;
	timeout_t timeout; /* armed while blocked with a deadline */
	bool timed_out;	   /* the last block ended by its deadline */
	bool detached;
	bool idle;	 /* a runner's idle context, never on the ready queue */
	uintptr_t stack; /* base of its stack slot; 0 for main()'s */
	fibril_fn_t fn;
	void *arg;
	errno_t retval;
	fibril_t *joiner;
	uint64_t number;
	void *local;
	fibril_mutex_t *waits_for; /* the mutex it waits for (deadlock detection) */
	bool wants_write;	   /* waiting on an rwlock as a writer */
};

extern spinlock_t fibril_lock;

/* Fibril stacks live in fixed-size slots of one address range; the top 16
 * bytes of a slot name the fibril whose stack it is (fibril.c). */
#define FIBRIL_SLOT_SIZE	  (256 * 1024)
#define FIBRIL_STACK_REGION_BASE  0x0000600000000000ull
#define FIBRIL_STACK_REGION_SLOTS (1ull << 24) /* 4 TiB of address space */

extern fibril_t __fibril_main;

/** The runner of the calling thread, named by its thread-local block (NULL
 *  in a thread of thread_create(), which runs no fibrils). */
static inline __attribute__((always_inline)) fibril_runner_t *fibril_runner_self(void)
{
	return ARCH_TLS_WORD(fibril_runner_t *, offsetof(thread_local_t, fibril_runner));
}

/** The calling fibril: its runner's current one (the first word of the
 *  runner's record, fibril.c), or the main fibril in a thread that is no
 *  runner (as before runners had names: such threads run no fibrils).
 *  Inline: it is on every lock path. */
static inline fibril_t *fibril_self(void)
{
	fibril_runner_t *r = fibril_runner_self();
	if (__builtin_expect(r == NULL, 0))
		return &__fibril_main;
	return *(fibril_t *const *) r;
}
/** Blocks the calling fibril (fibril_lock held, still held on return) until
 *  fibril_wake_locked() or @a deadline (0: none); ETIMEOUT for the latter.
 *  The caller has put it on a wait list through its link, if any. */
errno_t fibril_block_locked(fibril_t *self, uint64_t deadline);
/** Makes blocked @a f ready (off its wait list and timeout); false if it was
 *  not blocked. fibril_lock held. */
bool fibril_wake_locked(fibril_t *f);

#endif
