/*
 * The async framework: IPC for fibrils, with HelenOS's names and semantics
 * (docs/async.md has the guide).
 *
 * Client side: a session (async_sess_t) is a connection to a server; an
 * exchange (async_exch_t), between async_exchange_begin() and
 * async_exchange_end(), is one conversation on it. How exchanges of one
 * session relate is its exchange management:
 *   EXCHANGE_ATOMIC     exchanges share one phone and run concurrently; for
 *                       protocols whose every exchange is a single call;
 *   EXCHANGE_SERIALIZE  one exchange at a time (begin waits for the previous
 *                       one to end); any protocol;
 *   EXCHANGE_PARALLEL   concurrent exchanges, each on its own connection
 *                       (made with CONNECT_ME_TO through the session's
 *                       phone and kept for reuse); any protocol.
 * Calls are sent with async_send_N (answer later with async_wait_for) or
 * async_req_M_N (send and wait), M arguments in, N out. A fibril that would
 * pass the kernel's 64 unanswered calls per phone waits for a slot instead
 * of failing. A server that dies answers everything with EHANGUP.
 *
 * Server side: the manager (every runner thread with nothing to run; see
 * fibril.h) receives events. A CONNECT_ME_TO starts a connection: a fibril
 * running the handler of the port registered for its interface (args[0]),
 * or the fallback handler. The handler accepts (async_accept_0) or refuses
 * the first call, then takes calls with async_get_call() and answers each
 * with async_answer_N. Calls reach the right connection by their label,
 * without lookups. When the client hangs up, async_get_call() returns a call
 * with method 0 (after the calls queued before); when the handler returns,
 * calls it left unanswered are answered with EHANGUP.
 *
 * Functions that wait must be called from a fibril (main() is one).
 */
#ifndef ASYNC_ASYNC_H
#define ASYNC_ASYNC_H

#include <discard.h>

#include <abi/errno.h>
#include <abi/ipc.h>
#include <abi/irq.h>
#include <abi/ns.h>
#include <ipc.h>
#include <stdbool.h>
#include <stddef.h>
#include <task.h>

typedef enum {
	EXCHANGE_ATOMIC = 0,
	EXCHANGE_PARALLEL = 1,
	EXCHANGE_SERIALIZE = 2,
} exch_mgmt_t;

typedef struct async_sess async_sess_t;
typedef struct async_exch async_exch_t;
/** A sent call whose answer is still to be collected; 0: none (no memory). */
typedef sysarg_t aid_t;
/** A protocol, chosen by CONNECT_ME_TO's first argument. */
typedef sysarg_t iface_t;
typedef sysarg_t port_id_t;

/** Handles one connection: @a icall is its first call (CONNECT_ME_TO, to
 *  accept or refuse; for a callback port a stand-in that needs no answer). */
typedef void (*async_port_handler_t)(ipc_call_t *icall, void *arg);
/** Handles one IRQ or kernel-event notification (in the notification
 *  fibril; the call's label is how many occurrences it stands for). */
typedef void (*async_notification_handler_t)(ipc_call_t *call, void *arg);
typedef void *(*async_client_data_ctor_t)(void);
typedef void (*async_client_data_dtor_t)(void *data);

/*
 * Sessions and exchanges.
 */

/** A new session over the connection @a exch's server makes for @a iface
 *  (CONNECT_ME_TO with args iface, @a arg2, @a arg3); NULL with the error in
 *  *@a rc (unless NULL) when refused. */
async_sess_t *async_connect_me_to(exch_mgmt_t mgmt, async_exch_t *exch, iface_t iface,
    sysarg_t arg2, sysarg_t arg3, errno_t *rc);
/** Same, asking a broker to wait until the service is there. */
/** Like async_connect_me_to, but the new connection is a bare phone
 *  *@a phone of the caller's (no session: for handing to the kernel, e.g.
 *  a pager area's AS_PAGER_TAKE, or for ipc_hangup). */
_NODISCARD errno_t async_connect_me_to_phone(
    async_exch_t *exch, iface_t iface, sysarg_t arg2, sysarg_t arg3, cap_handle_t *phone);
