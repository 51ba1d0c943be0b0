/*
 * exctest: exceptions as messages and the debug interface (abi/exc.h).
 *
 * In its own task, a worker thread faults in each way the CPU can report
 * (page faults, divide error, invalid opcode, general protection,
 * breakpoint, x87 error; QEMU's TCG does not raise the SIMD error) while this task is its exception
 * handler: each fault must arrive with the right payload, and the worker
 * must go on where the answer says. With children it starts (exctest
 * --child MODE) it checks the answers the kernel refuses, a kill while the
 * faulting thread waits, a handler that dies, a handler faulting itself, the
 * debug interface's stop, thread list, registers and memory, and that the
 * kernel's counters come back to their baseline.
 * Output: testsuite.h lines; exit status 0 only if every test passed.
 */
#include <as.h>
#include <async.h>
#include <exc.h>
#include <fibril.h>
#include <getopt.h>
#include <ns.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <testsuite.h>
#include <thread.h>

#define USAGE "(a test program; make test boots it with testtask=exctest)"

#define EXCTEST_PATH  "/app/exctest"
#define UNMAPPED      0x0000600000000000ull
#define NONCANONICAL  0x8000000000000000ull
#define KERNEL_IP     0xffffffff80100000ull
#define WAIT_USEC     (30 * 1000 * 1000ull)
#define PF_PRESENT    0x1
#define PF_WRITE      0x2
#define PF_USER	      0x4
#define CHILD_SERVICE "exctsrv" /* served by the child of mode "server" */
#define CS_IFACE      0x6578
#define CS_INCREMENT  (IPC_FIRST_USER_METHOD + 1) /* answers arg1 + 1 */

/* The faulting instructions, each between a start and an end label. */
extern char ud_start[], ud_end[], div_start[], div_end[], gp_start[], gp_end[];
extern char bp_end[], x87_start[], x87_end[];

/*
 * Exception calls as the async framework hands them to us: queued by the
 * handler fibril, taken by the test that waits for one.
 */
#define QUEUE_MAX 8
static ipc_call_t queue[QUEUE_MAX];
static size_t queued;
static fibril_event_t queue_event;

static void exception_handler(ipc_call_t *call, void *arg)
{
	if (queued == QUEUE_MAX) {
		DISCARD(best_effort, exc_answer(call->cap, EXC_KILL, 0, 0));
		return;
	}
	queue[queued++] = *call;
	fibril_notify(&queue_event);
}

/** The next exception call (false: none within WAIT_USEC). */
static bool exception_next(ipc_call_t *call, exc_info_t *info)
{
	uint64_t deadline = fibril_deadline(WAIT_USEC);
	while (queued == 0) {
		if (fibril_wait_until(&queue_event, deadline) == ETIMEOUT && queued == 0)
			return false;
	}
	*call = queue[0];
	memmove(&queue[0], &queue[1], --queued * sizeof(queue[0]));
	exc_info_get(call, info);
	return true;
}

/*
 * In-task faults: a worker thread runs one of these while the main thread's
 * async framework is its task's handler.
 */
static volatile int worker_done;
static volatile uint64_t worker_value;

/* noinline: its labels must exist once. */
static __attribute__((noinline)) void fault_ud(void)
{
	__asm__ volatile("ud_start: ud2\nud_end:");
}

static __attribute__((noinline)) void fault_div(void)
{
	__asm__ volatile("xor %%edx, %%edx\n mov $1, %%eax\n xor %%ecx, %%ecx\n"
			 "div_start: divl %%ecx\ndiv_end:" ::
			     : "rax", "rcx", "rdx");
}

static __attribute__((noinline)) void fault_gp(void)
{
	__asm__ volatile("movabs $0x8000000000000000, %%rax\n"
			 "gp_start: movq (%%rax), %%rax\ngp_end:" ::
			     : "rax");
}

static __attribute__((noinline)) void fault_bp(void)
{
	__asm__ volatile("int3\nbp_end:");
	worker_value = 3; /* reached only when resumed past the breakpoint */
}

static __attribute__((noinline)) void fault_x87(void)
{
	uint16_t cw = 0x037b; /* all masked but zero-divide */
	float zero = 0.0f;
	/* The error is raised by the next waiting instruction, the fwait. */
	__asm__ volatile("fninit\n fldcw %0\n fld1\n fdivs %1\n"
			 "x87_start: fwait\nx87_end: fninit" ::"m"(cw),
	    "m"(zero));
}

static volatile uint8_t *page_target;

static void fault_page_write(void)
{
	*page_target = 0x5a;
	worker_value = *page_target;
}

static void (*worker_fn)(void);

static void worker(void *arg)
{
	worker_fn();
	worker_done = 1;
}

