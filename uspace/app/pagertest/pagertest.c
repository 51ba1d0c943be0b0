/*
 * pagertest: user-space pagers (abi/pager.h, pager.h).
 *
 * This task is a pager: it registers service "pgrtest" and answers the
 * IPC_M_PAGE_IN calls of each connection as the test in progress says
 * (pages of a known pattern, a short page, an error, no answer). Its
 * children (pagertest --child MODE) connect, make an area backed by that
 * connection and touch it: the kernel must page in, map and resume them, or
 * kill them with the reason logged (tools/testrun.py checks the log). A
 * pager that dies while a thread waits, an in-task pager on the caller's own
 * answerbox, a handle the area takes over and the checks of the system call
 * are tested too, and at the end the kernel's counters must be back at their
 * baseline.
 * Output: testsuite.h lines; exit status 0 only if every test passed.
 */
#include <as.h>
#include <async.h>
#include <fibril.h>
#include <getopt.h>
#include <ns.h>
#include <pager.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <testsuite.h>
#include <thread.h>

#define USAGE "(a test program; make test boots it with testtask=pagertest)"
static const char *const own_words[] = {"--child", NULL};

#define PAGERTEST_PATH "/app/pagertest"
#define SERVICE	       "pgrtest"  /* served by this task */
#define DYING_SERVICE  "pgrdying" /* served by the child that dies */
#define PT_IFACE       0x7067
#define PAGE	       4096
#define PAGES	       4
#define PAGER_OFFSET   0x30000ull /* the areas' first byte at the pager */
#define PAGER_ARG      0x77
#define WAIT_USEC      (30 * 1000 * 1000ull)

/** The byte at @a i of the page at @a offset for @a arg, as every pager here
 *  serves it. */
static uint8_t pattern(uint64_t offset, uint64_t arg, size_t i)
{
	return (uint8_t) (offset / PAGE * 13 + arg + i * 7);
}

static void pattern_fill(uint8_t *page, uint64_t offset, uint64_t arg)
{
	for (size_t i = 0; i < PAGE; i++)
		page[i] = pattern(offset, arg, i);
}

/** Whether @a page holds the pattern of @a offset. */
static bool pattern_check(const volatile uint8_t *page, uint64_t offset, uint64_t arg)
{
	for (size_t i = 0; i < PAGE; i++) {
		if (page[i] != pattern(offset, arg, i))
			return false;
	}
	return true;
}

/*
 * The pager of this task: how it answers, and what it was asked.
 */
typedef enum { SERVE_PAGES, SERVE_SHORT, SERVE_ERROR, SERVE_NEVER } serve_mode_t;

static serve_mode_t serve_mode;
static size_t requests;
static uint64_t offsets_seen; /* bit n: the page at PAGER_OFFSET + n * PAGE */
static bool request_ok = true; /* every request had the right size and arg */
static errno_t answer_rc;
static cap_handle_t held_call; /* SERVE_NEVER: the call left unanswered */
static bool holding;
static fibril_event_t request_event;
static uint8_t served_page[PAGE] __attribute__((aligned(PAGE)));

static void record(const pager_request_t *req)
{
	requests++;
	uint64_t n = (req->offset - PAGER_OFFSET) / PAGE;
	if (req->offset >= PAGER_OFFSET && n < 64)
		offsets_seen |= 1ull << n;
	if (req->size != PAGE || req->arg != PAGER_ARG || req->offset % PAGE != 0)
		request_ok = false;
}

static void serve_page_in(ipc_call_t *call)
{
	pager_request_t req;
	pager_request_get(call, &req);
	record(&req);
	switch (serve_mode) {
	case SERVE_PAGES:
		pattern_fill(served_page, req.offset, req.arg);
		answer_rc = pager_answer(call->cap, served_page, PAGE);
		break;
	case SERVE_SHORT:
		answer_rc = pager_answer(call->cap, served_page, 100);
		break;
	case SERVE_ERROR:
		answer_rc = async_answer_0(call, EIO);
		break;
	case SERVE_NEVER:
		held_call = call->cap;
		holding = true;
		break;
	}
	fibril_notify(&request_event);
}

static void serve_call(ipc_call_t *call, void *arg)
{
	if (ipc_get_imethod(call) == IPC_M_PAGE_IN)
		serve_page_in(call);
	else
		DISCARD(answer, async_answer_0(call, ENOTSUP));
}

static void serve(ipc_call_t *icall, void *arg)
{
	async_serve(icall, serve_call, NULL);
}

static void serve_reset(serve_mode_t mode)
{
	serve_mode = mode;
	requests = 0;
	offsets_seen = 0;
	request_ok = true;
	answer_rc = EOK;
	holding = false;
}

