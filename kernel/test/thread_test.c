/*
 * Self-tests: threads, scheduling, sleeping and kernel synchronisation.
 */
#include <test.h>
#include <arch/asm.h>
#include <cpu.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <printf.h>
#include <proc/thread.h>
#include <smp.h>
#include <synch/lockdep.h>
#include <synch/mutex.h>
#include <time/clock.h>
#include <time/timeout.h>

#define MS 1000000ull

static volatile uint64_t counter;

static void count_once(void *arg)
{
	__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
}

static thread_t *threads_1000[1000];

/** Creates, starts and joins 1000 threads; false (with a report) on a failure. */
static bool run_1000_threads(void)
{
	counter = 0;
	for (int i = 0; i < 1000; i++) {
		if (thread_create(NULL, count_once, NULL, "t1000", &threads_1000[i]) !=
		    EOK) {
			printf("  thread %d: thread_create failed\n", i);
			return false;
		}
		thread_start(threads_1000[i]);
	}
	for (int i = 0; i < 1000; i++) {
		if (thread_join(threads_1000[i]) != EOK) {
			printf("  thread %d: thread_join failed\n", i);
			return false;
		}
	}
	return true;
}

/* The first round may build page tables for the stack region, which are kept
 * for reuse; the second round must return every frame. */
KTEST(thread_1000_created_and_joined)
{
	size_t live = thread_count();
	KT_ASSERT(run_1000_threads());
	KT_ASSERT_EQ(counter, 1000);
	KT_ASSERT_EQ(thread_count(), live);
	kmem_reclaim_all();
	frame_stats_t before, after;
	frame_get_stats(&before);
	KT_ASSERT(run_1000_threads());
	KT_ASSERT_EQ(counter, 1000);
	KT_ASSERT_EQ(thread_count(), live);
	kmem_reclaim_all();
	frame_get_stats(&after);
	KT_ASSERT_EQ(after.free, before.free);
}

KTEST(thread_join_rules)
{
	thread_t *t;
	KT_ASSERT_EQ(thread_create(NULL, count_once, NULL, "join", &t), EOK);
	KT_ASSERT_EQ(thread_set_priority(t, PRIORITY_COUNT), EINVAL);
	thread_start(t);
	KT_ASSERT_EQ(thread_set_priority(t, 1), EINVAL); /* already started */
	KT_ASSERT_EQ(thread_join(t), EOK);
	KT_ASSERT_EQ(thread_join(THREAD), EINVAL); /* oneself */
	thread_t *d;
	KT_ASSERT_EQ(thread_create(NULL, count_once, NULL, "detached", &d), EOK);
	thread_detach(d);
	KT_ASSERT_EQ(thread_join(d), EINVAL);
	thread_start(d);
	thread_sleep(20 * MS); /* let it run and be reaped */
}

/* A critical section long enough to be preempted in the middle. */
static mutex_t test_mutex;
static volatile uint64_t shared_value;

static volatile uint64_t preempted_inside;
static volatile bool bystander_stop;

/* Ticks a lock holder waits to be preempted while the bystander is ready:
 * its slice, the tick that finds it used up, and room to spare. Counted in
 * ticks, not time, so a loaded host cannot make the wait too short. */
#define PREEMPT_TICK_LIMIT (4 * THREAD_SLICE_TICKS + 2)

/** Always ready (never blocks) on the workers' CPU, so that a lock holder
 *  whose slice is used up has someone to be preempted for: the workers
 *  themselves sleep on the mutex. */
static void busy_bystander(void *arg)
{
	(void) arg;
	while (!bystander_stop)
		cpu_relax();
}

static void mutex_worker(void *arg)
{
	for (int i = 0; i < 50; i++) {
		mutex_lock(&test_mutex);
		uint64_t v = shared_value;
		uint64_t switches = THREAD->switches;
		uint64_t t0 = clock_ticks();
		clock_delay_ns(1000000);
		/* Each worker's first section lasts until it was preempted
		 * (or the limit passed: then the check below fails). */
		while (i == 0 && THREAD->switches == switches &&
		    clock_ticks() - t0 <= PREEMPT_TICK_LIMIT)
			cpu_relax();
		if (THREAD->switches != switches)
			preempted_inside++;
		shared_value = v + 1;
		mutex_unlock(&test_mutex);
	}
}

