/*
 * IPC: calls, answers, methods, limits and the register conventions of the
 * IPC system calls (see docs/ipc.md for the full description).
 */
#ifndef ABI_IPC_H
#define ABI_IPC_H

#include <abi/cap.h>
#include <abi/ifaces.h>
#include <stdint.h>

typedef uint64_t sysarg_t;

#define IPC_CALL_ARGS	    5	  /* a call is a method plus five arguments */
#define IPC_MAX_ASYNC_CALLS 64	  /* unanswered calls per phone */
#define IPC_DATA_MAX	    65536 /* bytes per DATA_READ/DATA_WRITE */

/* System methods (below 512), handled with kernel help. PHONE_HUNGUP carries
 * in args[0] how many phones of the connection are left, and when the hang-up
 * comes from a task that ended, in args[1] how (task_exit_how_t; 0 for a plain
 * hang-up), args[2] the exit status (32 bits) and args[3] the fault address. */
#define IPC_SYSTEM_METHODS(M) \
	M(IPC_M_PHONE_HUNGUP, "PHONE_HUNGUP") \
	M(IPC_M_CONNECT_TO_ME, "CONNECT_TO_ME") \
	M(IPC_M_CONNECT_ME_TO, "CONNECT_ME_TO") \
	M(IPC_M_CONNECTION_CLONE, "CONNECTION_CLONE") \
	M(IPC_M_DATA_WRITE, "DATA_WRITE") \
	M(IPC_M_DATA_READ, "DATA_READ") \
	M(IPC_M_SHARE_OUT, "SHARE_OUT") \
	M(IPC_M_SHARE_IN, "SHARE_IN") \
	M(IPC_M_STATE_CHANGE_AUTHORIZE, "STATE_CHANGE_AUTHORIZE") \
	M(IPC_M_EXCEPTION, "EXCEPTION") \
	M(IPC_M_PAGE_IN, "PAGE_IN") \
	M(IPC_M_PAGE_OUT, "PAGE_OUT")

IFACE_METHOD_ENUM(IPC_M, IPC_SYSTEM_METHODS, 1);

#define IPC_M_LAST_SYSTEM     511
#define IPC_FIRST_USER_METHOD 1024

/* What ipc_wait returned (ipc_event_t.kind). */
#define IPC_EVENT_REQUEST 1 /* a call to answer: cap names it */
#define IPC_EVENT_ANSWER  2 /* an answer to one of our calls: label is ours */
#define IPC_EVENT_NOTIF	  3 /* an IRQ or kernel-event notification */
#define IPC_EVENT_POKE	  4 /* woken by ipc_poke */
/* A request this wait took off the box but could not hand over (no room in
 * the task's capability table): the kernel answered it with the error, and
 * only its number (seq) is left, so that the numbers have no gap. */
#define IPC_EVENT_REFUSED 5

/*
 * Request numbers: the kernel numbers the requests of a task's box 1, 2, 3
 * ... (modulo 2^32) at the moment a wait takes each off the box, under the
 * box's lock, so their order is the order the box queued them in (a
 * connection's calls in the order they were sent). A REQUEST or REFUSED
 * event carries its number (seq); other events carry 0 and take none. In
 * the registers an event comes back in, R0 holds the kind in its low and
 * the number in its high 32 bits.
 */
#define IPC_EVENT_KIND(r0) ((uint32_t) (r0))
#define IPC_EVENT_SEQ(r0)  ((uint32_t) ((r0) >> 32))

/* ipc_wait flags */
#define IPC_WAIT_NONBLOCKING 0x1

/* ipc_call_wait flags: wait for the task's next event of any kind (the
 * answer then comes as an ordinary answer event), not for this answer only */
#define IPC_CALL_WAIT_ANY 0x1

/* ipc_forward modes */
#define IPC_FF_ROUTE_FROM_ME 0x1 /* the receiver sees the forwarder as sender */
#define IPC_FF_REWRITE	     0x2 /* replace method and arguments (user methods only) */

/* ipc_hangup flags */
#define IPC_HANGUP_RELEASE 0x1 /* also free the phone's handle */

/** A call's (or an answer's) six words, for the slow system-call forms. */
typedef struct {
	sysarg_t method; /* or the return value of an answer */
	sysarg_t args[IPC_CALL_ARGS];
} ipc_payload_t;

/** One event delivered by ipc_wait. */
typedef struct {
	uint32_t kind;	  /* IPC_EVENT_* */
	uint32_t seq;	  /* REQUEST, REFUSED: the request's number; else 0 */
	sysarg_t imethod; /* method (request, notification) or return value (answer) */
	sysarg_t args[IPC_CALL_ARGS];
	sysarg_t label;	  /* request: the connection's label; answer: the caller's */
	cap_handle_t cap; /* request: the call handle to answer or forward */
	uint64_t task_id; /* request: the sender (as routed) */
} ipc_event_t;

/** Per-task IPC statistics. */
typedef struct {
	uint64_t calls_sent;
	uint64_t calls_received;
	uint64_t answers_sent;
	uint64_t answers_received;
	uint64_t forwards;
	uint64_t notifications;
	/* The number of the last request a wait took off the task's box (0:
	 * none yet); filled in by SYS_IPC_STATS. */
	uint64_t requests_taken;
} ipc_stats_t;

#endif
