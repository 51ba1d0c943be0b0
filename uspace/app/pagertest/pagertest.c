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
#include <errno.h>
#include <fcntl.h>
#include <fibril.h>
#include <getopt.h>
#include <ns.h>
#include <pager.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <syscall.h>
#include <task.h>
#include <testsuite.h>
#include <thread.h>
#include <unistd.h>
#include <vfs.h>

#define USAGE "(a test program; make test boots it with testtask=pagertest)"

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
typedef enum {
	SERVE_PAGES,
	SERVE_SHORT,
	SERVE_LONG,
	SERVE_ERROR,
	SERVE_NEVER
} serve_mode_t;

static serve_mode_t serve_mode;
static size_t requests;
static uint64_t offsets_seen;  /* bit n: the page at PAGER_OFFSET + n * PAGE */
static bool request_ok = true; /* every request had the right size and arg */
static errno_t answer_rc;
static cap_handle_t held_call; /* SERVE_NEVER: the call left unanswered */
static bool holding;
static fibril_event_t request_event;
/* Two pages: SERVE_LONG answers with both. */
static uint8_t served_page[2 * PAGE] __attribute__((aligned(PAGE)));

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
	static uint8_t none[PAGE];
	if (pager_page_out_read(call->cap, none, PAGE) != EINVAL)
		request_ok = false; /* a page-in carries no bytes */
	switch (serve_mode) {
	case SERVE_PAGES:
		pattern_fill(served_page, req.offset, req.arg);
		answer_rc = pager_answer(call->cap, served_page, PAGE);
		break;
	case SERVE_SHORT:
		answer_rc = pager_answer(call->cap, served_page, 100);
		break;
	case SERVE_LONG:
		answer_rc = pager_answer(call->cap, served_page, 2 * PAGE);
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

/* Write-back (AS_PAGER_WRITEBACK): the child "writeback" writes byte
 * WB_AT of page n as wb_mark(n); every page sent back must hold the
 * pattern but for that byte. */
#define WB_AT 7
static size_t page_outs;
static uint64_t out_pages; /* bit n: page n of the area was sent back */
static bool out_ok = true; /* each page-out's request and bytes were right */

static uint8_t wb_mark(size_t n)
{
	return (uint8_t) (0xc0 + n);
}

/** Whether @a page, sent back as page @a n, holds the pattern but for its
 *  written byte. */
static bool wb_page_check(const uint8_t *page, size_t n)
{
	uint64_t offset = PAGER_OFFSET + n * PAGE;
	for (size_t i = 0; i < PAGE; i++) {
		if (page[i] != (i == WB_AT ? wb_mark(n) : pattern(offset, PAGER_ARG, i)))
			return false;
	}
	return true;
}

static void serve_page_out(ipc_call_t *call)
{
	static uint8_t page[PAGE];
	pager_request_t req;
	pager_request_get(call, &req);
	size_t n = (req.offset - PAGER_OFFSET) / PAGE;
	/* The bytes come only with the page's own size. */
	bool ok = pager_page_out_read(call->cap, page, 100) == EINVAL &&
	    pager_page_out_read(call->cap, NULL, PAGE) == EBADMEM &&
	    pager_page_out_read(call->cap, page, PAGE) == EOK;
	ok = ok && req.size == PAGE && req.arg == PAGER_ARG && n < PAGES &&
	    wb_page_check(page, n);
	out_ok = out_ok && ok;
	out_pages |= 1ull << (n % 64);
	page_outs++;
	answer_rc = async_answer_0(call, EOK);
	fibril_notify(&request_event);
}

/** Waits until @a count pages were sent back (false: not within WAIT_USEC). */
static bool page_outs_wait(size_t count)
{
	uint64_t deadline = fibril_deadline(WAIT_USEC);
	while (page_outs < count) {
		if (fibril_wait_until(&request_event, deadline) == ETIMEOUT &&
		    page_outs < count)
			return false;
	}
	return true;
}

static void serve_call(ipc_call_t *call, void *arg)
{
	if (ipc_get_imethod(call) == IPC_M_PAGE_IN)
		serve_page_in(call);
	else if (ipc_get_imethod(call) == IPC_M_PAGE_OUT)
		serve_page_out(call);
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
	page_outs = 0;
	out_pages = 0;
	out_ok = true;
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
		printf(
		    "pagertest: child ended how %d, status %d\n", exit.how, exit.status);
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

/* An answer longer than the page asked for is refused as well. */
static void test_long_page_kills_the_faulting_task(void)
{
	serve_reset(SERVE_LONG);
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

/* A write-back area: msync sends each written page back once, with the
 * bytes written, and waits for the pager; a clean page is not sent; the
 * pages written after it and not synced go back when the task ends. */
static void test_written_pages_go_back_to_the_pager(void)
{
	serve_reset(SERVE_PAGES);
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start("writeback", &id, &wait), EOK);
	CHECK(ended(&wait, TASK_EXIT_NORMAL, 0));
	/* Page 1 on msync (the child checked it came before msync returned),
	 * then pages 1 and 2 at the child's end. */
	CHECK(page_outs_wait(3));
	EXPECT(page_outs == 3, "%zu page-outs", page_outs);
	EXPECT(out_pages == 0x6, "pages sent back %#llx", (unsigned long long) out_pages);
	CHECK(out_ok);
	CHECK(request_ok);
}

/* The pager (a child) dies with a page-out unanswered: msync fails with
 * EHANGUP, the writer goes on and ends normally, nothing leaks. */
static void test_pager_death_during_a_write_back(void)
{
	task_id_t pager_id, id;
	task_wait_t pager_wait, wait;
	CHECK_RC(child_start("dying-pager-wb", &pager_id, &pager_wait), EOK);
	CHECK_RC(child_start("writeback-dying", &id, &wait), EOK);
	CHECK(ended(&wait, TASK_EXIT_NORMAL, 0));
	CHECK(ended(&pager_wait, TASK_EXIT_NORMAL, 0));
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
	p.flags = AS_PAGER_TO_ME |
	    AS_PAGER_WRITEBACK; /* write-back of a read-only area */
	CHECK_RC(as_area_create_pager(&base, PAGE, AS_AREA_READ, &p), EINVAL);
	/* msync: unaligned, empty, wrapping, or over unmapped memory. */
	CHECK_RC(as_area_sync(0x10000001, PAGE), EINVAL);
	CHECK_RC(as_area_sync(0x10000000, 0), EINVAL);
	CHECK_RC(as_area_sync(UINTPTR_MAX & ~(uintptr_t) (PAGE - 1), 2 * PAGE), EINVAL);
	CHECK_RC(as_area_sync(0x10000000, PAGE), ENOENT);
	/* The page-out read: no such call. */
	uint8_t page[16];
	CHECK_RC(pager_page_out_read(12345, page, sizeof(page)), ENOENT);
	p.flags = 0;
	p.phone = 12345; /* no such handle */
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), ENOENT);
	p.flags = AS_PAGER_TAKE;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), ENOENT);
	base = 0x1000; /* below user space's first page */
	p.flags = AS_PAGER_TO_ME;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), EINVAL);
	CHECK(base == 0x1000);
	/* The kernel calls the pager on the task's behalf: a phone without the
	 * call right is refused, with or without AS_PAGER_TAKE, and stays. */
	cap_handle_t weak;
	CHECK_RC(cap_derive(NS_PHONE, CAP_RIGHT_HANGUP, &weak), EOK);
	base = AS_AREA_ANY;
	p.phone = weak;
	p.flags = 0;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), EPERM);
	p.flags = AS_PAGER_TAKE;
	CHECK_RC(as_area_create_pager(&base, PAGE, rw, &p), EPERM);
	CHECK_RC(ipc_hangup(weak, IPC_HANGUP_RELEASE), EOK);
}