static thread_id_t worker_start(void (*fn)(void))
{
	worker_fn = fn;
	worker_done = 0;
	worker_value = 0;
	thread_id_t id = 0;
	if (thread_create(worker, NULL, "faulter", &id) != EOK)
		return 0;
	return id;
}

/** Waits (yielding to the async framework) until the worker has returned. */
static bool worker_finish(thread_id_t id)
{
	for (int i = 0; i < 30000 && !worker_done; i++)
		fibril_usleep(1000);
	return worker_done && thread_join(id) == EOK;
}

/** Starts a worker running @a fn and takes its fault; its id (0: failed). */
static thread_id_t worker_fault(void (*fn)(void), ipc_call_t *call, exc_info_t *info)
{
	thread_id_t id = worker_start(fn);
	return id != 0 && exception_next(call, info) ? id : 0;
}

/** Runs @a fn in a worker: its fault must be @a kind at @a start, and it
 *  resumes at @a end. */
static void check_kind(void (*fn)(void), unsigned kind, char *start, char *end)
{
	ipc_call_t call;
	exc_info_t info;
	thread_id_t id = worker_fault(fn, &call, &info);
	CHECK(id != 0);
	EXPECT(info.kind == kind, "kind %u, wanted %u", info.kind, kind);
	EXPECT(info.thread_id == id, "thread %llu, wanted %llu",
	    (unsigned long long) info.thread_id, (unsigned long long) id);
	EXPECT(ipc_get_task_id(&call) == task_get_id(), "sender %llu",
	    (unsigned long long) ipc_get_task_id(&call));
	EXPECT(info.ip == (uintptr_t) start, "ip %#llx, wanted %p",
	    (unsigned long long) info.ip, (void *) start);
	EXPECT(info.sp > USER_ADDRESS_MIN && info.sp < 0x800000000000ull, "sp %#llx",
	    (unsigned long long) info.sp);
	EXPECT(info.fault_addr == 0, "fault address %#llx",
	    (unsigned long long) info.fault_addr);
	CHECK_RC(exc_answer(call.cap, EXC_RESUME, (uintptr_t) end, 0), EOK);
	CHECK(worker_finish(id));
}

static void test_divide_error_reaches_the_handler(void)
{
	check_kind(fault_div, EXC_KIND_DIVIDE, div_start, div_end);
}

static void test_invalid_opcode_reaches_the_handler(void)
{
	check_kind(fault_ud, EXC_KIND_OPCODE, ud_start, ud_end);
}

static void test_general_protection_reaches_the_handler(void)
{
	check_kind(fault_gp, EXC_KIND_GENERAL, gp_start, gp_end);
}

static void test_x87_error_reaches_the_handler(void)
{
	check_kind(fault_x87, EXC_KIND_X87, x87_start, x87_end);
}

/* A debugger's resume past a breakpoint: the ip is already after int3. */
static void test_resume_past_a_breakpoint(void)
{
	ipc_call_t call;
	exc_info_t info;
	thread_id_t id = worker_fault(fault_bp, &call, &info);
	CHECK(id != 0);
	EXPECT(info.kind == EXC_KIND_BREAKPOINT, "kind %u", info.kind);
	EXPECT(info.ip == (uintptr_t) bp_end, "ip %#llx, wanted %p",
	    (unsigned long long) info.ip, (void *) bp_end);
	CHECK_RC(exc_answer(call.cap, EXC_RESUME, 0, 0), EOK);
	CHECK(worker_finish(id));
	CHECK(worker_value == 3);
}

/* The handler maps the page the worker wrote to; the write then completes. */
static void test_resume_after_mapping_the_page(void)
{
	page_target = (volatile uint8_t *) UNMAPPED;
	ipc_call_t call;
	exc_info_t info;
	thread_id_t id = worker_fault(fault_page_write, &call, &info);
	CHECK(id != 0);
	EXPECT(info.kind == EXC_KIND_PAGE, "kind %u", info.kind);
	EXPECT(info.fault_addr == UNMAPPED, "address %#llx",
	    (unsigned long long) info.fault_addr);
	EXPECT((info.error & (PF_WRITE | PF_USER | PF_PRESENT)) == (PF_WRITE | PF_USER),
	    "error code %#x", info.error);
	uintptr_t base = UNMAPPED;
	CHECK_RC(as_area_create(&base, 4096, AS_AREA_READ | AS_AREA_WRITE), EOK);
	CHECK_RC(exc_answer(call.cap, EXC_RESUME, 0, 0), EOK);
	CHECK(worker_finish(id));
	EXPECT(
	    worker_value == 0x5a, "read back %#llx", (unsigned long long) worker_value);
	CHECK_RC(as_area_destroy(base), EOK);
}

