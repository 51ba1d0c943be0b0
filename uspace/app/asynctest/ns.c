/*
 * asynctest plays the naming service for the tasks it starts (their phone 1
 * reaches it): a server registers a service number with CONNECT_TO_ME
 * (args[1]), and a CONNECT_ME_TO for that number (args[1]) is forwarded to
 * the server, waiting for it to appear with IPC_FLAG_BLOCKING.
 */
#include "asynctest.h"
#include <fibril_synch.h>

#define SERVICES_MAX	   16
#define BLOCKING_WAIT_USEC 10000000

typedef struct {
	sysarg_t id;
	async_sess_t *sess;
} service_t;

static FIBRIL_MUTEX_INITIALIZE(ns_lock);
static FIBRIL_CONDVAR_INITIALIZE(ns_cv);
static service_t services[SERVICES_MAX];

static service_t *find_locked(sysarg_t id)
{
	for (int i = 0; i < SERVICES_MAX; i++) {
		if (services[i].sess != NULL && services[i].id == id)
			return &services[i];
	}
	return NULL;
}

static errno_t register_service(sysarg_t id, async_sess_t *sess)
{
	fibril_mutex_lock(&ns_lock);
	service_t *s = find_locked(id);
	async_sess_t *old = s != NULL ? s->sess : NULL;
	for (int i = 0; i < SERVICES_MAX && s == NULL; i++) {
		if (services[i].sess == NULL)
			s = &services[i];
	}
	if (s != NULL) {
		s->id = id;
		s->sess = sess;
		fibril_condvar_broadcast(&ns_cv);
	}
	fibril_mutex_unlock(&ns_lock);
	if (old != NULL)
		DISCARD(cleanup,
		    async_hangup(old)); /* a server that was killed and started again */
	return s != NULL ? EOK : ELIMIT;
}

async_sess_t *ns_wait_service(sysarg_t id, uint64_t usec)
{
	fibril_mutex_lock(&ns_lock);
	service_t *s;
	while ((s = find_locked(id)) == NULL) {
		if (fibril_condvar_wait_timeout(&ns_cv, &ns_lock, usec) == ETIMEOUT)
			break;
	}
	async_sess_t *sess = s != NULL ? s->sess : NULL;
	fibril_mutex_unlock(&ns_lock);
	return sess;
}

/** A client's CONNECT_ME_TO: forwarded to the service it names. */
static void broker(ipc_call_t *icall)
{
	bool blocking = (icall->args[3] & IPC_FLAG_BLOCKING) != 0;
	async_sess_t *sess = ns_wait_service(
	    icall->args[1], blocking ? BLOCKING_WAIT_USEC : 1);
	if (sess == NULL) {
		DISCARD(answer, async_answer_0(icall, ENOENT));
		return;
	}
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc = async_forward_0(icall, exch, 0, 0);
	async_exchange_end(exch);
	if (rc != EOK)
		DISCARD(answer, async_answer_0(icall, rc));
}

/** Connections nobody else takes: brokered connection requests, and each
 *  child's phone 1, where servers register. */
static void ns_connection(ipc_call_t *icall, void *arg)
{
	if (icall->imethod == IPC_M_CONNECT_ME_TO) {
		broker(icall);
		return;
	}
	DISCARD(answer, async_accept_0(icall));
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			return;
		if (call.imethod != IPC_M_CONNECT_TO_ME) {
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
			continue;
		}
		async_sess_t *sess = async_callback_receive_start(EXCHANGE_ATOMIC, &call);
		errno_t rc = sess != NULL ? register_service(call.args[1], sess) : ENOMEM;
		DISCARD(answer, async_answer_0(&call, rc));
	}
}

void ns_init(void)
{
	async_set_fallback_port_handler(ns_connection, NULL);
}