static void run_workers_on(thread_fn_t fn, int n, int priority, bool pinned)
{
	thread_t *t[8];
	for (int i = 0; i < n; i++) {
		thread_create(NULL, fn, (void *) (uintptr_t) i, "worker", &t[i]);
		thread_set_priority(t[i], priority);
		if (pinned)
			thread_set_cpu(t[i], CPU->id);
		thread_start(t[i]);
	}
	for (int i = 0; i < n; i++)
		thread_join(t[i]);
}

static void run_workers(thread_fn_t fn, int n, int priority)
{
	run_workers_on(fn, n, priority, false);
}

KTEST(mutex_excludes_under_preemption)
{
	mutex_init(&test_mutex);
	shared_value = 0;
	preempted_inside = 0;
	bystander_stop = false;
	thread_t *b;
	KT_ASSERT_EQ(thread_create(NULL, busy_bystander, NULL, "bystander", &b), EOK);
	KT_ASSERT_EQ(thread_set_cpu(b, CPU->id), EOK);
	thread_start(b);
	/* All on this CPU: the bystander is ready wherever a holder runs. */
	run_workers_on(mutex_worker, 4, THREAD_PRIORITY_DEFAULT, true);
	bystander_stop = true;
	KT_ASSERT_EQ(thread_join(b), EOK);
	KT_ASSERT_EQ(shared_value, 200);
	KT_ASSERT(preempted_inside > 0); /* the tick did preempt lock holders */
	KT_ASSERT_EQ(mutex_trylock(&test_mutex), EOK);
	KT_ASSERT(mutex_locked_by_me(&test_mutex));
	mutex_unlock(&test_mutex);
}

/* Bounded buffer with two semaphores: every item arrives exactly once. */
#define SLOTS 4
static semaphore_t sem_free, sem_full;
static mutex_t buf_mutex;
static uint64_t ring[SLOTS];
static unsigned ring_in, ring_out;
static volatile uint64_t consumed_sum;

static void producer(void *arg)
{
	for (uint64_t i = 1; i <= 500; i++) {
		semaphore_down(&sem_free, 0);
		mutex_lock(&buf_mutex);
		ring[ring_in++ % SLOTS] = i;
		mutex_unlock(&buf_mutex);
		semaphore_up(&sem_full);
	}
}

static void consumer(void *arg)
{
	for (int i = 0; i < 500; i++) {
		semaphore_down(&sem_full, 0);
		mutex_lock(&buf_mutex);
		consumed_sum += ring[ring_out++ % SLOTS];
		mutex_unlock(&buf_mutex);
		semaphore_up(&sem_free);
	}
}

static void prod_cons(void *arg)
{
	if ((uintptr_t) arg % 2 == 0)
		producer(arg);
	else
		consumer(arg);
}

KTEST(semaphore_bounded_buffer)
{
	semaphore_init(&sem_free, SLOTS);
	semaphore_init(&sem_full, 0);
	mutex_init(&buf_mutex);
	ring_in = ring_out = 0;
	consumed_sum = 0;
	run_workers(prod_cons, 4, THREAD_PRIORITY_DEFAULT);
	KT_ASSERT_EQ(consumed_sum, 2 * 500 * 501 / 2);
	KT_ASSERT_EQ(semaphore_down(&sem_full, 10 * MS), ETIMEOUT);
	KT_ASSERT_EQ(sem_free.count, SLOTS);
}

static condvar_t cv;
static mutex_t cv_mutex;
static volatile int cv_stage;

static void cv_waiter(void *arg)
{
	mutex_lock(&cv_mutex);
	while (cv_stage == 0)
		condvar_wait(&cv, &cv_mutex, 0);
	cv_stage++;
	mutex_unlock(&cv_mutex);
}