/* A handle is a slot and its generation: once a slot was reused 256 times
 * its handles no longer fit 32 bits, and a pager phone there still works
 * (it was refused with ENOENT). */
static void test_a_pager_phone_of_a_much_reused_slot(void)
{
	cap_handle_t phone = CAP_NULL;
	for (int i = 0; i < 4096 && phone <= UINT32_MAX; i++) {
		if (phone != CAP_NULL)
			CHECK_RC(ipc_hangup(phone, IPC_HANGUP_RELEASE), EOK);
		CHECK_RC(
		    cap_derive(NS_PHONE, CAP_RIGHT_CALL | CAP_RIGHT_HANGUP, &phone), EOK);
	}
	CHECK(phone > UINT32_MAX);
	as_pager_t p = {.phone = phone, .arg = PAGER_ARG, .offset = 0, .flags = 0};
	uintptr_t base = AS_AREA_ANY;
	CHECK_RC(as_area_create_pager(&base, PAGE, AS_AREA_READ, &p), EOK);
	CHECK_RC(as_area_destroy(base), EOK);
	CHECK_RC(ipc_hangup(phone, IPC_HANGUP_RELEASE), EOK);
}

/* The kernel's counters after the setup of each group of tests. */
static kernel_stats_t baseline;

/*
 * mmap of files (sys/mman.h): the VFS is the pager of each mapping.
 */
