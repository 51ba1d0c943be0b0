/*
 * nstest: the service registry (CONNECT_TO_ME, CONNECT_ME_TO, NS_PING),
 * with child servers (children.c).
 */
#include "nstest.h"
#include <fibril.h>

#define LATE_WAIT_USEC	  200000
#define CONNECT_WAIT_USEC 10000000

static task_id_t alpha_task;

static service_id_t sid(const char *name)
{
	return service_id_from_name(name);
}

static void test_ns_ping(void)
{
	CHECK_RC(ns_ping(), EOK);
}

/** A registered server gets the connection with the client's arguments. */
static void test_register_connect_call(void)
{
	CHECK_RC(child_start_server("server alpha", &alpha_task), EOK);
	errno_t rc;
	async_sess_t *sess = service_connect(sid("alpha"), NSTEST_IFACE, 1234, &rc);
	CHECK_RC(rc, EOK);
	CHECK(sess != NULL);
	sysarg_t r1 = 0, r2 = 0, r3 = 0;
	CHECK_RC(call_server(sess, NSTEST_M_PING, 41, &r1, NULL, NULL), EOK);
	CHECK(r1 == 42);
	CHECK_RC(call_server(sess, NSTEST_M_ARGS, 0, &r1, &r2, &r3), EOK);
	CHECK(r1 == NSTEST_IFACE && r2 == sid("alpha") && r3 == 1234);
	CHECK_RC(async_hangup(sess), EOK);
}

/** A second server for the same (service, interface), or a broker for a
 *  taken service, is refused: the child exits with -EEXIST. */
static void test_double_registration_eexist(void)
{
	task_id_t id;
	task_exit_t texit;
	CHECK_RC(child_start("server alpha", &id), EOK);
	CHECK_RC(child_join(id, &texit), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == -EEXIST);
	CHECK_RC(child_start("broker alpha", &id), EOK);
	CHECK_RC(child_join(id, &texit), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == -EEXIST);
	CHECK_RC(child_kill(alpha_task), EOK);
}

static void no_connections(ipc_call_t *icall, void *arg)
{
	DISCARD(answer, async_answer_0(icall, EREFUSED));
}

/** CONNECT_TO_ME @a service with @a flags, raw (the libc stubs check the
 *  service id themselves). */
static errno_t register_raw(service_id_t service, sysarg_t flags)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_create_callback_port(
	    exch, NSTEST_IFACE, service, flags, no_connections, NULL, NULL);
	async_exchange_end(exch);
	return rc;
}

static void test_service_zero_einval(void)
{
	CHECK_RC(register_raw(0, 0), EINVAL);
	CHECK_RC(register_raw(0, NS_REGISTER_BROKER), EINVAL);
	CHECK_RC(register_raw(sid("flags"), 0x80), EINVAL);
}

static void test_unknown_service_enoent(void)
{
	errno_t rc;
	CHECK(service_connect(sid("nosuch"), NSTEST_IFACE, 0, &rc) == NULL);
	CHECK_RC(rc, ENOENT);
	/* Service 0 never appears: even a blocking connect is refused. */
	CHECK(service_connect_blocking(0, NSTEST_IFACE, 0, &rc) == NULL);
	CHECK_RC(rc, ENOENT);
}

typedef struct {
	fibril_event_t done;
	async_sess_t *sess;
	errno_t rc;
} late_connect_t;

static errno_t connect_late(void *arg)
{
	late_connect_t *lc = arg;
	lc->sess = service_connect_blocking(sid("late"), NSTEST_IFACE, 7, &lc->rc);
	fibril_notify(&lc->done);
	return EOK;
}

