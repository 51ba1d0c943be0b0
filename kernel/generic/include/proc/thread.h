/*
 * Threads: the unit of scheduling. Every thread has its own kernel stack;
 * user threads also have a user context saved at the top of that stack on
 * every entry to the kernel.
 *
 * Life cycle: thread_create() -> thread_start() -> READY <-> RUNNING <->
 * BLOCKED -> EXITED. An exited thread is destroyed once it has switched away
 * for the last time and it is detached or joined.
 * Lock: thread->lock guards the join/detach state, and is held by an
 * interrupt (a kill) from reading thread->waitq to leaving that queue, which
 * a sleep waits for before it returns (synch/waitq.c); scheduling state is
 * changed only with interrupts disabled by the owning CPU.
 */
#ifndef KERN_PROC_THREAD_H
#define KERN_PROC_THREAD_H

#include <common/adt/list.h>
#include <cpu.h>
#include <spinlock.h>
#include <synch/waitq.h>
#include <time/timeout.h>
#include <types.h>
#include <abi/ipc.h>
#include <common/arch/page.h>

#define THREAD_NAME_MAX		32
#define THREAD_STACK_ORDER	2 /* 16 KiB kernel stacks */
#define THREAD_STACK_SIZE	(PAGE_SIZE << THREAD_STACK_ORDER)
#define THREAD_PRIORITY_DEFAULT 8
#define THREAD_SLICE_TICKS	2
/* Written at the lowest word of every kernel stack, checked on each switch. */
#define THREAD_STACK_CANARY 0x5ca1ab1e5ca1ab1eull

typedef enum {
	THREAD_NEW,
	THREAD_READY,
	THREAD_RUNNING,
	THREAD_BLOCKED,
	THREAD_EXITED,
} thread_state_t;

struct task;
struct istate;

typedef void (*thread_fn_t)(void *arg);

/* The first fields have fixed offsets: the architecture's entry code uses
 * them (THREAD_OFF_SYSCALL_REGS in arch/syscall.h). */
typedef struct thread {
	uintptr_t context_sp; /* saved kernel stack pointer while switched out */
	void *kstack;	      /* THREAD_STACK_SIZE bytes */
	/* Offset 16. The user registers saved at the entry of the system call
	 * the thread is in, when it took the full path (IPC and everything
	 * numbered from SYS_IPC_FIRST on); NULL outside one and on the light
	 * path, which saves only some. Written by the thread itself (arch
	 * syscall.S and syscall.c), or cleared for it, blocked, by the IPC fast
	 * path that finishes its call; read under task->lock by the debug
	 * interface, which shows a thread blocked in such a call as stopped
	 * while its task is (proc/exc.c). */
	struct istate *syscall_regs;
	uint64_t id;
	char name[THREAD_NAME_MAX];
	struct task *task;
	link_t task_link; /* task->threads */
	link_t all_link;  /* the global thread list */

	thread_state_t state; /* to READY under cpu->rq_lock (scheduler.c) */
	/* Home: queued and run there only. Changed by the thread itself
	 * (thread_set_affinity), while it is READY and off every CPU by a
	 * CPU that steals it under the old home's rq_lock, or by the one
	 * waker of a BLOCKED thread that pulls it over (scheduler.c). */
	struct cpu *cpu;
	/* The thread that last woke it (written by that waker, the only one
	 * that could make it ready; compared, never followed): two threads
	 * that wake each other in turn are a pair (scheduler.c). */
	const struct thread *last_waker;
	uint64_t affinity; /* bit n: it may run on CPU n */
	bool affinity_set; /* chosen by the thread itself (steal rules: scheduler.c) */
	/* Its context is live on a CPU: set when it is switched to, cleared
	 * once the switch away from it has saved its context (finish_switch).
	 * No other CPU may run it meanwhile. */
	volatile bool on_cpu;
	int priority;
	unsigned slice_left; /* ticks until preemption */
	link_t rq_link;	     /* run queue */
	/* Its home's tick count when it was last queued (written and read
	 * under the home's rq_lock): how long it has waited there, which
	 * decides whether another CPU may take it (scheduler.c). */
	uint64_t queued_tick;

	/* Sleeping: set while BLOCKED on a wait queue. */
	link_t wait_link;
	waitq_t *waitq;
	unsigned wait_flags;
	errno_t wait_result;
	timeout_t wait_timeout;

	/* Kill: set by task_kill; the thread exits at its next safe point. */
	volatile bool kill_pending;

	/* Join and destruction. */
	spinlock_t lock;
	bool detached;
	bool joined;
	bool switched_out; /* EXITED and off its stack for good */
	waitq_t join_wq;

	thread_fn_t entry;
	void *arg;
	bool user;		  /* returns to user mode after entry */
	void *fpu_state;	  /* lazily allocated FXSAVE area */
	struct call *cached_call; /* one spare IPC call: a round trip allocates nothing */
	/* While blocked in a wait for the task's next event: where the IPC fast
	 * path may deliver it directly (ipc_ev_ready then set), skipping the
	 * answerbox: the event buffer of ipc_wait, or, in the fast path's own
	 * wait, the thread's saved user registers (R0..R9) themselves. */
	ipc_event_t *ipc_ev;
	struct istate *ipc_ev_regs;
	bool ipc_ev_ready;
	/* While blocked in the IPC fast path's hand-off sleep entered from a
	 * system call with no deadline: its saved user registers. The thread
	 * that takes it off its queue may then finish the call for it and
	 * have it resume straight at its return to user space (fastpath.c). */
	struct istate *ipc_resume_regs;
	/* While sleeping on a futex: which one (address space, user address). */
	const struct as *futex_as;
	uintptr_t futex_addr;
	uintptr_t tls;	/* user thread-local data base (FS base on amd64) */
	waitq_t ipc_wq; /* ipc_call_wait sleeps here for its answer */
	/* Exceptions and debugging (proc/exc.c), under task->lock: the thread's
	 * own exception handler (a phone reference; NULL: the task's), and while
	 * the thread is stopped, why and where (NULL while it runs). exc_self:
	 * the handler's own thread (its faults are not sent to it), 0: none. */
	struct phone *exc_phone;
	uint64_t exc_self;
	struct exc_stop *exc_stop;

	/* CPU time. Owner: the CPU running the thread, which alone writes these
	 * fields, with interrupts off and only while the thread is its current
	 * one (switch_to and scheduler_tick, proc/scheduler.c). Other CPUs read
	 * them racily, one aligned word at a time: `cycles` is charged at every
	 * switch and every tick, so a reader sees a total at most a tick old
	 * that never goes backwards. */
	uint64_t cycles;     /* cycle counts (arch_cycle_count) charged so far */
	uint64_t run_start;  /* the count when the uncharged stretch began */
	uint64_t ticks;	     /* ticks that found it running */
	uint64_t user_ticks; /* of those, ticks that interrupted user mode */
	uint64_t switches;
} thread_t;

