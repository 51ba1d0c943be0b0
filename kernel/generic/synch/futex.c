/*
 * Futexes: user-space locks sleep in the kernel only when contended. A
 * futex is a 32-bit word in user memory, named by (address space, address).
 * Waiters are kept in a small hash of buckets; each bucket's lock makes the
 * value check and the sleep atomic with respect to a wake on the same word.
 * Lock: bucket->wq.lock (the bucket's wait queue lock).
 */
#include <cpu.h>
#include <mm/as.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <proc/scheduler.h>
#include <syscall.h>
#include <uaccess.h>
#include <synch/futex.h>

#define FUTEX_BUCKETS 64

typedef struct {
	waitq_t wq; /* sleepers of every futex hashed here */
} futex_bucket_t;

static futex_bucket_t buckets[FUTEX_BUCKETS];

void futex_init(void)
{
	for (size_t i = 0; i < FUTEX_BUCKETS; i++)
		waitq_init(&buckets[i].wq);
}

/** The bucket of the futex at @a addr in @a as (sleepers record both). */
static futex_bucket_t *bucket_of(const as_t *as, uintptr_t addr)
{
	uint64_t h = ((uintptr_t) as >> 6) ^ (addr >> 2) ^ (addr >> 12);
	return &buckets[h % FUTEX_BUCKETS];
}

sysarg_t sys_futex_wait(sysarg_t addr, sysarg_t expected, sysarg_t usec)
{
	if (addr % 4 != 0 || expected > UINT32_MAX)
		return (sysarg_t) EINVAL;
	thread_t *self = THREAD;
	as_t *as = self->task->as;
	futex_bucket_t *b = bucket_of(as, addr);
	const uint64_t max_usec = UINT64_MAX / 1000;
	uint64_t timeout = usec == 0 ? WAITQ_FOREVER
				     : (usec > max_usec ? max_usec : usec) * 1000;
	spinlock_lock(&b->wq.lock);
	uint32_t value;
	errno_t rc = copy_from_uspace(&value, addr, sizeof(value));
	if (rc == EOK && value != (uint32_t) expected)
		rc = EAGAIN;
	if (rc != EOK) {
		spinlock_unlock(&b->wq.lock);
		return (sysarg_t) rc;
	}
	self->futex_as = as;
	self->futex_addr = addr;
	rc = waitq_sleep_locked(&b->wq, timeout, WAITQ_INTERRUPTIBLE);
	self->futex_as = NULL;
	return (sysarg_t) rc;
}

sysarg_t sys_futex_wake(sysarg_t addr, sysarg_t count)
{
	if (addr % 4 != 0)
		return (sysarg_t) EINVAL;
	as_t *as = THREAD->task->as;
	futex_bucket_t *b = bucket_of(as, addr);
	size_t woken = 0;
	spinlock_lock(&b->wq.lock);
	link_t *l = b->wq.sleepers.head.next;
	while (l != &b->wq.sleepers.head && woken < count) {
		link_t *next = l->next;
		thread_t *t = list_get_instance(l, thread_t, wait_link);
		if (t->futex_as == as && t->futex_addr == addr) {
			waitq_take_sleeper_locked(&b->wq, t);
			scheduler_ready_noirq(t); /* under the queue's lock */
			woken++;
		}
		l = next;
	}
	spinlock_unlock(&b->wq.lock);
	return (sysarg_t) woken;
}
