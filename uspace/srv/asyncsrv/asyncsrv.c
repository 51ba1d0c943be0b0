/*
 * asyncsrv: the async framework's test server (protocol in asyncsrv.h).
 *
 *   asyncsrv SERVICE                    serves ASYNCSRV_IFACE
 *   asyncsrv SERVICE middle BACKEND     the same, but passes M_PING and
 *                                       M_WRITE on to service BACKEND
 *   asyncsrv SERVICE runners K          the same on K runner threads, runner
 *                                       i pinned to CPU i (mod the CPUs)
 *   asyncsrv SERVICE cpu C              the same, every thread pinned to
 *                                       CPU C (the cross-core benchmark)
 *
 * It registers as SERVICE with the task behind phone 1 (asynctest plays the
 * naming service) through a callback connection, and serves on two runner
 * threads unless told otherwise.
 */
#include "asyncsrv.h"
#include <as.h>
#include <async.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <time.h>
#include <getopt.h>

#define USAGE	    "[SERVICE [middle BACKEND | runners K | cpu C]] (a test server)"
#define RUNNERS_MAX 64

#define SHARE_PAGE 4096

typedef struct held {
	link_t link;
	ipc_call_t call;
} held_t;

static FIBRIL_MUTEX_INITIALIZE(state_lock);
static list_t held_calls = LIST_INITIALIZER(held_calls);
static sysarg_t hangups_seen, timeouts_fired, conns_open;
static async_sess_t *backend;		  /* middle mode */
static sysarg_t echoes;			  /* M_ECHO calls answered (atomic) */
static sysarg_t arrived[ASYNCSRV_ROUNDS]; /* M_RENDEZVOUS calls per round (atomic) */

static void count(sysarg_t *counter, long delta)
{
	fibril_mutex_lock(&state_lock);
	*counter += delta;
	fibril_mutex_unlock(&state_lock);
}

static void hold(ipc_call_t *call)
{
	held_t *h = malloc(sizeof(*h));
	if (h == NULL) {
		DISCARD(answer, async_answer_0(call, ENOMEM));
		return;
	}
	h->call = *call;
	fibril_mutex_lock(&state_lock);
	list_append(&h->link, &held_calls);
	fibril_mutex_unlock(&state_lock);
}

static void release(ipc_call_t *call)
{
	list_t calls;
	list_initialize(&calls);
	fibril_mutex_lock(&state_lock);
	while (!list_empty(&held_calls)) {
		link_t *l = list_first(&held_calls);
		list_remove(l);
		list_append(l, &calls);
	}
	fibril_mutex_unlock(&state_lock);
	sysarg_t n = 0;
	while (!list_empty(&calls)) {
		held_t *h = list_get_instance(list_first(&calls), held_t, link);
		list_remove(&h->link);
		if (async_answer_0(&h->call, EOK) == EOK)
			n++;
		free(h);
	}
	DISCARD(answer, async_answer_1(call, EOK, n));
}

static void write_data(ipc_call_t *call)
{
	void *data;
	size_t size;
	errno_t rc = async_data_write_accept(&data, false, 0, IPC_DATA_MAX, 0, &size);
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(call, rc));
		return;
	}
	DISCARD(answer, async_answer_2(call, EOK, size, asyncsrv_checksum(data, size)));
	free(data);
}

/* Target of M_SINK writes and source of M_SOURCE reads; concurrent writers
 * may overlap, what readers get is unspecified. */
static unsigned char sink_buf[IPC_DATA_MAX];

/** Takes a data write without allocating or looking at it. */
static void sink_data(ipc_call_t *call)
{
	ipc_call_t wcall;
	size_t size;
	if (!async_data_write_receive_for(call, &wcall, &size))
		return;
	errno_t rc = async_data_write_finalize(&wcall, sink_buf, size);
	DISCARD(answer, async_answer_1(call, rc, size));
}

/** Answers a data read from sink_buf without preparing anything. */
static void source_data(ipc_call_t *call)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive(&rcall, &size) || size > sizeof(sink_buf)) {
		DISCARD(answer, async_answer_0(&rcall, EINVAL));
		DISCARD(answer, async_answer_0(call, EINVAL));
		return;
	}
	errno_t rc = async_data_read_finalize(&rcall, sink_buf, size);
	DISCARD(answer, async_answer_1(call, rc, size));
}

