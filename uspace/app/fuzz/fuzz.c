/*
 * fuzz: the system-call fuzzer. Children call every system call number
 * (and numbers past the table's end) with generated arguments that know
 * their types, from several threads of one task at once; one child holds
 * every permission and takes the privileged paths in a sandbox (priv.c),
 * running IRQ programs on a line it raises. The parent starts IPC servers
 * for them, forwards their connections, kills servers and children at
 * random points (so calls die in flight) and replaces them, answers whatever
 * they send it, and watches that every child keeps making progress.
 *
 * At the end everything the run started is gone again and the kernel's
 * counters (capabilities, tasks, threads, slab objects, large blocks,
 * committed frames) must equal those after a first round; free frames may
 * stay a few page tables below (stats_equal). Any other difference fails.
 *
 *   fuzz [--seed N] [--calls N] [--seconds N] [--trace I] [--watchdog S]
 *        [--hang N]         the parent (testtask=fuzz); --calls counts the
 *                           calls the children report; --trace I makes the
 *                           children print every call from index I on;
 *                           --watchdog S: a call is hung after S seconds
 *                           (30); --hang N: the watchdog's test (fuzz.h)
 *   fuzz --child SEED [...]         a fuzzing child (repeats its sequence)
 *   fuzz --privileged SEED          the privileged child (needs PERM_ALL)
 *   fuzz --server SEED              an IPC peer for the children
 *   fuzz --idle                     a task the privileged child may spawn
 *   fuzz --help                     the usage; a bad option: message, status 2
 *
 * Seeds: the k-th child or server spawned gets the k-th number of a stream
 * derived from the seed (a child's is printed with it), so each child's
 * calls follow from the seed; how tasks and threads interleave does not.
 * Output: `fuzz: seed S: N calls, T tasks spawned, K killed: ok` (exit 0).
 */
#include "fuzz.h"
#include <getopt.h>
#include <ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <task.h>
#include <thread.h>
#include <time.h>

#define USAGE \
	"[--seed N] [--calls N] [--seconds N] [--trace N] [--watchdog S] [--hang N] " \
	"(make fuzz boots it)"
#define CHILDREN     4 /* fuzzing children, the last one privileged */
#define SERVERS	     4
#define ROTATE_CALLS 2000 /* reported calls between two child kills */
#define SERVER_CALLS 3000 /* reported calls between two server kills */
#define SILENCE_NS   ((fuzz_watchdog_seconds + 15) * 1000000000ull)
#define TABLE_SLACK  4			  /* frames: see stats_equal */
#define WARM_CALLS   4000		  /* the first round, before the baseline */
#define SETTLE_NS    (60 * 1000000000ull) /* only a failure waits this long */

typedef struct {
	uint64_t id; /* 0: none */
	uint64_t seed;
	uint64_t heard_ns; /* last progress report (or start) */
	uint64_t irqs;	   /* interrupts it reported its IRQ programs accepted */
} child_t;

static child_t children[CHILDREN];
static uint64_t server_ids[SERVERS];
static cap_handle_t server_phones[SERVERS]; /* 0 until the server connects */
static fuzzer_t decide;			    /* answers and forwards: order of events */
static fuzzer_t seeds; /* children's seeds and which to kill: fixed order */
static uint64_t total_calls, irq_notifs, spawned, killed, failures;
static uint64_t watchdog_exits; /* children that ended with EXIT_WATCHDOG */
static uint64_t trace_from = UINT64_MAX;

static void fail(void)
{
	failures++;
}

/** Starts server @a slot; its phone arrives with its CONNECT_TO_ME. */
static void server_start(size_t slot)
{
	char cmd[48];
	snprintf(
	    cmd, sizeof(cmd), "fuzz --server %llu", (unsigned long long) rnd(&seeds));
	server_phones[slot] = 0;
	if (task_spawn_module(cmd, &server_ids[slot]) == EOK)
		spawned++;
	else
		server_ids[slot] = 0;
}

