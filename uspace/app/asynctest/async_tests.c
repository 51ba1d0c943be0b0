/*
 * asynctest: tests of the async framework against asyncsrv (service 1), a
 * middleman asyncsrv (service 2) and a server that gets killed (service 3),
 * all started here and registered with our naming-service role (registrar.h).
 */
#include "asynctest.h"
#include "../../srv/asyncsrv/asyncsrv.h"
#include <as.h>
#include <benchmark.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <ipc.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <thread.h>
#include <time.h>

#define SERVICE_MAIN	1
#define SERVICE_MIDDLE	2
#define SERVICE_DOOMED	3
#define SERVICE_EXITING 4
#define SERVICE_RUNNERS 5
#define SERVICE_GROWING 6
#define START_WAIT	10000000 /* µs for a server to register */

/** Starts @a cmdline and waits until it registers @a service. */
static errno_t start_server(const char *cmdline, sysarg_t service, task_id_t *task)
{
	errno_t rc = task_spawn_module(cmdline, task);
	if (rc != EOK)
		return rc;
	return registrar_wait(service, START_WAIT) != NULL ? EOK : ETIMEOUT;
}

/** Runs @a cmdline as a child and checks that it ends normally with @a status
 *  within 30 s. */
static void child_exits_with(const char *cmdline, int status)
{
	task_id_t child;
	CHECK_RC(task_spawn_module(cmdline, &child), EOK);
	task_exit_t how;
	CHECK_RC(task_join(child, &how, 30000000), EOK);
	CHECK(how.how == TASK_EXIT_NORMAL);
	CHECK(how.status == status);
}

/** A new connection with @a mgmt straight to registered @a service. */
static async_sess_t *connect_service(sysarg_t service, exch_mgmt_t mgmt)
{
	async_sess_t *reg = registrar_wait(service, START_WAIT);
	if (reg == NULL)
		return NULL;
	async_exch_t *exch = async_exchange_begin(reg);
	errno_t rc;
	async_sess_t *sess = async_connect_me_to(mgmt, exch, ASYNCSRV_IFACE, 0, 0, &rc);
	async_exchange_end(exch);
	return sess;
}

/** Calls @a imethod with @a arg on a one-call exchange of @a sess. */
static errno_t call1(async_sess_t *sess, sysarg_t imethod, sysarg_t arg, sysarg_t *r1)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_1_1(exch, imethod, arg, r1);
	async_exchange_end(exch);
	return rc;
}

static errno_t server_stats(
    async_sess_t *sess, sysarg_t *hangups, sysarg_t *timeouts, sysarg_t *open)
{
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc = async_req_0_3(exch, ASYNCSRV_M_STATS, hangups, timeouts, open);
	async_exchange_end(exch);
	return rc;
}

static async_sess_t *main_sess; /* SERIALIZE, to service 1, for checks */

static void test_async_servers_start(void)
{
	task_id_t task;
	CHECK_RC(start_server("asyncsrv 1", SERVICE_MAIN, &task), EOK);
	CHECK_RC(start_server("asyncsrv 2 middle 1", SERVICE_MIDDLE, &task), EOK);
	main_sess = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(main_sess != NULL);
}

/** A thousand round trips of one client fibril. */
static void test_async_ping_pong(void)
{
	async_exch_t *exch = async_exchange_begin(main_sess);
	CHECK(exch != NULL);
	errno_t rc = EOK;
	sysarg_t r = 0, i;
	for (i = 0; i < 1000 && rc == EOK && r == i; i++)
		rc = async_req_1_1(exch, ASYNCSRV_M_PING, i, &r);
	async_exchange_end(exch);
	CHECK_RC(rc, EOK);
	CHECK(r == i);
}

/** The generated numbered wrappers pass their arguments in order. */
static void test_async_numbered_wrappers(void)
{
	async_exch_t *exch = async_exchange_begin(main_sess);
	sysarg_t r[5] = {0};
	CHECK_RC(async_req_5_5(exch, ASYNCSRV_M_ECHO, 10, 20, 30, 40, 50, &r[0], &r[1],
		     &r[2], &r[3], &r[4]),
	    EOK);
	async_exchange_end(exch);
	for (int i = 0; i < 5; i++)
		CHECK(r[i] == (sysarg_t) (10 * (i + 1) + i + 1));
	exch = async_exchange_begin(main_sess);
	CHECK_RC(async_req_2_3(exch, ASYNCSRV_M_ECHO, 1, 2, &r[0], &r[1], &r[2]), EOK);
	CHECK(r[0] == 2 && r[1] == 4 && r[2] == 3);
	CHECK_RC(async_req_0_1(exch, ASYNCSRV_M_PING, &r[0]), EOK);
	CHECK(r[0] == 1);
	CHECK_RC(async_req_1_0(exch, ASYNCSRV_M_PING, 7), EOK);
	CHECK_RC(async_msg_1(exch, ASYNCSRV_M_PING, 8), EOK);
	ipc_call_t answer;
	aid_t aid = async_send_5(exch, ASYNCSRV_M_ECHO, 5, 4, 3, 2, 1, &answer);
	CHECK(aid != 0);
	errno_t retval;
	async_wait_for(aid, &retval);
	CHECK_RC(retval, EOK);
	CHECK(ipc_get_arg1(&answer) == 6 && ipc_get_arg5(&answer) == 6);
	CHECK_RC(async_req_0_0(exch, 99999), ENOTSUP); /* the answer's value arrives */
	async_exchange_end(exch);
}

typedef struct {
	async_exch_t *exch;
	errno_t rc;
	sysarg_t answer;
	size_t blocks_added; /* heap blocks the request left in use */
} sync_req_t;

/** One async_req_0_1 from a fibril that has made no call before, with the
 *  heap's used blocks counted around it. */
static errno_t sync_req_fibril(void *arg)
{
	sync_req_t *q = arg;
	malloc_stats_t before, after;
	if (malloc_check(&before) != NULL)
		return EIO;
	q->rc = async_req_0_1(q->exch, ASYNCSRV_M_PING, &q->answer);
	if (malloc_check(&after) != NULL)
		return EIO;
	q->blocks_added = after.used_blocks - before.used_blocks;
	return EOK;
}

/** A synchronous request keeps its call record in the caller's frame: the
 *  first one of a fibril allocates nothing (no record, no per-fibril cache). */
static void test_async_sync_request_allocates_no_call_record(void)
{
	sync_req_t q = {.exch = async_exchange_begin(main_sess)};
	CHECK(q.exch != NULL);
	fid_t f = fibril_create(sync_req_fibril, &q);
	CHECK(f != NULL);
	fibril_add_ready(f);
	errno_t frc = EIO;
	CHECK_RC(fibril_join(f, &frc), EOK);
	async_exchange_end(q.exch);
	CHECK_RC(frc, EOK);
	CHECK_RC(q.rc, EOK);
	CHECK(q.answer == 1);
	CHECK(q.blocks_added == 0);
}

#define PARALLEL_FIBRILS 100
#define SLEEP_USEC	 30000

static async_sess_t *par_sess;
static volatile int par_ok, par_begun;
static FIBRIL_MUTEX_INITIALIZE(par_lock);
static FIBRIL_CONDVAR_INITIALIZE(par_cv);

/** Begins an exchange, waits until all the others have begun theirs too,
 *  and sleeps on the server. */
static errno_t parallel_sleeper(void *arg)
{
	async_exch_t *exch = async_exchange_begin(par_sess);
	if (exch == NULL)
		return ENOMEM;
	fibril_mutex_lock(&par_lock);
	par_begun++;
	fibril_condvar_broadcast(&par_cv);
	while (par_begun < PARALLEL_FIBRILS)
		fibril_condvar_wait(&par_cv, &par_lock);
	fibril_mutex_unlock(&par_lock);
	errno_t rc = async_req_1_0(exch, ASYNCSRV_M_SLEEP, SLEEP_USEC);
	async_exchange_end(exch);
	if (rc == EOK)
		__atomic_add_fetch(&par_ok, 1, __ATOMIC_RELAXED);
	return rc;
}

/** 100 fibrils on one parallel session are served concurrently, each on a
 *  connection of its own; hanging up ends all of them on the server. */
