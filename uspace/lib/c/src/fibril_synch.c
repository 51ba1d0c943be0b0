/*
 * Fibril mutexes, condition variables, rwlocks, semaphores and timers
 * (fibril_synch.h). Every field and wait list here is guarded by fibril_lock
 * (private/fibril.h); a waiting fibril sits on one wait list through its
 * `link`, and fibril_wake_locked() (by a waker or its deadline) takes it off.
 *
 * A mutex's owner word is the exception: a free mutex is taken, and a mutex
 * without waiters released, by one compare-and-swap without fibril_lock.
 * Its bit 0 (MUTEX_WAITED) says the waiter list is not empty; it is set,
 * under fibril_lock, before a fibril queues, so the owner's lock-free
 * release then fails and takes the locked path, which hands the mutex to
 * the first waiter (never leaving it free while fibrils wait).
 * The timer is built on the mutex and condition variable and has its own
 * locking.
 */
#include "private/deadlock.h"
#include "private/fibril.h"
#include "private/libc.h"
#include <fibril_synch.h>
#include <stdio.h>
#include <stdlib.h>

/* Longest wait-for chain the detector reports in full. */
#define DEADLOCK_CYCLE_MAX 64

#define MUTEX_WAITED ((uintptr_t) 1)

static fibril_t *mutex_owner(const fibril_mutex_t *m)
{
	return (
	    fibril_t *) (__atomic_load_n(&m->owner, __ATOMIC_ACQUIRE) & ~MUTEX_WAITED);
}

