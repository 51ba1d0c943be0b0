/*
 * utest: per-thread CPU time (SYS_THREAD_INFO, task_info_t.cycles; docs/tasks.md
 * "CPU time"): bad ids, sizes and pointers get clear errors and change
 * nothing; a spinning thread's time grows and never goes backwards; the
 * kernel task lists one idle thread per CPU. Amounts are never asserted: the
 * host may be loaded.
 */
#include "utest.h"
#include <abi/syscall.h>
#include <syscall.h>
#include <task.h>
#include <testsuite.h>
#include <thread.h>
#include <time.h>

#define KERNEL_PTR 0xffffffff80100000ull
#define UNMAPPED   0x0000700000000000ull
#define USER_END   0x0000800000000000ull
#define SPIN_NS	   (30 * 1000000ull) /* three ticks */
#define THREADS	   16

static const char readonly_info[sizeof(thread_info_t)] = "ro";

void test_thread_info_bad_input_gets_clear_errors(void)
{
	thread_info_t buf[THREADS];
	size_t n = 0;
	task_id_t self = task_get_id();
	CHECK_RC(thread_info_list(999999, buf, THREADS, &n), ENOENT);
	CHECK_RC(thread_info_list(self, buf, THREAD_INFO_MAX + 1, &n), EINVAL);
	CHECK_RC(syscall3(SYS_THREAD_INFO, self, (sysarg_t) buf, 1ull << 60), EINVAL);
	const uint64_t bad[] = {
	    KERNEL_PTR, UNMAPPED, USER_END - 8, UINT64_MAX - 8, (uint64_t) readonly_info};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_RC(syscall3(SYS_THREAD_INFO, self, bad[i], 1), EBADMEM);
	CHECK(readonly_info[0] == 'r' && readonly_info[2] == '\0');
	/* No room: only the count, and a pointer that is never written. */
	CHECK_RC(thread_info_list(self, (thread_info_t *) NULL, 0, &n), EOK);
	CHECK(n >= 1);
	size_t all;
	CHECK_RC(thread_info_list(self, buf, THREADS, &all), EOK);
	CHECK(all == n && buf[0].task_id == self);
}

/** This thread's record in task @a self's list, or NULL. */
static const thread_info_t *own_record(const thread_info_t *buf, size_t n)
{
	thread_id_t me = thread_get_id();
	for (size_t i = 0; i < n; i++) {
		if (buf[i].id == me)
			return &buf[i];
	}
	return NULL;
}

/** This thread's CPU time in cycle counts (0 if it could not be read). */
static uint64_t own_cycles(thread_info_t *rec)
{
	thread_info_t buf[THREADS];
	size_t n;
	if (thread_info_list(task_get_id(), buf, THREADS, &n) != EOK)
		return 0;
	const thread_info_t *r = own_record(buf, n < THREADS ? n : THREADS);
	if (r == NULL)
		return 0;
	*rec = *r;
	return r->cycles;
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;
	while (clock_ns() < end)
		;
}

void test_thread_cpu_time_grows_while_it_runs(void)
{
	thread_info_t rec;
	uint64_t c0 = own_cycles(&rec);
	CHECK(c0 != 0 && rec.state == THREAD_INFO_RUNNING);
	CHECK(rec.user_ticks <= rec.ticks && (rec.flags & THREAD_INFO_IDLE) == 0);
	uint64_t prev = c0;
	for (int round = 0; round < 4; round++) {
		spin_ns(SPIN_NS);
		uint64_t c = own_cycles(&rec);
		CHECK(c > prev); /* its own record includes the stretch so far */
		prev = c;
	}
	/* Some tick finds it running, however loaded the host is. */
	for (int i = 0; i < 500 && rec.ticks == 0; i++) {
		spin_ns(SPIN_NS);
		CHECK(own_cycles(&rec) != 0);
	}
	CHECK(rec.ticks >= 1 && rec.user_ticks <= rec.ticks);
	task_info_t ti;
	CHECK_RC(task_get_info(task_get_id(), &ti), EOK);
	CHECK(ti.cycles >= prev && ti.user_ticks <= ti.ticks);
}

void test_every_cpu_has_an_idle_thread(void)
{
	thread_info_t buf[THREADS * 4];
	size_t n;
	CHECK_RC(thread_info_list(0, buf, THREADS * 4, &n), EOK);
	CHECK(n <= THREADS * 4);
	uint64_t cpus_seen = 0;
	size_t idle = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(buf[i].flags & THREAD_INFO_IDLE))
			continue;
		idle++;
		CHECK(buf[i].task_id == 0 && buf[i].cpu < 64);
		CHECK((cpus_seen & (1ull << buf[i].cpu)) == 0); /* one per CPU */
		cpus_seen |= 1ull << buf[i].cpu;
	}
	CHECK(idle >= 1 && (cpus_seen & 1) != 0);
}
