/*
 * Self-tests: IPC semantics between tasks. Servers are kernel threads
 * running inside user tasks (IPC acts for THREAD->task); the test thread is
 * the client, from the kernel task.
 */
#include <test.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <ipc/fastforward.h>
#include <ipc/fastpath.h>
#include <ipc/methods.h>
#include <log/ipclog.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <proc/quota.h>
#include <arch/asm.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <smp.h>
#include <synch/mutex.h>
#include <string.h>

#define MS	1000000ull
#define M_ECHO	(IPC_FIRST_USER_METHOD + 1)
#define M_HOLD	(IPC_FIRST_USER_METHOD + 2) /* given to the server's on_hold */
#define SEQ_MAX 32			    /* numbered events a server records */

typedef struct server {
	task_t *task;
	semaphore_t go; /* the server answers only after an up() */
	bool hold;
	cap_handle_t next; /* forward requests here when set */
	unsigned fwd_mode;
	sysarg_t accept_label; /* answer CONNECT_ME_TO with this label */
	sysarg_t withhold;     /* ...and withhold these rights of the new phone */
	volatile uint64_t last_sender;
	volatile sysarg_t last_label;
	volatile int hungups;
	volatile int requests;
	volatile sysarg_t last_arg0;
	bool combined;	   /* answer and wait in one step */
	errno_t answer_rc; /* the return value of each answer (EOK unless set) */
	uint64_t delay_ns; /* sleep this long before each answer */
	/* Takes a request of method M_HOLD instead of answering it; true when
	 * it leaves the next event in @a ev (an answer-and-wait). */
	bool (*on_hold)(struct server *s, ipc_event_t *ev);
	/* The first SEQ_MAX numbered events (requests, refusals) it took, in
	 * the order taken: kind, number and first argument; seq_count written
	 * last (the test reads them once the server's task has ended). */
	uint32_t seq_kind[SEQ_MAX];
	uint32_t seq[SEQ_MAX];
	sysarg_t seq_arg0[SEQ_MAX];
	unsigned seq_count;
} server_t;

/** Records numbered event @a ev in @a s. */
static void record_numbered(server_t *s, const ipc_event_t *ev)
{
	unsigned n = s->seq_count;
	if (n < SEQ_MAX) {
		s->seq_kind[n] = ev->kind;
		s->seq[n] = ev->seq;
		s->seq_arg0[n] = ev->args[0];
	}
	__atomic_store_n(&s->seq_count, n + 1, __ATOMIC_RELEASE);
}

/** The answer @a s gives to @a ev (requests other than hang-ups). */
static void make_answer(server_t *s, const ipc_event_t *ev, ipc_data_t *a)
{
	memset(a, 0, sizeof(*a));
	a->method = (sysarg_t) s->answer_rc;
	if (ev->imethod == IPC_M_CONNECT_ME_TO) {
		a->args[3] = s->withhold;
		a->args[4] = s->accept_label;
	}
	for (int i = 0; i < 4 && (ev->imethod == M_ECHO || ev->imethod == M_HOLD); i++)
		a->args[i] = ev->args[i] * 10;
}

static void server_main(void *arg)
{
	server_t *s = arg;
	if (s->hold && semaphore_down(&s->go, 0) != EOK)
		return; /* killed while held */
	ipc_event_t ev;
	bool have = false;
	while (!thread_kill_pending()) {
		if (!have && ipc_wait(0, 0, &ev) != EOK)
			return; /* killed */
		have = false;
		if (ev.kind == IPC_EVENT_REQUEST || ev.kind == IPC_EVENT_REFUSED)
			record_numbered(s, &ev);
		if (ev.kind != IPC_EVENT_REQUEST)
			continue;
		s->last_sender = ev.task_id;
		s->last_label = ev.label;
		s->last_arg0 = ev.args[0];
		if (ev.imethod == IPC_M_PHONE_HUNGUP)
			s->hungups++;
		else
			s->requests++;
		if (ev.imethod == M_HOLD && s->on_hold != NULL) {
			have = s->on_hold(s, &ev);
			continue;
		}
		if (s->next != CAP_NULL && ev.imethod != IPC_M_PHONE_HUNGUP) {
			ipc_data_t rewrite = {.method = M_ECHO, .args = {7, 7, 7, 7, 7}};
			ipc_forward(ev.cap, s->next, &rewrite, s->fwd_mode);
			continue;
		}
		ipc_data_t a;
		make_answer(s, &ev, &a);
		if (s->delay_ns != 0 && ev.imethod == M_ECHO)
			thread_sleep(s->delay_ns);
		if (s->combined)
			have = ipc_answer_wait(ev.cap, &a, 0, 0, &ev) == EOK;
		else
			ipc_answer(ev.cap, &a);
	}
}

/** Drops anything left in the kernel task's box by an earlier failed test. */
static void drain(void)
{
	ipc_event_t ev;
	while (ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev) == EOK) {
		if (ev.kind == IPC_EVENT_REQUEST)
			ipc_answer(ev.cap, &(ipc_data_t){.method = (sysarg_t) EHANGUP});
	}
}

/** Starts server @a s's thread; kept for a join in *@a keep when that is
 *  not NULL, else detached. */
static errno_t server_start_thread(
    server_t *s, const char *name, bool hold, thread_t **keep)
{
	drain();
	memset(s, 0, sizeof(*s));
	semaphore_init(&s->go, 0);
	s->hold = hold;
	errno_t rc = task_create(name, NULL, 0, &s->task);
	if (rc != EOK)
		return rc;
	task_get(s->task);
	thread_t *t;
	rc = thread_create(s->task, server_main, s, name, &t);
	if (rc != EOK)
		return rc;
	/* On the client's CPU: these tests count the fast path's hand-offs,
	 * which only go to a thread of this CPU. */
	rc = thread_set_cpu(t, THREAD->cpu->id);
	if (rc != EOK)
		return rc;
	if (keep != NULL)
		*keep = t;
	else
		thread_detach(t);
	thread_start(t);
	return EOK;
}

static errno_t server_start(server_t *s, const char *name, bool hold)
{
	return server_start_thread(s, name, hold, NULL);
}

/** Kills the server and waits until its task is gone. */
static void server_stop(server_t *s)
{
	task_exit_t how = {.how = TASK_EXIT_KILLED}, exit;
	task_kill(s->task, &how);
	semaphore_up(&s->go);
	task_wait_ref(s->task, &exit, 0);
	task_put(s->task);
}

static cap_handle_t connect(server_t *s, sysarg_t label)
{
	cap_handle_t h = CAP_NULL;
	ipc_phone_connect_new(&kernel_task, &s->task->box, label, &h);
	return h;
}

static void release(cap_handle_t h)
{
	ipc_hangup(h, IPC_HANGUP_RELEASE);
}

/** Waits for the next answer; returns its return value (ETIMEOUT if none). */
static errno_t next_answer(ipc_event_t *ev)
{
	for (;;) {
		errno_t rc = ipc_wait(2000 * MS, 0, ev);
		if (rc != EOK)
			return rc;
		if (ev->kind == IPC_EVENT_ANSWER)
			return (errno_t) ev->imethod;
	}
}

KTEST(ipc_call_and_answer_carry_payload_and_labels)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "echo", false), EOK);
	cap_handle_t h = connect(&s, 77);
	KT_ASSERT(h != CAP_NULL);
	ipc_data_t d = {.method = M_ECHO, .args = {1, 2, 3, 4, 5}};
	KT_ASSERT_EQ(ipc_call(h, &d, 0xabc), EOK);
	ipc_event_t ev;
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	KT_ASSERT_EQ(ev.label, 0xabc);
	KT_ASSERT_EQ(ev.args[0], 10);
	KT_ASSERT_EQ(ev.args[3], 40);
	KT_ASSERT_EQ(s.last_label, 77); /* the connection's label */
	KT_ASSERT_EQ(s.last_sender, 0); /* the kernel task sent it */
	release(h);
	server_stop(&s);
}

KTEST(ipc_65th_call_gets_elimit_and_64_are_answered)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "slow", true), EOK);
	cap_handle_t h = connect(&s, 0);
	ipc_data_t d = {.method = M_ECHO};
	for (int i = 0; i < IPC_MAX_ASYNC_CALLS; i++) {
		d.args[0] = (sysarg_t) i;
		KT_ASSERT_EQ(ipc_call(h, &d, (sysarg_t) i), EOK);
	}
	KT_ASSERT_EQ(ipc_call(h, &d, 64), ELIMIT);
	semaphore_up(&s.go);
	uint64_t seen = 0;
	for (int i = 0; i < IPC_MAX_ASYNC_CALLS; i++) {
		ipc_event_t ev;
		KT_ASSERT_EQ(next_answer(&ev), EOK);
		KT_ASSERT_EQ(ev.args[0], ev.label * 10);
		seen |= 1ull << ev.label;
	}
	KT_ASSERT_EQ(seen, UINT64_MAX);	       /* every call answered exactly once */
	KT_ASSERT_EQ(ipc_call(h, &d, 0), EOK); /* slots are free again */
	ipc_event_t ev;
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	release(h);
	server_stop(&s);
}

/** The requests a task's waits take are numbered 1, 2, 3 ... in the order
 *  they were queued, whether a wait takes them off the box (the general
 *  path) or the fast path delivers them into the waiting thread. */
KTEST(ipc_requests_are_numbered_in_the_order_they_are_taken)
{
	enum { QUEUED = 8, DIRECT = 8 };
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "numbered", true), EOK);
	s.combined = true;
	cap_handle_t h = connect(&s, 0);
	ipc_data_t d = {.method = M_ECHO};
	for (int i = 0; i < QUEUED; i++) {
		d.args[0] = (sysarg_t) i;
		KT_ASSERT_EQ(ipc_call(h, &d, (sysarg_t) i), EOK);
	}
	semaphore_up(&s.go); /* it takes them off its box */
	ipc_event_t ev;
	for (int i = 0; i < QUEUED; i++)
		KT_ASSERT_EQ(next_answer(&ev), EOK);
	uint64_t fast_before = ipc_fastpath_taken();
	for (int i = QUEUED; i < QUEUED + DIRECT; i++) {
		d.args[0] = (sysarg_t) i;
		KT_ASSERT_EQ(ipc_call_wait(h, &d, 0, 0, 0, &ev), EOK);
		KT_ASSERT_EQ(ev.args[0], (sysarg_t) i * 10);
	}
	KT_ASSERT(!ipc_fastpath || ipc_fastpath_taken() - fast_before >= DIRECT);
	release(h);
	server_stop(&s);
	KT_ASSERT(s.seq_count >= QUEUED + DIRECT);
	for (unsigned k = 0; k < QUEUED + DIRECT; k++) {
		KT_ASSERT_EQ(s.seq_kind[k], IPC_EVENT_REQUEST);
		KT_ASSERT_EQ(s.seq[k], k + 1);
		KT_ASSERT_EQ(s.seq_arg0[k], k);
	}
}

