/*
 * Registers across IPC round trips on the combined calls. A child
 * ("utest --regs-server") answers each request with answer-and-wait, its
 * answer words made from the request's; every REGS_SPIN_EVERY-th request it
 * first spins for a few clock ticks, so that a tick preempts it while the
 * caller waits, and a spinning thread of the caller's task runs in between
 * (the caller is then resumed by the scheduler, not by a hand-off). Both
 * sides check every register the system-call ABI defines after each call
 * (abi/syscall.h): R0..R9 as the protocol says, and RBX, RBP and RSP, which
 * the kernel must give back unchanged, as they were before the call; and
 * the SSE registers XMM6 and XMM15, each task with values of its own (the
 * FPU state follows each thread through the hand-offs between the tasks,
 * arch/fpu.h). Two more tests run the round trips while a third task is
 * stopped by the debug interface (no hand-off target then resumes straight
 * at its return to user space: it goes back through its kernel frames),
 * and kill the server while it waits in answer-and-wait for its next
 * request (its offer to be resumed at its return must not be taken). The
 * server reaches us on its phone 1, so the test runs where utest is the
 * boot's test task (the utest suites), not under `tester` in a full system.
 */
#include <errno.h>
#include <exc.h>
#include <discard.h>
#include <ipc.h>
#include <stdbool.h>
#include <stdio.h>
#include <syscall.h>
#include <task.h>
#include <testsuite.h>
#include <thread.h>
#include <time.h>
#include "utest.h"

#define REGS_ROUNDS	64
#define REGS_SPIN_EVERY 8
#define REGS_SPIN_NS	30000000ull /* a few ticks of the clock */
#define REGS_LABEL	0x5a5a17    /* the caller's label of its calls */
#define REGS_CONN_LABEL 0	    /* requests' label: none set on accepting */
#define REGS_IFACE	0x72656701  /* "reg" 1 */
#define REGS_ECHO	(IPC_FIRST_USER_METHOD + 1)
#define REGS_SPIN	(IPC_FIRST_USER_METHOD + 2)
/* What RBX and RBP hold across each call (strings: they go into the asm). */
#define REGS_RBX_VALUE "0x6b6b1111deadbeef"
#define REGS_RBP_VALUE "0x7c7c2222cafef00d"

/* RSP just before a checked call; each task makes one at a time. */
static uint64_t regs_saved_sp;
/* What XMM6 and XMM15 hold across each call of this task (both halves):
 * the test's and the server's differ. */
#define REGS_XMM_CLIENT 0x1357acef2468bdf0ull
#define REGS_XMM_SERVER 0x0fdb8642feca7531ull
static uint64_t regs_xmm_value = REGS_XMM_CLIENT;

/** System call @a id with R0..R9 from @a r (what comes back into it), RBX
 *  and RBP set to known values, XMM6 and XMM15 to regs_xmm_value; the
 *  result. *@a kept: RBX, RBP, RSP, XMM6 and XMM15 came back as they
 *  were. */
