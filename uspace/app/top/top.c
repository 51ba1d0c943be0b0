/*
 * top: the tasks (with -t, the threads) that used the CPU most over the last
 * interval, with a load line per CPU (sample.h; docs/tasks.md "CPU time").
 *
 *   top [-t] [-d SECONDS] [-n COUNT]
 *
 * Interactive (no -n): the screen is redrawn every interval (1 s unless
 * -d) until `q` is typed. With -n, COUNT snapshots are printed one after
 * another, each covering one interval, and top exits (batch mode, for
 * scripts and tests). A snapshot:
 *
 *   top: 31 tasks, 40 threads, 2 CPUs, interval 1.000 s
 *   cpu0  98.7% busy
 *   cpu1   0.4% busy
 *       ID NAME             THR  CPU%     TIME USER%
 *       42 spin               1  98.2    3.210    99
 *
 * CPU% is the share of one CPU the task used over the interval (a task on
 * two CPUs may reach 200); TIME its CPU time since it started, in seconds;
 * USER% the share of its ticks that found it in user mode.
 */
#include "sample.h"
#include <async.h>
#include <fibril.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <time.h>

#define USAGE \
	"[-t] [-d SECONDS] [-n COUNT]\n" \
	"  -t          threads instead of tasks\n" \
	"  -d SECONDS  the interval (default 1; fractions like 0.5 allowed)\n" \
	"  -n COUNT    print COUNT snapshots and exit (else: redraw until q)"

#define NS_PER_MS    1000000ull
#define NS_PER_SEC   1000000000ull
#define DELAY_MAX_MS 3600000ull
#define COUNT_MAX    1000000ul
#define SCREEN_ROWS  18 /* interactive: rows shown below the CPU lines */
#define KEY_POLL_MS  50
#define CPUS_MAX     64 /* the kernel's CPU_MAX */
#define CLEAR_SCREEN "\x1b[H\x1b[2J"

typedef struct {
	bool threads;	     /* -t */
	uint64_t delay_ms;   /* -d */
	unsigned long count; /* -n; 0: interactive */
} top_opts_t;

/** Tenths of a percent of @a wall_ns that @a cycles make. */
static unsigned long share_x10(uint64_t cycles, uint64_t wall_ns)
{
	if (wall_ns == 0)
		return 0;
	return (unsigned long) (clock_cycles_to_ns(cycles) * 1000 / wall_ns);
}

/** The idle thread of CPU @a cpu in @a s, or NULL. */
static const top_row_t *idle_thread(const top_sample_t *s, uint32_t cpu)
{
	for (size_t i = 0; i < s->thread_count; i++) {
		const top_row_t *t = &s->threads[i];
		if ((t->flags & THREAD_INFO_IDLE) && t->cpu == cpu)
			return t;
	}
	return NULL;
}

static size_t cpu_count(const top_sample_t *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->thread_count; i++)
		n += (s->threads[i].flags & THREAD_INFO_IDLE) != 0;
	return n;
}

/** The per-CPU lines in CPU order: each CPU's busy share, what its idle
 *  thread did not use. */
static void print_cpus(const top_sample_t *s, uint64_t wall_ns)
{
	size_t left = cpu_count(s);
	for (uint32_t cpu = 0; left > 0 && cpu < CPUS_MAX; cpu++) {
		const top_row_t *t = idle_thread(s, cpu);
		if (t == NULL)
			continue;
		left--;
		unsigned long idle = share_x10(t->delta, wall_ns);
		unsigned long busy = idle >= 1000 ? 0 : 1000 - idle;
		printf("cpu%-2u %3lu.%lu%% busy\n", (unsigned) cpu, busy / 10, busy % 10);
	}
}

/** "12.345": @a cycles of CPU time in seconds, in @a buf. */
static const char *time_text(uint64_t cycles, char *buf, size_t size)
{
	uint64_t ms = clock_cycles_to_ns(cycles) / NS_PER_MS;
	snprintf(buf, size, "%llu.%03llu", (unsigned long long) (ms / 1000),
	    (unsigned long long) (ms % 1000));
	return buf;
}