static void test_async_parallel_100_fibrils(void)
{
	sysarg_t hangups0, t, open0;
	CHECK_RC(server_stats(main_sess, &hangups0, &t, &open0), EOK);
	par_sess = connect_service(SERVICE_MAIN, EXCHANGE_PARALLEL);
	CHECK(par_sess != NULL);
	par_ok = par_begun = 0;
	fid_t f[PARALLEL_FIBRILS];
	for (int i = 0; i < PARALLEL_FIBRILS; i++) {
		f[i] = fibril_create(parallel_sleeper, NULL);
		CHECK(f[i] != NULL);
		fibril_add_ready(f[i]);
	}
	/* All 100 exchanges are open at once: time their calls from here. */
	fibril_mutex_lock(&par_lock);
	while (par_begun < PARALLEL_FIBRILS)
		fibril_condvar_wait(&par_cv, &par_lock);
	fibril_mutex_unlock(&par_lock);
	uint64_t start = clock_ns();
	for (int i = 0; i < PARALLEL_FIBRILS; i++)
		DISCARD(cleanup, fibril_join(f[i], NULL));
	uint64_t ms = (clock_ns() - start) / 1000000;
	CHECK(par_ok == PARALLEL_FIBRILS);
	/* Serially that would be 100 * 30 ms = 3 s. */
	CHECK(ms < PARALLEL_FIBRILS * SLEEP_USEC / 1000 / 3);
	sysarg_t hangups, open;
	CHECK_RC(server_stats(main_sess, &hangups, &t, &open), EOK);
	CHECK(open == open0 + PARALLEL_FIBRILS);
	CHECK_RC(async_hangup(par_sess), EOK);
	for (int i = 0; i < 100 && hangups != hangups0 + PARALLEL_FIBRILS; i++) {
		fibril_usleep(10000);
		CHECK_RC(server_stats(main_sess, &hangups, &t, &open), EOK);
	}
	CHECK(hangups == hangups0 + PARALLEL_FIBRILS);
	CHECK(open == open0);
}

#define PROTO_FIBRILS 10

static async_sess_t *proto_sess;
static volatile int proto_ok, proto_party, proto_open, proto_max_open;

/** One two-call exchange (M_BEGIN, a pause, M_END) with its own tag. */
static errno_t two_call_exchange(void *arg)
{
	sysarg_t tag = (sysarg_t) arg;
	async_exch_t *exch = async_exchange_begin(proto_sess);
	if (exch == NULL)
		return ENOMEM;
	int open = __atomic_add_fetch(&proto_open, 1, __ATOMIC_RELAXED);
	if (open > proto_max_open)
		proto_max_open = open; /* a lost race only lowers it */
	errno_t rc = async_req_1_0(exch, ASYNCSRV_M_BEGIN, tag);
	fibril_usleep(2000);
	if (rc == EOK)
		rc = async_req_1_0(exch, ASYNCSRV_M_END, tag);
	__atomic_sub_fetch(&proto_open, 1, __ATOMIC_RELAXED);
	async_exchange_end(exch);
	if (rc == EOK)
		__atomic_add_fetch(&proto_ok, 1, __ATOMIC_RELAXED);
	else if (rc == EPARTY)
		__atomic_add_fetch(&proto_party, 1, __ATOMIC_RELAXED);
	return EOK;
}

static bool run_two_call_exchanges(exch_mgmt_t mgmt)
{
	proto_sess = connect_service(SERVICE_MAIN, mgmt);
	if (proto_sess == NULL)
		return false;
	proto_ok = proto_party = proto_open = proto_max_open = 0;
	fid_t f[PROTO_FIBRILS];
	for (int i = 0; i < PROTO_FIBRILS; i++) {
		f[i] = fibril_create(two_call_exchange, (void *) (uintptr_t) (i + 1));
		if (f[i] == NULL)
			return false;
		fibril_add_ready(f[i]);
	}
	for (int i = 0; i < PROTO_FIBRILS; i++)
		DISCARD(cleanup, fibril_join(f[i], NULL));
	return async_hangup(proto_sess) == EOK;
}

/** SERIALIZE: one exchange at a time, so multi-call protocols hold. */
static void test_async_serialize_one_exchange_at_a_time(void)
{
	CHECK(run_two_call_exchanges(EXCHANGE_SERIALIZE));
	CHECK(proto_max_open == 1);
	CHECK(proto_ok == PROTO_FIBRILS);
}

/** ATOMIC: exchanges run at once over one connection, so calls of
 *  different exchanges interleave there (only single-call protocols hold). */
static void test_async_atomic_exchanges_interleave(void)
{
	CHECK(run_two_call_exchanges(EXCHANGE_ATOMIC));
	CHECK(proto_max_open > 1);
	CHECK(proto_party > 0);
	CHECK(proto_ok + proto_party == PROTO_FIBRILS);
}

/** PARALLEL: exchanges run at once, each on its own connection. */
static void test_async_parallel_exchanges_keep_protocols(void)
{
	CHECK(run_two_call_exchanges(EXCHANGE_PARALLEL));
	CHECK(proto_max_open > 1);
	CHECK(proto_ok == PROTO_FIBRILS);
}

#define RACE_ROUNDS 100

/** The keep-protocols pattern again and again: fibrils on both runners
 *  connect and send requests, each waiting for its answer, while the other
 *  runner keeps going idle. A request sent and waited for in one system
 *  call must not wait for the task's next event: the other runner, waiting
 *  for events too, may take its answer, and that wait would never end
 *  (every fibril then waits for that one; the suite hangs). */
static void test_async_sync_requests_race_an_idle_runner(void)
{
	int rounds = 0;
	while (rounds < RACE_ROUNDS && run_two_call_exchanges(EXCHANGE_PARALLEL) &&
	    proto_ok == PROTO_FIBRILS)
		rounds++;
	CHECK(rounds == RACE_ROUNDS);
}

#define HOLDERS 200

static async_sess_t *hold_sess;
static volatile int hold_ok, hold_other;

static errno_t holder(void *arg)
{
	async_exch_t *exch = async_exchange_begin(hold_sess);
	errno_t rc = async_req_0_0(exch, ASYNCSRV_M_HOLD);
	async_exchange_end(exch);
	if (rc == EOK)
		__atomic_add_fetch(&hold_ok, 1, __ATOMIC_RELAXED);
	else
		hold_other = rc;
	return EOK;
}

/** 200 calls on one phone (the kernel takes 64): the rest wait for slots
 *  and none fails with ELIMIT. */
static void test_async_call_limit_waits_for_a_slot(void)
{
	hold_sess = connect_service(SERVICE_MAIN, EXCHANGE_ATOMIC);
	CHECK(hold_sess != NULL);
	hold_ok = hold_other = 0;
	fid_t f[HOLDERS];
	for (int i = 0; i < HOLDERS; i++) {
		f[i] = fibril_create(holder, NULL);
		CHECK(f[i] != NULL);
		fibril_add_ready(f[i]);
	}
	sysarg_t released = 0, n;
	for (int round = 0; round < 500 && released < HOLDERS; round++) {
		fibril_usleep(5000);
		CHECK_RC(call1(main_sess, ASYNCSRV_M_RELEASE, 0, &n), EOK);
		CHECK(n <= IPC_MAX_ASYNC_CALLS);
		released += n;
	}
	for (int i = 0; i < HOLDERS; i++)
		DISCARD(cleanup, fibril_join(f[i], NULL));
	CHECK_RC(hold_other, EOK);
	CHECK(hold_ok == HOLDERS);
	CHECK(released == HOLDERS);
	CHECK_RC(async_hangup(hold_sess), EOK);
}

static unsigned char data_buf[IPC_DATA_MAX + 1];
static const size_t data_sizes[] = {0, 1, 4095, 4096, IPC_DATA_MAX};

/** Sends @a method, then a data write of the first @a size bytes of data_buf,
 *  and waits for the method's answer; returns the data write's result. */
static errno_t write_call(
    async_exch_t *exch, sysarg_t method, size_t size, ipc_call_t *answer, errno_t *retval)
{
	aid_t aid = async_send_0(exch, method, answer);
	errno_t rc = async_data_write_start(exch, data_buf, size);
	async_wait_for(aid, retval);
	return rc;
}

/** M_SINK takes a data write into a server buffer; a call other than the
 *  data write after it is refused with EINVAL, and so is the M_SINK. */
