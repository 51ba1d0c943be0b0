/*
 * Derived phones and their revocation (docs/security.md, "Capability
 * rights").
 *
 * Deriving a phone makes a new phone of the same connection (same server,
 * same label: the server counts it like a clone) with fewer rights and a
 * new origin below the source's. Copies of it (CONNECTION_CLONE, further
 * derives) name that origin or one below, and all of them are connected to
 * the origin's box. Revoking the derived handle:
 *   1. checks the handle is a phone this task derived (else EPERM);
 *   2. marks its origin revoked under the box lock, so no copy connects
 *      from now on (phone_connect looks);
 *   3. hangs up each phone at or below the origin still connected to the
 *      box (the server gets PHONE_HUNGUP as from a hang-up) and answers
 *      its calls still queued there with EHANGUP; a call the server has
 *      already taken is answered EHANGUP when the server answers it;
 *   4. frees the handle itself.
 * A task's death does steps 2 and 3 for every phone it derived and still
 * holds (phone_revoke_copies, from ipc/death.c): what it derived and passed
 * on lives no longer than it does.
 * Lock order as in the IPC core: phone->lock -> box lock; the scans below
 * take the box lock alone and drop it before touching a phone.
 */
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <cpu.h>
#include <mm/kmalloc.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>

bool phone_origin_revoked(const phone_origin_t *origin)
{
	for (; origin != NULL; origin = origin->parent) {
		if (__atomic_load_n(&origin->revoked, __ATOMIC_ACQUIRE))
			return true;
	}
	return false;
}

void phone_origin_get(phone_origin_t *origin)
{
	if (origin != NULL)
		__atomic_add_fetch(&origin->refcount, 1, __ATOMIC_RELAXED);
}

