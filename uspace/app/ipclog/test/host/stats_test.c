/*
 * ipclog --stats (stats.c): calls, answers and errors per method, and the
 * call-to-answer latency percentiles in ticks and nanoseconds, from a known
 * sequence of records.
 */
#if __STDC_HOSTED__
#include "host_test.h"
#include "stats.h"
#include <abi/errno.h>
#include <stdlib.h>
#include <string.h>

static stats_t s;

static void feed(
    uint32_t type, uint64_t id, uint64_t tsc, uint64_t ns, int64_t rc, const char *name)
{
	ipclog_record_t r;
	memset(&r, 0, sizeof(r));
	r.type = type;
	r.call_id = id;
	r.tsc = tsc;
	r.time_ns = ns;
	r.retval = rc;
	CHECK_EQ(stats_feed(&s, &r, name), EOK);
}

static stats_method_t *method(const char *name)
{
	for (size_t i = 0; i < s.count; i++) {
		if (strcmp(s.methods[i].name, name) == 0)
			return &s.methods[i];
	}
	return NULL;
}

HOST_TEST(latency_percentiles_are_nearest_rank_in_ticks_and_ns)
{
	stats_init(&s);
	/* 100 calls answered after 1..100 ns (2..200 ticks), answered out of
	 * order: the latency belongs to the call with the answer's id. */
	for (uint64_t i = 1; i <= 100; i++)
		feed(IPCLOG_CALL, i, 1000, 500, 0, "vfs.read");
	for (uint64_t i = 100; i >= 1; i--)
		feed(IPCLOG_ANSWER, i, 1000 + 2 * i, 500 + i, EOK, "vfs.read");
	stats_method_t *m = method("vfs.read");
	CHECK(m != NULL);
	CHECK_EQ(m->calls, 100);
	CHECK_EQ(m->answers, 100);
	stats_pct_t t, n;
	stats_percentiles(m, &t, &n);
	CHECK_EQ(n.p50, 50);
	CHECK_EQ(n.p90, 90);
	CHECK_EQ(n.p99, 99);
	CHECK_EQ(n.max, 100);
	CHECK_EQ(t.p50, 100);
	CHECK_EQ(t.max, 200);
	stats_free(&s);
}

HOST_TEST(errors_are_counted_by_code_and_unseen_calls_ignored)
{
	stats_init(&s);
	feed(IPCLOG_CALL, 1, 0, 0, 0, "vfs.open");
	feed(IPCLOG_ANSWER, 1, 10, 5, ENOENT, "vfs.open");
	feed(IPCLOG_CALL, 2, 20, 10, 0, "vfs.open");
	feed(IPCLOG_ANSWER, 2, 30, 15, ENOENT, "vfs.open");
	feed(IPCLOG_CALL, 3, 40, 20, 0, "vfs.open");
	feed(IPCLOG_ANSWER, 3, 50, 25, ELIMIT, "vfs.open");
	feed(IPCLOG_ANSWER, 99, 60, 30, EOK, "vfs.open"); /* its call is not in the log */
	feed(IPCLOG_CALL, 4, 70, 35, 0, "fs.lookup");	  /* not answered */
	stats_method_t *open = method("vfs.open"), *lookup = method("fs.lookup");
	CHECK(open != NULL && lookup != NULL);
	CHECK_EQ(open->calls, 3);
	CHECK_EQ(open->answers, 3);
	CHECK_EQ(open->errors[0].code, ENOENT);
	CHECK_EQ(open->errors[0].count, 2);
	CHECK_EQ(open->errors[1].code, ELIMIT);
	CHECK_EQ(open->errors[1].count, 1);
	CHECK_EQ(lookup->calls, 1);
	CHECK_EQ(lookup->answers, 0);
	stats_free(&s);
}

static char printed[4096];

static void collect(void *ctx, const char *line)
{
	(void) ctx;
	strncat(printed, line, sizeof(printed) - strlen(printed) - 1);
}

HOST_TEST(the_table_has_a_row_per_method_in_both_units)
{
	stats_init(&s);
	feed(IPCLOG_CALL, 1, 100, 50, 0, "vfs.open");
	feed(IPCLOG_ANSWER, 1, 700, 350, ENOENT, "vfs.open");
	printed[0] = '\0';
	stats_print(&s, collect, NULL);
	CHECK(strstr(printed, "method ") == printed);
	CHECK(strstr(printed, "vfs.open                      1      1 ENOENT:1") != NULL);
	CHECK(strstr(printed, "600        600        600        600 ticks") != NULL);
	CHECK(strstr(printed, "300        300        300        300 ns") != NULL);
	stats_free(&s);
}

HOST_TEST(methods_beyond_the_table_count_as_other)
{
	stats_init(&s);
	char name[16];
	for (int i = 0; i < STATS_METHODS + 5; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		feed(IPCLOG_CALL, (uint64_t) i + 1, 0, 0, 0, name);
	}
	CHECK_EQ(s.count, STATS_METHODS);
	CHECK_EQ(s.methods[STATS_METHODS].calls, 5);
	stats_free(&s);
}
#endif
