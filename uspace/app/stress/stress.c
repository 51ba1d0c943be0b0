/*
 * stress: stress and leak tests from user space (boot option
 * testtask=stress; docs/robustness.md). Output like utest:
 *   stress: PASS <name> | stress: FAIL <name>: <what>
 *   stress: N passed, N failed
 *
 *   stress [--cycles N]    the tests (N spawn/call/kill cycles, default 1000)
 *   stress --peer MODE     a peer registered through phone 1:
 *                          echo (answers everything) or hold (answers nothing)
 *   stress --eat           allocates and touches memory until malloc
 *                          returns NULL, then ends normally
 */
#include <abi/ipc.h>
#include <abi/irq.h>
#include <as.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <testsuite.h>
#include <task.h>
#include <getopt.h>

#define USAGE "[--cycles N] (a test program; make test boots it with testtask=stress)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {"--peer", "--eat", "--cycles", NULL};

#define M_WORK	   (IPC_FIRST_USER_METHOD + 7)
#define M_EVENT	   (IPC_FIRST_USER_METHOD + 8)
#define TIMEOUT_US 5000000
#define FLOOD_MAX  (16 * IPC_MAX_ASYNC_CALLS) /* sends of the flooding client */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static errno_t ipc(sysarg_t num, sysarg_t r[10])
{
	return (errno_t) __syscall_ipc(num, r);
}

/** Answers a request we have no use for (e.g. PHONE_HUNGUP from a dead
 *  peer's phone to us), so that its call capability is not kept forever. */
static void dismiss(const sysarg_t r[10])
{
	if (IPC_EVENT_KIND(r[0]) == IPC_EVENT_REQUEST) {
		sysarg_t a[10] = {r[8], EOK};
		__syscall_ipc(SYS_IPC_ANSWER, a);
	}
}

/* What the last peer's subscription to EVENT_TASK_EXIT returned: EOK
 * unless dead peers' subscriptions were left behind and filled the
 * event's EVENT_SUBSCRIBERS_MAX slots (ELIMIT). */
static errno_t peer_event_rc;

/** Peer: subscribes to the task-exit event (at most one peer at a time
 *  holds one: the previous peer's subscription must have gone with it),
 *  registers with
 *  the parent, telling it how the subscription went, then echoes or holds
 *  every call; an echoing peer forwards every work call with an argument
 *  of 3 mod 4 back to the parent (phone 1), which answers it itself. */
static _Noreturn void peer(bool hold)
{
	errno_t ev = (errno_t) syscall2(SYS_EVENT_SUBSCRIBE, EVENT_TASK_EXIT, M_EVENT);
	sysarg_t r[10] = {1, IPC_M_CONNECT_TO_ME, 0, (sysarg_t) ev, 0, 0, 0, 1};
	ipc(SYS_IPC_CALL, r);
	for (;;) {
		memset(r, 0, sizeof(r));
		if (ipc(SYS_IPC_WAIT, r) != EOK ||
		    IPC_EVENT_KIND(r[0]) != IPC_EVENT_REQUEST || hold)
			continue;
		if (r[1] == M_WORK && r[2] % 4 == 3) {
			sysarg_t f[10] = {r[8], 1, M_WORK, r[2], 0, 0, 0, 0, 0};
			ipc(SYS_IPC_FORWARD, f);
			continue;
		}
		sysarg_t a[10] = {r[8], EOK, r[2] + 1};
		ipc(SYS_IPC_ANSWER, a);
	}
}

/** Spawns a peer and accepts its registration; returns the phone (0 on failure). */
static cap_handle_t spawn_peer(const char *mode, task_id_t *id)
{
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "stress --peer %s", mode);
	if (task_spawn_module(cmd, id) != EOK)
		return 0;
	for (int tries = 0; tries < 100; tries++) {
		sysarg_t r[10] = {TIMEOUT_US, 0};
		if (ipc(SYS_IPC_WAIT, r) != EOK)
			return 0;
		if (IPC_EVENT_KIND(r[0]) == IPC_EVENT_REQUEST &&
		    r[1] == IPC_M_CONNECT_TO_ME) {
			peer_event_rc = (errno_t) r[3];
			sysarg_t a[10] = {r[8], EOK};
			ipc(SYS_IPC_ANSWER, a);
			return r[6];
		}
		dismiss(r);
	}
	return 0;
}

static void release(cap_handle_t phone)
{
	sysarg_t r[10] = {phone, IPC_HANGUP_RELEASE};
	ipc(SYS_IPC_HANGUP, r);
}

static void end_task(task_id_t id)
{
	task_exit_t e;
	DISCARD(cleanup, task_kill(id));
	DISCARD(cleanup, task_join(id, &e, TIMEOUT_US));
}

