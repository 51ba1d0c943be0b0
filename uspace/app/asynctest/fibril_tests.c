/*
 * asynctest: fibril tests (scheduling, sleeping, the synchronisation
 * objects), run on two runner threads so fibrils migrate between them.
 */
#include "asynctest.h"
#include <errno.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <stdlib.h>
#include <thread.h>
#include <time.h>

#define YIELDERS 8
#define ROUNDS	 50

static int yield_log[YIELDERS * ROUNDS];
static int yield_pos;

static errno_t yielder(void *arg)
{
	int id = (int) (uintptr_t) arg;
	for (int i = 0; i < ROUNDS; i++) {
		/* Atomic: yielders on the two runners run in parallel. */
		yield_log[__atomic_fetch_add(&yield_pos, 1, __ATOMIC_RELAXED)] = id;
		fibril_yield();
	}
	return (errno_t) id;
}

/** Fibrils started together run in turns; join returns each one's value. */
static void test_fibril_yield_join(void)
{
	fid_t f[YIELDERS];
	yield_pos = 0;
	for (int i = 0; i < YIELDERS; i++) {
		f[i] = fibril_create(yielder, (void *) (uintptr_t) i);
		CHECK(f[i] != NULL);
	}
	for (int i = 0; i < YIELDERS; i++)
		fibril_add_ready(f[i]);
	for (int i = 0; i < YIELDERS; i++) {
		errno_t rc;
		CHECK_RC(fibril_join(f[i], &rc), EOK);
		CHECK(rc == (errno_t) i);
	}
	CHECK(yield_pos == YIELDERS * ROUNDS);
}

#define SPINNERS 4

static volatile bool spin_stop;
static fibril_event_t spin_woken;
static unsigned spin_turns[SPINNERS];

/** Yields until told to stop; the first one wakes the waiting fibril after
 *  a hundred turns (and goes on yielding). */
static errno_t spinner(void *arg)
{
	unsigned id = (unsigned) (uintptr_t) arg;
	while (!spin_stop) {
		if (++spin_turns[id] == 100 && id == 0)
			fibril_notify(&spin_woken);
		fibril_yield();
	}
	return EOK;
}

/** A fibril woken while others only yield runs: yields between fibrils of
 *  one runner skip the shared ready queue's lock, but not the fibrils
 *  waiting on that queue (it would hang here: the spinners stop only when
 *  the woken fibril tells them). */
static void test_fibril_woken_fibril_runs_among_yielders(void)
{
	fid_t f[SPINNERS];
	spin_stop = false;
	fibril_event_initialize(&spin_woken);
	for (unsigned i = 0; i < SPINNERS; i++) {
		spin_turns[i] = 0;
		f[i] = fibril_create(spinner, (void *) (uintptr_t) i);
		CHECK(f[i] != NULL);
	}
	for (unsigned i = 0; i < SPINNERS; i++)
		fibril_add_ready(f[i]);
	fibril_wait_for(&spin_woken);
	/* Each spinner has its first turn before the stop: one that another
	 * runner's thread took off the queue may be on its way yet (that
	 * thread preempted), and would see the stop first. One that nobody
	 * runs while the others yield hangs the test here. */
	for (unsigned i = 0; i < SPINNERS; i++) {
		while (__atomic_load_n(&spin_turns[i], __ATOMIC_RELAXED) == 0)
			fibril_yield();
	}
	spin_stop = true;
	for (unsigned i = 0; i < SPINNERS; i++)
		CHECK_RC(fibril_join(f[i], NULL), EOK);
	CHECK(spin_turns[0] >= 100);
}

#define SLEEPERS 5

static int wake_order[SLEEPERS];
static int wake_count;
static uint64_t sleep_base;
static uint64_t woke_at[SLEEPERS];

/** Sleeper @a i's deadline after sleep_base: the last made sleeps least. */
static uint64_t sleeper_ns(int i)
{
	return (uint64_t) (SLEEPERS - i) * 10000000ull;
}

