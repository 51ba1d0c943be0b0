/*
 * asynctest's child modes, started by the tests as `asynctest MODE ...`:
 *   client SERVICE   finds SERVICE through phone 1 (our broker) and pings it
 *   deadlock         two fibrils lock two mutexes in opposite orders
 *   exit STATUS      exits with STATUS
 *   hammer SERVICE FIBRILS CALLS
 *                    FIBRILS fibrils on four runners make CALLS checked
 *                    M_ECHO calls each on a parallel session to SERVICE
 *   timed SERVICE    one runner: pings and slow calls to SERVICE while a
 *                    ticker fibril sleeps in short steps
 */
#include "asynctest.h"
#include "../../srv/asyncsrv/asyncsrv.h"
#include <fibril_synch.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define CLIENT_PINGS 200

static int client_child(sysarg_t service)
{
	errno_t rc;
	async_sess_t *sess = registrar_connect(
	    EXCHANGE_SERIALIZE, ASYNCSRV_IFACE, service, true, &rc);
	if (sess == NULL) {
		printf("asynctest client: cannot connect: %s\n", str_error(rc));
		return 1;
	}
	async_exch_t *exch = async_exchange_begin(sess);
	sysarg_t r = 0;
	for (sysarg_t i = 0; i < CLIENT_PINGS && rc == EOK; i++) {
		rc = async_req_1_1(exch, ASYNCSRV_M_PING, i, &r);
		if (rc == EOK && r != i + 1)
			rc = EPARTY;
	}
	async_exchange_end(exch);
	errno_t hrc = async_hangup(sess);
	if (rc != EOK || hrc != EOK) {
		printf(
		    "asynctest client: %s, hang-up %s\n", str_error(rc), str_error(hrc));
		return 1;
	}
	return 0;
}

#define TIMED_ROUNDS	40
#define TIMED_TICK_USEC 500
#define TIMED_SLOW_USEC 3000
#define TIMED_TICKS	200

static volatile bool timed_done;
static volatile unsigned timed_ticks;

/** Sleeps in short steps until the requests are done (or TIMED_TICKS
 *  steps), so a fibril deadline is pending during most of them. */
static errno_t timed_ticker(void *arg)
{
	while (!timed_done && timed_ticks < TIMED_TICKS) {
		fibril_usleep(TIMED_TICK_USEC);
		timed_ticks++;
	}
	return EOK;
}

/** Pings and slow calls (the server sleeps TIMED_SLOW_USEC first) on one
 *  exchange of @a sess, every answer checked. */
static errno_t timed_requests(async_sess_t *sess)
{
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc = EOK;
	for (sysarg_t i = 0; i < TIMED_ROUNDS && rc == EOK; i++) {
		sysarg_t r = 0;
		rc = async_req_1_1(exch, ASYNCSRV_M_PING, i, &r);
		if (rc == EOK && r != i + 1)
			rc = EPARTY;
		if (rc == EOK)
			rc = async_req_1_0(exch, ASYNCSRV_M_SLEEP, TIMED_SLOW_USEC);
	}
	async_exchange_end(exch);
	return rc;
}

/**
 * A task of one runner whose synchronous requests are made while another
 * fibril's deadline is pending: call-and-wait then waits for the task's
 * next event with that deadline as its timeout (fibril_call_and_wait()).
 * A wait the deadline ends first returns with the call sent and its answer
 * still due: the requester blocks, the ticker runs, and the answer reaches
 * the requester later through the runner's own wait and the manager. Every
 * answer must arrive, right, and the ticker must get to run.
 */
static int timed_child(sysarg_t service)
{
	errno_t rc;
	async_sess_t *sess = registrar_connect(
	    EXCHANGE_SERIALIZE, ASYNCSRV_IFACE, service, true, &rc);
	fid_t ticker = sess != NULL ? fibril_create(timed_ticker, NULL) : NULL;
	if (ticker == NULL) {
		printf("asynctest timed: cannot start: %s\n", str_error(rc));
		return 1;
	}
	fibril_add_ready(ticker);
	rc = timed_requests(sess);
	timed_done = true;
	errno_t jrc = fibril_join(ticker, NULL);
	errno_t hrc = async_hangup(sess);
	if (rc != EOK || jrc != EOK || hrc != EOK || timed_ticks == 0) {
		printf("asynctest timed: %s, join %s, hang-up %s, %u ticks\n",
		    str_error(rc), str_error(jrc), str_error(hrc), timed_ticks);
		return 1;
	}
	return 0;
}

typedef struct {
	async_sess_t *sess;
	uint64_t id;
	unsigned calls;
} hammer_t;

