/*
 * What the async framework's files share.
 *
 * Locking: async_lock guards every structure here: phones' slot counts and
 * waiters, call records, sessions' exchange lists, connections and their
 * queues, clients, ports, notification entries, the label table and the
 * counters. It is never held across a wait; fibril_notify() may be called
 * with it held (lock order: async_lock -> fibril_lock -> heap lock).
 */
#ifndef ASYNC_PRIVATE_ASYNC_H
#define ASYNC_PRIVATE_ASYNC_H

#include "label.h"
#include <async.h>
#include <common/adt/list.h>
#include <fibril.h>
#include <spinlock.h>

/*
 * A call method of the framework's own: sent through a phone just before it
 * is hung up, so the server learns which connection ends (args[0] = 1: the
 * phone was a clone; the connection stays). The kernel's PHONE_HUNGUP
 * carries no connection label (see docs/async.md). The server's manager
 * answers it at once.
 */
#define ASYNC_M_CLOSE ((sysarg_t) -1)

extern spinlock_t async_lock;

/** A phone as the framework uses it. */
typedef struct async_phone {
	cap_handle_t cap;
	unsigned inflight;   /* calls sent, answers not yet received */
	list_t slot_waiters; /* slot_waiter_t, first come first served */
	bool released;	     /* hung up: freed when inflight drops to 0 */
} async_phone_t;

/** A fibril waiting for a free slot on a phone; the slot is handed over. */
typedef struct {
	link_t link;
	fibril_event_t event;
} slot_waiter_t;

struct async_fibril;

/** A call this task sent; its address is the answer label. */
typedef struct amsg {
	link_t link;		    /* on its cache's outstanding or free list */
	struct async_fibril *cache; /* where it returns (NULL: freed) */
	async_phone_t *phone;	    /* charged while in flight */
	fibril_event_t done_event;
	bool done;
	bool forget;
	bool on_stack; /* a synchronous request's, in its caller's frame: never
			* on a list, cached or freed; lives until collected */
	ipc_call_t *dataptr;
	ipc_call_t answer;
} amsg_t;

struct async_conn;

/** Per-fibril state (the fibril's local pointer). */
typedef struct async_fibril {
	list_t free_msgs;	 /* amsg_t to reuse */
	list_t outstanding;	 /* amsg_t sent from here, not yet collected */
	struct async_conn *conn; /* the connection this fibril serves */
} async_fibril_t;

struct async_exch {
	link_t link;
	async_sess_t *sess;
	async_phone_t *phone;
	bool own_phone; /* PARALLEL: a phone of this exchange's own */
};

struct async_sess {
	exch_mgmt_t mgmt;
	async_phone_t *phone;
	sysarg_t connect_args[3]; /* how the session was made (for more phones) */
	bool can_connect;	  /* connect_args are valid */
	bool shared;		  /* a clone: hanging up leaves the connection open */
	unsigned open;		  /* exchanges begun, not ended (ATOMIC: atomically,
				   * without async_lock) */
	bool base_busy;		  /* PARALLEL: an exchange uses `phone` */
	list_t idle;		  /* PARALLEL: exchanges with own phones, unused */
	list_t free_exchs;	  /* exchange records to reuse */
	list_t waiters;		  /* exch_waiter_t: fibrils waiting for an exchange */
	/* ATOMIC: the one exchange record every exchange shares (they all
	 * send through `phone`, and nobody writes it after it is made). */
	async_exch_t atomic_exch;
};

/** The framework's answer to a request the manager handles itself. */
void async_answer_later(fibril_ipc_answer_t *later, const ipc_call_t *call, errno_t rc);

/* client.c */
void async_init(void);
/** server.c's part of async_init() (async_lock held). */
void async_server_init(void);
async_fibril_t *async_fibril(void);
void async_fibril_destroy(void *data);
void async_answer_received(ipc_event_t *ev);
async_phone_t *async_phone_create(cap_handle_t cap);
async_sess_t *async_session_make(exch_mgmt_t mgmt, cap_handle_t phone, bool shared);

/* server.c */
/** Answers @a call with @a answer, which then holds the answer as
 *  delivered (async_answer_args() tells the results). */
_NODISCARD errno_t async_answer_payload(ipc_call_t *call, ipc_payload_t *answer);
void async_dispatch(ipc_event_t *ev, fibril_ipc_answer_t *later);
/** True while this task serves anything (ports, connections, handlers):
 *  then no fibril may block its thread waiting for one answer. */
bool async_serving_locked(void);
/** Whether anything to serve was ever set up (server.c; async_lock): while
 *  false, async_serving_locked() is false too. */
extern bool async_may_serve;
/** Fibrils blocked in the framework (async_lock). */
extern unsigned async_blocked;

/* notif.c */
void async_notification_received(ipc_event_t *ev);
extern unsigned async_notification_count;

#endif
