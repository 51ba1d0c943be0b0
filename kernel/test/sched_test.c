/*
 * Self-tests: the scheduler's fairness within a priority. A pair of threads
 * calling each other through the IPC fast path hands the CPU back and forth
 * without the run queues; a ready thread of their priority must still get
 * its turn once their slice is used up. Measured in ticks and round trips,
 * never in wall time, so the verdict does not depend on the host's speed.
 */
#include <test.h>
#include <ipc/fastpath.h>
#include <ipc/ipc.h>
#include <log/ipclog.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <time/clock.h>

#define M_PING (IPC_FIRST_USER_METHOD + 1)

/* Ticks the pair may run while the bystander waits: its turn ends within one
 * slice (plus the tick that finds the slice used up); before slices were
 * passed on, the bystander never ran at all. */
#define BYSTANDER_TICK_LIMIT (2 * THREAD_SLICE_TICKS + 2)
/* How long the pair keeps going when the bystander does not run. */
#define PAIR_TICK_LIMIT 50

static volatile bool bystander_ran;
static volatile uint64_t bystander_tick;

static void bystander_main(void *arg)
{
	(void) arg;
	bystander_tick = clock_ticks();
	bystander_ran = true;
}

typedef struct {
	bool ran;	 /* the bystander ran while the pair was busy */
	uint64_t waited; /* ticks from its start to its run */
	unsigned trips;	 /* round trips the pair made meanwhile */
	uint64_t fast;	 /* of which the fast path carried (calls + answers) */
	errno_t rc;	 /* the first failed round trip's result, or EOK */
} race_t;

/** Round trips through phone @a h while a bystander of the same priority
 *  waits for the CPU, until it has run or PAIR_TICK_LIMIT ticks passed. */
static void race_bystander(cap_handle_t h, race_t *r)
{
	ipc_event_t ev;
	ipc_data_t d = {.method = M_PING};
	r->rc = ipc_call_wait(h, &d, 0, 0, 0, &ev); /* the server is now waiting */
	thread_t *b;
	if (r->rc == EOK)
		r->rc = thread_create(NULL, bystander_main, NULL, "bystander", &b);
	if (r->rc != EOK)
		return;
	bystander_ran = false;
	uint64_t fast_before = ipc_fastpath_taken();
	uint64_t t0 = clock_ticks();
	thread_start(b); /* ready; same priority, so it waits for a turn */
	while (!bystander_ran && clock_ticks() - t0 <= PAIR_TICK_LIMIT) {
		d.args[0] = r->trips;
		r->rc = ipc_call_wait(h, &d, 0, 0, 0, &ev);
		if (r->rc == EOK && ev.args[0] != r->trips + 1)
			r->rc = EINVAL;
		if (r->rc != EOK)
			break;
		r->trips++;
	}
	r->ran = bystander_ran;
	r->waited = bystander_tick - t0;
	r->fast = ipc_fastpath_taken() - fast_before;
	thread_join(b);
}

KTEST(sched_fast_path_pair_leaves_an_equal_priority_thread_its_turn)
{
	task_t *task;
	KT_ASSERT_EQ(task_create("pong", NULL, 0, &task), EOK);
	task_get(task);
	thread_t *t;
	errno_t rc = thread_create(task, ktest_echo_server, NULL, "pong", &t);
	cap_handle_t h = CAP_NULL;
	race_t r = {0};
	/* On our CPU, where the bystander waits too: hand-offs happen there. */
	if (rc == EOK)
		rc = thread_set_cpu(t, THREAD->cpu->id);
	if (rc == EOK) {
		thread_detach(t);
		thread_start(t);
		rc = ipc_phone_connect_new(&kernel_task, &task->box, 0, &h);
	}
	if (rc == EOK)
		race_bystander(h, &r);

	if (h != CAP_NULL)
		ipc_hangup(h, IPC_HANGUP_RELEASE);
	task_exit_t how = {.how = TASK_EXIT_KILLED}, exit;
	task_kill(task, &how);
	task_wait_ref(task, &exit, 0);
	task_put(task);

	KT_ASSERT_EQ(rc, EOK);
	KT_ASSERT_EQ(r.rc, EOK);
	KT_ASSERT(r.ran);
	KT_ASSERT(r.waited <= BYSTANDER_TICK_LIMIT);
	/* The pair really went through the fast path (both directions). */
	if (ipc_fastpath && !ipclog_on)
		KT_ASSERT(r.fast >= 2 * (uint64_t) r.trips && r.trips > 0);
}
