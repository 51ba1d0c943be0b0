/*
 * The logger's text ring (logbuf.c): whole kernel lines, programs' lines
 * under their names, and readers that fell behind a wrapped ring.
 */
#if __STDC_HOSTED__ /* not built into the logger: see host.mk */
#include "host_test.h"
#include "logbuf.h"
#include <stdlib.h>
#include <string.h>

static logbuf_t lb;

/** Everything from @a cursor on, as a string (in a static buffer). */
static const char *text_from(uint64_t cursor, uint64_t *missed)
{
	static char out[LOGGER_RING_SIZE + 1];
	size_t n = logbuf_read(&lb, &cursor, out, LOGGER_RING_SIZE, missed);
	out[n] = '\0';
	return out;
}

HOST_TEST(kernel_text_goes_in_whole_lines)
{
	uint64_t missed;
	logbuf_init(&lb);
	logbuf_kernel(&lb, "boot: one\nboot: tw", 18);
	CHECK(strcmp(text_from(0, &missed), "boot: one\n") == 0);
	logbuf_line(&lb, "sh", "hello", 5);
	logbuf_kernel(&lb, "o\n", 2);
	CHECK(strcmp(text_from(0, &missed), "boot: one\nsh: hello\nboot: two\n") == 0);
	CHECK_EQ(missed, 0);
	CHECK_EQ(logbuf_end(&lb), strlen("boot: one\nsh: hello\nboot: two\n"));
}

HOST_TEST(program_text_is_split_into_prefixed_printable_lines)
{
	uint64_t missed;
	logbuf_init(&lb);
	logbuf_line(&lb, "app", "a\nb\001c\n", 6);
	CHECK(strcmp(text_from(0, &missed), "app: a\napp: b?c\n") == 0);
	logbuf_line(&lb, "app", "", 0);
	logbuf_line(&lb, "app", "\n", 1);
	CHECK(strcmp(text_from(0, &missed), "app: a\napp: b?c\napp: \n") == 0);
}

HOST_TEST(an_endless_kernel_line_is_stored_in_pieces)
{
	uint64_t missed;
	char line[LOGBUF_PARTIAL_MAX + 10];
	memset(line, 'x', sizeof(line));
	logbuf_init(&lb);
	logbuf_kernel(&lb, line, sizeof(line));
	CHECK_EQ(strlen(text_from(0, &missed)), LOGBUF_PARTIAL_MAX);
}

HOST_TEST(a_reader_behind_the_ring_is_told_what_it_missed)
{
	uint64_t missed;
	logbuf_init(&lb);
	char line[100];
	memset(line, 'y', 99);
	line[99] = '\n';
	for (int i = 0; i < 1000; i++)
		logbuf_kernel(&lb, line, sizeof(line));
	const char *t = text_from(0, &missed);
	CHECK_EQ(missed, 1000 * 100 - LOGGER_RING_SIZE);
	CHECK_EQ(strlen(t), LOGGER_RING_SIZE);
	uint64_t cursor = logbuf_end(&lb);
	char out[8];
	CHECK_EQ(logbuf_read(&lb, &cursor, out, sizeof(out), &missed), 0);
}

HOST_TEST(lost_kernel_text_is_noted_in_the_log)
{
	uint64_t missed;
	logbuf_init(&lb);
	logbuf_kernel(&lb, "half a li", 9);
	logbuf_kernel_missed(&lb, 500);
	logbuf_kernel(&lb, "next\n", 5);
	CHECK(strcmp(text_from(0, &missed),
		  "logger: 500 bytes of the kernel log were lost before they were "
		  "read\nnext\n") == 0);
	CHECK_EQ(lb.kernel_missed, 500);
}
#endif