#define MAP_PATH    "/tmp/map.bin"
#define SHORT_PATH  "/tmp/short.bin"
#define COPY_PATH   "/tmp/copy.bin"
#define SHARED_PATH "/tmp/shared.bin"
#define SHARED_SIZE (3 * PAGE + 100)
#define MAP_SIZE    (1024 * 1024)
#define SHORT_SIZE  5000

static uint8_t file_byte(size_t i)
{
	return (uint8_t) (i * 31 + i / PAGE);
}

/** Writes @a size bytes of file_byte() to a new file @a path. */
static errno_t file_make(const char *path, size_t size)
{
	static uint8_t chunk[PAGE];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return errno;
	errno_t rc = EOK;
	for (size_t at = 0; rc == EOK && at < size; at += PAGE) {
		size_t n = size - at < PAGE ? size - at : PAGE;
		for (size_t i = 0; i < n; i++)
			chunk[i] = file_byte(at + i);
		rc = write(fd, chunk, n) == (ssize_t) n ? EOK : EIO;
	}
	close(fd);
	return rc;
}

/** Whether @a map (@a size bytes from @a offset of @a path) holds what
 *  read() gives, page by page. */
static bool map_matches_read(
    const volatile uint8_t *map, const char *path, off_t offset, size_t size)
{
	static uint8_t page[PAGE];
	int fd = open(path, O_RDONLY);
	bool ok = fd >= 0 && lseek(fd, offset, SEEK_SET) == offset;
	for (size_t at = 0; ok && at < size; at += PAGE) {
		ok = read(fd, page, PAGE) == PAGE;
		for (size_t i = 0; ok && i < PAGE; i++)
			ok = map[at + i] == page[i];
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

/* A 1 MiB file mapped read-only reads as read() gives it, page by page. */
static void test_mmap_reads_the_file_page_by_page(void)
{
	int fd = open(MAP_PATH, O_RDONLY);
	CHECK(fd >= 0);
	volatile uint8_t *map = mmap(NULL, MAP_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED);
	EXPECT(map_matches_read(map, MAP_PATH, 0, MAP_SIZE), "the mapping differs");
	CHECK(munmap((void *) map, MAP_SIZE) == 0);
	close(fd);
}

static void test_mmap_from_an_offset(void)
{
	int fd = open(MAP_PATH, O_RDONLY);
	CHECK(fd >= 0);
	volatile uint8_t *map = mmap(
	    NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 5 * PAGE);
	CHECK(map != MAP_FAILED);
	EXPECT(
	    map_matches_read(map, MAP_PATH, 5 * PAGE, 3 * PAGE), "the mapping differs");
	CHECK(munmap((void *) map, 3 * PAGE) == 0);
	close(fd);
}

/* Writes to a private mapping stay in it: the file keeps its bytes. */
static void test_private_writes_do_not_reach_the_file(void)
{
	int fd = open(MAP_PATH, O_RDWR);
	CHECK(fd >= 0);
	volatile uint8_t *map = mmap(
	    NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED);
	const uint8_t mine = (uint8_t) (file_byte(10) ^ 0xff);
	map[10] = mine;
	map[PAGE + 1] = 0;
	CHECK(map[10] == mine);
	uint8_t b[2];
	CHECK(lseek(fd, 10, SEEK_SET) == 10 && read(fd, b, 1) == 1);
	EXPECT(b[0] == file_byte(10), "the file has %#x", b[0]);
	CHECK(munmap((void *) map, 2 * PAGE) == 0);
	/* A new mapping sees the file's bytes, not the old mapping's. */
	map = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED);
	EXPECT(
	    map_matches_read(map, MAP_PATH, 0, 2 * PAGE), "the write reached the file");
	CHECK(munmap((void *) map, 2 * PAGE) == 0);
	close(fd);
}

/* The last page's bytes past the end read as zeros; a page wholly past it
 * kills the task that touches it (the child), the reason logged. */
static void test_mapping_past_the_end_of_the_file(void)
{
	int fd = open(SHORT_PATH, O_RDONLY);
	CHECK(fd >= 0);
	volatile uint8_t *map = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED);
	bool ok = true;
	for (size_t i = 0; i < 2 * PAGE; i++)
		ok = ok && map[i] == (i < SHORT_SIZE ? file_byte(i) : 0);
	EXPECT(ok, "the bytes up to the end of the second page differ");
	CHECK(munmap((void *) map, 3 * PAGE) == 0);
	close(fd);
	child_run_expect("past-end", TASK_EXIT_FAULT, TASK_FAULT_PAGE);
}

