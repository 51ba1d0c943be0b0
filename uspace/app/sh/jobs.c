/*
 * Background jobs: a pipeline started with `&` runs while the shell reads
 * the next line. It does not read the terminal and Ctrl-C does not reach
 * it (only the foreground pipeline is the terminal's) until `fg` brings it
 * to the foreground. One waiter fibril per job collects its programs' ends
 * and marks it done; the shell says "[N] Done" before its next prompt.
 *
 * sh->jobs is changed under sh->jobs_lock by the main fibril (add, fg,
 * wait, forget) and the waiters (done, status); jobs_cv is broadcast when a
 * job is done. Only the main fibril frees a slot.
 */
#include "sh.h"
#include <fibril.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static errno_t job_waiter(void *arg);

typedef struct {
	sh_t *sh;
	sh_job_t *job;
} sh_waiter_arg_t;

sh_job_t *jobs_reserve(sh_t *sh)
{
	for (int i = 0; i < SH_JOBS_MAX; i++) {
		if (!sh->jobs[i].used)
			return &sh->jobs[i];
	}
	return NULL;
}

bool jobs_start(sh_t *sh, sh_job_t *job, const char *text, size_t len)
{
	sh_waiter_arg_t *arg = malloc(sizeof(*arg));
	if (arg == NULL)
		return false;
	*arg = (sh_waiter_arg_t){sh, job};
	fid_t f = fibril_create(job_waiter, arg);
	if (f == 0) {
		free(arg);
		return false;
	}
	fibril_mutex_lock(&sh->jobs_lock);
	job->used = true;
	job->done = false;
	job->number = (int) (job - sh->jobs) + 1;
	size_t n = len < SH_JOB_TEXT_MAX ? len : SH_JOB_TEXT_MAX;
	memcpy(job->text, text, n);
	job->text[n] = '\0';
	fibril_mutex_unlock(&sh->jobs_lock);
	task_id_t last = 0;
	for (int i = 0; i < job->run.nstages; i++)
		last = job->run.started[i] ? job->run.ids[i] : last;
	sh_printf(sh, -1, "[%d] %llu\n", job->number, (unsigned long long) last);
	fibril_detach(f);
	fibril_add_ready(f);
	return true;
}

/** Waits for every program of the job; then marks it done. */
static errno_t job_waiter(void *p)
{
	sh_waiter_arg_t *arg = p;
	sh_t *sh = arg->sh;
	sh_job_t *job = arg->job;
	free(arg);
	/* job->run is this fibril's alone until done is set. */
	int status = run_wait_pipeline(sh, &job->run);
	fibril_mutex_lock(&sh->jobs_lock);
	job->status = status;
	job->done = true;
	fibril_condvar_broadcast(&sh->jobs_cv);
	fibril_mutex_unlock(&sh->jobs_lock);
	return EOK;
}

/** Says how job @a job stands on @a out. */
static void job_print(sh_t *sh, int out, const sh_job_t *job)
{
	if (job->done && job->status != 0)
		sh_printf(
		    sh, out, "[%d] Done (%d)  %s\n", job->number, job->status, job->text);
	else
		sh_printf(sh, out, "[%d] %s  %s\n", job->number,
		    job->done ? "Done" : "Running", job->text);
}

void jobs_report_done(sh_t *sh)
{
	fibril_mutex_lock(&sh->jobs_lock);
	for (int i = 0; i < SH_JOBS_MAX; i++) {
		sh_job_t *job = &sh->jobs[i];
		if (job->used && job->done) {
			job_print(sh, -1, job);
			job->used = false;
		}
	}
	fibril_mutex_unlock(&sh->jobs_lock);
}

int jobs_builtin_jobs(sh_t *sh, int argc, char **argv, int out)
{
	fibril_mutex_lock(&sh->jobs_lock);
	for (int i = 0; i < SH_JOBS_MAX; i++) {
		sh_job_t *job = &sh->jobs[i];
		if (!job->used)
			continue;
		job_print(sh, out, job);
		if (job->done)
			job->used = false;
	}
	fibril_mutex_unlock(&sh->jobs_lock);
	return 0;
}

/** The job @a spec names (%N or N; NULL: the newest); reports if none. */
static sh_job_t *job_find(sh_t *sh, const char *name, const char *spec)
{
	sh_job_t *found = NULL;
	if (spec == NULL) {
		for (int i = 0; i < SH_JOBS_MAX; i++) {
			if (sh->jobs[i].used &&
			    (found == NULL || sh->jobs[i].number > found->number))
				found = &sh->jobs[i];
		}
	} else {
		char *end;
		long n = strtol(spec + (spec[0] == '%'), &end, 10);
		if (*end == '\0' && n >= 1 && n <= SH_JOBS_MAX && sh->jobs[n - 1].used)
			found = &sh->jobs[n - 1];
	}
	if (found == NULL)
		sh_error(sh, "%s: %s", name, spec != NULL ? "no such job" : "no jobs");
	return found;
}

/** Waits (jobs_lock held) until @a job is done; forgets it; its $?. */
static int job_collect(sh_t *sh, sh_job_t *job)
{
	while (!job->done)
		fibril_condvar_wait(&sh->jobs_cv, &sh->jobs_lock);
	job->used = false;
	return job->status;
}

int jobs_builtin_wait(sh_t *sh, int argc, char **argv, int out)
{
	int status = 0;
	fibril_mutex_lock(&sh->jobs_lock);
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			sh_job_t *job = job_find(sh, "wait", argv[i]);
			status = job != NULL ? job_collect(sh, job) : SH_STATUS_NOT_FOUND;
		}
	} else {
		for (int i = 0; i < SH_JOBS_MAX; i++) {
			if (sh->jobs[i].used)
				status = job_collect(sh, &sh->jobs[i]);
		}
	}
	fibril_mutex_unlock(&sh->jobs_lock);
	return status;
}

int jobs_builtin_fg(sh_t *sh, int argc, char **argv, int out)
{
	fibril_mutex_lock(&sh->jobs_lock);
	sh_job_t *job = job_find(sh, "fg", argc > 1 ? argv[1] : NULL);
	if (job == NULL) {
		fibril_mutex_unlock(&sh->jobs_lock);
		return 1;
	}
	sh_printf(sh, -1, "%s\n", job->text);
	/* Its programs get the terminal; Ctrl-C now kills them. */
	sh_pipe_run_t run = job->run; /* its waiter changes job->run */
	bool any = !job->done && run_foreground_pipeline(sh, &run);
	int status = job_collect(sh, job);
	fibril_mutex_unlock(&sh->jobs_lock);
	if (any)
		run_foreground(sh, 0);
	return status;
}