/** A blocking connect is held until the service registers, then served. */
static void test_blocking_connect_waits(void)
{
	static late_connect_t lc;
	fibril_event_initialize(&lc.done);
	fid_t f = fibril_create(connect_late, &lc);
	CHECK(f != NULL);
	fibril_detach(f);
	fibril_add_ready(f);
	CHECK_RC(fibril_wait_timeout(&lc.done, LATE_WAIT_USEC), ETIMEOUT);
	task_id_t id;
	CHECK_RC(child_start_server("server late", &id), EOK);
	CHECK_RC(fibril_wait_timeout(&lc.done, CONNECT_WAIT_USEC), EOK);
	CHECK_RC(lc.rc, EOK);
	sysarg_t r1 = 0, r2 = 0, r3 = 0;
	CHECK_RC(call_server(lc.sess, NSTEST_M_ARGS, 0, &r1, &r2, &r3), EOK);
	CHECK(r1 == NSTEST_IFACE && r2 == sid("late") && r3 == 7);
	CHECK_RC(async_hangup(lc.sess), EOK);
	CHECK_RC(child_kill(id), EOK);
}

/** The connect's interface, service and argument as the server saw them. */
static errno_t connect_args(service_id_t service, iface_t iface, sysarg_t arg,
    sysarg_t *r1, sysarg_t *r2, sysarg_t *r3)
{
	errno_t rc;
	async_sess_t *sess = service_connect(service, iface, arg, &rc);
	if (sess == NULL)
		return rc;
	rc = call_server(sess, NSTEST_M_ARGS, 0, r1, r2, r3);
	errno_t hrc = async_hangup(sess);
	return rc != EOK ? rc : hrc;
}

/** A broker gets connections for every interface, the argument intact;
 *  nobody else may register its service. */
static void test_broker_any_iface(void)
{
	task_id_t broker, id;
	CHECK_RC(child_start_server("broker brk", &broker), EOK);
	sysarg_t r1 = 0, r2 = 0, r3 = 0;
	CHECK_RC(connect_args(sid("brk"), 77, 5, &r1, &r2, &r3), EOK);
	CHECK(r1 == 77 && r2 == sid("brk") && r3 == 5);
	CHECK_RC(connect_args(sid("brk"), 78, 6, &r1, &r2, &r3), EOK);
	CHECK(r1 == 78 && r2 == sid("brk") && r3 == 6);
	task_exit_t texit;
	CHECK_RC(child_start("server brk", &id), EOK);
	CHECK_RC(child_join(id, &texit), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == -EEXIST);
	CHECK_RC(child_kill(broker), EOK);
}

/** When a server is killed its clients get EHANGUP and, once ns has seen
 *  the end (it answers the end's waiters after dropping the server's
 *  registrations), the service is gone; it may be registered again. */
static void test_killed_server_goes(void)
{
	task_id_t id;
	CHECK_RC(child_start_server("server doomed", &id), EOK);
	errno_t rc;
	async_sess_t *sess = service_connect(sid("doomed"), NSTEST_IFACE, 0, &rc);
	CHECK_RC(rc, EOK);
	sysarg_t r1 = 0;
	CHECK_RC(call_server(sess, NSTEST_M_PING, 1, &r1, NULL, NULL), EOK);
	CHECK_RC(child_kill_seen(id), EOK);
	task_exit_t texit;
	CHECK_RC(call_server(sess, NSTEST_M_PING, 1, &r1, NULL, NULL), EHANGUP);
	CHECK_RC(async_hangup(sess), EOK);
	CHECK(service_connect(sid("doomed"), NSTEST_IFACE, 0, &rc) == NULL);
	CHECK_RC(rc, ENOENT);
	CHECK_RC(child_join(id, &texit), EOK);
	CHECK_RC(child_start_server("server doomed", &id), EOK);
	CHECK_RC(child_kill(id), EOK);
}

void service_tests(void)
{
	RUN(test_ns_ping);
	RUN(test_register_connect_call);
	RUN(test_double_registration_eexist);
	RUN(test_service_zero_einval);
	RUN(test_unknown_service_enoent);
	RUN(test_blocking_connect_waits);
	RUN(test_broker_any_iface);
	RUN(test_killed_server_goes);
}
