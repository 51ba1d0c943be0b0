/*
 * printf_core against the host C library's snprintf, over many combinations
 * of flags, widths, precisions, lengths and values.
 */
#include "host_test.h"
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

int sb_snprintf(char *buf, size_t size, const char *fmt, ...);

static int mismatches;

static void compare(const char *fmt, ...)
{
	char ours[512], theirs[512];
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n1 = 0;
	{
		/* sb_snprintf is variadic; forward through a va_list-taking call. */
		extern int sb_vsnprintf(char *, size_t, const char *, va_list);
		n1 = sb_vsnprintf(ours, sizeof(ours), fmt, ap);
	}
	int n2 = vsnprintf(theirs, sizeof(theirs), fmt, ap2);
	va_end(ap);
	va_end(ap2);
	if (n1 != n2 || strcmp(ours, theirs) != 0) {
		if (mismatches++ < 10)
			printf("  format \"%s\": ours \"%s\" (%d), libc \"%s\" (%d)\n",
			    fmt, ours, n1, theirs, n2);
	}
}

static const char *const flag_sets[] = {
    "", "-", "+", " ", "#", "0", "-0", "+0", "#0", "- "};
static const char *const widths[] = {"", "1", "5", "12", "25"};
static const char *const precisions[] = {"", ".0", ".1", ".3", ".10"};

HOST_TEST(integers_match_libc)
{
	static const long long values[] = {0, 1, -1, 7, 42, -42, 255, 65535, -65536,
	    2147483647LL, -2147483648LL, 4294967295LL, INT64_MAX, INT64_MIN};
	static const char *const convs[] = {"d", "i", "u", "x", "X", "o"};
	static const char *const lens[] = {"ll", "l", "", "h", "hh", "z", "j"};
	mismatches = 0;
	char fmt[64];
	for (size_t f = 0; f < sizeof(flag_sets) / sizeof(*flag_sets); f++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++)
			for (size_t p = 0; p < sizeof(precisions) / sizeof(*precisions);
			     p++)
				for (size_t c = 0; c < sizeof(convs) / sizeof(*convs);
				     c++)
					for (size_t l = 0;
					     l < sizeof(lens) / sizeof(*lens); l++)
						for (size_t v = 0;
						     v < sizeof(values) / sizeof(*values);
						     v++) {
							/* '0' with a precision, '#' with decimal and ' '/'+' with unsigned
		 * are well defined; libc is the reference for all of them. */
							snprintf(fmt, sizeof(fmt),
							    "[%%%s%s%s%s%s]",
							    flag_sets[f], widths[w],
							    precisions[p], lens[l],
							    convs[c]);
							const char *len = lens[l];
							if (strcmp(len, "ll") == 0 ||
							    strcmp(len, "j") == 0)
								compare(fmt, values[v]);
							else if (strcmp(len, "l") == 0 ||
							    strcmp(len, "z") == 0)
								compare(fmt,
								    (long) values[v]);
							else
								compare(
								    fmt, (int) values[v]);
						}
	CHECK_EQ(mismatches, 0);
}

HOST_TEST(strings_chars_pointers_match_libc)
{
	mismatches = 0;
	char fmt[64];
	for (size_t f = 0; f < 2; f++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++)
			for (size_t p = 0; p < sizeof(precisions) / sizeof(*precisions);
			     p++) {
				snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", flag_sets[f],
				    widths[w], precisions[p]);
				compare(fmt, "hello, world");
				compare(fmt, "");
				snprintf(fmt, sizeof(fmt), "<%%%s%sc>", flag_sets[f],
				    widths[w]);
				compare(fmt, 'z');
			}
	compare("%p %p", (void *) 0x1234, (void *) 0xffffffff80000000ull);
	compare("%5d%%|%-3c|%s", 3, 'q', "x");
	compare("%*d|%-*d|%.*s", 6, 7, 4, 8, 2, "abcdef");
	CHECK_EQ(mismatches, 0);
}

HOST_TEST(truncation_and_return_value)
{
	char buf[6];
	int n = sb_snprintf(buf, sizeof(buf), "%d-%s", 12345, "abc");
	CHECK_EQ(n, 9);
	CHECK(strcmp(buf, "12345") == 0);
	n = sb_snprintf(NULL, 0, "%s", "abc");
	CHECK_EQ(n, 3);
}