/** Waits until the pager has been asked (false: not within WAIT_USEC). */
static bool request_wait(void)
{
	uint64_t deadline = fibril_deadline(WAIT_USEC);
	while (requests == 0) {
		if (fibril_wait_until(&request_event, deadline) == ETIMEOUT &&
		    requests == 0)
			return false;
	}
	return true;
}

static errno_t child_start(const char *mode, task_id_t *id, task_wait_t *wait)
{
	return task_spawnl(id, wait, PAGERTEST_PATH, "pagertest", "--child", mode, NULL);
}

/** Whether the child of @a wait ends @a how with @a status (-1: any). */
static bool ended(task_wait_t *wait, task_exit_how_t how, int status)
{
	task_exit_t exit;
	if (task_wait(wait, &exit, NULL) != EOK)
		return false;
	bool ok = exit.how == (int) how && (status == -1 || exit.status == status);
	if (!ok)
		printf("pagertest: child ended how %d, status %d\n", exit.how, exit.status);
	return ok;
}

static void child_run_expect(const char *mode, task_exit_how_t how, int status)
{
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start(mode, &id, &wait), EOK);
	CHECK(ended(&wait, how, status));
}

/* Each page of a child's area comes from us once, with the right offset,
 * size and argument, and reads as we served it; its private writes stay
 * its own. */
static void test_pages_come_from_the_pager_once_each(void)
{
	serve_reset(SERVE_PAGES);
	child_run_expect("touch", TASK_EXIT_NORMAL, 0);
	EXPECT(requests == PAGES, "%zu page-ins for %d pages", requests, PAGES);
	EXPECT(offsets_seen == (1u << PAGES) - 1, "offsets seen %#llx",
	    (unsigned long long) offsets_seen);
	CHECK(request_ok);
	CHECK_RC(answer_rc, EOK);
}

static void test_short_page_kills_the_faulting_task(void)
{
	serve_reset(SERVE_SHORT);
	child_run_expect("fault", TASK_EXIT_FAULT, TASK_FAULT_PAGE);
	CHECK_RC(answer_rc, EINVAL);
	CHECK(requests == 1);
}

static void test_pager_error_kills_the_faulting_task(void)
{
	serve_reset(SERVE_ERROR);
	child_run_expect("fault", TASK_EXIT_FAULT, TASK_FAULT_PAGE);
	CHECK_RC(answer_rc, EOK);
}

/* A pager that never answers: the faulting task can still be killed, and
 * a late answer finds nobody (its frame is freed). */
static void test_killed_while_the_pager_does_not_answer(void)
{
	serve_reset(SERVE_NEVER);
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start("fault", &id, &wait), EOK);
	CHECK(request_wait());
	CHECK(holding);
	CHECK_RC(task_kill(id), EOK);
	CHECK(ended(&wait, TASK_EXIT_KILLED, -1));
	pattern_fill(served_page, PAGER_OFFSET, PAGER_ARG);
	DISCARD(best_effort, pager_answer(held_call, served_page, PAGE));
}

/* The pager (a child) dies with a page-in unanswered: the faulting task
 * (another child) is killed, the reason logged. */
static void test_pager_death_kills_the_waiting_task(void)
{
	task_id_t pager_id, id;
	task_wait_t pager_wait, wait;
	CHECK_RC(child_start("dying-pager", &pager_id, &pager_wait), EOK);
	CHECK_RC(child_start("fault-dying", &id, &wait), EOK);
	CHECK(ended(&wait, TASK_EXIT_FAULT, TASK_FAULT_PAGE));
	CHECK(ended(&pager_wait, TASK_EXIT_NORMAL, 0));
}

/* The pager is the task itself, on a connection to its own answerbox. */
static void test_a_task_pages_itself(void)
{
	child_run_expect("self", TASK_EXIT_NORMAL, 0);
}

/* AS_PAGER_TAKE: the handle leaves the child's table, the area still pages
 * through the connection, and the area's end hangs it up. */
static void test_the_area_takes_the_handle(void)
{
	serve_reset(SERVE_PAGES);
	child_run_expect("take", TASK_EXIT_NORMAL, 0);
	CHECK(requests == 1);
}

/* A write through a system call (the kernel copying from the area) pages
 * in too. */
static void test_a_system_call_reading_the_area_pages_it_in(void)
{
	serve_reset(SERVE_PAGES);
	child_run_expect("syscall", TASK_EXIT_NORMAL, 0);
	CHECK(requests == 1);
}

