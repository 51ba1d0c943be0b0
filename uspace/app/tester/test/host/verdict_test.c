/*
 * tester's reading of verdict lines (verdict.c): counts, the summary that
 * must agree with them and with the exit status.
 */
#if __STDC_HOSTED__ /* not built into tester: see host.mk */
#include "host_test.h"
#include "tester.h"

static void feed(tester_verdict_t *v, const char *const lines[])
{
	for (int i = 0; lines[i] != NULL; i++)
		verdict_line(v, lines[i]);
}

HOST_TEST(a_clean_run_counts_its_passes)
{
	tester_verdict_t v;
	verdict_init(&v, "nstest");
	feed(&v,
	    (const char *const[]){"nstest: PASS a", "noise", "other: FAIL b",
		"nstest: PASS c", "nstest: 2 passed, 0 failed", NULL});
	tester_count_t c = verdict_result(&v, true);
	CHECK_EQ(c.passed, 2);
	CHECK_EQ(c.failed, 0);
}

HOST_TEST(failures_and_a_failing_status_agree)
{
	tester_verdict_t v;
	verdict_init(&v, "t");
	feed(&v,
	    (const char *const[]){
		"t: PASS a", "t: FAIL b: line 3: x", "t: 1 passed, 1 failed", NULL});
	tester_count_t c = verdict_result(&v, false);
	CHECK_EQ(c.passed, 1);
	CHECK_EQ(c.failed, 1);
}

HOST_TEST(a_missing_summary_is_one_more_failure)
{
	tester_verdict_t v;
	verdict_init(&v, "t");
	feed(&v, (const char *const[]){"t: PASS a", "t: 1 passed, 0 failed extra", NULL});
	CHECK_EQ(verdict_result(&v, true).failed, 1);
}

HOST_TEST(a_summary_that_disagrees_is_one_more_failure)
{
	tester_verdict_t v;
	verdict_init(&v, "t");
	feed(&v, (const char *const[]){"t: PASS a", "t: 2 passed, 0 failed", NULL});
	CHECK_EQ(verdict_result(&v, true).failed, 1);
}

HOST_TEST(a_crash_after_a_clean_summary_is_one_more_failure)
{
	tester_verdict_t v;
	verdict_init(&v, "t");
	feed(&v, (const char *const[]){"t: PASS a", "t: 1 passed, 0 failed", NULL});
	tester_count_t c = verdict_result(&v, false);
	CHECK_EQ(c.passed, 1);
	CHECK_EQ(c.failed, 1);
}

HOST_TEST(a_tag_prefix_of_another_name_does_not_match)
{
	tester_verdict_t v;
	verdict_init(&v, "ns");
	feed(&v, (const char *const[]){"nstest: PASS a", "ns: 0 passed, 0 failed", NULL});
	tester_count_t c = verdict_result(&v, true);
	CHECK_EQ(c.passed, 0);
	CHECK_EQ(c.failed, 0);
}
#endif
