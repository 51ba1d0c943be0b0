/*
 * Fibrils: stacks, the scheduler, runners and events.
 *
 * Stacks live in a region of fixed-size slots (STACK_REGION_BASE), each an
 * area below an unmapped guard page with a slot_top_t at its top that names
 * the fibril using it (seen in a memory dump; the free list links there).
 * main()'s fibril runs on the kernel's stack, outside the region. Slot areas are AS_AREA_NORESERVE:
 * demand-paged without committed memory, as a stack stays mostly untouched.
 *
 * A runner is a kernel thread that runs fibrils: the main thread and those
 * of fibril_spawn_runners(). Each has an idle context (a fibril that is
 * never on the ready queue) to which a fibril that blocks switches when
 * nothing else is ready. The idle context waits for IPC events in the kernel
 * with the earliest fibril deadline as its timeout, expires timeouts, and
 * hands events to the IPC handler (the async framework).
 *
 * Waking runners: a runner looks at the ready queue (under fibril_lock)
 * before it waits, and counts itself in `idle_runners` while it waits.
 * Whoever makes a fibril ready pokes the task (SYS_IPC_POKE) while there are
 * more idle runners than pokes pending. A poke wakes whichever runner waits
 * (or next waits), not a chosen one, so only the counts are kept: a runner
 * that receives a poke counts it off `pending_pokes` and looks at the queue.
 * So an idle runner never misses work, whoever took the poke. The first
 * fibril a runner's idle context makes ready while none is queued (the
 * connection fibril an incoming call wakes) is not queued at all: the idle
 * context switches straight into it (the runner's hand-off) and pokes
 * nobody.
 *
 * Request order: the calls of one connection must reach its fibril in the
 * order they were sent (a data write after the call it belongs to), but two
 * runners each taking one call from the box could hand them out the other
 * way round. The kernel numbers the requests as waits take them off the
 * task's box (abi/ipc.h, "Request numbers"), and they are routed (handed
 * to the IPC handler, which queues each on its connection) in that order:
 * `seq_next` is the number whose turn it is. A runner whose wait returns
 * the request whose turn it is (the usual case: one compare) routes it and
 * moves the count on; one that receives a later one parks it (PARKED_MAX
 * entries) and goes on with its work, and whoever moves the count to a
 * parked request routes that one too, on its own runner. A thread that
 * finds every entry taken sleeps (futex `room_word`) until one is freed or
 * the count moves on. Every idle runner waits in the kernel; while the
 * requests come in order nothing of this costs more than the compare.
 * Answers, notifications and pokes carry no number and go to the handler
 * at once. Requests taken by waits outside the runners (ipc_wait() and the
 * other waits of ipc.h, in any thread) are counted in their turn too
 * (ipc.c), and so is a REFUSED event (a request the kernel took but could
 * not hand over), so the count never waits for a number that will not
 * come; a thread that is no runner cannot route a parked request and asks
 * a runner to (parked_kick_locked()). With one runner the order of its
 * taking is the order, and the count just follows the numbers (a raw
 * SYS_IPC_WAIT of the program in some thread takes numbers unseen, and
 * that is fine there; so do ipc.h's waits then, without fibril_lock:
 * `__fibril_requests_ordered`, private/ipc.h). As the second runner is
 * about to start, the count is set from the kernel's (SYS_IPC_STATS);
 * from then on every wait for the task's box must go through libc: a
 * number a raw wait took would be waited for forever.
 *
 * Ready fibrils wait on the shared ready queue (under fibril_lock; any
 * runner takes from it), except those that yielded. Each runner keeps a
 * ring of its own: its current fibril (the idle context never) and the
 * fibrils that yielded on it, linked in the order they run next (the one
 * after the current runs when it yields). A fibril joins the ring of the
 * runner that switches into it (just before the fibril that would run
 * after the one it replaces), stays in it while it yields, and leaves it
 * when it blocks or ends. Only the runner's thread touches its ring and
 * its `current`, so a yield to the next fibril of the ring is a pointer
 * read and a switch, without fibril_lock (fibril_yield()); a yielded
 * fibril is resumed by that runner alone. While the idle context (or a
 * fibril waiting in place) runs, the ring is empty. A runner takes from
 * the shared queue first.
 *
 * The runner of the calling thread is named by its thread-local block
 * (private/tls.h): the main thread's from the start, a spawned runner's
 * from its first instruction; threads of thread_create() run no fibrils.
 *
 * Locking: fibril_lock (see private/fibril.h), held across every switch
 * but such a yield; slot_lock guards the free slots only (taken inside
 * fibril_lock or alone). Who holds the lock across a switch is told to the
 * resumed context by its runner's `switch_locked`.
 */
#include "private/fibril.h"
#include "private/ipc.h"
#include "private/libc.h"
#include "private/tls.h"
#include <as.h>
#include <common/arch/page.h>
#include <futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <time.h>

#define SLOT_SIZE	   FIBRIL_SLOT_SIZE
#define SLOT_GUARD	   PAGE_SIZE /* one unmapped page below each stack */
#define STACK_REGION_BASE  FIBRIL_STACK_REGION_BASE
#define STACK_REGION_SLOTS FIBRIL_STACK_REGION_SLOTS

typedef struct slot_top {
	fibril_t *fibril;
	struct slot_top *next_free;
} slot_top_t;

_Static_assert(sizeof(slot_top_t) == 16, "keeps the initial stack pointer aligned");
_Static_assert(offsetof(slot_top_t, fibril) == 0, "the slot's owner comes first");
_Static_assert(FIBRIL_STACK_SIZE <= SLOT_SIZE - SLOT_GUARD - sizeof(slot_top_t),
    "the stack fits its slot");

