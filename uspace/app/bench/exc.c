/*
 * exception-roundtrip: a worker thread's int3 goes as an IPC_M_EXCEPTION
 * call to this task's exception handler (the main thread, on the plain IPC
 * calls), which answers "resume"; a sample runs from before the int3 to
 * after it, in the worker: fault, delivery, the handler's turn, the answer
 * and the return to the worker.
 */
#include "bench.h"
#include <benchmark.h>
#include <exc.h>
#include <ipc.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>

static volatile int worker_done;

static void exc_worker(void *arg)
{
	for (long i = -BENCH_WARMUP; i < BENCH_ITERATIONS; i++) {
		uint64_t t0 = bench_tsc();
		__asm__ volatile("int3");
		uint64_t t1 = bench_tsc();
		if (i >= 0)
			bench_record((size_t) i, t0, t1);
	}
	worker_done = 1;
	ipc_poke(); /* the handler waits for its next event */
}

errno_t bench_serve_until(
    sysarg_t method, const ipc_payload_t *answer, volatile int *done)
{
	ipc_event_t ev;
	errno_t rc = ipc_wait(&ev, 0, 0);
	while (rc == EOK && !(ev.kind == IPC_EVENT_POKE && *done)) {
		if (ev.kind == IPC_EVENT_REQUEST && ev.imethod == method)
			rc = ipc_answer_wait(ev.cap, answer, 0, 0, &ev);
		else
			rc = ipc_wait(&ev, 0, 0);
	}
	return rc;
}

int exc_cases(void)
{
	thread_id_t t;
	errno_t rc = exc_handler_set_to_me(0, 0, 0);
	if (rc == EOK)
		rc = thread_create(exc_worker, NULL, "int3", &t);
	const ipc_payload_t resume = {EOK, {EXC_RESUME, 0, 0, 0, 0}};
	if (rc == EOK)
		rc = bench_serve_until(IPC_M_EXCEPTION, &resume, &worker_done);
	if (rc == EOK)
		rc = thread_join(t);
	DISCARD(cleanup, exc_handler_set(0, 0, CAP_NULL));
	if (rc != EOK) {
		printf("bench: exception-roundtrip failed: %s\n", str_error(rc));
		return 1;
	}
	bench_report("exception-roundtrip", BENCH_ITERATIONS, 1);
	return 0;
}
