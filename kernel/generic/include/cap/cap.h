/*
 * Capabilities: per-task tables mapping handles to reference-counted kernel
 * objects. Every object is named by at most one capability, so revoking an
 * object means freeing that one slot. Each capability carries rights
 * (abi/cap.h, CAP_RIGHT_*): the kernel checks the one an operation needs on
 * every use (cap_lookup, cap_free: EPERM). A copy of a phone is a new phone
 * object (SYS_CAP_DERIVE, CONNECTION_CLONE), never a second slot.
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

#define CAP_SLOT_DERIVED 0x1 /* made by SYS_CAP_DERIVE: its task may revoke it */

typedef struct {
	kobject_t *obj; /* NULL when free */
	uint32_t gen;
	union {
		uint32_t next_free; /* free: free-list link (slot index + 1, 0 ends) */
		struct {	    /* in use */
			uint16_t rights; /* CAP_RIGHT_* */
			uint16_t flags;	 /* CAP_SLOT_* */
		};
	};
} cap_slot_t;

typedef struct {
	spinlock_t lock;
	cap_slot_t *slots;
	uint32_t size;
	uint32_t free_head; /* slot index + 1 of the first free slot, 0: none */
	uint32_t used;
	/* QUOTA_CAPS: capabilities other than calls (a call's is transient and
	 * bounded by its sender's QUOTA_CALLS) and their limit. cap_alloc and
	 * cap_free count them; the fast path installs and frees only calls. */
	uint32_t charged;
	uint64_t limit;
} cap_table_t;

/* Inline: reference counting sits on every IPC path. */
static inline void kobject_init(
    kobject_t *obj, kobject_type_t type, kobject_destroy_t destroy)
{
	obj->type = type;
	obj->refcount = 1;
	obj->destroy = destroy;
}

static inline void kobject_get(kobject_t *obj)
{
	__atomic_add_fetch(&obj->refcount, 1, __ATOMIC_RELAXED);
}

/** Takes a reference unless the object is already being destroyed. */
static inline bool kobject_get_unless_zero(kobject_t *obj)
{
	uint64_t n = __atomic_load_n(&obj->refcount, __ATOMIC_RELAXED);
	while (n != 0) {
		if (__atomic_compare_exchange_n(&obj->refcount, &n, n + 1, false,
			__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

/** Drops a reference; the last one destroys the object. */
static inline void kobject_put(kobject_t *obj)
{
	if (__atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		obj->destroy(obj);
}

void cap_table_init(cap_table_t *table);
/** Frees every capability, dropping the references; the table is then empty. */
void cap_table_clear(cap_table_t *table);
void cap_table_destroy(cap_table_t *table);
/** Installs @a obj (the caller's reference moves into the table) with every
 *  right; ELIMIT (also past the table's QUOTA_CAPS limit for anything but a
 *  call), ENOMEM. */
errno_t cap_alloc(cap_table_t *table, kobject_t *obj, cap_handle_t *handle);
/** cap_alloc with @a rights and slot @a flags (CAP_SLOT_*). */
errno_t cap_alloc_rights(cap_table_t *table, kobject_t *obj, cap_rights_t rights,
    unsigned flags, cap_handle_t *handle);
/** The object @a handle names if it has @a type, with a new reference; NULL otherwise. */
kobject_t *cap_get(cap_table_t *table, cap_handle_t handle, kobject_type_t type);
/** The object @a handle names into *@a obj with a new reference, if it has
 *  @a type (else ENOENT) and every right in @a need (else EPERM). */
errno_t cap_lookup(cap_table_t *table, cap_handle_t handle, kobject_type_t type,
    cap_rights_t need, kobject_t **obj);
/** Any capability @a handle names: its object (a new reference), rights and
 *  slot flags. ENOENT. */
errno_t cap_query(cap_table_t *table, cap_handle_t handle, kobject_t **obj,
    cap_rights_t *rights, unsigned *flags);
/** Removes @a handle (of @a type, holding every right in @a need); its
 *  reference moves to *@a obj. ENOENT, EPERM (the handle stays). */
errno_t cap_free(cap_table_t *table, cap_handle_t handle, kobject_type_t type,
    cap_rights_t need, kobject_t **obj);
/** Lowers @a handle's rights to @a rights (a subset of those it has, else
 *  EPERM) and gives it a new generation: *@a renamed is its new handle, the
 *  old one is stale from now on. ENOENT. */
errno_t cap_restrict(
    cap_table_t *table, cap_handle_t handle, cap_rights_t rights, cap_handle_t *renamed);
/** Capabilities in use in all tables. */
uint64_t cap_total(void);
extern uint64_t cap_in_use_total; /* read through cap_total() */

/*
 * Slot operations for callers that hold table->lock themselves (the IPC fast
 * path, which must check and install under locks it already holds).
 */
#define CAP_GEN_MASK 0xffffffffu

static inline cap_handle_t cap_make_handle(uint32_t index, uint32_t gen)
{
	return ((cap_handle_t) gen << CAP_SLOT_BITS) | (index + 1);
}

/** The slot @a handle names if it is in use with the right generation. Lock held. */
static inline cap_slot_t *cap_slot_locked(cap_table_t *t, cap_handle_t handle)
{
	/* Index 0 (no slot) wraps to the largest value: one compare. */
	uint64_t i = (handle & ((1u << CAP_SLOT_BITS) - 1)) - 1;
	if (i >= t->size)
		return NULL;
	cap_slot_t *s = &t->slots[i];
	/* A generation above CAP_GEN_MASK never equals a slot's 32 bits. */
	return s->obj != NULL && s->gen == handle >> CAP_SLOT_BITS ? s : NULL;
}

/** Installs @a obj in a free slot if one is left (never grows the table);
 *  false when the table is full. Lock held. */
static inline bool cap_install_locked(
    cap_table_t *t, kobject_t *obj, cap_handle_t *handle)
{
	if (t->free_head == 0)
		return false;
	uint32_t index = t->free_head - 1;
	cap_slot_t *s = &t->slots[index];
	t->free_head = s->next_free;
	s->obj = obj;
	s->rights = (uint16_t) CAP_RIGHTS_ALL; /* overwrites next_free */
	s->flags = 0;
	t->used++;
	__atomic_add_fetch(&cap_in_use_total, 1, __ATOMIC_RELAXED);
	*handle = cap_make_handle(index, s->gen);
	return true;
}

/** Empties slot @a s and pushes it on the free list; returns the object,
 *  whose reference moves to the caller. Lock held. */
static inline kobject_t *cap_release_locked(cap_table_t *t, cap_slot_t *s)
{
	kobject_t *obj = s->obj;
	s->obj = NULL;
	s->gen = (s->gen + 1) & CAP_GEN_MASK;
	s->next_free = t->free_head;
	t->free_head = (uint32_t) (s - t->slots) + 1;
	t->used--;
	__atomic_sub_fetch(&cap_in_use_total, 1, __ATOMIC_RELAXED);
	return obj;
}
/** Number of capabilities in use. */
size_t cap_count(cap_table_t *table);
/** Capabilities counted against QUOTA_CAPS (all but calls). */
size_t cap_charged(cap_table_t *table);
/** Sets the QUOTA_CAPS limit (capabilities held stay). */
void cap_set_limit(cap_table_t *table, uint64_t limit);

#endif