/* A write to a read-only area: a protection fault; the handler lifts it. */
static void test_resume_after_a_protection_fault(void)
{
	uintptr_t base = AS_AREA_ANY;
	CHECK_RC(as_area_create(&base, 4096, AS_AREA_READ), EOK);
	page_target = (volatile uint8_t *) base + 8;
	CHECK(*page_target == 0); /* present now: the write is a protection fault */
	ipc_call_t call;
	exc_info_t info;
	thread_id_t id = worker_fault(fault_page_write, &call, &info);
	CHECK(id != 0);
	EXPECT(info.kind == EXC_KIND_PAGE && info.fault_addr == base + 8,
	    "kind %u at %#llx", info.kind, (unsigned long long) info.fault_addr);
	EXPECT((info.error & (PF_WRITE | PF_PRESENT)) == (PF_WRITE | PF_PRESENT),
	    "error code %#x", info.error);
	CHECK_RC(as_area_change_flags(base, AS_AREA_READ | AS_AREA_WRITE), EOK);
	CHECK_RC(exc_answer(call.cap, EXC_RESUME, 0, 0), EOK);
	CHECK(worker_finish(id));
	EXPECT(
	    worker_value == 0x5a, "read back %#llx", (unsigned long long) worker_value);
	CHECK_RC(as_area_destroy(base), EOK);
}

/* The registers of a thread stopped at a fault, read and set by the debug
 * interface: the resume goes where the registers say. */
static void test_registers_of_a_faulted_thread(void)
{
	ipc_call_t call;
	exc_info_t info;
	thread_id_t id = worker_fault(fault_ud, &call, &info);
	CHECK(id != 0);
	exc_thread_info_t threads[8];
	size_t n = 0;
	CHECK_RC(debug_threads(0, threads, 8, &n), EOK);
	bool found = false;
	for (size_t i = 0; i < n && i < 8; i++) {
		if (threads[i].id == id)
			found = threads[i].state == EXC_THREAD_FAULTED &&
			    threads[i].kind == EXC_KIND_OPCODE &&
			    threads[i].ip == (uintptr_t) ud_start;
	}
	EXPECT(found, "the faulted worker is not listed as such (%zu threads)", n);
	exc_regs_t regs;
	CHECK_RC(debug_regs_get(0, id, &regs), EOK);
	EXPECT(regs.rip == (uintptr_t) ud_start && regs.rsp == info.sp,
	    "rip %#llx rsp %#llx", (unsigned long long) regs.rip,
	    (unsigned long long) regs.rsp);
	exc_regs_t bad = regs;
	bad.rip = KERNEL_IP;
	CHECK_RC(debug_regs_set(0, id, &bad), EINVAL);
	bad.rip = NONCANONICAL;
	CHECK_RC(debug_regs_set(0, id, &bad), EINVAL);
	bad = regs;
	bad.rsp = NONCANONICAL;
	CHECK_RC(debug_regs_set(0, id, &bad), EINVAL);
	regs.rip = (uintptr_t) ud_end;
	CHECK_RC(debug_regs_set(0, id, &regs), EOK);
	CHECK_RC(exc_answer(call.cap, EXC_RESUME, 0, 0), EOK);
	CHECK(worker_finish(id));
}

/*
 * Children: exctest --child MODE, with this task as its exception handler
 * from before its program runs.
 */
static void handler_for_child(task_id_t id, void *arg)
{
	errno_t *rc = arg;
	*rc = exc_handler_set_to_me(id, 0, 0);
}

static errno_t child_start(const char *mode, task_id_t *id, task_wait_t *wait)
{
	const char *const args[] = {"exctest", "--child", mode, NULL};
	errno_t set_rc = ENOENT;
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.created = handler_for_child;
	opts.created_arg = &set_rc;
	errno_t rc = task_spawn_opts(id, wait, EXCTEST_PATH, args, &opts);
	return rc != EOK ? rc : set_rc;
}

/** The child's page fault (at UNMAPPED), checked. */
static bool child_fault_next(task_id_t id, ipc_call_t *call)
{
	exc_info_t info;
	if (!exception_next(call, &info))
		return false;
	return ipc_get_task_id(call) == id && info.kind == EXC_KIND_PAGE &&
	    info.fault_addr == UNMAPPED;
}

/** Runs exctest --child @a mode (without a handler) to its end. */
static errno_t child_run(const char *mode, task_exit_t *exit)
{
	task_id_t id;
	task_wait_t wait;
	errno_t rc = task_spawnl(
	    &id, &wait, EXCTEST_PATH, "exctest", "--child", mode, NULL);
	return rc == EOK ? task_wait(&wait, exit, NULL) : rc;
}

static bool ended_by_fault(task_wait_t *wait, int kind)
{
	task_exit_t exit;
	return task_wait(wait, &exit, NULL) == EOK && exit.how == TASK_EXIT_FAULT &&
	    exit.status == kind;
}

/** A child faults and is answered @a verdict, @a ip: the answer gets
 *  @a answer_rc, and the child ends by its fault. */
