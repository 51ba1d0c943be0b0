/*
 * Self-tests: an IPC wait's timeout is one deadline, and an event that is
 * there when the deadline comes is delivered. Each test runs the wait in a
 * waiter thread and checks from outside: the deadline of the waiter's sleep
 * (read off its timeout, so no wall-clock threshold is involved) and the
 * waiter's result. Named ipc_* so that they run with and without the fast
 * path (boot option ipcfast=off).
 */
#include <test.h>
#include <arch/asm.h>
#include <ipc/ipc.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <time/clock.h>

#define MS	       1000000ull
#define M_HOLD	       (IPC_FIRST_USER_METHOD + 1)
#define LONG_WAIT      (10000 * MS) /* never reached: the test ends the wait */
#define SHORT_WAIT     (100 * MS)
#define CATCH_ATTEMPTS 10

enum wait_kind { WAIT_EVENT, CALL_WAIT, CALL_WAIT_ANY };

typedef struct {
	enum wait_kind kind;
	cap_handle_t phone; /* for the call kinds: to a holder */
	uint64_t timeout_ns;
	thread_t *thread;
	volatile bool done;
	errno_t rc;
	ipc_event_t ev;
} waiter_t;

/** Waits as told; answers a request it receives. */
static void waiter_main(void *arg)
{
	waiter_t *w = arg;
	ipc_data_t d = {.method = M_HOLD};
	if (w->kind == WAIT_EVENT)
		w->rc = ipc_wait(w->timeout_ns, 0, &w->ev);
	else
		w->rc = ipc_call_wait(w->phone, &d, 1, w->timeout_ns,
		    w->kind == CALL_WAIT_ANY ? IPC_CALL_WAIT_ANY : 0, &w->ev);
	/* The caller sees this answer, or EHANGUP if it fails: no result to keep. */
	if (w->rc == EOK && w->ev.kind == IPC_EVENT_REQUEST)
		(void) ipc_answer(w->ev.cap, &(ipc_data_t){.method = EOK});
	w->done = true;
}

/** Starts @a w in @a task (NULL: the kernel's) at @a priority. */
static errno_t waiter_start(waiter_t *w, task_t *task, int priority)
{
	w->done = false;
	errno_t rc = thread_create(task, waiter_main, w, "waiter", &w->thread);
	if (rc != EOK)
		return rc;
	rc = thread_set_priority(w->thread, priority);
	/* On our CPU: the tests catch it ready but not yet run, which holds
	 * while we spin at a higher priority there. */
	if (rc == EOK)
		rc = thread_set_cpu(w->thread, THREAD->cpu->id);
	thread_start(w->thread);
	return rc;
}

/** Polls until @a t sleeps on @a wq (or @a done); its sleep's deadline,
 *  0 if it ended first. */
static uint64_t sleep_deadline(const thread_t *t, const waitq_t *wq, volatile bool *done)
{
	while (!*done && !(t->state == THREAD_BLOCKED && t->waitq == wq))
		thread_sleep(MS);
	return *done ? 0 : t->wait_timeout.deadline;
}

/** Takes every request and keeps it unanswered until its task dies. */
static void holder_main(void *arg)
{
	(void) arg;
	ipc_event_t ev;
	while (ipc_wait(0, 0, &ev) == EOK)
		continue;
}

typedef struct {
	task_t *task;
	thread_t *thread;
	cap_handle_t phone; /* the kernel task's */
} holder_t;

/** Starts a holder task and waits until it waits for requests, so that a
 *  call reaches it through the fast path when that is on. */
static errno_t holder_start(holder_t *h)
{
	errno_t rc = task_create("holder", NULL, 0, &h->task);
	if (rc != EOK)
		return rc;
	task_get(h->task);
	rc = thread_create(h->task, holder_main, NULL, "holder", &h->thread);
	if (rc != EOK)
		return rc;
	thread_detach(h->thread);
	thread_start(h->thread);
	bool never = false;
	(void) sleep_deadline(h->thread, &h->task->box.wq, &never);
	return ipc_phone_connect_new(&kernel_task, &h->task->box, 0, &h->phone);
}

/** Kills @a task: its sleeps end with EINTR, its pending calls are
 *  answered EHANGUP. */
static void task_kill_now(task_t *task)
{
	task_exit_t how = {.how = TASK_EXIT_KILLED};
	task_kill(task, &how);
}

