/*
 * In-kernel self-tests. A test is a function declared with KTEST(name); the
 * linker collects the descriptors into the .ktests section. Run with the boot
 * option `test` (all) or `test=PREFIX` (tests whose names start with PREFIX).
 * Checks record a failure and return from the test; the runner prints one
 * line per test and a final `N passed, N failed` line.
 *
 * A check returns early, so a test that changes state others rely on
 * registers its undoing with ktest_cleanup() right after the change: the
 * runner calls the cleanups when the test ends, however it ends. The runner
 * also fails a test that leaves the IPC log switched other than it found it
 * (the log turns the IPC fast path off) and switches it back.
 */
#ifndef KERN_TEST_H
#define KERN_TEST_H

#include <types.h>

typedef struct {
	const char *name;
	void (*fn)(void);
} ktest_t;

#define KTEST(tname) \
	static void ktest_fn_##tname(void); \
	static const ktest_t ktest_desc_##tname __attribute__((used, section(".ktests"), \
	    aligned(8))) = {.name = #tname, .fn = ktest_fn_##tname}; \
	static void ktest_fn_##tname(void)

/** Runs @a fn on a thread of its own pinned to each running CPU (argument:
 *  the CPU's number as a pointer), all started together, and joins them:
 *  EOK, or the first failure to create or pin one (those made run anyway). */
errno_t ktest_on_every_cpu(void (*fn)(void *), const char *name);

/** Body of an IPC server thread for tests: answers every request with its
 *  first argument plus one and its second as it came, answering and waiting
 *  in one step, until its task is killed. */
void ktest_echo_server(void *arg);

/** Records a failure of the running test (printed with file and line). */
void ktest_fail(const char *file, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);

#define KT_ASSERT(cond) \
	do { \
		if (!(cond)) { \
			ktest_fail(__FILE__, __LINE__, "%s", #cond); \
			return; \
		} \
	} while (0)

#define KT_ASSERT_EQ(a, b) \
	do { \
		long long ka_ = (long long) (a), kb_ = (long long) (b); \
		if (ka_ != kb_) { \
			ktest_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", #a, \
			    #b, ka_, kb_); \
			return; \
		} \
	} while (0)

#define KT_ASSERT_STR(a, b) \
	do { \
		const char *ka_ = (a), *kb_ = (b); \
		if (strcmp(ka_, kb_) != 0) { \
			ktest_fail( \
			    __FILE__, __LINE__, "%s: \"%s\" != \"%s\"", #a, ka_, kb_); \
			return; \
		} \
	} while (0)

/** Calls @a fn(@a arg) when the running test ends, whether it passed or a
 *  check returned early; cleanups run in the reverse order of registration.
 *  At most KTEST_MAX_CLEANUPS per test; one more is a failure of the test. */
void ktest_cleanup(void (*fn)(void *), void *arg);
#define KTEST_MAX_CLEANUPS 8

/** Runs @a fn as a test of its own inside the running one, silently (a test
 *  of the runner): its failures and cleanups are its own; returns how many
 *  checks failed in it. */
unsigned ktest_run_nested(void (*fn)(void));

/** Runs the tests selected by @a filter (NULL: all; else the tests whose
 *  name begins with one of its comma-separated prefixes); returns the
 *  failure count. */
unsigned ktest_run(const char *filter);

#endif
