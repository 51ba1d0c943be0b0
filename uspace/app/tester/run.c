/*
 * Running one test program for tester (tester.h): its stdout and stderr go
 * through a pipe to us, we relay them line by line and read its verdicts,
 * and a watchdog fibril kills it once it passes its time limit (killing it
 * closes its end of the pipe, which ends our reading).
 */
#include "tester.h"
#include <errno.h>
#include <fibril.h>
#include <stdio.h>
#include <string.h>
#include <task.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX   512
#define WATCH_USEC 100000

typedef struct {
	task_id_t id;
	uint64_t deadline_ns;
	volatile bool done;    /* set by the runner: the program ended */
	volatile bool stopped; /* set by the watchdog as it returns */
	volatile bool killed;
} watch_t;

static errno_t watchdog(void *arg)
{
	watch_t *w = arg;
	while (!w->done) {
		if (clock_ns() >= w->deadline_ns) {
			w->killed = task_kill(w->id) == EOK;
			break;
		}
		fibril_usleep(WATCH_USEC);
	}
	w->stopped = true;
	return EOK;
}

static errno_t watch_start(watch_t *w, task_id_t id, unsigned limit_s)
{
	*w = (watch_t){.id = id, .deadline_ns = clock_ns() + limit_s * 1000000000ull};
	fid_t f = fibril_create(watchdog, w);
	if (f == 0)
		return ENOMEM;
	fibril_detach(f);
	fibril_add_ready(f);
	return EOK;
}

/** Ends the watchdog; @a w may go once this returns. */
static void watch_stop(watch_t *w)
{
	w->done = true;
	while (!w->stopped)
		fibril_usleep(WATCH_USEC / 10);
}

/** Relays what arrives on @a fd, line by line, into @a v until its end. */
static void relay(int fd, tester_verdict_t *v)
{
	char line[LINE_MAX + 1];
	size_t len = 0;
	char buf[256];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			bool end = buf[i] == '\n';
			if (!end)
				line[len++] = buf[i];
			if (end || len == LINE_MAX) {
				line[len] = '\0';
				printf("%s\n", line);
				verdict_line(v, line);
				len = 0;
			}
		}
	}
	if (len > 0) {
		line[len] = '\0';
		printf("%s\n", line);
		verdict_line(v, line);
	}
}

/** Spawns /test/NAME (boot/rootfs.mk puts tester's programs there, out of
 *  /app) with @a out as its stdout and stderr. */
static errno_t spawn(const tester_prog_t *prog, int out, task_id_t *id, task_wait_t *wait)
{
	char path[64];
	snprintf(path, sizeof(path), "/test/%s", prog->name);
	const char *const args[] = {prog->name, NULL};
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.files[1] = out;
	opts.files[2] = out;
	opts.perms = prog->perms & perm_get();
	return task_spawn_opts(id, wait, path, args, &opts);
}

/** Says how the program ended when that was not a plain exit 0; whether it
 *  was one. */
static bool report_end(
    const tester_prog_t *prog, errno_t rc, const task_exit_t *texit, const watch_t *w)
{
	char why[64];
	if (w->killed) {
		printf("tester: %s: killed after its limit of %u s\n", prog->name,
		    prog->limit_s);
		return false;
	}
	if (rc != EOK) {
		printf("tester: %s: waiting failed: %s\n", prog->name, strerror(rc));
		return false;
	}
	if (texit->how == TASK_EXIT_NORMAL && texit->status == 0)
		return true;
	printf(
	    "tester: %s: %s\n", prog->name, task_exit_describe(texit, why, sizeof(why)));
	return false;
}

errno_t tester_run(const tester_prog_t *prog, tester_count_t *count)
{
	int ends[2];
	if (pipe(ends) != 0)
		return errno;
	task_id_t id;
	task_wait_t wait;
	uint64_t start = clock_ns();
	errno_t rc = spawn(prog, ends[1], &id, &wait);
	close(ends[1]);
	watch_t w;
	if (rc == EOK && (rc = watch_start(&w, id, prog->limit_s)) != EOK) {
		DISCARD(cleanup, task_kill(id)); /* it would run unwatched */
		task_cancel_wait(&wait);
	}
	if (rc != EOK) {
		close(ends[0]);
		return rc;
	}
	tester_verdict_t v;
	verdict_init(&v, prog->name);
	relay(ends[0], &v);
	close(ends[0]);
	task_exit_t texit;
	rc = task_wait(&wait, &texit, NULL);
	watch_stop(&w);
	bool ok = report_end(prog, rc, &texit, &w);
	*count = verdict_result(&v, ok);
	uint64_t ms = (clock_ns() - start) / 1000000;
	printf("tester: %s: %u passed, %u failed in %llu.%01llu s\n", prog->name,
	    count->passed, count->failed, (unsigned long long) ms / 1000,
	    (unsigned long long) ms % 1000 / 100);
	return EOK;
}
