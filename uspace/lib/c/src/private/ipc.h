/*
 * The IPC system calls' register packing (ipc.c), shared with fibril.c so
 * that the two combined calls are inlined where every round trip makes
 * them: call-and-wait in a synchronous request's fibril_call_and_wait(),
 * answer-and-wait in a runner's wait (one frame fewer each, and its saves
 * of the four registers the system call clobbers).
 */
#ifndef LIBC_PRIVATE_IPC_H
#define LIBC_PRIVATE_IPC_H

#include <ipc.h>
#include <stdbool.h>
#include <stddef.h>
#include <syscall.h>

/* Written out word by word (no loops), so that with __syscall_ipc inlined
 * the register array lives in registers only. */
static inline void msg_to_regs(const ipc_payload_t *msg, sysarg_t *r)
{
	_Static_assert(IPC_CALL_ARGS == 5, "five argument words");
	r[0] = msg->method;
	r[1] = msg->args[0];
	r[2] = msg->args[1];
	r[3] = msg->args[2];
	r[4] = msg->args[3];
	r[5] = msg->args[4];
}

/* An event is the ten registers in their order: R0 holds the kind in its
 * low half and the number in its high half (abi/ipc.h), as the first word
 * of the event does on a little-endian machine. */
_Static_assert(sizeof(ipc_event_t) == 10 * sizeof(sysarg_t) &&
	offsetof(ipc_event_t, seq) == 4 && offsetof(ipc_event_t, imethod) == 8 &&
	offsetof(ipc_event_t, label) == 56 && offsetof(ipc_event_t, task_id) == 72,
    "an event is R0..R9 in order");

/* The words stored by one asm statement, one store each, from the registers
 * the system call left them in: written in C, the compiler pairs them into
 * vector stores through spill slots (about twice the instructions). */
static inline __attribute__((always_inline)) void regs_to_event(
    const sysarg_t r[10], ipc_event_t *ev)
{
	__asm__("movq %2, 0(%1)\n\t"
		"movq %3, 8(%1)\n\t"
		"movq %4, 16(%1)\n\t"
		"movq %5, 24(%1)\n\t"
		"movq %6, 32(%1)\n\t"
		"movq %7, 40(%1)\n\t"
		"movq %8, 48(%1)\n\t"
		"movq %9, 56(%1)\n\t"
		"movq %10, 64(%1)\n\t"
		"movq %11, 72(%1)"
		: "=m"(*ev)
		: "r"(ev), "r"(r[0]), "r"(r[1]), "r"(r[2]), "r"(r[3]), "r"(r[4]),
		"r"(r[5]), "r"(r[6]), "r"(r[7]), "r"(r[8]), "r"(r[9]));
}

/** Whether @a ev carries a request's number (abi/ipc.h): a REQUEST or a
 *  REFUSED event, which must be counted in the task's order (fibril.c). */
static inline bool ipc_event_numbered(const ipc_event_t *ev)
{
	return ev->kind == IPC_EVENT_REQUEST || ev->kind == IPC_EVENT_REFUSED;
}

/** fibril.c: counts numbered event @a ev, which a wait outside the fibril
 *  runners took (ipc_wait() and the other waits of ipc.h), in the order of
 *  the task's requests; it goes to no IPC handler. */
void __fibril_request_taken(ipc_event_t *ev);

/** fibril.c: set (for good) just before the task's second runner starts,
 *  and before the count of requests is read from the kernel for it; from
 *  then on requests taken outside the runners must be counted. */
extern bool __fibril_requests_ordered;

/** Whether numbered event @a ev, just taken by a wait outside the runners,
 *  must be counted (__fibril_request_taken()). Not while the task has one
 *  runner: then nobody waits for the count, which the runner sets from the
 *  number it takes next, and the lock and the route are saved. A request
 *  taken after the flag's store was read from the kernel by the second
 *  runner's start sees the flag (the store is a full fence before that
 *  read, the fence here after our take: no store-buffer reordering either
 *  way); one taken before it is counted in the kernel's figure already. */
static inline __attribute__((always_inline)) bool ipc_request_must_count(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&__fibril_requests_ordered, __ATOMIC_RELAXED);
}

/** SYS_IPC_WAIT for the task's next event, up to @a usec (0: no limit). */
static inline __attribute__((always_inline)) errno_t ipc_wait_regs(
    ipc_event_t *ev, uint64_t usec, unsigned flags)
{
	sysarg_t r[10] = {usec, flags};
	errno_t rc = (errno_t) __syscall_ipc(SYS_IPC_WAIT, r);
	if (rc == EOK)
		regs_to_event(r, ev);
	return rc;
}

/** SYS_IPC_CALL_WAIT of @a msg through @a phone with @a flags (ipc_call_wait()
 *  and ipc_call_wait_any()). */
static inline __attribute__((always_inline)) errno_t ipc_call_wait_regs(
    cap_handle_t phone, const ipc_payload_t *msg, sysarg_t label, uint64_t usec,
    unsigned flags, ipc_event_t *ev)
{
	sysarg_t r[10] = {phone};
	msg_to_regs(msg, &r[1]);
	r[7] = label;
	r[8] = usec;
	r[9] = flags;
	errno_t rc = (errno_t) __syscall_ipc(SYS_IPC_CALL_WAIT, r);
	if (rc == EOK)
		regs_to_event(r, ev);
	return rc;
}

/** SYS_IPC_ANSWER_WAIT: @a answer to @a call, then a wait for the next
 *  event (ipc_answer_wait()). */
static inline __attribute__((always_inline)) errno_t ipc_answer_wait_regs(
    cap_handle_t call, const ipc_payload_t *answer, uint64_t usec, unsigned flags,
    ipc_event_t *ev)
{
	sysarg_t r[10] = {call};
	msg_to_regs(answer, &r[1]);
	r[7] = usec;
	r[8] = flags;
	errno_t rc = (errno_t) __syscall_ipc(SYS_IPC_ANSWER_WAIT, r);
	if (rc == EOK)
		regs_to_event(r, ev);
	return rc;
}

#endif
