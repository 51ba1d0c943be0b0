/*
 * Threads of the calling task. A thread runs @a fn(@a arg) on a stack of
 * THREAD_STACK_SIZE bytes (an area of its own, demand-paged and not
 * committed (AS_AREA_NORESERVE), without a guard page) and ends when @a fn
 * returns or calls thread_exit(); libc then destroys its stack. There is no
 * join yet. main() returning ends the whole task, other threads included.
 */
#ifndef LIBC_THREAD_H
#define LIBC_THREAD_H

#include <discard.h>

#include <abi/errno.h>
#include <abi/proc.h>
#include <stdint.h>

#define THREAD_STACK_SIZE (256 * 1024)

typedef uint64_t thread_id_t;
typedef void (*thread_fn_t)(void *arg);

/** Starts a thread named @a name (at most THREAD_NAME_LEN_MAX bytes; NULL
 *  means "thread") running @a fn(@a arg); stores its id in @a id unless NULL. */
_NODISCARD errno_t thread_create(
    thread_fn_t fn, void *arg, const char *name, thread_id_t *id);
/** Ends the calling thread (the task goes on). */
_Noreturn void thread_exit(void);
/** Waits for thread @a id (made by thread_create) to end. ENOENT if there is
 *  no such joinable thread (already joined or detached), EINVAL for oneself. */
_NODISCARD errno_t thread_join(thread_id_t id);
/** The thread's end need not be joined; its state is freed when it ends. */
_NODISCARD errno_t thread_detach(thread_id_t id);
thread_id_t thread_get_id(void);
/** Sleeps for at least @a usec microseconds; EINTR when the task is killed. */
_NODISCARD errno_t thread_sleep(uint64_t usec);
/** Lets other ready threads run. */
void thread_yield(void);
/** The calling thread runs only on the CPUs of @a mask (bit n: CPU n) from
 *  now on, moving at once if it must. EINVAL for an empty mask or a CPU that
 *  does not run. */
_NODISCARD errno_t thread_set_affinity(uint64_t mask);
/** The CPU running the caller now (it may change at any moment unless the
 *  thread is pinned to one) and the number of CPUs running. */
_NODISCARD errno_t cpu_info(unsigned *cpu, unsigned *count);
/** CPU @a cpu's scheduling counters (abi/proc.h) in *@a stats; EINVAL when
 *  that CPU does not run. */
_NODISCARD errno_t cpu_stats_get(unsigned cpu, cpu_stats_t *stats);

#endif
