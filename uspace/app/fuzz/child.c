/*
 * A fuzzing child: THREADS threads call at random on the task's shared
 * pools (the first one keeps the others running, each of which ends after a
 * random number of calls or when its fuzzing says THREAD_EXIT), a watchdog
 * thread names any call that has not returned in WATCHDOG_SECONDS, and every
 * PROGRESS_STEP calls of a thread are reported to the parent on phone 1.
 *
 * Randomness: thread i of generation g draws from a state derived from the
 * child's seed, i and g, so each thread's sequence of calls follows from the
 * seed the parent printed (how the threads interleave does not).
 */
#include "fuzz.h"
#include <ipc.h>
#include <stdio.h>
#include <syscall.h>
#include <task.h>
#include <thread.h>
#include <time.h>

#define THREADS 3

static fuzzer_t fuzzers[THREADS];
static volatile bool running[THREADS]; /* thread i is in its loop */
static uint64_t generation[THREADS];
static uint64_t child_seed;
uint64_t fuzz_watchdog_seconds = WATCHDOG_SECONDS;
uint64_t fuzz_hang_at;

static uint64_t mix(uint64_t x)
{
	/* splitmix64's finaliser: distinct inputs, unrelated outputs */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void fuzzer_init(unsigned i, bool privileged)
{
	fuzzers[i] = (fuzzer_t){
	    .rng = mix(child_seed ^ mix(i * 0x10000ull + generation[i]++)) | 1,
	    .privileged = privileged,
	    .main = i == 0,
	    .id = i,
	};
}

/** Tells the parent about each further PROGRESS_STEP calls of @a f. A
 *  report that cannot be sent now (phone full) is sent later. */
static void report_progress(fuzzer_t *f)
{
	if (f->index - f->reported < PROGRESS_STEP)
		return;
	ipc_payload_t m = {
	    .method = M_FUZZ_PROGRESS, .args = {FUZZ_MAGIC, fuzz_irq_notifs}};
	if (ipc_call(1, &m, 0) == EOK)
		f->reported += PROGRESS_STEP;
}

static void thread_loop(void *arg)
{
	fuzzer_t *f = arg;
	uint64_t calls = 1000 + rnd(f) % 20000;
	while (f->index < calls && !f->stop) {
		fuzz_one_call(f);
		report_progress(f);
	}
	running[f->id] = false; /* f is not touched after this */
}

/** Starts thread @a i again if its loop has ended. */
static void thread_restart(unsigned i, bool privileged)
{
	if (running[i])
		return;
	fuzzer_init(i, privileged);
	running[i] = true;
	thread_id_t tid;
	if (thread_create(thread_loop, &fuzzers[i], "fuzz", &tid) != EOK)
		running[i] = false; /* out of memory now: later */
	else
		DISCARD(cleanup, thread_detach(tid));
}

static void watchdog_report(const fuzzer_t *f, uint64_t seconds)
{
	printf("fuzz: watchdog: child %llu (seed %llu) thread %u: call %llu, number %llu "
	       "(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx), has not returned in %llu s\n",
	    (unsigned long long) task_get_id(), (unsigned long long) child_seed, f->id,
	    (unsigned long long) f->index, (unsigned long long) f->num,
	    (unsigned long long) f->args[0], (unsigned long long) f->args[1],
	    (unsigned long long) f->args[2], (unsigned long long) f->args[3],
	    (unsigned long long) f->args[4], (unsigned long long) f->args[5],
	    (unsigned long long) seconds);
}

/** Once a second: a thread still in the call it was in WATCHDOG_SECONDS
 *  ago is reported and the child ends with EXIT_WATCHDOG. */
static void watchdog(void *arg)
{
	uint64_t seen[THREADS] = {0}, since[THREADS] = {0};
	for (;;) {
		DISCARD(woken, thread_sleep(1000000));
		uint64_t now = clock_ns();
		for (unsigned i = 0; i < THREADS; i++) {
			fuzzer_t *f = &fuzzers[i];
			if (!f->in_call || f->index != seen[i] || since[i] == 0) {
				seen[i] = f->index;
				since[i] = now;
				continue;
			}
			uint64_t stuck = (now - since[i]) / 1000000000ull;
			if (stuck >= fuzz_watchdog_seconds) {
				watchdog_report(f, stuck);
				task_exit(EXIT_WATCHDOG);
			}
		}
	}
}

/** A call that does not return: what the watchdog must catch and name. */
static void hang(fuzzer_t *f)
{
	static uint32_t word;
	fz_call(f, SYS_FUTEX_WAIT, (sysarg_t) &word, 0, 0, 0, 0, 0);
}

_Noreturn void fuzz_child(uint64_t seed, bool privileged)
{
	child_seed = seed;
	if (!privileged && perm_get() != 0) {
		/* Its shapes assume EPERM: with permissions it could power off. */
		printf("fuzz: a fuzzing child must hold no permissions\n");
		task_exit(1);
	}
	if (!fuzz_sandbox_create()) {
		printf("fuzz: a child cannot create its sandbox area\n");
		task_exit(1);
	}
	if (quota_set(0, QUOTA_MEMORY, CHILD_MEMORY_PAGES) != EOK) {
		printf("fuzz: a child cannot bound its memory\n");
		task_exit(1);
	}
	fuzzer_init(0, privileged);
	fuzzer_t *f = &fuzzers[0];
	running[0] = true;
	if (privileged)
		priv_setup(f);
	thread_id_t tid;
	if (thread_create(watchdog, NULL, "watchdog", &tid) == EOK)
		DISCARD(cleanup, thread_detach(tid));
	for (int i = 0; i < 2; i++)
		fuzz_connect(f);
	for (uint64_t n = 1;; n++) {
		if (n % 256 == 0)
			for (unsigned i = 1; i < THREADS; i++)
				thread_restart(i, privileged);
		if (n % 4096 == 0)
			fuzz_connect(f); /* a phone to a server, as those die */
		if (n == fuzz_hang_at && !privileged)
			hang(f);
		fuzz_one_call(f);
		report_progress(f);
		if (privileged)
			priv_tick(f);
	}
}
