/*
 * The deadlock detector of fibril mutexes, over an abstract wait-for graph:
 * each fibril waits for at most one lock, and each lock has at most one
 * owner. Pure, so it is unit-tested on the host (test/host/fibril_test.c).
 */
#ifndef LIBC_PRIVATE_DEADLOCK_H
#define LIBC_PRIVATE_DEADLOCK_H

#include <stddef.h>

/** The owner of the lock @a fibril waits for, or NULL if it does not wait
 *  (or the lock has no owner). */
typedef const void *(*deadlock_owner_fn_t)(const void *fibril);

/**
 * Whether @a self, about to wait for a lock owned by @a owner, would close a
 * cycle: follows owner -> the owner of what it waits for -> ... On a cycle,
 * stores its fibrils in @a cycle (self first, then owner, ...; at most
 * @a max) and returns how many there are; returns 0 when the chain ends
 * without coming back to @a self, or is longer than @a max.
 */
size_t deadlock_find_cycle(const void *self, const void *owner,
    deadlock_owner_fn_t owner_of, const void **cycle, size_t max);

#endif