/** M_ECHO calls, each on an exchange of its own, with values unique to
 *  this fibril and call: an answer lost, doubled or given to the wrong call
 *  shows as a hang, a refusal or a wrong value. */
static errno_t hammer_fibril(void *arg)
{
	hammer_t *h = arg;
	errno_t rc = EOK;
	for (uint64_t i = 0; i < h->calls && rc == EOK; i++) {
		const sysarg_t in[5] = {h->id << 32 | i, i, h->id, i * 3, ~i};
		sysarg_t r[5] = {0};
		async_exch_t *exch = async_exchange_begin(h->sess);
		if (exch == NULL)
			return ENOMEM;
		rc = async_req_5_5(exch, ASYNCSRV_M_ECHO, in[0], in[1], in[2], in[3],
		    in[4], &r[0], &r[1], &r[2], &r[3], &r[4]);
		async_exchange_end(exch);
		for (unsigned k = 0; k < 5 && rc == EOK; k++) {
			if (r[k] != in[k] + k + 1)
				rc = EPARTY;
		}
	}
	return rc;
}

errno_t hammer_run(async_sess_t *sess, uint64_t id, unsigned fibrils, unsigned calls)
{
	hammer_t h[HAMMER_FIBRILS_MAX];
	fid_t f[HAMMER_FIBRILS_MAX];
	if (fibrils > HAMMER_FIBRILS_MAX)
		return EINVAL;
	unsigned started = 0;
	for (; started < fibrils; started++) {
		h[started] = (hammer_t){sess, id * HAMMER_FIBRILS_MAX + started, calls};
		f[started] = fibril_create(hammer_fibril, &h[started]);
		if (f[started] == NULL)
			break;
		fibril_add_ready(f[started]);
	}
	errno_t rc = started == fibrils ? EOK : ENOMEM;
	for (unsigned i = 0; i < started; i++) {
		errno_t frc = EIO;
		errno_t jrc = fibril_join(f[i], &frc);
		if (rc == EOK)
			rc = jrc != EOK ? jrc : frc;
	}
	return rc;
}

static int hammer_child(sysarg_t service, unsigned fibrils, unsigned calls)
{
	errno_t rc = fibril_spawn_runners(3);
	async_sess_t *sess = rc == EOK
	    ? registrar_connect(EXCHANGE_PARALLEL, ASYNCSRV_IFACE, service, true, &rc)
	    : NULL;
	if (sess != NULL)
		rc = hammer_run(sess, task_get_id(), fibrils, calls);
	errno_t hrc = sess != NULL ? async_hangup(sess) : EOK;
	if (rc != EOK || hrc != EOK) {
		printf(
		    "asynctest hammer: %s, hang-up %s\n", str_error(rc), str_error(hrc));
		return 1;
	}
	return 0;
}

static FIBRIL_MUTEX_INITIALIZE(first);
static FIBRIL_MUTEX_INITIALIZE(second);

static errno_t lock_both(void *arg)
{
	bool reverse = arg != NULL;
	fibril_mutex_lock(reverse ? &second : &first);
	fibril_usleep(10000); /* the other fibril takes its first mutex */
	fibril_mutex_lock(reverse ? &first : &second);
	return EOK;
}

static int deadlock_child(void)
{
	fid_t a = fibril_create(lock_both, NULL);
	fid_t b = fibril_create(lock_both, (void *) 1);
	if (a == NULL || b == NULL)
		return 1;
	fibril_add_ready(a);
	fibril_add_ready(b);
	/* Never returns: the detector aborts the task. */
	errno_t rc = fibril_join(a, NULL);
	if (rc == EOK)
		rc = fibril_join(b, NULL);
	if (rc != EOK)
		printf("asynctest deadlock: join: %s\n", str_error(rc));
	printf("asynctest deadlock: no deadlock was detected\n");
	return 1;
}

int child_main(int argc, char *argv[])
{
	if (strcmp(argv[1], "client") == 0 && argc > 2)
		return client_child(strtoul(argv[2], NULL, 10));
	if (strcmp(argv[1], "timed") == 0 && argc > 2)
		return timed_child(strtoul(argv[2], NULL, 10));
	if (strcmp(argv[1], "deadlock") == 0)
		return deadlock_child();
	if (strcmp(argv[1], "hammer") == 0 && argc > 4)
		return hammer_child(strtoul(argv[2], NULL, 10),
		    strtoul(argv[3], NULL, 10), strtoul(argv[4], NULL, 10));
	if (strcmp(argv[1], "exit") == 0 && argc > 2)
		return atoi(argv[2]);
	printf("asynctest: unknown mode %s\n", argv[1]);
	return 1;
}
