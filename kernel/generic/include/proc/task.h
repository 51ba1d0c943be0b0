/*
 * Tasks: an address space, a capability space (IPC) and a set of threads.
 * The kernel task (id 0) owns the kernel threads and has no user address
 * space.
 *
 * Life cycle: task_create() -> threads run -> the last thread is destroyed ->
 * task_finish() frees the address space and records how the task ended. A
 * task with a living parent then stays a zombie until the parent collects it
 * with task_wait(); otherwise it is reaped at once.
 *
 * References: the global task list holds one; lookups take one temporarily.
 * Locks (synch/lock_order.h): task->lock -> tasks_lock -> thread->lock.
 */
#ifndef KERN_PROC_TASK_H
#define KERN_PROC_TASK_H

#include <abi/proc.h>
#include <cap/cap.h>
#include <ipc/ipc.h>
#include <panic.h>
#include <proc/hwres.h>
#include <proc/quota.h>
#include <common/adt/list.h>
#include <spinlock.h>
#include <synch/waitq.h>
#include <types.h>

#define TASK_NAME_MAX (TASK_NAME_LEN_MAX + 1)

struct as;
struct thread;

typedef enum {
	TASK_RUNNING,
	TASK_ZOMBIE, /* finished, waiting for its parent's task_wait */
} task_state_t;

typedef struct task {
	uint64_t id;
	char name[TASK_NAME_MAX];
	struct as *as; /* NULL for the kernel task and once ended (under lock) */
	uint64_t
	    page_root;	 /* as's page table root (the kernel's): read at every switch */
	spinlock_t lock; /* guards threads, state, exit, parent_id */
	list_t threads;	 /* thread_t.task_link */
	size_t thread_count;
	link_t all_link; /* the global task list */
	uint64_t refcount;
	unsigned home_cpu;  /* where its threads start (chosen at creation) */
	uint64_t parent_id; /* 0: none (or the parent has gone) */
	unsigned perms;	    /* PERM_* */
	task_state_t state;
	bool dying;    /* killed or exiting: no new threads */
	bool exit_set; /* exit holds the final word */
	/* Reaped as soon as it ends, parent or not: the naming service keeps the
	 * exit (it hears it in the PHONE_HUNGUP of phone 1). */
	bool detached;
	bool essential; /* its end reboots the machine (TASK_FLAG_ESSENTIAL) */
	task_exit_t exit;
	waitq_t exit_wq; /* task_wait sleepers */
	uint64_t start_ns;
	cap_table_t caps;
	answerbox_t box;
	ipc_stats_t ipc_stats;
	/* CPU time of its threads that have ended (under lock): a live
	 * thread's own counters join these when it leaves the task. */
	uint64_t ended_cycles;
	uint64_t ended_ticks;
	uint64_t ended_user_ticks;
	/* I/O ports the task may use: a TSS-style bitmap (bit clear = allowed)
	 * covering ports below io_bitmap_bytes * 8; NULL: none. */
	uint8_t *io_bitmap;
	size_t io_bitmap_bytes;
	hwres_set_t hwres; /* granted resources (under lock) */
	/* Quotas (proc/quota.h): the limits (under lock), the living tasks it
	 * and its descendants created (quota_lock), its unanswered calls
	 * (atomic) and its creator (a reference, for QUOTA_TASKS). */
	uint64_t quota[QUOTA_COUNT];
	uint64_t tasks_used;
	uint64_t calls_out;
	struct task *quota_parent;
	bool hwres_released; /* ending: its claims are gone, no more grants */
	/* Exceptions and debugging (proc/exc.c), under lock: the exception
	 * handler (a phone reference, NULL: none); debug_stop: threads stop on
	 * their way to user mode and sleep on debug_wq until it is cleared;
	 * exc_self as thread->exc_self. */
	struct phone *exc_phone;
	uint64_t exc_self;
	bool debug_stop;
	uint64_t debug_stopper; /* who stopped it (debug_wq.lock): its end resumes it */
	waitq_t debug_wq;
} task_t;

extern task_t kernel_task;

void task_init(void);
/** Creates an empty task (no threads) with a fresh address space. */
errno_t task_create(const char *name, task_t *parent, unsigned perms, task_t **out);
/** Whether @a task holds @a perm or any hardware grant: a driver (what
 *  SYS_DMAMEM_MAP checks). */
