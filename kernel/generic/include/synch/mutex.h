/*
 * Sleeping locks for threads: mutex (owner-tracked, handed to the next waiter
 * on unlock, so waiters are served in order), counting semaphore and
 * condition variable. None may be used from interrupt context.
 */
#ifndef KERN_SYNCH_MUTEX_H
#define KERN_SYNCH_MUTEX_H

#include <synch/waitq.h>

struct thread;

typedef struct {
	waitq_t wq; /* wq.lock guards owner */
	struct thread *owner;
} mutex_t;

typedef struct {
	waitq_t wq; /* wq.lock guards count */
	size_t count;
} semaphore_t;

typedef struct {
	waitq_t wq;
} condvar_t;

void mutex_init(mutex_t *m);
void mutex_lock(mutex_t *m);
/** EOK, or EBUSY if another thread holds it. */
errno_t mutex_trylock(mutex_t *m);
void mutex_unlock(mutex_t *m);
bool mutex_locked_by_me(mutex_t *m);

void semaphore_init(semaphore_t *s, size_t count);
/** Takes one unit; ETIMEOUT after @a timeout_ns (0: wait forever), EINTR if killed. */
errno_t semaphore_down(semaphore_t *s, uint64_t timeout_ns);
void semaphore_up(semaphore_t *s);

void condvar_init(condvar_t *cv);
/** Releases @a m, sleeps until signalled or timed out, reacquires @a m. */
errno_t condvar_wait(condvar_t *cv, mutex_t *m, uint64_t timeout_ns);
void condvar_signal(condvar_t *cv);
void condvar_broadcast(condvar_t *cv);

#endif
