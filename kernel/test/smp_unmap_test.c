/*
 * Self-test: a range taken out of an address space (an area destroyed) is
 * not given to a new area before every CPU has dropped its TLB entries for
 * it (mm/as.c, as_t.releasing).
 *
 * Thread `reuser` of a task, on CPU 1, writes the task's page at
 * REUSE_VA (CPU 1's TLB now holds the entry) and turns its interrupts off,
 * so that it cannot take a shoot-down IPI. Thread `destroyer`, of the same
 * task, on CPU 0, destroys the area; its shoot-down must wait for CPU 1.
 * Meanwhile the reuser tries to make a new area at REUSE_VA, over and over,
 * and once it has one writes a value there and reads it back with its
 * interrupts on again. Before, the range was free as soon as the area left
 * the list, before the shoot-down: the reuser's write went through its old
 * entry into the old frame (about to be freed), and the read after the
 * shoot-down found the new area's fresh zero page, the way a thread's
 * creator wrote the start record of a new thread that then read zeros and
 * jumped to address 0 (utest on four CPUs). Now the new area waits for the
 * shoot-down, which the waiting CPU serves meanwhile.
 *
 * Needs two CPUs and passes at once on one; waits are bounded only against
 * a hang, far beyond any stall of the host.
 */
#include <test.h>
#include <arch/asm.h>
#include <cpu.h>
#include <mm/as.h>
#include <mm/page.h>
#include <panic.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <smp.h>
#include <time/clock.h>
#include <uaccess.h>

#define REUSE_HANG_LIMIT_NS (60 * NSEC_PER_SEC)
#define REUSE_VA	    0x520000000000ull
#define REUSE_OLD	    0x6f6c64ull /* "old" */
#define REUSE_NEW	    0x6e6577ull /* "new" */

static volatile bool reuse_ready, reuse_destroyed, reuse_done;
static volatile errno_t reuse_destroy_rc, reuse_create_rc, reuse_rw_rc;
static volatile uint64_t reuse_read;

/** Spins until *@a flag is set; false after REUSE_HANG_LIMIT_NS. */
static bool reuse_flag_wait(const volatile bool *flag)
{
	uint64_t t0 = clock_ns();
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (clock_ns() - t0 > REUSE_HANG_LIMIT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

/** Makes a new one-page area at REUSE_VA, trying while the old one is
 *  there (EEXIST); interrupts stay as they are. */
static errno_t reuse_create(as_t *as)
{
	uint64_t t0 = clock_ns();
	for (;;) {
		uintptr_t base = REUSE_VA;
		errno_t rc = as_area_create(
		    as, &base, PAGE_SIZE, AS_AREA_READ | AS_AREA_WRITE, NULL, 0);
		if (rc != EEXIST || clock_ns() - t0 > REUSE_HANG_LIMIT_NS)
			return rc;
		cpu_relax();
	}
}

static void reuser_thread(void *arg)
{
	as_t *as = THREAD->task->as;
	uint64_t v = REUSE_OLD;
	errno_t rc = copy_to_uspace(REUSE_VA, &v, sizeof(v));
	if (rc == EOK)
		rc = copy_from_uspace(&v, REUSE_VA, sizeof(v)); /* in the TLB */
	if (rc != EOK) {
		reuse_rw_rc = rc;
		__atomic_store_n(&reuse_done, true, __ATOMIC_RELEASE);
		return;
	}
	irq_disable();
	__atomic_store_n(&reuse_ready, true, __ATOMIC_RELEASE);
	reuse_create_rc = reuse_create(as);
	v = REUSE_NEW;
	if (reuse_create_rc == EOK)
		rc = copy_to_uspace(REUSE_VA, &v, sizeof(v));
	irq_enable(); /* a shoot-down still pending is served here */
	if (reuse_create_rc == EOK && rc == EOK)
		rc = copy_from_uspace(&v, REUSE_VA, sizeof(v));
	reuse_rw_rc = rc;
	reuse_read = v;
	__atomic_store_n(&reuse_done, true, __ATOMIC_RELEASE);
}

static void destroyer_thread(void *arg)
{
	errno_t rc = reuse_flag_wait(&reuse_ready) ? EOK : ETIMEOUT;
	if (rc == EOK)
		rc = as_area_destroy(THREAD->task->as, REUSE_VA);
	reuse_destroy_rc = rc;
	__atomic_store_n(&reuse_destroyed, true, __ATOMIC_RELEASE);
}

/** Starts a thread of @a task running @a fn on CPU @a cpu; *@a out joinable. */
static errno_t reuse_thread_start(
    task_t *task, thread_fn_t fn, unsigned cpu, thread_t **out)
{
	errno_t rc = thread_create(task, fn, NULL, "reuse", out);
	if (rc == EOK && (rc = thread_set_cpu(*out, cpu)) != EOK)
		panic("reuse test: thread_set_cpu of a new thread failed");
	if (rc == EOK)
		thread_start(*out);
	return rc;
}

KTEST(smp_unmapped_range_is_not_reused_before_its_shoot_down)
{
	if (cpu_count < 2)
		return; /* no other CPU to hold a stale entry */
	task_t *task;
	KT_ASSERT_EQ(task_create("reuse", NULL, 0, &task), EOK);
	task_get(task);
	reuse_ready = reuse_destroyed = reuse_done = false;
	reuse_destroy_rc = reuse_create_rc = reuse_rw_rc = EOK;
	reuse_read = 0;
	uintptr_t base = REUSE_VA;
	errno_t rc = as_area_create(
	    task->as, &base, PAGE_SIZE, AS_AREA_READ | AS_AREA_WRITE, NULL, 0);
	thread_t *reuser = NULL, *destroyer = NULL;
	if (rc == EOK)
		rc = reuse_thread_start(task, reuser_thread, 1, &reuser);
	if (rc == EOK)
		rc = reuse_thread_start(task, destroyer_thread, 0, &destroyer);
	bool done = reuse_flag_wait(&reuse_done) && reuse_flag_wait(&reuse_destroyed);
	if (reuser != NULL)
		KT_ASSERT_EQ(thread_join(reuser), EOK);
	if (destroyer != NULL)
		KT_ASSERT_EQ(thread_join(destroyer), EOK);
	task_exit_t exit;
	if (reuser == NULL)
		task_discard(task); /* it never had a thread */
	else
		KT_ASSERT_EQ(task_wait_ref(task, &exit, REUSE_HANG_LIMIT_NS), EOK);
	task_put(task);
	KT_ASSERT_EQ(rc, EOK);
	KT_ASSERT(done);
	KT_ASSERT_EQ(reuse_destroy_rc, EOK);
	KT_ASSERT_EQ(reuse_create_rc, EOK);
	KT_ASSERT_EQ(reuse_rw_rc, EOK);
	/* What was written into the new area, not a fresh page behind it. */
	KT_ASSERT_EQ(reuse_read, REUSE_NEW);
}