/** A request that the receiver's wait takes but cannot hand over (no room
 *  in its table for the phone it offers: the caller gets ELIMIT) still
 *  takes its number, as a REFUSED event carrying it, so the numbers have
 *  no gap: the next request gets the number after it. */
KTEST(ipc_a_refused_request_keeps_its_number)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "refusing", true), EOK);
	cap_set_limit(&s.task->caps, cap_charged(&s.task->caps));
	cap_handle_t h = connect(&s, 0);
	ipc_data_t offer = {.method = IPC_M_CONNECT_TO_ME};
	KT_ASSERT_EQ(ipc_call(h, &offer, 1), EOK);
	semaphore_up(&s.go);
	ipc_event_t ev;
	KT_ASSERT_EQ(next_answer(&ev), ELIMIT);
	cap_set_limit(&s.task->caps, UINT64_MAX);
	ipc_data_t d = {.method = M_ECHO, .args = {7}};
	KT_ASSERT_EQ(ipc_call_wait(h, &d, 2, 0, 0, &ev), EOK);
	KT_ASSERT_EQ(ev.args[0], 70);
	release(h);
	server_stop(&s);
	KT_ASSERT(s.seq_count >= 2);
	KT_ASSERT_EQ(s.seq_kind[0], IPC_EVENT_REFUSED);
	KT_ASSERT_EQ(s.seq[0], 1);
	KT_ASSERT_EQ(s.seq_kind[1], IPC_EVENT_REQUEST);
	KT_ASSERT_EQ(s.seq[1], 2);
	KT_ASSERT_EQ(s.seq_arg0[1], 7);
}

KTEST(ipc_receiver_killed_answers_pending_calls_with_ehangup)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "doomed", true), EOK);
	cap_handle_t h = connect(&s, 0);
	ipc_data_t d = {.method = M_ECHO};
	for (int i = 0; i < IPC_MAX_ASYNC_CALLS; i++)
		KT_ASSERT_EQ(ipc_call(h, &d, (sysarg_t) i), EOK);
	server_stop(&s);
	for (int i = 0; i < IPC_MAX_ASYNC_CALLS; i++) {
		ipc_event_t ev;
		KT_ASSERT_EQ(next_answer(&ev), EHANGUP);
	}
	KT_ASSERT_EQ(ipc_call(h, &d, 0), EHANGUP); /* the phone was slammed */
	release(h);
}

KTEST(ipc_two_hop_forward_and_route_from_me)
{
	server_t a, b, c;
	KT_ASSERT_EQ(server_start(&c, "c", false), EOK);
	KT_ASSERT_EQ(server_start(&b, "b", true), EOK);
	KT_ASSERT_EQ(server_start(&a, "a", true), EOK);
	KT_ASSERT_EQ(ipc_phone_connect_new(b.task, &c.task->box, 33, &b.next), EOK);
	KT_ASSERT_EQ(ipc_phone_connect_new(a.task, &b.task->box, 22, &a.next), EOK);
	b.fwd_mode = IPC_FF_ROUTE_FROM_ME | IPC_FF_REWRITE;
	semaphore_up(&a.go);
	semaphore_up(&b.go);
	cap_handle_t h = connect(&a, 11);
	ipc_data_t d = {.method = IPC_FIRST_USER_METHOD + 9, .args = {1}};
	KT_ASSERT_EQ(ipc_call(h, &d, 5), EOK);
	ipc_event_t ev;
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	KT_ASSERT_EQ(ev.label, 5);
	KT_ASSERT_EQ(ev.args[0], 70);		 /* rewritten by b, answered by c */
	KT_ASSERT_EQ(c.last_sender, b.task->id); /* route-from-me */
	KT_ASSERT_EQ(c.last_label, 33);		 /* the label of b's phone to c */
	KT_ASSERT_EQ(a.requests + b.requests + c.requests, 3);
	KT_ASSERT_EQ(b.task->ipc_stats.forwards, 1);

	/* Forwarding into a dead server reaches the caller as EFORWARD. */
	server_stop(&c);
	KT_ASSERT_EQ(ipc_call(h, &d, 6), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EFORWARD);
	release(h);
	server_stop(&a);
	server_stop(&b);
}

KTEST(ipc_handles_of_wrong_type_or_stale_are_refused)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "h", false), EOK);
	cap_handle_t h = connect(&s, 0);
	ipc_data_t d = {.method = M_ECHO};
	KT_ASSERT_EQ(ipc_answer(h, &d), ENOENT); /* a phone is no call */
	KT_ASSERT_EQ(ipc_forward(h, h, NULL, 0), ENOENT);
	KT_ASSERT_EQ(ipc_call(CAP_NULL, &d, 0), ENOENT);
	KT_ASSERT_EQ(ipc_call(0xdeadbeef, &d, 0), ENOENT);
	KT_ASSERT_EQ(ipc_hangup(h, 0x80), EINVAL);
	ipc_data_t forged = {.method = IPC_M_PHONE_HUNGUP};
	KT_ASSERT_EQ(ipc_call(h, &forged, 0), EINVAL); /* only the kernel sends it */
	forged.method = 100;			       /* an unknown system method */
	KT_ASSERT_EQ(ipc_call(h, &forged, 0), EINVAL);
	release(h);
	KT_ASSERT_EQ(ipc_call(h, &d, 0), ENOENT); /* stale */
	cap_handle_t h2 = connect(&s, 0);
	KT_ASSERT(h2 != h); /* same slot, new generation */
	KT_ASSERT_EQ(ipc_call(h, &d, 0), ENOENT);
	release(h2);
	server_stop(&s);
}

KTEST(ipc_hangup_notifies_server_and_blocks_sends)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "hup", false), EOK);
	cap_handle_t h = connect(&s, 0x55);
	KT_ASSERT_EQ(ipc_hangup(h, 0), EOK);
	ipc_data_t d = {.method = M_ECHO};
	KT_ASSERT_EQ(ipc_call(h, &d, 0), EHANGUP); /* hung up, handle kept */
	for (int i = 0; i < 100 && s.hungups == 0; i++)
		thread_sleep(MS);
	KT_ASSERT_EQ(s.hungups, 1);
	KT_ASSERT_EQ(s.last_label, 0x55); /* PHONE_HUNGUP names the connection */
	KT_ASSERT_EQ(s.last_arg0, 0);	  /* ...and no clone of it remains */
	KT_ASSERT_EQ(ipc_hangup(h, IPC_HANGUP_RELEASE), EOK);
	KT_ASSERT_EQ(ipc_call(h, &d, 0), ENOENT);
	KT_ASSERT_EQ(s.hungups, 1); /* only one PHONE_HUNGUP */
	server_stop(&s);
}

KTEST(ipc_connect_me_to_through_a_broker)
{
	server_t broker, target;
	KT_ASSERT_EQ(server_start(&target, "target", true), EOK);
	KT_ASSERT_EQ(server_start(&broker, "broker", true), EOK);
	target.accept_label = 4242;
	KT_ASSERT_EQ(
	    ipc_phone_connect_new(broker.task, &target.task->box, 0, &broker.next), EOK);
	semaphore_up(&target.go);
	semaphore_up(&broker.go);
	cap_handle_t h = connect(&broker, 0);
	ipc_data_t d = {.method = IPC_M_CONNECT_ME_TO};
	KT_ASSERT_EQ(ipc_call(h, &d, 1), EOK);
	ipc_event_t ev;
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	cap_handle_t direct = ev.args[4];
	KT_ASSERT(direct != CAP_NULL && direct != h);
	d.method = M_ECHO;
	d.args[0] = 3;
	KT_ASSERT_EQ(ipc_call(direct, &d, 2), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	KT_ASSERT_EQ(ev.args[0], 30);
	KT_ASSERT_EQ(target.last_label, 4242); /* the label the target chose */
	release(direct);
	release(h);
	server_stop(&broker);
	server_stop(&target);
}

KTEST(ipc_notifications_coalesce)
{
	ipc_notif_t n;
	ipc_notif_init(&n, &kernel_task.box, IPC_FIRST_USER_METHOD + 50);
	sysarg_t args[IPC_CALL_ARGS] = {1};
	for (sysarg_t i = 1; i <= 3; i++) {
		args[0] = i;
		ipc_notif_post(&n, args);
	}
	ipc_event_t ev;
	KT_ASSERT_EQ(ipc_wait(10 * MS, 0, &ev), EOK);
	KT_ASSERT_EQ(ev.kind, IPC_EVENT_NOTIF);
	KT_ASSERT_EQ(ev.label, 3);   /* three posts, one notification */
	KT_ASSERT_EQ(ev.args[0], 3); /* the latest arguments */
	KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev), EAGAIN);
	ipc_notif_post(&n, args);
	ipc_notif_detach(&n); /* withdrawn before it was received */
	KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev), EAGAIN);
	KT_ASSERT_EQ(ipc_wait(5 * MS, 0, &ev), ETIMEOUT);
}

KTEST(ipc_1000_connect_call_hangup_cycles_leak_nothing)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "cycle", false), EOK);
	ipc_data_t d = {.method = M_ECHO};
	ipc_event_t ev;
	/* Warm the caches once so that the baseline includes their slabs. */
	cap_handle_t h = connect(&s, 0);
	KT_ASSERT_EQ(ipc_call(h, &d, 0), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	release(h);
	for (int i = 0; i < 100 && s.hungups < 1; i++)
		thread_sleep(MS); /* the PHONE_HUNGUP call is gone too */
	kmem_reclaim_all();
	kmem_stats_t ks0, ks1;
	frame_stats_t fs0, fs1;
	kmem_get_stats(&ks0);
	frame_get_stats(&fs0);
	size_t caps = cap_count(&kernel_task.caps);
	for (int i = 0; i < 1000; i++) {
		h = connect(&s, (sysarg_t) i);
		KT_ASSERT_EQ(ipc_call(h, &d, (sysarg_t) i), EOK);
		KT_ASSERT_EQ(next_answer(&ev), EOK);
		release(h);
	}
	/* The server counts a hang-up before it answers it (freeing its
	 * capability): wait for both, however the two threads interleave. */
	for (int i = 0; i < 1000 && (s.hungups < 1001 || cap_count(&s.task->caps) != 0);
	     i++)
		thread_sleep(MS);
	KT_ASSERT_EQ(s.hungups, 1001);
	KT_ASSERT_EQ(cap_count(&kernel_task.caps), caps);
	KT_ASSERT_EQ(cap_count(&s.task->caps), 0);
	kmem_reclaim_all();
	kmem_get_stats(&ks1);
	frame_get_stats(&fs1);
	KT_ASSERT_EQ(ks1.objects, ks0.objects);
	KT_ASSERT_EQ(fs1.free, fs0.free);
	server_stop(&s);
}

/** The phone in @a task's table (there is exactly one), or NULL. */
static phone_t *only_phone(task_t *task)
{
	for (uint32_t i = 0; i < task->caps.size; i++) {
		kobject_t *o = task->caps.slots[i].obj;
		if (o != NULL && o->type == KOBJECT_PHONE)
			return (phone_t *) o;
	}
	return NULL;
}