static void test_bad_arguments_are_refused(void)
{
	const unsigned rw = AS_AREA_READ | AS_AREA_WRITE;
	as_pager_t p = {.flags = AS_PAGER_TO_ME, .label = 1, .arg = 0, .offset = 0};
	uintptr_t base = AS_AREA_ANY;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw | AS_AREA_NORESERVE, &p), EINVAL);
	CHECK_RC(as_area_create_pager(&base, PAGE, rw | AS_AREA_EXEC, &p), EINVAL);
	CHECK_RC(as_area_create_pager(&base, PAGE, AS_AREA_WRITE, &p), EINVAL);
	CHECK_RC(as_area_create_pager(&base, 0, rw, &p), EINVAL);
	CHECK_RC(as_area_create_pager(NULL, PAGE, rw, &p), EBADMEM);
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, (as_pager_t *) 0x10), EBADMEM);
	p.offset = 100;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), EINVAL);
	p.offset = UINT64_MAX & ~(uint64_t) (PAGE - 1); /* the range would wrap */
	CHECK_RC(as_area_create_pager(&base, 2 * PAGE, rw, &p), EINVAL);
	p.offset = 0;
	p.flags = AS_PAGER_TO_ME | AS_PAGER_TAKE;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), EINVAL);
	p.flags = 0x100;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), EINVAL);
	p.flags = 0;
	p.phone = 12345; /* no such handle */
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), ENOENT);
	p.flags = AS_PAGER_TAKE;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), ENOENT);
	base = 0x1000; /* below user space's first page */
	p.flags = AS_PAGER_TO_ME;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), EINVAL);
	CHECK(base == 0x1000);
}

static kernel_stats_t baseline;

static bool counters_back(void)
{
	kernel_stats_t now;
	for (int i = 0; i < 30000; i++) {
		if (kernel_stats_get(&now) == EOK && now.tasks == baseline.tasks &&
		    now.threads == baseline.threads &&
		    now.capabilities == baseline.capabilities)
			return true;
		fibril_usleep(1000);
	}
	printf("pagertest: tasks %llu -> %llu, threads %llu -> %llu, caps %llu -> %llu\n",
	    (unsigned long long) baseline.tasks, (unsigned long long) now.tasks,
	    (unsigned long long) baseline.threads, (unsigned long long) now.threads,
	    (unsigned long long) baseline.capabilities,
	    (unsigned long long) now.capabilities);
	return false;
}

static void test_everything_is_released(void)
{
	CHECK(counters_back());
}

/*
 * The children.
 */

/** A session to @a service's pager and an area of PAGES pages it backs;
 *  the exchange stays open (its phone is the pager connection). */
static errno_t area_from_service(const char *service, uint64_t flags, unsigned rights,
    volatile uint8_t **area, cap_handle_t *phone)
{
	errno_t rc;
	async_sess_t *sess = service_connect_blocking(
	    service_id_from_name(service), PT_IFACE, 0, &rc);
	if (sess == NULL)
		return rc;
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	*phone = async_exchange_phone(exch);
	as_pager_t p = {
	    .phone = *phone, .arg = PAGER_ARG, .offset = PAGER_OFFSET, .flags = flags};
	uintptr_t base = AS_AREA_ANY;
	rc = as_area_create_pager(&base, PAGES * PAGE, rights, &p);
	*area = (volatile uint8_t *) base;
	return rc;
}

/* Reads every page (twice), writes one privately. */
static int child_touch(void)
{
	volatile uint8_t *area;
	cap_handle_t phone;
	if (area_from_service(
		SERVICE, 0, AS_AREA_READ | AS_AREA_WRITE, &area, &phone) != EOK)
		return 2;
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < PAGES; i++) {
			if (!pattern_check(area + i * PAGE, PAGER_OFFSET + i * PAGE, PAGER_ARG))
				return 3;
		}
	}
	const uint8_t mine = (uint8_t) (pattern(PAGER_OFFSET, PAGER_ARG, 5) ^ 0xff);
	area[5] = mine;
	if (area[5] != mine)
		return 4;
	if (!pattern_check(area + PAGE, PAGER_OFFSET + PAGE, PAGER_ARG))
		return 5;
	return as_area_destroy((uintptr_t) area) == EOK ? 0 : 6;
}

static int fault_on(const char *service)
{
	volatile uint8_t *area;
	cap_handle_t phone;
	if (area_from_service(service, 0, AS_AREA_READ, &area, &phone) != EOK)
		return 2;
	return area[0] == 0xff ? 3 : 4; /* not reached: the page-in fails */
}

static int child_fault(void)
{
	return fault_on(SERVICE);
}

static int child_fault_dying(void)
{
	return fault_on(DYING_SERVICE);
}