KTEST(condvar_signal_broadcast_timeout)
{
	condvar_init(&cv);
	mutex_init(&cv_mutex);
	cv_stage = 0;
	thread_t *t[3];
	for (int i = 0; i < 3; i++) {
		KT_ASSERT_EQ(thread_create(NULL, cv_waiter, NULL, "cv", &t[i]), EOK);
		thread_start(t[i]);
	}
	thread_sleep(20 * MS); /* all three are waiting now */
	mutex_lock(&cv_mutex);
	cv_stage = 1;
	condvar_broadcast(&cv);
	mutex_unlock(&cv_mutex);
	for (int i = 0; i < 3; i++)
		thread_join(t[i]);
	KT_ASSERT_EQ(cv_stage, 4);

	mutex_lock(&cv_mutex);
	uint64_t start = clock_ns();
	errno_t rc = condvar_wait(&cv, &cv_mutex, 30 * MS);
	uint64_t waited = clock_ns() - start;
	KT_ASSERT(mutex_locked_by_me(&cv_mutex));
	mutex_unlock(&cv_mutex);
	KT_ASSERT_EQ(rc, ETIMEOUT);
	KT_ASSERT(waited >= 30 * MS);
}

/* Threads of lower priority than the test start in shuffled order and record
 * the order in which they first run once the test thread blocks. */
static volatile int run_order[6];
static volatile int run_count;

static void record_priority(void *arg)
{
	run_order[run_count++] = (int) (uintptr_t) arg;
}

KTEST(scheduler_runs_higher_priority_first)
{
	static const int prios[6] = {12, 9, 15, 10, 14, 11};
	thread_t *t[6];
	run_count = 0;
	for (int i = 0; i < 6; i++) {
		KT_ASSERT_EQ(thread_create(NULL, record_priority,
				 (void *) (uintptr_t) prios[i], "prio", &t[i]),
		    EOK);
		KT_ASSERT_EQ(thread_set_priority(t[i], prios[i]), EOK);
		thread_start(t[i]);
	}
	KT_ASSERT_EQ(run_count, 0); /* all below us: none ran yet */
	for (int i = 0; i < 6; i++)
		thread_join(t[i]);
	KT_ASSERT_EQ(run_count, 6);
	for (int i = 1; i < 6; i++)
		KT_ASSERT(run_order[i - 1] < run_order[i]);
}

static volatile bool spin_stop;
static volatile uint64_t spin_ticks[4];

static void spinner(void *arg)
{
	while (!spin_stop)
		cpu_relax();
	spin_ticks[(uintptr_t) arg] = THREAD->ticks;
}

KTEST(scheduler_round_robin_is_fair)
{
	thread_t *t[4];
	spin_stop = false;
	for (uintptr_t i = 0; i < 4; i++) {
		KT_ASSERT_EQ(
		    thread_create(NULL, spinner, (void *) i, "spin", &t[i]), EOK);
		thread_set_priority(t[i], THREAD_PRIORITY_DEFAULT + 1);
		thread_start(t[i]);
	}
	/* The spinners share the CPU meanwhile. Counted in ticks, not time: a
	 * loaded host delivers fewer ticks per second to the guest. */
	uint64_t t0 = clock_ticks();
	while (clock_ticks() - t0 < 40)
		thread_sleep(50 * MS);
	spin_stop = true;
	uint64_t total = 0;
	for (int i = 0; i < 4; i++) {
		thread_join(t[i]);
		total += spin_ticks[i];
	}
	KT_ASSERT(total >= 20);
	for (int i = 0; i < 4; i++) {
		KT_ASSERT(
		    spin_ticks[i] * 4 * 2 >= total); /* at least half a fair share */
		KT_ASSERT(spin_ticks[i] * 4 <= total * 2); /* at most twice */
	}
}

static volatile int fire_order[5];
static volatile int fire_count;

static void record_fire(void *arg)
{
	fire_order[__atomic_fetch_add(&fire_count, 1, __ATOMIC_RELAXED)] =
	    (int) (uintptr_t) arg;
}

static volatile uint64_t early_wakes;

/** Sleeps until the clock_ns() value @a arg; counts a wake before it. */
static void sleeper(void *arg)
{
	uint64_t deadline = (uint64_t) (uintptr_t) arg;
	uint64_t now = clock_ns();
	if (now < deadline)
		thread_sleep(deadline - now);
	if (clock_ns() < deadline)
		__atomic_add_fetch(&early_wakes, 1, __ATOMIC_RELAXED);
}