KTEST(ipc_connection_clone_and_state_change_authorize)
{
	server_t s1, s2;
	KT_ASSERT_EQ(server_start(&s1, "s1", false), EOK);
	KT_ASSERT_EQ(server_start(&s2, "s2", false), EOK);
	cap_handle_t to_s1 = connect(&s1, 5), to_s1_b = connect(&s1, 6),
		     to_s2 = connect(&s2, 0);
	ipc_event_t ev;
	ipc_data_t d = {.method = IPC_M_CONNECTION_CLONE, .args = {to_s1}};
	KT_ASSERT_EQ(ipc_call(to_s2, &d, 1), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	phone_t *clone = only_phone(s2.task);
	KT_ASSERT(clone != NULL);
	KT_ASSERT(clone->state == PHONE_CONNECTED && clone->callee == &s1.task->box);
	KT_ASSERT_EQ(clone->label, 5);
	d.args[0] = 0x12345; /* not a phone */
	KT_ASSERT_EQ(ipc_call(to_s2, &d, 1), ENOENT);

	d = (ipc_data_t){.method = IPC_M_STATE_CHANGE_AUTHORIZE, .args = {to_s1_b}};
	KT_ASSERT_EQ(ipc_call(to_s1, &d, 2), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	KT_ASSERT_EQ(s1.last_arg0, 6); /* the other connection's label */
	d.args[0] = to_s2;	       /* a connection to another server */
	KT_ASSERT_EQ(ipc_call(to_s1, &d, 2), EPERM);
	release(to_s1);
	release(to_s1_b);
	release(to_s2);
	server_stop(&s2);
	server_stop(&s1);
}

/** Reads every record after @a cursor into @a out (at most 32). */
static size_t log_read(uint64_t *cursor, ipclog_record_t *out, uint64_t *missed)
{
	return ipclog_read(cursor, out, 32, missed);
}

/** Cleanup of a test that switches the IPC log on: off, unfiltered, empty. */
static void ipclog_reset(void *unused)
{
	(void) ipclog_enable(false); /* switching off cannot fail */
	(void) ipclog_filter_tasks(NULL, 0);
	(void) ipclog_filter_methods(0, UINT64_MAX);
	(void) ipclog_filter_types(IPCLOG_ALL_TYPES);
	ipclog_clear();
}

KTEST(ipclog_records_a_forwarded_call_exactly)
{
	static ipclog_record_t rec[32];
	server_t a, b;
	KT_ASSERT_EQ(server_start(&b, "logb", false), EOK);
	KT_ASSERT_EQ(server_start(&a, "loga", true), EOK);
	KT_ASSERT_EQ(ipc_phone_connect_new(a.task, &b.task->box, 0, &a.next), EOK);
	semaphore_up(&a.go);
	cap_handle_t h = connect(&a, 0);
	ktest_cleanup(ipclog_reset, NULL);
	KT_ASSERT_EQ(ipclog_enable(true), EOK);
	KT_ASSERT_EQ(ipclog_filter_methods(IPC_FIRST_USER_METHOD, UINT64_MAX), EOK);
	uint64_t filter[2] = {a.task->id, b.task->id};
	KT_ASSERT_EQ(ipclog_filter_tasks(filter, 2), EOK);
	ipclog_status_t st;
	ipclog_status(&st);
	uint64_t cursor = st.head, missed;

	ipc_data_t d = {.method = IPC_FIRST_USER_METHOD + 3, .args = {1, 2}};
	KT_ASSERT_EQ(ipc_call(h, &d, 9), EOK);
	ipc_event_t ev;
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	size_t n = log_read(&cursor, rec, &missed);
	KT_ASSERT_EQ(n, 5);
	KT_ASSERT_EQ(missed, 0);
	const ipclog_record_t *call = &rec[0], *recv_a = &rec[1], *fwd = &rec[2];
	const ipclog_record_t *recv_b = &rec[3], *answer = &rec[4];
	KT_ASSERT_EQ(call->type, IPCLOG_CALL);
	KT_ASSERT_EQ(recv_a->type, IPCLOG_RECEIVE);
	KT_ASSERT_EQ(fwd->type, IPCLOG_FORWARD);
	KT_ASSERT_EQ(recv_b->type, IPCLOG_RECEIVE);
	KT_ASSERT_EQ(answer->type, IPCLOG_ANSWER);
	KT_ASSERT(call->call_id != 0); /* given at the first logged event */
	for (size_t i = 1; i < n; i++)
		KT_ASSERT_EQ(rec[i].call_id, call->call_id);
	KT_ASSERT_EQ(call->sender, 0);
	KT_ASSERT_EQ(call->receiver, a.task->id);
	KT_ASSERT_EQ(call->phone, h);
	KT_ASSERT_EQ(call->method, IPC_FIRST_USER_METHOD + 3);
	KT_ASSERT_EQ(call->args[1], 2);
	KT_ASSERT_EQ(recv_a->receiver, a.task->id);
	KT_ASSERT(recv_a->thread != 0);
	KT_ASSERT_EQ(fwd->sender, a.task->id);
	KT_ASSERT_EQ(fwd->receiver, b.task->id);
	KT_ASSERT_EQ(recv_b->receiver, b.task->id);
	KT_ASSERT_EQ(answer->sender, b.task->id);
	KT_ASSERT_EQ(answer->retval, EOK);
	KT_ASSERT(answer->flags & IPCLOG_F_FORWARDED);
	KT_ASSERT(call->seq < fwd->seq && fwd->time_ns <= answer->time_ns);

	/* Type filter: only the hang-up. */
	KT_ASSERT_EQ(ipclog_filter_methods(0, UINT64_MAX), EOK);
	KT_ASSERT_EQ(ipclog_filter_types(IPCLOG_TYPE_BIT(IPCLOG_HANGUP)), EOK);
	release(h);
	n = log_read(&cursor, rec, &missed);
	KT_ASSERT_EQ(n, 1);
	KT_ASSERT_EQ(rec[0].type, IPCLOG_HANGUP);
	KT_ASSERT_EQ(rec[0].receiver, a.task->id);
	KT_ASSERT_EQ(ipclog_filter_types(0), EINVAL);
	for (int i = 0; i < 100 && a.hungups == 0; i++)
		thread_sleep(MS); /* a answers the PHONE_HUNGUP: one more record */

	/* Overflow: a 16-record ring after 60 events reports 44 missed. */
	KT_ASSERT_EQ(ipclog_filter_types(IPCLOG_ALL_TYPES), EOK);
	KT_ASSERT_EQ(ipclog_resize(16), EOK);
	KT_ASSERT_EQ(ipclog_resize(17), EINVAL);
	cursor = 0;
	h = connect(&b, 0);
	for (int i = 0; i < 20; i++) {
		KT_ASSERT_EQ(ipc_call(h, &d, 0), EOK); /* CALL, RECEIVE, ANSWER */
		KT_ASSERT_EQ(next_answer(&ev), EOK);
	}
	n = log_read(&cursor, rec, &missed);
	KT_ASSERT_EQ(n, 16);
	KT_ASSERT_EQ(missed, 44);

	/* Off: nothing is recorded. */
	KT_ASSERT_EQ(ipclog_enable(false), EOK);
	KT_ASSERT_EQ(ipc_call(h, &d, 0), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	KT_ASSERT_EQ(log_read(&cursor, rec, &missed), 0);
	release(h);
	server_stop(&a);
	server_stop(&b);
}

KTEST(ipc_call_wait_gets_only_its_own_answer)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "sync", false), EOK);
	s.combined = true;
	cap_handle_t h = connect(&s, 0);
	ipc_data_t d = {.method = M_ECHO, .args = {1}};
	KT_ASSERT_EQ(ipc_call(h, &d, 1), EOK); /* an ordinary call first */
	ipc_event_t ev;
	d.args[0] = 2;
	for (int i = 0; i < 100; i++) {
		KT_ASSERT_EQ(ipc_call_wait(h, &d, 2, 1000 * MS, 0, &ev), EOK);
		KT_ASSERT_EQ(ev.kind, IPC_EVENT_ANSWER);
		KT_ASSERT_EQ(ev.label, 2);
		KT_ASSERT_EQ(ev.args[0], 20);
	}
	KT_ASSERT_EQ(
	    next_answer(&ev), EOK); /* the first call's answer waited in the box */
	KT_ASSERT_EQ(ev.label, 1);
	KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev), EAGAIN);
	release(h);
	server_stop(&s);
}

KTEST(ipc_call_wait_timeout_leaves_the_answer_in_the_box)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "late", true), EOK);
	cap_handle_t h = connect(&s, 0);
	ipc_data_t d = {.method = M_ECHO, .args = {4}};
	ipc_event_t ev;
	KT_ASSERT_EQ(ipc_call_wait(h, &d, 3, 20 * MS, 0, &ev), ETIMEOUT);
	semaphore_up(&s.go);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	KT_ASSERT_EQ(ev.label, 3);
	KT_ASSERT_EQ(ev.args[0], 40);
	release(h);
	server_stop(&s);
}

/** Round trips waiting forever, so the fast path (when on) takes both. */
KTEST(ipc_call_wait_forever_in_both_modes)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "any", false), EOK);
	s.combined = true;
	cap_handle_t h = connect(&s, 0);
	ipc_data_t d = {.method = M_ECHO, .args = {3}};
	ipc_event_t ev;
	uint64_t fast_before = ipc_fastpath_taken();
	for (int i = 0; i < 100; i++) {
		unsigned flags = i % 2 ? IPC_CALL_WAIT_ANY : 0;
		KT_ASSERT_EQ(ipc_call_wait(h, &d, 6 + flags, 0, flags, &ev), EOK);
		KT_ASSERT_EQ(ev.kind, IPC_EVENT_ANSWER);
		KT_ASSERT_EQ(ev.label, 6 + flags);
		KT_ASSERT_EQ(ev.args[0], 30);
	}
	KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev), EAGAIN);
	KT_ASSERT_EQ(s.requests, 100);
	/* With the fast path on, it carried (nearly) every call and answer. */
	uint64_t fast = ipc_fastpath_taken() - fast_before;
	KT_ASSERT(ipc_fastpath ? fast >= 190 : fast == 0);
	release(h);
	server_stop(&s);
}

/** The server takes the call at once (the fast path hands it over) but
 *  answers late: the caller's wait times out in both modes, the call stays
 *  in flight and its answer arrives in the box. */
KTEST(ipc_call_wait_times_out_after_a_hand_off)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "slow", false), EOK);
	s.combined = true;
	cap_handle_t h = connect(&s, 0);
	s.delay_ns = 60 * MS;
	ipc_data_t d = {.method = M_ECHO, .args = {2}};
	ipc_event_t ev;
	for (unsigned flags = 0; flags <= IPC_CALL_WAIT_ANY; flags++) {
		KT_ASSERT_EQ(
		    ipc_call_wait(h, &d, 10 + flags, 10 * MS, flags, &ev), ETIMEOUT);
		KT_ASSERT_EQ(next_answer(&ev), EOK);
		KT_ASSERT_EQ(ev.label, 10 + flags);
		KT_ASSERT_EQ(ev.args[0], 20);
	}
	release(h);
	server_stop(&s);
}