struct fibril_runner {
	/* The fibril running on this runner (its idle context included); in
	 * the ring unless idle or waiting in place. Its thread's alone; first,
	 * where fibril_self() reads it. */
	fibril_t *current;
	fibril_t *idle;
	fibril_t *zombie;  /* ended; its stack is freed once we left it */
	fibril_t *handoff; /* made ready by the idle context: runs next */
	fibril_ipc_answer_t later;
	/* The fibril doing its idle context's work in place (one runner:
	 * wait_in_place_locked()), or NULL. */
	fibril_t *in_place;
	/* Whether the last switch on this runner held fibril_lock (only a
	 * yield between two fibrils of the ring does not): the context that
	 * resumes releases it. */
	bool switch_locked;
	uint64_t affinity;  /* CPUs its thread is pinned to at start (0: any) */
	errno_t pin_rc;	    /* the pinning's result, valid once `started` */
	bool started;	    /* its thread has pinned itself (if it was to) */
	thread_local_t tls; /* a spawned runner's thread-local block */
};

_Static_assert(offsetof(fibril_runner_t, current) == 0, "fibril_self() reads it there");

void __fibril_switch(fibril_context_t *save, const fibril_context_t *load);
void __fibril_trampoline(void);
_Noreturn void __fibril_entry(fibril_t *f);

spinlock_t fibril_lock = SPINLOCK_INITIALIZER;
static list_t ready_queue = LIST_INITIALIZER(ready_queue);
static list_t timeouts = LIST_INITIALIZER(timeouts);
static unsigned idle_runners;	  /* runners waiting (or about to) in the kernel */
static unsigned pending_pokes;	  /* pokes sent and not yet received */
static unsigned runner_count = 1; /* the main thread and the spawned runners */
static uint64_t next_number = 2;
static fibril_ipc_handler_t ipc_handler;
static void (*local_dtor)(void *);

static spinlock_t slot_lock = SPINLOCK_INITIALIZER;
static slot_top_t *free_slots;
static uint64_t next_slot;

fibril_runner_t __fibril_main_runner = {
    .current = &__fibril_main,
};

fibril_t __fibril_main = {
    .state = FIBRIL_RUNNING,
    .runner = &__fibril_main_runner,
    .link = {&__fibril_main.link, &__fibril_main.link},
    .ring_next = &__fibril_main,
    .ring_prev = &__fibril_main,
    .in_ring = true,
    .timeout = {.link = {&__fibril_main.timeout.link, &__fibril_main.timeout.link}},
    .number = 1,
};

static slot_top_t *slot_top(uintptr_t base)
{
	return (slot_top_t *) (base + SLOT_SIZE) - 1;
}

/** A stack slot: a free one, or a new area at the next unused slot (one the
 *  kernel placed something at is skipped). 0 when out of memory. */
static uintptr_t slot_alloc(void)
{
	spinlock_lock(&slot_lock);
	slot_top_t *top = free_slots;
	if (top != NULL)
		free_slots = top->next_free;
	spinlock_unlock(&slot_lock);
	if (top != NULL)
		return (uintptr_t) (top + 1) - SLOT_SIZE;
	for (;;) {
		spinlock_lock(&slot_lock);
		uint64_t i = next_slot++;
		spinlock_unlock(&slot_lock);
		if (i >= STACK_REGION_SLOTS)
			return 0;
		uintptr_t base = STACK_REGION_BASE + i * SLOT_SIZE;
		uintptr_t area = base + SLOT_GUARD;
		errno_t rc = as_area_create(&area, SLOT_SIZE - SLOT_GUARD,
		    AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE | AS_AREA_NORESERVE);
		if (rc == EOK)
			return base;
		if (rc != EEXIST)
			return 0;
	}
}

/** Keeps slot @a base mapped for the next fibril. */
static void slot_free(uintptr_t base)
{
	slot_top_t *top = slot_top(base);
	top->fibril = NULL;
	spinlock_lock(&slot_lock);
	top->next_free = free_slots;
	free_slots = top;
	spinlock_unlock(&slot_lock);
}

uint64_t fibril_deadline(uint64_t usec)
{
	uint64_t now = clock_ns();
	uint64_t ns = usec > (UINT64_MAX - now) / 1000 ? UINT64_MAX - now : usec * 1000;
	return now + ns;
}

/** A new fibril record with a stack whose context enters __fibril_entry. */
static fibril_t *fibril_alloc(fibril_fn_t fn, void *arg, bool idle)
{
	fibril_t *f = calloc(1, sizeof(*f));
	if (f == NULL)
		return NULL;
	f->stack = slot_alloc();
	if (f->stack == 0) {
		free(f);
		return NULL;
	}
	slot_top(f->stack)->fibril = f;
	link_initialize(&f->link);
	timeout_initialize(&f->timeout);
	f->ring_next = f;
	f->ring_prev = f;
	f->state = FIBRIL_NEW;
	f->fn = fn;
	f->arg = arg;
	f->idle = idle;
	f->number = __atomic_fetch_add(&next_number, 1, __ATOMIC_RELAXED);
	arch_fibril_context_init(
	    &f->ctx, __fibril_trampoline, (uintptr_t) slot_top(f->stack), f);
	return f;
}

/** Frees the stack of the fibril that ended on runner @a r (it is no
 *  longer running on it) and, if detached, its record. */
static __attribute__((noinline)) void zombie_free(fibril_runner_t *r)
{
	fibril_t *z = r->zombie;
	r->zombie = NULL;
	slot_free(z->stack);
	z->stack = 0;
	if (z->detached)
		free(z);
}

/** Finishes a switch in the context that resumed on runner @a r. */
static inline void after_switch(fibril_runner_t *r)
{
	if (__builtin_expect(r->zombie != NULL, 0))
		zombie_free(r);
}

/** Switches from @a cur to @a next on cur's runner, fibril_lock held. When
 *  @a cur resumes (on whichever runner resumed it) the lock is held again
 *  if that switch was a locked one too (`switch_locked`): always, unless
 *  @a cur stays in its runner's ring (see fibril_yield()). */
static void switch_to(fibril_t *cur, fibril_t *next)
{
	fibril_runner_t *r = cur->runner;
	next->runner = r;
	next->state = FIBRIL_RUNNING;
	r->current = next;
	r->switch_locked = true;
	__fibril_switch(&cur->ctx, &next->ctx);
	after_switch(cur->runner);
}

static inline __attribute__((always_inline)) fibril_t *list_pop(list_t *list)
{
	link_t *l = list_first(list);
	if (l == NULL)
		return NULL;
	list_remove(l);
	return list_get_instance(l, fibril_t, link);
}