static sysarg_t regs_syscall(sysarg_t id, sysarg_t r[10], bool *kept)
{
	register sysarg_t r0 __asm__("rdi") = r[0];
	register sysarg_t r1 __asm__("rsi") = r[1];
	register sysarg_t r2 __asm__("rdx") = r[2];
	register sysarg_t r3 __asm__("r10") = r[3];
	register sysarg_t r4 __asm__("r8") = r[4];
	register sysarg_t r5 __asm__("r9") = r[5];
	register sysarg_t r6 __asm__("r12") = r[6];
	register sysarg_t r7 __asm__("r13") = r[7];
	register sysarg_t r8 __asm__("r14") = r[8];
	register sysarg_t r9 __asm__("r15") = r[9];
	sysarg_t ret = id;
	uint64_t changed;
	/* Below the red zone; RBP saved on the stack (it may be the frame
	 * pointer); after the call RBX = the bits that changed in RBX, RBP,
	 * RSP and the four halves of XMM6 and XMM15 together. */
	__asm__ volatile("sub $128, %%rsp\n\t"
			 "push %%rbp\n\t"
			 "mov %%rsp, %[sp]\n\t"
			 "movq %[x], %%xmm6\n\t"
			 "punpcklqdq %%xmm6, %%xmm6\n\t"
			 "movdqa %%xmm6, %%xmm15\n\t"
			 "movabs $" REGS_RBX_VALUE ", %%rbx\n\t"
			 "movabs $" REGS_RBP_VALUE ", %%rbp\n\t"
			 "syscall\n\t"
			 "movabs $" REGS_RBX_VALUE ", %%rcx\n\t"
			 "xor %%rcx, %%rbx\n\t"
			 "movabs $" REGS_RBP_VALUE ", %%rcx\n\t"
			 "xor %%rcx, %%rbp\n\t"
			 "or %%rbp, %%rbx\n\t"
			 "mov %%rsp, %%rcx\n\t"
			 "xor %[sp], %%rcx\n\t"
			 "or %%rcx, %%rbx\n\t"
			 "movq %%xmm6, %%rcx\n\t"
			 "xor %[x], %%rcx\n\t"
			 "or %%rcx, %%rbx\n\t"
			 "movq %%xmm15, %%rcx\n\t"
			 "xor %[x], %%rcx\n\t"
			 "or %%rcx, %%rbx\n\t"
			 "punpckhqdq %%xmm6, %%xmm6\n\t"
			 "movq %%xmm6, %%rcx\n\t"
			 "xor %[x], %%rcx\n\t"
			 "or %%rcx, %%rbx\n\t"
			 "punpckhqdq %%xmm15, %%xmm15\n\t"
			 "movq %%xmm15, %%rcx\n\t"
			 "xor %[x], %%rcx\n\t"
			 "or %%rcx, %%rbx\n\t"
			 "pop %%rbp\n\t"
			 "add $128, %%rsp"
			 : "+a"(ret), "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4),
			 "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9),
			 "=b"(changed), [sp] "+m"(regs_saved_sp)
			 : [x] "m"(regs_xmm_value)
			 : "rcx", "r11", "xmm6", "xmm15", "memory", "cc");
	r[0] = r0;
	r[1] = r1;
	r[2] = r2;
	r[3] = r3;
	r[4] = r4;
	r[5] = r5;
	r[6] = r6;
	r[7] = r7;
	r[8] = r8;
	r[9] = r9;
	*kept = changed == 0;
	return ret;
}

/** Request argument @a k (2..6, R2..R6) of round @a round. */
static sysarg_t regs_request_word(sysarg_t round, unsigned k)
{
	return (round << 8) ^ (0x1111111111111111ull * k);
}

/** The answer's word in R@a k to a request whose R@a k was @a req. */
static sysarg_t regs_answer_word(sysarg_t req, unsigned k)
{
	return ~req + k;
}

/** Whether the request event in @a r is what the caller sent: R2..R6 as
 *  regs_request_word makes them, the connection's label in R7, a call
 *  handle in R8. */
static bool regs_request_ok(const sysarg_t r[10])
{
	for (unsigned k = 3; k <= 6; k++) {
		if (r[k] != regs_request_word(r[2], k))
			return false;
	}
	return r[7] == REGS_CONN_LABEL && r[8] != 0;
}

static void regs_spin(void)
{
	uint64_t start = clock_ns();
	while (clock_ns() - start < REGS_SPIN_NS)
		__asm__ volatile("pause");
}

/** Answers @a r (a request) in place, the next event back into it; counts
 *  wrong registers in *@a bad. False once the wait failed. */
static bool regs_answer(sysarg_t r[10], unsigned *bad)
{
	if (!regs_request_ok(r))
		(*bad)++;
	if (r[1] == REGS_SPIN)
		regs_spin();
	r[0] = r[8]; /* the call */
	r[1] = EOK;
	for (unsigned k = 2; k <= 6; k++)
		r[k] = regs_answer_word(r[k], k);
	r[7] = 0; /* wait forever */
	r[8] = 0;
	r[9] = 0;
	bool kept;
	errno_t rc = (errno_t) regs_syscall(SYS_IPC_ANSWER_WAIT, r, &kept);
	if (!kept)
		(*bad)++;
	return rc == EOK;
}