/** "99": the user share of @a r's ticks, "-" without ticks. */
static const char *user_text(const top_row_t *r, char *buf, size_t size)
{
	if (r->ticks == 0)
		return "-";
	snprintf(
	    buf, size, "%llu", (unsigned long long) (r->user_ticks * 100 / r->ticks));
	return buf;
}

static const char *state_text(uint32_t state)
{
	static const char *const names[] = {
	    "new", "ready", "running", "blocked", "exited"};
	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

static void print_task(const top_row_t *r, uint64_t wall_ns)
{
	char tbuf[24], ubuf[8];
	unsigned long pct = share_x10(r->delta, wall_ns);
	printf("%8llu %-16s %3u %3lu.%lu %8s %5s\n", (unsigned long long) r->id, r->name,
	    (unsigned) r->threads, pct / 10, pct % 10,
	    time_text(r->cycles, tbuf, sizeof(tbuf)), user_text(r, ubuf, sizeof(ubuf)));
}

static void print_thread(const top_row_t *r, uint64_t wall_ns)
{
	char tbuf[24], ubuf[8];
	unsigned long pct = share_x10(r->delta, wall_ns);
	printf("%8llu %6llu %-16s %-7s %3u %3lu.%lu %8s %5s\n",
	    (unsigned long long) r->id, (unsigned long long) r->task_id, r->name,
	    state_text(r->state), (unsigned) r->cpu, pct / 10, pct % 10,
	    time_text(r->cycles, tbuf, sizeof(tbuf)), user_text(r, ubuf, sizeof(ubuf)));
}

/** Prints one snapshot of @a now (deltas set, rows sorted); at most
 *  @a max_rows rows (0: all). */
static void print_snapshot(const top_opts_t *o, const top_sample_t *now,
    const top_sample_t *before, size_t max_rows)
{
	uint64_t wall_ns = now->ns - before->ns;
	printf("top: %zu tasks, %zu threads, %zu CPUs, interval %llu.%03llu s\n",
	    now->task_count, now->thread_count, cpu_count(now),
	    (unsigned long long) (wall_ns / NS_PER_SEC),
	    (unsigned long long) (wall_ns % NS_PER_SEC / NS_PER_MS));
	print_cpus(now, wall_ns);
	const top_row_t *rows = o->threads ? now->threads : now->tasks;
	size_t n = o->threads ? now->thread_count : now->task_count;
	if (max_rows != 0 && n > max_rows)
		n = max_rows;
	if (o->threads)
		printf("%8s %6s %-16s %-7s %3s %5s %8s %5s\n", "TID", "TASK", "NAME",
		    "STATE", "CPU", "CPU%", "TIME", "USER%");
	else
		printf("%8s %-16s %3s %5s %8s %5s\n", "ID", "NAME", "THR", "CPU%", "TIME",
		    "USER%");
	for (size_t i = 0; i < n; i++) {
		if (o->threads)
			print_thread(&rows[i], wall_ns);
		else
			print_task(&rows[i], wall_ns);
	}
}

/** Takes the next sample into @a now, with deltas against @a before and its
 *  rows sorted. */
static errno_t sample_next(top_sample_t *now, const top_sample_t *before)
{
	errno_t rc = top_sample_take(now);
	if (rc != EOK)
		return rc;
	top_sample_deltas(now, before);
	top_rows_sort(now->tasks, now->task_count);
	top_rows_sort(now->threads, now->thread_count);
	return EOK;
}

/** Batch mode: o->count snapshots, one interval apart. */
static errno_t run_batch(const top_opts_t *o)
{
	top_sample_t before, now;
	errno_t rc = top_sample_take(&before);
	for (unsigned long k = 0; rc == EOK && k < o->count; k++) {
		fibril_usleep(o->delay_ms * 1000);
		rc = sample_next(&now, &before);
		if (rc != EOK)
			break;
		print_snapshot(o, &now, &before, 0);
		printf("\n");
		fflush(stdout);
		top_sample_free(&before);
		before = now;
	}
	top_sample_free(&before);
	return rc;
}

/** Waits up to @a ms, reading keys from @a term; true when `q` came. */
static bool wait_for_quit(async_sess_t *term, uint64_t ms)
{
	for (uint64_t waited = 0; waited < ms; waited += KEY_POLL_MS) {
		char c;
		size_t got = 0;
		errno_t rc = term_read(term, &c, 1, CHARDEV_NONBLOCK, &got);
		if (rc == EOK && got == 1 && (c == 'q' || c == 'Q'))
			return true;
		if (rc != EOK && rc != EAGAIN)
			return true; /* the terminal went away */
		fibril_usleep(KEY_POLL_MS * 1000);
	}
	return false;
}

/** Interactive mode: redraws every interval until `q`. */
static errno_t run_interactive(const top_opts_t *o)
{
	async_sess_t *term;
	errno_t rc = term_open(&term);
	if (rc != EOK)
		return rc;
	rc = term_set_mode(term, TERM_MODE_RAW);
	if (rc != EOK)
		return rc;
	top_sample_t before, now;
	rc = top_sample_take(&before);
	bool quit = rc != EOK || wait_for_quit(term, o->delay_ms);
	while (!quit) {
		rc = sample_next(&now, &before);
		if (rc != EOK)
			break;
		printf(CLEAR_SCREEN);
		print_snapshot(o, &now, &before, SCREEN_ROWS);
		printf("(q quits)\n");
		fflush(stdout);
		top_sample_free(&before);
		before = now;
		quit = wait_for_quit(term, o->delay_ms);
	}
	top_sample_free(&before);
	errno_t mode_rc = term_set_mode(term, TERM_MODE_COOKED);
	return rc != EOK ? rc : mode_rc;
}

/** Milliseconds from "S", "S.F" (seconds); false if malformed, 0 or above
 *  an hour. */
static bool parse_delay(const char *text, uint64_t *ms)
{
	char *end;
	unsigned long long sec = strtoull(text, &end, 10);
	if (end == text || sec > DELAY_MAX_MS / 1000)
		return false;
	uint64_t frac = 0, scale = 100;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10)
			frac += (uint64_t) (*end - '0') * scale;
	}
	*ms = sec * 1000 + frac;
	return *end == '\0' && *ms > 0 && *ms <= DELAY_MAX_MS;
}