static errno_t sleeper(void *arg)
{
	int i = (int) (uintptr_t) arg;
	fibril_event_t never = FIBRIL_EVENT_INIT;
	/* Deadlines from one base: their order does not depend on when each
	 * sleeper first runs (the host may stall a vCPU between two). */
	errno_t rc = fibril_wait_until(&never, sleep_base + sleeper_ns(i));
	woke_at[i] = clock_ns();
	wake_order[wake_count++] = i;
	return rc;
}

/** Sleeps end in deadline order, and not early. */
static void test_fibril_usleep_order(void)
{
	fid_t f[SLEEPERS];
	wake_count = 0;
	sleep_base = clock_ns();
	for (int i = 0; i < SLEEPERS; i++) {
		f[i] = fibril_create(sleeper, (void *) (uintptr_t) i);
		CHECK(f[i] != NULL);
		fibril_add_ready(f[i]);
	}
	for (int i = 0; i < SLEEPERS; i++) {
		errno_t rc = EOK;
		CHECK_RC(fibril_join(f[i], &rc), EOK);
		CHECK_RC(rc, ETIMEOUT);
		CHECK(woke_at[i] >= sleep_base + sleeper_ns(i));
	}
	for (int i = 0; i < SLEEPERS; i++)
		CHECK(wake_order[i] == SLEEPERS - 1 - i);
	uint64_t start = clock_ns();
	fibril_usleep(10000);
	CHECK(clock_ns() - start >= 10000000ull);
}

#define COUNTERS   6
#define INCREMENTS 300

static FIBRIL_MUTEX_INITIALIZE(counter_lock);
static volatile long counter;

static errno_t incrementer(void *arg)
{
	for (int i = 0; i < INCREMENTS; i++) {
		fibril_mutex_lock(&counter_lock);
		long v = counter;
		if (i % 7 == 0)
			fibril_yield(); /* let others try the lock meanwhile */
		counter = v + 1;
		fibril_mutex_unlock(&counter_lock);
	}
	return EOK;
}

/** A mutex keeps read-modify-write sections apart across runner threads. */
static void test_fibril_mutex_exclusion(void)
{
	fid_t f[COUNTERS];
	counter = 0;
	for (int i = 0; i < COUNTERS; i++) {
		f[i] = fibril_create(incrementer, NULL);
		CHECK(f[i] != NULL);
		fibril_add_ready(f[i]);
	}
	for (int i = 0; i < COUNTERS; i++)
		CHECK_RC(fibril_join(f[i], NULL), EOK);
	CHECK(counter == COUNTERS * INCREMENTS);
	CHECK(!fibril_mutex_is_locked(&counter_lock));
}

static FIBRIL_MUTEX_INITIALIZE(cv_lock);
static FIBRIL_CONDVAR_INITIALIZE(cv);
static bool cv_flag;

static errno_t cv_setter(void *arg)
{
	fibril_usleep(5000);
	fibril_mutex_lock(&cv_lock);
	cv_flag = true;
	fibril_condvar_broadcast(&cv);
	fibril_mutex_unlock(&cv_lock);
	return EOK;
}

/** A condition wait times out when nobody signals, and wakes on a signal. */
static void test_fibril_condvar_timeout_and_signal(void)
{
	fibril_mutex_lock(&cv_lock);
	uint64_t start = clock_ns();
	CHECK_RC(fibril_condvar_wait_timeout(&cv, &cv_lock, 20000), ETIMEOUT);
	CHECK(clock_ns() - start >= 20000000ull);
	CHECK(fibril_mutex_is_locked(&cv_lock));
	cv_flag = false;
	fid_t f = fibril_create(cv_setter, NULL);
	CHECK(f != NULL);
	fibril_add_ready(f);
	while (!cv_flag)
		CHECK_RC(fibril_condvar_wait_timeout(&cv, &cv_lock, 2000000), EOK);
	fibril_mutex_unlock(&cv_lock);
	CHECK_RC(fibril_join(f, NULL), EOK);
}

