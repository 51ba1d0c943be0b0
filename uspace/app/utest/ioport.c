/*
 * utest: the I/O permission bitmap on several CPUs (docs/kernel.md, "Several
 * CPUs"). Each CPU's TSS holds a copy of its running task's bitmap. A port a
 * task enabled works for every thread of the task on every CPU, also for a
 * thread that was running on another CPU when the port was enabled; a task
 * that was not granted the port dies of a general protection fault, also on
 * a CPU where the task that has it ran just before. Both hold on any number
 * of CPUs; waits are bounded only against a hang.
 */
#include "utest.h"
#include <ddi.h>
#include <discard.h>
#include <libarch/pio.h>
#include <stdlib.h>
#include <stdio.h>
#include <testsuite.h>
#include <thread.h>
#include <time.h>

#define HANG_LIMIT_NS (60 * 1000000000ull)
/* The child's ports, granted by the parent (nothing of the full system's). */
#define IO_GRANTED_BASE 0x3e8
#define IO_GRANTED_SIZE 8
/* The parent's own ports (claimed for utest by owned_hardware_is_busy_for_others). */
#define IO_OWN_BASE 0x2e8
#define IO_OWN_SIZE 8

/*
 * The child `utest --io-every-cpu`: a thread pinned to each CPU but 0 spins
 * in user mode (no system call, so its CPU keeps the task's bitmap as it was
 * when the thread came there: no port open). Main, on CPU 0, enables the
 * ports the parent granted, then lets the spinners read one each; then main
 * itself reads on every CPU in turn. A read on a CPU whose copy of the
 * bitmap was left behind kills the child with a general protection fault.
 */
static volatile unsigned io_spinning, io_go, io_read;
static volatile unsigned io_misplaced;

static void io_spinner(void *arg)
{
	unsigned cpu = (unsigned) (uintptr_t) arg;
	if (!pin(cpu))
		__atomic_add_fetch(&io_misplaced, 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&io_spinning, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&io_go, __ATOMIC_ACQUIRE) == 0)
		__asm__ volatile("pause");
	(void) pio_read_8((uint16_t) (IO_GRANTED_BASE + cpu % IO_GRANTED_SIZE));
	__atomic_add_fetch(&io_read, 1, __ATOMIC_RELEASE);
}

/** Enables the granted ports once the parent has granted them (polling). */
static bool io_enable_when_granted(void)
{
	uint64_t start = clock_ns();
	while (iospace_enable(IO_GRANTED_BASE, IO_GRANTED_SIZE) != EOK) {
		if (clock_ns() - start > HANG_LIMIT_NS)
			return false;
		DISCARD(woken, thread_sleep(1 * MS));
	}
	return true;
}

int child_io_every_cpu(void)
{
	unsigned n = cpus_running();
	if (!pin(0))
		return 2;
	for (unsigned i = 1; i < n; i++) {
		if (thread_create(
			io_spinner, (void *) (uintptr_t) i, "io spinner", NULL) != EOK)
			return 3;
	}
	if (!wait_for(&io_spinning, n - 1) || io_misplaced != 0)
		return 4;
	if (!io_enable_when_granted())
		return 5;
	__atomic_store_n(&io_go, 1, __ATOMIC_RELEASE);
	if (!wait_for(&io_read, n - 1))
		return 6;
	for (unsigned i = 0; i < n; i++) {
		if (!pin(i))
			return 7;
		for (uint16_t p = 0; p < IO_GRANTED_SIZE; p++)
			(void) pio_read_8((uint16_t) (IO_GRANTED_BASE + p));
	}
	return 0;
}

void test_io_ports_enabled_work_on_every_cpu(void)
{
	task_id_t id;
	CHECK_RC(task_spawn_module("utest --io-every-cpu", &id), EOK);
	hw_resource_t io = {
	    .kind = HWRES_IO, .base = IO_GRANTED_BASE, .size = IO_GRANTED_SIZE};
	CHECK_RC(hwres_grant(id, &io), EOK);
	task_exit_t e;
	CHECK_RC(task_join(id, &e, 2 * HANG_LIMIT_NS / 1000), EOK);
	if (e.how != TASK_EXIT_NORMAL || e.status != 0)
		printf("utest:   --io-every-cpu ended how=%d status=%d ip %#lx\n", e.how,
		    e.status, (unsigned long) e.fault_ip);
	CHECK(e.how == TASK_EXIT_NORMAL && e.status == 0);
}

/*
 * The child `utest --io-denied CPU`: pinned to CPU, it reads a port it was
 * never granted (one utest has enabled for itself); it must die of a
 * general protection fault. Meanwhile a thread of utest pinned to the same
 * CPU reads that port and yields in a loop, so the child's turns follow
 * those of a task that may use the port.
 */
int child_io_denied(const char *cpu)
{
	if (!pin((unsigned) atoi(cpu)))
		return 2;
	for (int i = 0; i < 100; i++) {
		(void) pio_read_8(IO_OWN_BASE);
		thread_yield();
	}
	return 7; /* the port worked without a grant */
}

static volatile unsigned io_user_stop, io_user_reads;

static void io_user(void *arg)
{
	unsigned cpu = (unsigned) (uintptr_t) arg;
	bool placed = pin(cpu);
	while (placed && __atomic_load_n(&io_user_stop, __ATOMIC_ACQUIRE) == 0) {
		(void) pio_read_8(IO_OWN_BASE);
		__atomic_add_fetch(&io_user_reads, 1, __ATOMIC_RELEASE);
		thread_yield();
	}
}

/** One CPU's round: the child pinned to @a cpu beside utest's port user. */
static void io_denied_on(unsigned cpu)
{
	thread_id_t user;
	io_user_stop = 0;
	io_user_reads = 0;
	CHECK_RC(thread_create(io_user, (void *) (uintptr_t) cpu, "io user", &user), EOK);
	CHECK(wait_for(&io_user_reads, 10));
	char mode[32];
	snprintf(mode, sizeof(mode), "--io-denied %u", cpu);
	task_exit_t e;
	CHECK_RC(utest_child(mode, &e), EOK);
	__atomic_store_n(&io_user_stop, 1, __ATOMIC_RELEASE);
	CHECK_RC(thread_join(user), EOK);
	if (e.how != TASK_EXIT_FAULT || e.status != TASK_FAULT_GENERAL)
		printf("utest:   %s ended how=%d status=%d\n", mode, e.how, e.status);
	CHECK(e.how == TASK_EXIT_FAULT && e.status == TASK_FAULT_GENERAL);
}

void test_io_ports_denied_where_a_granted_task_ran(void)
{
	CHECK_RC(iospace_enable(IO_OWN_BASE, IO_OWN_SIZE), EOK);
	unsigned n = cpus_running();
	for (unsigned cpu = 0; cpu < n; cpu++)
		io_denied_on(cpu);
}