static void read_data(ipc_call_t *call)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive_for(call, &rcall, &size))
		return;
	unsigned char *buf = malloc(size + 1);
	if (buf == NULL) {
		DISCARD(answer, async_answer_0(&rcall, ENOMEM));
		DISCARD(answer, async_answer_0(call, ENOMEM));
		return;
	}
	for (size_t i = 0; i < size; i++)
		buf[i] = asyncsrv_pattern(call->args[0], i);
	errno_t rc = async_data_read_finalize(&rcall, buf, size);
	free(buf);
	DISCARD(answer, async_answer_1(call, rc, size));
}

static void share_in(ipc_call_t *call)
{
	size_t size = call->args[1];
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = as_area_create(
	    &base, size, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE);
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(call, rc));
		return;
	}
	unsigned char *p = (unsigned char *) base;
	for (size_t i = 0; i < size; i++)
		p[i] = asyncsrv_pattern(call->args[3], i);
	DISCARD(answer, async_share_in_finalize(call, p));
	DISCARD(
	    cleanup, as_area_destroy(base)); /* the client's mapping keeps the memory */
}

static void share_check(ipc_call_t *call)
{
	ipc_call_t scall;
	size_t size;
	unsigned flags;
	if (!async_share_out_receive(&scall, &size, &flags)) {
		DISCARD(answer, async_answer_0(&scall, EINVAL));
		DISCARD(answer, async_answer_0(call, EINVAL));
		return;
	}
	void *dst;
	errno_t rc = async_share_out_finalize(&scall, &dst);
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(call, rc));
		return;
	}
	unsigned char *p = dst;
	for (size_t i = sizeof(uint64_t); i < size && rc == EOK; i++) {
		if (p[i] != asyncsrv_pattern(call->args[0], i))
			rc = EPARTY;
	}
	*(volatile uint64_t *) p = ASYNCSRV_MARK;
	DISCARD(cleanup, as_area_destroy((uintptr_t) dst));
	DISCARD(answer, async_answer_0(call, rc));
}

static void callback_ping(ipc_call_t *call, async_sess_t *cb)
{
	async_exch_t *exch = async_exchange_begin(cb);
	sysarg_t r = 0;
	errno_t rc = exch != NULL
	    ? async_req_1_1(exch, ASYNCSRV_M_PING, call->args[0], &r)
	    : ENOENT;
	async_exchange_end(exch);
	DISCARD(answer, async_answer_1(call, rc, r));
}

static void take_clone(ipc_call_t *call)
{
	async_sess_t *clone = async_clone_receive(EXCHANGE_SERIALIZE);
	if (clone == NULL) {
		DISCARD(answer, async_answer_0(call, EINVAL));
		return;
	}
	async_exch_t *exch = async_exchange_begin(clone);
	sysarg_t r = 0;
	errno_t rc = async_req_1_1(exch, ASYNCSRV_M_PING, 41, &r);
	async_exchange_end(exch);
	errno_t hrc = async_hangup(clone);
	DISCARD(answer, async_answer_1(call, rc != EOK ? rc : hrc, r));
}

static void client_bump(ipc_call_t *call)
{
	sysarg_t *counter = async_get_client_data();
	if (counter == NULL) {
		DISCARD(answer, async_answer_0(call, ENOMEM));
		return;
	}
	DISCARD(answer,
	    async_answer_1(call, EOK, __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED)));
}

/** Middle mode: M_PING goes on to the backend unchanged. */
static void forward_ping(ipc_call_t *call)
{
	async_exch_t *exch = async_exchange_begin(backend);
	errno_t rc = async_forward_0(call, exch, 0, 0);
	async_exchange_end(exch);
	if (rc != EOK)
		DISCARD(answer, async_answer_0(call, rc));
}

