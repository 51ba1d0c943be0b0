/*
 * Connection labels: the word a server gives a connection when it accepts
 * it, which the kernel puts on every call through that connection. A label
 * names a slot of this table plus the slot's generation, so a call that
 * arrives after its connection ended (a late call, or one through a phone
 * the server never heard of, like a clone) finds nothing instead of freed
 * memory. Lookup is an array index, no search. Labels are never 0 (phone 1,
 * made by the kernel, carries 0).
 *
 * Pure (no locking: the caller's lock guards the table), so it is
 * unit-tested on the host (test/host/label_test.c).
 */
#ifndef ASYNC_PRIVATE_LABEL_H
#define ASYNC_PRIVATE_LABEL_H

#include <abi/errno.h>
#include <stddef.h>
#include <stdint.h>

#define LABEL_INDEX_BITS 24
#define LABEL_SLOTS_MAX	 (1u << LABEL_INDEX_BITS)
#define LABEL_INDEX_MASK ((uint64_t) LABEL_SLOTS_MAX - 1)
#define LABEL_GEN_MASK	 ((UINT64_C(1) << (64 - LABEL_INDEX_BITS)) - 1)

typedef struct {
	void *obj;     /* NULL: free */
	uint64_t gen;  /* bumped on every free */
	uint32_t next; /* next free slot + 1 (0: none) */
} label_slot_t;

typedef struct {
	label_slot_t *slots;
	uint32_t size;
	uint32_t free_head; /* first free slot + 1 (0: none) */
	uint32_t used;
} label_table_t;

void label_table_init(label_table_t *t);
/** Frees the table's memory (its objects are the caller's). */
void label_table_fini(label_table_t *t);
/** Gives @a obj (not NULL) a label; ENOMEM, ELIMIT when full. */
errno_t label_alloc(label_table_t *t, void *obj, uint64_t *label);

/** The slot @a label names if its generation is current, else NULL. */
static inline label_slot_t *label_slot(const label_table_t *t, uint64_t label)
{
	uint64_t index = (label & LABEL_INDEX_MASK);
	if (index == 0 || index > t->size)
		return NULL;
	label_slot_t *s = &t->slots[index - 1];
	if (s->obj == NULL || (s->gen & LABEL_GEN_MASK) != label >> LABEL_INDEX_BITS)
		return NULL;
	return s;
}

/** The object of @a label, or NULL if it is not (or no longer) allocated.
 *  Inline: every call a server receives is routed by it. */
static inline void *label_get(const label_table_t *t, uint64_t label)
{
	label_slot_t *s = label_slot(t, label);
	return s != NULL ? s->obj : NULL;
}

/** Ends @a label (which must be allocated); later lookups find nothing. */
void label_free(label_table_t *t, uint64_t label);

#endif