/* Asserted only what holds however late a loaded host delivers the ticks:
 * the timeouts of one CPU (armed with interrupts off, so on one list) fire
 * in deadline order, whatever order they were armed in and however many
 * fall due in one tick; and no sleeper wakes before its deadline. (Which
 * of several sleepers woken by one tick runs first is the scheduler's.) */
KTEST(sleep_wakes_in_deadline_order)
{
	static const uintptr_t ms[5] = {50, 10, 40, 20, 30};
	timeout_t to[5];
	fire_count = 0;
	bool irqs = irq_enabled();
	irq_disable();
	uint64_t base = clock_ns();
	for (int i = 0; i < 5; i++) {
		timeout_init(&to[i]);
		timeout_register_at(
		    &to[i], base + ms[i] * MS, record_fire, (void *) ms[i]);
	}
	irq_restore(irqs);
	thread_t *t[5];
	early_wakes = 0;
	base = clock_ns();
	for (int i = 0; i < 5; i++) {
		KT_ASSERT_EQ(
		    thread_create(NULL, sleeper, (void *) (uintptr_t) (base + ms[i] * MS),
			"sleeper", &t[i]),
		    EOK);
		thread_start(t[i]);
	}
	for (int i = 0; i < 5; i++)
		KT_ASSERT_EQ(thread_join(t[i]), EOK);
	KT_ASSERT_EQ(early_wakes, 0);
	while (__atomic_load_n(&fire_count, __ATOMIC_ACQUIRE) < 5)
		KT_ASSERT_EQ(thread_sleep(10 * MS), EOK);
	for (int i = 1; i < 5; i++)
		KT_ASSERT(fire_order[i - 1] < fire_order[i]);
}

static volatile errno_t sleep_result;

static void long_sleeper(void *arg)
{
	sleep_result = thread_sleep(10000 * MS);
}

KTEST(interrupt_ends_a_blocked_sleep)
{
	thread_t *t;
	sleep_result = EOK;
	KT_ASSERT_EQ(thread_create(NULL, long_sleeper, NULL, "sleepy", &t), EOK);
	thread_start(t);
	thread_sleep(10 * MS);
	thread_interrupt(t);
	thread_join(t);
	/* EINTR, not ETIMEOUT: the interrupt ended it (no wall-time threshold,
	 * which a loaded host could exceed). */
	KT_ASSERT_EQ(sleep_result, EINTR);
}

static volatile int interrupted_sleeps;

/** Overwrites the stack below its caller: where the wait queue of a sleep
 *  that has just ended lay. */
static __attribute__((noinline)) void scrub_stack(void)
{
	volatile char pad[512];
	for (size_t i = 0; i < sizeof(pad); i++)
		pad[i] = 0;
}

static void sleep_then_scrub(void *arg)
{
	if (thread_sleep(10000 * MS) == EINTR)
		__atomic_add_fetch(&interrupted_sleeps, 1, __ATOMIC_RELAXED);
	scrub_stack();
}

KTEST(interrupt_from_another_cpu_ends_every_sleep)
{
	/* Each sleeper runs on another CPU than this test (with two or more)
	 * and is interrupted at a varying point: before, while or after it
	 * enters its sleep, which must end with EINTR every time (a kill that
	 * missed it would let it sleep 10 s and return EOK). Its wait queue is
	 * on its stack: the sleep may end only once the interrupter is done
	 * with it, else this CPU's lock record keeps a lock it can no longer
	 * release (lockdep) and the scrub overwrites a lock still in use. */
	interrupted_sleeps = 0;
	unsigned cpu = cpu_count > 1 && CPU->id == 0 ? 1 : 0;
	for (int i = 0; i < 100; i++) {
		thread_t *t;
		KT_ASSERT_EQ(
		    thread_create(NULL, sleep_then_scrub, NULL, "sleepy", &t), EOK);
		KT_ASSERT_EQ(thread_set_cpu(t, cpu), EOK);
		thread_start(t);
		for (volatile int k = 0; k < i * 100; k++)
			;
		thread_interrupt(t);
		thread_join(t);
#ifdef CONFIG_LOCKDEP
		KT_ASSERT_EQ(lockdep_depth(), 0);
#endif
	}
	KT_ASSERT_EQ(interrupted_sleeps, 100);
}