async_sess_t *async_connect_me_to_blocking(exch_mgmt_t mgmt, async_exch_t *exch,
    iface_t iface, sysarg_t arg2, sysarg_t arg3, errno_t *rc);
/** A session over the phone @a phone, which it then owns. */
async_sess_t *async_session_create(exch_mgmt_t mgmt, cap_handle_t phone);
/** The session over phone 1, the naming service (or the parent test task). */
async_sess_t *async_session_ns(void);
/** Ends @a sess: closes its connections (the server sees method 0) and
 *  frees it. EBUSY while an exchange is open. */
_NODISCARD errno_t async_hangup(async_sess_t *sess);
/** Sends a copy of @a clone_exch's connection through @a exch
 *  (CONNECTION_CLONE); the receiver takes it with async_clone_receive(). */
_NODISCARD errno_t async_exchange_clone(async_exch_t *exch, async_exch_t *clone_exch);
/** In a connection fibril: takes the next call, which must be a
 *  CONNECTION_CLONE, and makes a session of the phone it brings. The
 *  connection stays the sender's: hanging the clone up leaves it open. */
async_sess_t *async_clone_receive(exch_mgmt_t mgmt);
/** A session over the callback phone a CONNECT_TO_ME call @a call brought
 *  (the caller still answers @a call); NULL if it is not one. With
 *  EXCHANGE_PARALLEL, further connections are made by CONNECT_ME_TO through
 *  that phone with the offered interface and arguments; the offering side
 *  must serve that interface (a port or the fallback handler). */
async_sess_t *async_callback_receive_start(exch_mgmt_t mgmt, ipc_call_t *call);

/** Starts an exchange on @a sess (waits as its management says); NULL when
 *  out of memory or the session cannot make a connection. */
async_exch_t *async_exchange_begin(async_sess_t *sess);
void async_exchange_end(async_exch_t *exch);
/** The phone @a exch sends through (valid until the exchange ends; the
 *  kernel may keep its own reference, e.g. for a pager area: pager.h). */
cap_handle_t async_exchange_phone(async_exch_t *exch);

/*
 * Calls. One core each; the numbered names below are generated from it.
 */

/** Sends @a imethod with @a args; the answer goes to *@a dataptr (unless
 *  NULL) when collected. Waits for a slot if the phone is full. A call that
 *  could not be sent has its error as the answer. */
aid_t async_send_args(async_exch_t *exch, sysarg_t imethod,
    const sysarg_t args[IPC_CALL_ARGS], ipc_call_t *dataptr);
/** Sends @a imethod with @a args and waits for the whole answer, which lands
 *  in *@a answer (zeroed with EINVAL for a NULL @a exch). Returns the
 *  answer's return value (or the sending error). */
_NODISCARD errno_t async_req_call(async_exch_t *exch, sysarg_t imethod,
    const sysarg_t args[IPC_CALL_ARGS], ipc_call_t *answer);
/** Sends and waits for the answer; each non-NULL @a out gets an answer
 *  argument. Returns the answer's return value (or the sending error). */
_NODISCARD errno_t async_req_args(async_exch_t *exch, sysarg_t imethod,
    const sysarg_t in[IPC_CALL_ARGS], sysarg_t *out[IPC_CALL_ARGS]);
/** Sends without collecting the answer (async_forget); the error is only the
 *  sending's. */
_NODISCARD errno_t async_msg_args(
    async_exch_t *exch, sysarg_t imethod, const sysarg_t args[IPC_CALL_ARGS]);

/** Waits for the answer of @a aid, stores its return value in *@a retval
 *  (unless NULL) and frees @a aid. */
void async_wait_for(aid_t aid, errno_t *retval);
/** Same, giving up after @a usec microseconds (0: only look) with ETIMEOUT;
 *  @a aid is then still pending (wait again or forget it). */
_NODISCARD errno_t async_wait_timeout(aid_t aid, errno_t *retval, uint64_t usec);
/** Drops interest in @a aid; its answer is discarded when it comes. */
void async_forget(aid_t aid);

/*
 * Server side.
 */

