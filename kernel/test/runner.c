/*
 * The self-test runner. Output format (parsed by tools/testrun.py):
 *   ktest: PASS <name>
 *   ktest: FAIL <name>: <file>:<line>: <what>
 *   ktest: N passed, N failed
 */
#include <test.h>
#include <printf.h>
#include <string.h>

extern const ktest_t kernel_tests_start[], kernel_tests_end[];

static unsigned current_failures;

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char what[256];
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("ktest:   %s:%d: check failed: %s\n", file, line, what);
	current_failures++;
}

unsigned ktest_run(const char *filter)
{
	unsigned passed = 0, failed = 0;
	for (const ktest_t *t = kernel_tests_start; t < kernel_tests_end; t++) {
		if (filter != NULL && !str_starts(t->name, filter))
			continue;
		if (str_starts(t->name, "crash_") &&
		    (filter == NULL || !str_starts(filter, "crash_")))
			continue;
		current_failures = 0;
		t->fn();
		if (current_failures == 0) {
			printf("ktest: PASS %s\n", t->name);
			passed++;
		} else {
			printf("ktest: FAIL %s\n", t->name);
			failed++;
		}
	}
	printf("ktest: %u passed, %u failed\n", passed, failed);
	return failed;
}
