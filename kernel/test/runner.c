/*
 * The self-test runner. Output format (parsed by tools/testrun.py):
 *   ktest: PASS <name>
 *   ktest: FAIL <name>: <file>:<line>: <what>
 *   ktest: N passed, N failed
 * Tests run one at a time on the calling thread; the state of the running
 * test (its failures and cleanups) is `current`, touched by nothing else.
 */
#include <test.h>
#include <printf.h>
#include <string.h>
#include <log/ipclog.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <proc/thread.h>
#include <smp.h>

extern const ktest_t kernel_tests_start[], kernel_tests_end[];

typedef struct {
	unsigned failures;
	bool quiet; /* a nested test of the runner: its failures are expected */
	size_t ncleanups;
	struct {
		void (*fn)(void *);
		void *arg;
	} cleanups[KTEST_MAX_CLEANUPS];
} ktest_state_t;

/* Outside any test (a thread a test left behind may still check): counted
 * nowhere that matters, but never a null pointer. */
static ktest_state_t outside;
static ktest_state_t *current = &outside;

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	current->failures++;
	if (current->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	char what[256];
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("ktest:   %s:%d: check failed: %s\n", file, line, what);
}

void ktest_cleanup(void (*fn)(void *), void *arg)
{
	if (current->ncleanups == KTEST_MAX_CLEANUPS) {
		ktest_fail(
		    __FILE__, __LINE__, "more than %d cleanups", KTEST_MAX_CLEANUPS);
		return;
	}
	current->cleanups[current->ncleanups].fn = fn;
	current->cleanups[current->ncleanups].arg = arg;
	current->ncleanups++;
}

/** Runs @a fn with @a state as the current test's, then its cleanups, last
 *  registered first; fails it if it left the IPC log switched. */
static void run_with_cleanups(void (*fn)(void), ktest_state_t *state)
{
	ktest_state_t *outer = current;
	bool log_was_on = ipclog_on;
	current = state;
	fn();
	while (state->ncleanups > 0) {
		state->ncleanups--;
		state->cleanups[state->ncleanups].fn(
		    state->cleanups[state->ncleanups].arg);
	}
	if (ipclog_on != log_was_on) {
		ktest_fail(__FILE__, __LINE__, "the test left the IPC log %s",
		    ipclog_on ? "on" : "off");
		(void) ipclog_enable(
		    log_was_on); /* best effort: the failure is recorded */
	}
	current = outer;
}

unsigned ktest_run_nested(void (*fn)(void))
{
	ktest_state_t state = {.quiet = true};
	run_with_cleanups(fn, &state);
	return state.failures;
}

/** Whether @a name begins with one of the comma-separated prefixes of
 *  @a filter (e.g. "smp_,ipc_pairs_"). */
static bool ktest_matches(const char *name, const char *filter)
{
	for (const char *p = filter;; p++) {
		size_t len = 0;
		while (p[len] != '\0' && p[len] != ',')
			len++;
		if (len != 0 && strncmp(name, p, len) == 0)
			return true;
		p += len;
		if (*p == '\0')
			return false;
	}
}

unsigned ktest_run(const char *filter)
{
	unsigned passed = 0, failed = 0;
	for (const ktest_t *t = kernel_tests_start; t < kernel_tests_end; t++) {
		if (filter != NULL && !ktest_matches(t->name, filter))
			continue;
		if (str_starts(t->name, "crash_") &&
		    (filter == NULL || !str_starts(filter, "crash_")))
			continue;
		ktest_state_t state = {0};
		run_with_cleanups(t->fn, &state);
		if (state.failures == 0) {
			printf("ktest: PASS %s\n", t->name);
			passed++;
		} else {
			printf("ktest: FAIL %s\n", t->name);
			failed++;
		}
	}
	printf("ktest: %u passed, %u failed\n", passed, failed);
	return failed;
}

errno_t ktest_on_every_cpu(void (*fn)(void *), const char *name)
{
	thread_t *t[CPU_MAX];
	unsigned n = 0;
	errno_t rc = EOK;
	for (; n < cpu_count && rc == EOK; n++) {
		rc = thread_create(NULL, fn, (void *) (uintptr_t) n, name, &t[n]);
		if (rc != EOK)
			break;
		rc = thread_set_cpu(t[n], n);
	}
	for (unsigned i = 0; i < n; i++)
		thread_start(t[i]);
	for (unsigned i = 0; i < n; i++) {
		errno_t jrc = thread_join(t[i]);
		if (rc == EOK)
			rc = jrc;
	}
	return rc;
}

void ktest_echo_server(void *arg)
{
	(void) arg;
	ipc_event_t ev;
	errno_t rc = ipc_wait(0, 0, &ev);
	while (rc == EOK) {
		if (ev.kind != IPC_EVENT_REQUEST) {
			rc = ipc_wait(0, 0, &ev);
			continue;
		}
		ipc_data_t a = {.method = EOK, .args = {ev.args[0] + 1, ev.args[1]}};
		rc = ipc_answer_wait(ev.cap, &a, 0, 0, &ev);
	}
}