static void test_async_sink_write(void)
{
	async_exch_t *exch = async_exchange_begin(main_sess);
	ipc_call_t answer;
	errno_t retval;
	CHECK_RC(write_call(exch, ASYNCSRV_M_SINK, 100, &answer, &retval), EOK);
	CHECK_RC(retval, EOK);
	CHECK(ipc_get_arg1(&answer) == 100);
	aid_t aid = async_send_0(exch, ASYNCSRV_M_SINK, &answer);
	sysarg_t r;
	CHECK_RC(async_req_1_1(exch, ASYNCSRV_M_PING, 1, &r), EINVAL);
	async_wait_for(aid, &retval);
	CHECK_RC(retval, EINVAL);
	async_exchange_end(exch);
}

/** Data writes of 0, 1, 4095, 4096 and 65536 bytes arrive intact; 65537 is
 *  refused with ELIMIT (by the framework and by the kernel). */
static void test_async_data_write_sizes(void)
{
	for (size_t k = 0; k < sizeof(data_sizes) / sizeof(data_sizes[0]); k++) {
		size_t n = data_sizes[k];
		for (size_t i = 0; i < n; i++)
			data_buf[i] = asyncsrv_pattern(k, i);
		async_exch_t *exch = async_exchange_begin(main_sess);
		ipc_call_t answer;
		errno_t retval;
		errno_t rc = write_call(exch, ASYNCSRV_M_WRITE, n, &answer, &retval);
		async_exchange_end(exch);
		CHECK_RC(rc, EOK);
		CHECK_RC(retval, EOK);
		CHECK(ipc_get_arg1(&answer) == n);
		CHECK(ipc_get_arg2(&answer) == asyncsrv_checksum(data_buf, n));
	}
	async_exch_t *exch = async_exchange_begin(main_sess);
	CHECK_RC(async_data_write_start(exch, data_buf, IPC_DATA_MAX + 1), ELIMIT);
	const sysarg_t raw[IPC_CALL_ARGS] = {(sysarg_t) data_buf, IPC_DATA_MAX + 1};
	errno_t retval;
	async_wait_for(async_send_args(exch, IPC_M_DATA_WRITE, raw, NULL), &retval);
	async_exchange_end(exch);
	CHECK_RC(retval, ELIMIT);
}

/** Data reads of the same sizes arrive intact; 65537 is refused. */
static void test_async_data_read_sizes(void)
{
	for (size_t k = 0; k < sizeof(data_sizes) / sizeof(data_sizes[0]); k++) {
		size_t n = data_sizes[k];
		memset(data_buf, 0xaa, n + 1);
		async_exch_t *exch = async_exchange_begin(main_sess);
		ipc_call_t answer;
		aid_t aid = async_send_1(exch, ASYNCSRV_M_READ, k + 3, &answer);
		errno_t rc = async_data_read_start(exch, data_buf, n);
		errno_t retval;
		async_wait_for(aid, &retval);
		async_exchange_end(exch);
		CHECK_RC(rc, EOK);
		CHECK_RC(retval, EOK);
		CHECK(ipc_get_arg1(&answer) == n);
		for (size_t i = 0; i < n; i++)
			CHECK(data_buf[i] == asyncsrv_pattern(k + 3, i));
		CHECK(data_buf[n] == 0xaa);
	}
	async_exch_t *exch = async_exchange_begin(main_sess);
	CHECK_RC(async_data_read_start(exch, data_buf, IPC_DATA_MAX + 1), ELIMIT);
	async_exchange_end(exch);
}

/** A server shares an area in (we see its pattern) and takes one we share
 *  out (it sees ours and writes back). */
static void test_async_share_in_and_out(void)
{
	async_exch_t *exch = async_exchange_begin(main_sess);
	void *in;
	CHECK_RC(async_share_in_start(exch, 3 * 4096, 77, AS_AREA_READ, &in), EOK);
	async_exchange_end(exch);
	for (size_t i = 0; i < 3 * 4096; i++)
		CHECK(((unsigned char *) in)[i] == asyncsrv_pattern(77, i));
	CHECK_RC(as_area_destroy((uintptr_t) in), EOK);

	uintptr_t base = AS_AREA_ANY;
	CHECK_RC(as_area_create(
		     &base, 2 * 4096, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE),
	    EOK);
	unsigned char *out = (unsigned char *) base;
	for (size_t i = 0; i < 2 * 4096; i++)
		out[i] = asyncsrv_pattern(55, i);
	exch = async_exchange_begin(main_sess);
	aid_t aid = async_send_1(exch, ASYNCSRV_M_SHARE_CHECK, 55, NULL);
	errno_t rc = async_share_out_start(exch, out, AS_AREA_READ | AS_AREA_WRITE);
	errno_t retval;
	async_wait_for(aid, &retval);
	async_exchange_end(exch);
	CHECK_RC(rc, EOK);
	CHECK_RC(retval, EOK);
	CHECK(*(volatile uint64_t *) out == ASYNCSRV_MARK);
	CHECK_RC(as_area_destroy(base), EOK);
}

/** Calls and a data write through a middleman that forwards them: the
 *  backend answers, the data never passes through the middleman. */
static void test_async_forward_through_middleman(void)
{
	async_sess_t *mid = connect_service(SERVICE_MIDDLE, EXCHANGE_SERIALIZE);
	CHECK(mid != NULL);
	sysarg_t r = 0;
	CHECK_RC(call1(mid, ASYNCSRV_M_PING, 5, &r), EOK);
	CHECK(r == 6);
	/* Many in a row: each forward meets a backend runner waiting (the
	 * kernel's fast forward, with the fast path on) or queued work. */
	for (sysarg_t i = 0; i < 64; i++) {
		CHECK_RC(call1(mid, ASYNCSRV_M_PING, 100 + i, &r), EOK);
		CHECK(r == 101 + i);
	}
	for (size_t i = 0; i < 4096; i++)
		data_buf[i] = asyncsrv_pattern(9, i);
	async_exch_t *exch = async_exchange_begin(mid);
	ipc_call_t answer;
	errno_t retval;
	errno_t rc = write_call(exch, ASYNCSRV_M_WRITE, 4096, &answer, &retval);
	async_exchange_end(exch);
	CHECK_RC(rc, EOK);
	CHECK_RC(retval, EOK);
	CHECK(ipc_get_arg1(&answer) == 4096);
	CHECK(ipc_get_arg2(&answer) == asyncsrv_checksum(data_buf, 4096));
	CHECK_RC(async_hangup(mid), EOK);
}

/** A child task finds service 1 through us (a brokered, forwarded
 *  CONNECT_ME_TO) and makes its calls as a pure client. */
static void test_async_child_client_through_broker(void)
{
	child_exits_with("asynctest client 1", 0);
}

/** A one-runner child's synchronous requests made while a fibril deadline
 *  is pending (call-and-wait with a timeout, for the task's next event):
 *  every answer arrives right, also those whose wait the deadline ended. */
static void test_async_sync_requests_beside_a_pending_deadline(void)
{
	child_exits_with("asynctest timed 1", 0);
}

#define DOOMED_HOLDERS	100
#define DOOMED_SLEEPERS 5

static async_sess_t *doomed_atomic, *doomed_parallel;
static volatile int doomed_hangups, doomed_other;

static errno_t doomed_caller(void *arg)
{
	bool sleeper = arg != NULL;
	async_sess_t *sess = sleeper ? doomed_parallel : doomed_atomic;
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc = exch == NULL ? ENOMEM
	    : sleeper		  ? async_req_1_0(exch, ASYNCSRV_M_SLEEP, 60000000)
				  : async_req_0_0(exch, ASYNCSRV_M_HOLD);
	async_exchange_end(exch);
	if (rc == EHANGUP)
		__atomic_add_fetch(&doomed_hangups, 1, __ATOMIC_RELAXED);
	else
		doomed_other = rc;
	return EOK;
}

static volatile int doomed_done;

static errno_t doomed_joiner(void *arg)
{
	fid_t *f = arg;
	for (int i = 0; i < DOOMED_HOLDERS + DOOMED_SLEEPERS; i++)
		DISCARD(cleanup, fibril_join(f[i], NULL));
	doomed_done = 1;
	return EOK;
}

/** A server killed with calls in flight (and more waiting for phone slots):
 *  every waiting client fibril returns EHANGUP, none hangs. */
