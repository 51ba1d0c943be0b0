/*
 * tester: run the userspace test programs of /test (boot/rootfs.mk puts
 * them there, out of /app) from the shell and sum up their verdicts.
 *
 *   tester NAME...      run these test programs
 *   tester all          run every one of them, in the order of `tester -l`
 *   tester -l           list them with their time limits
 *
 * Each program prints `TAG: PASS x` / `TAG: FAIL x: ...` lines and a final
 * `TAG: N passed, N failed` (testsuite.h). tester relays its output line by
 * line, checks that the summary agrees with the lines and with the exit
 * status, and ends with `tester: N passed, N failed` over all the tests (a
 * program that crashed, hung past its limit or gave no summary counts as
 * one failure more). A program runs with the permissions its table entry
 * names, never more than tester holds.
 *
 * Exit status: 0 all passed, 1 a test failed, 2 usage.
 */
#include "tester.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define USAGE "NAME... | all | -l"

/*
 * The test programs that pass in the full system, run from the shell. The
 * others are written for a boot of their own (tools/testrun.py boots each
 * with testtask=NAME) and fail here:
 *   asynctest  its servers, started as boot modules, expect the test task
 *              to be their naming service; EVENT_KLOG is the logger's
 *   tasktest   grants PERM_IO/PERM_IRQ and starts init with them; expects
 *              no /app directory
 *   vfstest, loctest, kvtest, appstest   mount their own root file system
 *              (EBUSY here; kvtest then waits for a server that never
 *              comes)
 * utest needs every permission (it checks the calls that need them), which
 * the shell holds. Limits are generous for TCG on a loaded machine (nstest
 * takes ~5 s).
 */
static const tester_prog_t progs[] = {
    {"nstest", PERM_TASK, 60},
    {"utest", PERM_ALL, 120},
};

#define PROG_COUNT (sizeof(progs) / sizeof(progs[0]))

static const tester_prog_t *prog_find(const char *name)
{
	for (size_t i = 0; i < PROG_COUNT; i++) {
		if (strcmp(progs[i].name, name) == 0)
			return &progs[i];
	}
	return NULL;
}

static void list(void)
{
	for (size_t i = 0; i < PROG_COUNT; i++)
		printf("%-10s limit %u s\n", progs[i].name, progs[i].limit_s);
}

/** Runs @a prog and adds its verdicts to @a total. */
static void run_one(const tester_prog_t *prog, tester_count_t *total)
{
	tester_count_t c;
	errno_t rc = tester_run(prog, &c);
	if (rc != EOK) {
		printf("tester: FAIL %s: cannot run it: %s\n", prog->name, strerror(rc));
		c.passed = 0;
		c.failed = 1;
	}
	total->passed += c.passed;
	total->failed += c.failed;
}

/** Checks that every operand names a known program (or is `all` alone). */
static bool operands_ok(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "all") == 0)
		return true;
	bool ok = true;
	for (int i = 1; i < argc; i++) {
		if (prog_find(argv[i]) == NULL) {
			fprintf(stderr,
			    "tester: %s: no such test program (tester -l lists them)\n",
			    argv[i]);
			ok = false;
		}
	}
	return ok;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	int c;
	bool listing = false;
	while ((c = getopt(argc, argv, "l")) != -1) {
		if (c != 'l')
			return CMD_EXIT_USAGE;
		listing = true;
	}
	if (listing) {
		if (optind != argc)
			return cmd_usage_error(argv[0], USAGE);
		list();
		return CMD_EXIT_OK;
	}
	if (optind == argc)
		return cmd_usage_error(argv[0], USAGE);
	if (!operands_ok(argc, argv))
		return CMD_EXIT_USAGE;
	tester_count_t total = {0, 0};
	if (strcmp(argv[1], "all") == 0) {
		for (size_t i = 0; i < PROG_COUNT; i++)
			run_one(&progs[i], &total);
	} else {
		for (int i = 1; i < argc; i++)
			run_one(prog_find(argv[i]), &total);
	}
	printf("tester: %u passed, %u failed\n", total.passed, total.failed);
	return total.failed == 0 ? CMD_EXIT_OK : CMD_EXIT_ERROR;
}
