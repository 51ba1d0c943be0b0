/*
 * Fibrils: cooperative user-level threads of one task. A fibril runs until it
 * blocks (a fibril lock, a sleep, an IPC wait in the async framework) or
 * yields; then another ready fibril runs on that kernel thread. Fibrils are
 * multiplexed over the task's runner threads: the main thread, plus any
 * added with fibril_spawn_runners(); a fibril may resume on any of them. A
 * runner with nothing to run waits for IPC events in the kernel and hands
 * them to the async framework (fibril_set_ipc_handler).
 *
 * main() runs as the first fibril. Fibril functions may be called from
 * fibrils only, not from threads made with thread_create().
 *
 * Every fibril has a stack of FIBRIL_STACK_SIZE bytes with an unmapped guard
 * page below it. A fibril is joinable until fibril_detach(); the record of a
 * joinable fibril stays until fibril_join() collects it.
 */
#ifndef LIBC_FIBRIL_H
#define LIBC_FIBRIL_H

#include <discard.h>

#include <abi/errno.h>
#include <ipc.h>
#include <stdbool.h>
#include <stdint.h>

#define FIBRIL_STACK_SIZE (248 * 1024)

typedef struct fibril fibril_t;
/** A fibril's identity (HelenOS's name). */
typedef fibril_t *fid_t;
typedef errno_t (*fibril_fn_t)(void *arg);

/** A new fibril that will run @a fn(@a arg) once started; NULL when out of
 *  memory. */
fid_t fibril_create(fibril_fn_t fn, void *arg);
/** Makes @a f ready to run (starts a new fibril). */
void fibril_add_ready(fid_t f);
/** Same as fibril_add_ready(). */
void fibril_start(fid_t f);
/** Frees a fibril that was created but never started. */
void fibril_destroy(fid_t f);
/** The calling fibril. */
fid_t fibril_get_id(void);
/** The base of the area holding the calling fibril's stack; 0 for main()'s
 *  (the kernel's stack). */
uintptr_t fibril_stack_area(void);
/** A small number naming @a f in messages (1 is main()). */
uint64_t fibril_number(fid_t f);
/** Lets the other ready fibrils run first. */
void fibril_yield(void);
/** Ends the calling fibril with @a retval (returning from its function does
 *  the same). Ending main()'s fibril this way keeps the task running. */
_Noreturn void fibril_exit(errno_t retval);
/** Frees @a f's record when it ends (at once if it has ended). */
void fibril_detach(fid_t f);
/** Waits for @a f to end, stores its return value in @a retval (unless
 *  NULL) and frees its record. EINVAL for a detached fibril or oneself. */
_NODISCARD errno_t fibril_join(fid_t f, errno_t *retval);
/** Blocks the calling fibril for at least @a usec microseconds. */
void fibril_usleep(uint64_t usec);
void fibril_sleep(unsigned sec);
/** Adds @a count kernel threads that run fibrils. */
_NODISCARD errno_t fibril_spawn_runners(unsigned count);
/** The same, runner i pinned to the CPUs of @a masks[i] (bit n: CPU n)
 *  before it runs any fibril, so that a server's calls are served on those
 *  CPUs in parallel (the calling thread pins itself with
 *  thread_set_affinity()). EINVAL, before any runner starts, for an empty
 *  mask or one naming a CPU that does not run. */
_NODISCARD errno_t fibril_spawn_runners_pinned(unsigned count, const uint64_t masks[]);

/**
 * An event one fibril waits for and anyone (another fibril, a runner's IPC
 * dispatch) signals: a binary semaphore with at most one waiter. A signal
 * with nobody waiting is kept for the next wait.
 */
typedef struct {
	fibril_t *waiter;
	bool signalled;
} fibril_event_t;

#define FIBRIL_EVENT_INIT \
	{ \
		NULL, false \
	}

void fibril_event_initialize(fibril_event_t *event);
/** Waits until @a event is signalled and consumes the signal. */
void fibril_wait_for(fibril_event_t *event);
/** Same with a limit of @a usec microseconds (0: only look): ETIMEOUT when
 *  it passes. */