/** Middle mode: M_WRITE's data goes to the backend without passing here. */
static void forward_write(ipc_call_t *call)
{
	async_exch_t *exch = async_exchange_begin(backend);
	ipc_call_t answer;
	errno_t rc = async_data_write_forward_fast(
	    exch, ASYNCSRV_M_WRITE, 0, 0, 0, 0, &answer);
	async_exchange_end(exch);
	DISCARD(answer, async_answer_2(call, rc, answer.args[0], answer.args[1]));
}

/* What the last M_ANSWER_TWICE saw, for M_SECOND_ANSWER. */
static errno_t first_answer_rc, second_answer_rc;
static unsigned long answers_refused;

/** M_ANSWER_TWICE: answers @a call with x + 1, then x + 2 as @a how says,
 *  and sends whatever is deferred before it returns, so every refusal is
 *  counted by then. */
static void answer_twice(ipc_call_t *call, sysarg_t x, sysarg_t how)
{
	ipc_call_t copy = *call;
	unsigned long refused = fibril_refused_answers();
	first_answer_rc = async_answer_1(call, EOK, x + 1);
	if (how == ASYNCSRV_TWICE_FLUSHED)
		fibril_flush_answer();
	second_answer_rc = async_answer_1(
	    how == ASYNCSRV_TWICE_SAME ? call : &copy, EOK, x + 2);
	fibril_flush_answer();
	answers_refused = fibril_refused_answers() - refused;
}

/** M_ANSWER_SLOW_RO: the slow answer must refuse a payload it cannot write
 *  the delivered answer back into before it answers anything; the call is
 *  then answered as usual. */
static void answer_slow_readonly(ipc_call_t *call)
{
	uintptr_t ro = AS_AREA_ANY;
	errno_t rc = as_area_create(&ro, 4096, AS_AREA_READ);
	if (rc == EOK) {
		(void) *(volatile sysarg_t *) ro; /* readable: only the write fails */
		sysarg_t r[10] = {call->cap, ro};
		rc = (errno_t) __syscall_ipc(SYS_IPC_ANSWER_SLOW, r);
		DISCARD(cleanup, as_area_destroy(ro));
	}
	DISCARD(answer, async_answer_2(call, EOK, call->args[0] + 1, (sysarg_t) rc));
}

typedef struct {
	sysarg_t last_method;
	sysarg_t last_tag;
	async_sess_t *callback;
} conn_state_t;

/** M_RENDEZVOUS: counts itself into @a round and keeps its runner thread
 *  (never yielding to another fibril, so no other handler runs on it) until
 *  @a k calls of the round are inside at once: k handlers then overlap in
 *  time, each on a runner thread of its own. */
static void rendezvous(ipc_call_t *call, sysarg_t k, sysarg_t round)
{
	if (k == 0 || round >= ASYNCSRV_ROUNDS) {
		DISCARD(answer, async_answer_0(call, EINVAL));
		return;
	}
	__atomic_add_fetch(&arrived[round], 1, __ATOMIC_ACQ_REL);
	uint64_t deadline = fibril_deadline(ASYNCSRV_RENDEZVOUS_USEC);
	while (__atomic_load_n(&arrived[round], __ATOMIC_ACQUIRE) < k &&
	    clock_ns() < deadline)
		thread_yield();
	unsigned cpu, cpus;
	errno_t rc = cpu_info(&cpu, &cpus);
	if (rc == EOK && __atomic_load_n(&arrived[round], __ATOMIC_ACQUIRE) < k)
		rc = ETIMEOUT;
	DISCARD(answer, async_answer_2(call, rc, cpu, thread_get_id()));
}

