/* Host build of kernel modules: single-threaded tests need no locking. */
#ifndef HOST_SHIM_SPINLOCK_H
#define HOST_SHIM_SPINLOCK_H

#include <stdbool.h>
#include <synch/lock_order.h>

typedef struct {
	int locked;
	const char *name;
} spinlock_t;

#define SPINLOCK_INITIALIZER(n, cls) \
	{ \
		0, (n) \
	}

static inline void spinlock_init(spinlock_t *l, const char *name, lock_class_t cls)
{
	(void) cls;
	l->locked = 0;
	l->name = name;
}

static inline void spinlock_lock(spinlock_t *l)
{
	l->locked++;
}

static inline void spinlock_unlock(spinlock_t *l)
{
	l->locked--;
}

#endif
