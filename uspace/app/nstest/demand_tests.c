/*
 * nstest: services started on demand (NS_DEMAND_*, abi/ns.h). nstest plays
 * the starter itself (init's part), or a child does (`starter NAME`), so
 * each step of a start is in the test's hands.
 */
#include "nstest.h"
#include <fibril.h>

#define HELD_USEC	  200000   /* a held connect stays unanswered this long */
#define CONNECT_WAIT_USEC 10000000 /* far beyond any answer's time */

typedef struct {
	fibril_event_t done;
	service_id_t service;
	async_sess_t *sess;
	errno_t rc;
} demand_connect_t;

/** A plain (not blocking) connect to c->service, in a fibril of its own. */
static errno_t connect_plain(void *arg)
{
	demand_connect_t *c = arg;
	c->sess = service_connect(c->service, NSTEST_IFACE, 5, &c->rc);
	fibril_notify(&c->done);
	return EOK;
}

static errno_t connect_start(demand_connect_t *c, const char *name)
{
	fibril_event_initialize(&c->done);
	c->service = service_id_from_name(name);
	c->sess = NULL;
	c->rc = EOK;
	fid_t f = fibril_create(connect_plain, c);
	if (f == 0)
		return ENOMEM;
	fibril_detach(f);
	fibril_add_ready(f);
	return EOK;
}

/** Bad requests are refused, not held: service 0, a wait while starting
 *  nothing, the end of a start never offered. */
static void test_demand_bad_requests_refused(void)
{
	CHECK_RC(service_demand_set(0), EINVAL);
	service_id_t svc;
	CHECK_RC(service_demand_wait(&svc), ENOENT);
	CHECK_RC(service_demand_set(service_id_from_name("dnever")), EOK);
	CHECK_RC(service_demand_done(service_id_from_name("dnever"), EOK), EINVAL);
	CHECK_RC(service_demand_done(service_id_from_name("dnoone"), EOK), ENOENT);
}

/** A plain connect to a service started on demand is held (not ENOENT)
 *  and offered to the starter; a failed start answers it the start's
 *  error, at once. */
static void test_demand_failed_start_fails_connect(void)
{
	static demand_connect_t c;
	CHECK_RC(service_demand_set(service_id_from_name("dfail")), EOK);
	CHECK_RC(connect_start(&c, "dfail"), EOK);
	service_id_t svc = 0;
	CHECK_RC(service_demand_wait(&svc), EOK);
	CHECK(svc == service_id_from_name("dfail"));
	CHECK_RC(fibril_wait_timeout(&c.done, HELD_USEC), ETIMEOUT);
	CHECK_RC(service_demand_done(svc, ENOMEM), EOK);
	CHECK_RC(fibril_wait_timeout(&c.done, CONNECT_WAIT_USEC), EOK);
	CHECK(c.sess == NULL);
	CHECK_RC(c.rc, ENOMEM);
}

/** The server the starter starts takes the held connect; after it ends the
 *  next connect is offered again, and a start that ends "done" without a
 *  registration answers ENOENT. */
static void test_demand_started_server_takes_connect(void)
{
	static demand_connect_t c;
	service_id_t want = service_id_from_name("dgood");
	CHECK_RC(service_demand_set(want), EOK);
	CHECK_RC(connect_start(&c, "dgood"), EOK);
	service_id_t svc = 0;
	CHECK_RC(service_demand_wait(&svc), EOK);
	CHECK(svc == want);
	task_id_t id;
	CHECK_RC(child_start_server("server dgood", &id), EOK);
	CHECK_RC(fibril_wait_timeout(&c.done, CONNECT_WAIT_USEC), EOK);
	CHECK_RC(c.rc, EOK);
	sysarg_t r1 = 0, r2 = 0, r3 = 0;
	CHECK_RC(call_server(c.sess, NSTEST_M_ARGS, 0, &r1, &r2, &r3), EOK);
	CHECK(r1 == NSTEST_IFACE && r2 == want && r3 == 5);
	CHECK_RC(async_hangup(c.sess), EOK);
	CHECK_RC(service_demand_done(svc, EOK), EOK);
	CHECK_RC(child_kill_seen(id), EOK);

	CHECK_RC(connect_start(&c, "dgood"), EOK);
	CHECK_RC(service_demand_wait(&svc), EOK);
	CHECK(svc == want);
	CHECK_RC(service_demand_done(svc, EOK), EOK);
	CHECK_RC(fibril_wait_timeout(&c.done, CONNECT_WAIT_USEC), EOK);
	CHECK(c.sess == NULL);
	CHECK_RC(c.rc, ENOENT);
}

/** A service another task starts is not taken over (EEXIST); when that
 *  starter dies with a connect offered to it, the connect gets ENOENT. */
static void test_demand_dead_starter_fails_connect(void)
{
	task_id_t id;
	CHECK_RC(child_start_server("starter dorph", &id), EOK);
	CHECK_RC(service_demand_set(service_id_from_name("dorph")), EEXIST);
	static demand_connect_t c;
	CHECK_RC(connect_start(&c, "dorph"), EOK);
	/* The child ends once offered the start; its end answers the connect. */
	CHECK_RC(fibril_wait_timeout(&c.done, CONNECT_WAIT_USEC), EOK);
	CHECK(c.sess == NULL);
	CHECK_RC(c.rc, ENOENT);
	task_exit_t texit;
	CHECK_RC(child_join(id, &texit), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == 0);
}

void demand_tests(void)
{
	RUN(test_demand_bad_requests_refused);
	RUN(test_demand_failed_start_fails_connect);
	RUN(test_demand_started_server_takes_connect);
	RUN(test_demand_dead_starter_fails_connect);
}
