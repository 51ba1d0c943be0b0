/*
 * Tests of the self-test runner itself (runner.c): a test's cleanups run
 * when a check fails part-way, and a test that leaves the IPC log on fails
 * and does not leave it on for the tests after it.
 */
#include <test.h>
#include <log/ipclog.h>

static bool cleaned;

static void mark_cleaned(void *flag)
{
	*(bool *) flag = true;
}

static void fails_after_registering_a_cleanup(void)
{
	ktest_cleanup(mark_cleaned, &cleaned);
	KT_ASSERT(cleaned); /* false: returns here */
	cleaned = false;    /* never reached */
}

KTEST(ktest_cleanup_runs_when_a_check_fails)
{
	cleaned = false;
	KT_ASSERT_EQ(ktest_run_nested(fails_after_registering_a_cleanup), 1);
	KT_ASSERT(cleaned);
}

static unsigned order[2], ran;

static void note_order(void *which)
{
	order[ran++] = (unsigned) (uintptr_t) which;
}

static void registers_two_cleanups(void)
{
	ktest_cleanup(note_order, (void *) 1);
	ktest_cleanup(note_order, (void *) 2);
}

KTEST(ktest_cleanups_run_last_registered_first)
{
	ran = 0;
	KT_ASSERT_EQ(ktest_run_nested(registers_two_cleanups), 0);
	KT_ASSERT_EQ(ran, 2);
	KT_ASSERT_EQ(order[0], 2);
	KT_ASSERT_EQ(order[1], 1);
}

#ifdef CONFIG_IPC_LOG
static void leaves_the_ipc_log_on(void)
{
	KT_ASSERT_EQ(ipclog_enable(true), EOK);
}

KTEST(ktest_leaving_the_ipc_log_on_fails_and_is_undone)
{
	KT_ASSERT(!ipclog_on);
	KT_ASSERT_EQ(ktest_run_nested(leaves_the_ipc_log_on), 1);
	KT_ASSERT(!ipclog_on);
}
#endif