/** The runner of the calling thread (a runner thread's only). */
static inline __attribute__((always_inline)) fibril_runner_t *runner_self(void)
{
	return fibril_runner_self();
}

/** Takes @a f out of its runner's ring; returns the fibril that was to run
 *  after it, NULL if it was alone. Its runner's thread only. */
static fibril_t *ring_leave(fibril_t *f)
{
	fibril_t *after = f->ring_next;
	f->in_ring = false;
	if (after == f)
		return NULL; /* alone (the usual case): it points to itself */
	after->ring_prev = f->ring_prev;
	f->ring_prev->ring_next = after;
	f->ring_next = f;
	f->ring_prev = f;
	return after;
}

/** Puts @a f, in no ring, into the ring of the runner about to run it, just
 *  before @a at (NULL: a ring of its own). Its runner's thread only. */
static void ring_enter_before(fibril_t *f, fibril_t *at)
{
	f->in_ring = true;
	if (at == NULL)
		return; /* points to itself already */
	f->ring_next = at;
	f->ring_prev = at->ring_prev;
	at->ring_prev->ring_next = f;
	at->ring_prev = f;
}

/** Whether the shared ready queue looks empty, read without fibril_lock
 *  (a fibril queued meanwhile waits for the next look, or another runner
 *  takes it). */
static bool ready_queue_seems_empty(void)
{
	return __atomic_load_n(&ready_queue.head.next, __ATOMIC_RELAXED) ==
	    &ready_queue.head;
}

static _Noreturn void fatal(const char *what)
{
	fprintf(stderr, "%s: fibril: %s\n", __progname, what);
	abort();
}

/** Runner @a r's idle context, made on first use for the main thread. */
static fibril_t *runner_idle(fibril_runner_t *r)
{
	if (r->idle == NULL) {
		r->idle = fibril_alloc(NULL, NULL, true);
		if (r->idle == NULL)
			fatal("out of memory for the idle context");
		r->idle->runner = r;
	}
	return r->idle;
}

/* Deferred answers the kernel refused (fibril_refused_answers()). */
static unsigned long refused_answers;

/** Notes the kernel's verdict @a rc on a deferred answer, whose answerer was
 *  told EOK when it was deferred and has moved on: a refusal is counted, not
 *  lost. */
static void deferred_answer_sent(errno_t rc)
{
	if (rc != EOK)
		__atomic_fetch_add(&refused_answers, 1, __ATOMIC_RELAXED);
}

/** Sends runner @a r's deferred answer now, if it has one. fibril_lock held
 *  (answering does not block). */
static void flush_answer_locked(fibril_runner_t *r)
{
	if (r->later.pending) {
		r->later.pending = false;
		deferred_answer_sent(ipc_answer(r->later.call, &r->later.answer));
	}
}

/* A runner's slot (`later`) is written by the fibrils running on it and
 * read and sent by the runner itself: all on the runner's own thread, so
 * without fibril_lock (a fibril's runner changes only at a switch). */
errno_t fibril_defer_answer_args(
    cap_handle_t call, sysarg_t method, const sysarg_t args[IPC_CALL_ARGS])
{
	fibril_runner_t *r = runner_self();
	if (r == NULL)
		return EBUSY; /* a thread that is no runner answers at once */
	if (r->later.pending)
		return r->later.call == call ? EINVAL : EBUSY;
	r->later.pending = true;
	r->later.call = call;
	r->later.answer.method = method;
	__builtin_memcpy(r->later.answer.args, args, sizeof(r->later.answer.args));
	return EOK;
}

errno_t fibril_defer_answer(cap_handle_t call, const ipc_payload_t *answer)
{
	return fibril_defer_answer_args(call, answer->method, answer->args);
}

unsigned long fibril_refused_answers(void)
{
	return __atomic_load_n(&refused_answers, __ATOMIC_RELAXED);
}

void fibril_flush_answer(void)
{
	fibril_runner_t *r = runner_self();
	if (r == NULL || !__atomic_load_n(&r->later.pending, __ATOMIC_RELAXED))
		return; /* only this runner sets it */
	spinlock_lock(&fibril_lock);
	flush_answer_locked(r);
	spinlock_unlock(&fibril_lock);
}

static void wait_in_place_locked(fibril_t *cur);

/** Runs the next ready fibril, or the idle context (or waits in place),
 *  instead of @a cur, which is no longer running (blocked, ready or ended).
 *  fibril_lock held. */
static void schedule_locked(fibril_t *cur)
{
	/* It leaves the ring; one from the shared queue takes its place, else
	 * the ring's next runs. */
	fibril_t *after = cur->in_ring ? ring_leave(cur) : NULL;
	fibril_t *next = list_pop(&ready_queue);
	if (next != NULL)
		ring_enter_before(next, after);
	else
		next = after;
	if (next == NULL && cur->state == FIBRIL_BLOCKED && runner_count == 1) {
		wait_in_place_locked(cur);
		return;
	}
	if (next == NULL)
		next = runner_idle(
		    cur->runner); /* which sends a deferred answer with its wait */
	else
		flush_answer_locked(cur->runner); /* other work first would delay it */
	switch_to(cur, next);
}

/* Inline: on the path of every wake-up (fibril_notify() and the others
 * through fibril_wake_locked()). */
static inline __attribute__((always_inline)) void make_ready_locked(fibril_t *f)
{
	f->state = FIBRIL_READY;
	/* A runner's idle context (handing out an event, or expiring
	 * timeouts) switches straight into the first fibril it makes ready
	 * when nothing else is ready: not queued, no other runner poked. */
	fibril_t *self = fibril_self();
	fibril_runner_t *r = self->runner;
	if ((self->idle || r->in_place == self) && r->handoff == NULL &&
	    list_empty(&ready_queue)) {
		r->handoff = f;
		return;
	}
	list_append(&f->link, &ready_queue);
	if (idle_runners > pending_pokes) {
		pending_pokes++;
		ipc_poke();
	}
}

/** fibril_block_locked(), inline for fibril_wait_until() (a connection
 *  fibril's wait for its next call: one frame fewer on every request). */
