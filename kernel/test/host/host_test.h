/*
 * A minimal unit-test framework for kernel and common modules compiled for
 * the host (with AddressSanitizer and UBSan). Output, parsed by testrun.py:
 *   TESTS <n>             first: the number of PASS/FAIL lines that follow
 *   PASS <suite>.<test>
 *   FAIL <suite>.<test>
 * A test program that stops before printing all n lines has failed.
 */
#ifndef HOST_TEST_H
#define HOST_TEST_H

#include <stdio.h>

typedef void (*host_test_fn_t)(void);
void host_test_register(const char *name, host_test_fn_t fn);
void host_test_fail(const char *file, int line, const char *what);

#define HOST_TEST(tname) \
	static void tname(void); \
	__attribute__((constructor)) static void register_##tname(void) \
	{ \
		host_test_register(#tname, tname); \
	} \
	static void tname(void)

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			host_test_fail(__FILE__, __LINE__, #cond); \
			return; \
		} \
	} while (0)

#define CHECK_EQ(a, b) \
	do { \
		long long ca_ = (long long) (a), cb_ = (long long) (b); \
		if (ca_ != cb_) { \
			char what_[256]; \
			snprintf(what_, sizeof(what_), "%s == %s (%lld != %lld)", #a, \
			    #b, ca_, cb_); \
			host_test_fail(__FILE__, __LINE__, what_); \
			return; \
		} \
	} while (0)

#endif