KTEST(ipc_call_wait_any_returns_an_earlier_event_first)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "anyq", true), EOK);
	cap_handle_t h = connect(&s, 0);
	ipc_poke(); /* queued in our box before the call */
	ipc_data_t d = {.method = M_ECHO, .args = {5}};
	ipc_event_t ev;
	KT_ASSERT_EQ(ipc_call_wait(h, &d, 8, 0, IPC_CALL_WAIT_ANY, &ev), EOK);
	KT_ASSERT_EQ(ev.kind, IPC_EVENT_POKE);
	semaphore_up(&s.go);
	KT_ASSERT_EQ(next_answer(&ev), EOK); /* the answer comes as an ordinary one */
	KT_ASSERT_EQ(ev.label, 8);
	KT_ASSERT_EQ(ev.args[0], 50);
	release(h);
	server_stop(&s);
}

KTEST(ipc_call_wait_rejects_unknown_flags_and_sends_nothing)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "flags", false), EOK);
	cap_handle_t h = connect(&s, 0);
	int before = s.requests;
	ipc_data_t d = {.method = M_ECHO};
	ipc_event_t ev;
	KT_ASSERT_EQ(ipc_call_wait(h, &d, 9, 0, 0x2, &ev), EINVAL);
	KT_ASSERT_EQ(ipc_wait(20 * MS, 0, &ev), ETIMEOUT);
	KT_ASSERT_EQ(s.requests, before);
	release(h);
	server_stop(&s);
}

static server_t doomed;

static void kill_doomed_later(void *arg)
{
	thread_sleep(20 * MS);
	task_exit_t how = {.how = TASK_EXIT_KILLED};
	task_kill(doomed.task, &how);
}

KTEST(ipc_call_wait_sees_ehangup_when_the_server_dies)
{
	KT_ASSERT_EQ(server_start(&doomed, "doomed2", true), EOK);
	cap_handle_t h = connect(&doomed, 0);
	thread_t *killer;
	KT_ASSERT_EQ(
	    thread_create(NULL, kill_doomed_later, NULL, "killer", &killer), EOK);
	thread_start(killer);
	ipc_data_t d = {.method = M_ECHO};
	ipc_event_t ev;
	KT_ASSERT_EQ(ipc_call_wait(h, &d, 5, 2000 * MS, 0, &ev), EOK);
	KT_ASSERT_EQ(ev.imethod, EHANGUP);
	KT_ASSERT_EQ(ev.label, 5);
	thread_join(killer);
	release(h);
	server_stop(&doomed);
}

/*
 * A server answering on the fast path (combined answer-and-wait, the answer
 * handed straight to its caller on this CPU) while a second client on
 * another CPU calls it through the general path. The second call may land
 * in the box after the server last looked and before it sleeps: the server
 * must see it then (await_event re-checks under the box lock), else it
 * sleeps with the call queued and the second client waits forever. The
 * rounds are in lockstep, so a lost call is never rescued by the next one;
 * a round that does not end within CROSS_HANG_NS (a hang, not a slow host)
 * fails the test, and the server's death then frees the second client.
 */
#define CROSS_ROUNDS  4000
#define CROSS_HANG_NS (60 * 1000 * MS)

static struct {
	cap_handle_t h;
	volatile int go;      /* the round the second client may start */
	volatile bool stop;   /* no more rounds */
	volatile int wrong;   /* answers that were not the echo */
	cpu_t *client_cpu;    /* where the first client and the server run */
	semaphore_t finished; /* one up() per round it finished */
} cross;

static void cross_cpu_caller(void *arg)
{
	for (int i = 1; i <= CROSS_ROUNDS; i++) {
		while (__atomic_load_n(&cross.go, __ATOMIC_ACQUIRE) < i && !cross.stop) {
			if (THREAD->cpu == cross.client_cpu)
				thread_yield(); /* one CPU: let the client run */
			else
				cpu_relax();
		}
		if (cross.stop)
			return;
		/* Land at a different point of the server's answer each round. */
		for (volatile int k = 0; k < (i * 37) % 700; k++)
			;
		ipc_data_t d = {.method = M_ECHO, .args = {(sysarg_t) i}};
		ipc_event_t ev;
		errno_t rc = ipc_call_wait(cross.h, &d, 2, 0, 0, &ev);
		if (rc != EOK || ev.imethod != EOK || ev.args[0] != (sysarg_t) i * 10)
			cross.wrong++;
		semaphore_up(&cross.finished);
	}
}

KTEST(ipc_fast_answer_wait_sees_a_call_from_another_cpu)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "xcpu", false), EOK);
	s.combined = true;
	cap_handle_t h = connect(&s, 0);
	memset(&cross, 0, sizeof(cross));
	semaphore_init(&cross.finished, 0);
	cross.h = connect(&s, 0);
	cross.client_cpu = CPU;
	thread_t *t;
	KT_ASSERT_EQ(thread_create(NULL, cross_cpu_caller, NULL, "xcaller", &t), EOK);
	unsigned other = cpu_count > 1 && CPU->id == 0 ? 1 : 0;
	KT_ASSERT_EQ(thread_set_cpu(t, other), EOK);
	thread_start(t);
	errno_t rc = EOK;
	int rounds = 0;
	uint64_t fast_before = ipc_fastpath_taken();
	for (int i = 1; i <= CROSS_ROUNDS && rc == EOK; i++) {
		__atomic_store_n(&cross.go, i, __ATOMIC_RELEASE);
		ipc_data_t d = {.method = M_ECHO, .args = {3}};
		ipc_event_t ev;
		rc = ipc_call_wait(h, &d, 1, 0, 0, &ev);
		if (rc == EOK && (ev.imethod != EOK || ev.args[0] != 30))
			rc = EIO;
		if (rc == EOK)
			rc = semaphore_down(&cross.finished, CROSS_HANG_NS);
		rounds += rc == EOK;
	}
	cross.stop = true;
	server_stop(&s); /* a call still queued is answered EHANGUP */
	thread_join(t);
	release(h);
	release(cross.h);
	KT_ASSERT_EQ(rounds, CROSS_ROUNDS); /* how far it got, when it hangs */
	KT_ASSERT_EQ(rc, EOK);
	KT_ASSERT_EQ(cross.wrong, 0);
	/* The test's own calls took the fast path (when on). */
	KT_ASSERT(!ipc_fastpath || ipc_fastpath_taken() - fast_before >= CROSS_ROUNDS);
}

/** Waits (up to 2 s) until @a counter reaches @a n. */
static bool reaches(volatile int *counter, int n)
{
	for (int i = 0; i < 2000 && *counter < n; i++)
		thread_sleep(MS);
	return *counter >= n;
}

/** One echo round trip through @a h: its result (the answer's on EOK). */
static errno_t echo(cap_handle_t h)
{
	ipc_data_t d = {.method = M_ECHO, .args = {1}};
	ipc_event_t ev;
	errno_t rc = ipc_call_wait(h, &d, 0, 2000 * MS, 0, &ev);
	return rc == EOK ? (errno_t) ev.imethod : rc;
}

KTEST(cap_revoke_hangs_up_every_copy_and_nothing_else)
{
	server_t s, s2;
	KT_ASSERT_EQ(server_start(&s, "rv", false), EOK);
	KT_ASSERT_EQ(server_start(&s2, "rv2", false), EOK);
	cap_handle_t h = connect(&s, 0x33), to_s2 = connect(&s2, 0), d, d2;
	const cap_rights_t some = CAP_RIGHT_CALL | CAP_RIGHT_CLONE;
	KT_ASSERT_EQ(ipc_phone_derive(&kernel_task, h, some, &d), EOK);
	KT_ASSERT_EQ(ipc_phone_derive(&kernel_task, d, some, &d2), EOK);
	KT_ASSERT_EQ(echo(d), EOK);
	/* A copy of d in another task, by the usual means. */
	ipc_event_t ev;
	ipc_data_t clone = {.method = IPC_M_CONNECTION_CLONE, .args = {d}};
	KT_ASSERT_EQ(ipc_call(to_s2, &clone, 1), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	phone_t *copy = only_phone(s2.task);
	KT_ASSERT(copy != NULL && copy->state == PHONE_CONNECTED);
	KT_ASSERT_EQ(copy->rights, some); /* the copy has d's rights, no more */

	KT_ASSERT_EQ(ipc_phone_revoke(&kernel_task, h), EPERM); /* not derived */
	KT_ASSERT_EQ(ipc_phone_revoke(&kernel_task, to_s2), EPERM);
	KT_ASSERT_EQ(ipc_phone_revoke(&kernel_task, d2), EOK); /* below d only */
	KT_ASSERT_EQ(echo(d2), ENOENT);
	KT_ASSERT_EQ(echo(d), EOK);
	KT_ASSERT(copy->state == PHONE_CONNECTED);
	KT_ASSERT_EQ(ipc_phone_revoke(&kernel_task, d), EOK);
	KT_ASSERT_EQ(echo(d), ENOENT);
	KT_ASSERT(copy->state != PHONE_CONNECTED && copy->revoked);
	KT_ASSERT_EQ(echo(h), EOK);	   /* the handle derived from is untouched */
	KT_ASSERT(reaches(&s.hungups, 3)); /* d2, d and the copy hung up */
	KT_ASSERT_EQ(ipc_phone_revoke(&kernel_task, d), ENOENT);

	/* A new phone in d's slot is never reached through d. */
	cap_handle_t fresh = connect(&s, 0x44);
	KT_ASSERT(fresh != d && (fresh & 0xffffff) == (d & 0xffffff));
	KT_ASSERT_EQ(echo(d), ENOENT);
	KT_ASSERT_EQ(echo(fresh), EOK);
	release(fresh);
	release(h);
	release(to_s2);
	server_stop(&s2);
	server_stop(&s);
}

KTEST(cap_revoke_answers_calls_in_flight_with_ehangup)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "rvq", true), EOK); /* takes nothing yet */
	cap_handle_t h = connect(&s, 0), d;
	KT_ASSERT_EQ(ipc_phone_derive(&kernel_task, h, CAP_RIGHT_CALL, &d), EOK);
	ipc_data_t m = {.method = M_ECHO, .args = {2}};
	for (int i = 0; i < 3; i++)
		KT_ASSERT_EQ(ipc_call(d, &m, 10 + i), EOK);
	KT_ASSERT_EQ(ipc_call(h, &m, 20), EOK);
	KT_ASSERT_EQ(ipc_phone_revoke(&kernel_task, d), EOK);
	ipc_event_t ev;
	for (int i = 0; i < 3; i++) { /* at once, the server still held */
		KT_ASSERT_EQ(next_answer(&ev), EHANGUP);
		KT_ASSERT_EQ(ev.label, 10 + i);
	}
	semaphore_up(&s.go);
	KT_ASSERT_EQ(next_answer(&ev), EOK); /* the call through h is served */
	KT_ASSERT_EQ(ev.label, 20);
	KT_ASSERT_EQ(ev.args[0], 20);

	/* A call the server has already taken: its answer becomes EHANGUP,
	 * also on the fast path's answer (taken when the server's box is quiet:
	 * a second server thread takes the PHONE_HUNGUP of the revoke). */
	s.combined = true;
	s.delay_ns = 30 * MS;
	s.hold = false;
	thread_t *second;
	KT_ASSERT_EQ(thread_create(s.task, server_main, &s, "rvq2", &second), EOK);
	thread_detach(second);
	thread_start(second);
	int taken = s.requests;
	KT_ASSERT_EQ(ipc_phone_derive(&kernel_task, h, CAP_RIGHT_CALL, &d), EOK);
	KT_ASSERT_EQ(ipc_call(d, &m, 30), EOK);
	KT_ASSERT(reaches(&s.requests, taken + 1));
	KT_ASSERT_EQ(ipc_phone_revoke(&kernel_task, d), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EHANGUP);
	KT_ASSERT_EQ(ev.label, 30);
	KT_ASSERT_EQ(echo(h), EOK);
	release(h);
	server_stop(&s);
}