static void child_answered(unsigned verdict, uintptr_t ip, errno_t answer_rc)
{
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start("page", &id, &wait), EOK);
	ipc_call_t call;
	CHECK(child_fault_next(id, &call));
	CHECK_RC(exc_answer(call.cap, verdict, ip, 0), answer_rc);
	CHECK(ended_by_fault(&wait, EXC_KIND_PAGE));
}

static void test_kill_verdict_ends_the_child(void)
{
	child_answered(EXC_KILL, 0, EOK);
}

static void test_unknown_verdict_is_refused(void)
{
	child_answered(77, 0, EINVAL);
}

static void test_noncanonical_ip_is_refused(void)
{
	child_answered(EXC_RESUME, NONCANONICAL, EINVAL);
}

static void test_kernel_ip_is_refused(void)
{
	child_answered(EXC_RESUME, KERNEL_IP, EINVAL);
}

static void test_killed_while_it_waits_for_the_handler(void)
{
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start("page", &id, &wait), EOK);
	ipc_call_t call;
	CHECK(child_fault_next(id, &call));
	CHECK_RC(task_kill(id), EOK);
	task_exit_t exit;
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_KILLED);
	/* The answer finds nobody waiting: it is dropped. */
	CHECK_RC(exc_answer(call.cap, EXC_RESUME, 0, 0), EOK);
}

/* The handler (a child that makes its own child fault) dies with the fault
 * unanswered: the faulting grandchild is killed. */
static void test_handler_death_kills_the_faulting_task(void)
{
	task_exit_t exit;
	CHECK_RC(child_run("dying-handler", &exit), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 0);
}

/* A handler is not sent its own faults: the child names itself and faults. */
static void test_a_handler_is_not_sent_its_own_fault(void)
{
	task_exit_t exit;
	CHECK_RC(child_run("self", &exit), EOK);
	CHECK(exit.how == TASK_EXIT_FAULT && exit.status == EXC_KIND_OPCODE);
}

/** Polls (up to 30 s) until the first thread of @a id is in @a state. */
static bool thread_state_becomes(task_id_t id, uint32_t state)
{
	exc_thread_info_t t[4];
	size_t n = 0;
	for (int i = 0; i < 30000; i++) {
		if (debug_threads(id, t, 4, &n) == EOK && n >= 1 && t[0].state == state)
			return true;
		fibril_usleep(1000);
	}
	return false;
}

/* Stop a spinning child, read its thread and memory, resume, kill. */
static void test_debug_stop_read_and_resume(void)
{
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start("spin", &id, &wait), EOK);
	CHECK_RC(debug_stop(id), EOK);
	CHECK(thread_state_becomes(id, EXC_THREAD_STOPPED));
	exc_thread_info_t t[4];
	size_t n = 0;
	CHECK_RC(debug_threads(id, t, 4, &n), EOK);
	CHECK(n >= 1 && t[0].state == EXC_THREAD_STOPPED);
	exc_regs_t regs;
	CHECK_RC(debug_regs_get(id, t[0].id, &regs), EOK);
	EXPECT(regs.rip == t[0].ip, "rip %#llx, listed %#llx",
	    (unsigned long long) regs.rip, (unsigned long long) t[0].ip);
	/* The child's copy of our program: the same bytes at the same place. */
	uint8_t code[16];
	CHECK_RC(debug_mem_read(id, (uintptr_t) fault_ud, code, sizeof(code)), EOK);
	CHECK(memcmp(code, (const void *) fault_ud, sizeof(code)) == 0);
	CHECK_RC(debug_mem_read(id, UNMAPPED, code, 1), ENOENT);
	CHECK_RC(debug_mem_read(id, 0x7ffffffffff0ull, code, 64), EINVAL);
	CHECK_RC(debug_resume(id), EOK);
	CHECK_RC(task_kill(id), EOK);
	task_exit_t exit;
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_KILLED);
}

/* Counts the rounds of the looping children (the parent reads it). */
static volatile uint64_t loop_rounds;

/** Whether child @a id's loop_rounds grows within 30 s after @a from. */
static bool rounds_grow(task_id_t id, uint64_t from)
{
	for (int i = 0; i < 30000; i++) {
		uint64_t now = 0;
		if (debug_mem_read(id, (uintptr_t) &loop_rounds, &now, sizeof(now)) ==
			EOK &&
		    now > from)
			return true;
		fibril_usleep(1000);
	}
	return false;
}

/** A child looping on system calls (@a mode) stops on its way out of one,
 *  where no timer tick finds it in user mode, and goes on where it was. */