static void test_async_server_killed_mid_exchange(void)
{
	task_id_t task;
	CHECK_RC(start_server("asyncsrv 3", SERVICE_DOOMED, &task), EOK);
	doomed_atomic = connect_service(SERVICE_DOOMED, EXCHANGE_ATOMIC);
	doomed_parallel = connect_service(SERVICE_DOOMED, EXCHANGE_PARALLEL);
	CHECK(doomed_atomic != NULL && doomed_parallel != NULL);
	doomed_hangups = doomed_other = doomed_done = 0;
	static fid_t f[DOOMED_HOLDERS + DOOMED_SLEEPERS];
	for (int i = 0; i < DOOMED_HOLDERS + DOOMED_SLEEPERS; i++) {
		f[i] = fibril_create(
		    doomed_caller, i < DOOMED_HOLDERS ? NULL : (void *) 1);
		CHECK(f[i] != NULL);
		fibril_add_ready(f[i]);
	}
	fibril_usleep(50000);
	CHECK_RC(task_kill(task), EOK);
	fid_t joiner = fibril_create(doomed_joiner, f);
	CHECK(joiner != NULL);
	fibril_add_ready(joiner);
	for (int i = 0; i < 500 && !doomed_done; i++)
		fibril_usleep(10000);
	CHECK(doomed_done);
	DISCARD(cleanup, fibril_join(joiner, NULL));
	CHECK_RC(doomed_other, EOK);
	CHECK(doomed_hangups == DOOMED_HOLDERS + DOOMED_SLEEPERS);
	CHECK_RC(call1(doomed_atomic, ASYNCSRV_M_PING, 1, NULL), EHANGUP);
	CHECK_RC(async_hangup(doomed_atomic), EOK);
	CHECK_RC(async_hangup(doomed_parallel), EOK);
	task_exit_t how;
	CHECK_RC(task_join(task, &how, 0), EOK);
	CHECK(how.how == TASK_EXIT_KILLED);
}

static errno_t parallel_second_exchange(void *arg)
{
	async_exch_t *exch = async_exchange_begin(arg);
	async_exchange_end(exch);
	return exch != NULL ? EOK : ENOMEM;
}

/** A PARALLEL session that cannot make connections (made from a phone)
 *  hands its ending exchange to a fibril waiting for one; the exchange is
 *  counted open once, so the session hangs up once both ended (it counted
 *  the handed exchange twice: EBUSY). */
static void test_async_parallel_handover_is_counted_once(void)
{
	async_sess_t *conn = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(conn != NULL);
	async_exch_t *e = async_exchange_begin(conn);
	CHECK(e != NULL);
	cap_handle_t phone;
	CHECK_RC(cap_derive(async_exchange_phone(e), CAP_RIGHTS_PHONE, &phone), EOK);
	async_exchange_end(e);
	async_sess_t *sess = async_session_create(EXCHANGE_PARALLEL, phone);
	CHECK(sess != NULL);
	async_exch_t *first = async_exchange_begin(sess);
	CHECK(first != NULL);
	fid_t f = fibril_create(parallel_second_exchange, sess);
	CHECK(f != 0);
	fibril_add_ready(f);
	for (int i = 0; i < 10; i++)
		fibril_yield(); /* it waits for the session's one exchange */
	async_exchange_end(first);
	errno_t rc = EIO;
	CHECK_RC(fibril_join(f, &rc), EOK);
	CHECK_RC(rc, EOK);
	CHECK_RC(async_hangup(sess), EOK);
	/* The server saw this connection closed through the copy. */
	DISCARD(cleanup, async_hangup(conn));
}

/** A server that answers and exits at once: the answer (which the framework
 *  defers to the runner's next wait) still reaches the caller. */
static void test_async_answer_then_exit(void)
{
	task_id_t task;
	CHECK_RC(start_server("asyncsrv 4", SERVICE_EXITING, &task), EOK);
	async_sess_t *sess = connect_service(SERVICE_EXITING, EXCHANGE_SERIALIZE);
	CHECK(sess != NULL);
	sysarg_t r = 0;
	CHECK_RC(call1(sess, ASYNCSRV_M_EXIT, 7, &r), EOK);
	CHECK(r == 8);
	task_exit_t how;
	CHECK_RC(task_join(task, &how, 0), EOK);
	CHECK(how.how == TASK_EXIT_NORMAL && how.status == 7);
	CHECK_RC(async_hangup(sess), EOK);
}

/** Hanging up ends the server's connection fibril (it sees method 0). */
static void test_async_hangup_ends_the_handler(void)
{
	sysarg_t hangups0, hangups, t, open0, open;
	CHECK_RC(server_stats(main_sess, &hangups0, &t, &open0), EOK);
	async_sess_t *sess = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(sess != NULL);
	CHECK_RC(call1(sess, ASYNCSRV_M_PING, 1, NULL), EOK);
	async_exch_t *exch = async_exchange_begin(sess);
	CHECK_RC(async_hangup(sess), EBUSY); /* not while an exchange is open */
	async_exchange_end(exch);
	CHECK_RC(async_hangup(sess), EOK);
	hangups = hangups0;
	for (int i = 0; i < 100 && hangups == hangups0; i++) {
		fibril_usleep(2000);
		CHECK_RC(server_stats(main_sess, &hangups, &t, &open), EOK);
	}
	CHECK(hangups == hangups0 + 1);
	CHECK(open == open0);
}

/** Calls a handler leaves behind when it ends are answered with EHANGUP,
 *  and so are later calls on that connection. */
static void test_async_leftover_calls_get_ehangup(void)
{
	async_sess_t *sess = connect_service(SERVICE_MAIN, EXCHANGE_ATOMIC);
	CHECK(sess != NULL);
	async_exch_t *exch = async_exchange_begin(sess);
	aid_t quit = async_send_1(exch, ASYNCSRV_M_QUIT, 30000, NULL);
	aid_t pings[3];
	for (int i = 0; i < 3; i++)
		pings[i] = async_send_1(exch, ASYNCSRV_M_PING, i, NULL);
	errno_t rc;
	async_wait_for(quit, &rc);
	CHECK_RC(rc, EOK);
	for (int i = 0; i < 3; i++) {
		async_wait_for(pings[i], &rc);
		CHECK_RC(rc, EHANGUP);
	}
	CHECK_RC(async_req_1_0(exch, ASYNCSRV_M_PING, 1), EHANGUP);
	async_exchange_end(exch);
	CHECK_RC(async_hangup(sess), EOK);
}

/** Waits with timeouts give up in time and the call stays collectable; a
 *  server's wait for its next call times out too. */
/* Only what holds under any host load is asserted: a timed-out wait lasted
 * at least its timeout and ended before the answer (the server sleeps far
 * longer than any stall of a loaded host), and the server's own timeout
 * fires, waited for with a bound only a hang reaches. */
static void test_async_timeouts_fire(void)
{
	async_exch_t *exch = async_exchange_begin(main_sess);
	aid_t aid = async_send_1(exch, ASYNCSRV_M_SLEEP, 2000000, NULL);
	async_exchange_end(exch);
	errno_t retval = EINVAL;
	CHECK_RC(async_wait_timeout(aid, &retval, 0), ETIMEOUT);
	uint64_t start = clock_ns();
	CHECK_RC(async_wait_timeout(aid, &retval, 20000), ETIMEOUT);
	CHECK(clock_ns() - start >= 20000000ull);
	async_wait_for(aid, &retval);
	CHECK_RC(retval, EOK);
	exch = async_exchange_begin(main_sess);
	async_forget(async_send_1(exch, ASYNCSRV_M_SLEEP, 1000, NULL));
	async_exchange_end(exch);

	async_sess_t *sess = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(sess != NULL);
	sysarg_t t0, t1, h, o;
	CHECK_RC(server_stats(main_sess, &h, &t0, &o), EOK);
	CHECK_RC(call1(sess, ASYNCSRV_M_TIMEOUT_PROBE, 20000, NULL), EOK);
	for (int i = 0; i < 1500; i++) { /* 30 s: a bound for hangs only */
		fibril_usleep(20000);
		CHECK_RC(server_stats(main_sess, &h, &t1, &o), EOK);
		if (t1 != t0)
			break;
	}
	CHECK(t1 == t0 + 1);
	CHECK_RC(async_hangup(sess), EOK);
}

#define PROBE_ROUNDS 300

/** A connection waiting for its next call with a short timeout gets a call
 *  at about its deadline, round after round: each call is taken exactly
 *  once, by the wait or the one after it (a delivery racing the timeout is
 *  neither lost nor seen twice), and every timeout that fired is counted
 *  once. Nothing here depends on the host's speed: only the outcome of
 *  each race is checked, whichever way it went. */
