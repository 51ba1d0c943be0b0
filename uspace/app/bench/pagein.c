/*
 * page-in-roundtrip: a worker thread's first touch of a page of a pager
 * area goes as an IPC_M_PAGE_IN call to this task's own answerbox
 * (AS_PAGER_TO_ME), where the main thread answers with a page of bytes on
 * the plain IPC calls; a sample runs from before the touch to after it, in
 * the worker: fault, delivery, the pager's turn, the copy into a new frame,
 * the mapping and the return to the worker. Every sample touches a new page.
 */
#include "bench.h"
#include <as.h>
#include <benchmark.h>
#include <ipc.h>
#include <pager.h>
#include <stdio.h>
#include <string.h>
#include <thread.h>

#define PAGE	     4096
#define PAGEIN_LABEL 0x70a6e

static volatile uint8_t *pagein_area;
static volatile int pagein_done;
static uint8_t pagein_page[PAGE] __attribute__((aligned(PAGE)));

static void pagein_worker(void *arg)
{
	for (long i = -BENCH_WARMUP; i < BENCH_ITERATIONS; i++) {
		volatile uint8_t *p = pagein_area + (size_t) (i + BENCH_WARMUP) * PAGE;
		uint64_t t0 = bench_tsc();
		(void) *p;
		uint64_t t1 = bench_tsc();
		if (i >= 0)
			bench_record((size_t) i, t0, t1);
	}
	pagein_done = 1;
	ipc_poke(); /* the pager waits for its next event */
}

int pagein_cases(void)
{
	as_pager_t p = {.flags = AS_PAGER_TO_ME, .label = PAGEIN_LABEL};
	uintptr_t base = AS_AREA_ANY;
	memset(pagein_page, 0x5a, sizeof(pagein_page));
	errno_t rc = as_area_create_pager(
	    &base, (size_t) (BENCH_WARMUP + BENCH_ITERATIONS) * PAGE, AS_AREA_READ, &p);
	thread_id_t t;
	if (rc == EOK) {
		pagein_area = (volatile uint8_t *) base;
		rc = thread_create(pagein_worker, NULL, "toucher", &t);
	}
	const ipc_payload_t page = {EOK, {(sysarg_t) pagein_page, PAGE, 0, 0, 0}};
	if (rc == EOK)
		rc = bench_serve_until(IPC_M_PAGE_IN, &page, &pagein_done);
	if (rc == EOK)
		rc = thread_join(t);
	if (base != AS_AREA_ANY)
		DISCARD(cleanup, as_area_destroy(base));
	if (rc != EOK) {
		printf("bench: page-in-roundtrip failed: %s\n", str_error(rc));
		return 1;
	}
	bench_report("page-in-roundtrip", BENCH_ITERATIONS, 1);
	return 0;
}
