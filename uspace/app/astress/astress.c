/*
 * astress: the stress tests through the async framework (client fibrils),
 * boot option testtask=astress (docs/robustness.md). Output like stress:
 *   astress: PASS <name> | astress: FAIL <name>: line N: <what>
 *   astress: N passed, N failed (testsuite.h)
 * Each test must leave tasks and threads at their baseline.
 *
 *   astress               both tests:
 *     kill                KILL_ROUNDS times: CLIENTS fibrils, each on its
 *                         own connection, fill it with IPC_MAX_ASYNC_CALLS
 *                         held calls and one more that waits for a slot;
 *                         the server is killed; every wait ends in time
 *                         with EHANGUP
 *     flood               one connection is held at the per-phone limit
 *                         and then floods the server, while ping children
 *                         (other tasks) are answered within PING_BOUND_US
 *   astress ping SERVICE  child: PINGS pings to SERVICE, each within
 *                         PING_BOUND_US
 *
 * As the test task we play the naming service for the servers (asyncsrv)
 * we start: their phone 1 reaches us, a CONNECT_TO_ME registers, and a CONNECT_ME_TO from
 * a ping child is forwarded to the registered server.
 */
#include "../../srv/asyncsrv/asyncsrv.h"
#include <async.h>
#include <registrar.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <testsuite.h>
#include <time.h>
#include <getopt.h>

#define USAGE "(a test program; make test boots it with testtask=astress)"

#define SERVICE_KILL  7
#define SERVICE_FLOOD 8
#define KILL_ROUNDS   100
#define CLIENTS	      8
#define WAIT_US	      5000000 /* bound of every wait for an answer */
#define START_US      10000000
#define PERM_WAIT_US  5000000
#define FLOOD_CALLS   2000
#define FLOOD_WINDOW  256 /* answers a flooding fibril leaves uncollected */
#define PINGS	      50
#define PING_BOUND_US 1000000

/** Starts `asyncsrv @a id` and waits for it to register. */
static async_sess_t *start_server(sysarg_t id, task_id_t *task)
{
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "asyncsrv %lu", (unsigned long) id);
	if (task_spawn_module(cmd, task) != EOK)
		return NULL;
	return registrar_wait(id, START_US);
}

static void stop_task(task_id_t id)
{
	task_exit_t e;
	DISCARD(cleanup, task_kill(id));
	DISCARD(cleanup, task_join(id, &e, WAIT_US));
}

/** A new connection of its own to the server behind @a srv. */
static async_sess_t *connect_server(async_sess_t *srv)
{
	async_exch_t *exch = async_exchange_begin(srv);
	if (exch == NULL)
		return NULL;
	errno_t rc;
	async_sess_t *sess = async_connect_me_to(
	    EXCHANGE_ATOMIC, exch, ASYNCSRV_IFACE, 0, 0, &rc);
	async_exchange_end(exch);
	return sess;
}

/*
 * astress kill
 */

typedef struct {
	async_sess_t *srv;
	aid_t aids[IPC_MAX_ASYNC_CALLS + 1];
	int sent;     /* aids[0..sent) are pending */
	int timeouts; /* waits that ran out (the test wants none) */
	int wrong;    /* answers other than EHANGUP */
	errno_t first_wrong;
} client_t;

static FIBRIL_MUTEX_INITIALIZE(ready_lock);
static FIBRIL_CONDVAR_INITIALIZE(ready_cv);
static int ready; /* clients whose connection is full */

static void client_ready(void)
{
	fibril_mutex_lock(&ready_lock);
	ready++;
	fibril_condvar_broadcast(&ready_cv);
	fibril_mutex_unlock(&ready_lock);
}

/** Waits until all CLIENTS are ready; false after WAIT_US. */
static bool all_ready(void)
{
	fibril_mutex_lock(&ready_lock);
	while (ready < CLIENTS) {
		if (fibril_condvar_wait_timeout(&ready_cv, &ready_lock, WAIT_US) ==
		    ETIMEOUT)
			break;
	}
	bool ok = ready == CLIENTS;
	fibril_mutex_unlock(&ready_lock);
	return ok;
}

