/*
 * Futex wrappers and the futex mutex (the classic three-state design: a
 * locker that finds the mutex taken marks it contended before sleeping, so
 * the unlocker knows whether to wake anyone).
 */
#include <futex.h>
#include <stdbool.h>
#include <syscall.h>

errno_t futex_wait(volatile uint32_t *addr, uint32_t expected, uint64_t usec)
{
	return (errno_t) syscall3(SYS_FUTEX_WAIT, (sysarg_t) addr, expected, usec);
}

unsigned futex_wake(volatile uint32_t *addr, unsigned count)
{
	return (unsigned) syscall2(SYS_FUTEX_WAKE, (sysarg_t) addr, count);
}

static uint32_t cmpxchg(volatile uint32_t *p, uint32_t expected, uint32_t desired)
{
	__atomic_compare_exchange_n(
	    p, &expected, desired, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	return expected; /* the value found */
}

errno_t futex_mutex_trylock(futex_mutex_t *m)
{
	return cmpxchg(&m->state, 0, 1) == 0 ? EOK : EBUSY;
}

void futex_mutex_lock(futex_mutex_t *m)
{
	uint32_t c = cmpxchg(&m->state, 0, 1);
	if (c == 0)
		return;
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		DISCARD(woken, futex_wait(&m->state, 2, 0));
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

void futex_mutex_unlock(futex_mutex_t *m)
{
	if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
		futex_wake(&m->state, 1);
	}
}
