/*
 * Self-tests: threads of a user task that change CPU where one CPU never
 * shows a difference.
 *
 * - New threads taken by other CPUs before their first turn (their home CPU
 *   kept busy by a higher-priority thread): each starts as a new thread
 *   must, with its argument, task, home and interrupts right and its task's
 *   address space loaded on the CPU that took it (a user page written and
 *   read back).
 *   Each is its task's only thread, which the steal rules let go at once
 *   (proc/scheduler.c; a task's further threads wait for their first turn).
 * - A shoot-down made by a thread that moved after the unmap: the CPU it
 *   moved to may cache the old entry (it had the address space loaded
 *   meanwhile, another thread of the task running there), and must drop it
 *   too. Before mm/tlb.c did so, a thread's creator wrote the new thread's
 *   start record through such an entry into a freed frame while the new
 *   thread, taken by another CPU before its first turn, read a fresh zero
 *   page and jumped to address 0 (utest on four CPUs).
 *
 * Both need two CPUs and pass at once on one; `make test` runs them on four
 * (kernel-smp4) and on three (scenario dead-cpu-kernel-smp4). Waits are
 * bounded only against a hang, far beyond any stall of the host.
 */
#include <test.h>
#include <arch/asm.h>
#include <cpu.h>
#include <mm/as.h>
#include <mm/frame.h>
#include <mm/page.h>
#include <mm/tlb.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <smp.h>
#include <synch/mutex.h>
#include <time/clock.h>
#include <uaccess.h>

#define HANG_LIMIT_NS	  (60 * NSEC_PER_SEC)
#define FIRST_TURN_ROUNDS 30
#define FIRST_TURN_MAGIC  0x6669727374ull
#define NOWHERE		  UINT32_MAX