/** Collects every pending answer of @a c, each wait bounded. */
static void client_collect(client_t *c)
{
	for (int i = 0; i < c->sent; i++) {
		errno_t rv;
		if (async_wait_timeout(c->aids[i], &rv, WAIT_US) == ETIMEOUT) {
			c->timeouts++;
			async_forget(c->aids[i]);
			continue;
		}
		if (rv != EHANGUP && c->wrong++ == 0)
			c->first_wrong = rv;
	}
}

/** A client fibril: fills its own connection, then one call more, which
 *  waits for a slot until the server is killed. */
static errno_t client_fibril(void *arg)
{
	client_t *c = arg;
	async_sess_t *sess = connect_server(c->srv);
	async_exch_t *exch = sess != NULL ? async_exchange_begin(sess) : NULL;
	if (exch == NULL) {
		client_ready();
		return ENOMEM;
	}
	for (; c->sent < IPC_MAX_ASYNC_CALLS; c->sent++)
		c->aids[c->sent] = async_send_0(exch, ASYNCSRV_M_HOLD, NULL);
	client_ready();
	c->aids[c->sent++] = async_send_0(exch, ASYNCSRV_M_HOLD, NULL);
	client_collect(c);
	async_exchange_end(exch);
	DISCARD(cleanup, async_hangup(sess));
	return EOK;
}

/** One round; false if it could not be set up. */
static bool kill_round(int round)
{
	int failures = test_failures;
	task_id_t server;
	async_sess_t *srv = start_server(SERVICE_KILL, &server);
	EXPECT(srv != NULL, "round %d: asyncsrv did not register", round);
	if (srv == NULL)
		return false;
	static client_t clients[CLIENTS];
	fid_t fids[CLIENTS];
	ready = 0;
	for (int i = 0; i < CLIENTS; i++) {
		clients[i] = (client_t){.srv = srv};
		fids[i] = fibril_create(client_fibril, &clients[i]);
		if (fids[i] != NULL)
			fibril_add_ready(fids[i]);
	}
	EXPECT(all_ready(), "round %d: clients did not fill their connections", round);
	stop_task(server);
	for (int i = 0; i < CLIENTS; i++) {
		errno_t rc = ENOMEM;
		if (fids[i] != NULL)
			DISCARD(cleanup, fibril_join(fids[i], &rc));
		client_t *c = &clients[i];
		EXPECT(rc == EOK, "round %d client %d: no connection", round, i);
		EXPECT(c->timeouts == 0, "round %d client %d: %d waits timed out", round,
		    i, c->timeouts);
		EXPECT(c->wrong == 0, "round %d client %d: %d answers not EHANGUP (%s)",
		    round, i, c->wrong, str_error(c->first_wrong));
	}
	registrar_drop(SERVICE_KILL);
	return test_failures == failures;
}

static void test_kill(void)
{
	uint64_t start = clock_ns();
	int ran = 0; /* rounds run, the failed one included: the loop stops there */
	bool ok = true;
	while (ok && ran < KILL_ROUNDS)
		ok = kill_round(ran++);
	printf("astress:   kill: %d of %d rounds, %d clients x %d calls, %llu ms\n", ran,
	    KILL_ROUNDS, CLIENTS, IPC_MAX_ASYNC_CALLS + 1,
	    (unsigned long long) ((clock_ns() - start) / 1000000));
}

/*
 * astress flood
 */

typedef struct {
	async_sess_t *sess;
	fibril_event_t full; /* the connection holds IPC_MAX_ASYNC_CALLS calls */
	int pings_answered;
	int bad;
	int timeouts;
	uint64_t resident_mid, resident_end;
} flood_t;

static uint64_t resident_pages(void)
{
	task_info_t info;
	if (task_get_info(task_get_id(), &info) != EOK)
		return 0;
	return info.resident_pages;
}

static void flood_collect(flood_t *f, aid_t aid, ipc_call_t *answer, sysarg_t x)
{
	errno_t rv;
	if (async_wait_timeout(aid, &rv, WAIT_US) == ETIMEOUT) {
		f->timeouts++;
		async_forget(aid);
		return;
	}
	if (rv != EOK || ipc_get_arg1(answer) != x + 1)
		f->bad++;
	else
		f->pings_answered++;
}