/** Handles one call; false when the connection is to end. */
static bool handle(ipc_call_t *call, conn_state_t *st)
{
	sysarg_t *a = call->args;
	switch (call->imethod) {
	case ASYNCSRV_M_PING:
		if (backend != NULL)
			forward_ping(call);
		else
			DISCARD(answer, async_answer_1(call, EOK, a[0] + 1));
		break;
	case ASYNCSRV_M_ECHO:
		/* Counted first: a client that has its answer finds it counted. */
		__atomic_add_fetch(&echoes, 1, __ATOMIC_RELAXED);
		DISCARD(answer,
		    async_answer_5(
			call, EOK, a[0] + 1, a[1] + 2, a[2] + 3, a[3] + 4, a[4] + 5));
		break;
	case ASYNCSRV_M_RENDEZVOUS:
		rendezvous(call, a[0], a[1]);
		break;
	case ASYNCSRV_M_ECHOES:
		DISCARD(answer,
		    async_answer_2(call, EOK, __atomic_load_n(&echoes, __ATOMIC_RELAXED),
			fibril_refused_answers()));
		break;
	case ASYNCSRV_M_ADD_RUNNERS:
		DISCARD(answer,
		    async_answer_0(call,
			a[0] <= RUNNERS_MAX ? fibril_spawn_runners((unsigned) a[0])
					    : EINVAL));
		break;
	case ASYNCSRV_M_SLEEP:
		fibril_usleep(a[0]);
		DISCARD(answer, async_answer_0(call, EOK));
		break;
	case ASYNCSRV_M_HOLD:
		hold(call);
		break;
	case ASYNCSRV_M_RELEASE:
		release(call);
		break;
	case ASYNCSRV_M_BEGIN:
		st->last_tag = a[0];
		DISCARD(answer, async_answer_0(call, EOK));
		break;
	case ASYNCSRV_M_END:
		DISCARD(answer,
		    async_answer_0(call,
			st->last_method == ASYNCSRV_M_BEGIN && st->last_tag == a[0]
			    ? EOK
			    : EPARTY));
		break;
	case ASYNCSRV_M_WRITE:
		if (backend != NULL)
			forward_write(call);
		else
			write_data(call);
		break;
	case ASYNCSRV_M_READ:
		read_data(call);
		break;
	case IPC_M_SHARE_IN:
		share_in(call);
		break;
	case ASYNCSRV_M_SHARE_CHECK:
		share_check(call);
		break;
	case ASYNCSRV_M_QUIT:
		fibril_usleep(a[0]);
		DISCARD(answer, async_answer_0(call, EOK));
		return false;
	case ASYNCSRV_M_STATS:
		fibril_mutex_lock(&state_lock);
		DISCARD(answer,
		    async_answer_3(call, EOK, hangups_seen, timeouts_fired, conns_open));
		fibril_mutex_unlock(&state_lock);
		break;
	case ASYNCSRV_M_CALLBACK_PING:
		if (st->callback == NULL)
			DISCARD(answer, async_answer_0(call, ENOENT));
		else
			callback_ping(call, st->callback);
		break;
	case ASYNCSRV_M_CLIENT_BUMP:
		client_bump(call);
		break;
	case ASYNCSRV_M_SINK:
		sink_data(call);
		break;
	case ASYNCSRV_M_SOURCE:
		source_data(call);
		break;
	case ASYNCSRV_M_LABEL:
		DISCARD(answer, async_answer_1(call, EOK, async_get_label()));
		break;
	case ASYNCSRV_M_EXIT:
		DISCARD(answer, async_answer_1(call, EOK, a[0] + 1));
		exit((int) a[0]); /* the answer must still go out */
	case ASYNCSRV_M_TAKE_CLONE:
		take_clone(call);
		break;
	case ASYNCSRV_M_ANSWER_SLOW_RO:
		answer_slow_readonly(call);
		break;
	case ASYNCSRV_M_ANSWER_TWICE:
		answer_twice(call, a[0], a[1]);
		break;
	case ASYNCSRV_M_SECOND_ANSWER:
		DISCARD(answer,
		    async_answer_3(call, EOK, (sysarg_t) first_answer_rc,
			(sysarg_t) second_answer_rc, answers_refused));
		break;
	case IPC_M_STATE_CHANGE_AUTHORIZE:
		DISCARD(answer, async_answer_0(call, a[0] == a[1] ? EOK : EPARTY));
		break;
	case IPC_M_CONNECT_TO_ME:
		if (st->callback == NULL)
			st->callback = async_callback_receive_start(
			    EXCHANGE_SERIALIZE, call);
		DISCARD(
		    answer, async_answer_0(call, st->callback != NULL ? EOK : ENOMEM));
		break;
	default:
		DISCARD(answer, async_answer_0(call, ENOTSUP));
		break;
	}
	st->last_method = call->imethod;
	return true;
}

