/*
 * locsrv: the location service (abi/loc.h; the parts: locsrv.h). It is the
 * naming service's broker for service "loc": connections for its own
 * interfaces are served here, one fibril each and one call at a time; any
 * other interface is a client connecting to a service, whose CONNECT_ME_TO
 * goes on, arguments intact, to the server of the service named by the
 * third argument.
 */
#include "locsrv.h"
#include <fibril_synch.h>
#include <ns.h>
#include <stdio.h>
#include <task.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#define USAGE "(a server; init starts it, as /cfg/init.conf says)"

loc_registry_t loc_registry;

static FIBRIL_MUTEX_INITIALIZE(state_lock);
static uint64_t cat_changes_seen; /* loc_registry.cat_changes told */

void loc_lock(void)
{
	fibril_mutex_lock(&state_lock);
}

void loc_unlock(void)
{
	bool changed = loc_registry.cat_changes != cat_changes_seen;
	cat_changes_seen = loc_registry.cat_changes;
	fibril_mutex_unlock(&state_lock);
	if (changed)
		loc_notify_cat_change();
}

void loc_answer(ipc_call_t *call, errno_t rc, sysarg_t arg)
{
	const sysarg_t args[IPC_CALL_ARGS] = {arg};
	errno_t arc = async_answer_args(call, rc, args);
	if (arc != EOK)
		printf("locsrv: cannot answer method %lu: %s\n",
		    (unsigned long) call->imethod, strerror(arc));
}

errno_t loc_name_receive(char **name)
{
	errno_t rc = async_data_write_accept(
	    (void **) name, true, 0, LOC_NAME_MAX, 0, NULL);
	return rc == ELIMIT ? ENAMETOOLONG : rc;
}

/** Passes the connect @a icall to the server of service args[2]. The
 *  kernel answers EFORWARD itself if that server is gone. */
static void connect_forward(ipc_call_t *icall)
{
	const sysarg_t none[IPC_CALL_ARGS] = {0};
	loc_lock();
	loc_server_t *server = loc_server_of(icall->args[2]);
	async_exch_t *exch = server != NULL ? async_exchange_begin(server->sess) : NULL;
	errno_t rc = server == NULL ? ENOENT : exch == NULL ? ENOMEM : EOK;
	if (rc == EOK)
		rc = async_forward_args(icall, exch, 0, none, 0);
	if (exch != NULL)
		async_exchange_end(exch);
	loc_unlock();
	if (rc != EOK && rc != EHANGUP)
		loc_answer(icall, rc, 0);
}

/** Serves one supplier or consumer connection until it hangs up. */
static void conn_serve(ipc_call_t *icall, bool supplier)
{
	/* A supplier's registrations belong to its connection: the phone is
	 * not to be copied to another task nor to carry forwarded calls. */
	if (async_accept_withholding(icall, CAP_RIGHT_CLONE | CAP_RIGHT_FORWARD) != EOK)
		return;
	loc_conn_t conn = {.supplier = supplier};
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			break;
		if (!loc_supplier_call(&conn, &call) && !loc_consumer_call(&conn, &call))
			loc_answer(&call, ENOTSUP, 0);
	}
	loc_consumer_end(&conn);
	loc_supplier_end(&conn);
}

static void loc_connection(ipc_call_t *icall, void *arg)
{
	if (icall->imethod != IPC_M_CONNECT_ME_TO)
		return; /* no phone-1 calls are meant for us */
	iface_t iface = icall->args[0];
	if (iface == LOC_IFACE_SUPPLIER || iface == LOC_IFACE_CONSUMER)
		conn_serve(icall, iface == LOC_IFACE_SUPPLIER);
	else
		connect_forward(icall);
}

/** The first id this location service gives: above every id an earlier one
 *  gave (task ids only grow, and one gives fewer than 2^32 ids), so that
 *  the ids servers ask back after a restart are all below it. */
static uint64_t first_id(void)
{
	return task_get_id() << 32;
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	loc_registry_init(&loc_registry, first_id());
	errno_t rc = loc_notifier_start();
	if (rc == EOK)
		rc = service_register_broker(
		    service_id_from_name(LOC_SERVICE_NAME), loc_connection, NULL);
	if (rc != EOK) {
		printf("locsrv: cannot start: %s\n", strerror(rc));
		return 1;
	}
	printf("locsrv: started\n");
	DISCARD(best_effort, task_retval(0)); /* ready: for init's "ready" lines */
	async_manager();
}
