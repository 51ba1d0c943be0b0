/*
 * Per-CPU state. The architecture keeps a pointer to the running CPU's cpu_t
 * where it can be read in one instruction (GS base on amd64); the first
 * fields have fixed offsets because the syscall entry code uses them.
 * The owning CPU alone touches its cpu_t, with interrupts disabled, except
 * where a field names its lock (run queues, timeouts) or says otherwise.
 */
#ifndef KERN_CPU_H
#define KERN_CPU_H

#include <common/adt/list.h>
#include <spinlock.h>
#include <types.h>
#include <arch/cpu_local.h>

/* The most CPUs that run (config.mk): a machine with more runs this many. */
#define CPU_MAX CONFIG_CPU_MAX
_Static_assert(CPU_MAX >= 1 && CPU_MAX <= 64, "sets of CPUs are 64-bit masks (uint64_t)");
#define PRIORITY_COUNT 16 /* 0 is the highest */

struct thread;

typedef struct cpu {
	struct cpu *self;	/* offset 0 */
	uintptr_t kernel_rsp;	/* offset 8: kernel stack top of the current thread */
	uintptr_t user_rsp;	/* offset 16: scratch for the syscall entry */
	struct thread *current; /* offset 24 */
	unsigned id;
	void *arch;	      /* the architecture's per-CPU tables (GDT, TSS on amd64) */
	volatile bool online; /* written once by the CPU itself when it runs */
	uint64_t tlb_seen;    /* the last TLB shoot-down served (mm/tlb.c) */
	struct thread *idle;
	struct thread *prev;	  /* the thread switched away from (finish_switch) */
	struct thread *migrating; /* leaving for another CPU (finish_switch queues it) */
	struct thread *fpu_owner; /* whose state is in the FPU registers */
	volatile bool need_resched;
	/* Run queues: one FIFO per priority; bit p of ready_mask set iff rq[p]
	 * non-empty. Guarded by rq_lock (any CPU queues a thread here). */
	spinlock_t rq_lock;
	list_t rq[PRIORITY_COUNT];
	uint32_t ready_mask;
	size_t ready_count;
	/* Timeouts ordered by deadline; guarded by timeout_lock. */
	list_t timeouts;
	spinlock_t timeout_lock;
	/* Statistics (written by the owning CPU only; read racily by `cpus`). */
	uint64_t interrupts; /* device IRQs and ticks taken */
	uint64_t ipis;	     /* inter-processor interrupts received */
	uint64_t context_switches;
	uint64_t steals;	    /* threads taken off another CPU's queue */
	uint64_t pulls;		    /* partners it woke and made its own (scheduler.c) */
	uint64_t fastpath_taken;    /* calls and answers the IPC fast path carried */
	uint64_t fastforward_taken; /* forwards delivered to a waiter (fastforward.c) */
	/* IPC counters kept per CPU so that CPUs never write one shared line:
	 * changed atomically, since a thread that moved after reading CPU
	 * may change another CPU's (ipc.c; the sums are what counts). */
	uint64_t call_seq;    /* calls numbered here (call ids) */
	int64_t calls_cached; /* spare calls parked in threads, less taken */
	/* Ticks taken since the CPU started: written by the CPU alone at each
	 * tick, read racily (one aligned word) by whoever queues a thread here
	 * and by stealers, to tell how long a queued thread has waited. */
	uint64_t ticks;
	uint64_t idle_ticks;
	uint64_t busy_ticks;
#ifdef CONFIG_LOCKDEP
	lock_held_t held_locks; /* the locks this CPU holds (synch/lockdep.c) */
#endif
} __attribute__((aligned(CPU_LINE_SIZE))) cpu_t;

extern cpu_t cpus[CPU_MAX];

/** The running CPU (one instruction through the architecture's per-CPU register). */
static inline cpu_t *cpu_current(void)
{
	return (cpu_t *) arch_cpu_local();
}
#define CPU    (cpu_current())
#define THREAD ((struct thread *) arch_cpu_current_thread())

#endif
