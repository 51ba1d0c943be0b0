/*
 * Share-in cases: a client asks a server task for an area
 * (async_share_in_start, IPC_M_SHARE_IN) and the server answers with one it
 * keeps (async_share_in_finalize). A case times the call to its answer,
 * when the server's area is mapped into the client; the client then checks
 * a byte of it and unmaps it, outside the timed part. Areas are
 * demand-paged, so the mapping itself touches no page.
 *
 * The server is `bench --share-server`, spawned through the loader; it
 * registers BENCH_SHARE_SERVICE with the naming service and reports ready.
 */
#include "bench.h"
#include <as.h>
#include <async.h>
#include <benchmark.h>
#include <ns.h>
#include <stdio.h>
#include <string.h>
#include <task.h>

#define SHARE_SMALL (4u << 10)
#define SHARE_LARGE (1u << 20)
#define SHARE_MARK  0x5a /* the first byte of each of the server's areas */

/* The server's two areas, made once; a request gets the smallest that
 * holds what it asks for. */
static uintptr_t server_area[2];
static const size_t server_size[2] = {SHARE_SMALL, SHARE_LARGE};

static errno_t server_areas_create(void)
{
	for (int i = 0; i < 2; i++) {
		server_area[i] = AS_AREA_ANY;
		errno_t rc = as_area_create(&server_area[i], server_size[i],
		    AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE);
		if (rc != EOK)
			return rc;
		*(volatile unsigned char *) server_area[i] = SHARE_MARK;
	}
	return EOK;
}

/** Answers share-in @a call with an area of at least the size asked for;
 *  ELIMIT when it asks for more than the largest. */
static void server_share_in(ipc_call_t *call)
{
	size_t size = ipc_get_arg2(call);
	for (int i = 0; i < 2; i++) {
		if (size <= server_size[i]) {
			DISCARD(answer,
			    async_share_in_finalize(call, (void *) server_area[i]));
			return;
		}
	}
	DISCARD(answer, async_answer_0(call, ELIMIT));
}

static void server_connection(ipc_call_t *icall, void *arg)
{
	DISCARD(answer, async_accept_0(icall));
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		switch (ipc_get_imethod(&call)) {
		case 0:
			return;
		case IPC_M_SHARE_IN:
			server_share_in(&call);
			break;
		default:
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
			break;
		}
	}
}

int share_server_main(void)
{
	errno_t rc = server_areas_create();
	if (rc == EOK)
		rc = service_register(service_id_from_name(BENCH_SHARE_SERVICE),
		    BENCH_SHARE_IFACE, server_connection, NULL);
	if (rc != EOK) {
		printf("bench: share server: %s\n", str_error(rc));
		return 1;
	}
	DISCARD(best_effort, task_retval(0));
	async_manager();
	return 0;
}

/** Starts the share server and waits until it is registered. */
static errno_t server_start(task_id_t *id)
{
	errno_t rc = task_spawnl(id, NULL, "/app/bench", "bench", "--share-server", NULL);
	if (rc != EOK)
		return rc;
	task_exit_t exit;
	int retval;
	rc = task_wait_task_id(*id, TASK_WAIT_RETVAL, &exit, &retval);
	if (rc == EOK && (exit.how != 0 || retval != 0))
		rc = EIO;
	return rc;
}

/** One share-in of @a size bytes, timed to its answer, as sample @a i
 *  (none during the warm-up, i < 0); the area is checked and unmapped. */
static errno_t share_once(async_exch_t *exch, size_t size, long i)
{
	void *dst;
	uint64_t t0 = bench_tsc();
	errno_t rc = async_share_in_start(exch, size, 0, AS_AREA_READ, &dst);
	uint64_t t1 = bench_tsc();
	if (rc != EOK)
		return rc;
	if (i >= 0)
		bench_record((size_t) i, t0, t1);
	rc = *(volatile unsigned char *) dst == SHARE_MARK ? EOK : EIO;
	errno_t rc2 = as_area_destroy((uintptr_t) dst);
	return rc != EOK ? rc : rc2;
}

static errno_t share_case(async_sess_t *sess, size_t size, const char *name)
{
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc = EOK;
	for (long i = -BENCH_WARMUP; i < BENCH_ITERATIONS && rc == EOK; i++)
		rc = share_once(exch, size, i);
	async_exchange_end(exch);
	if (rc != EOK) {
		printf("bench: %s failed: %s\n", name, str_error(rc));
		return rc;
	}
	bench_report(name, BENCH_ITERATIONS, 1);
	return EOK;
}

int share_cases(void)
{
	task_id_t id;
	errno_t rc = server_start(&id);
	async_sess_t *sess = NULL;
	if (rc == EOK)
		sess = service_connect(
		    service_id_from_name(BENCH_SHARE_SERVICE), BENCH_SHARE_IFACE, 0, &rc);
	if (sess == NULL) {
		printf("bench: share server: %s\n", str_error(rc));
		return 1;
	}
	int failed = share_case(sess, SHARE_SMALL, "share-in-4k") != EOK;
	failed |= share_case(sess, SHARE_LARGE, "share-in-1m") != EOK;
	DISCARD(cleanup, async_hangup(sess));
	DISCARD(cleanup, task_kill(id));
	return failed;
}