/** Collects the answers to the calls labelled 40..40+@a n through a copy
 *  revoked meanwhile: each is EOK (served first) or EHANGUP, none twice or
 *  lost. */
static bool revoked_calls_all_answered(int n)
{
	unsigned seen = 0;
	for (int i = 0; i < n; i++) {
		ipc_event_t ev;
		errno_t rc = next_answer(&ev);
		if ((rc != EOK && rc != EHANGUP) || ev.label < 40 ||
		    ev.label >= 40 + (sysarg_t) n)
			return false;
		unsigned bit = 1u << (ev.label - 40);
		if (seen & bit)
			return false;
		seen |= bit;
	}
	return true;
}

KTEST(cap_revoke_races_calls_served_on_another_cpu)
{
	enum { ROUNDS = 200, CALLS = 3 };
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "rvx", false), EOK);
	/* A second server thread on another CPU (the same one on one CPU):
	 * the revocation races calls taken and answered there. */
	thread_t *far;
	KT_ASSERT_EQ(thread_create(s.task, server_main, &s, "rvx2", &far), EOK);
	KT_ASSERT_EQ(thread_set_cpu(far, (THREAD->cpu->id + 1) % cpu_count), EOK);
	thread_detach(far);
	thread_start(far);
	cap_handle_t h = connect(&s, 0), d = CAP_NULL;
	ipc_data_t m = {.method = M_ECHO, .args = {3}};
	for (int r = 0; r < ROUNDS; r++) {
		KT_ASSERT_EQ(ipc_phone_derive(&kernel_task, h, CAP_RIGHT_CALL, &d), EOK);
		for (int i = 0; i < CALLS; i++)
			KT_ASSERT_EQ(ipc_call(d, &m, 40 + i), EOK);
		KT_ASSERT_EQ(ipc_phone_revoke(&kernel_task, d), EOK);
		KT_ASSERT(revoked_calls_all_answered(CALLS));
		KT_ASSERT(ipc_call(d, &m, 99) != EOK); /* stale: names nothing */
		KT_ASSERT_EQ(echo(h), EOK);	       /* the original works */
	}
	release(h);
	server_stop(&s);
}

/** A copy of phone @a h of @a from, as CONNECTION_CLONE makes one, in the
 *  kernel task's table with @a rights; CAP_NULL on failure. */
static cap_handle_t copy_to_kernel(task_t *from, cap_handle_t h, cap_rights_t rights)
{
	kobject_t *obj;
	if (cap_lookup(&from->caps, h, KOBJECT_PHONE, CAP_RIGHT_CLONE, &obj) != EOK)
		return CAP_NULL;
	phone_t *copy;
	errno_t rc = phone_copy_for_clone((phone_t *) obj, rights, &copy);
	kobject_put(obj);
	cap_handle_t out = CAP_NULL;
	if (rc == EOK &&
	    cap_alloc_rights(&kernel_task.caps, &copy->kobj, rights, 0, &out) != EOK)
		kobject_put(&copy->kobj);
	return out;
}

KTEST(cap_derived_phones_end_with_the_task_that_derived_them)
{
	server_t s, deriver;
	KT_ASSERT_EQ(server_start(&s, "rx", true), EOK); /* takes nothing yet */
	KT_ASSERT_EQ(server_start(&deriver, "deriver", false), EOK);
	size_t caps_before = cap_count(&kernel_task.caps);
	/* The deriver holds a phone to s, derives from it and passes a copy of
	 * the derived phone on (to us), and a copy of its original too. */
	cap_handle_t ht, dt;
	const cap_rights_t some = CAP_RIGHT_CALL | CAP_RIGHT_CLONE;
	KT_ASSERT_EQ(ipc_phone_connect_new(deriver.task, &s.task->box, 0, &ht), EOK);
	KT_ASSERT_EQ(ipc_phone_derive(deriver.task, ht, some, &dt), EOK);
	cap_handle_t via_derived = copy_to_kernel(deriver.task, dt, CAP_RIGHT_CALL);
	cap_handle_t via_original = copy_to_kernel(deriver.task, ht, CAP_RIGHTS_PHONE);
	KT_ASSERT(via_derived != CAP_NULL && via_original != CAP_NULL);
	ipc_data_t m = {.method = M_ECHO, .args = {2}};
	for (int i = 0; i < 2; i++) /* in flight: the server holds them */
		KT_ASSERT_EQ(ipc_call(via_derived, &m, 40 + i), EOK);
	KT_ASSERT_EQ(ipc_call(via_original, &m, 50), EOK);

	server_stop(&deriver);
	ipc_event_t ev;
	for (int i = 0; i < 2; i++) { /* answered at its death, s still held */
		KT_ASSERT_EQ(next_answer(&ev), EHANGUP);
		KT_ASSERT_EQ(ev.label, 40 + i);
	}
	KT_ASSERT_EQ(echo(via_derived), EHANGUP); /* no call goes through it */
	semaphore_up(&s.go);
	KT_ASSERT_EQ(next_answer(&ev), EOK); /* a copy of the original goes on */
	KT_ASSERT_EQ(ev.label, 50);
	KT_ASSERT_EQ(echo(via_original), EOK);
	/* ht, dt and the copy of dt hung up (not the copy of ht). */
	KT_ASSERT(reaches(&s.hungups, 3));
	release(via_derived);
	release(via_original);
	KT_ASSERT_EQ(cap_count(&kernel_task.caps), caps_before);
	server_stop(&s);
}

/** The kernel task's unanswered calls (QUOTA_CALLS use). */
static uint64_t calls_out(void)
{
	quota_info_t q;
	quota_get(&kernel_task, &q);
	return q.used[QUOTA_CALLS];
}

static uint64_t saved_calls_limit;

static void calls_limit_restore(void *arg)
{
	(void) arg;
	__atomic_store_n(
	    &kernel_task.quota[QUOTA_CALLS], saved_calls_limit, __ATOMIC_RELAXED);
}

KTEST(ipc_outstanding_calls_stop_at_the_task_quota)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "qc", true), EOK); /* takes nothing yet */
	cap_handle_t a = connect(&s, 0), b = connect(&s, 0);
	uint64_t used = calls_out();
	/* The limit is lowered here directly and put back when the test ends
	 * (the kernel task's own limits can only be lowered through quota_set). */
	saved_calls_limit = kernel_task.quota[QUOTA_CALLS];
	ktest_cleanup(calls_limit_restore, NULL);
	__atomic_store_n(&kernel_task.quota[QUOTA_CALLS], used + 3, __ATOMIC_RELAXED);
	ipc_data_t m = {.method = M_ECHO, .args = {1}};
	KT_ASSERT_EQ(ipc_call(a, &m, 1), EOK);
	KT_ASSERT_EQ(ipc_call(b, &m, 2), EOK);
	KT_ASSERT_EQ(ipc_call(a, &m, 3), EOK);
	KT_ASSERT_EQ(calls_out(), used + 3);
	/* Past the limit, on any phone: ELIMIT, nothing sent or counted. */
	KT_ASSERT_EQ(ipc_call(b, &m, 4), ELIMIT);
	KT_ASSERT_EQ(ipc_call(a, &m, 5), ELIMIT);
	KT_ASSERT_EQ(calls_out(), used + 3);
	semaphore_up(&s.go);
	ipc_event_t ev;
	for (sysarg_t label = 1; label <= 3; label++) {
		KT_ASSERT_EQ(next_answer(&ev), EOK);
		KT_ASSERT_EQ(ev.label, label);
	}
	KT_ASSERT_EQ(calls_out(), used); /* answered calls count no more */
	KT_ASSERT_EQ(ipc_call(b, &m, 6), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	KT_ASSERT_EQ(ev.label, 6);
	KT_ASSERT_EQ(s.requests, 4);
	release(a);
	release(b);
	server_stop(&s);
}

/** The rights of @a h in the kernel task's table (0 if none). */
static cap_rights_t rights_of(cap_handle_t h)
{
	kobject_t *obj;
	cap_rights_t rights = 0;
	unsigned flags;
	if (cap_query(&kernel_task.caps, h, &obj, &rights, &flags) == EOK)
		kobject_put(obj);
	return rights & CAP_RIGHTS_PHONE;
}

KTEST(cap_server_withholds_rights_when_it_accepts)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "wh", false), EOK);
	s.withhold = CAP_RIGHT_CLONE | CAP_RIGHT_FORWARD;
	cap_handle_t h = connect(&s, 0);
	ipc_data_t d = {.method = IPC_M_CONNECT_ME_TO};
	ipc_event_t ev;
	KT_ASSERT_EQ(ipc_call(h, &d, 1), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	cap_handle_t client = ev.args[4];
	KT_ASSERT_EQ(rights_of(client), CAP_RIGHT_CALL | CAP_RIGHT_HANGUP);
	KT_ASSERT_EQ(echo(client), EOK);
	cap_handle_t copy;
	KT_ASSERT_EQ(
	    ipc_phone_derive(&kernel_task, client, CAP_RIGHT_CALL, &copy), EPERM);
	release(client);
	/* Rights that are not a phone's: the connection fails, no phone. */
	uint64_t caps = cap_count(&kernel_task.caps);
	s.withhold = CAP_RIGHT_ANSWER;
	KT_ASSERT_EQ(ipc_call(h, &d, 1), EOK);
	KT_ASSERT_EQ(next_answer(&ev), EINVAL);
	KT_ASSERT_EQ(cap_count(&kernel_task.caps), caps);
	release(h);
	server_stop(&s);
}

