/*
 * The system-call fuzzer's shared parts: one fuzzer_t per fuzzing thread
 * (its random state and the call it is in, which the watchdog reads), the
 * task's pools of handles and areas (shared by its threads on purpose, so
 * that they race), the generators and the protocol between the parent and
 * its children.
 *
 * Tasks: the parent (fuzz.c) fuzzes nothing itself; it starts IPC servers,
 * fuzzing children (child.c) and one privileged child (priv.c), kills and
 * replaces them at random points, answers what they send it, watches their
 * progress and, at the end, checks that the kernel's counters are back at
 * the baseline.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <abi/ipc.h>
#include <abi/irq.h>
#include <abi/proc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USER_END    0x0000800000000000ull
#define KERNEL_ADDR 0xffffffff80100000ull
#define POOL	    8

/* "Valid" pointers point into a sandbox area with nothing mapped after it, so
 * whatever size the kernel is told, it can only write there (or fail). */
#define SANDBOX	     0x600000000000ull
#define SANDBOX_SIZE (1u << 20)

/* Pages a fuzzing child may commit (its QUOTA_MEMORY, also inherited by the
 * loaders it spawns): its areas of up to 4 MiB in every pool slot of every
 * thread could otherwise commit all the guest's memory at once, and then a
 * loader that any child spawns meanwhile aborts out of memory. 16 MiB for
 * each of the CHILDREN leaves most of a 128 MiB guest to everything else. */
#define CHILD_MEMORY_PAGES 4096

/* Child -> parent, on phone 1 (the parent is its naming service): another
 * PROGRESS_STEP calls done. args: FUZZ_MAGIC, IRQ notifications seen. */
#define M_FUZZ_PROGRESS (IPC_FIRST_USER_METHOD + 77)
#define FUZZ_MAGIC	0xf022c0de5eedull
#define PROGRESS_STEP	1000
/* The method of the privileged child's IRQ notifications. */
#define M_FUZZ_IRQ (IPC_FIRST_USER_METHOD + 78)

/* Exit statuses of a child that ends by itself. */
#define EXIT_WATCHDOG  86 /* a call did not return in time (reported) */
#define EXIT_VOLUNTARY 87 /* its fuzzing called SYS_TASK_EXIT on purpose */

/* A call in flight takes at most a millisecond or so; this long means hung
 * (--watchdog S changes it, for the watchdog's own test). */
#define WATCHDOG_SECONDS 30
extern uint64_t fuzz_watchdog_seconds;
/* --hang N: each unprivileged child's first thread makes a call that never
 * returns (a futex wait without timeout) as its N-th: the watchdog's test
 * (the parent then kills no children, so that they live to be caught). */
extern uint64_t fuzz_hang_at;

typedef struct {
	uint64_t rng;	 /* xorshift64* state */
	bool privileged; /* the paths that need PERM_TASK, PERM_IO, PERM_IRQ */
	bool main;	 /* the task's first thread (may spawn threads) */
	unsigned id;	 /* thread number within the task */
	/* The call in flight, written before it and read by the watchdog. */
	volatile uint64_t index; /* calls started by this thread */
	volatile uint64_t num;
	volatile uint64_t args[6];
	volatile bool in_call;
	bool stop;	   /* a thread other than the first: end its loop */
	uint64_t reported; /* calls already reported to the parent */
} fuzzer_t;

/* The task's shared pools (racy on purpose when it has several threads). */
extern cap_handle_t fuzz_phones[POOL]; /* phones (and later stale handles) */
extern cap_handle_t fuzz_calls[POOL];  /* received calls, not yet answered */
extern uintptr_t fuzz_areas[POOL];     /* areas we created */
extern volatile uint64_t fuzz_irq_notifs;
extern uint64_t fuzz_trace_from; /* print every call from this index on */

uint64_t rnd(fuzzer_t *f);
uint64_t pick(fuzzer_t *f, const uint64_t *values, size_t n);
#define PICK(f, array) pick(f, array, sizeof(array) / sizeof((array)[0]))
uint64_t gen_pointer(fuzzer_t *f);
uint64_t gen_size(fuzzer_t *f);
uint64_t gen_handle(fuzzer_t *f);
uint64_t gen_method(fuzzer_t *f);
uint64_t gen_any(fuzzer_t *f);

/** System call @a num recorded for the watchdog (and traced) around it. */
sysarg_t fz_call(fuzzer_t *f, sysarg_t num, sysarg_t a1, sysarg_t a2, sysarg_t a3,
    sysarg_t a4, sysarg_t a5, sysarg_t a6);
/** The same for an IPC-convention call on registers @a r. */
sysarg_t fz_call_ipc(fuzzer_t *f, sysarg_t num, sysarg_t r[10]);

/** One random system call (calls.c). */
void fuzz_one_call(fuzzer_t *f);
/** Answers a received call we keep in @a slot, if any, and empties it. */
void fuzz_answer_slot(fuzzer_t *f, size_t slot);
/** Remembers received call @a call, answering the one it displaces. */
void fuzz_keep_call(fuzzer_t *f, cap_handle_t call);
/** @a n random IRQ commands, valid and not, on the RTC's ports and others. */
void fuzz_irq_program(fuzzer_t *f, irq_cmd_t *cmds, size_t n);
/** Asks the parent (phone 1) for a phone to one of its servers. */
void fuzz_connect(fuzzer_t *f);
/** Creates the sandbox area; false if it cannot. */
bool fuzz_sandbox_create(void);

/** The privileged paths (priv.c); false if @a num is not one of them. */
bool priv_call(fuzzer_t *f, sysarg_t num);
/** Sets up the privileged child's IRQ line (the RTC's) and its own state. */
void priv_setup(fuzzer_t *f);
/** Between calls of the privileged child's first thread: re-arms the RTC. */
void priv_tick(fuzzer_t *f);
/** SYS_IRQ_ACK on our subscriptions (the privileged child's; the others
 *  have none), bad and stale handles. */
void irq_ack_fuzz(fuzzer_t *f);

/** A fuzzing child: threads, a watchdog, progress reports (child.c). */
_Noreturn void fuzz_child(uint64_t seed, bool privileged);

#endif