static void test_async_get_call_timeout_races_a_call(void)
{
	async_sess_t *sess = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(sess != NULL);
	sysarg_t h, t0, t1, o;
	CHECK_RC(server_stats(main_sess, &h, &t0, &o), EOK);
	int right = 0;
	for (int i = 0; i < PROBE_ROUNDS; i++) {
		async_exch_t *exch = async_exchange_begin(sess);
		errno_t prc = async_req_1_0(exch, ASYNCSRV_M_TIMEOUT_PROBE, 1 + i % 50);
		fibril_usleep(i % 3 == 0 ? 0 : (sysarg_t) (i % 40));
		sysarg_t r = 0;
		errno_t rc = async_req_1_1(exch, ASYNCSRV_M_PING, (sysarg_t) i, &r);
		async_exchange_end(exch);
		right += prc == EOK && rc == EOK && r == (sysarg_t) i + 1;
	}
	CHECK(right == PROBE_ROUNDS);
	CHECK_RC(server_stats(main_sess, &h, &t1, &o), EOK);
	CHECK(t1 - t0 <= PROBE_ROUNDS);
	CHECK_RC(async_hangup(sess), EOK);
}

/** A hang-up that comes while the connection waits for its next call with
 *  a long timeout ends the wait as a hang-up (the handler sees method 0 at
 *  once), not as a call or a timeout. */
static void test_async_hangup_ends_a_timed_wait(void)
{
	sysarg_t h0, h, t0, t, o;
	CHECK_RC(server_stats(main_sess, &h0, &t0, &o), EOK);
	async_sess_t *sess = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(sess != NULL);
	CHECK_RC(call1(sess, ASYNCSRV_M_TIMEOUT_PROBE, 60000000, NULL), EOK);
	CHECK_RC(async_hangup(sess), EOK);
	h = h0;
	for (int i = 0; i < 1500 && h == h0; i++) { /* 30 s: a bound for hangs only */
		fibril_usleep(20000);
		CHECK_RC(server_stats(main_sess, &h, &t, &o), EOK);
	}
	CHECK(h == h0 + 1);
	CHECK(t == t0);
}

/* A server told to run on a CPU that does not run (or past any CPU the
 * kernel can have) refuses to start: exit status 1, nothing registered. */
static void test_async_server_on_a_missing_cpu_refuses(void)
{
	child_exits_with("asyncsrv 22 cpu 63", 1);
	child_exits_with("asyncsrv 22 cpu 99", 1);
	CHECK(registrar_wait(22, 1) == NULL);
}

static volatile int cb_calls, cb_ended;

static void callback_handler(ipc_call_t *icall, void *arg)
{
	DISCARD(answer,
	    async_accept_0(icall)); /* nothing to answer for a callback; harmless */
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			break;
		__atomic_add_fetch(&cb_calls, 1, __ATOMIC_RELAXED);
		if (call.imethod == ASYNCSRV_M_PING)
			DISCARD(answer, async_answer_1(&call, EOK, call.args[0] * 2));
		else
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
	}
	cb_ended = 1;
}

/** A callback connection: the server calls us back while we wait for its
 *  answer; hanging up our session ends the callback connection too. */
static void test_async_callback_connection(void)
{
	async_sess_t *sess = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(sess != NULL);
	cb_calls = cb_ended = 0;
	async_exch_t *exch = async_exchange_begin(sess);
	CHECK_RC(async_create_callback_port(
		     exch, ASYNCSRV_IFACE_CB, 0, 0, callback_handler, NULL, NULL),
	    EOK);
	sysarg_t r = 0;
	CHECK_RC(async_req_1_1(exch, ASYNCSRV_M_CALLBACK_PING, 21, &r), EOK);
	async_exchange_end(exch);
	CHECK(r == 42);
	CHECK(cb_calls == 1);
	CHECK_RC(async_hangup(sess), EOK);
	for (int i = 0; i < 100 && !cb_ended; i++)
		fibril_usleep(2000);
	CHECK(cb_ended);
}

/** Client data belongs to the client task: its connections share it. */
static void test_async_client_data_per_task(void)
{
	async_sess_t *other = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(other != NULL);
	sysarg_t a = 0, b = 0;
	CHECK_RC(call1(main_sess, ASYNCSRV_M_CLIENT_BUMP, 0, &a), EOK);
	CHECK_RC(call1(other, ASYNCSRV_M_CLIENT_BUMP, 0, &b), EOK);
	CHECK(b == a + 1);
	CHECK_RC(async_hangup(other), EOK);
}

/** A connection cloned to another task (the middleman) works there, and
 *  the clone's hang-up leaves ours open. */
static void test_async_clone_connection(void)
{
	async_sess_t *mid = connect_service(SERVICE_MIDDLE, EXCHANGE_SERIALIZE);
	async_sess_t *sess = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(mid != NULL && sess != NULL);
	async_exch_t *mexch = async_exchange_begin(mid);
	async_exch_t *sexch = async_exchange_begin(sess);
	ipc_call_t answer;
	aid_t aid = async_send_0(mexch, ASYNCSRV_M_TAKE_CLONE, &answer);
	errno_t rc = async_exchange_clone(mexch, sexch);
	errno_t retval;
	async_wait_for(aid, &retval);
	async_exchange_end(sexch);
	async_exchange_end(mexch);
	CHECK_RC(rc, EOK);
	CHECK_RC(retval, EOK);
	CHECK(ipc_get_arg1(&answer) == 42);
	fibril_usleep(10000); /* let the clone's hang-up arrive */
	sysarg_t r = 0;
	CHECK_RC(call1(sess, ASYNCSRV_M_PING, 1, &r), EOK);
	CHECK(r == 2);
	CHECK_RC(call1(mid, ASYNCSRV_M_PING, 2, &r), EOK);
	CHECK(r == 3);
	CHECK_RC(async_hangup(sess), EOK);
	CHECK_RC(async_hangup(mid), EOK);
}

/** STATE_CHANGE_AUTHORIZE names our other connection by its label. */
static void test_async_state_change_names_the_other_connection(void)
{
	async_sess_t *other = connect_service(SERVICE_MAIN, EXCHANGE_SERIALIZE);
	CHECK(other != NULL);
	sysarg_t label = 0;
	CHECK_RC(call1(other, ASYNCSRV_M_LABEL, 0, &label), EOK);
	CHECK(label != 0);
	async_exch_t *exch = async_exchange_begin(main_sess);
	async_exch_t *oexch = async_exchange_begin(other);
	CHECK_RC(async_state_change_start(exch, label, 0, 0, oexch), EOK);
	CHECK_RC(async_state_change_start(exch, label + 1, 0, 0, oexch), EPARTY);
	async_exchange_end(oexch);
	async_exchange_end(exch);
	CHECK_RC(async_hangup(other), EOK);
}

static volatile task_id_t exited_task;
static volatile int exited_how, exited_status, klog_events;

static void task_exit_handler(ipc_call_t *call, void *arg)
{
	exited_task = call->args[0];
	exited_how = (int) call->args[1];
	exited_status = (int) call->args[2];
	DISCARD(best_effort, async_event_unmask(EVENT_TASK_EXIT));
}

static void klog_handler(ipc_call_t *call, void *arg)
{
	klog_events++;
}

/** Kernel events reach their handlers: a child's exit, and a log write. */
static void test_async_event_notifications(void)
{
	CHECK_RC(async_event_subscribe(EVENT_TASK_EXIT, task_exit_handler, NULL), EOK);
	CHECK_RC(async_event_subscribe(EVENT_KLOG, klog_handler, NULL), EOK);
	task_id_t child;
	CHECK_RC(task_spawn_module("asynctest exit 7", &child), EOK);
	for (int i = 0; i < 500 && exited_task != child; i++)
		fibril_usleep(10000);
	CHECK(exited_task == child);
	CHECK(exited_how == TASK_EXIT_NORMAL && exited_status == 7);
	task_exit_t how;
	CHECK_RC(task_join(child, &how, 0), EOK);
	printf("asynctest: (a line for the kernel log)\n");
	for (int i = 0; i < 100 && klog_events == 0; i++)
		fibril_usleep(10000);
	CHECK(klog_events > 0);
}