/** Handles new connections for @a iface with @a handler(@a data). */
_NODISCARD errno_t async_create_port(
    iface_t iface, async_port_handler_t handler, void *data, port_id_t *port_id);
/** Handles connections no port takes, and the calls of phone 1 (which
 *  carry no connection label). Without it those are refused with ENOENT. */
void async_set_fallback_port_handler(async_port_handler_t handler, void *data);
/** Receives a task's phone-1 hang-up: @a call is the kernel's PHONE_HUNGUP
 *  (label 0), its task_id the task that hung up; args[1] says how the task
 *  ended (task_exit_how_t; 0: a plain hang-up, the task lives on), args[2]
 *  its exit status and args[3] the fault address (abi/ipc.h). */
typedef void (*async_hangup_handler_t)(const ipc_call_t *call, void *arg);
/** Has @a handler(@a data) called for every PHONE_HUNGUP of a label-0 phone
 *  (every task's phone 1: for the naming service), whether or not that task
 *  ever called us; NULL: none (the default). It runs in the manager, outside
 *  any fibril, after the framework ended the task's connections: it must not
 *  block (it may allocate and fibril_notify()). */
void async_set_hangup_handler(async_hangup_handler_t handler, void *data);
/** Handles one IPC_M_EXCEPTION call (exc.h: a fault of a task we are the
 *  exception handler of) in a fibril of its own; it must answer it
 *  (exc_answer). */
typedef void (*async_exception_handler_t)(ipc_call_t *call, void *arg);
/** Has @a handler(@a data) take every IPC_M_EXCEPTION call; NULL: none
 *  (the default: such calls are refused, which kills the faulting task). */
void async_set_exception_handler(async_exception_handler_t handler, void *data);
/** Offers the server behind @a exch a callback connection (CONNECT_TO_ME
 *  with @a iface, @a arg1, @a arg2): calls it makes through it are handled
 *  by @a handler(@a data) in a connection fibril of their own. */
_NODISCARD errno_t async_create_callback_port(async_exch_t *exch, iface_t iface,
    sysarg_t arg1, sysarg_t arg2, async_port_handler_t handler, void *data,
    port_id_t *port_id);
/** Hands the calling fibril to the manager for good: for main() of a
 *  server once it is set up. */
_Noreturn void async_manager(void);

/** In a connection fibril: the next call of this connection (method 0 once
 *  the client hung up). */
bool async_get_call(ipc_call_t *call);
/** Same, or false after @a usec microseconds without a call. */
bool async_get_call_timeout(ipc_call_t *call, uint64_t usec);
/** A call's cap once async answered or forwarded it (never a valid handle). */
#define ASYNC_CALL_ANSWERED ((cap_handle_t) UINT64_MAX)
/** Answers @a call. EOK: the answer was given. A system method's answer
 *  (data transfers, sharing, connections) goes out at once and the result
 *  is the kernel's verdict on it. A user method's answer is deferred to
 *  this runner, which sends it with its next wait (docs/async.md); EOK then
 *  means queued, and the kernel accepts an answer to any call this task
 *  received and has not answered, which is what the framework checks.
 *  EINVAL: @a call was answered (or forwarded) already, through this
 *  ipc_call_t or, while that answer is still deferred, through a copy;
 *  nothing is sent. A copy answered after the first answer went out gets
 *  the kernel's ENOENT (at once, or counted by fibril_refused_answers()
 *  when deferred). A call that needs no answer (method 0) gives EOK. */
_NODISCARD errno_t async_answer_args(
    ipc_call_t *call, errno_t retval, const sysarg_t args[IPC_CALL_ARGS]);
/** Handles one call of a connection and answers it. */
typedef void (*async_call_handler_t)(ipc_call_t *call, void *arg);
/** The usual connection handler's body: accepts @a icall, then hands each
 *  call to @a handle(call, @a arg) until the client hangs up. */
void async_serve(ipc_call_t *icall, async_call_handler_t handle, void *arg);
/** async_serve, the client's phone lacking the rights @a withheld. */
void async_serve_withholding(
    ipc_call_t *icall, cap_rights_t withheld, async_call_handler_t handle, void *arg);