void phone_origin_put(phone_origin_t *origin)
{
	while (origin != NULL &&
	    __atomic_sub_fetch(&origin->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		phone_origin_t *parent = origin->parent;
		task_put(origin->box->task);
		kfree(origin);
		origin = parent; /* the child's reference on it ends too */
	}
}

/** A new origin below @a parent (whose reference the caller keeps) for
 *  phones connected to @a box; NULL without memory. */
static phone_origin_t *origin_create(phone_origin_t *parent, answerbox_t *box)
{
	phone_origin_t *o = kzalloc(sizeof(*o));
	if (o == NULL)
		return NULL;
	o->refcount = 1;
	phone_origin_get(parent);
	o->parent = parent;
	task_get(box->task);
	o->box = box;
	return o;
}

/** The server and label of @a phone if it is connected (a reference on
 *  the server task for the caller); EHANGUP otherwise. */
static errno_t phone_peer(phone_t *phone, answerbox_t **box, sysarg_t *label)
{
	spinlock_lock(&phone->lock);
	errno_t rc = phone->state == PHONE_CONNECTED ? EOK : EHANGUP;
	if (rc == EOK) {
		*box = phone->callee;
		*label = phone->label;
		task_get((*box)->task);
	}
	spinlock_unlock(&phone->lock);
	return rc;
}

/** A new phone connected like @a src, named by @a origin (its reference
 *  moves to the new phone, or is dropped on failure), whose capability will
 *  carry @a rights. */
static errno_t phone_copy(
    phone_t *src, phone_origin_t *origin, cap_rights_t rights, phone_t **copy)
{
	answerbox_t *box = NULL; /* both set by phone_peer on EOK */
	sysarg_t label = 0;
	errno_t rc = phone_peer(src, &box, &label);
	if (rc != EOK) {
		phone_origin_put(origin);
		return rc;
	}
	phone_t *p = phone_create();
	if (p == NULL) {
		phone_origin_put(origin);
		task_put(box->task);
		return ENOMEM;
	}
	p->rights = rights;
	p->origin = origin; /* dropped when the phone is destroyed */
	rc = phone_connect(p, box, label);
	task_put(box->task);
	if (rc != EOK) {
		kobject_put(&p->kobj);
		return rc;
	}
	*copy = p;
	return EOK;
}

errno_t phone_copy_for_clone(phone_t *src, cap_rights_t rights, phone_t **copy)
{
	phone_origin_get(src->origin);
	return phone_copy(src, src->origin, rights, copy);
}

errno_t ipc_phone_derive(
    task_t *owner, cap_handle_t phone_h, cap_rights_t rights, cap_handle_t *derived)
{
	kobject_t *obj;
	cap_rights_t held;
	unsigned flags;
	errno_t rc = cap_query(&owner->caps, phone_h, &obj, &held, &flags);
	if (rc != EOK)
		return rc;
	phone_t *src = (phone_t *) obj;
	if (obj->type != KOBJECT_PHONE)
		rc = EINVAL;
	else if (!(held & CAP_RIGHT_CLONE) || (rights & ~held) != 0)
		rc = EPERM;
	answerbox_t *box = NULL;
	sysarg_t label;
	if (rc == EOK)
		rc = phone_peer(src, &box, &label);
	phone_origin_t *origin = NULL;
	if (rc == EOK) {
		origin = origin_create(src->origin, box);
		task_put(box->task);
		rc = origin != NULL ? EOK : ENOMEM;
	}
	phone_t *copy = NULL;
	if (rc == EOK)
		rc = phone_copy(src, origin, rights, &copy);
	kobject_put(obj);
	if (rc == EOK) {
		rc = cap_alloc_rights(
		    &owner->caps, &copy->kobj, rights, CAP_SLOT_DERIVED, derived);
		if (rc != EOK)
			kobject_put(&copy->kobj);
	}
	return rc;
}

/** Whether @a origin is @a ancestor or below it. */
static bool origin_descends(const phone_origin_t *origin, const phone_origin_t *ancestor)
{
	for (; origin != NULL; origin = origin->parent) {
		if (origin == ancestor)
			return true;
	}
	return false;
}

/** Step 2: no copy of @a origin connects from now on. */
static void origin_mark_revoked(phone_origin_t *origin)
{
	answerbox_t *box = origin->box;
	spinlock_lock(&box->wq.lock);
	__atomic_store_n(&origin->revoked, true, __ATOMIC_RELEASE);
	spinlock_unlock(&box->wq.lock);
}

/** A phone at or below @a origin still connected to its box, with a
 *  reference; NULL when none is left. */
static phone_t *origin_next_copy(phone_origin_t *origin)
{
	answerbox_t *box = origin->box;
	phone_t *found = NULL;
	spinlock_lock(&box->wq.lock);
	list_foreach (box->phones, box_link, phone_t, p) {
		/* A phone whose last reference went is hanging itself up. */
		if (origin_descends(p->origin, origin) &&
		    kobject_get_unless_zero(&p->kobj)) {
			found = p;
			break;
		}
	}
	spinlock_unlock(&box->wq.lock);
	return found;
}

void phone_fail_queued_calls(answerbox_t *box, phone_t *phone)
{
	list_t doomed;
	list_initialize(&doomed);
	spinlock_lock(&box->wq.lock);
	link_t *l = box->calls.head.next;
	while (l != &box->calls.head) {
		link_t *next = l->next;
		if (list_get_instance(l, call_t, link)->phone == phone) {
			box_dequeue(box, l);
			list_append(l, &doomed);
		}
		l = next;
	}
	spinlock_unlock(&box->wq.lock);
	for (link_t *l = list_first(&doomed); l != NULL; l = list_first(&doomed)) {
		list_remove(l);
		call_t *call = list_get_instance(l, call_t, link);
		memset(&call->data, 0, sizeof(call->data));
		call->data.method = (sysarg_t) EHANGUP;
		call_deliver_answer(call);
	}
}

/** Step 3 for one copy: hung up, its queued calls answered EHANGUP. */
static void copy_revoke(phone_t *phone, answerbox_t *box, task_t *self)
{
	__atomic_store_n(&phone->revoked, true, __ATOMIC_RELEASE);
	phone_hangup(phone, self);
	phone_fail_queued_calls(box, phone);
	kobject_put(&phone->kobj);
}

void phone_revoke_copies(phone_t *phone, task_t *by)
{
	phone_origin_t *origin = phone->origin;
	phone_origin_get(origin); /* another thread may release the handle */
	origin_mark_revoked(origin);
	/* The derived phone itself may already be hung up: its copies are not. */
	copy_revoke(phone, origin->box, by); /* drops the caller's reference */
	for (phone_t *p; (p = origin_next_copy(origin)) != NULL;)
		copy_revoke(p, origin->box, by);
	phone_origin_put(origin);
}

errno_t ipc_phone_revoke(task_t *owner, cap_handle_t phone_h)
{
	kobject_t *obj;
	cap_rights_t rights;
	unsigned flags;
	errno_t rc = cap_query(&owner->caps, phone_h, &obj, &rights, &flags);
	if (rc != EOK)
		return rc;
	if (obj->type != KOBJECT_PHONE || !(flags & CAP_SLOT_DERIVED)) {
		kobject_put(obj);
		return EPERM;
	}
	phone_revoke_copies((phone_t *) obj, owner); /* drops the query's reference */
	if (cap_free(&owner->caps, phone_h, KOBJECT_PHONE, 0, &obj) == EOK)
		kobject_put(obj);
	return EOK;
}