/** An IRQ subscription through the framework can be made and ended. */
static void test_async_irq_subscribe(void)
{
	const irq_cmd_t decline[] = {{.cmd = IRQ_CMD_DECLINE}};
	cap_handle_t handle;
	CHECK_RC(async_irq_subscribe(7, klog_handler, NULL, decline, 1, &handle), EOK);
	CHECK_RC(async_irq_unsubscribe(handle), EOK);
	CHECK_RC(async_irq_unsubscribe(handle), ENOENT);
}

/** The detector catches two fibrils that lock two mutexes in opposite
 *  orders: the child ends through abort() (the harness checks its report). */
/** A call keeps its first answer. A second one through the same ipc_call_t,
 *  or through a copy while the first is still deferred, is refused with
 *  EINVAL; a copy answered after the first went out is deferred (EOK: the
 *  framework cannot tell a copy), and the kernel's refusal is counted. */
static void test_async_second_answer_is_an_error(void)
{
	static const struct {
		sysarg_t how;
		errno_t second;
		sysarg_t refused;
	} cases[] = {
	    {ASYNCSRV_TWICE_SAME, EINVAL, 0},
	    {ASYNCSRV_TWICE_COPY, EINVAL, 0},
	    {ASYNCSRV_TWICE_FLUSHED, EOK, 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		async_exch_t *exch = async_exchange_begin(main_sess);
		CHECK(exch != NULL);
		sysarg_t got = 0, first = 0, second = 0, refused = 0;
		errno_t rc = async_req_2_1(
		    exch, ASYNCSRV_M_ANSWER_TWICE, 10, cases[i].how, &got);
		errno_t rc2 = async_req_0_3(
		    exch, ASYNCSRV_M_SECOND_ANSWER, &first, &second, &refused);
		async_exchange_end(exch);
		CHECK_RC(rc, EOK);
		CHECK_RC(rc2, EOK);
		CHECK(got == 11); /* the first answer's */
		CHECK_RC((errno_t) first, EOK);
		CHECK_RC((errno_t) second, cases[i].second);
		CHECK(refused == cases[i].refused);
	}
}

/** SYS_IPC_ANSWER_SLOW with a payload it cannot write the delivered answer
 *  back into is EBADMEM and answers nothing: the call keeps its real
 *  answer. */
static void test_async_slow_answer_checks_its_buffer_first(void)
{
	async_exch_t *exch = async_exchange_begin(main_sess);
	CHECK(exch != NULL);
	sysarg_t x1 = 0, slow_rc = 0;
	errno_t rc = async_req_1_2(exch, ASYNCSRV_M_ANSWER_SLOW_RO, 10, &x1, &slow_rc);
	async_exchange_end(exch);
	CHECK_RC(rc, EOK);
	CHECK_RC((errno_t) slow_rc, EBADMEM);
	CHECK(x1 == 11);
}

#define SERVER_RUNNERS	  4 /* asyncsrv's runner threads, runner i on CPU i */
#define RENDEZVOUS_ROUNDS 3

static async_sess_t *runners_sess; /* PARALLEL, to service 5 */

typedef struct {
	sysarg_t round;
	errno_t rc;
	sysarg_t cpu, tid;
} rendezvous_t;

static errno_t rendezvous_caller(void *arg)
{
	rendezvous_t *q = arg;
	async_exch_t *exch = async_exchange_begin(runners_sess);
	if (exch == NULL)
		return ENOMEM;
	q->rc = async_req_2_2(
	    exch, ASYNCSRV_M_RENDEZVOUS, SERVER_RUNNERS, q->round, &q->cpu, &q->tid);
	async_exchange_end(exch);
	return EOK;
}

/** How many different values @a v[0..n-1] holds. */
static unsigned distinct_values(const sysarg_t *v, unsigned n)
{
	unsigned count = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned j = 0;
		while (j < i && v[j] != v[i])
			j++;
		count += j == i;
	}
	return count;
}

/** One round: SERVER_RUNNERS fibrils call M_RENDEZVOUS at once, each on a
 *  connection of its own; every handler holds its runner thread until all
 *  are inside. Joins every caller before it looks at any result. */
static void rendezvous_round(sysarg_t round, unsigned cpus)
{
	rendezvous_t q[SERVER_RUNNERS];
	fid_t f[SERVER_RUNNERS];
	for (unsigned i = 0; i < SERVER_RUNNERS; i++) {
		q[i] = (rendezvous_t){.round = round, .rc = EIO};
		f[i] = fibril_create(rendezvous_caller, &q[i]);
		CHECK(f[i] != NULL);
	}
	for (unsigned i = 0; i < SERVER_RUNNERS; i++)
		fibril_add_ready(f[i]);
	errno_t rc = EOK;
	for (unsigned i = 0; i < SERVER_RUNNERS; i++) {
		errno_t frc = EIO;
		errno_t jrc = fibril_join(f[i], &frc);
		if (rc == EOK)
			rc = jrc != EOK ? jrc : frc;
	}
	CHECK_RC(rc, EOK);
	sysarg_t where[SERVER_RUNNERS], threads[SERVER_RUNNERS];
	for (unsigned i = 0; i < SERVER_RUNNERS; i++) {
		CHECK_RC(q[i].rc, EOK);
		where[i] = q[i].cpu;
		threads[i] = q[i].tid;
	}
	/* All SERVER_RUNNERS handlers were inside at once, so on as many
	 * runner threads, and each runner is pinned to a CPU of its own. */
	CHECK(distinct_values(threads, SERVER_RUNNERS) == SERVER_RUNNERS);
	CHECK(distinct_values(where, SERVER_RUNNERS) ==
	    (cpus < SERVER_RUNNERS ? cpus : SERVER_RUNNERS));
}

/** A server with four runner threads pinned to four CPUs serves four calls
 *  at once: their handlers overlap in time, one on each runner and CPU
 *  (with fewer CPUs, on each CPU there is). */
static void test_async_runners_serve_calls_in_parallel(void)
{
	unsigned cpu, cpus;
	CHECK_RC(cpu_info(&cpu, &cpus), EOK);
	task_id_t task;
	CHECK_RC(start_server("asyncsrv 5 runners 4", SERVICE_RUNNERS, &task), EOK);
	runners_sess = connect_service(SERVICE_RUNNERS, EXCHANGE_PARALLEL);
	CHECK(runners_sess != NULL);
	for (sysarg_t round = 0; round < RENDEZVOUS_ROUNDS; round++) {
		int before = test_failures;
		rendezvous_round(round, cpus);
		if (test_failures != before)
			return; /* reported there */
	}
}

#define HAMMER_CHILDREN 2
#define HAMMER_FIBRILS	16
#define HAMMER_CALLS	200

/** Many client fibrils of three tasks (this one on two runners, two
 *  children on four each) call the four-runner server at once: every answer
 *  carries its own call's values, the server answered each call once and
 *  the kernel refused none of its deferred answers. */
static void test_async_runners_answer_every_call_once(void)
{
	CHECK(runners_sess != NULL);
	sysarg_t echoes0, refused0;
	async_exch_t *exch = async_exchange_begin(runners_sess);
	CHECK_RC(async_req_0_2(exch, ASYNCSRV_M_ECHOES, &echoes0, &refused0), EOK);
	async_exchange_end(exch);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "asynctest hammer %u %u %u", SERVICE_RUNNERS,
	    HAMMER_FIBRILS / 2, HAMMER_CALLS);
	task_id_t child[HAMMER_CHILDREN];
	for (unsigned i = 0; i < HAMMER_CHILDREN; i++)
		CHECK_RC(task_spawn_module(cmd, &child[i]), EOK);
	CHECK_RC(hammer_run(runners_sess, 0, HAMMER_FIBRILS, HAMMER_CALLS), EOK);
	for (unsigned i = 0; i < HAMMER_CHILDREN; i++) {
		task_exit_t how;
		CHECK_RC(task_join(child[i], &how, 60000000), EOK);
		CHECK(how.how == TASK_EXIT_NORMAL && how.status == 0);
	}
	sysarg_t echoes, refused;
	exch = async_exchange_begin(runners_sess);
	CHECK_RC(async_req_0_2(exch, ASYNCSRV_M_ECHOES, &echoes, &refused), EOK);
	async_exchange_end(exch);
	CHECK(echoes - echoes0 ==
	    HAMMER_CALLS * (HAMMER_FIBRILS + HAMMER_CHILDREN * HAMMER_FIBRILS / 2));
	CHECK(refused == refused0);
	CHECK_RC(async_hangup(runners_sess), EOK);
}