/** The same for a connection accepted already. */
void async_serve_more(async_call_handler_t handle, void *arg);
/** A handler that refuses every call with ENOTSUP (a callback connection
 *  that carries no calls, a connection past its protocol's end). */
void async_refuse_call(ipc_call_t *call, void *arg);
/** In a connection fibril: its label, as calls through it carry it (and
 *  as STATE_CHANGE_AUTHORIZE names it). */
sysarg_t async_get_label(void);
/** Accepts the connection whose first call is @a call (answers EOK with
 *  this connection's label). */
_NODISCARD errno_t async_accept_0(ipc_call_t *call);
/** async_accept_0, the client's new phone lacking the rights @a withheld
 *  (CAP_RIGHT_*: e.g. CAP_RIGHT_CLONE, so that the client cannot hand the
 *  connection to another task; docs/security.md). */
_NODISCARD errno_t async_accept_withholding(ipc_call_t *call, cap_rights_t withheld);
/** Passes @a call on to @a exch's server (IPC_FF_* @a mode); a non-zero
 *  @a imethod replaces method and arguments (user methods only). */
_NODISCARD errno_t async_forward_args(ipc_call_t *call, async_exch_t *exch,
    sysarg_t imethod, const sysarg_t args[IPC_CALL_ARGS], unsigned mode);

/** Per client task data, made by the constructor when a task's first
 *  connection arrives (in the manager: it must not block) and destroyed
 *  when its last connection ends. */
void async_set_client_data_constructor(async_client_data_ctor_t ctor);
void async_set_client_data_destructor(async_client_data_dtor_t dtor);
/** In a connection fibril: the data of the connection's client task. */
void *async_get_client_data(void);

/*
 * Data transfers and sharing. Client sides return the answer's value;
 * receive functions take the connection's next call and return false (the
 * call then still needs an answer) if it is not the expected kind.
 */

/** Writes @a size bytes (at most IPC_DATA_MAX, else ELIMIT) to the server. */
_NODISCARD errno_t async_data_write_start(
    async_exch_t *exch, const void *src, size_t size);
/** Reads up to @a size bytes (at most IPC_DATA_MAX); the answer's args[1]
 *  in *@a dataptr says how many came. */
aid_t async_data_read(async_exch_t *exch, void *dst, size_t size, ipc_call_t *dataptr);
_NODISCARD errno_t async_data_read_start(async_exch_t *exch, void *dst, size_t size);

/*
 * Requests with steps: the client-stub shape "send a call, transfer data
 * (or offer a callback) on the same exchange, wait for the call's answer,
 * merge the results", written once. async_req_steps is the core; the
 * steps below are the usual ones, and async_req_write/async_req_read the
 * usual one-step requests over it.
 */

/** One step of a request, run on @a exch after the call is sent and
 *  before its answer is awaited; returns its error. */
typedef errno_t (*async_step_fn_t)(async_exch_t *exch, void *arg);
typedef struct {
	async_step_fn_t fn;
	void *arg;
} async_step_t;

/** Sends @a imethod with @a args, runs the @a count @a steps in order until
 *  one fails, then waits for the answer (in *@a answer unless NULL). The
 *  error is the call's (the server's verdict), else the failed step's;
 *  ENOMEM with nothing sent when the call cannot be made. */
_NODISCARD errno_t async_req_steps(async_exch_t *exch, sysarg_t imethod,
    const sysarg_t args[IPC_CALL_ARGS], const async_step_t *steps, size_t count,
    ipc_call_t *answer);

/** The data of a write or read step; a read sets @a done to how many bytes
 *  came. */
typedef struct {
	void *buf;
	size_t size;
	size_t done;
} async_step_data_t;
/** Steps: a data write of (async_step_data_t *) @a arg, a data read into
 *  it, and a callback connection offered as (async_step_callback_t *)
 *  @a arg says (async_create_callback_port with arguments 0, 0). */
