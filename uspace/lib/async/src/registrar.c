/*
 * The registrar of registrar.h: a table of service numbers and the sessions
 * their servers offered, guarded by `reg_lock`; `reg_cv` is signalled on
 * every registration. The registrar owns each session in the table and
 * hangs it up when it is replaced or dropped.
 */
#include <fibril_synch.h>
#include <registrar.h>

typedef struct {
	sysarg_t id;
	async_sess_t *sess; /* NULL: the slot is free */
} reg_service_t;

static FIBRIL_MUTEX_INITIALIZE(reg_lock);
static FIBRIL_CONDVAR_INITIALIZE(reg_cv);
static reg_service_t services[REGISTRAR_SERVICES];

/** The slot of service @a id, or NULL. reg_lock held. */
static reg_service_t *find_locked(sysarg_t id)
{
	for (size_t i = 0; i < REGISTRAR_SERVICES; i++) {
		if (services[i].sess != NULL && services[i].id == id)
			return &services[i];
	}
	return NULL;
}

/** The slot for a new registration of @a id: its old one, or a free one,
 *  or NULL when the table is full. reg_lock held. */
static reg_service_t *slot_locked(sysarg_t id)
{
	reg_service_t *s = find_locked(id);
	for (size_t i = 0; i < REGISTRAR_SERVICES && s == NULL; i++) {
		if (services[i].sess == NULL)
			s = &services[i];
	}
	return s;
}

/** Enters @a sess as service @a id; ELIMIT when the table is full. */
static errno_t register_service(sysarg_t id, async_sess_t *sess)
{
	fibril_mutex_lock(&reg_lock);
	reg_service_t *s = slot_locked(id);
	async_sess_t *old = s != NULL ? s->sess : NULL;
	if (s != NULL) {
		s->id = id;
		s->sess = sess;
		fibril_condvar_broadcast(&reg_cv);
	}
	fibril_mutex_unlock(&reg_lock);
	if (old != NULL)
		DISCARD(cleanup, async_hangup(old));
	return s != NULL ? EOK : ELIMIT;
}

async_sess_t *registrar_wait(sysarg_t id, uint64_t usec)
{
	fibril_mutex_lock(&reg_lock);
	reg_service_t *s;
	while ((s = find_locked(id)) == NULL) {
		if (fibril_condvar_wait_timeout(&reg_cv, &reg_lock, usec) == ETIMEOUT)
			break;
	}
	async_sess_t *sess = s != NULL ? s->sess : NULL;
	fibril_mutex_unlock(&reg_lock);
	return sess;
}

void registrar_drop(sysarg_t id)
{
	fibril_mutex_lock(&reg_lock);
	reg_service_t *s = find_locked(id);
	async_sess_t *sess = s != NULL ? s->sess : NULL;
	if (s != NULL)
		s->sess = NULL;
	fibril_mutex_unlock(&reg_lock);
	if (sess != NULL)
		DISCARD(cleanup, async_hangup(sess));
}

/** A client's CONNECT_ME_TO: forwarded to the service it names. */
static void broker(ipc_call_t *icall)
{
	bool blocking = (icall->args[3] & IPC_FLAG_BLOCKING) != 0;
	async_sess_t *sess = registrar_wait(
	    icall->args[1], blocking ? REGISTRAR_BLOCKING_USEC : 1);
	async_exch_t *exch = sess != NULL ? async_exchange_begin(sess) : NULL;
	errno_t rc = sess == NULL ? ENOENT : exch == NULL ? ENOMEM : EOK;
	if (exch != NULL) {
		rc = async_forward_0(icall, exch, 0, 0);
		async_exchange_end(exch);
	}
	if (rc != EOK)
		DISCARD(answer, async_answer_0(icall, rc));
}

/** One call on a child's phone 1: a registration (CONNECT_TO_ME). */
static void registrar_call(ipc_call_t *call, void *arg)
{
	if (call->imethod != IPC_M_CONNECT_TO_ME) {
		DISCARD(answer, async_answer_0(call, ENOTSUP));
		return;
	}
	async_sess_t *sess = async_callback_receive_start(EXCHANGE_ATOMIC, call);
	errno_t rc = sess != NULL ? register_service(call->args[1], sess) : ENOMEM;
	DISCARD(answer, async_answer_0(call, rc));
}

/** Connections nobody else takes: brokered connection requests, and each
 *  child's phone 1, where servers register. */
static void registrar_connection(ipc_call_t *icall, void *arg)
{
	if (icall->imethod == IPC_M_CONNECT_ME_TO)
		broker(icall);
	else
		async_serve(icall, registrar_call, NULL);
}

async_sess_t *registrar_connect(
    exch_mgmt_t mgmt, iface_t iface, sysarg_t id, bool blocking, errno_t *rc)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL) {
		*rc = ENOMEM;
		return NULL;
	}
	async_sess_t *sess = blocking
	    ? async_connect_me_to_blocking(mgmt, exch, iface, id, 0, rc)
	    : async_connect_me_to(mgmt, exch, iface, id, 0, rc);
	async_exchange_end(exch);
	return sess;
}

void registrar_init(void)
{
	async_set_fallback_port_handler(registrar_connection, NULL);
}
