/*
 * asynctest: what the test files share (the harness is testsuite.h).
 */
#ifndef ASYNCTEST_H
#define ASYNCTEST_H

#include <abi/errno.h>
#include <async.h>
#include <registrar.h>
#include <stdio.h>
#include <testsuite.h>

void fibril_tests(void);
void async_tests(void);
/** The measurements of make bench (testargs=--bench). */
void async_bench(void);
/** The same-core and cross-core async_req_1_1 cases (testargs=--bench-smp,
 *  two CPUs): nonzero if they cannot run. */
int async_bench_cross(void);
void malloc_tests(void);

/** children.c: what a child started as `asynctest MODE ...` does. */
int child_main(int argc, char *argv[]);

#define HAMMER_FIBRILS_MAX 32
/** children.c: @a fibrils fibrils make @a calls checked M_ECHO calls each
 *  through @a sess (values unique to @a id, fibril and call); the first
 *  failure. */
_NODISCARD errno_t hammer_run(
    async_sess_t *sess, uint64_t id, unsigned fibrils, unsigned calls);

#endif
