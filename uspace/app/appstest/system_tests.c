/*
 * appstest: the task and system programs (ps, kill, sleep, uptime, free)
 * and the conventions every program keeps (--help, bad options).
 */
#include "appstest.h"
#include <string.h>

static app_run_t run;

static void test_ps_lists_this_task(void)
{
	CHECK_RC(APP(&run, "ps"), EOK);
	CHECK(run.status == 0 && strstr(run.out, "    ID PARENT") == run.out);
	CHECK(strstr(run.out, " appstest ") != NULL);
	CHECK(strstr(run.out, " ps ") != NULL);
}

static void test_free_and_uptime_report(void)
{
	CHECK_RC(APP(&run, "free"), EOK);
	CHECK(run.status == 0 && strstr(run.out, "Mem (KiB):") != NULL);
	CHECK(strstr(run.out, "tasks ") != NULL);
	CHECK_RC(APP(&run, "uptime"), EOK);
	CHECK(run.status == 0 && strncmp(run.out, "up 0:", 5) == 0);
	CHECK(strstr(run.out, " seconds)\n") != NULL);
}

static void test_sleep_waits_and_checks_its_argument(void)
{
	CHECK_RC(APP(&run, "sleep", "0"), EOK);
	CHECK(run.status == 0);
	CHECK_RC(APP(&run, "sleep", "0.2"), EOK);
	CHECK(run.status == 0);
	CHECK_RC(APP(&run, "sleep", "soon"), EOK);
	CHECK(run.status == 1 &&
	    strcmp(run.err, "sleep: soon: EINVAL: invalid argument\n") == 0);
}

/** Starts `sleep 100`, runs `kill @a option ID` on it (no option: NULL) and
 *  checks that kill exits 0 and the sleeper was killed. */
static void kill_a_sleeper(const char *option)
{
	task_id_t id;
	task_wait_t wait;
	const char *const args[] = {"sleep", "100", NULL};
	CHECK_RC(task_spawnv(&id, &wait, "/app/sleep", args), EOK);
	char text[24];
	snprintf(text, sizeof(text), "%llu", (unsigned long long) id);
	const char *const kill_args[] = {
	    "kill", option != NULL ? option : text, option != NULL ? text : NULL, NULL};
	errno_t rc = app_run(&run, perm_get() & PERM_TASK, kill_args);
	task_exit_t exit;
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	CHECK_RC(rc, EOK);
	CHECK(run.status == 0 && exit.how == TASK_EXIT_KILLED);
}

static void test_kill_ends_a_sleeping_task(void)
{
	kill_a_sleeper(NULL);
	kill_a_sleeper("-9");
	kill_a_sleeper("-KILL");
	CHECK_RC(APP(&run, "kill", "12x"), EOK);
	CHECK(run.status == 1 &&
	    strcmp(run.err, "kill: 12x: EINVAL: invalid argument\n") == 0);
}

static void test_every_program_answers_help(void)
{
	for (size_t i = 0; i < app_count; i++) {
		char usage[32];
		snprintf(usage, sizeof(usage), "usage: %s", app_names[i]);
		CHECK_RC(APP(&run, app_names[i], "--help"), EOK);
		CHECK(run.status == 0 && strncmp(run.out, usage, strlen(usage)) == 0);
	}
}

static void test_every_program_rejects_a_bad_option(void)
{
	for (size_t i = 0; i < app_count; i++) {
		char message[80];
		snprintf(message, sizeof(message), "%s: unknown option -Z\nusage: %s ",
		    app_names[i], app_names[i]);
		CHECK_RC(APP(&run, app_names[i], "-Z"), EOK);
		bool ok = run.status == 2 &&
		    strncmp(run.err, message, strlen(message)) == 0;
		if (!ok)
			printf("appstest:   %s -Z: status %d, stderr [%s]\n",
			    app_names[i], run.status, run.err);
		CHECK(ok);
	}
}

void system_tests(void)
{
	RUN(test_ps_lists_this_task);
	RUN(test_free_and_uptime_report);
	RUN(test_sleep_waits_and_checks_its_argument);
	RUN(test_kill_ends_a_sleeping_task);
	RUN(test_every_program_answers_help);
	RUN(test_every_program_rejects_a_bad_option);
}
