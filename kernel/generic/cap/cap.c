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
	t->charged = 0;
	t->limit = UINT64_MAX;
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

/** Whether @a obj counts against QUOTA_CAPS. */
static bool cap_is_charged(const kobject_t *obj)
{
	return obj->type != KOBJECT_CALL;
}

/** Empties slot @a s, uncharging it; its object's reference to the caller. Lock held. */
static kobject_t *cap_release_charged_locked(cap_table_t *t, cap_slot_t *s)
{
	if (cap_is_charged(s->obj))
		t->charged--;
	return cap_release_locked(t, s);
}

/** Gives installed @a handle @a rights and @a flags instead of the defaults. Lock held. */
static void cap_slot_mark_locked(
    cap_table_t *t, cap_handle_t handle, cap_rights_t rights, unsigned flags)
{
	cap_slot_t *s = cap_slot_locked(t, handle);
	s->rights = (uint16_t) (rights & CAP_RIGHTS_ALL);
	s->flags = (uint16_t) flags;
}

errno_t cap_alloc(cap_table_t *t, kobject_t *obj, cap_handle_t *handle)
{
	return cap_alloc_rights(t, obj, CAP_RIGHTS_ALL, 0, handle);
}

errno_t cap_alloc_rights(cap_table_t *t, kobject_t *obj, cap_rights_t rights,
    unsigned flags, cap_handle_t *handle)
{
	bool charged = cap_is_charged(obj);
	for (;;) {
		spinlock_lock(&t->lock);
		if (charged && t->charged >= t->limit) {
			spinlock_unlock(&t->lock);
			return ELIMIT;
		}
		if (cap_install_locked(t, obj, handle)) {
			if (rights != CAP_RIGHTS_ALL || flags != 0)
				cap_slot_mark_locked(t, *handle, rights, flags);
			t->charged += charged;
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

/** The slot of @a handle if it names a @a type object with every right in
 *  @a need; NULL with *@a rc ENOENT or EPERM otherwise. Lock held. */
static cap_slot_t *cap_checked_locked(cap_table_t *t, cap_handle_t handle,
    kobject_type_t type, cap_rights_t need, errno_t *rc)
{
	cap_slot_t *s = cap_slot_locked(t, handle);
	if (s == NULL || s->obj->type != type) {
		*rc = ENOENT;
		return NULL;
	}
	if ((s->rights & need) != need) {
		*rc = EPERM;
		return NULL;
	}
	*rc = EOK;
	return s;
}

errno_t cap_lookup(cap_table_t *t, cap_handle_t handle, kobject_type_t type,
    cap_rights_t need, kobject_t **obj)
{
	errno_t rc;
	spinlock_lock(&t->lock);
	cap_slot_t *s = cap_checked_locked(t, handle, type, need, &rc);
	if (s != NULL) {
		*obj = s->obj;
		kobject_get(s->obj);
	}
	spinlock_unlock(&t->lock);
	return rc;
}

errno_t cap_query(cap_table_t *t, cap_handle_t handle, kobject_t **obj,
    cap_rights_t *rights, unsigned *flags)
{
	spinlock_lock(&t->lock);
	cap_slot_t *s = cap_slot_locked(t, handle);
	if (s != NULL) {
		*obj = s->obj;
		kobject_get(s->obj);
		*rights = s->rights;
		*flags = s->flags;
	}
	spinlock_unlock(&t->lock);
	return s != NULL ? EOK : ENOENT;
}

errno_t cap_free(cap_table_t *t, cap_handle_t handle, kobject_type_t type,
    cap_rights_t need, kobject_t **obj)
{
	errno_t rc;
	spinlock_lock(&t->lock);
	cap_slot_t *s = cap_checked_locked(t, handle, type, need, &rc);
	if (s != NULL)
		*obj = cap_release_charged_locked(t, s);
	spinlock_unlock(&t->lock);
	return rc;
}

errno_t cap_restrict(
    cap_table_t *t, cap_handle_t handle, cap_rights_t rights, cap_handle_t *renamed)
{
	errno_t rc = EOK;
	spinlock_lock(&t->lock);
	cap_slot_t *s = cap_slot_locked(t, handle);
	if (s == NULL)
		rc = ENOENT;
	else if ((rights & ~(cap_rights_t) s->rights) != 0)
		rc = EPERM;
	if (rc == EOK) {
		s->gen = (s->gen + 1) & CAP_GEN_MASK;
		s->rights = (uint16_t) rights;
		*renamed = cap_make_handle((uint32_t) (s - t->slots), s->gen);
	}
	spinlock_unlock(&t->lock);
	return rc;
}

void cap_table_clear(cap_table_t *t)
{
	for (;;) {
		kobject_t *obj = NULL;
		spinlock_lock(&t->lock);
		for (uint32_t i = 0; i < t->size && obj == NULL; i++) {
			if (t->slots[i].obj != NULL)
				obj = cap_release_charged_locked(t, &t->slots[i]);
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

size_t cap_charged(cap_table_t *t)
{
	return t->charged;
}

void cap_set_limit(cap_table_t *t, uint64_t limit)
{
	spinlock_lock(&t->lock);
	t->limit = limit;
	spinlock_unlock(&t->lock);
}