static FIBRIL_RWLOCK_INITIALIZE(rw);
static volatile int readers_in, max_readers, writer_in;
static volatile bool rw_overlap;

static errno_t rw_reader(void *arg)
{
	for (int i = 0; i < 20; i++) {
		fibril_rwlock_read_lock(&rw);
		if (writer_in)
			rw_overlap = true;
		readers_in++;
		if (readers_in > max_readers)
			max_readers = readers_in;
		fibril_yield();
		readers_in--;
		fibril_rwlock_read_unlock(&rw);
		fibril_yield();
	}
	return EOK;
}

static errno_t rw_writer(void *arg)
{
	for (int i = 0; i < 20; i++) {
		fibril_rwlock_write_lock(&rw);
		if (writer_in || readers_in)
			rw_overlap = true;
		writer_in = 1;
		fibril_yield();
		writer_in = 0;
		fibril_rwlock_write_unlock(&rw);
		fibril_yield();
	}
	return EOK;
}

/** Readers share an rwlock, a writer has it alone. */
static void test_fibril_rwlock(void)
{
	fid_t f[6];
	readers_in = max_readers = writer_in = 0;
	rw_overlap = false;
	for (int i = 0; i < 6; i++) {
		f[i] = fibril_create(i < 4 ? rw_reader : rw_writer, NULL);
		CHECK(f[i] != NULL);
		fibril_add_ready(f[i]);
	}
	for (int i = 0; i < 6; i++)
		CHECK_RC(fibril_join(f[i], NULL), EOK);
	CHECK(!rw_overlap);
	CHECK(max_readers > 1);
	CHECK(!fibril_rwlock_is_locked(&rw));
}

static fibril_semaphore_t sem;
static volatile int sem_got;

static errno_t sem_taker(void *arg)
{
	fibril_semaphore_down(&sem);
	sem_got++;
	return EOK;
}

/** Semaphore units go to waiters; a down with nothing left times out. */
static void test_fibril_semaphore(void)
{
	fibril_semaphore_initialize(&sem, 1);
	sem_got = 0;
	fid_t f[3];
	for (int i = 0; i < 3; i++) {
		f[i] = fibril_create(sem_taker, NULL);
		CHECK(f[i] != NULL);
		fibril_add_ready(f[i]);
	}
	fibril_usleep(5000);
	CHECK(sem_got == 1);
	fibril_semaphore_up(&sem);
	fibril_semaphore_up(&sem);
	for (int i = 0; i < 3; i++)
		CHECK_RC(fibril_join(f[i], NULL), EOK);
	CHECK(sem_got == 3);
	CHECK_RC(fibril_semaphore_down_timeout(&sem, 10000), ETIMEOUT);
	fibril_semaphore_up(&sem);
	CHECK_RC(fibril_semaphore_down_timeout(&sem, 10000), EOK);
}

static volatile int timer_runs;

static void timer_fun(void *arg)
{
	timer_runs++;
}

/** A timer runs its function after the delay; a cleared one does not. */
static void test_fibril_timer(void)
{
	timer_runs = 0;
	fibril_timer_t *t = fibril_timer_create(NULL);
	CHECK(t != NULL);
	fibril_timer_set(t, 10000, timer_fun, NULL);
	fibril_usleep(40000);
	CHECK(timer_runs == 1);
	fibril_timer_set(t, 30000, timer_fun, NULL);
	fibril_usleep(5000);
	CHECK(fibril_timer_clear(t) == fts_active);
	fibril_usleep(50000);
	CHECK(timer_runs == 1);
	fibril_timer_destroy(t);
}

static fibril_event_t event = FIBRIL_EVENT_INIT;

static errno_t event_notifier(void *arg)
{
	fibril_usleep(5000);
	fibril_notify(&event);
	return EOK;
}

