/*
 * A small harness for test programs run by the test harness (tools/testrun.py
 * collects their lines). A test is a void function that returns at its first
 * failed CHECK; RUN prints its verdict:
 *   TAG: PASS <name>   or   TAG: FAIL <name>: line N: <what>
 * and test_suite_end() the final `TAG: N passed, N failed`.
 */
#ifndef LIBC_TESTSUITE_H
#define LIBC_TESTSUITE_H

#include <discard.h>

#include <abi/errno.h>
#include <abi/proc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <task.h>

extern int test_failures;

/** Begins a suite whose lines start with @a tag. */
void test_suite_start(const char *tag);
/** Runs @a fn and prints "TAG: PASS name" unless a CHECK failed. */
void test_run(const char *name, void (*fn)(void));
void test_fail(int line, const char *what);
/** test_fail with a printf-style message. */
void test_failf(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Ends the whole run (as failed) when one test takes longer than @a usec:
 *  for tests that wait for answers that might never come. */
_NODISCARD errno_t test_suite_limit(uint64_t usec);
/** The start of a test program's main(): @a argv checked as
 *  cmd_check_words() does (usage @a usage, no words of its own), then the
 *  suite @a tag begun with test_suite_limit(@a limit_usec). False: main()
 *  is to return *@a status at once (--help, a bad word, no memory). */
bool test_suite_open(int argc, char *argv[], const char *tag, const char *usage,
    uint64_t limit_usec, int *status);
/** Starts the server @a path (a test boot has no init to do it) and waits
 *  until it reports ready (task_retval); its id in *@a id. EIO when it
 *  ended before. */
_NODISCARD errno_t test_spawn_server(const char *path, uint64_t *id);
/** The kernel's counts as a baseline for test_counters_back(): read until
 *  two readings, a round trip to the naming service apart, agree (a count
 *  taken while a server still held a dead child's hang-up was one too
 *  high). EBUSY if they never settle. */
_NODISCARD errno_t test_baseline_get(kernel_stats_t *baseline);
/** Waits until the server task named @a name (one the boot started beside
 *  the test, testinit=) has reported ready (task_retval), so what it sets up
 *  on its way (a service registered with the naming service is a phone
 *  there) is in a baseline taken after. ENOENT: no such task; EIO: it
 *  ended instead. */
_NODISCARD errno_t test_server_ready(const char *name);
/** Whether the kernel's task, thread and capability counts come back to
 *  those of @a baseline, or below, within 30 s (what is left after a test's
 *  children ended: more is a leak); if not, prints both. */
bool test_counters_back(const kernel_stats_t *baseline);
/** Waits (up to a minute, against a hang) in the kernel until the caller's
 *  child @a id, spawned through the loader and seen to end (the naming
 *  service's task_wait, which may answer as the child's phones hang up), is
 *  wholly gone: its threads, capabilities and memory freed and no longer
 *  counted. A baseline of the kernel's counts taken after it holds exactly. */
bool test_child_gone(uint64_t id);
/** Frames in use now (kernel_stats_get; 0 if it fails). */
uint64_t test_frames_used(void);
/** Pages of the read-only segments (text, constants) of the program at
 *  @a path (file_load_any); 0 if it cannot be read or parsed. */
size_t test_text_pages(const char *path);
/** Starts @a path with the arguments @a argv (NULL-terminated) and waits
 *  until the child reports ready (task_retval(0)); its id and wait in
 *  *@a id and *@a wait, the frames that cost in *@a cost. EIO for another
 *  return value. */
_NODISCARD errno_t test_spawn_ready(const char *path, const char *const argv[],
    task_id_t *id, task_wait_t *wait, int64_t *cost);

/** Prints the summary line; the exit status for the suite (0: all passed). */
int test_suite_end(void);
/** The same, but the exit status is the number of failed tests. */
int test_suite_end_count(void);

/** One mode of a test program's children (`PROGRAM --child NAME`): the
 *  child's main, whose result is its exit status. */
typedef struct {
	const char *name;
	int (*fn)(void);
} test_child_t;

#define TEST_CHILD_UNKNOWN   100 /* the exit status of an unknown mode */
#define TEST_CHILDREN(table) (table), sizeof(table) / sizeof((table)[0])

/** The start of main() of a test program that starts itself as children:
 *  true when main() is to return *@a status at once, after `--help` or a
 *  bad first word (cmd_check_words with @a usage), or after the run of
 *  `--child NAME`, the mode of the @a count @a children named NAME
 *  (TEST_CHILD_UNKNOWN for none). False: run the suite. */
bool test_program_start(int argc, char *argv[], const char *usage,
    const test_child_t *children, size_t count, int *status);

#define RUN(fn) test_run(#fn + 5, fn) /* the name without "test_" */

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			test_fail(__LINE__, #cond); \
			return; \
		} \
	} while (0)

/** Like CHECK, but the test goes on after a failure (with a printf-style
 *  message saying what differed). */
#define EXPECT(cond, ...) \
	do { \
		if (!(cond)) \
			test_failf(__LINE__, __VA_ARGS__); \
	} while (0)

#define CHECK_RC(call, expect) \
	do { \
		errno_t rc_ = (errno_t) (call); \
		if (rc_ != (expect)) { \
			char what_[160]; \
			snprintf(what_, sizeof(what_), "%s = %s, wanted %s", #call, \
			    str_error(rc_), str_error(expect)); \
			test_fail(__LINE__, what_); \
			return; \
		} \
	} while (0)

#endif
