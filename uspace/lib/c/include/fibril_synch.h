/*
 * Synchronisation between fibrils (fibril.h): they block the calling fibril,
 * never the kernel thread, and work across runner threads.
 *
 * - fibril_mutex_t: owned by the fibril that locked it; unlocking hands it to
 *   the first waiter. A fibril that would wait in a cycle of mutexes (it
 *   waits for one whose owner waits, through a chain, for one it holds)
 *   ends the task through abort() with "deadlock detected" and the cycle on
 *   stderr. Not recursive: locking a mutex one holds is such a cycle.
 * - fibril_condvar_t: waits release the mutex and take it back; with a
 *   timeout (0: none) they return ETIMEOUT.
 * - fibril_rwlock_t: many readers or one writer, granted in arrival order.
 * - fibril_semaphore_t: a counting semaphore, down with a timeout.
 * - fibril_timer_t: runs a function in its own fibril after a delay, unless
 *   cleared first (HelenOS's fibril timer).
 */
#ifndef LIBC_FIBRIL_SYNCH_H
#define LIBC_FIBRIL_SYNCH_H

#include <discard.h>

#include <common/adt/list.h>
#include <fibril.h>

typedef struct fibril_mutex {
	/* The owner (a fibril_t *) with bit 0 set while fibrils wait; 0 when
	 * free. Taken and released uncontended by one atomic operation each. */
	uintptr_t owner;
	list_t waiters;
} fibril_mutex_t;

#define FIBRIL_MUTEX_INITIALIZER(name) \
	{ \
		.owner = 0, .waiters = LIST_INITIALIZER((name).waiters) \
	}
#define FIBRIL_MUTEX_INITIALIZE(name) fibril_mutex_t name = FIBRIL_MUTEX_INITIALIZER(name)

void fibril_mutex_initialize(fibril_mutex_t *m);
void fibril_mutex_lock(fibril_mutex_t *m);
bool fibril_mutex_trylock(fibril_mutex_t *m);
/** Unlocks @a m, which the caller must hold (else the task aborts). */
void fibril_mutex_unlock(fibril_mutex_t *m);
bool fibril_mutex_is_locked(fibril_mutex_t *m);

typedef struct {
	list_t waiters;
} fibril_condvar_t;

#define FIBRIL_CONDVAR_INITIALIZER(name) \
	{ \
		.waiters = LIST_INITIALIZER((name).waiters) \
	}
#define FIBRIL_CONDVAR_INITIALIZE(name) \
	fibril_condvar_t name = FIBRIL_CONDVAR_INITIALIZER(name)

void fibril_condvar_initialize(fibril_condvar_t *cv);
/** Releases @a m (held), waits for a signal, takes @a m again. */
void fibril_condvar_wait(fibril_condvar_t *cv, fibril_mutex_t *m);
/** Same, giving up after @a usec microseconds (0: never) with ETIMEOUT;
 *  @a m is held again either way. */
_NODISCARD errno_t fibril_condvar_wait_timeout(
    fibril_condvar_t *cv, fibril_mutex_t *m, uint64_t usec);
void fibril_condvar_signal(fibril_condvar_t *cv);
void fibril_condvar_broadcast(fibril_condvar_t *cv);

typedef struct {
	unsigned readers;
	fibril_t *writer;
	list_t waiters;
} fibril_rwlock_t;

#define FIBRIL_RWLOCK_INITIALIZER(name) \
	{ \
		.readers = 0, .writer = NULL, \
		.waiters = LIST_INITIALIZER((name).waiters) \
	}
#define FIBRIL_RWLOCK_INITIALIZE(name) \
	fibril_rwlock_t name = FIBRIL_RWLOCK_INITIALIZER(name)

void fibril_rwlock_initialize(fibril_rwlock_t *rw);
void fibril_rwlock_read_lock(fibril_rwlock_t *rw);
void fibril_rwlock_write_lock(fibril_rwlock_t *rw);
void fibril_rwlock_read_unlock(fibril_rwlock_t *rw);
void fibril_rwlock_write_unlock(fibril_rwlock_t *rw);
bool fibril_rwlock_is_read_locked(fibril_rwlock_t *rw);
bool fibril_rwlock_is_write_locked(fibril_rwlock_t *rw);
bool fibril_rwlock_is_locked(fibril_rwlock_t *rw);

typedef struct {
	long count;
	list_t waiters;
} fibril_semaphore_t;

void fibril_semaphore_initialize(fibril_semaphore_t *sem, long count);
void fibril_semaphore_up(fibril_semaphore_t *sem);
void fibril_semaphore_down(fibril_semaphore_t *sem);
/** Down, or ETIMEOUT after @a usec microseconds (0: never). */
_NODISCARD errno_t fibril_semaphore_down_timeout(fibril_semaphore_t *sem, uint64_t usec);

typedef enum {
	fts_not_set, /* created or cleared */
	fts_active,  /* set, counting down */
	fts_cleanup, /* being destroyed */
	fts_fired,   /* the function ran (or runs) */
	fts_clean,   /* its fibril has ended */
} fibril_timer_state_t;

typedef void (*fibril_timer_fun_t)(void *arg);

typedef struct {
	fibril_mutex_t lock;
	fibril_mutex_t *lockp; /* guards the fields below: &lock or the user's */
	fibril_condvar_t cv;
	fid_t fibril;
	fid_t handler; /* the fibril while it runs fun, else NULL */
	fibril_timer_state_t state;
	uint64_t delay;
	fibril_timer_fun_t fun;
	void *arg;
} fibril_timer_t;

/** A timer whose fields @a lock guards (NULL: its own lock); the function
 *  runs without it held. NULL when out of memory. */
fibril_timer_t *fibril_timer_create(fibril_mutex_t *lock);
/** Clears and frees @a timer, waiting for a running function to return. */
void fibril_timer_destroy(fibril_timer_t *timer);
/** (Re)arms @a timer to run @a fun(@a arg) in @a delay microseconds. */
void fibril_timer_set(
    fibril_timer_t *timer, uint64_t delay, fibril_timer_fun_t fun, void *arg);
void fibril_timer_set_locked(
    fibril_timer_t *timer, uint64_t delay, fibril_timer_fun_t fun, void *arg);
/** Disarms @a timer; returns the state it had (fts_fired if the function
 *  ran or runs: then waits for it, unless called from it). */
fibril_timer_state_t fibril_timer_clear(fibril_timer_t *timer);
fibril_timer_state_t fibril_timer_clear_locked(fibril_timer_t *timer);

#endif
