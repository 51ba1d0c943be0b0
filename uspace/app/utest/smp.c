/*
 * utest: several CPUs (docs/kernel.md, "Several CPUs"). Threads pinned with
 * thread_set_affinity to every CPU hammer a spinlock and a futex mutex; an
 * area unmapped, shrunk or made read-only on one CPU must fault at once for
 * a thread of the same task on another (the TLB shoot-down); a task killed
 * while its threads run on every CPU leaves the kernel's counts as they
 * were; runnable threads that allow every CPU, or never chose their CPUs,
 * spread over them and keep their FPU state; a debug stop holds threads
 * running on every CPU. They hold on any number of CPUs (with one, every
 * thread shares it); waits are bounded only against a hang, far beyond any
 * stall of the host.
 */
#include "utest.h"
#include <as.h>
#include <exc.h>
#include <futex.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <testsuite.h>
#include <thread.h>
#include <time.h>

#define HANG_LIMIT_NS (60 * 1000000000ull)
#define HAMMER_ROUNDS 20000
/* Where the shoot-down child maps its page (clear of what utest maps). */
#define SHOOT_BASE 0x610000000000ull

unsigned cpus_running(void)
{
	unsigned cpu, count;
	return cpu_info(&cpu, &count) == EOK ? count : 1;
}

bool pin(unsigned cpu)
{
	unsigned now, count;
	return thread_set_affinity(1ull << cpu) == EOK && cpu_info(&now, &count) == EOK &&
	    now == cpu;
}

/** Lets the caller run anywhere again. */
static void unpin(void)
{
	unsigned n = cpus_running();
	DISCARD(rc, thread_set_affinity(n >= 64 ? ~0ull : (1ull << n) - 1));
}

bool wait_for(volatile unsigned *word, unsigned value)
{
	uint64_t start = clock_ns();
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) < value) {
		if (clock_ns() - start > HANG_LIMIT_NS)
			return false;
		DISCARD(woken, thread_sleep(1 * MS));
	}
	return true;
}

static spinlock_t hammer_spin = SPINLOCK_INITIALIZER;
static futex_mutex_t hammer_mutex = FUTEX_MUTEX_INITIALIZER;
static volatile uint64_t spin_counter, mutex_counter;
static volatile unsigned hammer_done, hammer_misplaced;

/** A read, a pause and a write: without mutual exclusion increments are
 *  lost as soon as two CPUs interleave. */
static void slow_increment(volatile uint64_t *counter)
{
	uint64_t v = *counter;
	for (volatile int i = 0; i < 10; i++)
		;
	*counter = v + 1;
}

static void hammer_thread(void *arg)
{
	if (!pin((unsigned) (uintptr_t) arg))
		__atomic_add_fetch(&hammer_misplaced, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		spinlock_lock(&hammer_spin);
		slow_increment(&spin_counter);
		spinlock_unlock(&hammer_spin);
		futex_mutex_lock(&hammer_mutex);
		slow_increment(&mutex_counter);
		futex_mutex_unlock(&hammer_mutex);
	}
	__atomic_add_fetch(&hammer_done, 1, __ATOMIC_RELEASE);
	thread_exit();
}

void test_spinlock_and_mutex_hammered_from_every_cpu(void)
{
	unsigned n = cpus_running();
	spin_counter = mutex_counter = 0;
	hammer_done = hammer_misplaced = 0;
	for (unsigned i = 0; i < n; i++)
		CHECK_RC(
		    thread_create(hammer_thread, (void *) (uintptr_t) i, "hammer", NULL),
		    EOK);
	CHECK(wait_for(&hammer_done, n));
	CHECK(hammer_misplaced == 0);
	CHECK(spin_counter == (uint64_t) n * HAMMER_ROUNDS);
	CHECK(mutex_counter == (uint64_t) n * HAMMER_ROUNDS);
}