static void debug_stop_on_the_way_out(const char *mode)
{
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start(mode, &id, &wait), EOK);
	CHECK(rounds_grow(id, 0));
	CHECK_RC(debug_stop(id), EOK);
	EXPECT(thread_state_becomes(id, EXC_THREAD_STOPPED), "%s: never stopped", mode);
	exc_thread_info_t t[4];
	size_t n = 0;
	CHECK_RC(debug_threads(id, t, 4, &n), EOK);
	exc_regs_t regs;
	CHECK_RC(debug_regs_get(id, t[0].id, &regs), EOK);
	EXPECT(regs.rip == t[0].ip && regs.rip != 0, "rip %#llx, listed %#llx",
	    (unsigned long long) regs.rip, (unsigned long long) t[0].ip);
	uint64_t rounds = 0;
	CHECK_RC(
	    debug_mem_read(id, (uintptr_t) &loop_rounds, &rounds, sizeof(rounds)), EOK);
	CHECK_RC(debug_resume(id), EOK);
	EXPECT(rounds_grow(id, rounds), "%s: no round after the resume", mode);
	CHECK_RC(task_kill(id), EOK);
	task_exit_t exit;
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_KILLED); /* not a fault: it went on intact */
}

static void test_debug_stop_catches_a_thread_leaving_a_light_system_call(void)
{
	debug_stop_on_the_way_out("sleep-loop");
}

static void test_debug_stop_catches_a_thread_leaving_an_ipc_wait(void)
{
	debug_stop_on_the_way_out("wait-loop");
}

/** Polls (up to 30 s) until every thread of @a id is stopped; the list in
 *  @a t (at most @a max), its length in @a n. */
static bool all_threads_stopped(task_id_t id, exc_thread_info_t *t, size_t max, size_t *n)
{
	for (int i = 0; i < 30000; i++) {
		size_t stopped = 0;
		if (debug_threads(id, t, max, n) == EOK && *n >= 1 && *n <= max) {
			for (size_t k = 0; k < *n; k++)
				stopped += t[k].state == EXC_THREAD_STOPPED;
			if (stopped == *n)
				return true;
		}
		fibril_usleep(1000);
	}
	return false;
}

/** Whether every thread of @a id is stopped at this moment, one of them on
 *  its way out of a system call (its wait has ended). */
static bool all_stopped_one_at_exit(task_id_t id)
{
	exc_thread_info_t t[8];
	size_t n = 0;
	if (debug_threads(id, t, 8, &n) != EOK || n == 0 || n > 8)
		return false;
	size_t at_exit = 0;
	for (size_t k = 0; k < n; k++) {
		if (t[k].state != EXC_THREAD_STOPPED)
			return false;
		at_exit += t[k].kind == EXC_STOPPED_AT_EXIT;
	}
	return at_exit > 0;
}

/** Polls (up to 30 s) until all_stopped_one_at_exit(@a id). */
static bool wait_ends_stopped(task_id_t id)
{
	for (int i = 0; i < 30000; i++) {
		if (all_stopped_one_at_exit(id))
			return true;
		fibril_usleep(1000);
	}
	return false;
}

/** Each thread of @a t is stopped inside a system call with its registers
 *  of the call's entry, which may be read but not written. */
static void blocked_threads_check(task_id_t id, const exc_thread_info_t *t, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		EXPECT(t[k].kind == EXC_STOPPED_IN_SYSCALL, "thread %llu: kind %u",
		    (unsigned long long) t[k].id, t[k].kind);
		exc_regs_t regs;
		CHECK_RC(debug_regs_get(id, t[k].id, &regs), EOK);
		EXPECT(regs.rip == t[k].ip && regs.rip >= USER_ADDRESS_MIN &&
			regs.rsp >= USER_ADDRESS_MIN && regs.rbp != 0,
		    "rip %#llx (listed %#llx) rsp %#llx rbp %#llx",
		    (unsigned long long) regs.rip, (unsigned long long) t[k].ip,
		    (unsigned long long) regs.rsp, (unsigned long long) regs.rbp);
		CHECK_RC(debug_regs_set(id, t[k].id, &regs), EBUSY);
	}
}

/* A server blocked in its async wait is shown stopped there once its task
 * is stopped (before, it was listed as running, without registers, until a
 * call woke it); a call that ends the wait meanwhile is not served until the
 * task goes on. */