/** Kills server @a slot (whatever the children have pending there dies
 *  with it) and releases our phone to it. */
static void server_end(size_t slot)
{
	if (server_ids[slot] != 0 && task_kill(server_ids[slot]) == EOK) {
		task_exit_t e;
		if (task_join(server_ids[slot], &e, 0) == EOK)
			killed++;
	}
	server_ids[slot] = 0;
	if (server_phones[slot] != 0)
		DISCARD(cleanup, ipc_hangup(server_phones[slot], IPC_HANGUP_RELEASE));
	server_phones[slot] = 0;
}

static void child_start(size_t slot)
{
	child_t *c = &children[slot];
	bool privileged = slot == CHILDREN - 1;
	c->seed = rnd(&seeds);
	c->irqs = 0;
	char cmd[128];
	int n = snprintf(cmd, sizeof(cmd), "fuzz --%s %llu --watchdog %llu",
	    privileged ? "privileged" : "child", (unsigned long long) c->seed,
	    (unsigned long long) fuzz_watchdog_seconds);
	if (trace_from != UINT64_MAX)
		n += snprintf(cmd + n, sizeof(cmd) - n, " --trace %llu",
		    (unsigned long long) trace_from);
	if (fuzz_hang_at != 0)
		snprintf(cmd + n, sizeof(cmd) - n, " --hang %llu",
		    (unsigned long long) fuzz_hang_at);
	c->heard_ns = clock_ns();
	if (task_spawn_module(cmd, &c->id) != EOK) {
		c->id = 0;
		return;
	}
	spawned++;
	if (privileged && perm_grant(c->id, PERM_ALL) != EOK) {
		printf("fuzz: cannot grant the privileged child its permissions\n");
		fail();
	}
	printf("fuzz: child %llu: %s\n", (unsigned long long) c->id, cmd + 5);
}

/** Judges how child @a c ended: killed (by us or its privileged sibling)
 *  or ending on purpose is fine; a fault or a watchdog report is not. */
static void child_judge(const child_t *c, const task_exit_t *e)
{
	if (e->how == TASK_EXIT_KILLED ||
	    (e->how == TASK_EXIT_NORMAL && e->status == EXIT_VOLUNTARY))
		return;
	if (e->how == TASK_EXIT_NORMAL && e->status == EXIT_WATCHDOG)
		watchdog_exits++;
	char how[64];
	printf("fuzz: child %llu (seed %llu) ended: %s\n", (unsigned long long) c->id,
	    (unsigned long long) c->seed, task_exit_describe(e, how, sizeof(how)));
	fail();
}

static void child_end(size_t slot)
{
	child_t *c = &children[slot];
	if (c->id == 0)
		return;
	task_exit_t e;
	if (task_kill(c->id) == EOK && task_join(c->id, &e, 0) == EOK) {
		killed++;
		child_judge(c, &e);
	}
	c->id = 0;
}

/** A child that ended by itself is judged and replaced; one silent for
 *  too long (its own watchdog should have spoken) is a failure. */
static void child_check(size_t slot, uint64_t now)
{
	child_t *c = &children[slot];
	task_exit_t e;
	if (now < c->heard_ns)
		now = c->heard_ns; /* heard after the caller read the clock */
	if (c->id != 0 && task_join(c->id, &e, 1) == EOK) {
		child_judge(c, &e);
		c->id = 0;
	}
	if (c->id != 0 && now - c->heard_ns > SILENCE_NS) {
		printf("fuzz: watchdog: child %llu (seed %llu) reported no progress for "
		       "%llu s\n",
		    (unsigned long long) c->id, (unsigned long long) c->seed,
		    (unsigned long long) ((now - c->heard_ns) / 1000000000ull));
		fail();
		child_end(slot);
	}
	if (c->id == 0)
		child_start(slot);
}

static child_t *child_of(uint64_t task)
{
	for (size_t i = 0; i < CHILDREN; i++)
		if (children[i].id == task && task != 0)
			return &children[i];
	return NULL;
}

