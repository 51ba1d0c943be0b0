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
/** The object of @a label, or NULL if it is not (or no longer) allocated. */
void *label_get(const label_table_t *t, uint64_t label);
/** Ends @a label (which must be allocated); later lookups find nothing. */
void label_free(label_table_t *t, uint64_t label);

#endif
