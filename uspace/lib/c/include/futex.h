/*
 * Futex-based sleeping locks for threads (not fibrils: a fibril that blocks
 * here blocks its whole runner thread). Uncontended lock and unlock stay in
 * user space; contended ones sleep in the kernel (SYS_FUTEX_WAIT/WAKE).
 */
#ifndef LIBC_FUTEX_H
#define LIBC_FUTEX_H

#include <discard.h>

#include <abi/errno.h>
#include <stdint.h>

/** Sleeps while *@a addr == @a expected (@a usec: 0 forever). EOK when woken,
 *  EAGAIN if the value differed, ETIMEOUT, EINTR. */
_NODISCARD errno_t futex_wait(volatile uint32_t *addr, uint32_t expected, uint64_t usec);
/** Wakes up to @a count threads sleeping on @a addr; returns how many. */
unsigned futex_wake(volatile uint32_t *addr, unsigned count);

/** A mutex for threads: 0 unlocked, 1 locked, 2 locked with sleepers. */
typedef struct {
	volatile uint32_t state;
} futex_mutex_t;

#define FUTEX_MUTEX_INITIALIZER \
	{ \
		0 \
	}

void futex_mutex_lock(futex_mutex_t *m);
/** EOK, or EBUSY if it is held. */
_NODISCARD errno_t futex_mutex_trylock(futex_mutex_t *m);
void futex_mutex_unlock(futex_mutex_t *m);

#endif
