/*
 * Quotas (proc/quota.h): limits given at task creation, lowered by
 * SYS_QUOTA_SET, and the QUOTA_TASKS and QUOTA_CALLS counting.
 * Lock: quota_lock guards every task's tasks_used and is taken alone (it
 * is a leaf: nothing else is locked while it is held); task->lock guards
 * task->quota[] and is taken before a cap table's or an address space's.
 */
#include <proc/quota.h>
#include <mm/as.h>
#include <panic.h>
#include <proc/task.h>
#include <spinlock.h>

static spinlock_t quota_lock = SPINLOCK_INITIALIZER("quota", QUOTA);

static const uint64_t quota_defaults[QUOTA_COUNT] = {
    [QUOTA_TASKS] = QUOTA_DEFAULT_TASKS,
    [QUOTA_THREADS] = QUOTA_DEFAULT_THREADS,
    [QUOTA_CAPS] = QUOTA_DEFAULT_CAPS,
    [QUOTA_MEMORY] = QUOTA_UNLIMITED, /* the frames' commit accounting bounds it */
    [QUOTA_CALLS] = QUOTA_DEFAULT_CALLS,
};

static uint64_t limit_of(task_t *t, unsigned kind)
{
	return __atomic_load_n(&t->quota[kind], __ATOMIC_RELAXED);
}

/** Charges one task to @a creator and every task above it; ELIMIT (nothing
 *  charged) when one of them is at its limit. */
static errno_t charge_line(task_t *creator)
{
	spinlock_lock(&quota_lock);
	for (task_t *a = creator; a != NULL; a = a->quota_parent) {
		if (a->tasks_used >= limit_of(a, QUOTA_TASKS)) {
			spinlock_unlock(&quota_lock);
			return ELIMIT;
		}
	}
	for (task_t *a = creator; a != NULL; a = a->quota_parent)
		a->tasks_used++;
	spinlock_unlock(&quota_lock);
	return EOK;
}

/** Hands @a t's limits to the objects that check them. */
static void push_limits(task_t *t)
{
	cap_set_limit(&t->caps, limit_of(t, QUOTA_CAPS));
	if (t->as != NULL)
		as_set_commit_limit(t->as, limit_of(t, QUOTA_MEMORY));
}

errno_t quota_task_init(task_t *t, task_t *creator)
{
	if (creator == NULL || creator == &kernel_task) {
		for (unsigned k = 0; k < QUOTA_COUNT; k++)
			t->quota[k] = quota_defaults[k];
		t->quota_parent = NULL;
	} else {
		errno_t rc = charge_line(creator);
		if (rc != EOK)
			return rc;
		spinlock_lock(&creator->lock);
		for (unsigned k = 0; k < QUOTA_COUNT; k++)
			t->quota[k] = creator->quota[k];
		spinlock_unlock(&creator->lock);
		t->quota[QUOTA_TASKS] /= 2;
		task_get(creator);
		t->quota_parent = creator;
	}
	push_limits(t);
	return EOK;
}

void quota_task_end(task_t *t)
{
	spinlock_lock(&quota_lock);
	for (task_t *a = t->quota_parent; a != NULL; a = a->quota_parent) {
		assert(a->tasks_used > 0);
		a->tasks_used--;
	}
	spinlock_unlock(&quota_lock);
}

void quota_task_free(task_t *t)
{
	if (t->quota_parent != NULL)
		task_put(t->quota_parent);
	t->quota_parent = NULL;
}

errno_t quota_set(task_t *t, unsigned kind, uint64_t limit)
{
	if (kind >= QUOTA_COUNT)
		return EINVAL;
	spinlock_lock(&t->lock);
	errno_t rc = limit > t->quota[kind] ? EPERM : EOK;
	if (rc == EOK)
		__atomic_store_n(&t->quota[kind], limit, __ATOMIC_RELAXED);
	spinlock_unlock(&t->lock);
	if (rc == EOK)
		push_limits(t);
	return rc;
}

void quota_get(task_t *t, quota_info_t *info)
{
	spinlock_lock(&t->lock);
	for (unsigned k = 0; k < QUOTA_COUNT; k++)
		info->limit[k] = t->quota[k];
	info->used[QUOTA_THREADS] = t->thread_count;
	spinlock_unlock(&t->lock);
	spinlock_lock(&quota_lock);
	info->used[QUOTA_TASKS] = t->tasks_used;
	spinlock_unlock(&quota_lock);
	info->used[QUOTA_CAPS] = cap_charged(&t->caps);
	info->used[QUOTA_MEMORY] = t->as != NULL ? as_committed(t->as) : 0;
	info->used[QUOTA_CALLS] = __atomic_load_n(&t->calls_out, __ATOMIC_RELAXED);
}

bool quota_calls_charge(task_t *t)
{
	uint64_t n = __atomic_load_n(&t->calls_out, __ATOMIC_RELAXED);
	do {
		if (n >= limit_of(t, QUOTA_CALLS))
			return false;
	} while (!__atomic_compare_exchange_n(
	    &t->calls_out, &n, n + 1, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

void quota_calls_uncharge(task_t *t)
{
	__atomic_sub_fetch(&t->calls_out, 1, __ATOMIC_RELAXED);
}
