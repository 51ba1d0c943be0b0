/*
 * bench on several CPUs (tools/bench.py boots these with -smp 2):
 *
 *   bench --smp              the combined raw round trip with the server
 *                            pinned to the client's CPU and to the other one
 *                            (under -icount, which runs the CPUs in turn:
 *                            guest instructions of both CPUs)
 *   bench --scaling P R      P client threads and P server tasks, pair i
 *                            pinned to CPU i mod the CPU count, R checked
 *                            combined round trips per pair; prints
 *                            `bench: scaling pairs=P cpus=C rounds=R ns=N
 *                            errors=E busy=B0,B1...`: the wall-clock time of
 *                            the whole and each CPU's busy share meanwhile
 *                            in percent (from its idle thread's CPU time),
 *                            which shows whether the pairs ran in parallel
 *                            (bench.py boots it on 1 and on 2 CPUs under
 *                            multi-threaded TCG and reports the ratio)
 */
#include "bench.h"
#include <abi/bench.h>
#include <abi/ipc.h>
#include <benchmark.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <thread.h>
#include <time.h>

#define SCALING_PAIRS_MAX 16
#define CPUS_SHOWN	  8

/** The combined raw round trip to a server on CPU @a server_cpu, the client
 *  on CPU 0, reported as case @a name. */
static int cross_case(const char *name, unsigned server_cpu)
{
	char mode[32];
	snprintf(mode, sizeof(mode), "combined %u", server_cpu);
	cap_handle_t phone = bench_server_start(mode);
	if (phone == CAP_NULL) {
		printf("bench: %s: cannot start the server\n", name);
		return 1;
	}
	bench_measure(name, bench_ping_combined, &phone);
	bench_server_stop(phone);
	return 0;
}

int smp_cases(void)
{
	unsigned cpu, count = 0;
	errno_t rc = cpu_info(&cpu, &count);
	if (rc == EOK)
		rc = thread_set_affinity(1);
	if (rc != EOK || count < 2) {
		printf("bench: the cross-core cases need two CPUs (%u; %s)\n", count,
		    str_error(rc));
		return 1;
	}
	bench_calibrate();
	int failed = cross_case("ipc-roundtrip-combined-same-cpu", 0);
	failed |= cross_case("ipc-roundtrip-combined-cross-cpu", 1);
	return failed;
}

/** One client of the scaling case. */
typedef struct {
	cap_handle_t phone;
	unsigned cpu;
	int rounds;
	volatile int *ready; /* counted up once pinned */
	volatile int *go;    /* set when every client is ready */
	int errors;	     /* round trips that failed or came back wrong */
} scaling_client_t;

/** One checked round trip: the server echoes the arguments. */
static bool scaling_round_trip(cap_handle_t phone, sysarg_t value)
{
	sysarg_t r[10] = {phone, BENCH_PING, value, ~value, 3, 4, 5, 0x1234, 0};
	errno_t rc = (errno_t) __syscall_ipc(SYS_IPC_CALL_WAIT, r);
	return rc == EOK && r[0] == IPC_EVENT_ANSWER && r[1] == EOK && r[2] == value &&
	    r[3] == ~value;
}

static void scaling_client(void *arg)
{
	scaling_client_t *c = arg;
	if (thread_set_affinity(1ull << c->cpu) != EOK)
		c->errors = c->rounds;
	__atomic_fetch_add(c->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(c->go, __ATOMIC_ACQUIRE))
		thread_yield();
	for (int i = 0; i < c->rounds && c->errors == 0; i++) {
		if (!scaling_round_trip(
			c->phone, ((sysarg_t) c->cpu << 32) | (sysarg_t) i))
			c->errors++;
	}
}

/** Starts @a pairs servers, pair i's on CPU i mod @a cpus. */
static int scaling_servers(scaling_client_t *c, int pairs, unsigned cpus)
{
	for (int i = 0; i < pairs; i++) {
		char mode[32];
		c[i].cpu = (unsigned) i % cpus;
		snprintf(mode, sizeof(mode), "combined %u", c[i].cpu);
		c[i].phone = bench_server_start(mode);
		if (c[i].phone == CAP_NULL)
			return 1;
	}
	return 0;
}

/** The idle threads' CPU time, by CPU, into @a idle (CPUS_SHOWN). */
static void idle_cycles(uint64_t *idle)
{
	thread_info_t th[64];
	size_t n = 0;
	if (thread_info_list(0, th, 64, &n) != EOK)
		n = 0;
	for (size_t i = 0; i < n && i < 64; i++) {
		if ((th[i].flags & THREAD_INFO_IDLE) && th[i].cpu < CPUS_SHOWN)
			idle[th[i].cpu] = th[i].cycles;
	}
}

/** "B0,B1...": each CPU's busy percent over @a ns, from the idle time
 *  between @a before and @a after, into @a buf. */
static const char *busy_text(const uint64_t *before, const uint64_t *after, unsigned cpus,
    uint64_t ns, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < cpus && i < CPUS_SHOWN && ns != 0; i++) {
		uint64_t idle_ns = clock_cycles_to_ns(after[i] - before[i]);
		uint64_t busy = idle_ns >= ns ? 0 : 100 - idle_ns * 100 / ns;
		len += (size_t) snprintf(buf + len, size - len, "%s%llu", i ? "," : "",
		    (unsigned long long) busy);
	}
	return buf;
}

/** Runs the clients of @a c; their wall-clock time in *@a ns. */
static int scaling_run(scaling_client_t *c, int pairs, uint64_t *ns)
{
	thread_id_t ids[SCALING_PAIRS_MAX];
	int started = 0;
	for (; started < pairs; started++) {
		if (thread_create(scaling_client, &c[started], "client", &ids[started]) !=
		    EOK)
			break;
	}
	while (*c[0].ready < started)
		thread_yield();
	uint64_t start = clock_ns();
	__atomic_store_n(c[0].go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < started; i++)
		DISCARD(joined, thread_join(ids[i]));
	*ns = clock_ns() - start;
	return started == pairs ? 0 : 1;
}

int scaling_case(int pairs, int rounds)
{
	unsigned cpu, cpus;
	if (pairs < 1 || pairs > SCALING_PAIRS_MAX || rounds < 1 ||
	    cpu_info(&cpu, &cpus) != EOK) {
		printf("bench: scaling: bad arguments or no CPU count\n");
		return 1;
	}
	volatile int ready = 0, go = 0;
	scaling_client_t c[SCALING_PAIRS_MAX];
	for (int i = 0; i < pairs; i++)
		c[i] = (scaling_client_t){.rounds = rounds, .ready = &ready, .go = &go};
	uint64_t ns = 0, idle0[CPUS_SHOWN] = {0}, idle1[CPUS_SHOWN] = {0};
	int failed = scaling_servers(c, pairs, cpus);
	idle_cycles(idle0);
	if (failed == 0)
		failed = scaling_run(c, pairs, &ns);
	idle_cycles(idle1);
	int errors = 0;
	for (int i = 0; i < pairs; i++) {
		errors += c[i].errors;
		if (c[i].phone != CAP_NULL)
			bench_server_stop(c[i].phone);
	}
	char busy[CPUS_SHOWN * 5];
	printf("bench: scaling pairs=%d cpus=%u rounds=%d ns=%llu errors=%d busy=%s\n",
	    pairs, cpus, rounds, (unsigned long long) ns, errors,
	    busy_text(idle0, idle1, cpus, ns, busy, sizeof(busy)));
	return failed || errors != 0;
}
