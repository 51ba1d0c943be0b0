/*
 * Kernel IPC: answerboxes, phones and calls.
 *
 * Every task has one answerbox. A phone (a capability) is connected to an
 * answerbox; a call sent through it is queued in the box, received by a
 * thread of the box's task (which gets a call capability), and answered
 * exactly once: by the receiver, or by the kernel with EHANGUP when the
 * receiver dies. The answer is queued in the caller's box.
 *
 * Lock order: phone->lock -> box->lock (box->wq.lock); never two box locks.
 * A phone holds a reference on its callee's task while connected; a call
 * holds references on its sender task, its caller's task and its phone.
 * A box's list of phones holds none on them: who walks it takes one with
 * kobject_get_unless_zero under the box lock before touching a phone (one
 * whose last reference went is freed once its hang-up has taken it off).
 */
#ifndef KERN_IPC_IPC_H
#define KERN_IPC_IPC_H

#include <abi/ipc.h>
#include <cap/cap.h>
#include <common/adt/list.h>
#include <synch/waitq.h>
#include <types.h>

struct task;
struct mem_object;

/** answerbox_t.pending's bit for a box that is no longer active: no
 *  count of queued work reaches it. */
#define BOX_PENDING_CLOSED ((size_t) 1 << (sizeof(size_t) * 8 - 1))

typedef struct answerbox {
	waitq_t wq; /* wq.lock is the box lock */
	struct task *task;
	bool active;	/* false once the task is dying */
	list_t calls;	/* requests not yet received (a received one is named
			 * only by its capability in the task's table) */
	list_t answers; /* answers to our calls, not yet picked up */
	list_t notifications;
	list_t phones; /* phones connected to this box */
	size_t pokes;
	/* Calls, answers and notifications on the three lists plus pokes: what
	 * a wait would take; and BOX_PENDING_CLOSED once the box is not active
	 * any more. One word for the fast path's test "quiet" (box_quiet);
	 * kept by box_enqueue, box_dequeue, the pokes' two sites and the
	 * task's clean-up, under the box lock. */
	size_t pending;
	/* The number of the last request a wait took off the box (abi/ipc.h,
	 * "Request numbers"); advanced by box_number_request only. */
	uint32_t taken;
} answerbox_t;

/** Queues @a link (a call's) on @a list of @a box; box locked. */
static inline void box_enqueue(answerbox_t *box, list_t *list, link_t *link)
{
	list_append(link, list);
	box->pending++;
}

/** The number of the request a wait takes off @a box now (box locked, the
 *  call in hand): numbers follow the order of taking, which is the box's
 *  order, and every one reaches user space (a REQUEST or REFUSED event). */
static inline uint32_t box_number_request(answerbox_t *box)
{
	return ++box->taken;
}

/** Takes @a link (a call's) off the list of @a box it is on; box locked. */
static inline void box_dequeue(answerbox_t *box, link_t *link)
{
	list_remove(link);
	box->pending--;
}

typedef enum {
	PHONE_CONNECTING,
	PHONE_CONNECTED,
	PHONE_HUNGUP,
	PHONE_SLAMMED,
} phone_state_t;

struct phone_origin;

typedef struct phone {
	kobject_t kobj;
	spinlock_t lock;
	phone_state_t state;
	answerbox_t *callee; /* while CONNECTED */
	link_t box_link;     /* callee->phones */
	/* Sent through this phone, not yet answered: checked against the limit
	 * and raised under lock (phone_charge_locked), lowered without it
	 * (phone_uncharge), both atomically. */
	size_t active_calls;
	sysarg_t label; /* set by the server when it accepted */
	/* Set before the phone is connected, then fixed: */
	cap_rights_t rights;	     /* its capability's, when installed (CAP_RIGHT_*) */
	struct phone_origin *origin; /* the derivation it is a copy of, or NULL */
	bool revoked; /* its origin was revoked: calls through it end EHANGUP */
} phone_t;

typedef struct {
	sysarg_t method; /* or the return value of an answer */
	sysarg_t args[IPC_CALL_ARGS];
} ipc_data_t;

#define CALL_ANSWERED  0x01
#define CALL_FORWARDED 0x02
#define CALL_NOTIF     0x04
#define CALL_DISCARD   0x08 /* nobody collects the answer (kernel-sent) */
#define CALL_CHARGED   0x20 /* counted in its caller's QUOTA_CALLS until answered */
/* Set up by the fast path (a user method: no hooks, a caller box) and still
 * sent from its waiter's task: sender and caller box are that task's (a
 * forward that routes the call from another task clears it). Its waiter may
 * keep it when it ends; the fast path may answer it without asking more. */
#define CALL_OWN 0x40