static inline __attribute__((always_inline)) errno_t block_locked(
    fibril_t *self, uint64_t deadline)
{
	self->state = FIBRIL_BLOCKED;
	self->timed_out = false;
	if (deadline != 0)
		timeout_insert(&timeouts, &self->timeout, deadline);
	fibril_runner_t *r = self->runner;
	/* The usual case of a runner among several (a connection fibril whose
	 * handler answered): alone in its ring, nothing queued, so straight
	 * back to the idle context, which sends the deferred answer with its
	 * wait (schedule_locked()'s choice, without its other cases). */
	if (runner_count > 1 && self->in_ring && self->ring_next == self &&
	    list_empty(&ready_queue) && r->idle != NULL) {
		self->in_ring = false;
		switch_to(self, r->idle);
	} else {
		schedule_locked(self);
	}
	return self->timed_out ? ETIMEOUT : EOK;
}

errno_t fibril_block_locked(fibril_t *self, uint64_t deadline)
{
	return block_locked(self, deadline);
}

/** fibril_wake_locked(), inline for fibril_notify(). */
static inline __attribute__((always_inline)) bool wake_locked(fibril_t *f)
{
	if (f->state != FIBRIL_BLOCKED)
		return false;
	timeout_cancel(&f->timeout);
	if (link_in_use(&f->link)) /* on a wait list (not an event's waiter) */
		list_remove(&f->link);
	make_ready_locked(f);
	return true;
}

bool fibril_wake_locked(fibril_t *f)
{
	return wake_locked(f);
}

static void expire_timeouts_locked(void)
{
	if (list_empty(&timeouts))
		return;
	uint64_t now = clock_ns();
	timeout_t *t;
	while ((t = timeout_first_expired(&timeouts, now)) != NULL) {
		fibril_t *f = list_get_instance(t, fibril_t, timeout);
		timeout_cancel(t);
		f->timed_out = true;
		fibril_wake_locked(f);
	}
}

/** Refuses every request when no IPC handler is installed. */
static void default_ipc_handler(ipc_event_t *ev, fibril_ipc_answer_t *later)
{
	if (ev->kind != IPC_EVENT_REQUEST)
		return;
	later->pending = true;
	later->call = ev->cap;
	later->answer = (ipc_payload_t){.method = (sysarg_t) ENOTSUP};
}

/** The timeout of a wait for IPC events: until the earliest fibril deadline
 *  (0: none). False if that has passed already. fibril_lock held. */
static bool wait_usec_locked(uint64_t *usec)
{
	uint64_t deadline;
	*usec = 0;
	if (timeout_next_deadline(&timeouts, &deadline)) {
		uint64_t now = clock_ns();
		if (deadline <= now)
			return false;
		*usec = (deadline - now + 999) / 1000;
	}
	return true;
}

/** Hands event @a ev to the IPC handler (with runner @a r's slot for a
 *  deferred answer). fibril_lock not held. */
static void run_ipc_handler(ipc_event_t *ev, fibril_runner_t *r)
{
	fibril_ipc_handler_t handler = __atomic_load_n(&ipc_handler, __ATOMIC_ACQUIRE);
	(handler != NULL ? handler : default_ipc_handler)(ev, &r->later);
}

/*
 * Request order (see the top). All under fibril_lock. A request waiting
 * for its turn is parked in one of PARKED_MAX entries; a thread that finds
 * them all taken sleeps on the futex `room_word` until one is freed or the
 * count moves on (it may hold the next number itself).
 */
#define PARKED_MAX 16

typedef struct {
	bool used;
	bool handled; /* for the IPC handler; else only its number counts */
	ipc_event_t ev;
} parked_t;

bool __fibril_requests_ordered; /* private/ipc.h */
static uint32_t seq_next;	/* the number of the next request in order */
static parked_t parked[PARKED_MAX];
static unsigned parked_count;
static unsigned room_sleepers;
static volatile uint32_t room_word; /* futex: bumped to wake them */

/** Whether request number @a seq is next in order (it then is the one in
 *  hand until the count moves past it). With one runner every one is: the
 *  requests for the handler are taken by that runner one at a time, and
 *  the count just follows. */
static inline __attribute__((always_inline)) bool seq_turn_locked(uint32_t seq)
{
	if (__builtin_expect(seq == seq_next, 1))
		return true;
	if (runner_count > 1)
		return false;
	seq_next = seq;
	return true;
}

/** Whether request number @a seq was taken before the count was set from
 *  the kernel's (seq_sync_locked()): by a wait outside the runners, before
 *  the second runner started. Routed without the count. */
static inline bool seq_stale_locked(uint32_t seq)
{
	return runner_count > 1 && (int32_t) (seq - seq_next) < 0;
}

/** Sets the count from the kernel's as the task's second runner is about to
 *  start: every request taken so far went to this runner (routed), or to a
 *  wait outside the runners (counted in its turn, or stale). Under the lock,
 *  so that such a wait's count waits for it. */
static void seq_sync_locked(void)
{
	ipc_stats_t stats;
	if (ipc_stats(0, &stats) == EOK)
		seq_next = (uint32_t) stats.requests_taken + 1;
}

/** The parked entry of request number @a seq, or NULL. */
static parked_t *parked_find_locked(uint32_t seq)
{
	for (unsigned i = 0; i < PARKED_MAX; i++) {
		if (parked[i].used && parked[i].ev.seq == seq)
			return &parked[i];
	}
	return NULL;
}

/** Parks request @a ev until its turn; an entry is free. */
static void park_locked(const ipc_event_t *ev, bool handled)
{
	for (unsigned i = 0; i < PARKED_MAX; i++) {
		if (!parked[i].used) {
			parked[i] = (parked_t){
			    .used = true, .handled = handled, .ev = *ev};
			parked_count++;
			return;
		}
	}
	fatal("no free entry to park a request in");
}

/** Wakes the threads waiting for a free entry (or for their turn). */
static void room_wake_locked(void)
{
	if (room_sleepers == 0)
		return;
	room_word++;
	DISCARD(woken, futex_wake(&room_word, room_sleepers));
}