static void answer(cap_handle_t call, errno_t rc)
{
	ipc_payload_t a = {.method = (sysarg_t) rc};
	DISCARD(answer, ipc_answer(call, &a));
}

/** A child asks for a server: the call goes on to a random one. */
static void forward_connect(const ipc_event_t *ev)
{
	size_t slot = rnd(&decide) % SERVERS;
	errno_t rc = server_phones[slot] != 0
	    ? ipc_forward(ev->cap, server_phones[slot], NULL, 0)
	    : ENOENT;
	if (rc != EOK && rc != EHANGUP) /* EHANGUP: answered with EFORWARD */
		answer(ev->cap, ENOENT);
}

/** A server we started reports for duty: keep its phone. */
static bool server_connects(const ipc_event_t *ev)
{
	for (size_t i = 0; i < SERVERS; i++) {
		if (server_ids[i] != 0 && server_ids[i] == ev->task_id &&
		    server_phones[i] == 0) {
			answer(ev->cap, EOK);
			server_phones[i] = ev->args[4];
			return true;
		}
	}
	return false;
}

/** Every request is answered or forwarded, the parent's memory never
 *  lent: progress reports, connections, and the children's random calls. */
static void take_request(const ipc_event_t *ev)
{
	child_t *c = child_of(ev->task_id);
	if (ev->imethod == M_FUZZ_PROGRESS && ev->args[0] == FUZZ_MAGIC && c != NULL) {
		c->heard_ns = clock_ns();
		total_calls += PROGRESS_STEP;
		if (ev->args[1] > c->irqs) {
			irq_notifs += ev->args[1] - c->irqs;
			c->irqs = ev->args[1];
		}
		answer(ev->cap, EOK);
		if (total_calls % 100000 == 0)
			printf("fuzz: %llu calls\n", (unsigned long long) total_calls);
		return;
	}
	if (ev->imethod == IPC_M_CONNECT_TO_ME && server_connects(ev))
		return;
	if (ev->imethod == IPC_M_CONNECT_ME_TO) {
		forward_connect(ev);
		return;
	}
	answer(ev->cap,
	    ev->imethod == IPC_M_PHONE_HUNGUP ? EOK
		: rnd(&decide) % 2	      ? ENOTSUP
					      : ENOENT);
}

/** Takes the events there are, waiting up to @a usec for the first. */
static void take_events(uint64_t usec)
{
	ipc_event_t ev;
	unsigned flags = 0;
	for (int n = 0; n < 64 && ipc_wait(&ev, usec, flags) == EOK; n++) {
		flags = IPC_WAIT_NONBLOCKING;
		if (ev.kind == IPC_EVENT_REQUEST)
			take_request(&ev);
	}
}

static void start_all(void)
{
	for (size_t i = 0; i < SERVERS; i++)
		server_start(i);
	for (size_t i = 0; i < CHILDREN; i++)
		child_start(i);
}

static void end_all(void)
{
	for (size_t i = 0; i < CHILDREN; i++)
		child_end(i);
	for (size_t i = 0; i < SERVERS; i++)
		server_end(i);
}

/** The run: children and servers replaced at random points until the calls
 *  (or the seconds) are done. */
static void run(uint64_t calls_wanted, uint64_t seconds)
{
	uint64_t start = clock_ns(), next_rotate = total_calls + ROTATE_CALLS;
	uint64_t next_server = total_calls + SERVER_CALLS;
	uint64_t last_check = 0;
	start_all();
	for (;;) {
		uint64_t now = clock_ns();
		if (seconds ? now - start >= seconds * 1000000000ull
			    : total_calls >= calls_wanted)
			break;
		if (fuzz_hang_at != 0 && watchdog_exits > 0)
			break; /* the watchdog's test has its answer */
		take_events(10000);
		if (total_calls >= next_rotate && fuzz_hang_at == 0) {
			size_t slot = rnd(&seeds) % CHILDREN;
			child_end(slot);
			child_start(slot);
			next_rotate += ROTATE_CALLS;
		}
		if (total_calls >= next_server) {
			size_t slot = rnd(&seeds) % SERVERS;
			server_end(slot);
			server_start(slot);
			next_server += SERVER_CALLS;
		}
		if (now - last_check >= 100000000ull) {
			for (size_t i = 0; i < CHILDREN; i++)
				child_check(i, now);
			last_check = now;
		}
	}
	end_all();
}

