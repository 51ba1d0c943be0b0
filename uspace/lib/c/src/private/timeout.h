/*
 * Timeout lists: entries ordered by deadline (nanoseconds on the monotonic
 * clock), equal deadlines in insertion order. Pure (no locking, no system
 * calls), so it is unit-tested on the host (test/host/fibril_test.c); the
 * fibril scheduler keeps one list under fibril_lock.
 */
#ifndef LIBC_PRIVATE_TIMEOUT_H
#define LIBC_PRIVATE_TIMEOUT_H

#include <common/adt/list.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	link_t link; /* on a timeout list while armed */
	uint64_t deadline;
} timeout_t;

static inline void timeout_initialize(timeout_t *t)
{
	link_initialize(&t->link);
}

static inline bool timeout_armed(const timeout_t *t)
{
	return link_in_use(&t->link);
}

/** Arms @a t (not armed) for @a deadline on @a list. */
void timeout_insert(list_t *list, timeout_t *t, uint64_t deadline);
/* The three below are on every blocking and waking path of the fibril
 * scheduler: inline, so a round trip makes no calls for them. */

/** Disarms @a t if it is armed. */
static inline void timeout_cancel(timeout_t *t)
{
	if (link_in_use(&t->link))
		list_remove(&t->link);
}

/** The earliest entry of @a list whose deadline is not after @a now (still
 *  armed), or NULL. */
static inline timeout_t *timeout_first_expired(const list_t *list, uint64_t now)
{
	link_t *first = list_first(list);
	if (first == NULL)
		return NULL;
	timeout_t *t = list_get_instance(first, timeout_t, link);
	return t->deadline <= now ? t : NULL;
}

/** Stores the earliest deadline of @a list in @a deadline; false if empty. */
static inline bool timeout_next_deadline(const list_t *list, uint64_t *deadline)
{
	link_t *first = list_first(list);
	if (first == NULL)
		return false;
	*deadline = list_get_instance(first, timeout_t, link)->deadline;
	return true;
}

#endif
