/*
 * Self-tests: task life cycle, killing tasks with blocked threads, programs
 * loaded but not yet started, and kernel memory returning to its baseline.
 */
#include <test.h>
#include <arch/mm.h>
#include <cpu.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <proc/module.h>
#include <proc/program.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <synch/mutex.h>

#define MS 1000000ull

static semaphore_t never;
static volatile int ended;

static void sleep_until_killed(void *arg)
{
	while (!thread_kill_pending())
		thread_sleep(1000 * MS);
	__atomic_add_fetch(&ended, 1, __ATOMIC_RELAXED);
}

static void wait_on_semaphore(void *arg)
{
	errno_t rc = semaphore_down(&never, 0);
	if (rc == EINTR)
		__atomic_add_fetch(&ended, 1, __ATOMIC_RELAXED);
}

static errno_t spawn_in(task_t *task, thread_fn_t fn)
{
	thread_t *t;
	errno_t rc = thread_create(task, fn, NULL, "victim", &t);
	if (rc != EOK)
		return rc;
	thread_detach(t);
	thread_start(t);
	return EOK;
}

KTEST(task_kill_ends_blocked_threads)
{
	semaphore_init(&never, 0);
	ended = 0;
	task_t *task;
	KT_ASSERT_EQ(task_create("victim", NULL, 0, &task), EOK);
	task_get(task);
	for (int i = 0; i < 3; i++)
		KT_ASSERT_EQ(spawn_in(task, sleep_until_killed), EOK);
	KT_ASSERT_EQ(spawn_in(task, wait_on_semaphore), EOK);
	thread_sleep(20 * MS); /* all four are blocked now */
	KT_ASSERT_EQ(task->thread_count, 4);
	task_exit_t how = {.how = TASK_EXIT_KILLED, .status = -1};
	task_kill(task, &how);
	KT_ASSERT_EQ(
	    spawn_in(task, sleep_until_killed), EINTR); /* dying: no new threads */
	task_exit_t exit;
	KT_ASSERT_EQ(task_wait_ref(task, &exit, 2000 * MS), EOK);
	KT_ASSERT_EQ(exit.how, TASK_EXIT_KILLED);
	KT_ASSERT_EQ(ended, 4);
	KT_ASSERT(task->as == NULL); /* freed by the last thread */
	task_put(task);
}

static void quick_exit(void *arg)
{
}

KTEST(task_200_created_and_destroyed_leave_no_trace)
{
	/* An earlier test's task may still be finishing on another CPU: the
	 * baseline is taken once the counts hold still. */
	size_t tasks = task_count(), threads = thread_count();
	for (int i = 0; i < 200; i++) {
		thread_sleep(10 * MS);
		if (task_count() == tasks && thread_count() == threads)
			break;
		tasks = task_count();
		threads = thread_count();
	}
	kmem_reclaim_all();
	frame_stats_t before, after;
	frame_get_stats(&before);
	for (int i = 0; i < 200; i++) {
		task_t *task;
		KT_ASSERT_EQ(task_create("short", NULL, 0, &task), EOK);
		task_get(task);
		/* Both made before either starts: on another CPU the first could
		 * end the task before the second exists. */
		thread_t *t1, *t2;
		KT_ASSERT_EQ(thread_create(task, quick_exit, NULL, "victim", &t1), EOK);
		KT_ASSERT_EQ(thread_create(task, quick_exit, NULL, "victim", &t2), EOK);
		thread_detach(t1);
		thread_detach(t2);
		thread_start(t1);
		thread_start(t2);
		task_exit_t exit;
		KT_ASSERT_EQ(task_wait_ref(task, &exit, 2000 * MS), EOK);
		KT_ASSERT_EQ(exit.how, TASK_EXIT_NORMAL);
		task_put(task);
	}
	/* A task's end may still be finishing on another CPU when its waiter
	 * wakes (its last thread's CPU drops the last references). */
	for (int i = 0; i < 200 && (task_count() != tasks || thread_count() != threads);
	     i++)
		thread_sleep(10 * MS);
	KT_ASSERT_EQ(task_count(), tasks);
	KT_ASSERT_EQ(thread_count(), threads);
	kmem_reclaim_all();
	frame_get_stats(&after);
	KT_ASSERT_EQ(after.free, before.free);
}

KTEST(task_find_and_wait_errors)
{
	KT_ASSERT(task_find(UINT64_MAX) == NULL);
	task_exit_t exit;
	KT_ASSERT_EQ(task_wait(UINT64_MAX, &exit, 10 * MS), ENOENT);
	task_t *task;
	KT_ASSERT_EQ(task_create("waitee", NULL, 0, &task), EOK);
	task_get(task);
	KT_ASSERT_EQ(spawn_in(task, sleep_until_killed), EOK);
	KT_ASSERT_EQ(task_wait_ref(task, &exit, 10 * MS), ETIMEOUT);
	task_exit_t how = {.how = TASK_EXIT_NORMAL, .status = 42};
	task_kill(task, &how);
	KT_ASSERT_EQ(task_wait_ref(task, &exit, 2000 * MS), EOK);
	KT_ASSERT_EQ(exit.how, TASK_EXIT_NORMAL);
	KT_ASSERT_EQ(exit.status, 42);
	task_put(task);
}

/** The boot module "hello" loaded with program_load (nothing of it runs). */
static errno_t load_hello(program_t *p)
{
	const boot_module_t *m;
	errno_t rc = module_pin("hello", &m);
	if (rc != EOK)
		return rc;
	rc = program_load(
	    phys_to_virt(m->start), m->end - m->start, "hello world", NULL, 0, p);
	module_unpin(m);
	return rc;
}

/* What init sets between load and start (the naming service, essential)
 * must be in place before the task's first instruction: a task started at
 * once ran and spawned children that missed phone 1 before the naming
 * service was set. */
KTEST(program_load_runs_nothing_until_started)
{
	program_t p;
	KT_ASSERT_EQ(load_hello(&p), EOK);
	task_t *task = p.task;
	KT_ASSERT_EQ(p.main->state, THREAD_NEW);
	KT_ASSERT_EQ(task->thread_count, 1);
	/* Killed before its first instruction: it never runs, and ends. */
	const task_exit_t how = {.how = TASK_EXIT_KILLED};
	task_kill(task, &how);
	program_start(&p);
	task_exit_t exit;
	KT_ASSERT_EQ(task_wait_ref(task, &exit, 2000 * MS), EOK);
	KT_ASSERT_EQ(exit.how, TASK_EXIT_KILLED);
	task_put(task);
	/* Loaded and started: it runs to its normal end. */
	KT_ASSERT_EQ(load_hello(&p), EOK);
	task = p.task;
	program_start(&p);
	KT_ASSERT_EQ(task_wait_ref(task, &exit, 2000 * MS), EOK);
	KT_ASSERT_EQ(exit.how, TASK_EXIT_NORMAL);
	task_put(task);
}
