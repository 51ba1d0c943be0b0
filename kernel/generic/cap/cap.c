/*
 * Capability tables. Slots live in one array that doubles when full (up to
 * CAP_SLOTS_MAX); free slots form a LIFO list so recently freed slots are
 * reused first, each time with a new generation.
 */
#include <cap/cap.h>
#include <mm/kmalloc.h>
#include <panic.h>
#include <string.h>

#define CAP_INITIAL_SLOTS 16

static uint64_t caps_in_use; /* over all tables */

uint64_t cap_total(void)
{
	return __atomic_load_n(&caps_in_use, __ATOMIC_RELAXED);
}
#define GEN_MASK 0xffffffffu

void kobject_init(kobject_t *obj, kobject_type_t type, kobject_destroy_t destroy)
{
	obj->type = type;
	obj->refcount = 1;
	obj->destroy = destroy;
}

void kobject_get(kobject_t *obj)
{
	__atomic_add_fetch(&obj->refcount, 1, __ATOMIC_RELAXED);
}

void kobject_put(kobject_t *obj)
{
	if (__atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		obj->destroy(obj);
}

static cap_handle_t make_handle(uint32_t index, uint32_t gen)
{
	return ((cap_handle_t) gen << CAP_SLOT_BITS) | (index + 1);
}

/** The slot @a handle names if it is in use with the right generation. Lock held. */
static cap_slot_t *slot_of(cap_table_t *t, cap_handle_t handle)
{
	uint64_t index = (handle & ((1u << CAP_SLOT_BITS) - 1));
	uint64_t gen = handle >> CAP_SLOT_BITS;
	if (index == 0 || index > t->size || gen > GEN_MASK)
		return NULL;
	cap_slot_t *s = &t->slots[index - 1];
	return s->obj != NULL && s->gen == gen ? s : NULL;
}

void cap_table_init(cap_table_t *t)
{
	spinlock_init(&t->lock, "caps");
	t->slots = NULL;
	t->size = 0;
	t->free_head = 0;
	t->used = 0;
}

/** Doubles the table. Called without the lock (kmalloc may take others). */
static errno_t grow(cap_table_t *t)
{
	spinlock_lock(&t->lock);
	uint32_t old = t->size;
	spinlock_unlock(&t->lock);
	uint32_t size = old == 0 ? CAP_INITIAL_SLOTS : old * 2;
	if (size > CAP_SLOTS_MAX)
		return ELIMIT;
	cap_slot_t *slots = kzalloc(size * sizeof(cap_slot_t));
	if (slots == NULL)
		return ENOMEM;
	spinlock_lock(&t->lock);
	if (t->size != old) { /* someone else grew it meanwhile */
		spinlock_unlock(&t->lock);
		kfree(slots);
		return EOK;
	}
	if (old > 0)
		memcpy(slots, t->slots, old * sizeof(cap_slot_t));
	for (uint32_t i = size; i-- > old;) {
		slots[i].next_free = t->free_head;
		t->free_head = i + 1;
	}
	cap_slot_t *previous = t->slots;
	t->slots = slots;
	t->size = size;
	spinlock_unlock(&t->lock);
	kfree(previous);
	return EOK;
}

errno_t cap_alloc(cap_table_t *t, kobject_t *obj, cap_handle_t *handle)
{
	for (;;) {
		spinlock_lock(&t->lock);
		if (t->free_head != 0) {
			uint32_t index = t->free_head - 1;
			cap_slot_t *s = &t->slots[index];
			t->free_head = s->next_free;
			s->obj = obj;
			s->next_free = 0;
			t->used++;
			__atomic_add_fetch(&caps_in_use, 1, __ATOMIC_RELAXED);
			*handle = make_handle(index, s->gen);
			spinlock_unlock(&t->lock);
			return EOK;
		}
		spinlock_unlock(&t->lock);
		errno_t rc = grow(t);
		if (rc != EOK)
			return rc;
	}
}

kobject_t *cap_get(cap_table_t *t, cap_handle_t handle, kobject_type_t type)
{
	spinlock_lock(&t->lock);
	cap_slot_t *s = slot_of(t, handle);
	kobject_t *obj = s != NULL && s->obj->type == type ? s->obj : NULL;
	if (obj != NULL)
		kobject_get(obj);
	spinlock_unlock(&t->lock);
	return obj;
}

/** Empties slot @a s and pushes it on the free list. Lock held. */
static kobject_t *slot_release(cap_table_t *t, cap_slot_t *s)
{
	kobject_t *obj = s->obj;
	s->obj = NULL;
	s->gen = (s->gen + 1) & GEN_MASK;
	s->next_free = t->free_head;
	t->free_head = (uint32_t) (s - t->slots) + 1;
	t->used--;
	__atomic_sub_fetch(&caps_in_use, 1, __ATOMIC_RELAXED);
	return obj;
}

errno_t cap_free(
    cap_table_t *t, cap_handle_t handle, kobject_type_t type, kobject_t **obj)
{
	spinlock_lock(&t->lock);
	cap_slot_t *s = slot_of(t, handle);
	if (s == NULL || s->obj->type != type) {
		spinlock_unlock(&t->lock);
		return ENOENT;
	}
	*obj = slot_release(t, s);
	spinlock_unlock(&t->lock);
	return EOK;
}

void cap_table_clear(cap_table_t *t)
{
	for (;;) {
		kobject_t *obj = NULL;
		spinlock_lock(&t->lock);
		for (uint32_t i = 0; i < t->size && obj == NULL; i++) {
			if (t->slots[i].obj != NULL)
				obj = slot_release(t, &t->slots[i]);
		}
		spinlock_unlock(&t->lock);
		if (obj == NULL)
			return;
		kobject_put(obj);
	}
}

void cap_table_destroy(cap_table_t *t)
{
	cap_table_clear(t);
	kfree(t->slots);
	t->slots = NULL;
	t->size = 0;
}

size_t cap_count(cap_table_t *t)
{
	return t->used;
}