/** Kills @a task and waits for its end (its threads joined or detached). */
static void task_end(task_t *task)
{
	task_kill_now(task);
	task_exit_t exit;
	task_wait_ref(task, &exit, 0);
	task_put(task);
}

/** Wakes @a w's thread from @a wq as if an event came and was taken by
 *  another thread first; returns its sleep's deadline before and after. */
static void wake_for_nothing(waiter_t *w, waitq_t *wq, uint64_t *before, uint64_t *after)
{
	*before = sleep_deadline(w->thread, wq, &w->done);
	waitq_wakeup(wq, false);
	*after = sleep_deadline(w->thread, wq, &w->done);
}

KTEST(ipc_wait_keeps_its_deadline_across_a_wake_up_that_finds_nothing)
{
	task_t *task;
	KT_ASSERT_EQ(task_create("sleeper", NULL, 0, &task), EOK);
	task_get(task);
	waiter_t w = {.kind = WAIT_EVENT, .timeout_ns = LONG_WAIT};
	errno_t rc = waiter_start(&w, task, THREAD_PRIORITY_DEFAULT);
	uint64_t d1 = 0, d2 = 0;
	if (rc == EOK)
		wake_for_nothing(&w, &task->box.wq, &d1, &d2);
	task_kill_now(task); /* the wait ends with EINTR */
	if (w.thread != NULL)
		thread_join(w.thread);
	task_end(task);
	KT_ASSERT_EQ(rc, EOK);
	KT_ASSERT(d1 != 0);
	KT_ASSERT_EQ(d2, d1);
	KT_ASSERT_EQ(w.rc, EINTR);
}

/** Runs @a w as a call-wait of @a kind to a holder and wakes it once for
 *  nothing where it sleeps (its own queue, or the kernel task's box with
 *  IPC_CALL_WAIT_ANY); the sleep's deadlines before and after into @a d1 and
 *  @a d2. The holder's death ends the wait (EHANGUP). */
static void check_call_wait_deadline(
    enum wait_kind kind, uint64_t *d1, uint64_t *d2, errno_t *rc, waiter_t *w)
{
	holder_t h = {0};
	*rc = holder_start(&h);
	w->kind = kind;
	w->phone = h.phone;
	w->timeout_ns = LONG_WAIT;
	if (*rc == EOK)
		*rc = waiter_start(w, NULL, THREAD_PRIORITY_DEFAULT);
	if (*rc == EOK) {
		waitq_t *wq = kind == CALL_WAIT ? &w->thread->ipc_wq
						: &kernel_task.box.wq;
		wake_for_nothing(w, wq, d1, d2);
	}
	if (h.task != NULL)
		task_end(h.task); /* the call is answered EHANGUP */
	if (w->thread != NULL)
		thread_join(w->thread);
	if (h.phone != CAP_NULL)
		(void) ipc_hangup(h.phone, IPC_HANGUP_RELEASE); /* dead already */
}

KTEST(ipc_call_wait_keeps_its_deadline_across_a_wake_up_that_finds_nothing)
{
	for (enum wait_kind kind = CALL_WAIT; kind <= CALL_WAIT_ANY; kind++) {
		uint64_t d1 = 0, d2 = 0;
		errno_t rc;
		waiter_t w = {0};
		check_call_wait_deadline(kind, &d1, &d2, &rc, &w);
		KT_ASSERT_EQ(rc, EOK);
		KT_ASSERT(d1 != 0);
		KT_ASSERT_EQ(d2, d1);
		KT_ASSERT_EQ(w.rc, EOK);
		KT_ASSERT_EQ(w.ev.kind, IPC_EVENT_ANSWER);
		KT_ASSERT_EQ(w.ev.imethod, EHANGUP);
	}
}

/** Spins (without letting the lower-priority waiter run) until the waiter's
 *  timeout has ended its sleep on @a wq; false if it did not within a
 *  bounded number of ticks. */
static bool await_timeout_fired(waiter_t *w, waitq_t *wq)
{
	if (sleep_deadline(w->thread, wq, &w->done) == 0)
		return false;
	uint64_t t0 = clock_ticks();
	while (w->thread->waitq == wq && clock_ticks() - t0 < 100 * HZ)
		cpu_relax();
	return w->thread->waitq == NULL && !w->done;
}

/** Starts @a w in the kernel task below our priority until an attempt is
 *  caught between its timeout and its running; false if none of
 *  CATCH_ATTEMPTS was (a loaded host can stretch our polling sleep past the
 *  waiter's timeout). A missed attempt's waiter has ended with ETIMEOUT;
 *  @a missed counts them. */