/** Collects @a n answers; returns how many had return value @a rc (-1 on a timeout). */
static int collect(int n, errno_t rc)
{
	int matching = 0;
	for (int got = 0; got < n;) {
		sysarg_t r[10] = {TIMEOUT_US, 0};
		if (ipc(SYS_IPC_WAIT, r) != EOK)
			return -1;
		if (IPC_EVENT_KIND(r[0]) != IPC_EVENT_ANSWER) {
			dismiss(r);
			continue;
		}
		got++;
		matching += (errno_t) r[1] == rc;
	}
	return matching;
}

/** Handles whatever is still on its way to us (late hang-ups of dead peers). */
static void drain(void)
{
	for (;;) {
		sysarg_t r[10] = {20000, 0};
		if (ipc(SYS_IPC_WAIT, r) != EOK)
			return;
		dismiss(r);
	}
}

static kernel_stats_t stats(void)
{
	kernel_stats_t st;
	drain();
	syscall1(SYS_KERNEL_STATS, (sysarg_t) &st);
	return st;
}

static unsigned cycles = 1000;

/** One cycle: a peer (subscribed to an event), up to seven calls (the
 *  fourth is forwarded back to us), data and a share, then a kill at a
 *  random point. */
static bool one_cycle(void)
{
	task_id_t id;
	cap_handle_t phone = spawn_peer(rnd() % 4 ? "echo" : "hold", &id);
	if (phone == 0)
		return false;
	if (peer_event_rc != EOK) {
		printf("stress:   a peer's event subscription: %s\n",
		    str_error(peer_event_rc));
		end_task(id);
		return false;
	}
	static char data[256] = "stress";
	uintptr_t area = AS_AREA_ANY;
	errno_t rc = as_area_create(&area, 4096, AS_AREA_READ | AS_AREA_WRITE);
	if (rc != EOK) {
		printf("stress:   as_area_create: %s\n", str_error(rc));
		release(phone);
		end_task(id);
		return false;
	}
	int calls = (int) (rnd() % 8);
	for (int i = 0; i < calls; i++) {
		sysarg_t r[10] = {phone, M_WORK, (sysarg_t) i};
		if (i % 3 == 1)
			r[1] = IPC_M_DATA_WRITE, r[2] = (sysarg_t) data,
			r[3] = sizeof(data);
		if (i % 3 == 2)
			r[1] = IPC_M_SHARE_OUT, r[2] = area, r[3] = AS_AREA_READ;
		ipc(SYS_IPC_CALL, r);
	}
	if (rnd() % 2)
		end_task(id); /* killed with calls pending */
	release(phone);
	end_task(id);
	DISCARD(cleanup, as_area_destroy(area));
	/* Every call is answered: by the peer (echo) or by the kernel (EHANGUP). */
	return collect(calls, EOK) >= 0;
}

static void test_cycles_leave_no_trace(void)
{
	one_cycle(); /* warm caches and tables once */
	kernel_stats_t before = stats();
	for (unsigned i = 0; i < cycles; i++)
		CHECK(one_cycle());
	kernel_stats_t after = stats();
	if (after.frames_free != before.frames_free ||
	    after.slab_objects != before.slab_objects)
		printf("stress:   frames free %llu -> %llu, slab objects %llu -> %llu\n",
		    (unsigned long long) before.frames_free,
		    (unsigned long long) after.frames_free,
		    (unsigned long long) before.slab_objects,
		    (unsigned long long) after.slab_objects);
	CHECK(after.tasks == before.tasks);
	CHECK(after.threads == before.threads);
	CHECK(after.capabilities == before.capabilities);
	CHECK(after.slab_objects == before.slab_objects);
	CHECK(after.kmalloc_large == before.kmalloc_large);
	CHECK(after.frames_free == before.frames_free);
	CHECK(after.frames_committed == before.frames_committed);
}

static void test_server_killed_with_64_pending_100_times(void)
{
	for (int round = 0; round < 100; round++) {
		task_id_t id;
		cap_handle_t phone = spawn_peer("hold", &id);
		CHECK(phone != 0);
		for (int i = 0; i < IPC_MAX_ASYNC_CALLS; i++) {
			sysarg_t r[10] = {phone, M_WORK, (sysarg_t) i};
			CHECK(ipc(SYS_IPC_CALL, r) == EOK);
		}
		sysarg_t r[10] = {phone, M_WORK};
		CHECK(ipc(SYS_IPC_CALL, r) == ELIMIT);
		end_task(id);
		CHECK(collect(IPC_MAX_ASYNC_CALLS, EHANGUP) == IPC_MAX_ASYNC_CALLS);
		release(phone);
	}
}