/** Sleeps until room_wake_locked(). fibril_lock held on entry and return. */
static void room_sleep_locked(void)
{
	uint32_t seen = room_word;
	room_sleepers++;
	spinlock_unlock(&fibril_lock);
	DISCARD(woken, futex_wait(&room_word, seen, 0));
	spinlock_lock(&fibril_lock);
	room_sleepers--;
}

/** Asks a runner to route the parked request that is next: one waiting for
 *  a free entry, or an idle one (poked); a busy one looks when it next
 *  goes idle (runner_wait()). */
static void parked_kick_locked(void)
{
	room_wake_locked();
	if (idle_runners > pending_pokes) {
		pending_pokes++;
		ipc_poke();
	}
}

/** Routes the parked requests that are next in order, on runner @a r (NULL:
 *  a thread that is no runner, which counts off only those for no handler
 *  and leaves the next handled one to a runner). The handler runs without
 *  fibril_lock, on r's slot for a deferred answer: an answer an earlier
 *  handler left there is sent first. */
static __attribute__((noinline)) void parked_drain_locked(fibril_runner_t *r)
{
	parked_t *p;
	while ((p = parked_find_locked(seq_next)) != NULL) {
		if (p->handled && r == NULL) {
			parked_kick_locked();
			break;
		}
		ipc_event_t ev = p->ev;
		bool handled = p->handled;
		p->used = false;
		parked_count--;
		if (handled) {
			flush_answer_locked(r);
			spinlock_unlock(&fibril_lock);
			run_ipc_handler(&ev, r);
			spinlock_lock(&fibril_lock);
		}
		seq_next = ev.seq + 1;
	}
	room_wake_locked(); /* entries freed, or the count moved on */
}

/** The count moves past request number @a seq, just routed (or counted) on
 *  runner @a r (NULL: no runner's thread); the parked ones next in order
 *  follow. fibril_lock held. */
static inline __attribute__((always_inline)) void seq_done_locked(
    fibril_runner_t *r, uint32_t seq)
{
	seq_next = seq + 1;
	if (__builtin_expect(parked_count != 0, 0))
		parked_drain_locked(r);
}

/** Request @a ev (REQUEST or REFUSED), taken by runner @a r (NULL: by a
 *  thread that is no runner), in its turn: to the IPC handler (a REQUEST
 *  that @a r took), or only counted. Parked if it is not its turn yet; its
 *  turn comes once every request numbered before it was routed (the
 *  handler queued it on its connection), so the calls of one connection
 *  reach it in their order. fibril_lock held; released meanwhile. */
static __attribute__((noinline)) void request_route_locked(
    fibril_runner_t *r, ipc_event_t *ev)
{
	uint32_t seq = ev->seq;
	bool handled = r != NULL && ev->kind == IPC_EVENT_REQUEST;
	if (seq_stale_locked(seq)) {
		if (handled) {
			spinlock_unlock(&fibril_lock);
			run_ipc_handler(ev, r);
			spinlock_lock(&fibril_lock);
		}
		return;
	}
	while (!seq_turn_locked(seq)) {
		if (parked_count < PARKED_MAX) {
			park_locked(ev, handled);
			return;
		}
		if (r != NULL && parked_find_locked(seq_next) != NULL) {
			parked_drain_locked(r);
			continue;
		}
		if (r != NULL)
			flush_answer_locked(r); /* nobody sends it while we sleep */
		room_sleep_locked();
	}
	if (handled) {
		spinlock_unlock(&fibril_lock);
		run_ipc_handler(ev, r);
		spinlock_lock(&fibril_lock);
	}
	seq_done_locked(r, seq);
}

/** Hands event @a ev, which runner @a r's wait returned, to the IPC handler;
 *  a request only in its turn (request_route_locked()). Inline, with the
 *  usual case first: a request whose turn it is, or an event of no number.
 *  fibril_lock held; released while the handler runs. */
static inline __attribute__((always_inline)) void event_hand_out_locked(
    fibril_runner_t *r, ipc_event_t *ev)
{
	uint32_t seq = ev->seq;
	bool request = ev->kind == IPC_EVENT_REQUEST;
	if (__builtin_expect(
		request ? seq != seq_next : ev->kind == IPC_EVENT_REFUSED, 0)) {
		request_route_locked(r, ev);
		return;
	}
	spinlock_unlock(&fibril_lock);
	run_ipc_handler(ev, r);
	spinlock_lock(&fibril_lock);
	if (request)
		seq_done_locked(r, seq);
}

void __fibril_request_taken(ipc_event_t *ev)
{
	spinlock_lock(&fibril_lock);
	request_route_locked(NULL, ev);
	spinlock_unlock(&fibril_lock);
}

/** After a wait in the kernel that ended with @a rc and event @a ev: the
 *  runner @a r is no longer idle, a poke is counted off, an event goes to
 *  the IPC handler (run without the lock). fibril_lock held. */
static inline __attribute__((always_inline)) void after_wait_locked(
    fibril_runner_t *r, errno_t rc, ipc_event_t *ev)
{
	/* No longer idle before the handler runs: a fibril it makes ready is
	 * ours to run next, and needs no poke to wake another runner. */
	idle_runners--;
	if (rc == EOK && ev->kind == IPC_EVENT_POKE && pending_pokes > 0)
		pending_pokes--;
	if (rc == EOK && ev->kind != IPC_EVENT_POKE)
		event_hand_out_locked(r, ev);
}

errno_t fibril_ipc_drain(void)
{
	spinlock_lock(&fibril_lock);
	if (runner_count > 1) {
		spinlock_unlock(&fibril_lock);
		return ENOTSUP;
	}
	fibril_runner_t *r = fibril_self()->runner;
	for (;;) {
		flush_answer_locked(r); /* the handler may leave one */
		spinlock_unlock(&fibril_lock);
		ipc_event_t ev;
		errno_t rc = ipc_wait_regs(&ev, 0, IPC_WAIT_NONBLOCKING);
		spinlock_lock(&fibril_lock);
		if (rc != EOK)
			break; /* EAGAIN: none left */
		/* Counted idle for the event like a runner's wait (a poke is
		 * counted off, no runner is idle after the handler). */
		idle_runners++;
		after_wait_locked(r, rc, &ev);
	}
	spinlock_unlock(&fibril_lock);
	return EOK;
}

