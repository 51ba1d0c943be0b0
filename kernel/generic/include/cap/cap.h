/*
 * Capabilities: per-task tables mapping handles to reference-counted kernel
 * objects. Every object is named by at most one capability, so revoking an
 * object means freeing that one slot.
 * Lock: table->lock guards the slots; object reference counts are atomic.
 */
#ifndef KERN_CAP_CAP_H
#define KERN_CAP_CAP_H

#include <abi/cap.h>
#include <spinlock.h>
#include <types.h>

typedef enum {
	KOBJECT_PHONE = 1,
	KOBJECT_CALL,
	KOBJECT_IRQ,
	KOBJECT_TYPE_COUNT,
} kobject_type_t;

struct kobject;
typedef void (*kobject_destroy_t)(struct kobject *obj);

/** Embedded as the first member of every object a capability can name. */
typedef struct kobject {
	kobject_type_t type;
	uint64_t refcount;
	kobject_destroy_t destroy;
} kobject_t;

typedef struct {
	kobject_t *obj; /* NULL when free */
	uint32_t gen;
	uint32_t next_free; /* free-list link (slot index + 1, 0 ends) */
} cap_slot_t;

typedef struct {
	spinlock_t lock;
	cap_slot_t *slots;
	uint32_t size;
	uint32_t free_head; /* slot index + 1 of the first free slot, 0: none */
	uint32_t used;
} cap_table_t;

void kobject_init(kobject_t *obj, kobject_type_t type, kobject_destroy_t destroy);
void kobject_get(kobject_t *obj);
/** Drops a reference; the last one destroys the object. */
void kobject_put(kobject_t *obj);

void cap_table_init(cap_table_t *table);
/** Frees every capability, dropping the references; the table is then empty. */
void cap_table_clear(cap_table_t *table);
void cap_table_destroy(cap_table_t *table);
/** Installs @a obj (the caller's reference moves into the table); ELIMIT, ENOMEM. */
errno_t cap_alloc(cap_table_t *table, kobject_t *obj, cap_handle_t *handle);
/** The object @a handle names if it has @a type, with a new reference; NULL otherwise. */
kobject_t *cap_get(cap_table_t *table, cap_handle_t handle, kobject_type_t type);
/** Removes @a handle (of @a type); its reference moves to *@a obj. ENOENT. */
errno_t cap_free(
    cap_table_t *table, cap_handle_t handle, kobject_type_t type, kobject_t **obj);
/** Capabilities in use in all tables. */
uint64_t cap_total(void);
/** Number of capabilities in use. */
size_t cap_count(cap_table_t *table);

#endif