bool task_drives_hw(task_t *task, unsigned perm);
/** Whether @a task may use @a base .. @a base + @a size - 1 of @a kind (what
 *  SYS_IOSPACE_ENABLE, SYS_IRQ_SUBSCRIBE and SYS_PHYSMEM_MAP check): EOK
 *  within a grant; else EPERM without @a perm or for the PCI configuration
 *  ports, EBUSY when another task claims part of it; EOK then, claiming it
 *  for @a task when @a claim (ports and IRQ lines; memory is shared). */
errno_t task_hwres_use(
    task_t *task, unsigned perm, uint32_t kind, uint64_t base, uint64_t size, bool claim);
/** Grants @a task a hardware resource and claims it for it (SYS_HWRES_GRANT):
 *  EINVAL, ELIMIT (hwres_set_add, the claim table), EBUSY (another task's
 *  claim overlaps), ENOENT (the task is ending), ENOMEM. */
errno_t task_hwres_grant(task_t *task, uint32_t kind, uint64_t base, uint64_t size);
/** Destroys a task that never had a thread (a failed program load). */
void task_discard(task_t *task);
/** Finds a task by id and takes a reference; NULL if there is none. */
task_t *task_find(uint64_t id);
/** Frees @a task, whose last reference is gone (task_put). */
void task_free(task_t *task);

static inline void task_get(task_t *task)
{
	__atomic_add_fetch(&task->refcount, 1, __ATOMIC_RELAXED);
}

/** Takes @a n references to @a task at once. */
static inline void task_get_n(task_t *task, uint64_t n)
{
	__atomic_add_fetch(&task->refcount, n, __ATOMIC_RELAXED);
}

static inline void task_put(task_t *task)
{
	if (__atomic_sub_fetch(&task->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		task_free(task);
}
/** Drops @a n references to @a task at once (held by the caller). */
static inline void task_put_n(task_t *task, uint64_t n)
{
	if (__atomic_sub_fetch(&task->refcount, n, __ATOMIC_ACQ_REL) == 0)
		task_free(task);
}
/** Drops @a n references to @a task that cannot be its last: a thread of
 *  @a task, alive, keeps one of its own (task_attach_thread). */
static inline void task_put_n_alive(task_t *task, uint64_t n)
{
	uint64_t left = __atomic_sub_fetch(&task->refcount, n, __ATOMIC_RELEASE);
	assert_hot(left != 0);
	(void) left;
}
/** Physical root of @a task's page table (the kernel's for the kernel task). */
static inline uint64_t task_page_root(const task_t *task)
{
	return task->page_root;
}
/** Adds @a thread to @a task; EINTR if the task is dying, ELIMIT at its
 *  QUOTA_THREADS. */
errno_t task_attach_thread(task_t *task, struct thread *thread);
/** Takes @a thread, which has exited, off its task's list (no kill or debug
 *  request reaches it any more); the task still counts it. */
void task_unlink_thread(struct thread *thread);
/** A thread of @a task, unlinked before, is wholly freed: the task counts it
 *  no more and the last one finishes the task, so the task's end (task_wait,
 *  EVENT_TASK_EXIT) is seen only once each of its threads is gone from
 *  thread_count() and its frames are free. Drops the thread's reference. */
void task_thread_gone(task_t *task);
/** Ends every thread of @a task; the first recorded ending (@a how) wins. */
void task_kill(task_t *task, const task_exit_t *how);
/** Waits up to @a timeout_ns (0: forever) for task @a id to end; ENOENT,
 *  EPERM (not the parent and no PERM_TASK), ETIMEOUT, EINTR. */
errno_t task_wait(uint64_t id, task_exit_t *exit, uint64_t timeout_ns);
/** Lets @a t be reaped when it ends even though it has a parent (programs
 *  started through the loader: the naming service tracks their exits). */
void task_detach(task_t *t);
/** Waits for the task @a t (a reference the caller holds) to end, whoever its parent. */
errno_t task_wait_ref(task_t *t, task_exit_t *exit, uint64_t timeout_ns);
/** Kills the current task after a fault in user mode (@a code: TASK_FAULT_*
 *  or the exception vector, its exit status); does not return. */
NORETURN void task_fault(
    const char *what, int code, uintptr_t addr, uintptr_t ip, bool has_addr);
/** Lets @a task use ports [port, port + size); EINVAL, ENOMEM. */
errno_t task_io_enable(task_t *task, uint32_t port, uint32_t size);
/** Whether @a task may use ports [port, port + width). */
bool task_io_allowed(task_t *task, uint32_t port, unsigned width);
/** Calls @a fn for every task (tasks_lock held: @a fn must not block). */
void task_foreach(void (*fn)(task_t *task, void *arg), void *arg);
/** Number of tasks in the global list (for leak tests and tools). */
size_t task_count(void);

#endif