_NODISCARD errno_t async_step_write(async_exch_t *exch, void *arg);
_NODISCARD errno_t async_step_read(async_exch_t *exch, void *arg);
typedef struct {
	iface_t iface;
	async_port_handler_t handler;
	void *data;
} async_step_callback_t;
_NODISCARD errno_t async_step_callback(async_exch_t *exch, void *arg);

/** The common request shapes with data: @a imethod (@a arg1, @a arg2)
 *  followed by a data write of @a src (@a size bytes) or a data read into
 *  @a dst (up to @a size bytes; how many came in *@a got unless NULL). Both
 *  wait for the answer; its first argument goes to *@a out (unless NULL).
 *  The error is the call's, else the transfer's. */
_NODISCARD errno_t async_req_write(async_exch_t *exch, sysarg_t imethod, sysarg_t arg1,
    sysarg_t arg2, const void *src, size_t size, sysarg_t *out);
_NODISCARD errno_t async_req_read(async_exch_t *exch, sysarg_t imethod, sysarg_t arg1,
    sysarg_t arg2, void *dst, size_t size, size_t *got, sysarg_t *out);

bool async_data_write_receive(ipc_call_t *call, size_t *size);
/** Takes @a size bytes of the write @a call into @a dst. */
_NODISCARD errno_t async_data_write_finalize(ipc_call_t *call, void *dst, size_t size);
/** Receives a write of @a min_size..@a max_size bytes (0: no limit), a
 *  multiple of @a granularity (0: any), into a new buffer (+1 NUL byte with
 *  @a nullterm); refuses anything else with EINVAL (ELIMIT if too big). */
_NODISCARD errno_t async_data_write_accept(void **data, bool nullterm, size_t min_size,
    size_t max_size, size_t granularity, size_t *received);
bool async_data_read_receive(ipc_call_t *call, size_t *size);
/** The data write (read) a protocol sends after @a call, into *@a wcall
 *  (*@a rcall) with its size; false when the next call is something else,
 *  which is then refused with EINVAL, and so is @a call. */
bool async_data_write_receive_for(ipc_call_t *call, ipc_call_t *wcall, size_t *size);
bool async_data_read_receive_for(ipc_call_t *call, ipc_call_t *rcall, size_t *size);
/** Answers the read @a call with @a size bytes from @a src. */
_NODISCARD errno_t async_data_read_finalize(
    ipc_call_t *call, const void *src, size_t size);

/** Middleman: sends @a imethod with the arguments to @a exch's server and
 *  forwards the data write (read) its own client sends next along with it,
 *  so the data never passes through the middleman. Returns the request's
 *  answer (in *@a dataptr too unless NULL). */
_NODISCARD errno_t async_data_write_forward_fast(async_exch_t *exch, sysarg_t imethod,
    sysarg_t arg1, sysarg_t arg2, sysarg_t arg3, sysarg_t arg4, ipc_call_t *dataptr);
_NODISCARD errno_t async_data_read_forward_fast(async_exch_t *exch, sysarg_t imethod,
    sysarg_t arg1, sysarg_t arg2, sysarg_t arg3, sysarg_t arg4, ipc_call_t *dataptr);

/** The task that sent @a call (as routed: see ipc_get_task_id()). */
static inline task_id_t async_call_task_id(const ipc_call_t *call)
{
	return ipc_get_task_id(call);
}

/** Asks the server to share @a size bytes with @a flags (AS_AREA_*), @a arg
 *  for its protocol (the server reads it from args[3], ipc_get_arg4());
 *  *@a dst is where the area was mapped. */
_NODISCARD errno_t async_share_in_start(
    async_exch_t *exch, size_t size, sysarg_t arg, unsigned flags, void **dst);
bool async_share_in_receive(ipc_call_t *call, size_t *size, unsigned *flags);
/** Middleman: async_data_read_forward_fast() for the share-in its client
 *  sends next: the server answers it, its area mapped into the client. */
_NODISCARD errno_t async_share_in_forward_fast(async_exch_t *exch, sysarg_t imethod,
    sysarg_t arg1, sysarg_t arg2, sysarg_t arg3, sysarg_t arg4, ipc_call_t *dataptr);
/** Shares the area at @a src (at least the size asked for) with the area's
 *  own flags. */