static void test_flooding_client_does_not_starve_another(void)
{
	task_id_t id;
	cap_handle_t flood = spawn_peer("echo", &id);
	CHECK(flood != 0);
	/* A second connection to the same server, as a second client would have. */
	sysarg_t c[10] = {flood, IPC_M_CONNECT_ME_TO, 0, 0, 0, 0, 0, 0, TIMEOUT_US};
	CHECK(ipc(SYS_IPC_CALL_WAIT, c) == EOK);
	CHECK((errno_t) c[1] == EOK);
	cap_handle_t other = c[6];
	/* Until the phone is full: ELIMIT comes with IPC_MAX_ASYNC_CALLS
	 * unanswered, so after at least that many sends. The server may answer
	 * on another CPU while the flood goes on (an answer frees its slot), so
	 * more may go out first, and if it keeps up the phone may never fill:
	 * the flood stops after FLOOD_MAX sends then. */
	int sent = 0;
	errno_t rc = EOK;
	while (sent < FLOOD_MAX) {
		sysarg_t r[10] = {flood, M_WORK};
		rc = ipc(SYS_IPC_CALL, r);
		if (rc != EOK)
			break;
		sent++;
	}
	CHECK(rc == EOK || rc == ELIMIT);
	CHECK(rc != ELIMIT || sent >= IPC_MAX_ASYNC_CALLS);
	sysarg_t r[10] = {other, M_WORK, 41, 0, 0, 0, 0, 0, TIMEOUT_US};
	CHECK(ipc(SYS_IPC_CALL_WAIT, r) == EOK);
	CHECK((errno_t) r[1] == EOK && r[2] == 42); /* served despite the flood */
	CHECK(collect(sent, EOK) == sent);
	release(other);
	release(flood);
	end_task(id);
}

static void test_memory_exhaustion_recovers(void)
{
	kernel_stats_t before = stats();
	task_id_t id;
	CHECK(task_spawn_module("stress --eat", &id) == EOK);
	task_exit_t e;
	CHECK(task_join(id, &e, 60 * TIMEOUT_US) == EOK);
	/* Heap areas are committed when made or grown, so malloc said no
	 * (ENOMEM) and the eater ended by itself: no page fault ran out. */
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 0);
	kernel_stats_t after = stats();
	/* All the eater's memory and commitment are back (caches may even have
	 * shrunk meanwhile). */
	CHECK(after.frames_free >= before.frames_free);
	CHECK(after.frames_committed == before.frames_committed);
	CHECK(after.tasks == before.tasks);
	/* And the system still works: a peer answers. */
	cap_handle_t phone = spawn_peer("echo", &id);
	CHECK(phone != 0);
	sysarg_t r[10] = {phone, M_WORK, 1, 0, 0, 0, 0, 0, TIMEOUT_US};
	CHECK(ipc(SYS_IPC_CALL_WAIT, r) == EOK && r[2] == 2);
	release(phone);
	end_task(id);
}

/** An area larger than the free memory cannot be made, nor can an area
 *  grow that large, unless it commits nothing (AS_AREA_NORESERVE). */
static void test_commit_refuses_more_than_memory(void)
{
	const unsigned rw = AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE;
	kernel_stats_t before = stats();
	size_t too_much = (size_t) (before.frames_free + 1) * 4096;
	uintptr_t base = AS_AREA_ANY;
	CHECK(as_area_create(&base, too_much, rw) == ENOMEM);
	base = AS_AREA_ANY;
	CHECK(as_area_create(&base, 4096, rw) == EOK);
	CHECK(stats().frames_committed > before.frames_committed);
	CHECK(as_area_resize(base, too_much) == ENOMEM);
	as_area_info_t info;
	CHECK(as_area_query(base, &info) == EOK && info.size == 4096);
	CHECK(as_area_destroy(base) == EOK);
	base = AS_AREA_ANY;
	CHECK(as_area_create(&base, too_much, rw | AS_AREA_NORESERVE) == EOK);
	CHECK(stats().frames_committed == before.frames_committed);
	/* Committing areas and the reserved flag do not mix after creation. */
	CHECK(as_area_change_flags(base, AS_AREA_READ) == EINVAL);
	CHECK(as_area_destroy(base) == EOK);
	CHECK(stats().frames_committed == before.frames_committed);
}

static int eat(void)
{
	for (size_t n = 0;; n++) {
		volatile uint8_t *p = malloc(64 * 1024);
		if (p == NULL) {
			printf("stress: the eater got NULL after %zu KiB\n", n * 64);
			return 0;
		}
		for (size_t i = 0; i < 64 * 1024; i += 4096)
			p[i] = 1;
	}
}

int main(int argc, char **argv)
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 2 && strcmp(argv[1], "--peer") == 0)
		peer(strcmp(argv[2], "hold") == 0);
	if (argc > 1 && strcmp(argv[1], "--eat") == 0)
		return eat();
	if (argc > 2 && strcmp(argv[1], "--cycles") == 0)
		cycles = (unsigned) strtoul(argv[2], NULL, 10);
	test_suite_start("stress");
	test_run("cycles_leave_no_trace", test_cycles_leave_no_trace);
	test_run("server_killed_with_64_pending_100_times",
	    test_server_killed_with_64_pending_100_times);
	test_run("flooding_client_does_not_starve_another",
	    test_flooding_client_does_not_starve_another);
	test_run("commit_refuses_more_than_memory", test_commit_refuses_more_than_memory);
	test_run("memory_exhaustion_recovers", test_memory_exhaustion_recovers);
	return test_suite_end_count();
}