#define ORDER_WRITERS 8
#define ORDER_ROUNDS  150
#define ORDER_WAIT    10000000 /* µs */

/** One writer of the keep-order test: on an exchange (a connection) of its
 *  own, M_SINK and its data write sent back to back, each time. A data
 *  write that overtook its M_SINK is refused as an unknown method (the
 *  sink then still waits for one, so one more is sent to end it). */
static errno_t order_writer(void *arg)
{
	async_exch_t *exch = async_exchange_begin(arg);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = EOK;
	for (int i = 0; i < ORDER_ROUNDS && rc == EOK; i++) {
		ipc_call_t answer;
		errno_t retval;
		aid_t aid = async_send_0(exch, ASYNCSRV_M_SINK, &answer);
		rc = async_data_write_start(exch, data_buf, 16);
		if (rc != EOK)
			DISCARD(cleanup, async_data_write_start(exch, data_buf, 16));
		/* Bounded: after two overtakings the sink would wait on. */
		errno_t wrc = async_wait_timeout(aid, &retval, ORDER_WAIT);
		if (wrc != EOK)
			async_forget(aid);
		if (rc == EOK)
			rc = wrc != EOK ? wrc : retval;
	}
	async_exchange_end(exch);
	return rc;
}

/** ORDER_WRITERS writers on session @a sess, all at once, joined: EOK or
 *  the first failure. When @a grow is set, @a grow more runners are
 *  started in the server while their calls flow. */
static errno_t order_writers_run(async_sess_t *sess, unsigned grow)
{
	fid_t f[ORDER_WRITERS];
	for (unsigned i = 0; i < ORDER_WRITERS; i++) {
		f[i] = fibril_create(order_writer, sess);
		if (f[i] == NULL) {
			while (i-- > 0)
				fibril_destroy(f[i]);
			return ENOMEM;
		}
	}
	for (unsigned i = 0; i < ORDER_WRITERS; i++)
		fibril_add_ready(f[i]);
	errno_t rc = EOK;
	if (grow != 0) {
		fibril_usleep(2000); /* the writers' calls are flowing */
		async_exch_t *exch = async_exchange_begin(sess);
		rc = async_req_1_0(exch, ASYNCSRV_M_ADD_RUNNERS, grow);
		async_exchange_end(exch);
	}
	for (unsigned i = 0; i < ORDER_WRITERS; i++) {
		errno_t frc = EIO;
		errno_t jrc = fibril_join(f[i], &frc);
		if (rc == EOK)
			rc = jrc != EOK ? jrc : frc;
	}
	return rc;
}

/** The calls of one connection reach its fibril in the order they were
 *  sent, although the server's four runners (on four CPUs) take them from
 *  its box one each: a data write sent right after its method call is
 *  never handed to the connection before that call. Eight connections at
 *  once, 150 pairs each. */
static void test_async_calls_of_a_connection_keep_their_order(void)
{
	async_sess_t *sess = connect_service(SERVICE_RUNNERS, EXCHANGE_PARALLEL);
	CHECK(sess != NULL);
	CHECK_RC(order_writers_run(sess, 0), EOK);
	CHECK_RC(async_hangup(sess), EOK);
}

/** A server that starts on one runner and gains three more while the
 *  calls of eight connections flow still hands each connection its calls
 *  in their order: the order's count, kept loosely with one runner, is set
 *  as the second starts. */
static void test_async_runners_added_while_calls_flow_keep_the_order(void)
{
	task_id_t task;
	CHECK_RC(start_server("asyncsrv 6 runners 1", SERVICE_GROWING, &task), EOK);
	async_sess_t *sess = connect_service(SERVICE_GROWING, EXCHANGE_PARALLEL);
	CHECK(sess != NULL);
	CHECK_RC(order_writers_run(sess, 3), EOK);
	CHECK_RC(order_writers_run(sess, 0), EOK); /* on the four runners */
	CHECK_RC(async_hangup(sess), EOK);
}

#define KILL_ROUNDS  12
#define KILL_WAIT    10000000 /* µs for a killed child to be seen to end */
#define KILL_FLOWING 50	      /* echoes of the child seen before the kill */

/** The server's M_ECHO count so far, through @a sess. */
static errno_t echoes_so_far(async_sess_t *sess, sysarg_t *n)
{
	async_exch_t *exch = async_exchange_begin(sess);
	sysarg_t refused;
	errno_t rc = async_req_0_2(exch, ASYNCSRV_M_ECHOES, n, &refused);
	async_exchange_end(exch);
	return rc;
}

/** Waits (up to KILL_WAIT) until the server has answered KILL_FLOWING more
 *  echoes than @a before: a child's calls are flowing. */
static errno_t echoes_flowing(async_sess_t *sess, sysarg_t before)
{
	sysarg_t n = before;
	errno_t rc = EOK;
	for (int i = 0; i < KILL_WAIT / 1000 && rc == EOK; i++) {
		rc = echoes_so_far(sess, &n);
		if (rc == EOK && n - before >= KILL_FLOWING)
			return EOK;
		fibril_usleep(1000);
	}
	return rc != EOK ? rc : ETIMEOUT;
}

/** A child calling the four-runner server from its four runner threads
 *  (on several CPUs) is killed while its calls are in flight, again and
 *  again: each time it is seen to end, killed, within 10 s, and the server
 *  answers on. */
static void test_async_clients_killed_mid_call_end(void)
{
	async_sess_t *sess = connect_service(SERVICE_RUNNERS, EXCHANGE_PARALLEL);
	CHECK(sess != NULL);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "asynctest hammer %u %u %u", SERVICE_RUNNERS,
	    HAMMER_FIBRILS / 2, 1000000);
	for (int round = 0; round < KILL_ROUNDS; round++) {
		sysarg_t before;
		CHECK_RC(echoes_so_far(sess, &before), EOK);
		task_id_t child;
		CHECK_RC(task_spawn_module(cmd, &child), EOK);
		errno_t flowing = echoes_flowing(sess, before);
		CHECK_RC(task_kill(child), EOK);
		task_exit_t how;
		CHECK_RC(task_join(child, &how, KILL_WAIT), EOK);
		CHECK_RC(flowing, EOK);
		CHECK(how.how == TASK_EXIT_KILLED);
	}
	CHECK_RC(async_hangup(sess), EOK);
}

static void test_async_deadlock_detected_in_child(void)
{
	child_exits_with("asynctest deadlock", EXIT_ABORT);
}

void async_tests(void)
{
	RUN(test_async_servers_start);
	if (main_sess == NULL)
		return;
	RUN(test_async_ping_pong);
	RUN(test_async_numbered_wrappers);
	RUN(test_async_sync_request_allocates_no_call_record);
	RUN(test_async_parallel_100_fibrils);
	RUN(test_async_serialize_one_exchange_at_a_time);
	RUN(test_async_atomic_exchanges_interleave);
	RUN(test_async_parallel_exchanges_keep_protocols);
	RUN(test_async_sync_requests_race_an_idle_runner);
	RUN(test_async_call_limit_waits_for_a_slot);
	RUN(test_async_data_write_sizes);
	RUN(test_async_sink_write);
	RUN(test_async_data_read_sizes);
	RUN(test_async_share_in_and_out);
	RUN(test_async_forward_through_middleman);
	RUN(test_async_child_client_through_broker);
	RUN(test_async_sync_requests_beside_a_pending_deadline);
	RUN(test_async_server_killed_mid_exchange);
	RUN(test_async_parallel_handover_is_counted_once);
	RUN(test_async_answer_then_exit);
	RUN(test_async_hangup_ends_the_handler);
	RUN(test_async_leftover_calls_get_ehangup);
	RUN(test_async_timeouts_fire);
	RUN(test_async_get_call_timeout_races_a_call);
	RUN(test_async_hangup_ends_a_timed_wait);
	RUN(test_async_server_on_a_missing_cpu_refuses);
	RUN(test_async_callback_connection);
	RUN(test_async_client_data_per_task);
	RUN(test_async_clone_connection);
	RUN(test_async_state_change_names_the_other_connection);
	RUN(test_async_event_notifications);
	RUN(test_async_irq_subscribe);
	RUN(test_async_second_answer_is_an_error);
	RUN(test_async_slow_answer_checks_its_buffer_first);
	RUN(test_async_runners_serve_calls_in_parallel);
	RUN(test_async_runners_answer_every_call_once);
	RUN(test_async_calls_of_a_connection_keep_their_order);
	RUN(test_async_runners_added_while_calls_flow_keep_the_order);
	RUN(test_async_clients_killed_mid_call_end);
	RUN(test_async_deadlock_detected_in_child);
}

