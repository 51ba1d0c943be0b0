/*
 * The test-program harness (testsuite.h).
 */
#include <testsuite.h>

int test_failures;
static const char *suite_tag = "test";
static const char *current;
static int passes;

void test_suite_start(const char *tag)
{
	suite_tag = tag;
	passes = 0;
	test_failures = 0;
}

void test_fail(int line, const char *what)
{
	printf("%s: FAIL %s: line %d: %s\n", suite_tag, current, line, what);
	test_failures++;
}

void test_run(const char *name, void (*fn)(void))
{
	int before = test_failures;
	current = name;
	fn();
	if (test_failures == before) {
		printf("%s: PASS %s\n", suite_tag, name);
		passes++;
	}
}

int test_suite_end(void)
{
	printf("%s: %d passed, %d failed\n", suite_tag, passes, test_failures);
	return test_failures == 0 ? 0 : 1;
}
