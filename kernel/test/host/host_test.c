/*
 * Host unit-test runner: runs every registered test, prints one line each,
 * exits non-zero when any failed.
 */
#include "host_test.h"
#include <string.h>

#define MAX_TESTS 256

static struct {
	const char *name;
	host_test_fn_t fn;
} tests[MAX_TESTS];
static int test_count;
static int failures;

void host_test_register(const char *name, host_test_fn_t fn)
{
	if (test_count < MAX_TESTS) {
		tests[test_count].name = name;
		tests[test_count].fn = fn;
		test_count++;
	}
}

void host_test_fail(const char *file, int line, const char *what)
{
	printf("  %s:%d: check failed: %s\n", file, line, what);
	failures++;
}

int main(int argc, char **argv)
{
	const char *suite = strrchr(argv[0], '/');
	suite = suite ? suite + 1 : argv[0];
	int failed = 0;
	for (int i = 0; i < test_count; i++) {
		if (argc > 1 && strstr(tests[i].name, argv[1]) == NULL)
			continue;
		int before = failures;
		tests[i].fn();
		int ok = failures == before;
		printf("%s %s.%s\n", ok ? "PASS" : "FAIL", suite, tests[i].name);
		failed += !ok;
	}
	return failed != 0;
}