/* The mapping keeps the file: closing the descriptor changes nothing. */
static void test_a_mapping_outlives_its_descriptor(void)
{
	int fd = open(MAP_PATH, O_RDONLY);
	CHECK(fd >= 0);
	volatile uint8_t *map = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED);
	CHECK(close(fd) == 0);
	EXPECT(map_matches_read(map, MAP_PATH, 0, 4 * PAGE), "the mapping differs");
	CHECK(munmap((void *) map, 4 * PAGE) == 0);
}

/** write() from untouched mapped pages (the kernel reads them in a system
 *  call) into the very file mapped, through the same descriptor: pages 4-7
 *  of COPY_PATH over pages 0-3. Whether the file then begins with page 4. */
static bool write_from_own_mapping(void)
{
	if (file_make(COPY_PATH, 8 * PAGE) != EOK)
		return false;
	int fd = open(COPY_PATH, O_RDWR);
	if (fd < 0)
		return false;
	volatile uint8_t *map = mmap(NULL, 8 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	bool ok = map != MAP_FAILED && lseek(fd, 0, SEEK_SET) == 0 &&
	    write(fd, (const void *) (map + 4 * PAGE), 4 * PAGE) == 4 * PAGE;
	if (map != MAP_FAILED)
		ok = munmap((void *) map, 8 * PAGE) == 0 && ok;
	uint8_t page[PAGE];
	ok = ok && lseek(fd, 0, SEEK_SET) == 0 && read(fd, page, PAGE) == PAGE &&
	    page[0] == file_byte(4 * PAGE) && page[PAGE - 1] == file_byte(5 * PAGE - 1);
	close(fd);
	return ok;
}

static void test_the_file_system_is_ready(void)
{
	CHECK_RC(
	    vfs_mount("/", "tmpfs", "archive=rootfs", VFS_MOUNT_WAIT | VFS_MOUNT_RDONLY),
	    EOK);
	CHECK_RC(vfs_mount("/tmp", "tmpfs", "", 0), EOK);
	CHECK_RC(file_make(MAP_PATH, MAP_SIZE), EOK);
	CHECK_RC(file_make(SHORT_PATH, SHORT_SIZE), EOK);
	/* The baseline of the mapping tests: the mounts and the connections
	 * the VFS keeps to tmpfs (one more when two calls overlap) stay. */
	CHECK(write_from_own_mapping());
	CHECK_RC(kernel_stats_get(&baseline), EOK);
}

static void test_write_from_a_mapping_into_its_own_file(void)
{
	CHECK(write_from_own_mapping());
}

/** Whether mmap(@a len, @a prot, @a flags, @a fd, @a off) fails with @a err. */
static bool mmap_fails(size_t len, int prot, int flags, int fd, off_t off, errno_t err)
{
	errno = EOK;
	void *map = mmap(NULL, len, prot, flags, fd, off);
	if (map != MAP_FAILED) {
		DISCARD(cleanup, munmap(map, len));
		return false;
	}
	if (errno != err)
		printf("pagertest: mmap failed with %s, wanted %s\n", str_error(errno),
		    str_error(err));
	return errno == err;
}

static void test_bad_mmap_arguments_are_refused(void)
{
	int fd = open(MAP_PATH, O_RDONLY);
	int wfd = open(COPY_PATH, O_WRONLY);
	CHECK(fd >= 0 && wfd >= 0);
	CHECK(mmap_fails(PAGE, PROT_READ, MAP_PRIVATE, 77, 0, EBADF));
	CHECK(mmap_fails(PAGE, PROT_READ, MAP_PRIVATE, -1, 0, EBADF));
	CHECK(mmap_fails(PAGE, PROT_READ, MAP_PRIVATE, wfd, 0, EBADF));
	CHECK(mmap_fails(PAGE, PROT_READ, 0, fd, 0, EINVAL));
	CHECK(mmap_fails(PAGE, PROT_READ, MAP_SHARED | MAP_PRIVATE, fd, 0, EINVAL));
	CHECK(mmap_fails(PAGE, PROT_READ, MAP_PRIVATE | 0x1000, fd, 0, EINVAL));
	CHECK(mmap_fails(PAGE, PROT_READ, MAP_PRIVATE, fd, 100, EINVAL));
	CHECK(mmap_fails(PAGE, PROT_READ, MAP_PRIVATE, fd, -PAGE, EINVAL));
	CHECK(mmap_fails(0, PROT_READ, MAP_PRIVATE, fd, 0, EINVAL));
	CHECK(mmap_fails(PAGE, PROT_NONE, MAP_PRIVATE, fd, 0, EINVAL));
	CHECK(mmap_fails(
	    PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, fd, 0, EINVAL));
	errno = EOK;
	CHECK(mmap((void *) 0x123, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) ==
	    MAP_FAILED);
	CHECK(errno == EINVAL);
	volatile uint8_t *map = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED);
	CHECK(munmap((void *) (map + 1), PAGE) == -1 && errno == EINVAL);
	CHECK(munmap((void *) map, 0) == -1 && errno == EINVAL);
	CHECK(munmap((void *) map, 3 * PAGE) == -1 && errno == EINVAL);
	CHECK(munmap((void *) (map + PAGE), 2 * PAGE) == -1 && errno == EINVAL);
	CHECK(munmap((void *) map, SIZE_MAX) == -1 && errno == EINVAL);
	CHECK(map[PAGE + 3] == file_byte(PAGE + 3)); /* the refusals changed nothing */
	CHECK(munmap((void *) map, 2 * PAGE) == 0);
	CHECK(munmap((void *) map, 2 * PAGE) == -1 && errno == ENOENT);
	/* Anonymous memory: zeros, writable. */
	volatile uint8_t *anon = mmap(
	    NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(anon != MAP_FAILED && anon[7] == 0);
	anon[7] = 7;
	CHECK(anon[7] == 7 && munmap((void *) anon, PAGE) == 0);
	close(wfd);
	close(fd);
}

/** The byte at @a at of the file at @a path; -1 if it cannot be read. */
static int file_byte_at(const char *path, off_t at)
{
	int fd = open(path, O_RDONLY);
	uint8_t b;
	bool ok = fd >= 0 && lseek(fd, at, SEEK_SET) == at && read(fd, &b, 1) == 1;
	if (fd >= 0)
		close(fd);
	return ok ? b : -1;
}

/** The size of the file at @a path; -1 if it cannot be found. */
static off_t file_size(const char *path)
{
	int fd = open(path, O_RDONLY);
	off_t size = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	if (fd >= 0)
		close(fd);
	return size;
}

/** A shared writable mapping of the first 4 pages of SHARED_PATH (made
 *  anew, SHARED_SIZE bytes); MAP_FAILED on failure. */
static volatile uint8_t *shared_map(void)
{
	if (file_make(SHARED_PATH, SHARED_SIZE) != EOK)
		return MAP_FAILED;
	int fd = open(SHARED_PATH, O_RDWR);
	if (fd < 0)
		return MAP_FAILED;
	volatile uint8_t *map = mmap(
	    NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd); /* the mapping keeps the file */
	return map;
}

/* Writes through a shared mapping reach the file on msync, which returns
 * once read() sees them; bytes past the file's end stay in the mapping
 * (the file keeps its size). */
static void test_shared_writes_reach_the_file_on_msync(void)
{
	volatile uint8_t *map = shared_map();
	CHECK(map != MAP_FAILED);
	CHECK(map[5] == file_byte(5)); /* paged in clean */
	map[5] = 0x55;
	map[3 * PAGE + 50] = 0x66;
	map[3 * PAGE + 200] = 0x77; /* past the end */
	EXPECT(file_byte_at(SHARED_PATH, 5) == file_byte(5), "written back early");
	errno = EOK;
	EXPECT(
	    msync((void *) map, 4 * PAGE, MS_SYNC) == 0, "msync: %s", str_error(errno));
	EXPECT(file_byte_at(SHARED_PATH, 5) == 0x55, "the file has %d",
	    file_byte_at(SHARED_PATH, 5));
	EXPECT(file_byte_at(SHARED_PATH, 3 * PAGE + 50) == 0x66, "the last page");
	EXPECT(file_size(SHARED_PATH) == SHARED_SIZE, "the file is %lld bytes",
	    (long long) file_size(SHARED_PATH));
	CHECK(map[5] == 0x55 && map[3 * PAGE + 200] == 0x77);
	/* Written again after msync: the next one sends it again. */
	map[6] = 0x56;
	CHECK(msync((void *) map, PAGE, MS_ASYNC) == 0);
	EXPECT(file_byte_at(SHARED_PATH, 6) == 0x56, "the second write");
	CHECK(munmap((void *) map, 4 * PAGE) == 0);
}

/* munmap writes back what it unmaps, also a part of a mapping. */
static void test_munmap_writes_shared_pages_back(void)
{
	volatile uint8_t *map = shared_map();
	CHECK(map != MAP_FAILED);
	map[PAGE + 1] = 0x11;
	map[2 * PAGE + 2] = 0x22;
	CHECK(munmap((void *) (map + PAGE), PAGE) == 0);
	EXPECT(file_byte_at(SHARED_PATH, PAGE + 1) == 0x11, "the part unmapped");
	CHECK(munmap((void *) map, PAGE) == 0);
	CHECK(munmap((void *) (map + 2 * PAGE), 2 * PAGE) == 0);
	EXPECT(file_byte_at(SHARED_PATH, 2 * PAGE + 2) == 0x22, "the rest unmapped");
}

/* A child writes through its own shared mapping: what it synced, a new
 * mapping here sees at once; what it wrote and left at its end reaches the
 * file too (sent as the child ends; read() waits for it up to WAIT_USEC). */
static void test_another_task_sees_the_writes(void)
{
	CHECK_RC(file_make(SHARED_PATH, SHARED_SIZE), EOK);
	child_run_expect("file-writer", TASK_EXIT_NORMAL, 0);
	int fd = open(SHARED_PATH, O_RDWR);
	CHECK(fd >= 0);
	volatile uint8_t *map = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	CHECK(map != MAP_FAILED);
	EXPECT(map[100] == 0x11, "the synced write: %#x", map[100]);
	uint64_t deadline = fibril_deadline(WAIT_USEC);
	while (file_byte_at(SHARED_PATH, 2 * PAGE + 100) != 0x22 &&
	    fibril_deadline(0) < deadline)
		fibril_usleep(10000);
	EXPECT(file_byte_at(SHARED_PATH, 2 * PAGE + 100) == 0x22, "the write at its end");
	CHECK(munmap((void *) map, 3 * PAGE) == 0);
}

static void test_bad_shared_mappings_are_refused(void)
{
	int fd = open(MAP_PATH, O_RDONLY);
	CHECK(fd >= 0);
	/* A file open for reading cannot be written through a mapping. */
	CHECK(mmap_fails(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0, EPERM));
	volatile uint8_t *map = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED);
	close(fd);
	CHECK(msync((void *) map, 2 * PAGE, MS_SYNC) == 0); /* nothing to write */
	CHECK(msync((void *) (map + 1), PAGE, MS_SYNC) == -1 && errno == EINVAL);
	CHECK(msync((void *) map, 0, MS_SYNC) == -1 && errno == EINVAL);
	CHECK(msync((void *) map, PAGE, MS_SYNC | MS_ASYNC) == -1 && errno == EINVAL);
	CHECK(msync((void *) map, 3 * PAGE, MS_SYNC) == -1 && errno == ENOMEM);
	CHECK(munmap((void *) map, 2 * PAGE) == 0);
}

