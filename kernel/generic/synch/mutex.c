/*
 * Mutex, semaphore and condition variable on wait queues.
 * Invariant (mutex): owner != NULL while locked; on unlock with sleepers the
 * first sleeper becomes owner before it runs, so no thread can overtake it.
 */
#include <synch/mutex.h>
#include <arch/asm.h>
#include <cpu.h>
#include <panic.h>
#include <proc/thread.h>

void mutex_init(mutex_t *m)
{
	waitq_init(&m->wq);
	m->owner = NULL;
}

void mutex_lock(mutex_t *m)
{
	thread_t *self = THREAD;
	spinlock_lock(&m->wq.lock);
	if (m->owner == NULL) {
		m->owner = self;
		spinlock_unlock(&m->wq.lock);
		return;
	}
	if (m->owner == self)
		panic("mutex_lock: recursive locking by thread %llu (%s)",
		    (unsigned long long) self->id, self->name);
	waitq_sleep_locked(&m->wq, WAITQ_FOREVER, 0);
	assert(m->owner == self); /* handed over by mutex_unlock */
}

errno_t mutex_trylock(mutex_t *m)
{
	spinlock_lock(&m->wq.lock);
	errno_t rc = EBUSY;
	if (m->owner == NULL) {
		m->owner = THREAD;
		rc = EOK;
	}
	spinlock_unlock(&m->wq.lock);
	return rc;
}

void mutex_unlock(mutex_t *m)
{
	spinlock_lock(&m->wq.lock);
	if (m->owner != THREAD)
		panic("mutex_unlock: not the owner");
	if (list_empty(&m->wq.sleepers)) {
		m->owner = NULL;
	} else {
		link_t *first = list_first(&m->wq.sleepers);
		m->owner = list_get_instance(first, thread_t, wait_link);
		waitq_wakeup_locked(&m->wq, false);
	}
	spinlock_unlock(&m->wq.lock);
}

bool mutex_locked_by_me(mutex_t *m)
{
	return m->owner == THREAD;
}

void semaphore_init(semaphore_t *s, size_t count)
{
	waitq_init(&s->wq);
	s->count = count;
}

errno_t semaphore_down(semaphore_t *s, uint64_t timeout_ns)
{
	spinlock_lock(&s->wq.lock);
	if (s->count > 0) {
		s->count--;
		spinlock_unlock(&s->wq.lock);
		return EOK;
	}
	/* semaphore_up() hands the unit straight to the woken sleeper. */
	return waitq_sleep_locked(&s->wq, timeout_ns, WAITQ_INTERRUPTIBLE);
}

void semaphore_up(semaphore_t *s)
{
	spinlock_lock(&s->wq.lock);
	if (waitq_wakeup_locked(&s->wq, false) == 0)
		s->count++;
	spinlock_unlock(&s->wq.lock);
}

void condvar_init(condvar_t *cv)
{
	/* condvar_wait() releases the mutex holding the queue's lock. */
	waitq_init_class(&cv->wq, "condvar", LOCK_CLASS_WAITQ_CONDVAR);
}

errno_t condvar_wait(condvar_t *cv, mutex_t *m, uint64_t timeout_ns)
{
	/* Queue first, then release the mutex: a signal sent after the unlock
	 * finds us on the queue. */
	bool ints = irq_save();
	spinlock_lock(&cv->wq.lock);
	mutex_unlock(m);
	errno_t rc = waitq_sleep_locked(&cv->wq, timeout_ns, WAITQ_INTERRUPTIBLE);
	irq_restore(ints);
	mutex_lock(m);
	return rc;
}

void condvar_signal(condvar_t *cv)
{
	waitq_wakeup(&cv->wq, false);
}

void condvar_broadcast(condvar_t *cv)
{
	waitq_wakeup(&cv->wq, true);
}
