/*
 * Host unit-test runner: runs every registered test (or those whose names
 * contain argv[1]), prints one line each, exits non-zero when any failed.
 * Output, parsed by tools/testrun.py:
 *   TESTS <n>               first, the number of tests this run will report
 *   PASS <suite>.<test>     one per test
 *   FAIL <suite>.<test>
 * The runner counts the PASS/FAIL lines against TESTS, so a crash part-way
 * (the lines of the tests after it never come) is a failure, not a pass.
 */
#include "host_test.h"
#include <stdlib.h>
#include <string.h>

/* The registry grows as constructors register tests: no test is dropped. */
static struct host_test {
	const char *name;
	host_test_fn_t fn;
} * tests;
static size_t test_count, test_capacity;
static int failures;

void host_test_register(const char *name, host_test_fn_t fn)
{
	if (test_count == test_capacity) {
		size_t cap = test_capacity ? test_capacity * 2 : 64;
		struct host_test *grown = realloc(tests, cap * sizeof(*tests));
		if (grown == NULL) {
			fprintf(
			    stderr, "host_test: out of memory registering %s\n", name);
			exit(2);
		}
		tests = grown;
		test_capacity = cap;
	}
	tests[test_count].name = name;
	tests[test_count].fn = fn;
	test_count++;
}

void host_test_fail(const char *file, int line, const char *what)
{
	printf("  %s:%d: check failed: %s\n", file, line, what);
	failures++;
}

static int selected(const struct host_test *t, const char *filter)
{
	return filter == NULL || strstr(t->name, filter) != NULL;
}

int main(int argc, char **argv)
{
	const char *suite = strrchr(argv[0], '/');
	suite = suite ? suite + 1 : argv[0];
	const char *filter = argc > 1 ? argv[1] : NULL;
	size_t announced = 0;
	for (size_t i = 0; i < test_count; i++)
		announced += selected(&tests[i], filter);
	printf("TESTS %zu\n", announced);
	fflush(stdout);
	int failed = 0;
	for (size_t i = 0; i < test_count; i++) {
		if (!selected(&tests[i], filter))
			continue;
		int before = failures;
		tests[i].fn();
		int ok = failures == before;
		printf("%s %s.%s\n", ok ? "PASS" : "FAIL", suite, tests[i].name);
		/* What ran is on record even if a later test crashes. */
		fflush(stdout);
		failed += !ok;
	}
	free(tests);
	return failed != 0;
}
