/*
 * asynctest: tests of fibrils and the async framework (boot option
 * testtask=asynctest). Prints one line per test,
 *   asynctest: PASS <name>   or   asynctest: FAIL <name>: <what>
 * and finally `asynctest: N passed, N failed`; exits 0 only if all passed.
 * With arguments it is one of the children the tests start (children.c).
 */
#include "asynctest.h"
#include <fibril.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#define USAGE "(a test program; make test boots it with testtask=asynctest)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {"--bench", "--bench-smp", NULL};

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 1 && strcmp(argv[1], "--bench") == 0) {
		registrar_init();
		async_bench();
		printf("bench: done (ok)\n");
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--bench-smp") == 0) {
		registrar_init();
		int failed = async_bench_cross();
		printf("bench: done (%s)\n", failed ? "failed" : "ok");
		return failed;
	}
	if (argc > 1)
		return child_main(argc, argv);
	if (fibril_spawn_runners(1) != EOK) {
		printf("asynctest: cannot start a second runner thread\n");
		return 1;
	}
	registrar_init();
	test_suite_start("asynctest");
	fibril_tests();
	async_tests();
	malloc_tests();
	return test_suite_end();
}
