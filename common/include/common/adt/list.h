/*
 * Intrusive circular doubly linked list. A list_t is a sentinel head; a
 * link_t sits inside each member. An unlinked link points to itself, so
 * link_in_use() tells whether a member is on some list.
 */
#ifndef COMMON_ADT_LIST_H
#define COMMON_ADT_LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct link {
	struct link *prev;
	struct link *next;
} link_t;

typedef struct {
	link_t head;
} list_t;

#define LIST_INITIALIZER(name) \
	{ \
		{ \
			&(name).head, &(name).head \
		} \
	}

#define list_get_instance(link, type, member) \
	((type *) ((char *) (link) -offsetof(type, member)))

/** Iterates over members as @a it; `break` works; the body must not unlink @a it. */
#define list_foreach(list, member, type, it) \
	for (type *it = NULL, *it##_done = NULL; it##_done == NULL; \
	     it##_done = (type *) 1) \
		for (link_t *it##_l = (list).head.next; it##_l != &(list).head && \
		     ((it = list_get_instance(it##_l, type, member)), 1); \
		     it##_l = it##_l->next)

static inline void link_initialize(link_t *link)
{
	link->prev = link;
	link->next = link;
}

static inline bool link_in_use(const link_t *link)
{
	return link->next != link;
}

static inline void list_initialize(list_t *list)
{
	link_initialize(&list->head);
}

static inline bool list_empty(const list_t *list)
{
	return list->head.next == &list->head;
}

static inline void list_insert_between(link_t *link, link_t *prev, link_t *next)
{
	link->prev = prev;
	link->next = next;
	prev->next = link;
	next->prev = link;
}

static inline void list_append(link_t *link, list_t *list)
{
	list_insert_between(link, list->head.prev, &list->head);
}

static inline void list_prepend(link_t *link, list_t *list)
{
	list_insert_between(link, &list->head, list->head.next);
}

/** Inserts @a link before @a before (which is on some list). */
static inline void list_insert_before(link_t *link, link_t *before)
{
	list_insert_between(link, before->prev, before);
}

static inline void list_remove(link_t *link)
{
	link->prev->next = link->next;
	link->next->prev = link->prev;
	link_initialize(link);
}

static inline link_t *list_first(const list_t *list)
{
	return list_empty(list) ? NULL : list->head.next;
}

static inline link_t *list_last(const list_t *list)
{
	return list_empty(list) ? NULL : list->head.prev;
}

/** Returns the member after @a link, or NULL at the end of @a list. */
static inline link_t *list_next(const link_t *link, const list_t *list)
{
	return link->next == &list->head ? NULL : link->next;
}

static inline size_t list_count(const list_t *list)
{
	size_t n = 0;
	for (link_t *l = list->head.next; l != &list->head; l = l->next)
		n++;
	return n;
}

#endif
