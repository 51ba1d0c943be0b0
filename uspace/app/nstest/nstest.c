/*
 * nstest: tests of the naming service (boot options testinit=ns
 * testtask=nstest), in testsuite.h's format; exits 0 only if all passed. A
 * test that takes longer than TEST_LIMIT_USEC fails the run (a wait ns never
 * answers). With `--child ...` it is one of the children the tests start
 * (children.c).
 */
#include "nstest.h"
#include <getopt.h>

#define USAGE "(a test program; tester runs it)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {"--child", NULL};

#define TEST_LIMIT_USEC 30000000

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 2 && strcmp(argv[1], "--child") == 0)
		return child_main(argc - 2, argv + 2);
	test_suite_start("nstest");
	if (test_suite_limit(TEST_LIMIT_USEC) != EOK) {
		printf("nstest: out of memory\n");
		return 1;
	}
	service_tests();
	task_tests();
	demand_tests();
	return test_suite_end();
}