_NODISCARD errno_t fibril_wait_timeout(fibril_event_t *event, uint64_t usec);
/** The deadline @a usec microseconds from now (for fibril_wait_until). */
uint64_t fibril_deadline(uint64_t usec);
/** Same with an absolute @a deadline (clock_ns(); 0: no limit). */
_NODISCARD errno_t fibril_wait_until(fibril_event_t *event, uint64_t deadline);
/** Signals @a event, waking its waiter if there is one. */
void fibril_notify(fibril_event_t *event);

/*
 * For libraries built on fibrils (uspace/lib/async).
 */

/** One pointer of per-fibril data; the destructor set below runs on it when
 *  a fibril that has it set ends. */
void *fibril_get_local(void);
void fibril_set_local(void *data);
void fibril_set_local_destructor(void (*dtor)(void *data));

/** An answer the IPC handler leaves to the runner, which sends it together
 *  with its next wait (SYS_IPC_ANSWER_WAIT). */
typedef struct {
	bool pending;
	cap_handle_t call;
	ipc_payload_t answer;
} fibril_ipc_answer_t;

/** Receives every IPC event a runner's wait returns (not pokes); runs on the
 *  runner outside any fibril and must not block. May set @a later to have
 *  one answer sent with the runner's next wait. */
typedef void (*fibril_ipc_handler_t)(ipc_event_t *ev, fibril_ipc_answer_t *later);
void fibril_set_ipc_handler(fibril_ipc_handler_t handler);
/** Takes every event already queued for the task in the kernel, at once,
 *  and hands each to the IPC handler, from the calling fibril (a fibril
 *  that waits in place does the same): everything sent to the task before
 *  the call has been handled when it returns. ENOTSUP in a task with more
 *  than one runner (another runner may hold an event it has taken and not
 *  handed out yet); else EOK. */
_NODISCARD errno_t fibril_ipc_drain(void);
/** Leaves the answer to a user-method call to the current runner, which
 *  sends it with its next wait (one system call for both), or before it
 *  runs anything else, or at fibril_flush_answer(). EOK: deferred; EBUSY:
 *  the runner holds another call's answer (answer at once then); EINVAL: it
 *  holds an answer to this very call (a second answer, refused). */
_NODISCARD errno_t fibril_defer_answer(cap_handle_t call, const ipc_payload_t *answer);
/** The same with the answer given as its method (the result) and
 *  arguments, written straight into the runner's slot. */
_NODISCARD errno_t fibril_defer_answer_args(
    cap_handle_t call, sysarg_t method, const sysarg_t args[IPC_CALL_ARGS]);
/** How many deferred answers the kernel refused since the task started.
 *  Their answerers were told EOK (the kernel accepts an answer to any call
 *  this task received and has not answered), so each is a call answered
 *  through a stale copy of its ipc_call_t; zero in a correct program. */
unsigned long fibril_refused_answers(void);
/** Sends the current runner's deferred answer now, if there is one (before
 *  anything that must come after it, such as a new call). */
void fibril_flush_answer(void);
/**
 * Sends the runner's deferred answer first, if any (as fibril_flush_answer()
 * does). Then, when no other fibril is ready: sends @a msg through @a phone
 * and waits in the same system call. If nothing can need this runner meanwhile (another
 * runner waits for the task's events, or none are expected: @a
 * events_expected false, and no timeout is pending) it waits for this call's
 * answer alone; otherwise, only in a task with one runner, for the task's
 * next IPC event of any kind (with several runners another one could take
 * this call's answer, and that wait would not end). This call's answer (the
 * usual event) is written to @a answer and *@a answered set, without the IPC
 * handler; another event goes to the IPC handler as a runner's wait would
 * hand it (passing through @a answer, which the answer overwrites later).
 * True then, with the send's result in @a rc; false, with nothing sent,
 * otherwise (send the ordinary way and block until the answer is handed
 * over).
 */
bool fibril_call_and_wait(cap_handle_t phone, const ipc_payload_t *msg, sysarg_t label,
    bool events_expected, ipc_event_t *answer, bool *answered, errno_t *rc);

#endif