_NODISCARD errno_t async_share_in_finalize(ipc_call_t *call, void *src);
/** Shares the area at @a src allowing the client @a flags only (AS_AREA_*,
 *  no more than the area has; 0: the area's): a client that asked for more
 *  gets EPERM, and its mapping never gains more. */
_NODISCARD errno_t async_share_in_finalize_flags(
    ipc_call_t *call, void *src, unsigned flags);
/** Shares the area at @a src with the server, allowing @a flags (0: the
 *  area's). */
_NODISCARD errno_t async_share_out_start(async_exch_t *exch, void *src, unsigned flags);
bool async_share_out_receive(ipc_call_t *call, size_t *size, unsigned *flags);
/** Accepts the area of share-out @a call; *@a dst is where it was mapped. */
_NODISCARD errno_t async_share_out_finalize(ipc_call_t *call, void **dst);

/** Lets @a exch's server change the state of @a other_exch's connection (to
 *  the same server), with protocol arguments. */
_NODISCARD errno_t async_state_change_start(async_exch_t *exch, sysarg_t arg1,
    sysarg_t arg2, sysarg_t arg3, async_exch_t *other_exch);
/** Takes the next call if it is STATE_CHANGE_AUTHORIZE; *@a other_label is
 *  the label of the connection it authorises. */
bool async_state_change_receive(ipc_call_t *call, sysarg_t *other_label);

/*
 * Notifications.
 */

/** Subscribes to IRQ @a irq with IRQ code @a cmds (PERM_IRQ); accepted
 *  interrupts run @a handler(@a data). */
_NODISCARD errno_t async_irq_subscribe(int irq, async_notification_handler_t handler,
    void *data, const irq_cmd_t *cmds, size_t count, cap_handle_t *handle);
_NODISCARD errno_t async_irq_unsubscribe(cap_handle_t handle);
/** Subscribes to kernel event @a event (EVENT_*); each delivery runs
 *  @a handler(@a data); the event stays masked until async_event_unmask(). */
_NODISCARD errno_t async_event_subscribe(
    unsigned event, async_notification_handler_t handler, void *data);
_NODISCARD errno_t async_event_unmask(unsigned event);

/*
 * HelenOS's numbered names, generated over the cores above:
 *   async_send_M(exch, imethod, arg1..argM, dataptr)          -> aid_t
 *   async_msg_M(exch, imethod, arg1..argM)                    -> errno_t
 *   async_req_M_N(exch, imethod, arg1..argM, r1..rN)          -> errno_t
 *   async_answer_M(call, retval, arg1..argM)                  -> errno_t
 *   async_forward_M(call, exch, imethod, arg1..argM, mode)    -> errno_t
 * for M, N in 0..5 (r1..rN are sysarg_t *, NULL to ignore).
 */
#define ASYNC_IN_PARAMS_0
#define ASYNC_IN_PARAMS_1 , sysarg_t arg1
#define ASYNC_IN_PARAMS_2 ASYNC_IN_PARAMS_1, sysarg_t arg2
#define ASYNC_IN_PARAMS_3 ASYNC_IN_PARAMS_2, sysarg_t arg3
#define ASYNC_IN_PARAMS_4 ASYNC_IN_PARAMS_3, sysarg_t arg4
#define ASYNC_IN_PARAMS_5 ASYNC_IN_PARAMS_4, sysarg_t arg5
#define ASYNC_IN_ARGS_0	  0, 0, 0, 0, 0
#define ASYNC_IN_ARGS_1	  arg1, 0, 0, 0, 0
#define ASYNC_IN_ARGS_2	  arg1, arg2, 0, 0, 0
#define ASYNC_IN_ARGS_3	  arg1, arg2, arg3, 0, 0
#define ASYNC_IN_ARGS_4	  arg1, arg2, arg3, arg4, 0
#define ASYNC_IN_ARGS_5	  arg1, arg2, arg3, arg4, arg5