int child_regs_server(void)
{
	regs_xmm_value = REGS_XMM_SERVER;
	sysarg_t r[10] = {1, IPC_M_CONNECT_TO_ME, REGS_IFACE};
	if ((errno_t) __syscall_ipc(SYS_IPC_CALL, r) != EOK)
		return 100;
	unsigned bad = 0;
	bool have = false;
	for (;;) {
		if (!have) {
			r[0] = 0; /* wait forever */
			r[1] = 0;
			if ((errno_t) __syscall_ipc(SYS_IPC_WAIT, r) != EOK)
				return 101;
		}
		have = false;
		if (IPC_EVENT_KIND(r[0]) != IPC_EVENT_REQUEST)
			continue;
		if (r[1] == IPC_M_PHONE_HUNGUP) {
			sysarg_t a[10] = {r[8], EOK};
			DISCARD(answer, __syscall_ipc(SYS_IPC_ANSWER, a));
			return (int) bad;
		}
		have = regs_answer(r, &bad);
	}
}

/** Spawns the server and takes its connection; CAP_NULL if it fails. */
static cap_handle_t regs_server_start(task_id_t *id)
{
	if (task_spawn_module("utest --regs-server", id) != EOK)
		return CAP_NULL;
	for (;;) {
		sysarg_t r[10] = {5000000, 0};
		if ((errno_t) __syscall_ipc(SYS_IPC_WAIT, r) != EOK)
			return CAP_NULL;
		if (IPC_EVENT_KIND(r[0]) == IPC_EVENT_REQUEST &&
		    r[1] == IPC_M_CONNECT_TO_ME && r[2] == REGS_IFACE) {
			sysarg_t a[10] = {r[8], EOK};
			if ((errno_t) __syscall_ipc(SYS_IPC_ANSWER, a) != EOK)
				return CAP_NULL;
			return r[6];
		}
	}
}

static volatile bool regs_spinner_stop;

/** Keeps a second thread of ours ready, so that a preempted server gives
 *  the CPU to something else before it answers. */
static void regs_spinner(void *arg)
{
	(void) arg;
	while (!regs_spinner_stop)
		__asm__ volatile("pause");
	thread_exit();
}

/** One round trip of round @a round on @a phone; whether every register
 *  came back as the ABI and the server's answer say. */
static bool regs_round_trip(cap_handle_t phone, sysarg_t round)
{
	sysarg_t method = round % REGS_SPIN_EVERY == 0 ? REGS_SPIN : REGS_ECHO;
	sysarg_t r[10] = {phone, method, round};
	for (unsigned k = 3; k <= 6; k++)
		r[k] = regs_request_word(round, k);
	r[7] = REGS_LABEL;
	r[8] = 0; /* no timeout */
	r[9] = 0; /* no flags: our own answer */
	bool kept;
	errno_t rc = (errno_t) regs_syscall(SYS_IPC_CALL_WAIT, r, &kept);
	bool ok = rc == EOK && kept && IPC_EVENT_KIND(r[0]) == IPC_EVENT_ANSWER &&
	    r[1] == EOK && r[7] == REGS_LABEL && r[8] == CAP_NULL && r[9] == 0;
	for (unsigned k = 2; k <= 6; k++) {
		sysarg_t sent = k == 2 ? round : regs_request_word(round, k);
		ok = ok && r[k] == regs_answer_word(sent, k);
	}
	if (!ok) {
		printf("utest:   round %u: rc %d, RBX/RBP/RSP %s, R0..R9",
		    (unsigned) round, rc, kept ? "kept" : "changed");
		for (unsigned k = 0; k < 10; k++)
			printf(" %llx", (unsigned long long) r[k]);
		printf("\n");
	}
	return ok;
}

/** Whether our children reach us on their phone 1: the kernel makes the
 *  first root task, task 1, the naming service (main/init.c), and that is
 *  us when we are the boot's test task (testtask=utest, the utest suites);
 *  under `tester` in a full system their phone 1 reaches ns instead. */
