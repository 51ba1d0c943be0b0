/*
 * bench on several CPUs (tools/bench.py boots these with -smp 2):
 *
 *   bench --smp              the combined raw round trip with the server
 *                            pinned to the client's CPU and to the other one
 *                            (under -icount, which runs the CPUs in turn:
 *                            guest instructions of both CPUs)
 *   bench --scaling P R [free | alternate K]
 *                            P client threads and P server tasks, pair i
 *                            pinned to CPU i mod the CPU count (with free:
 *                            nothing pinned, the scheduler places them), R checked
 *                            combined round trips per pair; prints
 *                            `bench: scaling pairs=P cpus=C rounds=R ns=N
 *                            rate=T errors=E busy=B0,B1...`: the CPUs used,
 *                            the wall-clock time of the whole, the round
 *                            trips per second of all pairs (the sum of each
 *                            pair's own rate) and each CPU's
 *                            busy share meanwhile in percent (from its idle
 *                            thread's CPU time), which shows whether the
 *                            pairs ran in parallel. With alternate: K times
 *                            every pair on CPU 0 and then spread over all
 *                            CPUs, so that the ratio of the two comes from
 *                            one run (bench.py boots it with -smp 2 under
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
	bool pinned;
	int rounds;
	volatile int *ready; /* counted up once pinned */
	volatile int *go;    /* set when every client is ready */
	int errors;	     /* round trips that failed or came back wrong */
	uint64_t start_ns;   /* the go, as this client saw it */
	uint64_t ns;	     /* from its go to its last answer */
} scaling_client_t;

/** One checked round trip: the server echoes the arguments. */
static bool scaling_round_trip(cap_handle_t phone, sysarg_t value)
{
	sysarg_t r[10] = {phone, BENCH_PING, value, ~value, 3, 4, 5, 0x1234, 0};
	errno_t rc = (errno_t) __syscall_ipc(SYS_IPC_CALL_WAIT, r);
	return rc == EOK && IPC_EVENT_KIND(r[0]) == IPC_EVENT_ANSWER && r[1] == EOK &&
	    r[2] == value && r[3] == ~value;
}

static void scaling_client(void *arg)
{
	scaling_client_t *c = arg;
	if (c->pinned && thread_set_affinity(1ull << c->cpu) != EOK)
		c->errors = c->rounds;
	__atomic_fetch_add(c->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(c->go, __ATOMIC_ACQUIRE))
		thread_yield();
	uint64_t start = clock_ns();
	for (int i = 0; i < c->rounds && c->errors == 0; i++) {
		if (!scaling_round_trip(
			c->phone, ((sysarg_t) c->cpu << 32) | (sysarg_t) i))
			c->errors++;
	}
	c->ns = clock_ns() - start;
}

/** Round trips per second of @a pairs clients together: the sum of each
 *  one's own rate, so that a pair done early (its CPU then idle) does not
 *  count as slow. */
static uint64_t scaling_rate(const scaling_client_t *c, int pairs)
{
	uint64_t rate = 0;
	for (int i = 0; i < pairs; i++)
		rate += c[i].ns == 0 ? 0
				     : (uint64_t) c[i].rounds * 1000000000ull / c[i].ns;
	return rate;
}

/** Starts @a pairs servers, pair i's on CPU i mod @a cpus if pinned. */
static int scaling_servers(scaling_client_t *c, int pairs, unsigned cpus)
{
	for (int i = 0; i < pairs; i++) {
		char mode[32];
		c[i].cpu = (unsigned) i % cpus;
		if (c[i].pinned)
			snprintf(mode, sizeof(mode), "combined %u", c[i].cpu);
		else
			snprintf(mode, sizeof(mode), "combined");
		c[i].phone = bench_server_start(mode);
		if (c[i].phone == CAP_NULL)
			return 1;
	}
	return 0;
}

/** Every CPU's counters (up to CPUS_SHOWN) into @a s; zeroes where they
 *  cannot be read. */
static void cpus_stats(cpu_stats_t *s, unsigned cpus)
{
	for (unsigned i = 0; i < cpus && i < CPUS_SHOWN; i++) {
		if (cpu_stats_get(i, &s[i]) != EOK)
			s[i] = (cpu_stats_t){0};
	}
}

/** CPU @a i's busy percent over @a ns, from its idle time between @a before
 *  and @a after. */
static uint64_t busy_percent(
    const cpu_stats_t *before, const cpu_stats_t *after, uint64_t ns)
{
	uint64_t idle_ns = clock_cycles_to_ns(after->idle_cycles - before->idle_cycles);
	return ns == 0 || idle_ns >= ns ? 0 : 100 - idle_ns * 100 / ns;
}

