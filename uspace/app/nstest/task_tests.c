/*
 * nstest: task tracking (NS_TASK_RETVAL, NS_TASK_WAIT and the ends ns
 * learns from phone-1 hang-ups), and ns's robustness against dying clients
 * and bad calls.
 */
#include "nstest.h"

#define UNKNOWN_TASK   (1ull << 40)
#define REPORT_DELAY   "100000" /* µs before a child reports or exits */
#define FLOOD_CALLS    1000
#define FLOOD_BATCH    60 /* below the 64 unanswered calls a phone may have */
#define WAIT_FLAG_BAD  0x80
#define FLOOD_METHODS  50
#define FLOOD_DATA_LEN 16

/** A waiter for the reported value gets it while the task lives; a later
 *  wait for the end gets the end and the value. */
static void test_retval_seen_by_waiter(void)
{
	task_id_t id;
	CHECK_RC(child_start("retval 42 " REPORT_DELAY, &id), EOK);
	task_exit_t texit;
	int value = 0;
	CHECK_RC(task_wait_task_id(id, TASK_WAIT_RETVAL, &texit, &value), EOK);
	CHECK(texit.how == 0 && value == 42);
	task_wait_t wait;
	CHECK_RC(task_setup_wait(id, TASK_WAIT_EXIT, &wait), EOK);
	CHECK_RC(task_kill(id), EOK);
	value = 0;
	CHECK_RC(task_wait(&wait, &texit, &value), EOK);
	CHECK(texit.how == TASK_EXIT_KILLED && value == 42);
	CHECK_RC(child_join(id, &texit), EOK);
}

/** A waiter for a value the task never reports is answered at its end. */
static void test_retval_waiter_answered_at_exit(void)
{
	task_id_t id;
	CHECK_RC(child_start("exit 9 " REPORT_DELAY, &id), EOK);
	task_exit_t texit;
	int value = 0;
	CHECK_RC(task_wait_task_id(id, TASK_WAIT_RETVAL, &texit, &value), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == 9 && value == 9);
	CHECK_RC(child_join(id, &texit), EOK);
}

static void test_exit_status_7(void)
{
	task_id_t id;
	CHECK_RC(child_start("exit 7", &id), EOK);
	task_exit_t texit;
	CHECK_RC(task_wait_task_id(id, TASK_WAIT_EXIT, &texit, NULL), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == 7);
	CHECK_RC(child_join(id, &texit), EOK);
}

static void test_killed_task(void)
{
	task_id_t id;
	CHECK_RC(child_start("sleep", &id), EOK);
	CHECK_RC(child_kill_seen(id), EOK);
	task_exit_t texit;
	CHECK_RC(child_join(id, &texit), EOK);
}

static void test_faulting_task(void)
{
	task_id_t id;
	CHECK_RC(child_start("fault", &id), EOK);
	task_exit_t texit;
	CHECK_RC(task_wait_task_id(id, TASK_WAIT_EXIT, &texit, NULL), EOK);
	CHECK(texit.how == TASK_EXIT_FAULT);
	CHECK(texit.status == TASK_FAULT_PAGE);
	CHECK(texit.fault_addr == NSTEST_FAULT_ADDR);
	CHECK_RC(child_join(id, &texit), EOK);
}

static void test_unknown_id_enoent(void)
{
	CHECK_RC(task_wait_task_id(UNKNOWN_TASK, TASK_WAIT_EXIT, NULL, NULL), ENOENT);
	CHECK_RC(task_wait_task_id(UNKNOWN_TASK, TASK_WAIT_RETVAL, NULL, NULL), ENOENT);
}

/** The end of a task nobody waited for is kept until one waiter has it. */
static void test_ended_task_record_kept(void)
{
	task_id_t id;
	CHECK_RC(child_start("exit 5", &id), EOK);
	task_exit_t texit;
	CHECK_RC(child_join(id, &texit), EOK); /* ended and gone from the kernel */
	texit.how = 0;
	CHECK_RC(task_wait_task_id(id, TASK_WAIT_EXIT, &texit, NULL), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == 5);
	CHECK_RC(task_wait_task_id(id, TASK_WAIT_EXIT, &texit, NULL), ENOENT);
}

/** Only the NS_EXITS_KEPT most recent uncollected ends are kept. */
static void test_exits_kept_bounded(void)
{
	task_id_t first = 0, id = 0;
	task_exit_t texit;
	for (int i = 0; i <= NS_EXITS_KEPT; i++) {
		CHECK_RC(child_start("exit 1", &id), EOK);
		CHECK_RC(child_join(id, &texit), EOK);
		if (i == 0)
			first = id;
	}
	CHECK_RC(task_wait_task_id(first, TASK_WAIT_EXIT, &texit, NULL), ENOENT);
	texit.how = 0;
	CHECK_RC(task_wait_task_id(id, TASK_WAIT_EXIT, &texit, NULL), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == 1);
}