/*
 * Measurements for make bench (testtask=asynctest testargs=--bench): under
 * QEMU -icount the TSC counts guest instructions. Printed in bench's format.
 */
static volatile bool bench_stop;

static errno_t bench_yielder(void *arg)
{
	while (!bench_stop)
		fibril_yield();
	return EOK;
}

/** One M_SINK call with a data write of op->size bytes (or an M_SOURCE
 *  call with a data read), client to answer. */
typedef struct {
	async_exch_t *exch;
	size_t size;
	bool read;
	errno_t rc;
} bench_data_t;

static void op_data(void *arg)
{
	bench_data_t *op = arg;
	ipc_call_t answer;
	aid_t aid = async_send_0(
	    op->exch, op->read ? ASYNCSRV_M_SOURCE : ASYNCSRV_M_SINK, &answer);
	errno_t rc = op->read ? async_data_read_start(op->exch, data_buf, op->size)
			      : async_data_write_start(op->exch, data_buf, op->size);
	errno_t retval;
	async_wait_for(aid, &retval);
	if (op->rc == EOK &&
	    (rc != EOK || retval != EOK || ipc_get_arg1(&answer) != op->size))
		op->rc = rc != EOK ? rc : retval != EOK ? retval : EIO;
}

static void bench_data(async_exch_t *exch, size_t size, bool read, const char *name)
{
	bench_data_t op = {.exch = exch, .size = size, .read = read, .rc = EOK};
	bench_measure_n(name, op_data, &op, 50, BENCH_ITERATIONS);
	if (op.rc != EOK)
		printf("bench: %s failed: %s\n", name, str_error(op.rc));
}

static void op_ping(void *arg)
{
	sysarg_t r;
	DISCARD(measured, async_req_1_1(arg, ASYNCSRV_M_PING, 1, &r));
}

/** @a depth pings sent before the first answer is collected, per call. */
static void bench_outstanding(async_sess_t *sess, unsigned depth, const char *name)
{
	async_exch_t *exch = async_exchange_begin(sess);
	aid_t aids[64];
	for (int round = 0; round < BENCH_WARMUP / 8 + BENCH_ITERATIONS / 8; round++) {
		uint64_t t0 = bench_tsc();
		for (unsigned i = 0; i < depth; i++)
			aids[i] = async_send_1(exch, ASYNCSRV_M_PING, i, NULL);
		for (unsigned i = 0; i < depth; i++)
			async_wait_for(aids[i], NULL);
		if (round >= BENCH_WARMUP / 8)
			bench_record(round - BENCH_WARMUP / 8, t0, bench_tsc());
	}
	async_exchange_end(exch);
	bench_report(name, BENCH_ITERATIONS / 8, depth);
}

static void op_fibril_mutex(void *arg)
{
	fibril_mutex_lock(arg);
	fibril_mutex_unlock(arg);
}

static void thread_nothing(void *arg)
{
}

static FIBRIL_MUTEX_INITIALIZE(contended_lock);
static volatile bool contender_stop;

/** Holds the lock across a yield, so the measuring fibril finds it taken. */
static errno_t bench_contender(void *arg)
{
	while (!contender_stop) {
		fibril_mutex_lock(&contended_lock);
		fibril_yield();
		fibril_mutex_unlock(&contended_lock);
		fibril_yield();
	}
	return EOK;
}

/** fibril_mutex lock + unlock while another fibril holds the lock: the
 *  lock blocks, the holder runs, releases it (waking us) and yields. */
static void bench_mutex_contended(void)
{
	fid_t f = fibril_create(bench_contender, NULL);
	if (f == 0)
		return;
	fibril_add_ready(f);
	for (int i = -BENCH_WARMUP; i < BENCH_ITERATIONS; i++) {
		fibril_yield(); /* the contender takes the lock */
		uint64_t t0 = bench_tsc();
		fibril_mutex_lock(&contended_lock);
		fibril_mutex_unlock(&contended_lock);
		uint64_t t1 = bench_tsc();
		if (i >= 0)
			bench_record(i, t0, t1);
	}
	contender_stop = true;
	fibril_yield();
	fibril_yield();
	bench_report("fibril-mutex-contended", BENCH_ITERATIONS, 1);
}

static void op_thread_create_join(void *arg)
{
	thread_id_t t;
	if (thread_create(thread_nothing, NULL, "bench", &t) == EOK)
		DISCARD(cleanup, thread_join(t));
}

#define SERVICE_CPU0 20 /* the cross-core benchmark's servers */
#define SERVICE_CPU1 21

/** async_req_1_1 to a server whose threads are pinned to CPU @a cpu, from
 *  this task pinned to CPU 0, as bench case @a name. */
static void bench_ping_on(unsigned cpu, sysarg_t service, const char *name)
{
	char cmd[32];
	task_id_t task;
	snprintf(cmd, sizeof(cmd), "asyncsrv %lu cpu %u", (unsigned long) service, cpu);
	async_sess_t *sess = start_server(cmd, service, &task) == EOK
	    ? connect_service(service, EXCHANGE_SERIALIZE)
	    : NULL;
	if (sess == NULL) {
		printf("bench: %s: cannot start its server\n", name);
		return;
	}
	async_exch_t *exch = async_exchange_begin(sess);
	bench_measure(name, op_ping, exch);
	async_exchange_end(exch);
	DISCARD(cleanup, async_hangup(sess));
}

int async_bench_cross(void)
{
	unsigned cpu, cpus;
	errno_t rc = cpu_info(&cpu, &cpus);
	if (rc == EOK && cpus < 2)
		rc = ENOTSUP;
	if (rc == EOK)
		rc = thread_set_affinity(1);
	if (rc != EOK) {
		printf("bench: the cross-core cases need two CPUs: %s\n", str_error(rc));
		return 1;
	}
	bench_calibrate();
	bench_ping_on(0, SERVICE_CPU0, "async-req-1-1-same-cpu");
	bench_ping_on(1, SERVICE_CPU1, "async-req-1-1-cross-cpu");
	return 0;
}

void async_bench(void)
{
	bench_calibrate();
	test_async_servers_start();
	async_exch_t *exch = async_exchange_begin(main_sess);
	bench_measure("async-req-1-1", op_ping, exch);
	bench_data(exch, 64, false, "data-write-64");
	bench_data(exch, 4096, false, "data-write-4k");
	bench_data(exch, IPC_DATA_MAX, false, "data-write-64k");
	bench_data(exch, 64, true, "data-read-64");
	bench_data(exch, 4096, true, "data-read-4k");
	bench_data(exch, IPC_DATA_MAX, true, "data-read-64k");
	async_exchange_end(exch);
	bench_outstanding(main_sess, 8, "async-throughput-8");
	bench_outstanding(main_sess, 64, "async-throughput-64");
	async_sess_t *middle = connect_service(SERVICE_MIDDLE, EXCHANGE_SERIALIZE);
	if (middle != NULL) {
		exch = async_exchange_begin(middle);
		bench_measure("async-forward-1", op_ping, exch);
		async_exchange_end(exch);
		DISCARD(cleanup, async_hangup(middle));
	}
	static FIBRIL_MUTEX_INITIALIZE(bench_lock);
	bench_measure("fibril-mutex-pair", op_fibril_mutex, &bench_lock);
	bench_mutex_contended();
	bench_measure_n("thread-create-join", op_thread_create_join, NULL, 10, 200);

	/* Two fibrils yielding to each other: one yield = one fibril switch. */
	fid_t f = fibril_create(bench_yielder, NULL);
	fibril_add_ready(f);
	for (int i = 0; i < BENCH_WARMUP; i++)
		fibril_yield();
	for (int i = 0; i < BENCH_ITERATIONS; i++) {
		uint64_t t0 = bench_tsc();
		fibril_yield();
		bench_record(i, t0, bench_tsc());
	}
	bench_stop = true;
	fibril_yield();
	bench_report("fibril-switch", BENCH_ITERATIONS, 2);
}