#define ASYNC_OUT_PARAMS_0
#define ASYNC_OUT_PARAMS_1 , sysarg_t *r1
#define ASYNC_OUT_PARAMS_2 ASYNC_OUT_PARAMS_1, sysarg_t *r2
#define ASYNC_OUT_PARAMS_3 ASYNC_OUT_PARAMS_2, sysarg_t *r3
#define ASYNC_OUT_PARAMS_4 ASYNC_OUT_PARAMS_3, sysarg_t *r4
#define ASYNC_OUT_PARAMS_5 ASYNC_OUT_PARAMS_4, sysarg_t *r5
/* The answer's arguments into the non-NULL r1..rN, in the caller's frame
 * (the compiler sees which are wanted). */
#define ASYNC_OUT_COPY(i, r) \
	if ((r) != NULL) \
		*(r) = answer.args[i];
#define ASYNC_OUT_COPY_0
#define ASYNC_OUT_COPY_1 ASYNC_OUT_COPY(0, r1)
#define ASYNC_OUT_COPY_2 ASYNC_OUT_COPY_1 ASYNC_OUT_COPY(1, r2)
#define ASYNC_OUT_COPY_3 ASYNC_OUT_COPY_2 ASYNC_OUT_COPY(2, r3)
#define ASYNC_OUT_COPY_4 ASYNC_OUT_COPY_3 ASYNC_OUT_COPY(3, r4)
#define ASYNC_OUT_COPY_5 ASYNC_OUT_COPY_4 ASYNC_OUT_COPY(4, r5)

#define ASYNC_DEFINE_REQ(m, n) \
	static inline _NODISCARD errno_t async_req_##m##_##n(async_exch_t *exch, \
	    sysarg_t imethod ASYNC_IN_PARAMS_##m ASYNC_OUT_PARAMS_##n) \
	{ \
		const sysarg_t in[IPC_CALL_ARGS] = {ASYNC_IN_ARGS_##m}; \
		ipc_call_t answer; \
		errno_t rc = async_req_call(exch, imethod, in, &answer); \
		ASYNC_OUT_COPY_##n return rc; \
	}

#define ASYNC_DEFINE_IN(m) \
	static inline aid_t async_send_##m(async_exch_t *exch, \
	    sysarg_t imethod ASYNC_IN_PARAMS_##m, ipc_call_t *dataptr) \
	{ \
		const sysarg_t in[IPC_CALL_ARGS] = {ASYNC_IN_ARGS_##m}; \
		return async_send_args(exch, imethod, in, dataptr); \
	} \
	static inline _NODISCARD errno_t async_msg_##m( \
	    async_exch_t *exch, sysarg_t imethod ASYNC_IN_PARAMS_##m) \
	{ \
		const sysarg_t in[IPC_CALL_ARGS] = {ASYNC_IN_ARGS_##m}; \
		return async_msg_args(exch, imethod, in); \
	} \
	static inline _NODISCARD errno_t async_answer_##m( \
	    ipc_call_t *call, errno_t retval ASYNC_IN_PARAMS_##m) \
	{ \
		const sysarg_t in[IPC_CALL_ARGS] = {ASYNC_IN_ARGS_##m}; \
		return async_answer_args(call, retval, in); \
	} \
	static inline _NODISCARD errno_t async_forward_##m(ipc_call_t *call, \
	    async_exch_t *exch, sysarg_t imethod ASYNC_IN_PARAMS_##m, unsigned mode) \
	{ \
		const sysarg_t in[IPC_CALL_ARGS] = {ASYNC_IN_ARGS_##m}; \
		return async_forward_args(call, exch, imethod, in, mode); \
	} \
	ASYNC_DEFINE_REQ(m, 0) \
	ASYNC_DEFINE_REQ(m, 1) \
	ASYNC_DEFINE_REQ(m, 2) \
	ASYNC_DEFINE_REQ(m, 3) \
	ASYNC_DEFINE_REQ(m, 4) \
	ASYNC_DEFINE_REQ(m, 5)

ASYNC_DEFINE_IN(0)
ASYNC_DEFINE_IN(1)
ASYNC_DEFINE_IN(2)
ASYNC_DEFINE_IN(3)
ASYNC_DEFINE_IN(4)
ASYNC_DEFINE_IN(5)

#endif