/*
 * The shoot-down child (`utest --shootdown MODE`): its main thread, pinned
 * to CPU 0, maps a page at SHOOT_BASE; a second thread, pinned to the last
 * CPU, keeps reading it (writing it for MODE protect), so its TLB holds the
 * entry. Main then unmaps the page (MODE destroy: the area; shrink: the
 * area cut to its first page; protect: made read-only) and, the call done,
 * raises `changed`. The reader's next access must fault: the child dies
 * of a page fault at the page. If the access succeeds instead (a stale TLB
 * entry), the child exits with status 7.
 */
static volatile unsigned shoot_reads, shoot_changed, shoot_stale;
static bool shoot_write; /* the reader writes (MODE protect) */

static void shoot_reader(void *arg)
{
	volatile uint64_t *page = arg;
	DISCARD(ok, pin(cpus_running() - 1));
	for (;;) {
		bool after = __atomic_load_n(&shoot_changed, __ATOMIC_ACQUIRE) != 0;
		if (shoot_write)
			*page = shoot_reads;
		else
			(void) *page;
		if (after)
			__atomic_store_n(&shoot_stale, 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&shoot_reads, 1, __ATOMIC_RELEASE);
	}
}

int child_shootdown(const char *mode)
{
	if (!pin(0))
		return 2;
	uintptr_t base = SHOOT_BASE;
	if (as_area_create(&base, 4 * 4096, AS_AREA_READ | AS_AREA_WRITE) != EOK)
		return 3;
	memset((void *) base, 1, 4 * 4096);
	/* destroy: the reader uses page 0; shrink: page 1 (cut); protect: page 2. */
	uintptr_t page = strcmp(mode, "destroy") == 0 ? base
	    : strcmp(mode, "shrink") == 0	      ? base + 4096
						      : base + 2 * 4096;
	shoot_write = strcmp(mode, "protect") == 0;
	if (thread_create(shoot_reader, (void *) page, "reader", NULL) != EOK)
		return 4;
	if (!wait_for(&shoot_reads, 1000))
		return 5;
	errno_t rc = strcmp(mode, "destroy") == 0 ? as_area_destroy(base)
	    : strcmp(mode, "shrink") == 0	  ? as_area_resize(base, 4096)
					  : as_area_change_flags(base, AS_AREA_READ);
	if (rc != EOK)
		return 6;
	__atomic_store_n(&shoot_changed, 1, __ATOMIC_RELEASE);
	uint64_t start = clock_ns();
	while (!__atomic_load_n(&shoot_stale, __ATOMIC_ACQUIRE) &&
	    clock_ns() - start < HANG_LIMIT_NS)
		DISCARD(woken, thread_sleep(1 * MS));
	return 7; /* the reader went on through the old mapping (or hung) */
}

void test_unmap_is_shot_down_on_another_cpu(void)
{
	static const char *const modes[] = {"destroy", "shrink", "protect"};
	static const uintptr_t pages[] = {
	    SHOOT_BASE, SHOOT_BASE + 4096, SHOOT_BASE + 2 * 4096};
	for (size_t i = 0; i < 3; i++) {
		char cmd[48];
		snprintf(cmd, sizeof(cmd), "utest --shootdown %s", modes[i]);
		task_id_t id;
		task_exit_t e;
		CHECK_RC(task_spawn_module(cmd, &id), EOK);
		CHECK_RC(task_join(id, &e, 2 * HANG_LIMIT_NS / 1000), EOK);
		if (e.how != TASK_EXIT_FAULT || e.fault_addr != pages[i])
			printf("utest:   --shootdown %s ended how=%d status=%d at %#lx\n",
			    modes[i], e.how, e.status, (unsigned long) e.fault_addr);
		CHECK(e.how == TASK_EXIT_FAULT && e.fault_addr == pages[i]);
	}
}

/*
 * The spreading child (`utest --spread`): a thread pinned to each CPU
 * spins, touching its own memory and using the FPU, while main counts
 * them running; it then waits to be killed.
 */
static volatile unsigned spread_running;
/* Rounds of the thread pinned to CPU n (the debugger reads them). */
static volatile uint64_t spread_rounds[64];

