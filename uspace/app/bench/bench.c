/*
 * bench: the deterministic benchmark suite (make bench boots it with
 * testtask=bench under QEMU -icount shift=0, where the TSC counts guest
 * instructions). Each case runs a warm-up, then many timed iterations, with
 * the cost of the measurement itself subtracted, and prints
 *   bench: <case> min=N median=N mean=N max=N n=N
 * tools/bench.py turns that into a table and build/bench.json.
 *
 * The IPC cases talk to a copy of this program started as a server
 * ("bench --server"), which registers with us through phone 1 (in test mode
 * the test task plays the naming service for its children).
 *
 * `bench --system` runs the cases that need the naming service, the loader
 * and the VFS, in a boot of their own (testinit=ns,vfs,tmpfs testtask=bench
 * testargs=--system): share-in (share.c), the VFS (vfs.c) and the IRQ
 * notification latency (irq.c). `bench --net` (testargs=--net) the
 * network's (net.c). `bench --smp` and `bench --scaling` run on several
 * CPUs (smp.c).
 */
#include "bench.h"
#include <abi/bench.h>
#include <abi/ipc.h>
#include <benchmark.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <thread.h>
#include <getopt.h>

#define USAGE \
	"[--system | --net | --smp | --scaling PAIRS ROUNDS [free | alternate K]] " \
	"(make bench boots " \
	"it with " \
	"testtask=bench)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {
    "--server", "--share-server", "--system", "--net", "--smp", "--scaling", NULL};

static void op_null_syscall(void *arg)
{
	syscall0(SYS_NOP);
}

static void *volatile malloc_sink;

/** malloc of 32 bytes and its free (the heap's exact-size bins). */
static void op_malloc_free(void *arg)
{
	malloc_sink = malloc(32);
	free(malloc_sink);
}

/** One plain round trip: send, then wait for the answer. */
static void op_ping_plain(void *arg)
{
	cap_handle_t phone = *(cap_handle_t *) arg;
	sysarg_t r[10] = {phone, BENCH_PING, 1, 2, 3, 4, 5, 0x1234};
	__syscall_ipc(SYS_IPC_CALL, r);
	do {
		r[0] = 0;
		r[1] = 0;
	} while ((errno_t) __syscall_ipc(SYS_IPC_WAIT, r) != EOK ||
	    IPC_EVENT_KIND(r[0]) != IPC_EVENT_ANSWER);
}

void bench_ping_combined(void *arg)
{
	cap_handle_t phone = *(cap_handle_t *) arg;
	sysarg_t r[10] = {phone, BENCH_PING, 1, 2, 3, 4, 5, 0x1234, 0};
	__syscall_ipc(SYS_IPC_CALL_WAIT, r);
}

/** Answers @a r (a request event in IPC registers), echoing its arguments:
 *  the answer is made in place (R2..R6 stay), and with @a combined the next
 *  event comes back in @a r. */
static void echo_answer(sysarg_t r[10], bool combined, bool *have)
{
	r[0] = r[8]; /* the call's handle */
	r[1] = EOK;
	r[7] = 0; /* answer-and-wait: wait forever; r[8]: no flags */
	r[8] = 0;
	r[9] = 0;
	if (combined)
		*have = (errno_t) __syscall_ipc(SYS_IPC_ANSWER_WAIT, r) == EOK;
	else
		__syscall_ipc(SYS_IPC_ANSWER, r);
}

/** Server: answers every request with the plain calls or the combined one;
 *  on CPU @a cpu only, unless it is negative. */
static int serve(bool combined, int cpu)
{
	if (cpu >= 0 && thread_set_affinity(1ull << cpu) != EOK)
		return 3;
	sysarg_t r[10] = {1, IPC_M_CONNECT_TO_ME, BENCH_IFACE, 0, 0, 0, 0, 7};
	if ((errno_t) __syscall_ipc(SYS_IPC_CALL, r) != EOK)
		return 1;
	bool have = false;
	for (;;) {
		if (!have) {
			r[0] = 0; /* wait forever, blocking */
			r[1] = 0;
			if ((errno_t) __syscall_ipc(SYS_IPC_WAIT, r) != EOK)
				return 2;
		}
		have = false;
		if (IPC_EVENT_KIND(r[0]) != IPC_EVENT_REQUEST)
			continue;
		if (r[1] == IPC_M_PHONE_HUNGUP) {
			sysarg_t a[10] = {r[8], EOK};
			__syscall_ipc(SYS_IPC_ANSWER, a);
			return 0;
		}
		echo_answer(r, combined, &have);
	}
}