static bool parse_count(const char *text, unsigned long *count)
{
	char *end;
	unsigned long n = strtoul(text, &end, 10);
	*count = n;
	return end != text && *end == '\0' && n > 0 && n <= COUNT_MAX;
}

/** Reads the options into @a o; false on a bad one (reported). */
static bool parse_options(int argc, char **argv, top_opts_t *o)
{
	*o = (top_opts_t){.threads = false, .delay_ms = 1000, .count = 0};
	int opt;
	while ((opt = getopt(argc, argv, "td:n:")) != -1) {
		bool ok = true;
		if (opt == 't')
			o->threads = true;
		else if (opt == 'd')
			ok = parse_delay(optarg, &o->delay_ms);
		else if (opt == 'n')
			ok = parse_count(optarg, &o->count);
		else
			return false;
		if (!ok) {
			fprintf(stderr, "%s: bad value for -%c: %s\n", cmd_name(argv[0]),
			    opt, optarg);
			cmd_usage_error(argv[0], USAGE);
			return false;
		}
	}
	if (optind != argc) {
		cmd_usage_error(argv[0], USAGE);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	top_opts_t o;
	if (!parse_options(argc, argv, &o))
		return CMD_EXIT_USAGE;
	errno_t rc = o.count != 0 ? run_batch(&o) : run_interactive(&o);
	if (rc != EOK)
		return cmd_error(argv[0], o.count != 0 ? "sample" : "terminal", rc);
	return CMD_EXIT_OK;
}