static void spread_thread(void *arg)
{
	unsigned cpu = (unsigned) (uintptr_t) arg;
	DISCARD(ok, pin(cpu));
	volatile uint64_t *mem = malloc(4096);
	volatile double x = 1.0;
	__atomic_add_fetch(&spread_running, 1, __ATOMIC_RELEASE);
	for (uint64_t i = 0;; i++) {
		if (mem != NULL)
			mem[i % 512] = i;
		x = x * 1.0000001;
		spread_rounds[cpu] = i + 1;
	}
}

int child_spread(void)
{
	unsigned n = cpus_running();
	for (unsigned i = 0; i < n; i++) {
		if (thread_create(
			spread_thread, (void *) (uintptr_t) i, "spread", NULL) != EOK)
			return 3;
	}
	if (!wait_for(&spread_running, n))
		return 4;
	printf("utest: spread child: %u threads running\n", n);
	DISCARD(woken, thread_sleep(60000 * MS));
	return 1;
}

static bool stats_same(const kernel_stats_t *a, const kernel_stats_t *b)
{
	return a->tasks == b->tasks && a->threads == b->threads &&
	    a->frames_free == b->frames_free && a->slab_objects == b->slab_objects &&
	    a->capabilities == b->capabilities;
}

/** The kernel's counts once they stop changing (freeing lags a task's
 *  end): equal over ten readings 10 ms apart; false after HANG_LIMIT_NS. */
static bool stats_steady(kernel_stats_t *now)
{
	uint64_t start = clock_ns();
	kernel_stats_t last;
	if (kernel_stats_get(&last) != EOK)
		return false;
	for (int same = 0; same < 10;) {
		if (clock_ns() - start > HANG_LIMIT_NS)
			return false;
		DISCARD(woken, thread_sleep(10 * MS));
		if (kernel_stats_get(now) != EOK)
			return false;
		same = stats_same(&last, now) ? same + 1 : 0;
		last = *now;
	}
	return true;
}

/** Waits until task @a id has @a threads threads; false after HANG_LIMIT_NS. */
static bool threads_made(task_id_t id, unsigned threads)
{
	uint64_t start = clock_ns();
	task_info_t info;
	while (task_get_info(id, &info) == EOK && clock_ns() - start < HANG_LIMIT_NS) {
		if (info.threads >= threads)
			return true;
		DISCARD(woken, thread_sleep(1 * MS));
	}
	return false;
}

static void stats_print(const kernel_stats_t *a, const kernel_stats_t *b)
{
	printf("utest:   before: %lu tasks %lu threads %lu free %lu objects %lu caps; "
	       "after: %lu %lu %lu %lu %lu\n",
	    (unsigned long) a->tasks, (unsigned long) a->threads,
	    (unsigned long) a->frames_free, (unsigned long) a->slab_objects,
	    (unsigned long) a->capabilities, (unsigned long) b->tasks,
	    (unsigned long) b->threads, (unsigned long) b->frames_free,
	    (unsigned long) b->slab_objects, (unsigned long) b->capabilities);
}

/** Starts child @a mode, kills it once its @a threads threads are made
 *  (they run at once; it would exit on its own only after a minute) and
 *  collects it. */
static void spawn_and_kill(const char *mode, unsigned threads)
{
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "utest %s", mode);
	task_id_t id;
	task_exit_t e;
	CHECK_RC(task_spawn_module(cmd, &id), EOK);
	CHECK(threads_made(id, threads));
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_join(id, &e, HANG_LIMIT_NS / 1000), EOK);
	CHECK(e.how == TASK_EXIT_KILLED);
}

void test_task_killed_on_every_cpu_leaves_no_leak(void)
{
	/* A first round warms the caches (slabs, loader) the others reuse.
	 * A task spawned and killed leaves a few slab objects behind however
	 * it runs (a sleeper on one CPU as well); the spreading child, killed
	 * while its threads spin on every CPU, must leave no more than the
	 * sleeper, and every frame, task, thread and capability must be back. */
	unsigned n = cpus_running();
	spawn_and_kill("--spread", n + 1);
	kernel_stats_t base, slept, spread;
	CHECK(stats_steady(&base));
	spawn_and_kill("--sleep", 1);
	CHECK(stats_steady(&slept));
	spawn_and_kill("--spread", n + 1);
	CHECK(stats_steady(&spread));
	int64_t left_by_sleeper = (int64_t) (slept.slab_objects - base.slab_objects);
	int64_t left_by_spread = (int64_t) (spread.slab_objects - slept.slab_objects);
	bool ok = spread.tasks == slept.tasks && spread.threads == slept.threads &&
	    spread.frames_free == slept.frames_free &&
	    spread.capabilities == slept.capabilities &&
	    left_by_spread <= left_by_sleeper;
	if (!ok) {
		stats_print(&base, &slept);
		stats_print(&slept, &spread);
	}
	CHECK(ok);
	unpin();
}