/** Waits in the kernel until an event, a poke or the next deadline, and
 *  hands an event out. An answer the handler left is sent with the wait,
 *  from the runner's slot itself: only fibrils on this runner write the
 *  slot, and none runs while it waits. A parked request whose turn came
 *  while no runner could route it is routed first (and nothing waited
 *  for). fibril_lock held on entry and on return. */
static inline __attribute__((always_inline)) void runner_wait(fibril_runner_t *r)
{
	if (__builtin_expect(parked_count != 0, 0) &&
	    parked_find_locked(seq_next) != NULL) {
		parked_drain_locked(r);
		return;
	}
	uint64_t usec;
	if (!wait_usec_locked(&usec))
		return;
	idle_runners++;
	bool answer = r->later.pending;
	spinlock_unlock(&fibril_lock);

	ipc_event_t ev;
	errno_t rc;
	if (answer) {
		rc = ipc_answer_wait_regs(r->later.call, &r->later.answer, usec, 0, &ev);
		r->later.pending = false; /* sent (or refused), before the handler */
		if (rc != EOK && rc != ETIMEOUT && rc != EINTR) { /* the answer failed */
			deferred_answer_sent(rc);
			rc = ipc_wait_regs(&ev, usec, 0);
		}
	} else {
		rc = ipc_wait_regs(&ev, usec, 0);
	}
	spinlock_lock(&fibril_lock);
	after_wait_locked(r, rc, &ev);
}

/** Whether @a ev is the answer to the call sent with @a label. */
static inline bool is_answer_to(const ipc_event_t *ev, sysarg_t label)
{
	return ev->kind == IPC_EVENT_ANSWER && ev->label == label;
}

bool fibril_call_and_wait(cap_handle_t phone, const ipc_payload_t *msg, sysarg_t label,
    bool events_expected, ipc_event_t *answer, bool *answered, errno_t *rc)
{
	spinlock_lock(&fibril_lock);
	fibril_runner_t *r = fibril_self()->runner;
	flush_answer_locked(r); /* an answer this fibril gave goes out first */
	uint64_t usec;
	if (!list_empty(&ready_queue) || r->current->ring_next != r->current ||
	    !wait_usec_locked(&usec)) {
		spinlock_unlock(&fibril_lock);
		return false;
	}
	/* This call's answer alone when nothing can need the runner meanwhile:
	 * another runner waits in the kernel for the task's events (and expires
	 * its timeouts), or no event is expected and no timeout pending. */
	bool own_answer = idle_runners > pending_pokes || (!events_expected && usec == 0);
	/*
	 * Otherwise the task's next event of any kind, as an idle runner, but
	 * only while this is the task's one runner: another one, going idle
	 * meanwhile, could take this call's answer from the box, and this wait
	 * would go on for an event that may never come, with the fibril that
	 * waits for the answer still running here, where nothing wakes it.
	 * With several runners the call is sent the ordinary way, and the
	 * fibril blocks until whichever runner receives the answer wakes it.
	 */
	if (!own_answer && runner_count > 1) {
		spinlock_unlock(&fibril_lock);
		return false;
	}
	if (!own_answer)
		idle_runners++; /* waiting for the task's events like an idle runner */
	spinlock_unlock(&fibril_lock);

	/* Not past the earliest fibril deadline: the idle runner's wait may
	 * have begun before it was set, and the fibril it wakes may be the one
	 * this answer waits for. One inline system call for both kinds of
	 * wait (private/ipc.h). */
	errno_t wrc = ipc_call_wait_regs(
	    phone, msg, label, usec, own_answer ? 0 : IPC_CALL_WAIT_ANY, answer);
	*answered = wrc == EOK && is_answer_to(answer, label);
	if (own_answer && wrc == EOK && !*answered) {
		spinlock_lock(&fibril_lock);
		event_hand_out_locked(r, answer);
		spinlock_unlock(&fibril_lock);
	} else if (!own_answer && *answered) {
		/* The caller takes its own answer: no event for the handler, no
		 * poke counted off, so only the idle count to undo. Without
		 * fibril_lock: this is the task's one runner and no fibril ran
		 * meanwhile (none can: threads that are no runners make no
		 * fibril calls), so nothing else touches the count. */
		idle_runners--;
	} else if (!own_answer) {
		spinlock_lock(&fibril_lock);
		after_wait_locked(r, wrc, answer);
		spinlock_unlock(&fibril_lock);
	}
	*rc = wrc == ETIMEOUT || wrc == EINTR ? EOK : wrc; /* sent, no event yet */
	return true;
}

/** The fibril runner @a r runs next: the one its idle context handed off
 *  (woken by the event it just handed out; timeouts wait until that one
 *  blocks), else the first ready one once timeouts are expired (the ring
 *  is empty meanwhile). fibril_lock held; only the idle context of @a r (or
 *  the fibril waiting in place on it) sets or takes its hand-off. The
 *  fibril returned has joined the ring, as a ring of its own. */
static inline __attribute__((always_inline)) fibril_t *runner_next_locked(
    fibril_runner_t *r)
{
	if (r->handoff == NULL)
		expire_timeouts_locked();
	fibril_t *next = r->handoff;
	if (next == NULL)
		next = list_pop(&ready_queue);
	else
		r->handoff = NULL;
	if (next != NULL)
		ring_enter_before(next, NULL);
	return next;
}

/**
 * With one runner, a fibril @a cur that blocks while nothing else is ready
 * does its idle context's work itself instead of switching there and back:
 * it waits for the task's events (sending the runner's deferred answer with
 * the wait), hands them out, and runs on as soon as one woke it (a
 * connection fibril whose next call came) or switches to the fibril one
 * woke (staying blocked). With several runners it may not: another runner
 * could wake it, and switch into it, while it still runs here. Nothing
 * else runs on the task's one runner meanwhile, and threads that are not
 * runners make no fibril calls, so the count stays one. fibril_lock held.
 */
