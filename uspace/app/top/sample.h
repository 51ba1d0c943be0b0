/*
 * top's samples: every task and every thread with its CPU time at one
 * moment (SYS_TASK_LIST, SYS_TASK_INFO, SYS_THREAD_INFO), and what each used
 * between two samples.
 */
#ifndef TOP_SAMPLE_H
#define TOP_SAMPLE_H

#include <abi/proc.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

/** One task or one thread of a sample. */
typedef struct {
	uint64_t id; /* task id, or thread id */
	uint64_t task_id;
	char name[32];
	uint64_t cycles;     /* CPU time so far (cycle counts) */
	uint64_t delta;	     /* of those, used since the previous sample */
	uint64_t ticks;	     /* ticks that found it running */
	uint64_t user_ticks; /* of those, in user mode */
	uint32_t threads;    /* a task's thread count */
	uint32_t state;	     /* a thread's THREAD_INFO_* */
	uint32_t cpu;	     /* a thread's CPU */
	uint32_t flags;	     /* a thread's THREAD_INFO_IDLE */
} top_row_t;

typedef struct {
	uint64_t ns; /* the monotonic clock when it was taken */
	top_row_t *tasks;
	size_t task_count;
	top_row_t *threads; /* of every task, the kernel's idle threads too */
	size_t thread_count;
} top_sample_t;

/** Takes a sample of every task and thread into @a s (freed with
 *  top_sample_free); ENOMEM. Tasks that end meanwhile are left out. */
errno_t top_sample_take(top_sample_t *s);
void top_sample_free(top_sample_t *s);
/** Sets every row's delta in @a now: its time since @a before (all of it for
 *  a task or thread that was not there). */
void top_sample_deltas(top_sample_t *now, const top_sample_t *before);
/** Sorts @a rows by delta, the most first (then by CPU time, then id). */
void top_rows_sort(top_row_t *rows, size_t count);

#endif