/*
 * A call the fast path carries is the caller thread's spare call, set up
 * lazily (fastpath.c): it becomes an ordinary call when its receiver waits
 * again before answering, forwards it, answers it from another thread or
 * dies, or when its caller stops waiting. Each case must look exactly like
 * the general path's: the answer's values and label, the phone's count of
 * unanswered calls, and nothing left behind (capabilities, references,
 * objects). The tests run with the fast path on and off (ipcfast=off) and
 * on one and four CPUs; with it on they check that it carried the call.
 */

static struct {
	semaphore_t held;	    /* up() once the server holds the M_HOLD call */
	semaphore_t release;	    /* the holder waits here (a kill ends the wait) */
	semaphore_t done;	    /* the helper thread waits here before it ends */
	cap_handle_t h;		    /* the phone the helper calls through */
	volatile cap_handle_t cap;  /* the held call's capability */
	volatile errno_t rc;	    /* the helper's result */
	ipc_event_t ev;		    /* the helper's answer */
	volatile errno_t rewait_rc; /* the holder's timed wait while holding */
	volatile bool warmed;	    /* the helper has its warm-up's answer */
} held;

/** Unanswered calls of the kernel task's phone @a h. */
static size_t phone_calls(cap_handle_t h)
{
	kobject_t *obj;
	if (cap_lookup(&kernel_task.caps, h, KOBJECT_PHONE, 0, &obj) != EOK)
		return SIZE_MAX;
	size_t n = __atomic_load_n(&((phone_t *) obj)->active_calls, __ATOMIC_RELAXED);
	kobject_put(obj);
	return n;
}

/** What a round trip must leave as it found: slab objects, capabilities of
 *  the kernel task and of the server, references to both tasks. */
typedef struct {
	uint64_t objects;
	size_t kernel_caps, server_caps;
	uint64_t kernel_refs, server_refs;
} ipc_baseline_t;

static void baseline_take(ipc_baseline_t *b, task_t *server)
{
	kmem_reclaim_all();
	kmem_stats_t ks;
	kmem_get_stats(&ks);
	b->objects = ks.objects;
	b->kernel_caps = cap_count(&kernel_task.caps);
	b->server_caps = cap_count(&server->caps);
	b->kernel_refs = __atomic_load_n(&kernel_task.refcount, __ATOMIC_RELAXED);
	b->server_refs = __atomic_load_n(&server->refcount, __ATOMIC_RELAXED);
}

/** Whether the state is back at @a b within 2 s (the server may still be
 *  on its way back into its wait). */
static bool baseline_back(const ipc_baseline_t *b, task_t *server)
{
	for (int i = 0; i < 2000; i++) {
		ipc_baseline_t now;
		baseline_take(&now, server);
		if (memcmp(&now, b, sizeof(now)) == 0)
			return true;
		thread_sleep(MS);
	}
	return false;
}

/** One echo round trip through @a h on call-and-wait, checked: this
 *  thread's spare call is then ready for the fast path. */
static bool warm(cap_handle_t h)
{
	ipc_data_t d = {.method = M_ECHO, .args = {9}};
	ipc_event_t ev;
	return ipc_call_wait(h, &d, 0, 0, 0, &ev) == EOK && ev.imethod == EOK &&
	    ev.args[0] == 90;
}

/** Calls M_HOLD with @a arg and @a label and waits (up to @a timeout_ns);
 *  the answer's return value or the wait's error. */
static errno_t call_held(
    cap_handle_t h, sysarg_t arg, sysarg_t label, uint64_t timeout_ns, ipc_event_t *ev)
{
	ipc_data_t d = {.method = M_HOLD, .args = {arg}};
	errno_t rc = ipc_call_wait(h, &d, label, timeout_ns, 0, ev);
	return rc == EOK ? (errno_t) ev->imethod : rc;
}

/** A thread of the kernel task that warms its spare call, waits for the
 *  server to hold a call, then makes an echo call of its own (label 2,
 *  argument 2) and waits until told to end. */
static void second_caller(void *arg)
{
	(void) arg;
	held.rc = warm(held.h) ? EOK : EIO;
	held.warmed = true;
	if (held.rc == EOK && semaphore_down(&held.held, 0) == EOK) {
		ipc_data_t d = {.method = M_ECHO, .args = {2}};
		held.rc = ipc_call_wait(held.h, &d, 2, 0, 0, &held.ev);
	}
	semaphore_down(&held.done, 0);
}

static void held_reset(void)
{
	memset(&held, 0, sizeof(held));
	semaphore_init(&held.held, 0);
	semaphore_init(&held.release, 0);
	semaphore_init(&held.done, 0);
}

/** Holds the call, waits with a timeout (nothing comes), lets the second
 *  caller call, takes and answers its call, then answers the held one with
 *  answer-and-wait. */
static bool hold_and_wait_again(server_t *s, ipc_event_t *ev)
{
	ipc_event_t first = *ev, second;
	held.rewait_rc = ipc_wait(5 * MS, 0, &second);
	semaphore_up(&held.held);
	if (ipc_wait(0, 0, &second) != EOK)
		return false;
	ipc_data_t a;
	make_answer(s, &second, &a);
	if (ipc_answer(second.cap, &a) != EOK)
		return false;
	make_answer(s, &first, &a);
	return ipc_answer_wait(first.cap, &a, 0, 0, ev) == EOK;
}

/** A fast-path call stays unanswered while its receiver waits twice more
 *  (once timing out, once taking a second fast-path call) and answers the
 *  later call first: both callers get their own answers. */
KTEST(ipc_fast_call_held_while_its_receiver_waits_again)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "rewait", false), EOK);
	s.on_hold = hold_and_wait_again;
	s.combined = true;
	held_reset();
	cap_handle_t h = connect(&s, 0x51);
	held.h = h;
	thread_t *t;
	KT_ASSERT_EQ(thread_create(NULL, second_caller, NULL, "caller2", &t), EOK);
	KT_ASSERT_EQ(thread_set_cpu(t, THREAD->cpu->id), EOK);
	thread_start(t);
	KT_ASSERT(warm(h));
	/* The second caller's warm-up, to its answer: the baseline must not
	 * count the warm-up call's references while it is still on its way. */
	for (int i = 0; i < 2000 && !held.warmed; i++)
		thread_sleep(MS);
	KT_ASSERT_EQ(held.rc, EOK);
	KT_ASSERT_EQ(s.requests, 2);
	ipc_baseline_t b;
	baseline_take(&b, s.task);
	uint64_t fast_before = ipc_fastpath_taken();

	ipc_event_t ev;
	KT_ASSERT_EQ(call_held(h, 4, 1, 0, &ev), EOK);
	KT_ASSERT(baseline_back(&b, s.task)); /* the helper still lives */
	semaphore_up(&held.done);
	KT_ASSERT_EQ(thread_join(t), EOK);
	KT_ASSERT_EQ(ev.kind, IPC_EVENT_ANSWER);
	KT_ASSERT_EQ(ev.label, 1);
	KT_ASSERT_EQ(ev.args[0], 40);
	KT_ASSERT_EQ(held.rewait_rc, ETIMEOUT);
	KT_ASSERT_EQ(held.rc, EOK);
	KT_ASSERT_EQ(held.ev.label, 2);
	KT_ASSERT_EQ(held.ev.imethod, EOK);
	KT_ASSERT_EQ(held.ev.args[0], 20);
	KT_ASSERT_EQ(s.last_label, 0x51);
	/* Both calls went by the fast path (two calls, two answers). */
	KT_ASSERT(!ipc_fastpath || ipc_fastpath_taken() - fast_before >= 3);
	KT_ASSERT_EQ(phone_calls(h), 0);
	KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev), EAGAIN);
	release(h);
	server_stop(&s);
}

/** A fast-path call forwarded by its receiver (to a second server, with
 *  the arguments rewritten and routed from the first): the second server's
 *  answer reaches the caller with its label, nothing left behind. */
KTEST(ipc_fast_call_forwarded_by_its_receiver)
{
	server_t a, b;
	KT_ASSERT_EQ(server_start(&b, "fwdb", false), EOK);
	KT_ASSERT_EQ(server_start(&a, "fwda", false), EOK);
	KT_ASSERT_EQ(ipc_phone_connect_new(a.task, &b.task->box, 0x62, &a.next), EOK);
	cap_handle_t h = connect(&a, 0x61);
	for (unsigned mode = 0; mode < 2; mode++) {
		a.fwd_mode = IPC_FF_REWRITE | (mode ? IPC_FF_ROUTE_FROM_ME : 0);
		KT_ASSERT_EQ(echo(h), EOK); /* warms this thread's spare call */
		ipc_baseline_t base;
		baseline_take(&base, a.task);
		uint64_t fast_before = ipc_fastpath_taken();
		ipc_event_t ev;
		KT_ASSERT_EQ(call_held(h, 3, 7 + mode, 0, &ev), EOK);
		KT_ASSERT_EQ(ev.label, 7 + mode);
		KT_ASSERT_EQ(ev.args[0], 70); /* rewritten by a, answered by b */
		KT_ASSERT_EQ(b.last_sender, mode ? a.task->id : 0);
		KT_ASSERT_EQ(b.last_label, 0x62);
		KT_ASSERT(!ipc_fastpath || ipc_fastpath_taken() - fast_before >= 1);
		KT_ASSERT_EQ(phone_calls(h), 0);
		KT_ASSERT(baseline_back(&base, a.task));
	}
	release(h);
	server_stop(&a);
	server_stop(&b);
}

/** A fast-path call forwarded by its receiver to a second server that
 *  answers with answer-and-wait: the answer goes straight to the caller
 *  waiting for it (the fast path carries the call and the answer), and an
 *  EHANGUP answer still reaches the caller as EFORWARD (the general path
 *  takes that one). */
KTEST(ipc_fast_answer_of_a_forwarded_call_reaches_its_caller)
{
	server_t a, b;
	KT_ASSERT_EQ(server_start(&b, "fwdb", false), EOK);
	KT_ASSERT_EQ(server_start(&a, "fwda", false), EOK);
	b.combined = true;
	KT_ASSERT_EQ(ipc_phone_connect_new(a.task, &b.task->box, 0x72, &a.next), EOK);
	cap_handle_t h = connect(&a, 0x71);
	KT_ASSERT_EQ(echo(h), EOK); /* warms this thread's spare call */
	ipc_baseline_t base;
	baseline_take(&base, a.task);
	/* Routed from a (i >= 2), the call's sender is a: the answer still
	 * ends it with every reference to a and to us dropped. */
	for (unsigned i = 0; i < 4; i++) {
		a.fwd_mode = IPC_FF_REWRITE | (i >= 2 ? IPC_FF_ROUTE_FROM_ME : 0);
		b.answer_rc = i % 2 == 0 ? EOK : EHANGUP;
		uint64_t fast_before = ipc_fastpath_taken();
		ipc_event_t ev;
		KT_ASSERT_EQ(call_held(h, 3, 9 + i, 0, &ev), i % 2 == 0 ? EOK : EFORWARD);
		KT_ASSERT_EQ(ev.kind, IPC_EVENT_ANSWER);
		KT_ASSERT_EQ(ev.label, 9 + i);
		KT_ASSERT_EQ(
		    ev.args[0], i % 2 == 0 ? 70 : 0); /* rewritten by a, answered by b */
		KT_ASSERT_EQ(b.last_label, 0x72);
		KT_ASSERT_EQ(b.last_sender, i >= 2 ? a.task->id : 0);
		/* On: the call to a and b's answer; an EHANGUP answer not. */
		uint64_t fast = ipc_fastpath_taken() - fast_before;
		KT_ASSERT(!ipc_fastpath || fast >= (i % 2 == 0 ? 2 : 1));
		KT_ASSERT_EQ(phone_calls(h), 0);
	}
	KT_ASSERT(baseline_back(&base, a.task));
	release(h);
	server_stop(&a);
	server_stop(&b);
}

