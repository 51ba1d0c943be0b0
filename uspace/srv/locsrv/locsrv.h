/*
 * What locsrv's files share (protocol: abi/loc.h).
 *
 *   locsrv.c    main, connections (broker dispatch), the state lock and the
 *               forwarding of clients' connects to servers
 *   supplier.c  server records and the supplier calls
 *   consumer.c  queries, blocking lookups held for later, and the
 *               category-change callbacks with their notifier fibril
 *   registry.c  the registry itself (no IPC; host-tested)
 *
 * Locking: the state lock (loc_lock/loc_unlock) guards the registry, the
 * server records and the held lookups; nothing under it waits (answers and
 * forwards are single system calls). The callback list has a lock of its
 * own, taken only by the notifier and by connection ends, never with the
 * state lock held (order: callbacks lock alone). loc_unlock() wakes the
 * notifier when a category changed.
 *
 * Bounds: LOC_SERVICES_MAX services, LOC_CATEGORIES_MAX categories
 * (registry.h), LOC_SERVERS_MAX servers, LOC_HELD_MAX held lookups and
 * LOC_CALLBACKS_MAX consumer callbacks at a time; ELIMIT beyond.
 */
#ifndef LOCSRV_LOCSRV_H
#define LOCSRV_LOCSRV_H

#include "registry.h"
#include <abi/loc.h>
#include <async.h>

#define LOC_SERVERS_MAX	  256
#define LOC_HELD_MAX	  256
#define LOC_CALLBACKS_MAX 64

/** One connection of a client (supplier or consumer). */
typedef struct loc_conn {
	bool supplier;
	struct loc_server *server; /* after LOC_SERVER_REGISTER; owns services */
} loc_conn_t;

/** A registered server: where connects to its services go. */
typedef struct loc_server {
	link_t link; /* servers */
	char *name;
	async_sess_t *sess; /* its callback (CONNECT_TO_ME) */
} loc_server_t;

extern loc_registry_t loc_registry;

void loc_lock(void);
/** Releases the state lock; wakes the notifier if a category changed. */
void loc_unlock(void);
/** Answers @a call with @a rc and one argument; failures are reported. */
void loc_answer(ipc_call_t *call, errno_t rc, sysarg_t arg);
/** Takes a name written after a call (NUL-terminated; free() it). */
errno_t loc_name_receive(char **name);

/** Handles a supplier call (false: not one of them). */
bool loc_supplier_call(loc_conn_t *conn, ipc_call_t *call);
/** The server of service @a id, or NULL; the state lock is held. */
loc_server_t *loc_server_of(loc_id_t id);
/** Drops @a conn's server and its services (its connection ended). */
void loc_supplier_end(loc_conn_t *conn);

/** Handles a consumer call (false: not one of them). */
bool loc_consumer_call(loc_conn_t *conn, ipc_call_t *call);
/** Drops @a conn's held lookups and callbacks (its connection ended). */
void loc_consumer_end(loc_conn_t *conn);
/** Answers the held lookups a registration satisfied; the lock is held. */
void loc_held_flush(void);
/** Starts the notifier fibril. */
errno_t loc_notifier_start(void);
/** Tells the notifier that a category changed (does not block). */
void loc_notify_cat_change(void);

#endif
