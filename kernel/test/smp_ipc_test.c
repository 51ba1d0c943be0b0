/*
 * Self-test of IPC across CPUs: a client and a server pair per CPU, each
 * client on one CPU and its server on the next, all exchanging at once; every
 * answer must carry the value its own call asked for. Named ipc_* so that
 * `make test` also runs it with the fast path off (kernel-ipc-no-fastpath*),
 * on one CPU and on four. Counted in round trips, never in time.
 */
#include <test.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <smp.h>
#include <synch/mutex.h>

#define PAIR_M_ECHO (IPC_FIRST_USER_METHOD + 1)
#define PAIR_TRIPS  2000
#define PAIR_TAG(i) (0x5eed0000ull + (i))

/** A pair: the server's task, the kernel task's phone to it and what the
 *  client found. */
typedef struct {
	unsigned index;
	task_t *task;
	cap_handle_t phone;
	unsigned trips;	  /* round trips that came back right */
	errno_t rc;	  /* the first failed call's result, or EOK */
	semaphore_t done; /* the client has ended */
} pair_t;

static void pair_client(void *arg)
{
	pair_t *p = arg;
	for (unsigned k = 0; k < PAIR_TRIPS; k++) {
		ipc_event_t ev;
		ipc_data_t d = {.method = PAIR_M_ECHO, .args = {k, PAIR_TAG(p->index)}};
		p->rc = ipc_call_wait(p->phone, &d, 0, 0, 0, &ev);
		if (p->rc == EOK &&
		    (ev.args[0] != k + 1 || ev.args[1] != PAIR_TAG(p->index)))
			p->rc = EINVAL;
		if (p->rc != EOK)
			break;
		p->trips++;
	}
	semaphore_up(&p->done);
}

/** Starts thread @a name of @a task (NULL: the kernel's) running @a fn(@a
 *  arg) on CPU @a cpu. */
static errno_t start_in_task_on_cpu(
    task_t *task, void (*fn)(void *), void *arg, const char *name, unsigned cpu)
{
	thread_t *t;
	errno_t rc = thread_create(task, fn, arg, name, &t);
	if (rc != EOK)
		return rc;
	rc = thread_set_cpu(t, cpu);
	if (rc != EOK)
		return rc;
	thread_detach(t);
	thread_start(t);
	return EOK;
}

/** Starts pair @a p's server on CPU @a cpu and connects to it. */
static errno_t pair_serve(pair_t *p, unsigned cpu)
{
	errno_t rc = task_create("pairsrv", NULL, 0, &p->task);
	if (rc != EOK)
		return rc;
	task_get(p->task);
	rc = start_in_task_on_cpu(p->task, ktest_echo_server, NULL, "pairsrv", cpu);
	if (rc != EOK)
		return rc;
	return ipc_phone_connect_new(&kernel_task, &p->task->box, 0, &p->phone);
}

static void pair_end(pair_t *p)
{
	if (p->task == NULL)
		return;
	if (p->phone != CAP_NULL)
		ipc_hangup(p->phone, IPC_HANGUP_RELEASE);
	task_exit_t how = {.how = TASK_EXIT_KILLED}, exit;
	task_kill(p->task, &how);
	task_wait_ref(p->task, &exit, 0);
	task_put(p->task);
}

/** Starts kernel thread @a name running @a fn(@a arg) on CPU @a cpu. */
static errno_t start_on_cpu(void (*fn)(void *), void *arg, const char *name, unsigned cpu)
{
	return start_in_task_on_cpu(NULL, fn, arg, name, cpu);
}

/** Pair @a i: server on CPU i + 1, client on CPU i (both on CPU 0 alone). */
static errno_t pair_start(pair_t *p, unsigned i)
{
	*p = (pair_t){.index = i};
	semaphore_init(&p->done, 0);
	errno_t rc = pair_serve(p, (i + 1) % cpu_count);
	return rc == EOK ? start_on_cpu(pair_client, p, "pairclient", i) : rc;
}

KTEST(ipc_pairs_on_different_cpus_exchange_checked_values)
{
	static pair_t pairs[CPU_MAX];
	errno_t started[CPU_MAX];
	unsigned n = cpu_count;
	for (unsigned i = 0; i < n; i++)
		started[i] = pair_start(&pairs[i], i);
	/* A client that started ends by itself (its server answers or dies). */
	for (unsigned i = 0; i < n; i++) {
		if (started[i] == EOK)
			(void) semaphore_down(&pairs[i].done, 0);
	}
	for (unsigned i = 0; i < n; i++)
		pair_end(&pairs[i]);
	for (unsigned i = 0; i < n; i++) {
		KT_ASSERT_EQ(started[i], EOK);
		KT_ASSERT_EQ(pairs[i].rc, EOK);
		KT_ASSERT_EQ(pairs[i].trips, PAIR_TRIPS);
	}
}

/*
 * A server's death slams the phones connected to it (phone_slam_all) while
 * their owners may drop their last reference (a hang-up and release, or the
 * owner's own death): the two meet on each phone. Here one thread makes and
 * drops phones to a server's box as fast as it can while another slams them
 * on another CPU. A phone freed under the slammer would be written after its
 * free, and the next phone made from its slab slot finds the poison broken.
 */
#define SLAM_ROUNDS 20000

typedef struct {
	answerbox_t *box;
	volatile bool stop;
	errno_t rc; /* the owner's first failure, or EOK */
	semaphore_t done;
} slam_race_t;