/** Kernel counts right after a task's end is seen must already be back:
 *  the task ends only once each of its threads is freed, whichever CPU
 *  frees it (before, a thread freed on another CPU was still counted for a
 *  while after task_join returned, and a leak check that took its baseline
 *  then waited for a count that never came). No waiting for a settling
 *  count here: one reading per round. */
void test_task_end_is_seen_after_its_threads_are_gone(void)
{
	unsigned n = cpus_running();
	spawn_and_kill("--spread", n + 1); /* warms the caches and the loader */
	kernel_stats_t base, now;
	CHECK(stats_steady(&base));
	for (int round = 0; round < 6; round++) {
		spawn_and_kill("--spread", n + 1);
		CHECK_RC(kernel_stats_get(&now), EOK);
		bool back = now.tasks == base.tasks && now.threads == base.threads;
		EXPECT(back, "round %d: tasks %lu -> %lu, threads %lu -> %lu", round,
		    (unsigned long) base.tasks, (unsigned long) now.tasks,
		    (unsigned long) base.threads, (unsigned long) now.threads);
		if (!back)
			break;
	}
	unpin();
}

/*
 * Load balancing: runnable threads of one task that let the kernel place
 * them on any CPU (thread_set_affinity with every CPU) spread over every
 * CPU by work stealing, each keeping its FPU state wherever it is moved to
 * (a value held in xmm6 over a spin, checked after it).
 */
static volatile uint64_t balance_ran_on; /* bit n: a balance thread ran on CPU n */
static volatile unsigned balance_stop, balance_bad_fpu, balance_done;

/** Holds @a value in xmm6 over @a spins pauses (the thread may be preempted
 *  and moved meanwhile); what xmm6 holds after. */
static uint64_t xmm6_over_a_spin(uint64_t value, unsigned spins)
{
	uint64_t out;
	__asm__ volatile("movq %[v], %%xmm6\n\t"
			 "1: pause\n\t"
			 "dec %[n]\n\t"
			 "jnz 1b\n\t"
			 "movq %%xmm6, %[o]"
			 : [o] "=r"(out), [n] "+r"(spins)
			 : [v] "r"(value)
			 : "xmm6", "cc");
	return out;
}

static void balance_thread(void *arg)
{
	uint64_t seed = (uint64_t) (uintptr_t) arg << 32;
	unpin(); /* every CPU: the thread chose to be placed anywhere */
	for (uint64_t round = 1; !balance_stop; round++) {
		if (xmm6_over_a_spin(seed + round, 20000) != seed + round)
			__atomic_add_fetch(&balance_bad_fpu, 1, __ATOMIC_RELAXED);
		unsigned cpu, count;
		if (cpu_info(&cpu, &count) == EOK)
			__atomic_fetch_or(&balance_ran_on, 1ull << cpu, __ATOMIC_RELAXED);
	}
	__atomic_add_fetch(&balance_done, 1, __ATOMIC_RELEASE);
}

