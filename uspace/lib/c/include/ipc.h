/*
 * Kernel IPC, one function per system call (docs/ipc.md has the semantics of
 * each). A message is a method (or, in an answer, a return value) and five
 * arguments; what a task receives is an ipc_event_t (abi/ipc.h): a request
 * to answer, an answer to one of its calls, a notification or a poke.
 *
 * These are the raw calls. Programs normally use the async framework
 * (uspace/lib/async, async.h), which keeps the call records, labels and
 * waiting fibrils; mixing raw waits with it steals its events.
 */
#ifndef LIBC_IPC_H
#define LIBC_IPC_H

#include <discard.h>

#include <abi/errno.h>
#include <abi/ipc.h>
#include <abi/irq.h>
#include <stddef.h>
#include <task.h>

/** A received call (HelenOS's name for it): the event of kind REQUEST. */
typedef ipc_event_t ipc_call_t;

static inline sysarg_t ipc_get_imethod(const ipc_call_t *call)
{
	return call->imethod;
}

/** The return value of an answer. */
static inline _NODISCARD errno_t ipc_get_retval(const ipc_call_t *call)
{
	return (errno_t) call->imethod;
}

static inline sysarg_t ipc_get_arg1(const ipc_call_t *call)
{
	return call->args[0];
}

static inline sysarg_t ipc_get_arg2(const ipc_call_t *call)
{
	return call->args[1];
}

static inline sysarg_t ipc_get_arg3(const ipc_call_t *call)
{
	return call->args[2];
}

static inline sysarg_t ipc_get_arg4(const ipc_call_t *call)
{
	return call->args[3];
}

static inline sysarg_t ipc_get_arg5(const ipc_call_t *call)
{
	return call->args[4];
}

/** The task that sent @a call (a request): as routed, so a forwarded call
 *  names its original sender unless forwarded with IPC_FF_ROUTE_FROM_ME. */
static inline task_id_t ipc_get_task_id(const ipc_call_t *call)
{
	return call->task_id;
}

/** Sends @a msg through @a phone; its answer comes back to ipc_wait() with
 *  @a label. ENOENT, EHANGUP, ELIMIT (64 unanswered calls on the phone),
 *  ENOMEM or a method-specific error, and then nothing was sent. */
_NODISCARD errno_t ipc_call(cap_handle_t phone, const ipc_payload_t *msg, sysarg_t label);
/** Waits up to @a usec microseconds (0: forever) for the next event;
 *  IPC_WAIT_NONBLOCKING returns EAGAIN at once when there is none. ETIMEOUT,
 *  EINTR (the task is being killed). */
_NODISCARD errno_t ipc_wait(ipc_event_t *ev, uint64_t usec, unsigned flags);
/** Answers received call @a call with @a answer (method = return value);
 *  on return @a answer holds the answer as delivered (e.g. where a shared
 *  area was mapped). */
_NODISCARD errno_t ipc_answer(cap_handle_t call, ipc_payload_t *answer);
/** Passes received call @a call on through @a phone; with IPC_FF_REWRITE,
 *  @a rewrite replaces method and arguments (otherwise it may be NULL). */
_NODISCARD errno_t ipc_forward(
    cap_handle_t call, cap_handle_t phone, const ipc_payload_t *rewrite, unsigned mode);
/** Disconnects @a phone; IPC_HANGUP_RELEASE also frees its handle. */
_NODISCARD errno_t ipc_hangup(cap_handle_t phone, unsigned flags);
/** A handle to what @a h names with only @a rights (CAP_RIGHT_*, a subset of
 *  h's; docs/security.md). A phone gives a new, revocable phone (h needs
 *  CAP_RIGHT_CLONE); a call or IRQ handle is replaced by *@a derived (h goes
 *  stale). EPERM for rights h lacks, EINVAL for another kind's. */
_NODISCARD errno_t cap_derive(cap_handle_t h, cap_rights_t rights, cap_handle_t *derived);
/** Hangs up phone @a h, which this task derived, and every copy made from it;
 *  their calls in flight end EHANGUP and @a h is freed. EPERM otherwise. */
_NODISCARD errno_t cap_revoke(cap_handle_t h);
/** The kind and rights of handle @a h. */
_NODISCARD errno_t cap_info(cap_handle_t h, cap_info_t *info);
/** Wakes one thread of this task from ipc_wait() (event kind POKE), or the
 *  next one to wait. */
void ipc_poke(void);
/** IPC statistics of task @a task (0: the caller). */
_NODISCARD errno_t ipc_stats(task_id_t task, ipc_stats_t *stats);
/** Sends @a msg and waits up to @a usec (0: forever) for this call's answer
 *  only, leaving every other event queued. ETIMEOUT/EINTR mean the call was
 *  sent: its answer arrives later through ipc_wait() with @a label; any
 *  other error is ipc_call()'s, and nothing was sent. */
_NODISCARD errno_t ipc_call_wait(cap_handle_t phone, const ipc_payload_t *msg,
    sysarg_t label, uint64_t usec, ipc_event_t *ev);
/** Sends @a msg and waits up to @a usec (0: forever) like ipc_wait() for
 *  the task's next event, whichever it is (the answer comes as an ordinary
 *  answer event): a send and a wait in one system call. ETIMEOUT/EINTR mean
 *  sent and no event yet; any other error is ipc_call()'s, nothing sent. */
_NODISCARD errno_t ipc_call_wait_any(cap_handle_t phone, const ipc_payload_t *msg,
    sysarg_t label, uint64_t usec, ipc_event_t *ev);
/** Answers @a call like ipc_answer() and then waits like ipc_wait(). An
 *  error other than ETIMEOUT, EAGAIN or EINTR is the answer's. */
_NODISCARD errno_t ipc_answer_wait(cap_handle_t call, const ipc_payload_t *answer,
    uint64_t usec, unsigned flags, ipc_event_t *ev);

/** Runs IRQ code @a cmds (@a count commands) on every interrupt of line
 *  @a irq; an accepted one becomes a notification with method @a method.
 *  Needs PERM_IRQ or a grant of the line (ddi.h). */
_NODISCARD errno_t ipc_irq_subscribe(
    int irq, sysarg_t method, const irq_cmd_t *cmds, size_t count, cap_handle_t *handle);
/** ipc_irq_subscribe, and the line is delivered to CPU @a cpu (an index
 *  below cpu_info's count; EINVAL for one that does not run), where the
 *  program then runs: a driver keeps its interrupts beside its own thread. */
_NODISCARD errno_t ipc_irq_subscribe_on(int irq, unsigned cpu, sysarg_t method,
    const irq_cmd_t *cmds, size_t count, cap_handle_t *handle);
_NODISCARD errno_t ipc_irq_unsubscribe(cap_handle_t handle);
/** Ends the hold IRQ_CMD_ACCEPT_HOLD put on the line (needs CAP_RIGHT_ACK). */
_NODISCARD errno_t ipc_irq_ack(cap_handle_t handle);
/** Delivers kernel event @a event (EVENT_*) as notifications with method
 *  @a method; after each one the event stays masked until ipc_event_unmask. */
_NODISCARD errno_t ipc_event_subscribe(unsigned event, sysarg_t method);
_NODISCARD errno_t ipc_event_unmask(unsigned event);

#endif