static void wait_in_place_locked(fibril_t *cur)
{
	fibril_runner_t *r = cur->runner;
	r->in_place = cur;
	fibril_t *next;
	while ((next = runner_next_locked(r)) == NULL)
		runner_wait(r);
	r->in_place = NULL;
	if (next == cur) { /* back in the ring, as its only one */
		cur->state = FIBRIL_RUNNING;
		return;
	}
	flush_answer_locked(r); /* work first would delay the answer */
	switch_to(cur, next);
}

/** The idle context of runner @a r: runs ready fibrils, waits when there are
 *  none. fibril_lock held. */
static _Noreturn void runner_loop(fibril_runner_t *r)
{
	fibril_t *self = r->idle;
	for (;;) {
		fibril_t *next = runner_next_locked(r);
		if (next == NULL) {
			runner_wait(r);
			continue;
		}
		flush_answer_locked(r); /* work first would delay the answer */
		switch_to(self, next);
	}
}

_Noreturn void __fibril_entry(fibril_t *f)
{
	after_switch(f->runner);
	if (f->idle)
		runner_loop(f->runner);
	spinlock_unlock(&fibril_lock);
	fibril_exit(f->fn(f->arg));
}

/** Where a runner thread of fibril_spawn_runners() starts, on the stack of
 *  its idle context: it pins itself first if it is to, and says so. */
static _Noreturn void runner_start(fibril_t *idle)
{
	fibril_runner_t *r = idle->runner;
	tls_set(&r->tls); /* before anything reads it (runner_self()) */
	if (r->affinity != 0)
		r->pin_rc = thread_set_affinity(r->affinity);
	__atomic_store_n(&r->started, true, __ATOMIC_RELEASE);
	spinlock_lock(&fibril_lock);
	runner_loop(r);
}

/** Undoes a runner that never started: its stack, records and count. */
static void runner_discard(fibril_runner_t *r)
{
	spinlock_lock(&fibril_lock);
	runner_count--;
	spinlock_unlock(&fibril_lock);
	slot_free(r->idle->stack);
	free(r->idle);
	free(r);
}

/** Starts one runner thread, pinned to the CPUs of @a affinity unless it is
 *  0. A pinned runner is waited for until it has pinned itself (its
 *  fibrils must not run elsewhere before). */
static errno_t runner_spawn(uint64_t affinity)
{
	fibril_runner_t *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return ENOMEM;
	r->affinity = affinity;
	r->idle = fibril_alloc(NULL, NULL, true);
	if (r->idle == NULL) {
		free(r);
		return ENOMEM;
	}
	r->idle->runner = r;
	r->idle->state = FIBRIL_RUNNING;
	r->current = r->idle;
	r->tls.fibril_runner = r;
	uintptr_t sp = arch_fibril_context_thread_sp(&r->idle->ctx);
	static const char name[] = "fibril runner";
	thread_id_t tid;
	__libc_thread_starting();
	/* Counted before it can run: fibril_call_and_wait() must not see one
	 * runner while there are two. From two on, requests wait their turn. */
	spinlock_lock(&fibril_lock);
	if (runner_count == 1) {
		/* Stored with a full fence before the kernel's count is read:
		 * a wait outside the runners that takes a request after that
		 * read sees it and counts its number (private/ipc.h). */
		__atomic_store_n(&__fibril_requests_ordered, true, __ATOMIC_SEQ_CST);
		seq_sync_locked();
	}
	runner_count++;
	spinlock_unlock(&fibril_lock);
	errno_t rc = (errno_t) syscall6(SYS_THREAD_CREATE, (sysarg_t) runner_start,
	    (sysarg_t) sp, (sysarg_t) r->idle, (sysarg_t) name, sizeof(name) - 1,
	    (sysarg_t) &tid);
	if (rc != EOK) {
		runner_discard(r);
		return rc;
	}
	/* Only at start-up: the new thread's first steps, without any lock. */
	while (affinity != 0 && !__atomic_load_n(&r->started, __ATOMIC_ACQUIRE))
		thread_yield();
	return affinity != 0 ? r->pin_rc : EOK;
}

