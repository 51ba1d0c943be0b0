/*
 * Timeout lists (private/timeout.h): a sorted list, searched from the end,
 * since new deadlines are usually the latest.
 */
#include "private/timeout.h"

void timeout_insert(list_t *list, timeout_t *t, uint64_t deadline)
{
	t->deadline = deadline;
	link_t *at = list->head.prev;
	while (at != &list->head &&
	    list_get_instance(at, timeout_t, link)->deadline > deadline)
		at = at->prev;
	list_insert_between(&t->link, at, at->next);
}

void timeout_cancel(timeout_t *t)
{
	if (link_in_use(&t->link))
		list_remove(&t->link);
}

timeout_t *timeout_first_expired(const list_t *list, uint64_t now)
{
	link_t *first = list_first(list);
	if (first == NULL)
		return NULL;
	timeout_t *t = list_get_instance(first, timeout_t, link);
	return t->deadline <= now ? t : NULL;
}

bool timeout_next_deadline(const list_t *list, uint64_t *deadline)
{
	link_t *first = list_first(list);
	if (first == NULL)
		return false;
	*deadline = list_get_instance(first, timeout_t, link)->deadline;
	return true;
}