/** One connection: its calls in turn until the client hangs up. */
static void conn_handler(ipc_call_t *icall, void *arg)
{
	DISCARD(answer, async_accept_0(icall));
	count(&conns_open, 1);
	conn_state_t st = {0};
	ipc_call_t call;
	bool have = false;
	for (;;) {
		if (!have)
			async_get_call(&call);
		have = false;
		if (call.imethod == 0) {
			count(&hangups_seen, 1);
			break;
		}
		if (call.imethod == ASYNCSRV_M_TIMEOUT_PROBE) {
			DISCARD(answer, async_answer_0(&call, EOK));
			have = async_get_call_timeout(&call, call.args[0]);
			if (!have)
				count(&timeouts_fired, 1);
			continue;
		}
		if (!handle(&call, &st))
			break;
	}
	if (st.callback != NULL)
		DISCARD(cleanup, async_hangup(st.callback));
	count(&conns_open, -1);
}

static void *client_data_create(void)
{
	return calloc(1, sizeof(sysarg_t));
}

/** Registers as @a service with the task behind phone 1. */
static errno_t register_service(sysarg_t service)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_create_callback_port(
	    exch, ASYNCSRV_IFACE, service, 0, conn_handler, NULL, NULL);
	async_exchange_end(exch);
	return rc;
}

static errno_t connect_backend(sysarg_t service)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	errno_t rc;
	backend = async_connect_me_to_blocking(
	    EXCHANGE_SERIALIZE, exch, ASYNCSRV_IFACE, service, 0, &rc);
	async_exchange_end(exch);
	return rc;
}

/** Runs on @a k runner threads (this one and k - 1 more), runner i pinned to
 *  CPU i modulo the CPUs running. */
static errno_t spawn_pinned_runners(unsigned long k)
{
	unsigned cpu, cpus;
	errno_t rc = cpu_info(&cpu, &cpus);
	if (rc != EOK)
		return rc;
	if (k == 0 || k > RUNNERS_MAX || cpus == 0 || cpus > 64)
		return EINVAL;
	rc = thread_set_affinity(1);
	uint64_t masks[RUNNERS_MAX];
	for (unsigned i = 1; i < k; i++)
		masks[i - 1] = 1ull << (i % cpus);
	return rc == EOK ? fibril_spawn_runners_pinned(k - 1, masks) : rc;
}

/** Runs on two runner threads, both pinned to CPU @a cpu (EINVAL if no
 *  such CPU runs). */
static errno_t spawn_runners_on(unsigned long cpu)
{
	if (cpu >= 64)
		return EINVAL;
	uint64_t mask = 1ull << cpu;
	errno_t rc = thread_set_affinity(mask);
	return rc == EOK ? fibril_spawn_runners_pinned(1, &mask) : rc;
}

/** The runner threads of the mode named by @a argv. */
static errno_t spawn_runners(int argc, char *argv[])
{
	if (argc > 3 && strcmp(argv[2], "runners") == 0)
		return spawn_pinned_runners(strtoul(argv[3], NULL, 10));
	if (argc > 3 && strcmp(argv[2], "cpu") == 0)
		return spawn_runners_on(strtoul(argv[3], NULL, 10));
	return fibril_spawn_runners(1);
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	sysarg_t service = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
	errno_t rc = spawn_runners(argc, argv);
	async_set_client_data_constructor(client_data_create);
	async_set_client_data_destructor(free);
	if (rc == EOK)
		rc = async_create_port(ASYNCSRV_IFACE, conn_handler, NULL, NULL);
	if (rc == EOK && argc > 3 && strcmp(argv[2], "middle") == 0)
		rc = connect_backend(strtoul(argv[3], NULL, 10));
	if (rc == EOK)
		rc = register_service(service);
	if (rc != EOK) {
		printf("asyncsrv %lu: cannot start: %s\n", (unsigned long) service,
		    strerror(rc));
		return 1;
	}
	async_manager();
}