void test_runnable_threads_spread_over_every_cpu(void)
{
	unsigned n = cpus_running();
	uint64_t all = n >= 64 ? ~0ull : (1ull << n) - 1;
	balance_ran_on = 0;
	balance_stop = 0;
	balance_bad_fpu = 0;
	balance_done = 0;
	/* New threads start beside their creator: only stealing takes them to
	 * the other CPUs. */
	for (unsigned i = 0; i < n; i++) {
		CHECK_RC(thread_create(balance_thread, (void *) (uintptr_t) (i + 1),
			     "balance", NULL),
		    EOK);
	}
	uint64_t start = clock_ns();
	while ((balance_ran_on & all) != all && clock_ns() - start < HANG_LIMIT_NS)
		DISCARD(woken, thread_sleep(10 * MS));
	balance_stop = 1;
	bool ended = wait_for(&balance_done, n);
	EXPECT((balance_ran_on & all) == all, "ran on CPUs %#llx of %#llx",
	    (unsigned long long) balance_ran_on, (unsigned long long) all);
	EXPECT(balance_bad_fpu == 0, "xmm6 lost %u times", balance_bad_fpu);
	CHECK(ended);
}

/*
 * Load balancing of threads that never choose their CPUs: N busy threads of
 * one task (N CPUs) start beside their creator, and work stealing, which
 * takes such a thread only once it has waited queued across a tick,
 * spreads them until each CPU runs one of them: at some moment the CPUs
 * they last reported are N distinct ones. Each keeps its FPU state where it
 * is moved to. Only the end state is asserted, within a bound far beyond
 * any stall of the host.
 */
#define UNPINNED_NOWHERE 0xffffffffu
static volatile unsigned unpinned_where[64]; /* CPU each thread last ran on */
static volatile unsigned unpinned_stop, unpinned_bad_fpu, unpinned_done;

static void unpinned_thread(void *arg)
{
	unsigned i = (unsigned) (uintptr_t) arg;
	for (uint64_t round = 1; !unpinned_stop; round++) {
		uint64_t value = ((uint64_t) (i + 1) << 40) + round;
		if (xmm6_over_a_spin(value, 2000) != value)
			__atomic_add_fetch(&unpinned_bad_fpu, 1, __ATOMIC_RELAXED);
		unsigned cpu, count;
		if (cpu_info(&cpu, &count) == EOK)
			unpinned_where[i] = cpu;
	}
	__atomic_add_fetch(&unpinned_done, 1, __ATOMIC_RELEASE);
}

/** Whether the @a n threads last ran on @a n distinct CPUs. */
static bool unpinned_on_distinct_cpus(unsigned n)
{
	uint64_t seen = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned cpu = unpinned_where[i];
		if (cpu >= 64)
			return false;
		seen |= 1ull << cpu;
	}
	return (unsigned) __builtin_popcountll(seen) == n;
}

void test_threads_of_one_task_spread_without_affinity(void)
{
	unsigned n = cpus_running();
	if (n > 64)
		n = 64;
	unpinned_stop = 0;
	unpinned_bad_fpu = 0;
	unpinned_done = 0;
	for (unsigned i = 0; i < n; i++)
		unpinned_where[i] = UNPINNED_NOWHERE;
	for (unsigned i = 0; i < n; i++) {
		CHECK_RC(thread_create(
			     unpinned_thread, (void *) (uintptr_t) i, "unpinned", NULL),
		    EOK);
	}
	uint64_t start = clock_ns();
	bool spread = false;
	while (!spread && clock_ns() - start < HANG_LIMIT_NS) {
		DISCARD(woken, thread_sleep(10 * MS));
		spread = unpinned_on_distinct_cpus(n);
	}
	unpinned_stop = 1;
	bool ended = wait_for(&unpinned_done, n);
	if (!spread) {
		for (unsigned i = 0; i < n; i++)
			printf("utest: unpinned thread %u last ran on CPU %u\n", i,
			    unpinned_where[i]);
	}
	EXPECT(spread, "%u threads never ran on %u distinct CPUs at once", n, n);
	EXPECT(unpinned_bad_fpu == 0, "xmm6 lost %u times", unpinned_bad_fpu);
	CHECK(ended);
}

/*
 * A debug stop reaches threads running on every CPU: each spreading
 * child's spinning thread is listed stopped with its registers, its round
 * counter holds still while the task is stopped and moves again after the
 * resume.
 */

/** Child @a id's spread_rounds[0 .. @a n) into @a out. */
static bool spread_rounds_read(task_id_t id, uint64_t *out, unsigned n)
{
	return debug_mem_read(id, (uintptr_t) spread_rounds, out, n * sizeof(*out)) ==
	    EOK;
}