/** Takes @a m if it is free (one compare-and-swap). */
static bool mutex_try_take(fibril_mutex_t *m, fibril_t *self)
{
	uintptr_t free_word = 0;
	return __atomic_compare_exchange_n(&m->owner, &free_word, (uintptr_t) self, false,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static _Noreturn void synch_fatal(const char *what, const void *object)
{
	fprintf(stderr, "%s: fibril %llu: %s (%p)\n", __progname,
	    (unsigned long long) fibril_self()->number, what, object);
	abort();
}

static const void *mutex_owner_of_waited(const void *fibril)
{
	const fibril_mutex_t *m = ((const fibril_t *) fibril)->waits_for;
	return m != NULL ? mutex_owner(m) : NULL;
}

/** Prints the cycle @a self would close by waiting for @a m and aborts. */
static _Noreturn void deadlock_report(const void **cycle, size_t n, fibril_mutex_t *m)
{
	fprintf(stderr, "%s: deadlock detected:\n", __progname);
	for (size_t i = 0; i < n; i++) {
		const fibril_t *f = cycle[i];
		const fibril_mutex_t *wanted = i == 0 ? m : f->waits_for;
		fprintf(stderr,
		    "  fibril %llu (entry %p) waits for mutex %p held by fibril %llu\n",
		    (unsigned long long) f->number, (void *) f->fn, (const void *) wanted,
		    (unsigned long long) mutex_owner(wanted)->number);
	}
	abort();
}

/** Marks @a m as waited for, unless it is free: then takes it (true).
 *  fibril_lock held; only the owner's lock-free release races with this. */
static bool mutex_take_or_mark(fibril_mutex_t *m, fibril_t *self)
{
	uintptr_t cur = __atomic_load_n(&m->owner, __ATOMIC_RELAXED);
	for (;;) {
		if (cur == 0 && mutex_try_take(m, self))
			return true;
		if (cur != 0 &&
		    ((cur & MUTEX_WAITED) ||
			__atomic_compare_exchange_n(&m->owner, &cur, cur | MUTEX_WAITED,
			    false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)))
			return false;
		cur = __atomic_load_n(&m->owner, __ATOMIC_RELAXED);
	}
}

/** Takes @a m for @a self, waiting if it is held. fibril_lock held. */
static void mutex_lock_locked(fibril_mutex_t *m, fibril_t *self)
{
	if (mutex_take_or_mark(m, self))
		return;
	const void *cycle[DEADLOCK_CYCLE_MAX];
	size_t n = deadlock_find_cycle(
	    self, mutex_owner(m), mutex_owner_of_waited, cycle, DEADLOCK_CYCLE_MAX);
	if (n > 0)
		deadlock_report(cycle, n, m);
	self->waits_for = m;
	list_append(&self->link, &m->waiters);
	while (mutex_owner(m) != self)
		fibril_block_locked(self, 0);
}

/** Releases @a m, handing it to the first waiter. fibril_lock held. */
static void mutex_unlock_locked(fibril_mutex_t *m, fibril_t *self)
{
	if (mutex_owner(m) != self)
		synch_fatal("unlocks a mutex it does not hold", m);
	link_t *first = list_first(&m->waiters);
	if (first == NULL) {
		__atomic_store_n(&m->owner, 0, __ATOMIC_RELEASE);
		return;
	}
	fibril_t *next = list_get_instance(first, fibril_t, link);
	bool more = list_next(first, &m->waiters) != NULL;
	__atomic_store_n(
	    &m->owner, (uintptr_t) next | (more ? MUTEX_WAITED : 0), __ATOMIC_RELEASE);
	next->waits_for = NULL;
	fibril_wake_locked(next);
}

void fibril_mutex_initialize(fibril_mutex_t *m)
{
	m->owner = 0;
	list_initialize(&m->waiters);
}

/* The contended cases out of line: the uncontended lock and unlock are then
 * leaf functions of one compare-and-swap each. */
static __attribute__((noinline)) void mutex_lock_contended(
    fibril_mutex_t *m, fibril_t *self)
{
	spinlock_lock(&fibril_lock);
	mutex_lock_locked(m, self);
	spinlock_unlock(&fibril_lock);
}

static __attribute__((noinline)) void mutex_unlock_contended(
    fibril_mutex_t *m, fibril_t *self)
{
	spinlock_lock(&fibril_lock);
	mutex_unlock_locked(m, self);
	spinlock_unlock(&fibril_lock);
}

void fibril_mutex_lock(fibril_mutex_t *m)
{
	fibril_t *self = fibril_self();
	if (!mutex_try_take(m, self))
		mutex_lock_contended(m, self);
}

bool fibril_mutex_trylock(fibril_mutex_t *m)
{
	return mutex_try_take(m, fibril_self());
}

void fibril_mutex_unlock(fibril_mutex_t *m)
{
	fibril_t *self = fibril_self();
	uintptr_t mine = (uintptr_t) self; /* owned, no waiters */
	if (!__atomic_compare_exchange_n(
		&m->owner, &mine, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		mutex_unlock_contended(m, self);
}

bool fibril_mutex_is_locked(fibril_mutex_t *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) != 0;
}

void fibril_condvar_initialize(fibril_condvar_t *cv)
{
	list_initialize(&cv->waiters);
}

errno_t fibril_condvar_wait_timeout(
    fibril_condvar_t *cv, fibril_mutex_t *m, uint64_t usec)
{
	uint64_t deadline = usec != 0 ? fibril_deadline(usec) : 0;
	spinlock_lock(&fibril_lock);
	fibril_t *self = fibril_self();
	mutex_unlock_locked(m, self);
	list_append(&self->link, &cv->waiters);
	errno_t rc = fibril_block_locked(self, deadline);
	mutex_lock_locked(m, self);
	spinlock_unlock(&fibril_lock);
	return rc;
}

void fibril_condvar_wait(fibril_condvar_t *cv, fibril_mutex_t *m)
{
	DISCARD(woken, fibril_condvar_wait_timeout(cv, m, 0));
}

void fibril_condvar_signal(fibril_condvar_t *cv)
{
	spinlock_lock(&fibril_lock);
	link_t *first = list_first(&cv->waiters);
	if (first != NULL)
		fibril_wake_locked(list_get_instance(first, fibril_t, link));
	spinlock_unlock(&fibril_lock);
}

void fibril_condvar_broadcast(fibril_condvar_t *cv)
{
	spinlock_lock(&fibril_lock);
	link_t *first;
	while ((first = list_first(&cv->waiters)) != NULL)
		fibril_wake_locked(list_get_instance(first, fibril_t, link));
	spinlock_unlock(&fibril_lock);
}

void fibril_rwlock_initialize(fibril_rwlock_t *rw)
{
	rw->readers = 0;
	rw->writer = NULL;
	list_initialize(&rw->waiters);
}

/** Admits waiters in arrival order while they fit: readers while there is
 *  no writer, a writer when the lock is free. fibril_lock held. */
static void rwlock_grant_locked(fibril_rwlock_t *rw)
{
	link_t *first;
	while ((first = list_first(&rw->waiters)) != NULL && rw->writer == NULL) {
		fibril_t *f = list_get_instance(first, fibril_t, link);
		if (f->wants_write) {
			if (rw->readers > 0)
				return;
			rw->writer = f;
		} else {
			rw->readers++;
		}
		fibril_wake_locked(f);
	}
}

/** Waits on @a rw until granted (the granter counts us in). */
static void rwlock_wait_locked(fibril_rwlock_t *rw, fibril_t *self, bool write)
{
	self->wants_write = write;
	list_append(&self->link, &rw->waiters);
	do
		fibril_block_locked(self, 0);
	while (link_in_use(&self->link));
}

void fibril_rwlock_read_lock(fibril_rwlock_t *rw)
{
	spinlock_lock(&fibril_lock);
	if (rw->writer == NULL && list_empty(&rw->waiters))
		rw->readers++;
	else
		rwlock_wait_locked(rw, fibril_self(), false);
	spinlock_unlock(&fibril_lock);
}

void fibril_rwlock_write_lock(fibril_rwlock_t *rw)
{
	spinlock_lock(&fibril_lock);
	fibril_t *self = fibril_self();
	if (rw->writer == NULL && rw->readers == 0 && list_empty(&rw->waiters))
		rw->writer = self;
	else
		rwlock_wait_locked(rw, self, true);
	spinlock_unlock(&fibril_lock);
}

void fibril_rwlock_read_unlock(fibril_rwlock_t *rw)
{
	spinlock_lock(&fibril_lock);
	if (rw->readers == 0)
		synch_fatal("read-unlocks an rwlock nobody reads", rw);
	rw->readers--;
	rwlock_grant_locked(rw);
	spinlock_unlock(&fibril_lock);
}

void fibril_rwlock_write_unlock(fibril_rwlock_t *rw)
{
	spinlock_lock(&fibril_lock);
	if (rw->writer != fibril_self())
		synch_fatal("write-unlocks an rwlock it does not hold", rw);
	rw->writer = NULL;
	rwlock_grant_locked(rw);
	spinlock_unlock(&fibril_lock);
}

bool fibril_rwlock_is_read_locked(fibril_rwlock_t *rw)
{
	return __atomic_load_n(&rw->readers, __ATOMIC_RELAXED) > 0;
}

bool fibril_rwlock_is_write_locked(fibril_rwlock_t *rw)
{
	return __atomic_load_n(&rw->writer, __ATOMIC_RELAXED) != NULL;
}

bool fibril_rwlock_is_locked(fibril_rwlock_t *rw)
{
	return fibril_rwlock_is_read_locked(rw) || fibril_rwlock_is_write_locked(rw);
}

void fibril_semaphore_initialize(fibril_semaphore_t *sem, long count)
{
	sem->count = count;
	list_initialize(&sem->waiters);
}

void fibril_semaphore_up(fibril_semaphore_t *sem)
{
	spinlock_lock(&fibril_lock);
	link_t *first = list_first(&sem->waiters);
	if (first != NULL) /* the unit goes straight to the first waiter */
		fibril_wake_locked(list_get_instance(first, fibril_t, link));
	else
		sem->count++;
	spinlock_unlock(&fibril_lock);
}

errno_t fibril_semaphore_down_timeout(fibril_semaphore_t *sem, uint64_t usec)
{
	uint64_t deadline = usec != 0 ? fibril_deadline(usec) : 0;
	spinlock_lock(&fibril_lock);
	errno_t rc = EOK;
	if (sem->count > 0) {
		sem->count--;
	} else {
		fibril_t *self = fibril_self();
		list_append(&self->link, &sem->waiters);
		rc = fibril_block_locked(self, deadline);
	}
	spinlock_unlock(&fibril_lock);
	return rc;
}

void fibril_semaphore_down(fibril_semaphore_t *sem)
{
	DISCARD(woken, fibril_semaphore_down_timeout(sem, 0));
}

/** The timer's fibril: waits while unset, counts down while active, runs
 *  the function when the delay passes without a clear or a new set. */
static errno_t timer_fibril(void *arg)
{
	fibril_timer_t *timer = arg;
	fibril_mutex_lock(timer->lockp);
	while (timer->state != fts_cleanup) {
		if (timer->state != fts_active) {
			fibril_condvar_wait(&timer->cv, timer->lockp);
			continue;
		}
		errno_t rc = fibril_condvar_wait_timeout(
		    &timer->cv, timer->lockp, timer->delay != 0 ? timer->delay : 1);
		if (rc != ETIMEOUT || timer->state != fts_active)
			continue; /* cleared or set again: look at the new state */
		timer->state = fts_fired;
		timer->handler = fibril_get_id();
		fibril_mutex_unlock(timer->lockp);
		timer->fun(timer->arg);
		fibril_mutex_lock(timer->lockp);
		timer->handler = NULL;
		fibril_condvar_broadcast(&timer->cv);
	}
	timer->state = fts_clean;
	fibril_condvar_broadcast(&timer->cv);
	fibril_mutex_unlock(timer->lockp);
	return EOK;
}

fibril_timer_t *fibril_timer_create(fibril_mutex_t *lock)
{
	fibril_timer_t *timer = calloc(1, sizeof(*timer));
	if (timer == NULL)
		return NULL;
	fibril_mutex_initialize(&timer->lock);
	timer->lockp = lock != NULL ? lock : &timer->lock;
	fibril_condvar_initialize(&timer->cv);
	timer->state = fts_not_set;
	timer->fibril = fibril_create(timer_fibril, timer);
	if (timer->fibril == NULL) {
		free(timer);
		return NULL;
	}
	fibril_detach(timer->fibril);
	fibril_add_ready(timer->fibril);
	return timer;
}

void fibril_timer_set_locked(
    fibril_timer_t *timer, uint64_t delay, fibril_timer_fun_t fun, void *arg)
{
	timer->state = fts_active;
	timer->delay = delay;
	timer->fun = fun;
	timer->arg = arg;
	fibril_condvar_broadcast(&timer->cv);
}

void fibril_timer_set(
    fibril_timer_t *timer, uint64_t delay, fibril_timer_fun_t fun, void *arg)
{
	fibril_mutex_lock(timer->lockp);
	fibril_timer_set_locked(timer, delay, fun, arg);
	fibril_mutex_unlock(timer->lockp);
}

fibril_timer_state_t fibril_timer_clear_locked(fibril_timer_t *timer)
{
	fibril_timer_state_t old = timer->state;
	timer->state = fts_not_set;
	fibril_condvar_broadcast(&timer->cv);
	while (timer->handler != NULL && timer->handler != fibril_get_id())
		fibril_condvar_wait(&timer->cv, timer->lockp);
	return old;
}

fibril_timer_state_t fibril_timer_clear(fibril_timer_t *timer)
{
	fibril_mutex_lock(timer->lockp);
	fibril_timer_state_t old = fibril_timer_clear_locked(timer);
	fibril_mutex_unlock(timer->lockp);
	return old;
}

void fibril_timer_destroy(fibril_timer_t *timer)
{
	fibril_mutex_lock(timer->lockp);
	fibril_timer_clear_locked(timer);
	timer->state = fts_cleanup;
	fibril_condvar_broadcast(&timer->cv);
	while (timer->state != fts_clean)
		fibril_condvar_wait(&timer->cv, timer->lockp);
	fibril_mutex_unlock(timer->lockp);
	free(timer);
}
