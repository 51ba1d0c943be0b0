/*
 * The test-program harness (testsuite.h).
 */
#include <as.h>
#include <common/elf.h>
#include <fibril.h>
#include <fileload.h>
#include <getopt.h>
#include <ns.h>
#include <stdarg.h>
#include <stdlib.h>
#include <task.h>
#include <testsuite.h>

#define WATCH_USEC 100000

int test_failures;
static const char *suite_tag = "test";
static const char *current;
static int passes;
static volatile unsigned test_serial; /* odd while a test runs */
static uint64_t limit_usec;

void test_suite_start(const char *tag)
{
	suite_tag = tag;
	passes = 0;
	test_failures = 0;
}

void test_fail(int line, const char *what)
{
	printf("%s: FAIL %s: line %d: %s\n", suite_tag, current, line, what);
	test_failures++;
}

void test_failf(int line, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	test_fail(line, what);
}

void test_run(const char *name, void (*fn)(void))
{
	int before = test_failures;
	current = name;
	test_serial++;
	fn();
	test_serial++;
	if (test_failures == before) {
		printf("%s: PASS %s\n", suite_tag, name);
		passes++;
	}
}

/** Ends the run when one test stays longer than limit_usec. */
static errno_t watchdog(void *arg)
{
	unsigned seen = test_serial;
	uint64_t same = 0;
	for (;;) {
		fibril_usleep(WATCH_USEC);
		same = test_serial == seen ? same + WATCH_USEC : 0;
		seen = test_serial;
		if (same >= limit_usec && (seen & 1) != 0) {
			printf("%s: FAIL %s: timed out\n", suite_tag, current);
			test_failures++;
			exit(test_suite_end());
		}
	}
	return EOK;
}

errno_t test_suite_limit(uint64_t usec)
{
	limit_usec = usec;
	fid_t dog = fibril_create(watchdog, NULL);
	if (dog == 0)
		return ENOMEM;
	fibril_detach(dog);
	fibril_add_ready(dog);
	return EOK;
}

int test_suite_end_count(void)
{
	printf("%s: %d passed, %d failed\n", suite_tag, passes, test_failures);
	return test_failures;
}

int test_suite_end(void)
{
	return test_suite_end_count() == 0 ? 0 : 1;
}

/** Whether @a a and @a b hold the same task, thread and capability counts. */
static bool counters_equal(const kernel_stats_t *a, const kernel_stats_t *b)
{
	return a->tasks == b->tasks && a->threads == b->threads &&
	    a->capabilities == b->capabilities;
}

errno_t test_baseline_get(kernel_stats_t *baseline)
{
	kernel_stats_t again;
	errno_t rc = kernel_stats_get(baseline);
	for (int i = 0; i < 1000 && rc == EOK; i++) {
		/* Answered after what the naming service received before it (a
		 * dead child's hang-ups: their calls are capabilities until
		 * answered), so a count taken after it holds those answered. */
		rc = ns_ping();
		if (rc == EOK)
			rc = kernel_stats_get(&again);
		if (rc == EOK && counters_equal(baseline, &again))
			return EOK;
		*baseline = again;
	}
	return rc != EOK ? rc : EBUSY;
}

/** Whether none of @a a's task, thread and capability counts exceeds @a b's. */
static bool counters_at_most(const kernel_stats_t *a, const kernel_stats_t *b)
{
	return a->tasks <= b->tasks && a->threads <= b->threads &&
	    a->capabilities <= b->capabilities;
}

static void counters_print(
    const char *what, const kernel_stats_t *baseline, const kernel_stats_t *now)
{
	printf("%s: %stasks %llu -> %llu, threads %llu -> %llu, caps %llu -> %llu\n",
	    suite_tag, what, (unsigned long long) baseline->tasks,
	    (unsigned long long) now->tasks, (unsigned long long) baseline->threads,
	    (unsigned long long) now->threads,
	    (unsigned long long) baseline->capabilities,
	    (unsigned long long) now->capabilities);
}

/*
 * A leak leaves more than the baseline. Fewer is no leak: the baseline held
 * something another server was still releasing (a dead child's hang-up to
 * the VFS is a capability there until answered, and no round trip to the
 * naming service waits for it); that is printed for the record.
 */
