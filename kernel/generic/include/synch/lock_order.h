/*
 * The kernel's lock order, in one place (docs/kernel.md, "Lock order").
 *
 * Every spinlock belongs to one lock class. A CPU may acquire a lock only
 * while every lock it already holds is of a class earlier in the table below
 * (outermost first). Two locks of one class may be held together only where
 * the class is marked LOCK_NEST_BY_ADDRESS, and then in ascending address
 * order. The debug build checks this on every acquisition (synch/lockdep.c)
 * and panics naming both locks and both call sites.
 *
 * A new lock: pick the class whose place in this order matches what is held
 * while it is taken and what is taken under it, or add a class here (and to
 * docs/kernel.md) at that place.
 */
#ifndef KERN_SYNCH_LOCK_ORDER_H
#define KERN_SYNCH_LOCK_ORDER_H

/* Flags of a class. */
#define LOCK_NEST_NONE	     0
#define LOCK_NEST_BY_ADDRESS 1 /* two of the class: lower address first */

/*
 * X(id, what the lock guards, flags), outermost first. The rank of a class is
 * its position.
 */
#define LOCK_ORDER_TABLE(X) \
	/* Interrupt delivery to user space (ipc/irq.c). */ \
	X(IRQ_LINES, "irq_lines: the table of claimed IRQ lines", LOCK_NEST_NONE) \
	X(IRQ_LINE, "irq_line: one line's notification and code", LOCK_NEST_NONE) \
	/* Tasks and threads (proc/). */ \
	X(TASK, "task: a task's threads, state and exit", LOCK_NEST_NONE) \
	X(TASKS, "tasks: the list of all tasks", LOCK_NEST_NONE) \
	X(THREAD, "thread: a thread's state for join and detach", LOCK_NEST_NONE) \
	X(THREADS, "threads: the list of all threads", LOCK_NEST_NONE) \
	/* IPC (ipc/ipc.c: phone -> box -> cap table). */ \
	X(EVENTS, "events: kernel event subscriptions", LOCK_NEST_NONE) \
	X(PHONE, "phone: a phone's state and callee", LOCK_NEST_NONE) \
	X(IPC_BOX, "box: an answerbox's queues (its wait queue lock)", LOCK_NEST_NONE) \
	X(CAPS, "caps: a task's capability table", LOCK_NEST_NONE) \
	/* Sleeping (synch/): a condition variable's queue before its mutex's. */ \
	X(WAITQ_CONDVAR, "condvar: a condition variable's sleepers", LOCK_NEST_NONE) \
	X(WAITQ, "waitq: a wait queue's sleepers", LOCK_NEST_NONE) \
	X(TIMEOUTS, "timeouts: a CPU's timeout list", LOCK_NEST_NONE) \
	X(RUNQUEUE, "rq: a CPU's run queues (any CPU queues a thread there)", \
	    LOCK_NEST_NONE) \
	/* Memory (mm/): address space -> object -> caches -> frames. */ \
	X(AS, "as: an address space's areas", LOCK_NEST_NONE) \
	X(MEM_OBJECT, "mem_object: a memory object's pages", LOCK_NEST_NONE) \
	X(KMEM_CACHES, "kmem_caches: kmalloc's size classes", LOCK_NEST_NONE) \
	X(SLAB_CACHE, "slab: one slab cache", LOCK_NEST_NONE) \
	X(KSTACK, "kstack: free kernel stacks", LOCK_NEST_NONE) \
	X(FRAME, "frame: the physical frame allocator", LOCK_NEST_NONE) \
	/* Leaves: taken under anything, take nothing. */ \
	X(HW_CLAIMS, "hw_claims: which task owns which hardware", LOCK_NEST_NONE) \
	X(QUOTA, "quota: every task's count of tasks made", LOCK_NEST_NONE) \
	X(MODULES, "modules: the boot modules' readers and hand-over", LOCK_NEST_NONE) \
	X(IMAGES, "images: the shared read-only program segments", LOCK_NEST_NONE) \
	X(IRQ_TABLE, "irq_table: kernel interrupt handlers", LOCK_NEST_NONE) \
	X(IOAPIC, "ioapic: I/O APIC redirection entries", LOCK_NEST_NONE) \
	X(IPCLOG, "ipclog: the kernel IPC log ring", LOCK_NEST_NONE) \
	X(IPCLOG_EXPORT, "ipclog_export: the IPC log's export channel", LOCK_NEST_NONE) \
	X(CONSOLE, "console: the kernel console output", LOCK_NEST_NONE) \
	X(KLOG, "klog: the kernel log ring", LOCK_NEST_NONE) \
	/* Self-tests: a counter hammered from every CPU (kernel/test/smp_test.c), \
	 * and the checker's own (kernel/test/lockdep_test.c). */ \
	X(TEST_SMP, "smp test: a counter hammered from every CPU", LOCK_NEST_NONE) \
	X(TEST_OUTER, "lockdep test: outer", LOCK_NEST_NONE) \
	X(TEST_NESTED, "lockdep test: same class by address", LOCK_NEST_BY_ADDRESS) \
	X(TEST_INNER, "lockdep test: inner", LOCK_NEST_NONE)

typedef enum {
#define LOCK_CLASS_ENUM(id, what, flags) LOCK_CLASS_##id,
	LOCK_ORDER_TABLE(LOCK_CLASS_ENUM)
#undef LOCK_CLASS_ENUM
	    LOCK_CLASS_COUNT
} lock_class_t;

#endif
