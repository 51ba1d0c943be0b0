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
void malloc_tests(void);

/** children.c: what a child started as `asynctest MODE ...` does. */
int child_main(int argc, char *argv[]);

#endif