/** Holds the call for another thread of the task to answer, until told. */
static bool hold_for_another_thread(server_t *s, ipc_event_t *ev)
{
	(void) s;
	held.cap = ev->cap;
	semaphore_up(&held.held);
	semaphore_down(&held.release, 0);
	return false;
}

/** A second thread of the server's task: answers the held call. */
static void answer_held_here(void *arg)
{
	server_t *s = arg;
	if (semaphore_down(&held.held, 0) != EOK)
		return;
	ipc_data_t a = {.method = EOK, .args = {s->task->id, 55}};
	held.rc = ipc_answer(held.cap, &a);
	semaphore_up(&held.release);
}

/** Checks the end of a call that another thread of @a s's task answered
 *  (held.rc its answer's result) with (the task's id, @a tag): @a ev came
 *  with @a label, the fast path carried the call (when on, since
 *  @a fast_before), the phone @a h counts nothing, nothing else waits in
 *  our box, and both tasks hold the capabilities of @a base (the answering
 *  thread is gone). */
static void answered_elsewhere_check(const server_t *s, const ipc_baseline_t *base,
    cap_handle_t h, const ipc_event_t *ev, sysarg_t label, sysarg_t tag,
    uint64_t fast_before)
{
	KT_ASSERT_EQ(held.rc, EOK);
	KT_ASSERT_EQ(ev->label, label);
	KT_ASSERT_EQ(ev->args[0], s->task->id);
	KT_ASSERT_EQ(ev->args[1], tag);
	KT_ASSERT(!ipc_fastpath || ipc_fastpath_taken() - fast_before >= 1);
	KT_ASSERT_EQ(phone_calls(h), 0);
	ipc_event_t more;
	KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &more), EAGAIN);
	KT_ASSERT_EQ(cap_count(&s->task->caps), base->server_caps);
	KT_ASSERT_EQ(cap_count(&kernel_task.caps), base->kernel_caps);
}

/** A fast-path call answered by another thread of its receiver's task (on
 *  another CPU when there is one) while the receiver blocks elsewhere. */
KTEST(ipc_fast_call_answered_by_another_thread)
{
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "other", false), EOK);
	s.on_hold = hold_for_another_thread;
	held_reset();
	cap_handle_t h = connect(&s, 0);
	KT_ASSERT(warm(h));
	thread_t *t;
	KT_ASSERT_EQ(thread_create(s.task, answer_held_here, &s, "answerer", &t), EOK);
	KT_ASSERT_EQ(thread_set_cpu(t, (THREAD->cpu->id + 1) % cpu_count), EOK);
	thread_start(t);
	ipc_baseline_t base;
	baseline_take(&base, s.task);
	uint64_t fast_before = ipc_fastpath_taken();
	ipc_event_t ev;
	KT_ASSERT_EQ(call_held(h, 1, 0x71, 0, &ev), EOK);
	KT_ASSERT_EQ(thread_join(t), EOK);
	answered_elsewhere_check(&s, &base, h, &ev, 0x71, 55, fast_before);
	KT_ASSERT_EQ(echo(h), EOK);
	release(h);
	server_stop(&s);
}

static thread_t *held_holder; /* the server thread that held the call */

/** Holds the call for another thread of the task and ends. */
static bool hold_and_exit(server_t *s, ipc_event_t *ev)
{
	(void) s;
	held.cap = ev->cap;
	semaphore_up(&held.held);
	thread_exit();
}

/** A second thread of the server's task: once the holder has ended,
 *  answers the call it held. */
static void answer_after_the_holder(void *arg)
{
	server_t *s = arg;
	if (semaphore_down(&held.held, 0) != EOK)
		return;
	held.rc = thread_join(held_holder);
	ipc_data_t a = {.method = EOK, .args = {s->task->id, 66}};
	if (held.rc == EOK)
		held.rc = ipc_answer(held.cap, &a);
}

/** A fast-path call whose receiving thread ends holding it, its task alive:
 *  the handle stays valid for the task's other threads, and the answer
 *  reaches the caller with its label; nothing is left behind. */
KTEST(ipc_fast_call_outlives_its_receiving_thread)
{
	static server_t s;
	KT_ASSERT_EQ(server_start_thread(&s, "ends", false, &held_holder), EOK);
	s.on_hold = hold_and_exit;
	held_reset();
	cap_handle_t h = connect(&s, 0);
	KT_ASSERT(warm(h));
	thread_t *t;
	KT_ASSERT_EQ(
	    thread_create(s.task, answer_after_the_holder, &s, "answerer2", &t), EOK);
	thread_start(t);
	ipc_baseline_t base;
	baseline_take(&base, s.task);
	uint64_t fast_before = ipc_fastpath_taken();
	ipc_event_t ev;
	/* Bounded, so that an answer never given fails the test, not the run. */
	KT_ASSERT_EQ(call_held(h, 1, 0x91, 10000 * MS, &ev), EOK);
	KT_ASSERT_EQ(thread_join(t), EOK);
	answered_elsewhere_check(&s, &base, h, &ev, 0x91, 66, fast_before);
	release(h);
	server_stop(&s);
}

/** Starts server @a s called @a name, connects to it and warms this
 *  thread's spare call through it; the state then into @a base. The
 *  phone's handle, CAP_NULL if any step failed. */
static cap_handle_t warm_server(server_t *s, const char *name, ipc_baseline_t *base)
{
	if (server_start(s, name, false) != EOK)
		return CAP_NULL;
	cap_handle_t h = connect(s, 0);
	if (h == CAP_NULL || !warm(h))
		return CAP_NULL;
	baseline_take(base, s->task);
	return h;
}

static struct {
	volatile errno_t other_gen, first, again, again_wait;
} misanswer;

/** Answers the call through a handle of another generation (refused, the
 *  call stays), then for real, then twice more (refused: stale); continues
 *  with its next wait. */
static bool answer_badly_then_well(server_t *s, ipc_event_t *ev)
{
	cap_handle_t h = ev->cap;
	cap_handle_t other = h + ((cap_handle_t) 1 << CAP_SLOT_BITS);
	ipc_data_t a = {.method = EOK, .args = {ev->args[0] * 10}};
	ipc_event_t next;
	misanswer.other_gen = ipc_answer_wait(other, &a, MS, 0, &next);
	misanswer.first = ipc_answer(h, &a);
	misanswer.again = ipc_answer(h, &a);
	misanswer.again_wait = ipc_answer_wait(h, &a, MS, 0, &next);
	(void) s;
	return false;
}

/** A fast-path call answered through a wrong or stale handle: ENOENT each
 *  time, the call answered exactly once (by its real handle), the fast
 *  path's entry declining to the general path's error codes. */
KTEST(ipc_fast_call_answered_through_a_bad_handle_is_refused)
{
	server_t s;
	ipc_baseline_t base;
	cap_handle_t h = warm_server(&s, "bad", &base);
	KT_ASSERT(h != CAP_NULL);
	s.on_hold = answer_badly_then_well;
	uint64_t fast_before = ipc_fastpath_taken();
	ipc_event_t ev;
	KT_ASSERT_EQ(call_held(h, 4, 0xa1, 10000 * MS, &ev), EOK);
	KT_ASSERT_EQ(ev.label, 0xa1);
	KT_ASSERT_EQ(ev.args[0], 40);
	KT_ASSERT(!ipc_fastpath || ipc_fastpath_taken() - fast_before >= 1);
	KT_ASSERT(baseline_back(&base, s.task));
	KT_ASSERT_EQ(misanswer.other_gen, ENOENT);
	KT_ASSERT_EQ(misanswer.first, EOK);
	KT_ASSERT_EQ(misanswer.again, ENOENT);
	KT_ASSERT_EQ(misanswer.again_wait, ENOENT);
	KT_ASSERT_EQ(phone_calls(h), 0);
	KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev), EAGAIN);
	release(h);
	server_stop(&s);
}

/** Holds the call and blocks until killed. */
static bool hold_until_killed(server_t *s, ipc_event_t *ev)
{
	(void) s;
	(void) ev;
	semaphore_up(&held.held);
	semaphore_down(&held.release, 0); /* ends with the kill (EINTR) */
	return false;
}

static server_t *held_victim;

static void kill_when_held(void *arg)
{
	(void) arg;
	if (semaphore_down(&held.held, 0) != EOK)
		return;
	task_exit_t how = {.how = TASK_EXIT_KILLED};
	task_kill(held_victim->task, &how);
}

/** A fast-path call whose receiver dies holding it: the caller gets
 *  EHANGUP with its label, the phone counts nothing, and further calls
 *  see the slammed phone. */
KTEST(ipc_fast_call_gets_ehangup_when_its_receiver_dies)
{
	static server_t s;
	KT_ASSERT_EQ(server_start(&s, "dies", false), EOK);
	s.on_hold = hold_until_killed;
	held_reset();
	held_victim = &s;
	cap_handle_t h = connect(&s, 0);
	KT_ASSERT(warm(h));
	size_t caps = cap_count(&kernel_task.caps);
	thread_t *killer;
	KT_ASSERT_EQ(thread_create(NULL, kill_when_held, NULL, "killer2", &killer), EOK);
	thread_start(killer);
	uint64_t fast_before = ipc_fastpath_taken();
	ipc_event_t ev;
	/* Bounded, so that an answer never given fails the test, not the run. */
	KT_ASSERT_EQ(call_held(h, 1, 0x81, 10000 * MS, &ev), EHANGUP);
	KT_ASSERT_EQ(ev.label, 0x81);
	KT_ASSERT(!ipc_fastpath || ipc_fastpath_taken() - fast_before >= 1);
	KT_ASSERT_EQ(thread_join(killer), EOK);
	KT_ASSERT_EQ(phone_calls(h), 0);
	KT_ASSERT_EQ(echo(h), EHANGUP);
	KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev), EAGAIN);
	KT_ASSERT_EQ(cap_count(&kernel_task.caps), caps);
	release(h);
	server_stop(&s);
}

/** Fast-path calls whose caller's timeout comes around the time of the
 *  answer (the server's delay steps across it): each call ends exactly
 *  once, answered in its wait or, after ETIMEOUT, in the box with its
 *  label; nothing is left behind. */
