/*
 * The wait-for cycle search behind "deadlock detected" (private/deadlock.h).
 * Every wait is checked before it starts, so no cycle exists that does not
 * pass through the fibril about to wait; the walk is still bounded by @a max
 * so a broken graph cannot make it loop.
 */
#include "private/deadlock.h"

size_t deadlock_find_cycle(const void *self, const void *owner,
    deadlock_owner_fn_t owner_of, const void **cycle, size_t max)
{
	size_t n = 0;
	if (n < max)
		cycle[n++] = self;
	for (const void *f = owner; f != NULL; f = owner_of(f)) {
		if (f == self)
			return n;
		if (n == max)
			return 0;
		cycle[n++] = f;
	}
	return 0;
}