/** Holds IPC_MAX_ASYNC_CALLS calls at the server, then sends FLOOD_CALLS
 *  pings, leaving up to FLOOD_WINDOW answers uncollected: every send past
 *  the limit waits for a slot. */
static errno_t flood_fibril(void *arg)
{
	flood_t *f = arg;
	static aid_t held[IPC_MAX_ASYNC_CALLS];
	static aid_t ring[FLOOD_WINDOW];
	static ipc_call_t answers[FLOOD_WINDOW];
	async_exch_t *exch = async_exchange_begin(f->sess);
	if (exch == NULL) {
		fibril_notify(&f->full);
		return ENOMEM;
	}
	for (int i = 0; i < IPC_MAX_ASYNC_CALLS; i++)
		held[i] = async_send_0(exch, ASYNCSRV_M_HOLD, NULL);
	fibril_notify(&f->full);
	for (int i = 0; i < FLOOD_CALLS; i++) {
		int slot = i % FLOOD_WINDOW;
		if (i >= FLOOD_WINDOW)
			flood_collect(f, ring[slot], &answers[slot], i - FLOOD_WINDOW);
		ring[slot] = async_send_1(exch, ASYNCSRV_M_PING, i, &answers[slot]);
		if (i == FLOOD_CALLS / 2)
			f->resident_mid = resident_pages();
	}
	for (int i = FLOOD_CALLS - FLOOD_WINDOW; i < FLOOD_CALLS; i++)
		flood_collect(f, ring[i % FLOOD_WINDOW], &answers[i % FLOOD_WINDOW], i);
	f->resident_end = resident_pages();
	for (int i = 0; i < IPC_MAX_ASYNC_CALLS; i++) {
		errno_t rv;
		if (async_wait_timeout(held[i], &rv, WAIT_US) == ETIMEOUT) {
			f->timeouts++;
			async_forget(held[i]);
		} else if (rv != EOK) {
			f->bad++;
		}
	}
	async_exchange_end(exch);
	return EOK;
}

/** Runs a ping child against SERVICE_FLOOD; true if it passed. */
static bool ping_child(void)
{
	task_id_t id;
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "astress ping %d", SERVICE_FLOOD);
	if (task_spawn_module(cmd, &id) != EOK)
		return false;
	task_exit_t e;
	if (task_join(id, &e, 2 * START_US) != EOK) {
		stop_task(id);
		return false;
	}
	return e.how == TASK_EXIT_NORMAL && e.status == 0;
}

static void test_flood(void)
{
	task_id_t server;
	async_sess_t *srv = start_server(SERVICE_FLOOD, &server);
	EXPECT(srv != NULL, "flood: asyncsrv did not register");
	if (srv == NULL)
		return;
	flood_t f = {.sess = connect_server(srv)};
	async_sess_t *control = connect_server(srv);
	fibril_event_initialize(&f.full);
	fid_t fid = f.sess != NULL ? fibril_create(flood_fibril, &f) : NULL;
	EXPECT(fid != NULL && control != NULL, "flood: no connections");
	if (fid == NULL || control == NULL) {
		stop_task(server);
		return;
	}
	fibril_add_ready(fid);
	EXPECT(fibril_wait_timeout(&f.full, WAIT_US) == EOK, "flood: never full");
	/* The flooding fibril now waits for a slot; another task is served. */
	EXPECT(ping_child(), "flood: ping child failed while the phone was full");
	EXPECT(f.pings_answered == 0, "flood: %d pings passed the full phone",
	    f.pings_answered);
	async_exch_t *exch = async_exchange_begin(control);
	sysarg_t released = 0;
	errno_t rc = async_req_0_1(exch, ASYNCSRV_M_RELEASE, &released);
	async_exchange_end(exch);
	/* Exactly the limit reached the server, nothing more. */
	EXPECT(rc == EOK && released == IPC_MAX_ASYNC_CALLS,
	    "flood: release: %s, %lu calls held", str_error(rc),
	    (unsigned long) released);
	EXPECT(ping_child(), "flood: ping child failed during the flood");
	errno_t frc = ENOMEM;
	DISCARD(cleanup, fibril_join(fid, &frc));
	EXPECT(frc == EOK && f.bad == 0 && f.timeouts == 0,
	    "flood: %d wrong answers, %d timeouts", f.bad, f.timeouts);
	EXPECT(f.pings_answered == FLOOD_CALLS, "flood: %d of %d pings answered",
	    f.pings_answered, FLOOD_CALLS);
	EXPECT(f.resident_end <= f.resident_mid,
	    "flood: memory grew from %llu to %llu pages",
	    (unsigned long long) f.resident_mid, (unsigned long long) f.resident_end);
	DISCARD(cleanup, async_hangup(control));
	DISCARD(cleanup, async_hangup(f.sess));
	stop_task(server);
	registrar_drop(SERVICE_FLOOD);
}

