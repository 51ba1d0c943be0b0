/*
 * Suppliers: server records (one per supplier connection that sent
 * LOC_SERVER_REGISTER) and their services. A server and its services go
 * when its connection ends, which is also how its task's end shows (the
 * kernel hangs up a dead task's phones). Records are guarded by the state
 * lock; a dropped server's callback is hung up after the lock is released.
 */
#include "locsrv.h"
#include <stdlib.h>

static list_t servers = LIST_INITIALIZER(servers); /* loc_server_t */
static size_t server_count;

loc_server_t *loc_server_of(loc_id_t id)
{
	loc_service_t *s = loc_registry_service_find(&loc_registry, id);
	return s != NULL ? s->owner : NULL;
}

/** Takes the CONNECT_TO_ME that follows LOC_SERVER_REGISTER: a session
 *  over its callback phone (the call is answered, @a rc or EOK). */
static async_sess_t *callback_take(errno_t rc)
{
	ipc_call_t cb;
	async_get_call(&cb);
	if (cb.imethod != IPC_M_CONNECT_TO_ME) {
		loc_answer(&cb, EINVAL, 0);
		return NULL;
	}
	async_sess_t *sess = rc == EOK
	    ? async_callback_receive_start(EXCHANGE_ATOMIC, &cb)
	    : NULL;
	if (rc == EOK && sess == NULL)
		rc = ENOMEM;
	/* On an error the kernel revokes the callback phone. */
	loc_answer(&cb, rc, 0);
	return sess;
}

/** A new server record for @a conn; the state lock is held. */
static errno_t server_add(loc_conn_t *conn, char *name, async_sess_t *sess)
{
	if (server_count >= LOC_SERVERS_MAX)
		return ELIMIT;
	loc_server_t *server = malloc(sizeof(*server));
	if (server == NULL)
		return ENOMEM;
	server->name = name;
	server->sess = sess;
	list_append(&server->link, &servers);
	server_count++;
	conn->server = server;
	return EOK;
}

/** LOC_SERVER_REGISTER + W name, then CONNECT_TO_ME (the callback). */
static void server_register(loc_conn_t *conn, ipc_call_t *call)
{
	char *name = NULL;
	errno_t rc = loc_name_receive(&name);
	if (rc == EOK)
		rc = loc_name_check(name, false);
	if (rc == EOK && conn->server != NULL)
		rc = EEXIST; /* one per connection */
	async_sess_t *sess = callback_take(rc);
	if (rc == EOK && sess == NULL)
		rc = ENOMEM;
	if (rc == EOK) {
		loc_lock();
		rc = server_add(conn, name, sess);
		loc_unlock();
	}
	if (rc != EOK) {
		if (sess != NULL)
			DISCARD(cleanup, async_hangup(sess));
		free(name);
	}
	loc_answer(call, rc, 0);
}

/** LOC_SERVICE_REGISTER (wanted id) + W full name -> (id). */
static void service_register(loc_conn_t *conn, ipc_call_t *call)
{
	char *fqn;
	errno_t rc = loc_name_receive(&fqn);
	if (rc != EOK) {
		loc_answer(call, rc, 0);
		return;
	}
	loc_id_t id = 0;
	loc_lock();
	rc = conn->server == NULL ? EINVAL /* no server to connect to */
				  : loc_registry_service_add(&loc_registry, fqn,
					conn->server, call->args[0], &id);
	if (rc == EOK)
		loc_held_flush();
	loc_unlock();
	free(fqn);
	loc_answer(call, rc, id);
}

static void service_unregister(loc_conn_t *conn, ipc_call_t *call)
{
	loc_lock();
	errno_t rc = loc_registry_service_remove(
	    &loc_registry, call->args[0], conn->server);
	loc_unlock();
	loc_answer(call, rc, 0);
}

static void service_add_to_cat(loc_conn_t *conn, ipc_call_t *call)
{
	loc_lock();
	errno_t rc = loc_registry_add_to_cat(
	    &loc_registry, call->args[0], call->args[1], conn->server);
	loc_unlock();
	loc_answer(call, rc, 0);
}

bool loc_supplier_call(loc_conn_t *conn, ipc_call_t *call)
{
	if (!conn->supplier)
		return false;
	switch (call->imethod) {
	case LOC_SERVER_REGISTER:
		server_register(conn, call);
		return true;
	case LOC_SERVICE_REGISTER:
		service_register(conn, call);
		return true;
	case LOC_SERVICE_UNREGISTER:
		service_unregister(conn, call);
		return true;
	case LOC_SERVICE_ADD_TO_CAT:
		service_add_to_cat(conn, call);
		return true;
	default:
		return false;
	}
}

void loc_supplier_end(loc_conn_t *conn)
{
	loc_server_t *server = conn->server;
	if (server == NULL)
		return;
	loc_lock();
	loc_registry_owner_remove(&loc_registry, server);
	list_remove(&server->link);
	server_count--;
	loc_unlock();
	conn->server = NULL;
	/* EHANGUP is expected when the server's task is gone. */
	DISCARD(cleanup, async_hangup(server->sess));
	free(server->name);
	free(server);
}