bool test_counters_back(const kernel_stats_t *baseline)
{
	kernel_stats_t now;
	for (int i = 0; i < 30000; i++) {
		if (kernel_stats_get(&now) == EOK && counters_at_most(&now, baseline)) {
			if (!counters_equal(&now, baseline))
				counters_print(
				    "fewer than the baseline: ", baseline, &now);
			return true;
		}
		fibril_usleep(1000);
	}
	counters_print("", baseline, &now);
	return false;
}

/** The id of the living task named @a name in *@a id; ENOENT if none. */
static errno_t task_named(const char *name, task_id_t *id)
{
	uint64_t *ids;
	size_t count;
	errno_t rc = task_list_all(&ids, &count);
	if (rc != EOK)
		return rc;
	rc = ENOENT;
	for (size_t i = 0; i < count && rc == ENOENT; i++) {
		task_info_t info;
		if (task_get_info(ids[i], &info) == EOK && !info.zombie &&
		    strncmp(info.name, name, sizeof(info.name)) == 0) {
			*id = ids[i];
			rc = EOK;
		}
	}
	free(ids);
	return rc;
}

errno_t test_server_ready(const char *name)
{
	task_id_t id;
	errno_t rc = task_named(name, &id);
	task_exit_t exit;
	if (rc == EOK)
		rc = task_wait_task_id(
		    id, TASK_WAIT_RETVAL | TASK_WAIT_OBSERVE, &exit, NULL);
	return rc == EOK && exit.how != 0 ? EIO : rc;
}

bool test_suite_open(int argc, char *argv[], const char *tag, const char *usage,
    uint64_t limit_usec, int *status)
{
	if (cmd_check_words(argc, argv, usage, NULL, status))
		return false;
	test_suite_start(tag);
	if (test_suite_limit(limit_usec) != EOK) {
		printf("%s: out of memory\n", tag);
		*status = 1;
		return false;
	}
	return true;
}

errno_t test_spawn_server(const char *path, uint64_t *id)
{
	const char *name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	errno_t rc = task_spawnl(id, NULL, path, name, NULL);
	if (rc != EOK)
		return rc;
	task_exit_t exit;
	rc = task_wait_task_id(*id, TASK_WAIT_RETVAL, &exit, NULL);
	return rc == EOK && exit.how != 0 ? EIO : rc;
}

bool test_child_gone(uint64_t id)
{
	task_exit_t exit;
	errno_t rc = task_join(id, &exit, 60 * 1000000ull);
	return rc == EOK || rc == ENOENT; /* ENOENT: gone before the call */
}

/** The mode of @a children named @a name, run (TEST_CHILD_UNKNOWN: none). */
static int test_child_run(const test_child_t *children, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(name, children[i].name) == 0)
			return children[i].fn();
	}
	return TEST_CHILD_UNKNOWN;
}

bool test_program_start(int argc, char *argv[], const char *usage,
    const test_child_t *children, size_t count, int *status)
{
	static const char *const words[] = {"--child", NULL};
	if (cmd_check_words(argc, argv, usage, words, status))
		return true;
	if (argc > 2 && strcmp(argv[1], "--child") == 0) {
		*status = test_child_run(children, count, argv[2]);
		return true;
	}
	return false;
}

uint64_t test_frames_used(void)
{
	kernel_stats_t st;
	if (kernel_stats_get(&st) != EOK)
		return 0;
	return st.frames_total - st.frames_free;
}

size_t test_text_pages(const char *path)
{
	char *image;
	size_t size;
	if (file_load_any(path, &image, &size) != EOK)
		return 0;
	elf_image_t elf;
	const char *why;
	size_t pages = 0;
	if (elf_parse(image, size, UINT64_MAX, &elf, &why) == EOK) {
		for (size_t i = 0; i < elf.segment_count; i++)
			if (!(elf.segments[i].flags & AS_AREA_WRITE))
				pages += elf.segments[i].pages;
	}
	free(image);
	return pages;
}

errno_t test_spawn_ready(const char *path, const char *const argv[], task_id_t *id,
    task_wait_t *wait, int64_t *cost)
{
	uint64_t before = test_frames_used();
	errno_t rc = task_spawnv(id, wait, path, argv);
	task_exit_t exit;
	int retval = -1;
	if (rc == EOK)
		rc = task_wait_task_id(*id, TASK_WAIT_RETVAL, &exit, &retval);
	*cost = (int64_t) (test_frames_used() - before);
	return rc == EOK && retval != 0 ? EIO : rc;
}