static void test_debug_stop_shows_a_thread_blocked_in_a_system_call(void)
{
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start("server", &id, &wait), EOK);
	errno_t rc;
	async_sess_t *sess = service_connect_blocking(
	    service_id_from_name(CHILD_SERVICE), CS_IFACE, 0, &rc);
	CHECK(sess != NULL);
	async_exch_t *exch = async_exchange_begin(sess);
	CHECK(exch != NULL);
	sysarg_t out = 0;
	CHECK_RC(async_req_1_1(exch, CS_INCREMENT, 41, &out), EOK);
	CHECK(out == 42);
	CHECK_RC(debug_stop(id), EOK);
	exc_thread_info_t t[8];
	size_t n = 0;
	EXPECT(all_threads_stopped(id, t, 8, &n), "%zu threads, not all stopped", n);
	blocked_threads_check(id, t, n);
	ipc_call_t answer;
	aid_t req = async_send_1(exch, CS_INCREMENT, 7, &answer);
	EXPECT(wait_ends_stopped(id), "the wait did not end in a stop");
	for (int i = 0; i < 20; i++) {
		EXPECT(all_stopped_one_at_exit(id), "a thread runs after its wait ended");
		fibril_usleep(5000);
	}
	CHECK_RC(async_wait_timeout(req, &rc, 0), ETIMEOUT);
	CHECK_RC(debug_resume(id), EOK);
	async_wait_for(req, &rc);
	CHECK_RC(rc, EOK);
	EXPECT(ipc_get_arg1(&answer) == 8, "answer %llu",
	    (unsigned long long) ipc_get_arg1(&answer));
	async_exchange_end(exch);
	CHECK_RC(async_hangup(sess), EOK);
	CHECK_RC(task_kill(id), EOK);
	task_exit_t exit;
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_KILLED);
}

/** The first child of task @a parent found; 0 if none. */
static task_id_t child_of(task_id_t parent)
{
	uint64_t *ids;
	size_t count;
	task_id_t found = 0;
	if (task_list_all(&ids, &count) != EOK)
		return 0;
	for (size_t i = 0; i < count && found == 0; i++) {
		task_info_t info;
		if (task_get_info(ids[i], &info) == EOK && info.parent_id == parent)
			found = ids[i];
	}
	free(ids);
	return found;
}

/** Stops @a id and whether all its @a threads threads are shown stopped
 *  inside a system call, one in call @a a and one in @a b (the number in
 *  RAX, the registers of the call's entry); lets it go on if not. */
static bool stopped_in_calls(task_id_t id, size_t threads, sysarg_t a, sysarg_t b)
{
	exc_thread_info_t t[8];
	size_t n = 0;
	bool stopped = debug_stop(id) == EOK;
	for (int i = 0; stopped && i < 100; i++) {
		size_t k = 0;
		stopped = debug_threads(id, t, 8, &n) == EOK && n == threads;
		while (stopped && k < n && t[k].state == EXC_THREAD_STOPPED)
			k++;
		if (stopped && k == n)
			break;
		fibril_usleep(1000);
	}
	unsigned seen = 0;
	for (size_t k = 0; k < n; k++) {
		exc_regs_t regs;
		if (!stopped || t[k].state != EXC_THREAD_STOPPED ||
		    t[k].kind != EXC_STOPPED_IN_SYSCALL ||
		    debug_regs_get(id, t[k].id, &regs) != EOK)
			continue;
		seen |= (regs.rax == a ? 1u : 0) | (regs.rax == b ? 2u : 0);
	}
	if (seen != 3)
		DISCARD(best_effort, debug_resume(id));
	return seen == 3;
}

/* Threads blocked in light system calls (a sleep, a task wait) are shown
 * stopped in them with the registers of the call's entry, like those in an
 * IPC wait (before, they were listed running, without registers). Until
 * the child's threads have reached their calls, a stop may find one
 * elsewhere: then it goes on and is stopped again. */
static void test_debug_stop_shows_threads_blocked_in_light_system_calls(void)
{
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(child_start("light-blocked", &id, &wait), EOK);
	bool shown = false;
	for (int i = 0; i < 300 && !shown; i++) {
		shown = stopped_in_calls(id, 2, SYS_THREAD_SLEEP, SYS_TASK_WAIT);
		if (!shown)
			fibril_usleep(10000);
	}
	EXPECT(shown, "not shown stopped in their calls");
	if (shown) {
		exc_thread_info_t t[8];
		size_t n = 0;
		CHECK_RC(debug_threads(id, t, 8, &n), EOK);
		blocked_threads_check(id, t, n);
		CHECK_RC(debug_resume(id), EOK);
	}
	task_id_t grandchild = child_of(id);
	CHECK(grandchild != 0);
	CHECK_RC(task_kill(grandchild), EOK);
	task_exit_t exit;
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	EXPECT(exit.how == TASK_EXIT_NORMAL && exit.status == 0, "how %d, status %d",
	    exit.how, exit.status);
}

/* Only one's children, or with PERM_DEBUG: the naming service (task 1) is
 * not ours; the child checks that it may not debug us. */
static void test_debugging_needs_a_child_or_the_permission(void)
{
	task_exit_t exit;
	CHECK_RC(child_run("noperm", &exit), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 0);
}