/** Appends " NAME=V0,V1...", one value per CPU from @a value, to @a buf. */
static size_t stats_field(char *buf, size_t size, size_t len, const char *name,
    const cpu_stats_t *before, const cpu_stats_t *after, unsigned cpus, uint64_t ns,
    uint64_t (*value)(const cpu_stats_t *, const cpu_stats_t *, uint64_t))
{
	len += (size_t) snprintf(buf + len, size - len, " %s=", name);
	for (unsigned i = 0; i < cpus && i < CPUS_SHOWN && len < size; i++) {
		len += (size_t) snprintf(buf + len, size - len, "%s%llu", i ? "," : "",
		    (unsigned long long) value(&before[i], &after[i], ns));
	}
	return len < size ? len : size - 1;
}

static uint64_t switches_delta(const cpu_stats_t *b, const cpu_stats_t *a, uint64_t ns)
{
	return a->context_switches - b->context_switches;
}

static uint64_t ipis_delta(const cpu_stats_t *b, const cpu_stats_t *a, uint64_t ns)
{
	return a->ipis - b->ipis;
}

static uint64_t interrupts_delta(const cpu_stats_t *b, const cpu_stats_t *a, uint64_t ns)
{
	return a->interrupts - b->interrupts;
}

static uint64_t pulls_delta(const cpu_stats_t *b, const cpu_stats_t *a, uint64_t ns)
{
	return a->pulls - b->pulls;
}

static uint64_t steals_delta(const cpu_stats_t *b, const cpu_stats_t *a, uint64_t ns)
{
	return a->steals - b->steals;
}

/** " busy=B0,B1... switches=... ipis=... steals=...": each CPU's busy
 *  percent over @a ns and its counts between @a before and @a after. */
static const char *stats_text(const cpu_stats_t *before, const cpu_stats_t *after,
    unsigned cpus, uint64_t ns, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	len = stats_field(buf, size, len, "busy", before, after, cpus, ns, busy_percent);
	len = stats_field(
	    buf, size, len, "switches", before, after, cpus, ns, switches_delta);
	len = stats_field(buf, size, len, "ipis", before, after, cpus, ns, ipis_delta);
	len = stats_field(
	    buf, size, len, "interrupts", before, after, cpus, ns, interrupts_delta);
	len = stats_field(
	    buf, size, len, "steals", before, after, cpus, ns, steals_delta);
	stats_field(buf, size, len, "pulls", before, after, cpus, ns, pulls_delta);
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

/** One scaling run: @a pairs pairs of @a rounds round trips, pair i pinned
 *  to CPU i mod @a used (0: nothing pinned) of the machine's @a cpus; prints
 *  its line. */
static int scaling_once(int pairs, int rounds, unsigned used, unsigned cpus)
{
	volatile int ready = 0, go = 0;
	scaling_client_t c[SCALING_PAIRS_MAX];
	for (int i = 0; i < pairs; i++)
		c[i] = (scaling_client_t){
		    .rounds = rounds, .pinned = used != 0, .ready = &ready, .go = &go};
	uint64_t ns = 0;
	cpu_stats_t s0[CPUS_SHOWN] = {0}, s1[CPUS_SHOWN] = {0};
	int failed = scaling_servers(c, pairs, used != 0 ? used : cpus);
	cpus_stats(s0, cpus);
	if (failed == 0)
		failed = scaling_run(c, pairs, &ns);
	cpus_stats(s1, cpus);
	int errors = 0;
	for (int i = 0; i < pairs; i++) {
		errors += c[i].errors;
		if (c[i].phone != CAP_NULL)
			bench_server_stop(c[i].phone);
	}
	char stats[CPUS_SHOWN * 4 * 12];
	printf("bench: scaling%s pairs=%d cpus=%u rounds=%d ns=%llu rate=%llu "
	       "errors=%d%s\n",
	    used == 0 ? "-free" : "", pairs, used != 0 ? used : cpus, rounds,
	    (unsigned long long) ns, (unsigned long long) scaling_rate(c, pairs), errors,
	    stats_text(s0, s1, cpus, ns, stats, sizeof(stats)));
	return failed || errors != 0;
}

int scaling_case(int pairs, int rounds, scaling_mode_t mode, int times)
{
	unsigned cpu, cpus;
	if (pairs < 1 || pairs > SCALING_PAIRS_MAX || rounds < 1 || times < 1 ||
	    cpu_info(&cpu, &cpus) != EOK) {
		printf("bench: scaling: bad arguments or no CPU count\n");
		return 1;
	}
	if (mode == SCALING_FREE)
		return scaling_once(pairs, rounds, 0, cpus);
	if (mode == SCALING_PINNED)
		return scaling_once(pairs, rounds, cpus, cpus);
	int failed = 0;
	for (int i = 0; i < times && failed == 0; i++) {
		failed = scaling_once(pairs, rounds, 1, cpus);
		if (failed == 0)
			failed = scaling_once(pairs, rounds, cpus, cpus);
	}
	return failed;
}