/** A task's own reported value answers a wait for it at once. */
static void test_own_retval_at_once(void)
{
	CHECK_RC(task_retval(-3), EOK);
	task_exit_t texit;
	int value = 0;
	CHECK_RC(task_wait_task_id(task_get_id(), TASK_WAIT_RETVAL, &texit, &value), EOK);
	CHECK(texit.how == 0 && value == -3);
}

static void test_bad_wait_flags_einval(void)
{
	task_id_t self = task_get_id();
	CHECK_RC(task_wait_task_id(self, 0, NULL, NULL), EINVAL);
	CHECK_RC(task_wait_task_id(self, WAIT_FLAG_BAD, NULL, NULL), EINVAL);
	CHECK_RC(
	    task_wait_task_id(self, TASK_WAIT_EXIT | WAIT_FLAG_BAD, NULL, NULL), EINVAL);
}

/** A client that ends with a wait and a blocking connect pending leaves ns
 *  answering everyone else as before. */
static void test_dying_client_with_calls_pending(void)
{
	task_id_t sleeper, client, server;
	char args[64];
	CHECK_RC(child_start("sleep", &sleeper), EOK);
	snprintf(args, sizeof(args), "pending %llu", (unsigned long long) sleeper);
	CHECK_RC(child_start(args, &client), EOK);
	task_exit_t texit;
	CHECK_RC(child_join(client, &texit), EOK);
	CHECK(texit.how == TASK_EXIT_NORMAL && texit.status == 0);
	CHECK_RC(ns_ping(), EOK);
	task_wait_t wait;
	CHECK_RC(task_setup_wait(sleeper, TASK_WAIT_EXIT, &wait), EOK);
	CHECK_RC(task_kill(sleeper), EOK);
	CHECK_RC(task_wait(&wait, &texit, NULL), EOK);
	CHECK(texit.how == TASK_EXIT_KILLED);
	CHECK_RC(child_join(sleeper, &texit), EOK);
	CHECK_RC(child_start_server("server nowhere", &server), EOK);
	errno_t rc;
	async_sess_t *sess = service_connect(
	    service_id_from_name("nowhere"), NSTEST_IFACE, 0, &rc);
	CHECK_RC(rc, EOK);
	sysarg_t r1 = 0;
	CHECK_RC(call_server(sess, NSTEST_M_PING, 1, &r1, NULL, NULL), EOK);
	CHECK(r1 == 2);
	CHECK_RC(async_hangup(sess), EOK);
	CHECK_RC(child_kill(server), EOK);
}

/** Call @a i of the flood: an unknown method or a wait with bad flags. */
static aid_t flood_send(async_exch_t *exch, int i, ipc_call_t *answer)
{
	if (i % 2 == 0)
		return async_send_1(exch, NS_END + i % FLOOD_METHODS, i, answer);
	sysarg_t flags = i % 4 == 1 ? 0 : WAIT_FLAG_BAD | TASK_WAIT_EXIT;
	return async_send_2(exch, NS_TASK_WAIT, task_get_id(), flags, answer);
}

/** Sends FLOOD_BATCH bad calls starting with call @a first, then collects
 *  them; the number answered with the error expected. */
static int flood_batch(async_exch_t *exch, int first)
{
	aid_t aids[FLOOD_BATCH];
	ipc_call_t answers[FLOOD_BATCH];
	for (int i = 0; i < FLOOD_BATCH; i++)
		aids[i] = flood_send(exch, first + i, &answers[i]);
	int right = 0;
	for (int i = 0; i < FLOOD_BATCH; i++) {
		errno_t rc;
		async_wait_for(aids[i], &rc);
		right += rc == ((first + i) % 2 == 0 ? ENOTSUP : EINVAL);
	}
	return right;
}

/** Unknown methods, bad flags and a data write, by the thousand: each is
 *  answered with an error, and ns still serves. */
static void test_bad_call_flood(void)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	CHECK(exch != NULL);
	int right = 0, sent = 0;
	for (; sent < FLOOD_CALLS; sent += FLOOD_BATCH)
		right += flood_batch(exch, sent);
	char data[FLOOD_DATA_LEN] = {0};
	errno_t wrc = async_data_write_start(exch, data, sizeof(data));
	async_exchange_end(exch);
	CHECK(right == sent);
	CHECK_RC(wrc, ENOTSUP);
	CHECK_RC(ns_ping(), EOK);
}

void task_tests(void)
{
	RUN(test_retval_seen_by_waiter);
	RUN(test_retval_waiter_answered_at_exit);
	RUN(test_exit_status_7);
	RUN(test_killed_task);
	RUN(test_faulting_task);
	RUN(test_unknown_id_enoent);
	RUN(test_ended_task_record_kept);
	RUN(test_exits_kept_bounded);
	RUN(test_own_retval_at_once);
	RUN(test_bad_wait_flags_einval);
	RUN(test_dying_client_with_calls_pending);
	RUN(test_bad_call_flood);
}
