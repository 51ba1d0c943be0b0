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