/** The kernel's counters, with the pages of the parent's own memory
 *  counted as free: its stack may reach deeper in the run than before it,
 *  and those pages are the parent's, not something the run left behind. */
static errno_t counters_get(kernel_stats_t *st)
{
	task_info_t self;
	errno_t rc = kernel_stats_get(st);
	if (rc == EOK)
		rc = task_get_info(task_get_id(), &self);
	if (rc == EOK)
		st->frames_free += self.resident_pages;
	return rc;
}

/** Whether everything the run made is gone (tasks, threads, handles) and,
 *  if @a all, the memory they held is back too. Counts must be equal; free
 *  frames may stay up to TABLE_SLACK below: the kernel keeps the page tables
 *  of its own regions (kernel stacks, large blocks) at their high-water
 *  mark, and a run may reach one more of those than the first round did.
 *  More free frames than before is no leak (one freed late at the baseline,
 *  a cache that shrank). */
static bool stats_equal(const kernel_stats_t *a, const kernel_stats_t *b, bool all)
{
	bool gone = a->capabilities == b->capabilities && a->tasks == b->tasks &&
	    a->threads == b->threads;
	return gone &&
	    (!all ||
		(a->slab_objects == b->slab_objects &&
		    a->kmalloc_large == b->kmalloc_large &&
		    b->frames_free + TABLE_SLACK >= a->frames_free &&
		    a->frames_committed == b->frames_committed));
}

/** Whether two readings are the same in every counter. */
static bool stats_same(const kernel_stats_t *a, const kernel_stats_t *b)
{
	return stats_equal(a, b, true) && a->frames_free == b->frames_free;
}

/** Answers what is still arriving (hang-ups of the dead) until the kernel's
 *  counters are back at @a before (stats_equal) or SETTLE_NS have passed:
 *  tasks the children started (loaders, idle tasks) end after them. */
static bool settle(const kernel_stats_t *before, kernel_stats_t *after, bool all)
{
	uint64_t start = clock_ns();
	do {
		take_events(10000);
		if (counters_get(after) != EOK)
			return false;
		if (stats_equal(before, after, all))
			return true;
	} while (clock_ns() - start < SETTLE_NS);
	return false;
}

/** The counters once they stop changing (freeing may lag the tasks' end):
 *  equal over ten readings 10 ms apart, or whatever they are after
 *  SETTLE_NS. */
static void steady(kernel_stats_t *now)
{
	uint64_t start = clock_ns();
	kernel_stats_t last;
	if (counters_get(&last) != EOK)
		return; /* the check that follows fails on its own reading */
	for (int same = 0; same < 10 && clock_ns() - start < SETTLE_NS;) {
		take_events(10000);
		if (counters_get(now) != EOK)
			break;
		same = stats_same(&last, now) ? same + 1 : 0;
		last = *now;
	}
	*now = last;
}

static void stats_print(const kernel_stats_t *a, const kernel_stats_t *b, bool same)
{
	printf(
	    "fuzz: kernel counters before -> after: capabilities %llu -> %llu, tasks "
	    "%llu -> "
	    "%llu, threads %llu -> %llu, slab objects %llu -> %llu, large blocks %llu -> "
	    "%llu, free frames %llu -> %llu, committed frames %llu -> %llu: %s\n",
	    (unsigned long long) a->capabilities, (unsigned long long) b->capabilities,
	    (unsigned long long) a->tasks, (unsigned long long) b->tasks,
	    (unsigned long long) a->threads, (unsigned long long) b->threads,
	    (unsigned long long) a->slab_objects, (unsigned long long) b->slab_objects,
	    (unsigned long long) a->kmalloc_large, (unsigned long long) b->kmalloc_large,
	    (unsigned long long) a->frames_free, (unsigned long long) b->frames_free,
	    (unsigned long long) a->frames_committed,
	    (unsigned long long) b->frames_committed, same ? "back at baseline" : "LEAK");
}

