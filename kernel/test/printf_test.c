/*
 * Self-tests: the formatter as used by the kernel (snprintf over printf_core).
 */
#include <test.h>
#include <printf.h>
#include <string.h>

#define EXPECT_FMT(expected, ...) \
	do { \
		char buf_[128]; \
		int n_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__); \
		KT_ASSERT_STR(buf_, expected); \
		KT_ASSERT_EQ(n_, (int) strlen(expected)); \
	} while (0)

KTEST(printf_integers)
{
	EXPECT_FMT("42 -42 42", "%d %i %u", 42, -42, 42u);
	EXPECT_FMT("ff FF 0xff 0XFF", "%x %X %#x %#X", 255u, 255u, 255u, 255u);
	EXPECT_FMT(
	    "-9223372036854775808", "%lld", (long long) (-9223372036854775807LL - 1));
	EXPECT_FMT("18446744073709551615", "%llu", 18446744073709551615ULL);
	EXPECT_FMT("123456789012", "%zu", (size_t) 123456789012ULL);
	EXPECT_FMT("17", "%o", 15u);
	EXPECT_FMT("-1 255", "%hhd %hhu", (signed char) -1, (unsigned char) 255);
}

KTEST(printf_width_precision_padding)
{
	EXPECT_FMT("[   42]", "[%5d]", 42);
	EXPECT_FMT("[42   ]", "[%-5d]", 42);
	EXPECT_FMT("[00042]", "[%05d]", 42);
	EXPECT_FMT("[-0042]", "[%05d]", -42);
	EXPECT_FMT("[  042]", "[%5.3d]", 42);
	EXPECT_FMT("[+42]", "[%+d]", 42);
	EXPECT_FMT("[ 42]", "[% d]", 42);
	EXPECT_FMT("[   2a]", "[%*x]", 5, 42u);
	EXPECT_FMT("[2a   ]", "[%*x]", -5, 42u);
	EXPECT_FMT("[]", "[%.0d]", 0);
	EXPECT_FMT("[0x0000002a]", "[%#010x]", 42u);
}

KTEST(printf_strings_chars_pointers)
{
	EXPECT_FMT("[abc]", "[%s]", "abc");
	EXPECT_FMT("[  abc]", "[%5s]", "abc");
	EXPECT_FMT("[abc  ]", "[%-5s]", "abc");
	EXPECT_FMT("[ab]", "[%.2s]", "abc");
	const char *volatile null_string = NULL; /* hidden from -Wformat */
	EXPECT_FMT("[(null)]", "[%s]", null_string);
	EXPECT_FMT("[x]", "[%c]", 'x');
	EXPECT_FMT("[  x]", "[%3c]", 'x');
	EXPECT_FMT("[0x1000]", "[%p]", (void *) 0x1000);
	EXPECT_FMT("[100%]", "[100%%]");
}

KTEST(printf_truncation)
{
	char buf[8];
	int n = snprintf(buf, sizeof(buf), "%s", "0123456789");
	KT_ASSERT_EQ(n, 10);
	KT_ASSERT_STR(buf, "0123456");
	n = snprintf(buf, 1, "%d", 12345);
	KT_ASSERT_EQ(n, 5);
	KT_ASSERT_EQ(buf[0], '\0');
	n = snprintf(NULL, 0, "%d", 12345);
	KT_ASSERT_EQ(n, 5);
}