/*
 * call_t.sync: whether the answer goes straight to call->waiter, a thread
 * blocked for it. The waiter giving up (timeout, kill) and an answerer on
 * another CPU race for it, so it is a word of its own (a bit of `flags`
 * would lose the other side's updates of the word), moved only by
 * compare-and-swap (ipc_priv.h):
 *   NONE -> the answer goes to the caller's box;
 *   WAITING -> the waiter sleeps for it: the waiter may end that (NONE), an
 *     answerer may claim it (DELIVERING);
 *   DELIVERING -> an answerer claimed the waiter, which then waits, its
 *     thread alive, until CALL_ANSWERED (set under the waiter's ipc_wq
 *     lock); a claimer that cannot hand off puts it back to WAITING.
 */
#define CALL_SYNC_NONE	     0
#define CALL_SYNC_WAITING    1
#define CALL_SYNC_DELIVERING 2

struct ipc_method_ops;

typedef struct call {
	kobject_t kobj;
	link_t link; /* in exactly one box list while in flight */
	unsigned flags;
	unsigned sync; /* CALL_SYNC_*: changed by compare-and-swap alone */
	const struct ipc_method_ops *ops; /* of the method the call was sent with */
	ipc_data_t data;		  /* request, then answer */
	sysarg_t request_method; /* the method as sent (or rewritten by a forward) */
	sysarg_t request_label;
	sysarg_t answer_label;
	struct task *sender;	 /* as the receiver sees it */
	answerbox_t *caller_box; /* where the answer goes (NULL with CALL_DISCARD) */
	struct thread *waiter;	 /* sync call: the thread blocked in ipc_call_wait */
	phone_t *phone;		 /* the phone it was sent through (charged) */
	uint64_t id;		 /* unique, for tracing: 0 until logged (ipc_call_id) */
	/* System-method state. */
	void *buffer;
	size_t buffer_size;
	kobject_t *passed;	   /* an object handed over (new phone) */
	cap_handle_t passed_cap;   /* its handle in the receiver, once installed */
	uintptr_t user_addr;	   /* the caller's buffer or area address */
	struct mem_object *shared; /* the object being shared */
	size_t share_offset;	   /* its first shared page */
	size_t share_pages;
	unsigned share_flags; /* OUT: the most the receiver may get; IN: wanted */
	unsigned share_max;   /* the rights of the new mapping (as_area_t.max_flags) */
} call_t;

/**
 * A notification source (IRQ subscription, kernel event): its call is
 * preallocated, so posting never allocates and works in interrupt context.
 * While the notification waits in the box, further posts coalesce into it
 * (count grows, arguments are the latest).
 */
typedef struct ipc_notif {
	call_t call;	  /* CALL_NOTIF; on box->notifications while queued */
	answerbox_t *box; /* NULL once detached */
	bool queued;
	uint64_t count;
} ipc_notif_t;

void ipc_notif_init(ipc_notif_t *notif, answerbox_t *box, sysarg_t method);
/** Posts (or coalesces) a notification with @a args; interrupt-safe. */
void ipc_notif_post(ipc_notif_t *notif, const sysarg_t args[IPC_CALL_ARGS]);
/** Unqueues the notification for good (its source goes away). */
void ipc_notif_detach(ipc_notif_t *notif);

/** Whether the IPC fast path is on (boot option ipcfast=off turns it off). */
extern bool ipc_fastpath;
void ipc_fastpath_boot(const char *cmdline);
/** Why the fast path's entries leave everything to the general path now,
 *  in one byte they test (0: nothing stops them): boot option ipcfast=off,
 *  the IPC log on (ipc_fastpath_log_on). */
#define IPC_FAST_BLOCKED_BOOT 1u
#define IPC_FAST_BLOCKED_LOG  2u
extern volatile uint8_t ipc_fast_blocked;
/** The IPC log turned on or off (ipclog_enable): the fast path stays off
 *  while it is on. */
void ipc_fastpath_log_on(bool on);

/** A timeout in µs from user space (0: forever) as a wait queue's (ns, 0: forever). */
static inline uint64_t ipc_usec_to_ns(sysarg_t usec)
{
	const sysarg_t max = UINT64_MAX / 1000;
	return (usec > max ? max : usec) * 1000;
}

void ipc_init(void);
void answerbox_init(answerbox_t *box, struct task *task);

/** Creates a phone owned by @a owner, connected to @a box; returns its handle. */
errno_t ipc_phone_connect_new(
    struct task *owner, answerbox_t *box, sysarg_t label, cap_handle_t *handle);
/** Sends @a data through @a phone_h of the current task; the answer comes with @a label. */
errno_t ipc_call(cap_handle_t phone_h, const ipc_data_t *data, sysarg_t label);
/**
 * Sends like ipc_call and waits (up to @a timeout_ns, 0: forever) for this
 * call's answer alone, which comes back in @a ev. On ETIMEOUT or EINTR the
 * call stays in flight and its answer arrives in the answerbox as usual, with
 * @a label. With IPC_CALL_WAIT_ANY in @a flags it waits like ipc_wait instead
 * (for whichever event comes first, the answer being an ordinary one); then
 * ETIMEOUT and EINTR also mean "sent". Other errors: nothing was sent.
 */