static bool catch_timeout(waiter_t *w, waitq_t *wq, unsigned *missed, errno_t *rc)
{
	for (*missed = 0; *missed < CATCH_ATTEMPTS; (*missed)++) {
		*rc = waiter_start(w, NULL, THREAD_PRIORITY_DEFAULT + 1);
		if (*rc != EOK)
			return false;
		if (await_timeout_fired(w, wq))
			return true;
		thread_join(w->thread);
		w->thread = NULL;
	}
	return false;
}

typedef struct {
	errno_t rc;	  /* set-up and send: EOK */
	errno_t answered; /* waiting for our call's answer: EOK */
	ipc_event_t ev;	  /* that answer */
} catch_result_t;

/** One attempt: @a w waits in a new task (whose last thread it is, so a
 *  missed attempt ends the task), is caught between its timeout and its
 *  running, and a request is sent to it then. False if the catch missed. */
static bool wait_catch_attempt(waiter_t *w, catch_result_t *r)
{
	task_t *task;
	cap_handle_t phone = CAP_NULL;
	r->rc = task_create("sleeper", NULL, 0, &task);
	if (r->rc != EOK)
		return false;
	task_get(task);
	w->thread = NULL;
	r->rc = ipc_phone_connect_new(&kernel_task, &task->box, 0, &phone);
	if (r->rc == EOK)
		r->rc = waiter_start(w, task, THREAD_PRIORITY_DEFAULT + 1);
	bool caught = r->rc == EOK && await_timeout_fired(w, &task->box.wq);
	/* The waiter is ready with ETIMEOUT but has not run: a request comes. */
	if (caught)
		r->rc = ipc_call(phone, &(ipc_data_t){.method = M_HOLD}, 2);
	if (w->thread != NULL)
		thread_join(w->thread);
	task_end(task);
	if (caught && r->rc == EOK)
		r->answered = ipc_wait(LONG_WAIT, 0, &r->ev); /* our call's */
	if (phone != CAP_NULL)
		(void) ipc_hangup(phone, IPC_HANGUP_RELEASE);
	return caught;
}

KTEST(ipc_wait_delivers_an_event_that_came_with_its_timeout)
{
	waiter_t w = {.kind = WAIT_EVENT, .timeout_ns = SHORT_WAIT};
	catch_result_t r = {0};
	bool caught = false;
	for (unsigned i = 0; i < CATCH_ATTEMPTS && !caught && r.rc == EOK; i++)
		caught = wait_catch_attempt(&w, &r);
	KT_ASSERT_EQ(r.rc, EOK);
	KT_ASSERT(caught);
	KT_ASSERT_EQ(w.rc, EOK);
	KT_ASSERT_EQ(w.ev.kind, IPC_EVENT_REQUEST);
	KT_ASSERT_EQ(r.answered, EOK);
	KT_ASSERT_EQ(r.ev.imethod, EOK); /* the waiter's answer */
}

/** Takes the answers queued in the kernel task's box; how many were EHANGUP. */
static unsigned drain_hangups(void)
{
	unsigned n = 0;
	ipc_event_t ev;
	while (ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev) == EOK)
		n += ev.kind == IPC_EVENT_ANSWER && ev.imethod == (sysarg_t) EHANGUP;
	return n;
}

KTEST(ipc_call_wait_any_delivers_an_event_that_came_with_its_timeout)
{
	holder_t h = {0};
	errno_t rc = holder_start(&h);
	waiter_t w = {.kind = CALL_WAIT_ANY, .phone = h.phone, .timeout_ns = SHORT_WAIT};
	unsigned missed = 0;
	bool fired = rc == EOK && catch_timeout(&w, &kernel_task.box.wq, &missed, &rc);
	if (fired)
		ipc_poke(); /* into the kernel task's box, the waiter's */
	if (w.thread != NULL)
		thread_join(w.thread);
	if (h.task != NULL)
		task_end(h.task); /* every held call is answered EHANGUP */
	unsigned hangups = drain_hangups();
	if (h.phone != CAP_NULL)
		(void) ipc_hangup(h.phone, IPC_HANGUP_RELEASE);
	KT_ASSERT_EQ(rc, EOK);
	KT_ASSERT(fired);
	KT_ASSERT_EQ(w.rc, EOK);
	KT_ASSERT_EQ(w.ev.kind, IPC_EVENT_POKE);
	KT_ASSERT_EQ(hangups, missed + 1);
}
