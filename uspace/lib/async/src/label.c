/*
 * The connection label table (private/label.h): a growable array of slots
 * with a free list; label = (generation << LABEL_INDEX_BITS) | (index + 1).
 */
#include "private/label.h"
#include <stdlib.h>

void label_table_init(label_table_t *t)
{
	t->slots = NULL;
	t->size = 0;
	t->free_head = 0;
	t->used = 0;
}

void label_table_fini(label_table_t *t)
{
	free(t->slots);
	label_table_init(t);
}

/** Doubles the table; the new slots go on the free list in index order. */
static errno_t label_grow(label_table_t *t)
{
	uint32_t size = t->size == 0 ? 16 : t->size * 2;
	if (size > LABEL_SLOTS_MAX - 1)
		size = LABEL_SLOTS_MAX - 1; /* index + 1 must fit the index bits */
	if (size <= t->size)
		return ELIMIT;
	label_slot_t *slots = realloc(t->slots, size * sizeof(*slots));
	if (slots == NULL)
		return ENOMEM;
	for (uint32_t i = t->size; i < size; i++) {
		slots[i].obj = NULL;
		slots[i].gen = 0;
		slots[i].next = i + 1 < size ? i + 2 : t->free_head;
	}
	t->free_head = t->size + 1;
	t->slots = slots;
	t->size = size;
	return EOK;
}

errno_t label_alloc(label_table_t *t, void *obj, uint64_t *label)
{
	if (t->free_head == 0) {
		errno_t rc = label_grow(t);
		if (rc != EOK)
			return rc;
	}
	uint32_t index = t->free_head - 1;
	label_slot_t *s = &t->slots[index];
	t->free_head = s->next;
	s->obj = obj;
	t->used++;
	*label = ((s->gen & LABEL_GEN_MASK) << LABEL_INDEX_BITS) | (index + 1);
	return EOK;
}

void label_free(label_table_t *t, uint64_t label)
{
	label_slot_t *s = label_slot(t, label);
	if (s == NULL)
		return;
	s->obj = NULL;
	s->gen++;
	s->next = t->free_head;
	t->free_head = (uint32_t) (s - t->slots) + 1;
	t->used--;
}