static void dying_serve(ipc_call_t *icall, void *arg)
{
	ipc_call_t call;
	DISCARD(best_effort, async_accept_0(icall));
	while (async_get_call(&call) && ipc_get_imethod(&call) != 0) {
		if (ipc_get_imethod(&call) == IPC_M_PAGE_IN)
			exit(0); /* with the page-in unanswered */
		DISCARD(answer, async_answer_0(&call, ENOTSUP));
	}
}

static int child_dying_pager(void)
{
	if (service_register(service_id_from_name(DYING_SERVICE), PT_IFACE,
		dying_serve, NULL) != EOK)
		return 2;
	async_manager();
}

static int child_take(void)
{
	volatile uint8_t *area;
	cap_handle_t phone;
	if (area_from_service(SERVICE, AS_PAGER_TAKE, AS_AREA_READ, &area, &phone) != EOK)
		return 2;
	if (ipc_hangup(phone, 0) != ENOENT)
		return 3; /* the handle should be gone */
	if (!pattern_check(area, PAGER_OFFSET, PAGER_ARG))
		return 4;
	return as_area_destroy((uintptr_t) area) == EOK ? 0 : 5;
}

static int child_syscall(void)
{
	volatile uint8_t *area;
	cap_handle_t phone;
	if (area_from_service(SERVICE, 0, AS_AREA_READ, &area, &phone) != EOK)
		return 2;
	/* The kernel reads the untouched page (a task name is at most 31 bytes). */
	if (syscall2(SYS_TASK_SET_NAME, (sysarg_t) area + 64, 16) != EOK)
		return 3;
	return pattern_check(area, PAGER_OFFSET, PAGER_ARG) ? 0 : 4;
}

/* The in-task pager: a worker touches, the main thread answers. */
static volatile uint8_t *self_area;
static volatile int self_result = -1;

static void self_worker(void *arg)
{
	bool ok = true;
	for (size_t i = 0; i < PAGES; i++)
		ok = ok && pattern_check(self_area + i * PAGE, i * PAGE, 9);
	self_result = ok ? 0 : 3;
	ipc_poke(); /* the pager waits for its next event */
}

static int child_self(void)
{
	as_pager_t p = {.flags = AS_PAGER_TO_ME, .label = 0x5e1f, .arg = 9};
	uintptr_t base = AS_AREA_ANY;
	if (as_area_create_pager(&base, PAGES * PAGE, AS_AREA_READ, &p) != EOK)
		return 2;
	self_area = (volatile uint8_t *) base;
	thread_id_t t;
	if (thread_create(self_worker, NULL, "toucher", &t) != EOK)
		return 4;
	static uint8_t page[PAGE];
	ipc_event_t ev;
	while (self_result < 0 && ipc_wait(&ev, 0, 0) == EOK) {
		if (ev.kind != IPC_EVENT_REQUEST || ev.imethod != IPC_M_PAGE_IN)
			continue;
		if (ev.label != 0x5e1f || ev.task_id != task_get_id())
			return 5;
		pager_request_t req;
		pager_request_get(&ev, &req);
		pattern_fill(page, req.offset, req.arg);
		if (pager_answer(ev.cap, page, PAGE) != EOK)
			return 6;
	}
	return thread_join(t) == EOK ? self_result : 7;
}

static int child_main(const char *mode)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} modes[] = {{"touch", child_touch}, {"fault", child_fault},
	    {"fault-dying", child_fault_dying}, {"dying-pager", child_dying_pager},
	    {"take", child_take}, {"syscall", child_syscall}, {"self", child_self}};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(mode, modes[i].name) == 0)
			return modes[i].fn();
	}
	return 100;
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 2 && strcmp(argv[1], "--child") == 0)
		return child_main(argv[2]);
	fibril_event_initialize(&request_event);
	test_suite_start("pagertest");
	if (service_register(service_id_from_name(SERVICE), PT_IFACE, serve, NULL) != EOK)
		return 1;
	/* The baseline after one child: the sessions it opens stay for the next. */
	serve_reset(SERVE_PAGES);
	task_id_t id;
	task_wait_t wait;
	if (child_start("touch", &id, &wait) != EOK || !ended(&wait, TASK_EXIT_NORMAL, 0) ||
	    kernel_stats_get(&baseline) != EOK)
		return 1;
	RUN(test_pages_come_from_the_pager_once_each);
	RUN(test_short_page_kills_the_faulting_task);
	RUN(test_pager_error_kills_the_faulting_task);
	RUN(test_killed_while_the_pager_does_not_answer);
	RUN(test_pager_death_kills_the_waiting_task);
	RUN(test_a_task_pages_itself);
	RUN(test_the_area_takes_the_handle);
	RUN(test_a_system_call_reading_the_area_pages_it_in);
	RUN(test_bad_arguments_are_refused);
	RUN(test_everything_is_released);
	return test_suite_end();
}
