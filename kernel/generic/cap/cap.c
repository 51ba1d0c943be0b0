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

uint64_t cap_in_use_total; /* over all tables */

uint64_t cap_total(void)
{
	return __atomic_load_n(&cap_in_use_total, __ATOMIC_RELAXED);
}

void cap_table_init(cap_table_t *t)
{
	spinlock_init(&t->lock, "caps", LOCK_CLASS_CAPS);
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
		if (cap_install_locked(t, obj, handle)) {
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
	cap_slot_t *s = cap_slot_locked(t, handle);
	kobject_t *obj = s != NULL && s->obj->type == type ? s->obj : NULL;
	if (obj != NULL)
		kobject_get(obj);
	spinlock_unlock(&t->lock);
	return obj;
}

errno_t cap_free(
    cap_table_t *t, cap_handle_t handle, kobject_type_t type, kobject_t **obj)
{
	spinlock_lock(&t->lock);
	cap_slot_t *s = cap_slot_locked(t, handle);
	if (s == NULL || s->obj->type != type) {
		spinlock_unlock(&t->lock);
		return ENOENT;
	}
	*obj = cap_release_locked(t, s);
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
				obj = cap_release_locked(t, &t->slots[i]);
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