errno_t ipc_call_wait(cap_handle_t phone_h, const ipc_data_t *data, sysarg_t label,
    uint64_t timeout_ns, unsigned flags, ipc_event_t *ev);
/**
 * Sends kernel-made @a call (call_create_discarded: its sender is whom the
 * receiver sees) through @a phone for the current thread and waits for its
 * answer, which comes back in @a answer (EOK; its method word is the return
 * value). The call's reference is consumed. EHANGUP/ELIMIT: not sent; EINTR:
 * killed while waiting (a later answer is dropped).
 */
errno_t ipc_call_kernel_wait(phone_t *phone, struct call *call, ipc_data_t *answer);
/** Queues kernel-made @a call (call_create_discarded) through @a phone
 *  without waiting: its answer is dropped. Counts against no slot of the
 *  phone (the caller bounds how many it sends). The call's reference is
 *  consumed; false if the phone or its box is gone (the call freed). */
bool ipc_call_kernel_post(phone_t *phone, struct call *call);
/** Answers @a call_h, then waits like ipc_wait (a server's whole turn). */
errno_t ipc_answer_wait(cap_handle_t call_h, ipc_data_t *answer, uint64_t timeout_ns,
    unsigned flags, ipc_event_t *ev);
/** ipc_wait up to @a deadline_ns (a clock_ns() value; WAITQ_FOREVER: none). */
errno_t ipc_wait_until(uint64_t deadline_ns, unsigned flags, ipc_event_t *ev);
/**
 * Waits (up to @a timeout_ns, 0: forever) for the next notification, answer
 * or request of the current task. The timeout is one deadline for the whole
 * wait, however often the thread wakes to find the event taken by another.
 * An event there when the deadline comes is delivered (EOK); ETIMEOUT means
 * there was none. With IPC_WAIT_NONBLOCKING: EAGAIN when there is none.
 * (Inline: the deadline is all it adds to ipc_wait_until, a hot path.)
 */
static inline errno_t ipc_wait(uint64_t timeout_ns, unsigned flags, ipc_event_t *ev)
{
	return ipc_wait_until(waitq_deadline(timeout_ns), flags, ev);
}
/** Answers call @a call_h of the current task. System methods may fill in
 *  results for the answerer in @a answer (e.g. where a shared area landed). */
errno_t ipc_answer(cap_handle_t call_h, ipc_data_t *answer);
/** Passes call @a call_h on through @a phone_h (see IPC_FF_*). */
errno_t ipc_forward(
    cap_handle_t call_h, cap_handle_t phone_h, const ipc_data_t *rewrite, unsigned mode);
/** A new phone of @a phone_h's connection with @a rights (a subset of the
 *  handle's, which needs CAP_RIGHT_CLONE), installed in @a owner's table as a
 *  derived, revocable capability (ipc/derive.c). */
errno_t ipc_phone_derive(
    struct task *owner, cap_handle_t phone_h, cap_rights_t rights, cap_handle_t *derived);
/** Revokes derived phone @a phone_h of @a owner and every copy made from it
 *  (ipc/derive.c). ENOENT; EPERM for a handle @a owner did not derive. */
errno_t ipc_phone_revoke(struct task *owner, cap_handle_t phone_h);
/** Hangs @a phone_h up (PHONE_HUNGUP to the server); IPC_HANGUP_RELEASE frees the handle. */
errno_t ipc_hangup(cap_handle_t phone_h, unsigned flags);
/** Wakes one thread of the current task waiting in ipc_wait. */
void ipc_poke(void);
/** Makes @a task the naming service: every task created later starts with
 *  phone handle 1 connected to it. Set before @a task runs (program_load),
 *  so that no child it starts can miss it; only the first call counts. */
void ipc_set_naming_service(struct task *task);
/** Connects phone handle 1 of a new @a task to the naming service, if any
 *  (EOK without one); ENOMEM, or EHANGUP once the naming service has ended.
 *  Called before anything else takes a handle of @a task. */
errno_t ipc_connect_to_naming_service(struct task *task);
/** @a call's id for the IPC log: given at the call's first logged event
 *  (a call's set-up only writes 0, the log being off on the hot paths),
 *  the same for all its later ones; notifications keep 0. */
uint64_t ipc_call_id(call_t *call);
struct thread;
/** Calls parked in threads' caches (allocated, but not in use). */
uint64_t ipc_cached_call_count(void);
/** Frees the thread's cached call (when the thread is destroyed). */
void ipc_thread_cleanup(struct thread *t);
/** Tears down the IPC state of a task whose last thread is gone (see ipc/death.c). */
void ipc_task_cleanup(struct task *task);

#endif
