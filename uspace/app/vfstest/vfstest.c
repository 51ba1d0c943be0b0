/*
 * vfstest: tests of the VFS server and tmpfs through libc's file API, in
 * testsuite.h's format; exits 0 only if all passed. The first test mounts
 * the root itself. With `--child ...` it is one of the children the tests
 * start (children.c).
 */
#include "vfstest.h"
#include <string.h>
#include <getopt.h>

#define USAGE "(a test program; make test boots it with testtask=vfstest)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {"--child", NULL};

#define TEST_LIMIT_USEC 120000000

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 2 && strcmp(argv[1], "--child") == 0)
		return child_main(argc - 2, argv + 2);
	test_suite_start("vfstest");
	if (test_suite_limit(TEST_LIMIT_USEC) != EOK) {
		printf("vfstest: out of memory\n");
		return 1;
	}
	basic_tests();
	limit_tests();
	shared_read_tests();
	task_tests();
	program_tests();
	pipe_tests();	     /* after program_tests: needs /arch */
	direct_read_tests(); /* after pipe_tests: needs /pipe */
	share_file_tests();  /* after program_tests: needs /arch, /hello-copy */
	return test_suite_end();
}