/** Spins (yielding) until *@a flag is set; false after HANG_LIMIT_NS. */
static bool flag_set(const volatile bool *flag)
{
	uint64_t t0 = clock_ns();
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (clock_ns() - t0 > HANG_LIMIT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

/* One new thread of the first-turn test: what it was given and found. */
typedef struct {
	uint64_t magic;
	task_t *task;
	uintptr_t page;		  /* a user page of its task */
	volatile uint32_t ran_on; /* NOWHERE until it ran */
	/* What it found: */
	bool own;	   /* its argument and task */
	uint64_t switches; /* switches to it so far (more than 1 if preempted) */
	bool at_home;	   /* it runs on its home CPU (thread->cpu) */
	bool irqs_on;	   /* as thread_main leaves them */
	bool as_loaded;	   /* its task's page written and read back */
} first_turn_t;

static void first_turn_thread(void *arg)
{
	first_turn_t *f = arg;
	thread_t *t = THREAD;
	uint64_t mine = (uintptr_t) f, back = 0;
	f->own = f->magic == FIRST_TURN_MAGIC && t->task == f->task;
	f->switches = t->switches;
	f->at_home = t->cpu == CPU;
	f->irqs_on = irq_enabled();
	f->as_loaded = copy_to_uspace(f->page, &mine, sizeof(mine)) == EOK &&
	    copy_from_uspace(&back, f->page, sizeof(back)) == EOK && back == mine;
	__atomic_store_n(&f->ran_on, CPU->id, __ATOMIC_RELEASE);
}

/* The home CPU's hog: runs above the new threads until they all ran. */
static volatile bool hog_release;

static void hog_thread(void *arg)
{
	(void) flag_set(&hog_release);
}

/** A task whose threads start on CPU @a home, with a user page (*@a page)
 *  and one new thread running first_turn_thread on @a f; a reference to the
 *  task is the caller's (task_wait_ref, task_put). */
static errno_t first_turn_start(unsigned home, first_turn_t *f)
{
	*f = (first_turn_t){
	    .magic = FIRST_TURN_MAGIC, .page = AS_AREA_ANY, .ran_on = NOWHERE};
	errno_t rc = task_create("firstturn", NULL, 0, &f->task);
	if (rc != EOK)
		return rc;
	task_get(f->task);
	f->task->home_cpu = home; /* before its first thread: where that starts */
	rc = as_area_create(
	    f->task->as, &f->page, PAGE_SIZE, AS_AREA_READ | AS_AREA_WRITE, NULL, 0);
	thread_t *t;
	if (rc == EOK)
		rc = thread_create(f->task, first_turn_thread, f, "firstturn", &t);
	if (rc != EOK) {
		task_discard(f->task); /* it never had a thread */
		task_put(f->task);
		return rc;
	}
	thread_detach(t);
	thread_start(t);
	return EOK;
}

/** Whether every one of @a f[0 .. @a n) ran, within HANG_LIMIT_NS. */
static bool all_ran(first_turn_t *f, unsigned n)
{
	uint64_t t0 = clock_ns();
	for (unsigned i = 0; i < n; i++) {
		while (__atomic_load_n(&f[i].ran_on, __ATOMIC_ACQUIRE) == NOWHERE) {
			if (clock_ns() - t0 > HANG_LIMIT_NS)
				return false;
			thread_sleep(NSEC_PER_SEC / 1000);
		}
	}
	return true;
}

/** One round: @a n new threads, each of a task of its own, queued on CPU
 *  @a home while a higher-priority thread keeps it busy; each must be taken
 *  by another CPU and start right there. */
static void first_turn_round(unsigned home, unsigned n)
{
	static first_turn_t f[2 * CPU_MAX];
	thread_t *hog;
	hog_release = false;
	KT_ASSERT_EQ(thread_create(NULL, hog_thread, NULL, "hog", &hog), EOK);
	KT_ASSERT_EQ(thread_set_cpu(hog, home), EOK);
	KT_ASSERT_EQ(thread_set_priority(hog, THREAD_PRIORITY_DEFAULT - 1), EOK);
	thread_start(hog);
	unsigned made = 0;
	errno_t rc = EOK;
	for (; made < n && rc == EOK; made++)
		rc = first_turn_start(home, &f[made]);
	made -= rc != EOK;
	bool ran = all_ran(f, made);
	__atomic_store_n(&hog_release, true, __ATOMIC_RELEASE);
	KT_ASSERT_EQ(thread_join(hog), EOK);
	unsigned ended = 0;
	for (unsigned i = 0; i < made; i++) {
		task_exit_t exit;
		ended += task_wait_ref(f[i].task, &exit, HANG_LIMIT_NS) == EOK;
		task_put(f[i].task);
	}
	KT_ASSERT_EQ(rc, EOK);
	KT_ASSERT(ran);
	KT_ASSERT_EQ(ended, made);
	for (unsigned i = 0; i < n; i++) {
		KT_ASSERT(f[i].own && f[i].at_home && f[i].irqs_on && f[i].as_loaded);
		KT_ASSERT(f[i].switches >= 1); /* more if preempted before it looked */
		KT_ASSERT(f[i].ran_on != home && f[i].ran_on < cpu_count);
	}
}

KTEST(smp_threads_taken_before_their_first_turn_start_right)
{
	if (cpu_count < 2)
		return; /* no other CPU to take them */
	/* Each CPU but ours in turn is the busy home (ours must go on to
	 * release its hog); more threads than the other CPUs, so that some
	 * wait for a second taker. Kernel threads stay on their CPU. */
	unsigned self = CPU->id;
	for (unsigned r = 0; r < FIRST_TURN_ROUNDS; r++) {
		unsigned home = (self + 1 + r % (cpu_count - 1)) % cpu_count;
		first_turn_round(home, 2 * (cpu_count - 1));
	}
}

/* The shoot-down test: thread `mover` of a task goes from CPU 1 to CPU 0
 * and back while `keeper`, of the same task, runs on CPU 1 all along (so
 * CPU 1 keeps the address space loaded, and its TLB, in between). */
#define MOVE_VA 0x500000000000ull

static volatile bool keeper_release;
static volatile errno_t mover_read_rc;
static volatile bool mover_done;

static void keeper_thread(void *arg)
{
	(void) flag_set(&keeper_release);
}

static errno_t move_to(unsigned cpu)
{
	errno_t rc = thread_set_affinity(1ull << cpu);
	return rc == EOK && CPU->id != cpu ? EIO : rc;
}

/** Maps @a pa at MOVE_VA on CPU 1 and writes it there (its entry now in
 *  CPU 1's TLB), unmaps it on CPU 0, then, back on CPU 1, shoots it down as
 *  as_shootdown does and reads MOVE_VA: returns what the read gives (it
 *  must fault: EBADMEM); a step before that fails with EIO or its error. */
static errno_t mover_steps(as_t *as, paddr_t root, paddr_t pa)
{
	uint64_t v = FIRST_TURN_MAGIC;
	errno_t rc = move_to(1);
	if (rc == EOK)
		rc = page_map(root, MOVE_VA, pa, PAGE_USER | PAGE_WRITE);
	if (rc != EOK)
		return rc;
	rc = copy_to_uspace(MOVE_VA, &v, sizeof(v));
	if (rc == EOK)
		rc = move_to(0);
	paddr_t old;
	errno_t unmap_rc = page_unmap(root, MOVE_VA, &old); /* this CPU's entry goes */
	if (rc == EOK)
		rc = unmap_rc == EOK && old == pa ? move_to(1) : EIO;
	if (rc != EOK)
		return rc == EBADMEM ? EIO : rc;
	tlb_shootdown(__atomic_load_n(&as->active_cpus, __ATOMIC_SEQ_CST), MOVE_VA, 1);
	return copy_from_uspace(&v, MOVE_VA, sizeof(v));
}

static void mover_thread(void *arg)
{
	paddr_t pa;
	errno_t rc = frame_alloc_zeroed(0, &pa);
	if (rc == EOK) {
		rc = mover_steps(THREAD->task->as, task_page_root(THREAD->task), pa);
		frame_free(pa); /* unmapped whatever the steps gave */
	}
	mover_read_rc = rc;
	__atomic_store_n(&mover_done, true, __ATOMIC_RELEASE);
}

KTEST(smp_shootdown_after_the_caller_moved_reaches_its_new_cpu)
{
	if (cpu_count < 2)
		return;
	task_t *task;
	KT_ASSERT_EQ(task_create("mover", NULL, 0, &task), EOK);
	task_get(task);
	keeper_release = mover_done = false;
	mover_read_rc = EOK;
	thread_t *keeper, *mover;
	KT_ASSERT_EQ(thread_create(task, keeper_thread, NULL, "keeper", &keeper), EOK);
	KT_ASSERT_EQ(thread_set_cpu(keeper, 1), EOK);
	thread_start(keeper);
	KT_ASSERT_EQ(thread_create(task, mover_thread, NULL, "mover", &mover), EOK);
	thread_start(mover);
	bool done = flag_set(&mover_done);
	__atomic_store_n(&keeper_release, true, __ATOMIC_RELEASE);
	KT_ASSERT_EQ(thread_join(mover), EOK);
	KT_ASSERT_EQ(thread_join(keeper), EOK);
	task_exit_t exit;
	KT_ASSERT_EQ(task_wait_ref(task, &exit, HANG_LIMIT_NS), EOK);
	task_put(task);
	KT_ASSERT(done);
	/* Not the old page through a stale entry: a fault, as at an address
	 * that was never mapped. */
	KT_ASSERT_EQ(mover_read_rc, EBADMEM);
}