/** Whether each of child @a id's first @a n counters passes @a from's
 *  within HANG_LIMIT_NS. */
static bool spread_rounds_pass(task_id_t id, const uint64_t *from, unsigned n)
{
	uint64_t start = clock_ns(), now[64];
	while (clock_ns() - start < HANG_LIMIT_NS) {
		if (!spread_rounds_read(id, now, n))
			return false;
		unsigned passed = 0;
		for (unsigned i = 0; i < n; i++)
			passed += now[i] > from[i];
		if (passed == n)
			return true;
		DISCARD(woken, thread_sleep(1 * MS));
	}
	return false;
}

/** Whether child @a id's @a n spreading threads are listed stopped, each
 *  with registers where the listing says it stopped; waits for them up to
 *  HANG_LIMIT_NS. */
static bool spreaders_stopped(task_id_t id, unsigned n)
{
	static exc_thread_info_t t[65];
	uint64_t start = clock_ns();
	for (;;) {
		size_t count = 0, stopped = 0;
		if (debug_threads(id, t, 65, &count) != EOK)
			return false;
		for (size_t i = 0; i < count; i++) {
			exc_regs_t regs;
			stopped += strcmp(t[i].name, "spread") == 0 &&
			    t[i].state == EXC_THREAD_STOPPED &&
			    debug_regs_get(id, t[i].id, &regs) == EOK &&
			    regs.rip == t[i].ip;
		}
		if (stopped == n)
			return true;
		if (clock_ns() - start > HANG_LIMIT_NS)
			return false;
		DISCARD(woken, thread_sleep(1 * MS));
	}
}

void test_debug_stop_holds_threads_on_every_cpu(void)
{
	unsigned n = cpus_running();
	uint64_t zero[64] = {0}, stopped[64], later[64];
	task_id_t id;
	task_exit_t e;
	CHECK_RC(task_spawn_module("utest --spread", &id), EOK);
	CHECK(threads_made(id, n + 1));
	CHECK(spread_rounds_pass(id, zero, n));
	CHECK_RC(debug_stop(id), EOK);
	bool all_stopped = spreaders_stopped(id, n);
	bool read = spread_rounds_read(id, stopped, n);
	DISCARD(woken, thread_sleep(20 * MS));
	read = read && spread_rounds_read(id, later, n);
	CHECK_RC(debug_resume(id), EOK);
	EXPECT(all_stopped, "not every spreading thread stopped");
	EXPECT(read && memcmp(stopped, later, n * sizeof(*later)) == 0,
	    "a thread ran on while its task was stopped");
	EXPECT(spread_rounds_pass(id, later, n),
	    "not every thread went on after the resume");
	CHECK_RC(task_kill(id), EOK);
	CHECK_RC(task_join(id, &e, HANG_LIMIT_NS / 1000), EOK);
}

/** SYS_CPU_STATS: every running CPU's counters, its own CPU's switches
 *  counted; a CPU that does not run (also one whose id is only right in its
 *  low 32 bits) and a bad buffer refused with nothing written. */
void test_cpu_stats_of_every_cpu_and_bad_input(void)
{
	unsigned cpu, count;
	CHECK_RC(cpu_info(&cpu, &count), EOK);
	cpu_stats_t s;
	for (unsigned c = 0; c < count; c++) {
		CHECK_RC(cpu_stats_get(c, &s), EOK);
		if (c == cpu)
			CHECK(s.context_switches != 0);
	}
	memset(&s, 0x5a, sizeof(s));
	CHECK_RC(cpu_stats_get(count, &s), EINVAL);
	CHECK_RC(
	    (errno_t) syscall2(SYS_CPU_STATS, (1ull << 32) | cpu, (sysarg_t) &s), EINVAL);
	CHECK(s.busy_ticks == 0x5a5a5a5a5a5a5a5aull);
	CHECK_RC(cpu_stats_get(0, (cpu_stats_t *) 0x10), EBADMEM);
	CHECK_RC(cpu_stats_get(0, (cpu_stats_t *) 0xffffffff80100000ull), EBADMEM);
}
