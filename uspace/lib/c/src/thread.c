/*
 * Threads. thread_create() maps a stack area and puts a thread_start_t at its
 * top; the new thread enters thread_main() as if called, with RSP 8 below a
 * 16-byte boundary and a zero return address on the stack (so backtraces end
 * there), and RDI pointing at the record. thread_exit() recognises a libc
 * stack by that record and destroys the stack as the thread ends; the main
 * thread's stack belongs to the kernel and stays.
 */
#include "private/libc.h"
#include "private/tls.h"
#include <as.h>
#include <common/adt/list.h>
#include <futex.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>

#define THREAD_START_MAGIC 0x7472617473726874ull

/** Join state of a thread; lives on the heap, since the stack goes at exit. */
typedef struct thread_ctl {
	link_t link;		/* threads, under threads_lock */
	thread_id_t id;		/* 0 until the kernel has told it */
	volatile uint32_t done; /* 1 once the thread has ended (a futex) */
	bool detached;		/* nobody joins: freed when the thread ends */
	bool joining;		/* a thread_join is under way: it frees the ctl */
} thread_ctl_t;

static list_t threads = LIST_INITIALIZER(threads);
static futex_mutex_t threads_lock = FUTEX_MUTEX_INITIALIZER;

typedef struct {
	uint64_t magic;
	uintptr_t stack_base; /* the area holding this record */
	thread_fn_t fn;
	void *arg;
	thread_local_t tls;
	thread_ctl_t *ctl;
} __attribute__((aligned(16))) thread_start_t;

_Static_assert(sizeof(thread_start_t) % 16 == 0, "keeps the entry RSP aligned");

static _Noreturn void thread_main(thread_start_t *start)
{
	start->tls.ctl = start->ctl;
	tls_set(&start->tls);
	start->fn(start->arg);
	thread_exit();
}

/** Records that the calling thread ends: wakes a joiner or frees a detached ctl. */
static void thread_ended(thread_ctl_t *ctl)
{
	futex_mutex_lock(&threads_lock);
	bool detached = ctl->detached;
	if (detached)
		list_remove(&ctl->link);
	__atomic_store_n(&ctl->done, 1, __ATOMIC_RELEASE);
	futex_wake(&ctl->done, UINT32_MAX);
	futex_mutex_unlock(&threads_lock);
	if (detached)
		free(ctl);
}

static thread_ctl_t *ctl_find_locked(thread_id_t id)
{
	list_foreach (threads, link, thread_ctl_t, c) {
		if (c->id == id)
			return c;
	}
	return NULL;
}

errno_t thread_join(thread_id_t id)
{
	if (id == thread_get_id())
		return EINVAL;
	futex_mutex_lock(&threads_lock);
	thread_ctl_t *ctl = ctl_find_locked(id);
	if (ctl == NULL || ctl->detached || ctl->joining) {
		futex_mutex_unlock(&threads_lock);
		return ENOENT;
	}
	ctl->joining = true; /* nobody else may join it */
	futex_mutex_unlock(&threads_lock);
	while (__atomic_load_n(&ctl->done, __ATOMIC_ACQUIRE) == 0)
		DISCARD(woken, futex_wait(&ctl->done, 0, 0));
	futex_mutex_lock(&threads_lock);
	list_remove(&ctl->link);
	futex_mutex_unlock(&threads_lock);
	free(ctl);
	return EOK;
}

errno_t thread_detach(thread_id_t id)
{
	futex_mutex_lock(&threads_lock);
	thread_ctl_t *ctl = ctl_find_locked(id);
	errno_t rc = ctl == NULL || ctl->detached || ctl->joining ? ENOENT : EOK;
	bool free_now = false;
	if (rc == EOK) {
		ctl->detached = true;
		free_now = ctl->done;
		if (free_now)
			list_remove(&ctl->link);
	}
	futex_mutex_unlock(&threads_lock);
	if (free_now)
		free(ctl);
	return rc;
}

bool __libc_threaded;

errno_t thread_create(thread_fn_t fn, void *arg, const char *name, thread_id_t *id)
{
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = as_area_create(&base, THREAD_STACK_SIZE,
	    AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE | AS_AREA_NORESERVE);
	if (rc != EOK)
		return rc;
	thread_ctl_t *ctl = calloc(1, sizeof(*ctl));
	if (ctl == NULL) {
		DISCARD(cleanup, as_area_destroy(base));
		return ENOMEM;
	}
	thread_start_t *start = (thread_start_t *) (base + THREAD_STACK_SIZE) - 1;
	*start = (thread_start_t){.magic = THREAD_START_MAGIC,
	    .stack_base = base,
	    .fn = fn,
	    .arg = arg,
	    .ctl = ctl};
	uint64_t *sp = (uint64_t *) start - 1;
	*sp = 0; /* the return address thread_main never uses */
	if (name == NULL)
		name = "thread";
	thread_id_t tid;
	/* Published before the thread runs, so that it can find itself at exit. */
	futex_mutex_lock(&threads_lock);
	list_append(&ctl->link, &threads);
	__libc_thread_starting();
	rc = (errno_t) syscall6(SYS_THREAD_CREATE, (sysarg_t) thread_main, (sysarg_t) sp,
	    (sysarg_t) start, (sysarg_t) name, strlen(name), (sysarg_t) &tid);
	if (rc == EOK)
		ctl->id = tid;
	else
		list_remove(&ctl->link);
	futex_mutex_unlock(&threads_lock);
	if (rc != EOK) {
		free(ctl);
		DISCARD(cleanup, as_area_destroy(base));
		return rc;
	}
	if (id != NULL)
		*id = tid;
	return EOK;
}

_Noreturn void thread_exit(void)
{
	thread_local_t *tls = tls_get();
	if (tls != NULL && tls->ctl != NULL)
		thread_ended(tls->ctl);
	as_area_info_t area;
	if (as_area_query((uintptr_t) &area, &area) == EOK) {
		thread_start_t *start = (thread_start_t *) (area.base + area.size) - 1;
		if (start->magic == THREAD_START_MAGIC && start->stack_base == area.base)
			__thread_exit_unmap(area.base);
	}
	syscall0(SYS_THREAD_EXIT);
	__builtin_trap();
}

thread_id_t thread_get_id(void)
{
	thread_id_t tid = 0;
	syscall1(SYS_THREAD_GET_ID, (sysarg_t) &tid);
	return tid;
}

errno_t thread_sleep(uint64_t usec)
{
	return (errno_t) syscall1(SYS_THREAD_SLEEP, usec);
}

void thread_yield(void)
{
	syscall0(SYS_THREAD_YIELD);
}

errno_t thread_set_affinity(uint64_t mask)
{
	return (errno_t) syscall1(SYS_THREAD_SET_AFFINITY, (sysarg_t) mask);
}

errno_t cpu_info(unsigned *cpu, unsigned *count)
{
	uint32_t c, n;
	errno_t rc = (errno_t) syscall2(SYS_CPU_INFO, (sysarg_t) &c, (sysarg_t) &n);
	if (rc == EOK) {
		*cpu = c;
		*count = n;
	}
	return rc;
}

errno_t cpu_stats_get(unsigned cpu, cpu_stats_t *stats)
{
	return (errno_t) syscall2(SYS_CPU_STATS, (sysarg_t) cpu, (sysarg_t) stats);
}

void spinlock_lock_contended(spinlock_t *lock)
{
	do
		thread_yield();
	while (__atomic_exchange_n(&lock->locked, true, __ATOMIC_ACQUIRE));
}