/* munmap of a part of a file mapping: the part is gone, the rest stays
 * mapped with the file's bytes (the middle splits the mapping, the start
 * moves it, the end shrinks it). */
static void test_partial_munmap_keeps_the_rest_mapped(void)
{
	int fd = open(MAP_PATH, O_RDONLY);
	CHECK(fd >= 0);
	volatile uint8_t *map = mmap(NULL, 8 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	CHECK(map != MAP_FAILED);
	CHECK(map[2 * PAGE] == file_byte(2 * PAGE)); /* paged in before the split */
	uintptr_t base = (uintptr_t) map;
	as_area_info_t info;
	CHECK(munmap((void *) (map + 3 * PAGE), 2 * PAGE) == 0);
	CHECK_RC(as_area_query(base + 3 * PAGE, &info), ENOENT);
	CHECK_RC(as_area_query(base + 4 * PAGE, &info), ENOENT);
	CHECK_RC(as_area_query(base + 5 * PAGE, &info), EOK);
	CHECK(info.base == base + 5 * PAGE && info.size == 3 * PAGE);
	CHECK(munmap((void *) map, PAGE) == 0);
	CHECK_RC(as_area_query(base + PAGE, &info), EOK);
	CHECK(info.base == base + PAGE && info.size == 2 * PAGE);
	CHECK(munmap((void *) (map + 7 * PAGE), PAGE) == 0);
	CHECK_RC(as_area_query(base + 7 * PAGE, &info), ENOENT);
	EXPECT(
	    map_matches_read(map + PAGE, MAP_PATH, PAGE, 2 * PAGE), "pages 1-2 differ");
	EXPECT(map_matches_read(map + 5 * PAGE, MAP_PATH, 5 * PAGE, 2 * PAGE),
	    "pages 5-6 differ");
	CHECK(munmap((void *) (map + 3 * PAGE), PAGE) == -1 && errno == ENOENT);
	CHECK(munmap((void *) (map + 2 * PAGE), 2 * PAGE) == -1 && errno == EINVAL);
	CHECK(munmap((void *) (map + PAGE), 2 * PAGE) == 0);
	CHECK(munmap((void *) (map + 5 * PAGE), 2 * PAGE) == 0);
	CHECK_RC(as_area_query(base + 5 * PAGE, &info), ENOENT);
}

/* The same with anonymous memory: what is left keeps its bytes and stays
 * writable, and the memory quota's use comes back when all is unmapped. */
static void test_partial_munmap_of_anonymous_memory(void)
{
	quota_info_t before, after;
	CHECK_RC(quota_get(0, &before), EOK);
	volatile uint8_t *anon = mmap(
	    NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(anon != MAP_FAILED);
	for (size_t p = 0; p < 4; p++)
		anon[p * PAGE + 1] = (uint8_t) (p + 1);
	CHECK(munmap((void *) (anon + PAGE), PAGE) == 0);
	CHECK(anon[1] == 1 && anon[2 * PAGE + 1] == 3 && anon[3 * PAGE + 1] == 4);
	anon[3 * PAGE + 2] = 9;
	CHECK(anon[3 * PAGE + 2] == 9);
	CHECK(munmap((void *) (anon + 3 * PAGE), PAGE) == 0);
	CHECK(anon[2 * PAGE + 1] == 3);
	CHECK(munmap((void *) anon, PAGE) == 0);
	CHECK(munmap((void *) (anon + 2 * PAGE), PAGE) == 0);
	CHECK_RC(quota_get(0, &after), EOK);
	EXPECT(after.used[QUOTA_MEMORY] == before.used[QUOTA_MEMORY],
	    "memory use %llu, was %llu", (unsigned long long) after.used[QUOTA_MEMORY],
	    (unsigned long long) before.used[QUOTA_MEMORY]);
}

static void test_everything_is_released(void)
{
	CHECK(test_counters_back(&baseline));
}

static void test_every_mapping_is_released(void)
{
	CHECK(test_counters_back(&baseline));
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
	if (area_from_service(SERVICE, 0, AS_AREA_READ | AS_AREA_WRITE, &area, &phone) !=
	    EOK)
		return 2;
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < PAGES; i++) {
			if (!pattern_check(
				area + i * PAGE, PAGER_OFFSET + i * PAGE, PAGER_ARG))
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
	if (service_register(
		service_id_from_name(DYING_SERVICE), PT_IFACE, dying_serve, NULL) != EOK)
		return 2;
	async_manager();
}

/* Serves pages; dies at the first page-out, leaving it unanswered. */
static void dying_wb_serve(ipc_call_t *icall, void *arg)
{
	static uint8_t page[PAGE];
	ipc_call_t call;
	DISCARD(best_effort, async_accept_0(icall));
	while (async_get_call(&call) && ipc_get_imethod(&call) != 0) {
		if (ipc_get_imethod(&call) == IPC_M_PAGE_OUT)
			exit(0);
		if (ipc_get_imethod(&call) != IPC_M_PAGE_IN) {
			DISCARD(answer, async_answer_0(&call, ENOTSUP));
			continue;
		}
		pager_request_t req;
		pager_request_get(&call, &req);
		pattern_fill(page, req.offset, req.arg);
		DISCARD(answer, pager_answer(call.cap, page, PAGE));
	}
}

static int child_dying_pager_wb(void)
{
	if (service_register(service_id_from_name(DYING_SERVICE), PT_IFACE,
		dying_wb_serve, NULL) != EOK)
		return 2;
	async_manager();
}

/** Writes wb_mark(@a n) into byte WB_AT of page @a n of @a area. */
static void wb_write(volatile uint8_t *area, size_t n)
{
	area[n * PAGE + WB_AT] = wb_mark(n);
}

/* Reads page 0, writes page 1, msync (page 1 goes back), msync again
 * (nothing to send), writes pages 1 and 2 and ends (both go back). */
static int child_writeback(void)
{
	volatile uint8_t *area;
	cap_handle_t phone;
	if (area_from_service(SERVICE, AS_PAGER_WRITEBACK, AS_AREA_READ | AS_AREA_WRITE,
		&area, &phone) != EOK)
		return 2;
	if (!pattern_check(area, PAGER_OFFSET, PAGER_ARG))
		return 3;
	wb_write(area, 1);
	if (as_area_sync((uintptr_t) area, PAGES * PAGE) != EOK)
		return 4;
	if (as_area_sync((uintptr_t) area, PAGES * PAGE) != EOK)
		return 5;
	if (area[PAGE + WB_AT] != wb_mark(1))
		return 6; /* the write-back keeps the page */
	wb_write(area, 1);
	wb_write(area, 2);
	return 0;
}

/* Writes page 0 of an area of the dying pager and syncs: the pager dies
 * with the page-out unanswered. */
static int child_writeback_dying(void)
{
	volatile uint8_t *area;
	cap_handle_t phone;
	if (area_from_service(DYING_SERVICE, AS_PAGER_WRITEBACK,
		AS_AREA_READ | AS_AREA_WRITE, &area, &phone) != EOK)
		return 2;
	wb_write(area, 0);
	if (as_area_sync((uintptr_t) area, PAGE) != EHANGUP)
		return 3;
	return area[WB_AT] == wb_mark(0) ? 0 : 4; /* the page is still ours */
}

/* Maps SHARED_PATH shared writable: writes page 0 and syncs, writes page
 * 2 and ends without a sync. */
static int child_file_writer(void)
{
	int fd = open(SHARED_PATH, O_RDWR);
	if (fd < 0)
		return 2;
	volatile uint8_t *map = mmap(
	    NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 3;
	map[100] = 0x11;
	if (msync((void *) map, 3 * PAGE, MS_SYNC) != 0)
		return 4;
	map[2 * PAGE + 100] = 0x22;
	return 0;
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

/* Touches the third page of a mapping of a file of 5000 bytes. */
static int child_past_end(void)
{
	int fd = open(SHORT_PATH, O_RDONLY);
	if (fd < 0)
		return 2;
	volatile uint8_t *map = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 3;
	return map[2 * PAGE] == 0xff ? 4 : 5; /* not reached: the pager refuses */
}

static const test_child_t children[] = {{"touch", child_touch}, {"fault", child_fault},
    {"fault-dying", child_fault_dying}, {"dying-pager", child_dying_pager},
    {"take", child_take}, {"syscall", child_syscall}, {"self", child_self},
    {"past-end", child_past_end}, {"writeback", child_writeback},
    {"dying-pager-wb", child_dying_pager_wb}, {"writeback-dying", child_writeback_dying},
    {"file-writer", child_file_writer}};

int main(int argc, char *argv[])
{
	int status;
	if (test_program_start(argc, argv, USAGE, TEST_CHILDREN(children), &status))
		return status;
	fibril_event_initialize(&request_event);
	test_suite_start("pagertest");
	if (service_register(service_id_from_name(SERVICE), PT_IFACE, serve, NULL) != EOK)
		return 1;
	/* The boot's servers started beside us register with the naming
	 * service as they start (a phone there each): the baseline waits for
	 * their start to end. */
	if (test_server_ready("vfs") != EOK || test_server_ready("tmpfs") != EOK)
		return 1;
	/* The baseline after one child: the sessions it opens stay for the next. */
	serve_reset(SERVE_PAGES);
	task_id_t id;
	task_wait_t wait;
	if (child_start("touch", &id, &wait) != EOK ||
	    !ended(&wait, TASK_EXIT_NORMAL, 0) || !test_child_gone(id) ||
	    test_baseline_get(&baseline) != EOK)
		return 1;
	RUN(test_pages_come_from_the_pager_once_each);
	RUN(test_short_page_kills_the_faulting_task);
	RUN(test_long_page_kills_the_faulting_task);
	RUN(test_pager_error_kills_the_faulting_task);
	RUN(test_killed_while_the_pager_does_not_answer);
	RUN(test_pager_death_kills_the_waiting_task);
	RUN(test_a_task_pages_itself);
	RUN(test_the_area_takes_the_handle);
	RUN(test_a_system_call_reading_the_area_pages_it_in);
	RUN(test_written_pages_go_back_to_the_pager);
	RUN(test_pager_death_during_a_write_back);
	RUN(test_bad_arguments_are_refused);
	RUN(test_a_pager_phone_of_a_much_reused_slot);
	RUN(test_everything_is_released);
	RUN(test_the_file_system_is_ready);
	RUN(test_mmap_reads_the_file_page_by_page);
	RUN(test_mmap_from_an_offset);
	RUN(test_private_writes_do_not_reach_the_file);
	RUN(test_mapping_past_the_end_of_the_file);
	RUN(test_a_mapping_outlives_its_descriptor);
	RUN(test_write_from_a_mapping_into_its_own_file);
	RUN(test_bad_mmap_arguments_are_refused);
	RUN(test_shared_writes_reach_the_file_on_msync);
	RUN(test_munmap_writes_shared_pages_back);
	RUN(test_another_task_sees_the_writes);
	RUN(test_bad_shared_mappings_are_refused);
	RUN(test_partial_munmap_keeps_the_rest_mapped);
	RUN(test_partial_munmap_of_anonymous_memory);
	RUN(test_every_mapping_is_released);
	return test_suite_end();
}