static void test_perm_debug_reads_any_task_but_names_no_handler(void)
{
	const char *const args[] = {"exctest", "--child", "debugger", NULL};
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.perms = PERM_DEBUG;
	task_id_t id;
	task_wait_t wait;
	CHECK_RC(task_spawn_opts(&id, &wait, EXCTEST_PATH, args, &opts), EOK);
	task_exit_t exit;
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	EXPECT(exit.how == TASK_EXIT_NORMAL && exit.status == 0, "how %d, status %d",
	    exit.how, exit.status);
}

/* A debugger that ends with its debuggee stopped: the kernel lets it go on.
 * The child stops its own child and exits with that one's id; we (PERM_DEBUG
 * as the test task) then watch it run again, and end it. */
static void test_a_dead_debuggers_stop_is_lifted(void)
{
	task_exit_t exit;
	CHECK_RC(child_run("stopper", &exit), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status > 0);
	task_id_t spinner = (task_id_t) exit.status;
	EXPECT(thread_state_becomes(spinner, EXC_THREAD_RUNNING),
	    "task %llu stays stopped", (unsigned long long) spinner);
	CHECK_RC(task_kill(spinner), EOK);
}

static kernel_stats_t baseline;

static void test_everything_is_released(void)
{
	CHECK(test_counters_back(&baseline));
}

/*
 * The children.
 */
static int child_page(void)
{
	*(volatile uint8_t *) UNMAPPED = 1;
	return 1; /* not reached: the handler resumes nothing here */
}

static void dying_handler(ipc_call_t *call, void *arg)
{
	/* Ends with the fault unanswered (and its grandchild waiting). */
	task_exit(0);
}

static int child_dying_handler(void)
{
	async_set_exception_handler(dying_handler, NULL);
	task_id_t id;
	task_wait_t wait;
	if (child_start("page", &id, &wait) != EOK)
		return 2;
	task_exit_t exit;
	DISCARD(best_effort, task_wait(&wait, &exit, NULL));
	return 3; /* not reached: the handler ended the task */
}

static int child_self(void)
{
	if (exc_handler_set_to_me(0, 0, 0) != EOK)
		return 2;
	fault_ud();
	return 3;
}

/* Spins in a known function (taskdump's scenario looks for it). */
static __attribute__((noinline)) void spin_here(void)
{
	for (;;)
		__asm__ volatile("pause");
}

static int child_spin(void)
{
	spin_here();
	return 1;
}

static int child_noperm(void)
{
	exc_regs_t regs;
	uint8_t b;
	/* Task 1 (the naming service) is neither us nor our child. */
	if (debug_stop(1) != EPERM || debug_mem_read(1, 0x400000, &b, 1) != EPERM ||
	    exc_handler_set_to_me(1, 0, 0) != EPERM ||
	    debug_regs_get(1, 1, &regs) != EPERM)
		return 1;
	if (debug_stop(0) != EINVAL || debug_mem_read(0, 0, &b, 0) != EOK)
		return 2;
	return 0;
}

/* With PERM_DEBUG (granted to it), it may stop and read its parent, but not
 * name the parent's exception handler: only a task's parent may. */
static int child_debugger(void)
{
	task_info_t self;
	uint8_t b;
	if (task_get_info(task_get_id(), &self) != EOK)
		return 1;
	if (debug_mem_read(self.parent_id, (uintptr_t) child_debugger, &b, 1) != EOK)
		return 2;
	if (exc_handler_set_to_me(self.parent_id, 0, 0) != EPERM)
		return 3;
	return 0;
}

/* A crash three calls deep (the shell scenario looks for these names in
 * the backtrace it prints). noinline: each keeps its frame. */
static __attribute__((noinline)) void crash_deepest(volatile int *p)
{
	*p = 1;
}

static __attribute__((noinline)) void crash_inner(volatile int *p)
{
	crash_deepest(p);
	__asm__ volatile(""); /* not a tail call */
}

static volatile uintptr_t crash_address = 0x10; /* below any mapping */

static int child_crash(void)
{
	crash_inner((volatile int *) crash_address);
	return 1;
}

/* Stops a spinning child of its own and ends: its exit status is that
 * child's id (0: something failed). */
static int child_stopper(void)
{
	task_id_t id;
	if (task_spawnl(&id, NULL, EXCTEST_PATH, "exctest", "--child", "spin", NULL) !=
	    EOK)
		return 0;
	if (debug_stop(id) != EOK || !thread_state_becomes(id, EXC_THREAD_STOPPED)) {
		DISCARD(best_effort, task_kill(id));
		return 0;
	}
	return (int) id;
}

static int child_sleep_loop(void)
{
	while (loop_rounds != UINT64_MAX) {
		DISCARD(best_effort, thread_sleep(20000));
		loop_rounds++;
	}
	return 1;
}

static int child_wait_loop(void)
{
	ipc_event_t ev;
	while (loop_rounds != UINT64_MAX) {
		DISCARD(best_effort, ipc_wait(&ev, 20000, 0));
		loop_rounds++;
	}
	return 1;
}