static void slam_race_owner(void *arg)
{
	slam_race_t *r = arg;
	for (unsigned i = 0; i < SLAM_ROUNDS && r->rc == EOK; i++) {
		phone_t *phone = phone_create();
		if (phone == NULL) {
			r->rc = ENOMEM;
			break;
		}
		errno_t rc = phone_connect(phone, r->box, i);
		if (rc != EOK)
			r->rc = rc;
		kobject_put(&phone->kobj); /* its only reference: hung up and freed */
	}
	r->stop = true;
	semaphore_up(&r->done);
}

static void slam_race_slammer(void *arg)
{
	slam_race_t *r = arg;
	while (!r->stop)
		phone_slam_all(r->box);
	semaphore_up(&r->done);
}

KTEST(ipc_phone_released_while_its_server_slams_it_is_not_touched_after_free)
{
	if (cpu_count < 2)
		return; /* the race needs a second CPU */
	static pair_t server;
	static slam_race_t race;
	server = (pair_t){0};
	race = (slam_race_t){0};
	semaphore_init(&race.done, 0);
	KT_ASSERT_EQ(pair_serve(&server, 2 % cpu_count), EOK);
	race.box = &server.task->box;
	errno_t slammer = start_on_cpu(
	    slam_race_slammer, &race, "slammer", 1 % cpu_count);
	errno_t owner = start_on_cpu(slam_race_owner, &race, "phoneowner", 0);
	if (owner != EOK)
		race.stop = true;
	if (slammer == EOK)
		(void) semaphore_down(&race.done, 0);
	if (owner == EOK)
		(void) semaphore_down(&race.done, 0);
	pair_end(&server);
	KT_ASSERT_EQ(slammer, EOK);
	KT_ASSERT_EQ(owner, EOK);
	KT_ASSERT_EQ(race.rc, EOK);
}

/*
 * Several threads of one task wait for its events on several CPUs, and the
 * calls of one sender, queued faster than they take them, are taken by
 * whichever is free. The kernel numbers each request as a wait takes it, under
 * the box's lock, so the numbers follow the order the calls were queued in
 * (the sender's order), however the takes interleave: what the runners of a
 * task rely on to hand a connection's calls out in their order.
 */
#define ORDER_CALLS  4096
#define ORDER_WINDOW 48 /* calls in flight (under the phone's limit) */

typedef struct {
	uint32_t seq[ORDER_CALLS]; /* by the call's first argument */
	volatile unsigned taken;
} order_t;

static void order_server(void *arg)
{
	order_t *o = arg;
	ipc_event_t ev;
	while (ipc_wait(0, 0, &ev) == EOK) {
		if (ev.kind != IPC_EVENT_REQUEST)
			continue;
		if (ev.imethod == PAIR_M_ECHO && ev.args[0] < ORDER_CALLS) {
			o->seq[ev.args[0]] = ev.seq;
			__atomic_add_fetch(&o->taken, 1, __ATOMIC_RELAXED);
		}
		(void) ipc_answer(ev.cap, &(ipc_data_t){.method = EOK});
	}
}

/** Starts one server thread of @a task on each CPU (at most four). */
static errno_t order_servers_start(task_t *task, order_t *o)
{
	for (unsigned i = 0; i < cpu_count && i < 4; i++) {
		errno_t rc = start_in_task_on_cpu(task, order_server, o, "ordersrv", i);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

/** Sends calls @a first .. @a first + @a n - 1 through @a phone, then takes
 *  their answers: EOK, or the first failure. */
static errno_t order_window(cap_handle_t phone, unsigned first, unsigned n)
{
	for (unsigned k = first; k < first + n; k++) {
		ipc_data_t d = {.method = PAIR_M_ECHO, .args = {k}};
		errno_t rc = ipc_call(phone, &d, k);
		if (rc != EOK)
			return rc;
	}
	for (unsigned answers = 0; answers < n;) {
		ipc_event_t ev;
		errno_t rc = ipc_wait(5000000000ull, 0, &ev);
		if (rc != EOK)
			return rc;
		answers += ev.kind == IPC_EVENT_ANSWER;
	}
	return EOK;
}

KTEST(ipc_requests_taken_on_several_cpus_are_numbered_in_their_order)
{
	static order_t o;
	o = (order_t){0};
	pair_t server = {0};
	KT_ASSERT_EQ(task_create("ordersrv", NULL, 0, &server.task), EOK);
	task_get(server.task);
	errno_t rc = order_servers_start(server.task, &o);
	if (rc == EOK)
		rc = ipc_phone_connect_new(
		    &kernel_task, &server.task->box, 0, &server.phone);
	for (unsigned k = 0; rc == EOK && k < ORDER_CALLS; k += ORDER_WINDOW) {
		unsigned n = ORDER_CALLS - k < ORDER_WINDOW ? ORDER_CALLS - k
							    : ORDER_WINDOW;
		rc = order_window(server.phone, k, n);
	}
	pair_end(&server);
	KT_ASSERT_EQ(rc, EOK);
	KT_ASSERT_EQ(o.taken, ORDER_CALLS);
	KT_ASSERT_EQ(o.seq[0], 1);
	for (unsigned k = 1; k < ORDER_CALLS; k++)
		KT_ASSERT_EQ(o.seq[k], o.seq[k - 1] + 1);
}
