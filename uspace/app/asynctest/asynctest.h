/*
 * asynctest: what the test files share. A test is a void function that
 * returns at its first failed CHECK; RUN prints its verdict line.
 */
#ifndef ASYNCTEST_H
#define ASYNCTEST_H

#include <abi/errno.h>
#include <async.h>
#include <stdio.h>

extern int test_failures;
extern const char *test_current;

/** Prints "asynctest: PASS name" or nothing (a CHECK printed the FAIL). */
void test_run(const char *name, void (*fn)(void));
void test_fail(int line, const char *what);

#define RUN(fn) test_run(#fn + 5, fn) /* the name without "test_" */

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			test_fail(__LINE__, #cond); \
			return; \
		} \
	} while (0)

#define CHECK_RC(call, expect) \
	do { \
		errno_t rc_ = (errno_t) (call); \
		if (rc_ != (expect)) { \
			char what_[160]; \
			snprintf(what_, sizeof(what_), "%s = %d, wanted %d", #call, rc_, \
			    (int) (expect)); \
			test_fail(__LINE__, what_); \
			return; \
		} \
	} while (0)

void fibril_tests(void);
void async_tests(void);
/** The measurements of make bench (testargs=--bench). */
void async_bench(void);
void malloc_tests(void);

/** ns.c: our naming-service role for the tasks we start. */
void ns_init(void);
/** The session to registered @a service, waiting up to @a usec for it. */
async_sess_t *ns_wait_service(sysarg_t service, uint64_t usec);

/** children.c: what a child started as `asynctest MODE ...` does. */
int child_main(int argc, char *argv[]);

#endif
