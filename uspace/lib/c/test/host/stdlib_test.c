/*
 * libc's strtol family and qsort (src/strtol.c, src/qsort.c, built for the
 * host under lc_* names) against the host C library.
 */
#include "host_test.h"
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

long lc_strtol(const char *s, char **end, int base);
long long lc_strtoll(const char *s, char **end, int base);
unsigned long lc_strtoul(const char *s, char **end, int base);
unsigned long long lc_strtoull(const char *s, char **end, int base);
void lc_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

static const char *const inputs[] = {"0", "1", "-1", "+1", "  42", "\t\n\v\f\r 42x", "-",
    "+", "", "   ", "x", "0x", "0X1f", "0xg", "-0x10", "0777", "08", "019", "zz", "ZZ",
    "1a", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "-18446744073709551615",
    "-18446744073709551616", "99999999999999999999999", "0xffffffffffffffff",
    "0x10000000000000000", "1111111111111111111111111111111", "7fffffffffffffff", "--1",
    "+-1", " - 1", "00000000000000000000000000001"};

static const int bases[] = {0, 2, 8, 10, 16, 36, 1, 37, -1};

static bool base_ok(int base)
{
	return base == 0 || (base >= 2 && base <= 36);
}

#define COMPARE(ours_fn, theirs_fn, type) \
	do { \
		for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) { \
			for (size_t j = 0; j < sizeof(bases) / sizeof(bases[0]); j++) { \
				char *e1 = (char *) inputs[i], *e2 = e1; \
				errno = 0; \
				type v1 = ours_fn(inputs[i], &e1, bases[j]); \
				int err1 = errno; \
				errno = 0; \
				type v2 = theirs_fn(inputs[i], &e2, bases[j]); \
				int err2 = errno; \
				/* With a bad base, *end is unspecified. */ \
				if (!base_ok(bases[j])) \
					e1 = e2; \
				if (v1 != v2 || e1 != e2 || err1 != err2) { \
					printf("  \"%s\" base %d: value %s, end %+td, " \
					       "errno " \
					       "%d vs %d\n", \
					    inputs[i], bases[j], \
					    v1 == v2 ? "same" : "differs", e1 - e2, \
					    err1, err2); \
					CHECK(0); \
				} \
			} \
		} \
	} while (0)

HOST_TEST(strtol_matches_the_host)
{
	COMPARE(lc_strtol, strtol, long);
}

HOST_TEST(strtoll_matches_the_host)
{
	COMPARE(lc_strtoll, strtoll, long long);
}

HOST_TEST(strtoul_matches_the_host)
{
	COMPARE(lc_strtoul, strtoul, unsigned long);
}

HOST_TEST(strtoull_matches_the_host)
{
	COMPARE(lc_strtoull, strtoull, unsigned long long);
}

HOST_TEST(strtol_accepts_a_null_end_pointer)
{
	CHECK_EQ(lc_strtol(" -17 apples", NULL, 10), -17);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *) a, y = *(const int *) b;
	return (x > y) - (x < y);
}

typedef struct {
	int key;
	char pad[13];
} record_t;

static int cmp_record(const void *a, const void *b)
{
	return cmp_int(&((const record_t *) a)->key, &((const record_t *) b)->key);
}

HOST_TEST(qsort_sorts_like_the_host)
{
	static int ours[5000], theirs[5000];
	for (size_t n = 0; n <= 5000; n = n * 2 + 1) {
		unsigned seed = (unsigned) n;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			ours[i] = theirs[i] = (int) (seed >> 8) % 100 - 50;
		}
		lc_qsort(ours, n, sizeof(int), cmp_int);
		qsort(theirs, n, sizeof(int), cmp_int);
		CHECK(memcmp(ours, theirs, n * sizeof(int)) == 0);
	}
}

HOST_TEST(qsort_moves_whole_odd_sized_elements)
{
	record_t r[100];
	for (int i = 0; i < 100; i++) {
		r[i].key = (i * 37) % 100;
		memset(r[i].pad, r[i].key, sizeof(r[i].pad));
	}
	lc_qsort(r, 100, sizeof(r[0]), cmp_record);
	for (int i = 0; i < 100; i++) {
		CHECK_EQ(r[i].key, i);
		CHECK_EQ(r[i].pad[12], (char) i);
	}
}