static void light_sleeper(void *arg)
{
	for (;;)
		DISCARD(best_effort, thread_sleep(1000ull * 1000 * 1000));
}

/* A thread sleeps for good; the main thread waits in the kernel's task
 * wait for its own child (a sleep loop) and ends when it is killed. */
static int child_light_blocked(void)
{
	if (thread_create(light_sleeper, NULL, "sleeper", NULL) != EOK)
		return 2;
	task_id_t id;
	task_wait_t wait;
	if (child_start("sleep-loop", &id, &wait) != EOK)
		return 3;
	task_exit_t exit;
	errno_t rc = task_join(id, &exit, 0); /* the kernel's task wait */
	task_cancel_wait(&wait);
	/* A loader-spawned child is not kept once it has ended: ENOENT. */
	if (rc == ENOENT)
		return 0;
	return rc == EOK && exit.how == TASK_EXIT_KILLED ? 0 : 4;
}

static int child_exit(void)
{
	return 0;
}

static void child_serve_call(ipc_call_t *call, void *arg)
{
	if (ipc_get_imethod(call) == CS_INCREMENT)
		DISCARD(answer, async_answer_1(call, EOK, ipc_get_arg1(call) + 1));
	else
		DISCARD(answer, async_answer_0(call, ENOTSUP));
}

static void child_serve(ipc_call_t *icall, void *arg)
{
	async_serve(icall, child_serve_call, NULL);
}

/* Waits for calls in a known function (taskdump's scenario looks for it). */
static __attribute__((noinline)) void serve_here(void)
{
	async_manager();
}

static int child_server(void)
{
	if (service_register(
		service_id_from_name(CHILD_SERVICE), CS_IFACE, child_serve, NULL) != EOK)
		return 2;
	serve_here();
	return 1;
}

static const test_child_t children[] = {{"page", child_page},
    {"dying-handler", child_dying_handler}, {"self", child_self}, {"spin", child_spin},
    {"noperm", child_noperm}, {"exit", child_exit}, {"crash", child_crash},
    {"stopper", child_stopper}, {"debugger", child_debugger},
    {"sleep-loop", child_sleep_loop}, {"wait-loop", child_wait_loop},
    {"server", child_server}, {"light-blocked", child_light_blocked}};

int main(int argc, char *argv[])
{
	int status;
	if (test_program_start(argc, argv, USAGE, TEST_CHILDREN(children), &status))
		return status;
	fibril_event_initialize(&queue_event);
	async_set_exception_handler(exception_handler, NULL);
	test_suite_start("exctest");
	/* The boot's servers started beside us register with the naming
	 * service as they start (a phone there each): the baseline waits for
	 * their start to end. */
	if (test_server_ready("vfs") != EOK || test_server_ready("tmpfs") != EOK)
		return 1;
	/* The baseline after one spawn: the sessions it opens stay for the next. */
	task_id_t id;
	task_wait_t wait;
	task_exit_t exit;
	if (child_start("exit", &id, &wait) != EOK ||
	    task_wait(&wait, &exit, NULL) != EOK || !test_child_gone(id) ||
	    test_baseline_get(&baseline) != EOK)
		return 1;
	if (exc_handler_set_to_me(0, 0, 0) != EOK)
		return 1;
	RUN(test_divide_error_reaches_the_handler);
	RUN(test_invalid_opcode_reaches_the_handler);
	RUN(test_general_protection_reaches_the_handler);
	RUN(test_x87_error_reaches_the_handler);
	RUN(test_resume_past_a_breakpoint);
	RUN(test_resume_after_mapping_the_page);
	RUN(test_resume_after_a_protection_fault);
	RUN(test_registers_of_a_faulted_thread);
	RUN(test_kill_verdict_ends_the_child);
	RUN(test_unknown_verdict_is_refused);
	RUN(test_noncanonical_ip_is_refused);
	RUN(test_kernel_ip_is_refused);
	RUN(test_killed_while_it_waits_for_the_handler);
	RUN(test_handler_death_kills_the_faulting_task);
	RUN(test_a_handler_is_not_sent_its_own_fault);
	RUN(test_debug_stop_read_and_resume);
	RUN(test_debug_stop_catches_a_thread_leaving_a_light_system_call);
	RUN(test_debug_stop_catches_a_thread_leaving_an_ipc_wait);
	RUN(test_debug_stop_shows_a_thread_blocked_in_a_system_call);
	RUN(test_debug_stop_shows_threads_blocked_in_light_system_calls);
	RUN(test_debugging_needs_a_child_or_the_permission);
	RUN(test_perm_debug_reads_any_task_but_names_no_handler);
	RUN(test_a_dead_debuggers_stop_is_lifted);
	RUN(test_everything_is_released);
	return test_suite_end();
}