KTEST(ipc_fast_call_timeout_races_its_answer)
{
	enum { ROUNDS = 24 };
	server_t s;
	KT_ASSERT_EQ(server_start(&s, "race", false), EOK);
	s.combined = true;
	cap_handle_t h = connect(&s, 0);
	KT_ASSERT(warm(h));
	ipc_baseline_t base;
	baseline_take(&base, s.task);
	uint64_t fast_before = ipc_fastpath_taken();
	for (int i = 0; i < ROUNDS; i++) {
		s.delay_ns = (uint64_t) i * MS / 4; /* 0 to 5.75 ms */
		ipc_data_t d = {.method = M_ECHO, .args = {(sysarg_t) i}};
		ipc_event_t ev;
		errno_t rc = ipc_call_wait(h, &d, 100 + i, 3 * MS, 0, &ev);
		KT_ASSERT(rc == EOK || rc == ETIMEOUT);
		if (rc == ETIMEOUT) /* then the answer comes to the box */
			KT_ASSERT_EQ(next_answer(&ev), EOK);
		KT_ASSERT_EQ(ev.kind, IPC_EVENT_ANSWER);
		KT_ASSERT_EQ(ev.label, 100 + i);
		KT_ASSERT_EQ(ev.args[0], (sysarg_t) i * 10);
		KT_ASSERT_EQ(ipc_wait(0, IPC_WAIT_NONBLOCKING, &ev), EAGAIN);
	}
	KT_ASSERT(!ipc_fastpath || ipc_fastpath_taken() - fast_before >= ROUNDS);
	KT_ASSERT_EQ(phone_calls(h), 0);
	KT_ASSERT(baseline_back(&base, s.task));
	release(h);
	server_stop(&s);
}

/*
 * The fast forward (ipc/fastforward.c): a forward to a box where a thread of
 * this CPU waits with nothing queued goes straight into that thread's event;
 * anything else is the general path's queueing. Either way the caller gets
 * the final server's answer with its own label, the final server sees the
 * forwarding phone's label and the sender the mode says, and nothing is left
 * behind. With ipcfast=off (kernel-ipc-no-fastpath) none is taken.
 */

/** Starts middleman @a a forwarding to @a b (label @a label on a's phone),
 *  both serving on this CPU, and connects *@a h to a with @a label + 1;
 *  b is held when @a hold_b, else one round trip warms this thread's spare
 *  call. */
static errno_t middleman_start(
    server_t *a, server_t *b, sysarg_t label, bool hold_b, cap_handle_t *h)
{
	errno_t rc = server_start(b, "ffb", hold_b);
	if (rc == EOK)
		rc = server_start(a, "ffa", false);
	if (rc == EOK)
		rc = ipc_phone_connect_new(a->task, &b->task->box, label, &a->next);
	*h = rc == EOK ? connect(a, label + 1) : CAP_NULL;
	if (rc == EOK && !hold_b && !warm(*h))
		rc = EIO;
	return rc;
}

/** Ends a test of middleman_start's pair: phone @a h released, both gone. */
static void middleman_stop(server_t *a, server_t *b, cap_handle_t h)
{
	release(h);
	server_stop(a);
	server_stop(b);
}

/** Calls M_ECHO (argument 1) through @a h with @a label and waits for its
 *  answer; @a taken gets how many forwards the fast forward carried. */
static errno_t echo_forwarded(
    cap_handle_t h, sysarg_t label, ipc_event_t *ev, uint64_t *taken)
{
	uint64_t before = ipc_fastforward_taken();
	ipc_data_t d = {.method = M_ECHO, .args = {1}};
	errno_t rc = ipc_call_wait(h, &d, label, 0, 0, ev);
	*taken = ipc_fastforward_taken() - before;
	return rc == EOK ? (errno_t) ev->imethod : rc;
}

KTEST(ipc_fast_forward_goes_straight_to_a_waiting_server)
{
	server_t a, b;
	cap_handle_t h;
	KT_ASSERT_EQ(middleman_start(&a, &b, 0x82, false, &h), EOK);
	ipc_baseline_t base;
	baseline_take(&base, b.task);
	for (unsigned mode = 0; mode < 2; mode++) {
		a.fwd_mode = mode ? IPC_FF_ROUTE_FROM_ME : 0;
		ipc_event_t ev;
		uint64_t taken;
		KT_ASSERT_EQ(echo_forwarded(h, 5 + mode, &ev, &taken), EOK);
		KT_ASSERT_EQ(ev.label, 5 + mode);
		KT_ASSERT_EQ(ev.args[0], 10); /* not rewritten: b answered our 1 */
		KT_ASSERT_EQ(b.last_label, 0x82);
		KT_ASSERT_EQ(b.last_sender, mode ? a.task->id : 0);
		KT_ASSERT(ipc_fastpath ? taken == 1 : taken == 0);
		KT_ASSERT_EQ(phone_calls(h), 0);
	}
	KT_ASSERT_EQ(a.task->ipc_stats.forwards, 3);
	KT_ASSERT(baseline_back(&base, b.task));
	middleman_stop(&a, &b, h);
}

KTEST(ipc_fast_forward_falls_back_when_no_thread_waits)
{
	server_t a, b;
	cap_handle_t h;
	KT_ASSERT_EQ(middleman_start(&a, &b, 0x92, true, &h), EOK);
	uint64_t before = ipc_fastforward_taken();
	ipc_data_t d = {.method = M_ECHO, .args = {2}};
	KT_ASSERT_EQ(ipc_call(h, &d, 7), EOK);
	for (int i = 0; i < 2000 && a.task->ipc_stats.forwards == 0; i++)
		thread_sleep(MS);
	KT_ASSERT_EQ(a.task->ipc_stats.forwards, 1); /* queued at b, held */
	KT_ASSERT_EQ(ipc_fastforward_taken(), before);
	semaphore_up(&b.go);
	ipc_event_t ev;
	KT_ASSERT_EQ(next_answer(&ev), EOK);
	KT_ASSERT_EQ(ev.label, 7);
	KT_ASSERT_EQ(ev.args[0], 20);
	KT_ASSERT_EQ(b.last_label, 0x92);
	middleman_stop(&a, &b, h);
}

KTEST(ipc_fast_forward_falls_back_with_the_log_on)
{
	server_t a, b;
	cap_handle_t h;
	KT_ASSERT_EQ(middleman_start(&a, &b, 0xa2, false, &h), EOK);
	ktest_cleanup(ipclog_reset, NULL);
	KT_ASSERT_EQ(ipclog_enable(true), EOK);
	ipc_event_t ev;
	uint64_t taken;
	KT_ASSERT_EQ(echo_forwarded(h, 8, &ev, &taken), EOK);
	KT_ASSERT_EQ(ev.label, 8);
	KT_ASSERT_EQ(b.last_label, 0xa2);
	KT_ASSERT_EQ(taken, 0);
	middleman_stop(&a, &b, h);
}

/** Hangs up phone @a h of @a task as if the task did. */
static void hangup_in(task_t *task, cap_handle_t h)
{
	kobject_t *obj;
	if (cap_lookup(&task->caps, h, KOBJECT_PHONE, 0, &obj) == EOK) {
		phone_hangup((phone_t *) obj, task);
		kobject_put(obj);
	}
}

KTEST(ipc_fast_forward_falls_back_to_a_hung_up_phone_or_a_dead_server)
{
	server_t a, b;
	cap_handle_t h;
	KT_ASSERT_EQ(middleman_start(&a, &b, 0xb2, false, &h), EOK);
	ipc_event_t ev;
	uint64_t taken;
	hangup_in(a.task, a.next);
	KT_ASSERT_EQ(echo_forwarded(h, 9, &ev, &taken), EFORWARD);
	KT_ASSERT_EQ(ev.label, 9);
	KT_ASSERT_EQ(taken, 0);
	KT_ASSERT_EQ(ipc_phone_connect_new(a.task, &b.task->box, 0xb3, &a.next), EOK);
	KT_ASSERT_EQ(echo_forwarded(h, 10, &ev, &taken), EOK);
	KT_ASSERT_EQ(b.last_label, 0xb3);
	server_stop(&b);
	KT_ASSERT_EQ(echo_forwarded(h, 11, &ev, &taken), EFORWARD);
	KT_ASSERT_EQ(ev.label, 11);
	KT_ASSERT_EQ(taken, 0);
	KT_ASSERT_EQ(phone_calls(h), 0);
	release(h);
	server_stop(&a);
}

/** How many threads sleep on @a box for its next event. */
static size_t box_sleepers(answerbox_t *box)
{
	spinlock_lock(&box->wq.lock);
	size_t n = list_count(&box->wq.sleepers);
	spinlock_unlock(&box->wq.lock);
	return n;
}

/* What queue_then_forward saw. */
static struct {
	errno_t call_rc, fwd_rc;
	uint64_t taken;
} ffq;

/** Middleman @a s, holding request @a ev: queues a call of its own at its
 *  next server (which wakes one of that server's threads, left to run
 *  later) and forwards @a ev there at once. */
static bool queue_then_forward(server_t *s, ipc_event_t *ev)
{
	ipc_data_t d = {.method = M_ECHO, .args = {3}};
	bool ints = irq_save(); /* no tick between the two */
	ffq.call_rc = ipc_call(s->next, &d, 12);
	uint64_t before = ipc_fastforward_taken();
	ffq.fwd_rc = ipc_forward(ev->cap, s->next, NULL, 0);
	ffq.taken = ipc_fastforward_taken() - before;
	irq_restore(ints);
	return false;
}

/** A forward to a box with work queued while a thread still waits there
 *  (b's two threads wait; the middleman's own call wakes the first, which
 *  has not run yet when the forward comes): queued behind that work, as on
 *  the general path. */
KTEST(ipc_fast_forward_falls_back_behind_queued_work)
{
	server_t a, b;
	cap_handle_t h;
	KT_ASSERT_EQ(middleman_start(&a, &b, 0xc2, false, &h), EOK);
	thread_t *t2;
	KT_ASSERT_EQ(thread_create(b.task, server_main, &b, "ffb2", &t2), EOK);
	KT_ASSERT_EQ(thread_set_cpu(t2, THREAD->cpu->id), EOK);
	thread_detach(t2);
	thread_start(t2);
	a.on_hold = queue_then_forward;
	for (int i = 0; i < 2000 && box_sleepers(&b.task->box) < 2; i++)
		thread_sleep(MS);
	KT_ASSERT_EQ(box_sleepers(&b.task->box), 2);
	ipc_event_t ev;
	KT_ASSERT_EQ(call_held(h, 4, 13, 0, &ev), EOK);
	KT_ASSERT_EQ(ev.label, 13);
	KT_ASSERT_EQ(ev.args[0], 40);
	KT_ASSERT_EQ(ffq.call_rc, EOK);
	KT_ASSERT_EQ(ffq.fwd_rc, EOK);
	KT_ASSERT_EQ(ffq.taken, 0);
	KT_ASSERT_EQ(b.last_label, 0xc2);
	KT_ASSERT_EQ(phone_calls(h), 0);
	middleman_stop(&a, &b, h);
}