cap_handle_t bench_server_start(const char *mode)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "bench --server %s", mode);
	task_id_t id;
	if (task_spawn_module(cmd, &id) != EOK)
		return CAP_NULL;
	for (;;) {
		sysarg_t r[10] = {5000000, 0};
		if ((errno_t) __syscall_ipc(SYS_IPC_WAIT, r) != EOK)
			return CAP_NULL;
		if (IPC_EVENT_KIND(r[0]) == IPC_EVENT_REQUEST &&
		    r[1] == IPC_M_CONNECT_TO_ME) {
			cap_handle_t phone = r[6];
			sysarg_t a[10] = {r[8], EOK};
			__syscall_ipc(SYS_IPC_ANSWER, a);
			return phone;
		}
	}
}

void bench_server_stop(cap_handle_t phone)
{
	sysarg_t r[10] = {phone, IPC_HANGUP_RELEASE};
	__syscall_ipc(SYS_IPC_HANGUP, r);
}

static int ipc_cases(void)
{
	cap_handle_t plain = bench_server_start("plain");
	if (plain == CAP_NULL)
		return 1;
	bench_measure("ipc-roundtrip-plain", op_ping_plain, &plain);
	bench_server_stop(plain);
	cap_handle_t combined = bench_server_start("combined");
	if (combined == CAP_NULL)
		return 1;
	bench_measure("ipc-roundtrip-combined", bench_ping_combined, &combined);
	bench_server_stop(combined);
	return 0;
}

/** The cases of the system boot (bench --system). */
static int system_cases(void)
{
	bench_calibrate();
	int rc = share_cases();
	rc |= vfs_cases();
	rc |= irq_cases();
	return rc;
}

static void thread_nothing(void *arg)
{
}

/** The cases of the kernel boot (bench without arguments). */
static int kernel_cases(void)
{
	bench_calibrate();
	bench_measure("null-syscall", op_null_syscall, NULL);
	bench_measure("malloc-free-32", op_malloc_free, NULL);
	int rc = ipc_cases();
	rc |= exc_cases();
	rc |= pagein_cases();
	/* malloc skips its lock while the task has one thread; once a second
	 * one has existed, it takes it. */
	thread_id_t t;
	if (thread_create(thread_nothing, NULL, "bench", &t) != EOK)
		return 1;
	DISCARD(cleanup, thread_join(t));
	bench_measure("malloc-free-32-threaded", op_malloc_free, NULL);
	return rc;
}

/** bench --scaling PAIRS ROUNDS [free | alternate K]. */
static int scaling_args(int argc, char **argv)
{
	int pairs = atoi(argv[2]), rounds = atoi(argv[3]);
	if (argc == 4)
		return scaling_case(pairs, rounds, SCALING_PINNED, 1);
	if (argc == 5 && strcmp(argv[4], "free") == 0)
		return scaling_case(pairs, rounds, SCALING_FREE, 1);
	if (argc == 6 && strcmp(argv[4], "alternate") == 0)
		return scaling_case(pairs, rounds, SCALING_ALTERNATE, atoi(argv[5]));
	printf("bench: --scaling PAIRS ROUNDS [free | alternate K]\n");
	return 1;
}

int main(int argc, char **argv)
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 2 && strcmp(argv[1], "--server") == 0)
		return serve(
		    strcmp(argv[2], "combined") == 0, argc > 3 ? atoi(argv[3]) : -1);
	if (argc > 1 && strcmp(argv[1], "--share-server") == 0)
		return share_server_main();
	int rc;
	if (argc > 1 && strcmp(argv[1], "--system") == 0)
		rc = system_cases();
	else if (argc > 1 && strcmp(argv[1], "--net") == 0)
		rc = net_cases();
	else if (argc > 1 && strcmp(argv[1], "--smp") == 0)
		rc = smp_cases();
	else if (argc > 3 && strcmp(argv[1], "--scaling") == 0)
		rc = scaling_args(argc, argv);
	else if (argc > 1) {
		printf("bench: unknown option %s\n", argv[1]);
		return 2;
	} else
		rc = kernel_cases();
	printf("bench: done (%s)\n", rc == 0 ? "ok" : "failed");
	return rc;
}