static bool regs_children_reach_us(void)
{
	return task_get_id() == 1;
}

/** Runs REGS_ROUNDS checked round trips on @a phone with a spinner thread
 *  of ours ready beside them; each must come back right. */
static void regs_rounds(cap_handle_t phone)
{
	regs_spinner_stop = false;
	thread_id_t spinner;
	CHECK_RC(thread_create(regs_spinner, NULL, "regs-spinner", &spinner), EOK);
	unsigned wrong = 0;
	for (sysarg_t round = 0; round < REGS_ROUNDS; round++) {
		if (!regs_round_trip(phone, round))
			wrong++;
	}
	regs_spinner_stop = true;
	CHECK_RC(thread_join(spinner), EOK);
	EXPECT(wrong == 0, "%u of %u round trips came back with wrong registers", wrong,
	    REGS_ROUNDS);
}

/** Hangs up @a phone to server @a id and checks that it ended well: it
 *  saw no wrong request or registers. */
static void regs_server_stop(cap_handle_t phone, task_id_t id)
{
	sysarg_t h[10] = {phone, IPC_HANGUP_RELEASE};
	CHECK_RC(__syscall_ipc(SYS_IPC_HANGUP, h), EOK);
	task_exit_t e;
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
	EXPECT(e.how == TASK_EXIT_NORMAL && e.status == 0,
	    "the server saw %d wrong requests or registers (how %d)", e.status, e.how);
}

void test_registers_survive_ipc_round_trips(void)
{
	if (!regs_children_reach_us()) {
		printf("utest:   registers test: runs only as the test task "
		       "(our children's phone 1 reaches ns here)\n");
		return;
	}
	task_id_t id;
	cap_handle_t phone = regs_server_start(&id);
	CHECK(phone != CAP_NULL);
	regs_rounds(phone);
	regs_server_stop(phone, id);
}

void test_registers_survive_ipc_round_trips_while_a_task_is_stopped(void)
{
	if (!regs_children_reach_us())
		return; /* said by the test above */
	task_id_t stopped;
	cap_handle_t idle = regs_server_start(&stopped);
	CHECK(idle != CAP_NULL);
	task_id_t id;
	cap_handle_t phone = regs_server_start(&id);
	CHECK(phone != CAP_NULL);
	CHECK_RC(debug_stop(stopped), EOK);
	regs_rounds(phone);
	CHECK_RC(debug_resume(stopped), EOK);
	regs_server_stop(phone, id);
	regs_server_stop(idle, stopped);
}

void test_a_server_killed_in_answer_wait_is_not_resumed_with_a_request(void)
{
	if (!regs_children_reach_us())
		return; /* said by the first registers test */
	task_id_t id;
	cap_handle_t phone = regs_server_start(&id);
	CHECK(phone != CAP_NULL);
	/* Echo rounds only: the server waits in answer-and-wait after each. */
	for (sysarg_t round = 1; round < REGS_SPIN_EVERY; round++)
		CHECK(regs_round_trip(phone, round));
	CHECK_RC(task_kill(id), EOK);
	/* Answered EHANGUP by the server's end, or refused if it has ended. */
	sysarg_t r[10] = {phone, REGS_ECHO, 1};
	errno_t rc = (errno_t) __syscall_ipc(SYS_IPC_CALL_WAIT, r);
	bool hung_up = rc == EHANGUP ||
	    (rc == EOK && IPC_EVENT_KIND(r[0]) == IPC_EVENT_ANSWER &&
		r[1] == (sysarg_t) EHANGUP);
	EXPECT(hung_up, "a call to the killed server: %d, answer kind %u value %d", rc,
	    (unsigned) IPC_EVENT_KIND(r[0]), (int) r[1]);
	task_exit_t e;
	CHECK_RC(task_join(id, &e, 10000 * MS), EOK);
	EXPECT(
	    e.how == TASK_EXIT_KILLED, "the server ended with how %d, not killed", e.how);
	sysarg_t h[10] = {phone, IPC_HANGUP_RELEASE};
	CHECK_RC(__syscall_ipc(SYS_IPC_HANGUP, h), EOK);
}