/*
 * astress ping SERVICE (child)
 */

/** PINGS pings through @a sess, each within PING_BOUND_US; the slowest
 *  answer's time in *@a worst. */
static errno_t ping_all(async_sess_t *sess, uint64_t *worst)
{
	errno_t rc = EOK;
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	for (sysarg_t i = 0; i < PINGS && rc == EOK; i++) {
		ipc_call_t answer;
		uint64_t start = clock_ns();
		aid_t aid = async_send_1(exch, ASYNCSRV_M_PING, i, &answer);
		errno_t rv;
		rc = async_wait_timeout(aid, &rv, PING_BOUND_US);
		if (rc == ETIMEOUT)
			async_forget(aid);
		else if (rv != EOK || ipc_get_arg1(&answer) != i + 1)
			rc = rv != EOK ? rv : EPARTY;
		uint64_t took = (clock_ns() - start) / 1000;
		*worst = took > *worst ? took : *worst;
	}
	async_exchange_end(exch);
	return rc;
}

static int ping_main(sysarg_t service)
{
	errno_t rc;
	async_sess_t *sess = registrar_connect(
	    EXCHANGE_ATOMIC, ASYNCSRV_IFACE, service, false, &rc);
	uint64_t worst = 0;
	if (sess != NULL) {
		rc = ping_all(sess, &worst);
		DISCARD(cleanup, async_hangup(sess));
	}
	printf("astress:   ping: %s%s, slowest answer %llu us\n",
	    sess == NULL ? "cannot connect: " : "", str_error(rc),
	    (unsigned long long) worst);
	return rc == EOK ? 0 : 1;
}

static kernel_stats_t stats(void)
{
	kernel_stats_t st = {0};
	errno_t rc = kernel_stats_get(&st);
	EXPECT(rc == EOK, "kernel_stats_get: %s", str_error(rc));
	return st;
}

/* The test run_checked() runs. */
static void (*checked_fn)(void);

/** Runs checked_fn and checks that the tasks it started are gone and their
 *  threads too. Frames are not compared: this task's own heap and fibril
 *  stacks grow with the flood (the stress test checks the kernel's frames,
 *  slab objects and capabilities exactly). */
static void run_checked(void)
{
	kernel_stats_t before = stats();
	checked_fn();
	kernel_stats_t after = stats();
	EXPECT(after.tasks == before.tasks, "tasks %llu -> %llu",
	    (unsigned long long) before.tasks, (unsigned long long) after.tasks);
	EXPECT(after.threads == before.threads, "threads %llu -> %llu",
	    (unsigned long long) before.threads, (unsigned long long) after.threads);
}

static void run(const char *name, void (*fn)(void))
{
	checked_fn = fn;
	test_run(name, run_checked);
}

/** Fibril stacks and heap areas are kept for reuse, and must not count as
 *  memory the tests leave behind: one round first. */
static void warm_up(void)
{
	kill_round(0);
}

int main(int argc, char **argv)
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	if (argc > 2 && strcmp(argv[1], "ping") == 0)
		return ping_main(strtoul(argv[2], NULL, 10));
	/* A second runner serves the registrar while main waits in the kernel
	 * (task_join). */
	if (fibril_spawn_runners(1) != EOK) {
		printf("astress: cannot start a second runner thread\n");
		return 1;
	}
	registrar_init();
	test_suite_start("astress");
	test_run("warm_up", warm_up);
	run("server_killed_with_pending_fibrils", test_kill);
	run("flood_held_at_limit_other_task_served", test_flood);
	return test_suite_end_count();
}
