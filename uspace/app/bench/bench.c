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
 */
#include <abi/ipc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>

#include "ipc_raw.h"

#define WARMUP	   200
#define ITERATIONS 2000
#define M_PING	   (IPC_FIRST_USER_METHOD + 1)

static uint64_t samples[ITERATIONS];
static uint64_t overhead;

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t) hi << 32) | lo;
}

static int compare(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
	return x < y ? -1 : x > y;
}

/** Sorts the samples and prints the statistics of one case. */
static void report(const char *name)
{
	qsort(samples, ITERATIONS, sizeof(samples[0]), compare);
	uint64_t sum = 0;
	for (int i = 0; i < ITERATIONS; i++)
		sum += samples[i];
	printf("bench: %s min=%llu median=%llu mean=%llu max=%llu n=%d\n", name,
	    (unsigned long long) samples[0], (unsigned long long) samples[ITERATIONS / 2],
	    (unsigned long long) (sum / ITERATIONS),
	    (unsigned long long) samples[ITERATIONS - 1], ITERATIONS);
}

/** Runs @a op WARMUP + ITERATIONS times, timing each run. */
static void measure(const char *name, void (*op)(void *), void *arg)
{
	for (int i = 0; i < WARMUP; i++)
		op(arg);
	for (int i = 0; i < ITERATIONS; i++) {
		uint64_t t0 = tsc();
		op(arg);
		uint64_t t = tsc() - t0;
		samples[i] = t > overhead ? t - overhead : 0;
	}
	report(name);
}

static void op_nothing(void *arg)
{
}

static void calibrate(void)
{
	overhead = 0;
	measure("measurement-overhead", op_nothing, NULL);
	overhead = samples[ITERATIONS / 2];
}

static void op_null_syscall(void *arg)
{
	syscall0(SYS_NOP);
}

/** One plain round trip: send, then wait for the answer. */
static void op_ping_plain(void *arg)
{
	cap_handle_t phone = *(cap_handle_t *) arg;
	ipc_regs_t r = {.r = {phone, M_PING, 1, 2, 3, 4, 5, 0x1234}};
	ipc_raw(SYS_IPC_CALL, &r);
	do {
		r.r[0] = 0;
		r.r[1] = 0;
	} while (ipc_raw(SYS_IPC_WAIT, &r) != EOK || r.r[0] != IPC_EVENT_ANSWER);
}

/** One round trip with the combined call: send and wait for this answer. */
static void op_ping_combined(void *arg)
{
	cap_handle_t phone = *(cap_handle_t *) arg;
	ipc_regs_t r = {.r = {phone, M_PING, 1, 2, 3, 4, 5, 0x1234, 0}};
	ipc_raw(SYS_IPC_CALL_WAIT, &r);
}

/** Server: answers every request with the plain calls or the combined one. */
static int serve(bool combined)
{
	ipc_regs_t r = {.r = {1, IPC_M_CONNECT_TO_ME, 0, 0, 0, 0, 0, 7}};
	if (ipc_raw(SYS_IPC_CALL, &r) != EOK)
		return 1;
	bool have = false;
	for (;;) {
		if (!have) {
			r = (ipc_regs_t){.r = {0, 0}};
			if (ipc_raw(SYS_IPC_WAIT, &r) != EOK)
				return 2;
		}
		have = false;
		if (r.r[0] != IPC_EVENT_REQUEST)
			continue;
		if (r.r[1] == IPC_M_PHONE_HUNGUP) {
			r = (ipc_regs_t){.r = {r.r[8], EOK}};
			ipc_raw(SYS_IPC_ANSWER, &r);
			return 0;
		}
		ipc_regs_t a = {
		    .r = {r.r[8], EOK, r.r[2], r.r[3], r.r[4], r.r[5], r.r[6]}};
		if (combined) {
			have = ipc_raw(SYS_IPC_ANSWER_WAIT, &a) == EOK;
			r = a;
		} else {
			ipc_raw(SYS_IPC_ANSWER, &a);
		}
	}
}

/** Starts a server and accepts its registration; returns the phone to it. */
static cap_handle_t start_server(const char *mode)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "bench --server %s", mode);
	task_id_t id;
	if (task_spawn_module(cmd, &id) != EOK)
		return CAP_NULL;
	for (;;) {
		ipc_regs_t r = {.r = {5000000, 0}};
		if (ipc_raw(SYS_IPC_WAIT, &r) != EOK)
			return CAP_NULL;
		if (r.r[0] == IPC_EVENT_REQUEST && r.r[1] == IPC_M_CONNECT_TO_ME) {
			cap_handle_t phone = r.r[6];
			ipc_regs_t a = {.r = {r.r[8], EOK}};
			ipc_raw(SYS_IPC_ANSWER, &a);
			return phone;
		}
	}
}

static void stop_server(cap_handle_t phone)
{
	ipc_regs_t r = {.r = {phone, IPC_HANGUP_RELEASE}};
	ipc_raw(SYS_IPC_HANGUP, &r);
}

static int ipc_cases(void)
{
	cap_handle_t plain = start_server("plain");
	if (plain == CAP_NULL)
		return 1;
	measure("ipc-roundtrip-plain", op_ping_plain, &plain);
	stop_server(plain);
	cap_handle_t combined = start_server("combined");
	if (combined == CAP_NULL)
		return 1;
	measure("ipc-roundtrip-combined", op_ping_combined, &combined);
	stop_server(combined);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--server") == 0)
		return serve(strcmp(argv[2], "combined") == 0);
	calibrate();
	measure("null-syscall", op_null_syscall, NULL);
	int rc = ipc_cases();
	printf("bench: done (%s)\n", rc == 0 ? "ok" : "failed");
	return rc;
}