errno_t fibril_spawn_runners(unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		errno_t rc = runner_spawn(0);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

errno_t fibril_spawn_runners_pinned(unsigned count, const uint64_t masks[])
{
	unsigned cpu, cpus;
	errno_t rc = cpu_info(&cpu, &cpus);
	if (rc != EOK)
		return rc;
	uint64_t running = cpus >= 64 ? UINT64_MAX : (1ull << cpus) - 1;
	for (unsigned i = 0; i < count; i++) {
		if (masks[i] == 0 || (masks[i] & ~running) != 0)
			return EINVAL; /* checked before any runner starts */
	}
	for (unsigned i = 0; i < count; i++) {
		rc = runner_spawn(masks[i]);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

fid_t fibril_create(fibril_fn_t fn, void *arg)
{
	return fibril_alloc(fn, arg, false);
}

void fibril_add_ready(fid_t f)
{
	spinlock_lock(&fibril_lock);
	if (f->state == FIBRIL_NEW)
		make_ready_locked(f);
	spinlock_unlock(&fibril_lock);
}

void fibril_start(fid_t f)
{
	fibril_add_ready(f);
}

void fibril_destroy(fid_t f)
{
	if (f->state != FIBRIL_NEW)
		fatal("fibril_destroy of a started fibril");
	slot_free(f->stack);
	free(f);
}

fid_t fibril_get_id(void)
{
	return fibril_self();
}

uintptr_t fibril_stack_area(void)
{
	uintptr_t slot = fibril_self()->stack;
	return slot != 0 ? slot + SLOT_GUARD : 0; /* slot_alloc's area */
}

uint64_t fibril_number(fid_t f)
{
	return f->number;
}

/** Where a yield resumes after a locked switch (on runner @a r: a yielder
 *  stays in its runner's ring, so that is where it resumes): what the
 *  switch left, and the lock, released. */
static void yield_resumed_locked(fibril_runner_t *r)
{
	after_switch(r);
	spinlock_unlock(&fibril_lock);
}

/** A yield under fibril_lock: to the shared queue's first fibril (which
 *  joins the ring right after the caller), or to the next of the ring; the
 *  caller stays in the ring. A fibril in no ring (the idle context, or one
 *  doing its idle context's work in place) does not yield. */
static __attribute__((noinline)) void yield_locked(fibril_t *self)
{
	spinlock_lock(&fibril_lock);
	fibril_runner_t *r = self->runner;
	fibril_t *next = self->in_ring ? list_pop(&ready_queue) : NULL;
	if (next != NULL)
		ring_enter_before(next, self->ring_next);
	else if (self->ring_next != self)
		next = self->ring_next;
	if (next == NULL) {
		spinlock_unlock(&fibril_lock);
		return;
	}
	self->state = FIBRIL_READY;
	flush_answer_locked(r); /* other work first would delay it */
	r->switch_locked = true;
	r->current = next;
	next->runner = r;
	next->state = FIBRIL_RUNNING;
	__fibril_switch(&self->ctx, &next->ctx);
	if (r->switch_locked)
		yield_resumed_locked(r);
}

/*
 * A yield. The caller stays in its runner's ring and the ring's next runs.
 * When the shared queue is empty, no answer is deferred and another fibril
 * is in the ring, that one runs without fibril_lock: the ring is this
 * runner's own, and a fibril in it is neither blocked nor new, so nothing
 * else looks at it (its state stays as it was: nobody tells READY from
 * RUNNING). Otherwise the locked path, which takes the shared queue's
 * fibrils first, so they never wait behind yielders. The calling thread
 * must be a runner (runner_self()). Without a frame of its own (no frame
 * pointer set up: 4 of the 40 or so instructions of a switch), so a
 * backtrace through a yield names its caller, not fibril_yield itself.
 */
__attribute__((optimize("omit-frame-pointer"))) void fibril_yield(void)
{
	fibril_runner_t *r = runner_self();
	fibril_t *self = r->current;
	fibril_t *next = self->ring_next;
	if (next == self || r->later.pending || !ready_queue_seems_empty()) {
		yield_locked(self);
		return;
	}
	r->current = next;
	r->switch_locked = false;
	__fibril_switch(&self->ctx, &next->ctx);
	/* Resumed by the same runner (a yielder's ring is its runner's). A
	 * locked switch also leaves an ended fibril's stack to free (only such
	 * a switch ends one). */
	r = runner_self();
	if (__builtin_expect(r->switch_locked, 0))
		yield_resumed_locked(r);
}

_Noreturn void fibril_exit(errno_t retval)
{
	fibril_t *self = fibril_self();
	if (self->local != NULL && local_dtor != NULL) {
		void *local = self->local;
		self->local = NULL;
		local_dtor(local);
	}
	spinlock_lock(&fibril_lock);
	self->retval = retval;
	self->state = FIBRIL_EXITED;
	if (self->joiner != NULL)
		fibril_wake_locked(self->joiner);
	if (self->stack != 0)
		self->runner->zombie = self;
	schedule_locked(self);
	fatal("an ended fibril was resumed");
}

void fibril_detach(fid_t f)
{
	spinlock_lock(&fibril_lock);
	bool ended = f->state == FIBRIL_EXITED;
	f->detached = true;
	spinlock_unlock(&fibril_lock);
	if (ended && f != &__fibril_main)
		free(f);
}

errno_t fibril_join(fid_t f, errno_t *retval)
{
	spinlock_lock(&fibril_lock);
	fibril_t *self = fibril_self();
	if (f->detached || f == self || (f->joiner != NULL && f->joiner != self)) {
		spinlock_unlock(&fibril_lock);
		return EINVAL;
	}
	while (f->state != FIBRIL_EXITED) {
		f->joiner = self;
		fibril_block_locked(self, 0);
	}
	if (retval != NULL)
		*retval = f->retval;
	spinlock_unlock(&fibril_lock);
	if (f != &__fibril_main)
		free(f);
	return EOK;
}

void fibril_usleep(uint64_t usec)
{
	if (usec == 0) {
		fibril_yield();
		return;
	}
	uint64_t deadline = fibril_deadline(usec);
	spinlock_lock(&fibril_lock);
	fibril_block_locked(fibril_self(), deadline);
	spinlock_unlock(&fibril_lock);
}

void fibril_sleep(unsigned sec)
{
	fibril_usleep((uint64_t) sec * 1000000);
}

void fibril_event_initialize(fibril_event_t *event)
{
	event->waiter = NULL;
	event->signalled = false;
}

errno_t fibril_wait_until(fibril_event_t *event, uint64_t deadline)
{
	spinlock_lock(&fibril_lock);
	errno_t rc = EOK;
	if (event->signalled) {
		event->signalled = false;
	} else {
		fibril_t *self = fibril_self();
		if (event->waiter != NULL)
			fatal("two fibrils wait for one event");
		event->waiter = self;
		block_locked(self, deadline);
		/* Still ours: the deadline passed first. Otherwise a notify took
		 * us off, possibly just after the deadline; it counts. */
		if (event->waiter == self) {
			event->waiter = NULL;
			rc = ETIMEOUT;
		}
	}
	spinlock_unlock(&fibril_lock);
	return rc;
}

void fibril_wait_for(fibril_event_t *event)
{
	DISCARD(woken, fibril_wait_until(event, 0));
}

errno_t fibril_wait_timeout(fibril_event_t *event, uint64_t usec)
{
	if (usec != 0)
		return fibril_wait_until(event, fibril_deadline(usec));
	spinlock_lock(&fibril_lock);
	bool signalled = event->signalled;
	event->signalled = false;
	spinlock_unlock(&fibril_lock);
	return signalled ? EOK : ETIMEOUT;
}

void fibril_notify(fibril_event_t *event)
{
	spinlock_lock(&fibril_lock);
	fibril_t *waiter = event->waiter;
	if (waiter != NULL) {
		event->waiter = NULL;
		wake_locked(waiter);
	} else {
		event->signalled = true;
	}
	spinlock_unlock(&fibril_lock);
}

void *fibril_get_local(void)
{
	return fibril_self()->local;
}

void fibril_set_local(void *data)
{
	fibril_self()->local = data;
}

void fibril_set_local_destructor(void (*dtor)(void *data))
{
	local_dtor = dtor;
}

void fibril_set_ipc_handler(fibril_ipc_handler_t handler)
{
	__atomic_store_n(&ipc_handler, handler, __ATOMIC_RELEASE);
}