/** After a leak: the tasks there are besides the kernel's and ours. */
static void tasks_print(void)
{
	uint64_t ids[64];
	size_t count;
	if (task_list(ids, 64, &count) != EOK)
		return;
	for (size_t i = 0; i < count && i < 64; i++) {
		task_info_t info;
		if (ids[i] <= task_get_id() || task_get_info(ids[i], &info) != EOK)
			continue;
		printf("fuzz:   task %llu (%s), parent %llu, %u threads%s\n",
		    (unsigned long long) info.id, info.name,
		    (unsigned long long) info.parent_id, info.threads,
		    info.zombie ? ", ended" : "");
	}
}

/** A peer that answers whatever arrives (a few calls it holds a while, so
 *  that it dies with calls in hand), and calls back the children that
 *  offered it a phone. */
static _Noreturn void serve(uint64_t seed)
{
	fuzzer_t f = {.rng = seed | 1};
	cap_handle_t held[POOL] = {0}, back[4] = {0};
	if (!fuzz_sandbox_create())
		task_exit(1);
	sysarg_t r[10] = {1, IPC_M_CONNECT_TO_ME};
	__syscall_ipc(SYS_IPC_CALL, r);
	for (;;) {
		memset(r, 0, sizeof(r));
		r[0] = 100000;
		if ((errno_t) __syscall_ipc(SYS_IPC_WAIT, r) != EOK ||
		    IPC_EVENT_KIND(r[0]) != IPC_EVENT_REQUEST)
			continue;
		sysarg_t a[10] = {r[8], rnd(&f) % 2 ? EOK : (sysarg_t) ENOENT,
		    gen_pointer(&f), gen_size(&f)};
		size_t slot = rnd(&f) % POOL;
		if (r[1] == IPC_M_CONNECT_TO_ME) {
			a[1] = EOK;
			slot = rnd(&f) % 4;
			sysarg_t h[10] = {back[slot], IPC_HANGUP_RELEASE};
			if (back[slot] != 0)
				__syscall_ipc(SYS_IPC_HANGUP, h);
			back[slot] = __syscall_ipc(SYS_IPC_ANSWER, a) == EOK ? r[6] : 0;
		} else if (rnd(&f) % 8 == 0) {
			a[0] = held[slot]; /* answer the one it displaces */
			held[slot] = r[8];
			if (a[0] != 0)
				__syscall_ipc(SYS_IPC_ANSWER, a);
		} else {
			__syscall_ipc(SYS_IPC_ANSWER, a);
		}
		sysarg_t c[10] = {
		    back[rnd(&f) % 4], gen_method(&f), gen_any(&f), gen_any(&f)};
		if (c[0] != 0)
			__syscall_ipc(SYS_IPC_CALL, c);
	}
}

/** What the privileged child spawns: idle until its parent has gone (it
 *  may have gone before we ran: then we are an orphan, parent 0). */
static _Noreturn void idle(void)
{
	task_info_t self, parent;
	while (task_get_info(task_get_id(), &self) == EOK && self.parent_id != 0 &&
	    task_get_info(self.parent_id, &parent) == EOK && !parent.zombie)
		DISCARD(woken, thread_sleep(100000));
	task_exit(0);
}

/** A short first round grows what grows once (the parent's stack and
 *  tables, caches); the counters once it has ended are the baseline. */
static bool baseline_take(uint64_t calls_wanted, kernel_stats_t *before)
{
	kernel_stats_t start, after;
	if (counters_get(&start) != EOK) {
		printf("fuzz: no kernel counters\n");
		return false;
	}
	run(WARM_CALLS < calls_wanted ? WARM_CALLS : calls_wanted, 0);
	if (!settle(&start, &after, false)) {
		stats_print(&start, &after, false);
		fail();
	}
	steady(before);
	return true;
}