/** Takes sleeper @a t off @a wq (lock held) with result EOK, leaving it
 *  BLOCKED: the caller hands the CPU to it (synch/waitq.h; inline here, where
 *  thread_t is complete: the IPC fast path calls it for every hand-off). */
static inline void waitq_take_sleeper_locked(waitq_t *wq, thread_t *t)
{
	list_remove(&t->wait_link);
	t->waitq = NULL;
	t->wait_result = EOK;
}

void thread_init(void);
/** Creates a thread in @a task (NULL: the kernel task); it runs after thread_start(). */
errno_t thread_create(
    struct task *task, thread_fn_t entry, void *arg, const char *name, thread_t **out);
void thread_start(thread_t *thread);
/** Sets the priority (0 highest .. PRIORITY_COUNT - 1) of a thread not yet started. */
errno_t thread_set_priority(thread_t *thread, int priority);
/** Asks @a thread to exit: sets its kill flag and ends an interruptible sleep. */
void thread_interrupt(thread_t *thread);
/** Ends the calling thread. */
NORETURN void thread_exit(void);
/** Waits until @a thread has exited, then destroys it. EINVAL if detached or joined. */
errno_t thread_join(thread_t *thread);
/** The thread is destroyed on exit without a join. */
void thread_detach(thread_t *thread);
void thread_yield(void);
/** Sleeps for @a ns (interruptible: returns EINTR when killed). */
errno_t thread_sleep(uint64_t ns);
/** Whether the calling thread has been asked to exit. */
bool thread_kill_pending(void);
/** The calling thread runs only on the CPUs of @a mask (bit n: CPU n) from
 *  now on, moving to the first of them at once if its CPU is not one;
 *  EINVAL for an empty mask or a CPU that does not run. */
errno_t thread_set_affinity(uint64_t mask);
/** Makes NEW thread @a t run on CPU @a cpu_id only (instead of its task's
 *  home CPU, and never stolen by another); EINVAL for a CPU that does not run or a thread already started. */
errno_t thread_set_cpu(thread_t *t, unsigned cpu_id);
/** Makes the idle thread of @a cpu, a CPU not started yet (cpu->idle; its
 *  stack is where the CPU starts); EOK at once if it has one; ENOMEM. */
errno_t thread_idle_create(struct cpu *cpu);
/** Frees the idle thread of @a cpu, a CPU that never ran it (it did not
 *  start); cpu->idle is NULL afterwards. */
void thread_idle_destroy(struct cpu *cpu);
/** Becomes the idle thread of this CPU: the boot context on the boot CPU,
 *  the one thread_idle_create() made on the others. */
NORETURN void thread_become_idle(void);
/** Calls @a fn for every thread (threads_lock held: @a fn must not block). */
void thread_foreach(void (*fn)(thread_t *thread, void *arg), void *arg);
/** Number of thread structures not yet wholly freed (for leak tests). */
size_t thread_count(void);
/** The rare half of thread_finish_switch: @a prev has exited. */
void thread_finish_exited(thread_t *prev);

/** The rare half of thread_finish_switch: the thread switched away from
 *  moves to its new CPU (scheduler.c, scheduler_migrate_self). */
void scheduler_finish_migration(void);

/** Called on the new thread right after every context switch: the thread
 *  switched away from is freed (or its joiners woken) if it had exited, or
 *  queued on its new CPU if it moved (its context is saved now). */
static inline void thread_finish_switch(void)
{
	cpu_t *cpu = CPU;
	thread_t *prev = cpu->prev;
	cpu->prev = NULL;
	if (prev != NULL)
		__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	if (unlikely(prev != NULL && prev->state == THREAD_EXITED))
		thread_finish_exited(prev);
	if (unlikely(cpu->migrating != NULL))
		scheduler_finish_migration();
}

#endif