/** An event wakes its waiter; a signal before the wait is kept. */
static void test_fibril_event(void)
{
	CHECK_RC(fibril_wait_timeout(&event, 10000), ETIMEOUT);
	fid_t f = fibril_create(event_notifier, NULL);
	CHECK(f != NULL);
	fibril_add_ready(f);
	CHECK_RC(fibril_wait_timeout(&event, 2000000), EOK);
	CHECK_RC(fibril_join(f, NULL), EOK);
	fibril_notify(&event);
	CHECK_RC(fibril_wait_timeout(&event, 0), EOK);
}

static volatile thread_id_t blocker_thread, other_thread;
static volatile bool blocker_asleep;

static errno_t thread_blocker(void *arg)
{
	blocker_thread = thread_get_id();
	blocker_asleep = true;
	DISCARD(woken, thread_sleep(50000)); /* blocks this runner's kernel thread */
	blocker_asleep = false;
	return EOK;
}

/** Runs while the blocker's kernel thread sleeps (so on the other runner). */
static errno_t blocked_out(void *arg)
{
	for (int i = 0; i < 1000 && !blocker_asleep; i++)
		fibril_usleep(100); /* its runner may not have reached the sleep yet */
	other_thread = thread_get_id();
	return blocker_asleep ? EOK : EBUSY;
}

/** A fibril that blocks its kernel thread in a system call stops only that
 *  runner: the next fibril runs on the other one meanwhile. */
static void test_fibril_runs_on_another_runner(void)
{
	blocker_thread = other_thread = 0;
	fid_t a = fibril_create(thread_blocker, NULL);
	fid_t b = fibril_create(blocked_out, NULL);
	CHECK(a != NULL && b != NULL);
	fibril_add_ready(a);
	fibril_add_ready(b);
	errno_t rc;
	CHECK_RC(fibril_join(b, &rc), EOK);
	CHECK_RC(rc, EOK);
	CHECK_RC(fibril_join(a, NULL), EOK);
	CHECK(blocker_thread != 0 && other_thread != 0);
	CHECK(blocker_thread != other_thread);
}

static volatile thread_id_t errno_thread;
static volatile bool errno_kept;

/** Sets and reads errno on whichever runner runs it. */
static errno_t errno_user(void *arg)
{
	errno = ENOENT;
	errno_kept = errno == ENOENT;
	__atomic_store_n(&errno_thread, thread_get_id(), __ATOMIC_RELEASE);
	return EOK;
}

/** errno works in a fibril on a spawned runner thread: that thread has a
 *  thread-local block of its own. The main thread sleeps in the kernel (not
 *  as a runner) until the fibril ran, so the spawned runner runs it. */
static void test_fibril_errno_on_spawned_runner(void)
{
	errno_thread = 0;
	errno_kept = false;
	fid_t f = fibril_create(errno_user, NULL);
	CHECK(f != NULL);
	fibril_add_ready(f);
	for (int i = 0;
	     i < 100000 && __atomic_load_n(&errno_thread, __ATOMIC_ACQUIRE) == 0; i++)
		DISCARD(woken, thread_sleep(1000));
	CHECK(errno_thread != 0 && errno_thread != thread_get_id());
	CHECK(errno_kept);
	CHECK_RC(fibril_join(f, NULL), EOK);
}

void fibril_tests(void)
{
	RUN(test_fibril_yield_join);
	RUN(test_fibril_woken_fibril_runs_among_yielders);
	RUN(test_fibril_usleep_order);
	RUN(test_fibril_mutex_exclusion);
	RUN(test_fibril_condvar_timeout_and_signal);
	RUN(test_fibril_rwlock);
	RUN(test_fibril_semaphore);
	RUN(test_fibril_timer);
	RUN(test_fibril_event);
	RUN(test_fibril_runs_on_another_runner);
	RUN(test_fibril_errno_on_spawned_runner);
}