static int parent(uint64_t seed, uint64_t calls_wanted, uint64_t seconds)
{
	decide.rng = seed | 1;
	seeds.rng = (seed * 0x9e3779b97f4a7c15ull) | 1;
	printf("fuzz: seed %llu, %llu calls%s\n", (unsigned long long) seed,
	    (unsigned long long) calls_wanted, seconds ? " (or the time limit)" : "");
	if ((perm_get() & PERM_ALL) != PERM_ALL) {
		printf("fuzz: the parent needs every permission (boot with "
		       "testtask=fuzz)\n");
		return 1;
	}
	kernel_stats_t before, after;
	if (!baseline_take(calls_wanted, &before))
		return 1;
	run(calls_wanted, seconds);
	bool same = settle(&before, &after, true);
	stats_print(&before, &after, same);
	if (!same) {
		tasks_print();
		fail();
	}
	printf("fuzz: %llu interrupts accepted by the privileged child's IRQ programs\n",
	    (unsigned long long) irq_notifs);
	printf("fuzz: seed %llu: %llu calls, %llu tasks spawned, %llu killed: %s\n",
	    (unsigned long long) seed, (unsigned long long) total_calls,
	    (unsigned long long) spawned, (unsigned long long) killed,
	    failures == 0 ? "ok" : "FAILED");
	return failures == 0 ? 0 : 1;
}

/** The options that take a number; the modes its own tasks run in come
 *  first (--child, --privileged, --server with a seed; --idle alone). */
static const char *const number_options[] = {"--seed", "--calls", "--seconds", "--trace",
    "--watchdog", "--hang", "--child", "--privileged", "--server", NULL};

static bool is_number_option(const char *word)
{
	for (const char *const *o = number_options; *o != NULL; o++)
		if (strcmp(word, *o) == 0)
			return true;
	return false;
}

/** True when argv is "--idle" or pairs of a number option and a number;
 *  otherwise reports the first bad word with the usage. */
static bool arguments_ok(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--idle") == 0)
		return true;
	for (int i = 1; i < argc; i += 2) {
		bool known = is_number_option(argv[i]);
		char *end = NULL;
		if (known && i + 1 < argc)
			(void) strtoull(argv[i + 1], &end, 0);
		if (known && end != NULL && end != argv[i + 1] && *end == '\0')
			continue;
		if (known)
			fprintf(stderr, "fuzz: option %s needs a number\n", argv[i]);
		else
			fprintf(stderr, "fuzz: unknown option %s\n", argv[i]);
		cmd_usage_error(argv[0], USAGE);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (!arguments_ok(argc, argv))
		return CMD_EXIT_USAGE;
	if (argc == 2)
		idle(); /* the only form with one word */
	uint64_t seed = 1, calls_wanted = 100000, seconds = 0;
	const char *mode = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		uint64_t v = strtoull(argv[i + 1], NULL, 0);
		if (strcmp(argv[i], "--seed") == 0)
			seed = v;
		else if (strcmp(argv[i], "--calls") == 0)
			calls_wanted = v;
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = v;
		else if (strcmp(argv[i], "--trace") == 0)
			trace_from = fuzz_trace_from = v;
		else if (strcmp(argv[i], "--watchdog") == 0)
			fuzz_watchdog_seconds = v;
		else if (strcmp(argv[i], "--hang") == 0)
			fuzz_hang_at = v;
		else if (mode == NULL) {
			mode = argv[i];
			seed = v;
		}
	}
	if (mode != NULL && strcmp(mode, "--server") == 0)
		serve(seed);
	if (mode != NULL && strcmp(mode, "--child") == 0)
		fuzz_child(seed, false);
	if (mode != NULL && strcmp(mode, "--privileged") == 0)
		fuzz_child(seed, true);
	return parent(seed, calls_wanted, seconds);
}
