/*
 * System methods: each one implements (a subset of) this table of hooks,
 * which the IPC core calls at fixed points of a call's life. A hook that
 * fails turns the call or answer into an error; no hook may block.
 */
#ifndef KERN_IPC_METHODS_H
#define KERN_IPC_METHODS_H

#include <ipc/ipc.h>

typedef struct ipc_method_ops {
	/** Sender's context, before the call is queued. */
	errno_t (*request_preprocess)(call_t *call);
	/** Receiver's context, when ipc_wait hands the call out. */
	errno_t (*request_process)(call_t *call, ipc_event_t *ev);
	/**
	 * Answerer's context, before the answer is delivered. May update the
	 * answer's arguments (they are returned to the answerer too). An error
	 * turns the answer into that error and is returned to the answerer.
	 */
	errno_t (*answer_preprocess)(call_t *call);
	/** Caller's context, when ipc_wait hands the answer out. */
	void (*answer_process)(call_t *call, ipc_event_t *ev);
	/** Frees method state when the call is destroyed. */
	void (*cleanup)(call_t *call);
	/** Whether ipc_forward may pass the call on. */
	bool forwardable;
	/** Whether a task may send it (PHONE_HUNGUP and unknown system methods: no). */
	bool sendable;
} ipc_method_ops_t;

/** Operations of user methods: no hooks, forwardable, sendable. */
extern const ipc_method_ops_t ipc_user_method_ops;
const ipc_method_ops_t *ipc_system_method_ops(sysarg_t method);

/** The hooks of @a method (user methods get the empty table, without a lookup). */
static inline const ipc_method_ops_t *ipc_method_ops(sysarg_t method)
{
	return method > IPC_M_LAST_SYSTEM ? &ipc_user_method_ops
					  : ipc_system_method_ops(method);
}

extern const ipc_method_ops_t ipc_m_connect_me_to_ops;
extern const ipc_method_ops_t ipc_m_connect_to_me_ops;
extern const ipc_method_ops_t ipc_m_phone_hungup_ops;
extern const ipc_method_ops_t ipc_m_connection_clone_ops;
extern const ipc_method_ops_t ipc_m_data_write_ops;
extern const ipc_method_ops_t ipc_m_data_read_ops;
extern const ipc_method_ops_t ipc_m_share_out_ops;
extern const ipc_method_ops_t ipc_m_share_in_ops;
extern const ipc_method_ops_t ipc_m_state_change_authorize_ops;
extern const ipc_method_ops_t ipc_m_exception_ops;
extern const ipc_method_ops_t ipc_m_page_in_ops;
extern const ipc_method_ops_t ipc_m_page_out_ops;

/* Shared by the methods that hand a new phone to the receiver
 * (CONNECT_TO_ME, CONNECTION_CLONE): install it in the receiver's table as
 * args[@a arg], and take it back if the receiver refuses. */
errno_t passed_phone_install(call_t *call, ipc_event_t *ev, unsigned arg);
errno_t passed_phone_revoke_unless_accepted(call_t *call);
void passed_object_cleanup(call_t *call);
/** Frees a page-sized frame call->buffer holds (PAGE_IN, PAGE_OUT). */
void call_frame_cleanup(call_t *call);
/** Frees a data-transfer buffer and drops a shared memory object. */
void transfer_cleanup(call_t *call);
/** Copies @a size bytes from user address @a src into a new call->buffer
 *  (freed by transfer_cleanup, also on failure); ENOMEM or EBADMEM. */
errno_t transfer_buffer_fill(call_t *call, uintptr_t src, size_t size);

/* The IPC core's internal interface (ipc.c, phone.c), used by method hooks. */
phone_t *phone_create(void);
/** Connects @a phone to @a box with @a label; EHANGUP if the box is inactive. */
errno_t phone_connect(phone_t *phone, answerbox_t *box, sysarg_t label);
/*
 * Phone origins (ipc/derive.c). A phone made by SYS_CAP_DERIVE gets a new
 * origin; every copy of it (CONNECTION_CLONE, a further derive) names that
 * origin or one below it. Revoking the derived handle marks its origin and
 * hangs up every phone at or below it. Ownership:
 *   object          owner                       reference taken / dropped
 *   phone_origin_t  each phone naming it,       phone_origin_get when a
 *                   each child origin            phone or child takes it /
 *                                                phone_origin_put on destroy
 *   origin->box     the origin (a reference      task_get at creation /
 *                   on the box's task)           task_put when freed
 */
typedef struct phone_origin {
	uint64_t refcount;
	bool revoked; /* set once, under box->wq.lock */
	struct phone_origin *parent;
	answerbox_t *box; /* the server every copy is connected to */
} phone_origin_t;

/** Whether @a origin or one above it is revoked (false for NULL). */
bool phone_origin_revoked(const phone_origin_t *origin);
void phone_origin_get(phone_origin_t *origin);
/** Drops a reference (NULL: nothing); the last one frees the origin. */
void phone_origin_put(phone_origin_t *origin);
/** A new phone of @a src's connection and derivation for a
 *  CONNECTION_CLONE, whose capability will carry @a rights. EHANGUP. */
errno_t phone_copy_for_clone(phone_t *src, cap_rights_t rights, phone_t **copy);
/** Answers the calls sent through @a phone still queued in @a box with
 *  EHANGUP (the phone was revoked). */
void phone_fail_queued_calls(answerbox_t *box, phone_t *phone);
/** Steps 2 and 3 of a revocation (ipc/derive.c): derived @a phone and every
 *  copy made from it are hung up (PHONE_HUNGUP from @a by), their queued
 *  calls answered EHANGUP. Takes over the caller's reference on @a phone;
 *  its handle stays for the caller to free. */
void phone_revoke_copies(phone_t *phone, struct task *by);

/** Disconnects @a phone, sending PHONE_HUNGUP (from @a sender) if it was connected. */
void phone_hangup(phone_t *phone, struct task *sender);
/** Disconnects every phone connected to @a box without a message (task death). */
void phone_slam_all(answerbox_t *box);
/** A kernel-originated call whose answer is discarded (PHONE_HUNGUP). */
call_t *call_create_discarded(sysarg_t method, struct task *sender);
/** Queues request @a call in @a box; false if the box takes no more calls. */
bool call_enqueue_request(answerbox_t *box, call_t *call);
/** Delivers the answer in @a call to its caller (or drops it). */
void call_deliver_answer(call_t *call);
/** Answers @a call, which is in no list, with @a rc. */
void call_answer_error(call_t *call, errno_t rc);

#endif
