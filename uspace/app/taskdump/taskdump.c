/*
 * taskdump TASK: stops a task (an id, or the name of exactly one task),
 * prints each thread's registers and symbolic backtrace (symbols from the
 * program's ELF file), and lets it go on. Through the debug interface
 * (exc.h): a task may dump its children, and with PERM_DEBUG (the shell
 * holds it and hands it on) any task. A thread blocked in an IPC or futex
 * wait is shown stopped there, with the registers of the call's entry; one
 * blocked in a light system call (a sleep, a task wait) is listed as
 * running, without registers.
 */
#include <backtrace.h>
#include <exc.h>
#include <fibril.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define USAGE	     "TASK\n  TASK  a task id, or the name of one task"
#define THREADS_MAX  64
#define TASKS_MAX    256
#define STOP_TRIES   500 /* polls of 10 ms for the threads to stop */
#define STOP_POLL_US 10000

/** The one task named @a name (ENOENT: none, EEXIST: several). */
static errno_t task_by_name(const char *name, task_id_t *id)
{
	static uint64_t ids[TASKS_MAX];
	size_t n = 0;
	errno_t rc = task_list(ids, TASKS_MAX, &n);
	if (rc != EOK)
		return rc;
	size_t found = 0;
	for (size_t i = 0; i < n && i < TASKS_MAX; i++) {
		task_info_t info;
		if (ids[i] == task_get_id() || task_get_info(ids[i], &info) != EOK ||
		    info.zombie || strcmp(info.name, name) != 0)
			continue;
		*id = ids[i];
		found++;
	}
	return found == 1 ? EOK : found == 0 ? ENOENT : EEXIST;
}

static errno_t task_arg(const char *text, task_id_t *id)
{
	char *end;
	if (*text >= '0' && *text <= '9') {
		*id = strtoull(text, &end, 10);
		return *end == '\0' ? EOK : EINVAL;
	}
	return task_by_name(text, id);
}

/** Waits until every thread of @a id has stopped (or the tries run out:
 *  those blocked in a light system call never do); the list in @a t. */
static errno_t threads_stopped(task_id_t id, exc_thread_info_t *t, size_t *n)
{
	for (int i = 0; i < STOP_TRIES; i++) {
		errno_t rc = debug_threads(id, t, THREADS_MAX, n);
		if (rc != EOK)
			return rc;
		size_t running = 0;
		for (size_t k = 0; k < *n && k < THREADS_MAX; k++)
			running += t[k].state == EXC_THREAD_RUNNING;
		if (running == 0)
			break;
		fibril_usleep(STOP_POLL_US);
	}
	if (*n > THREADS_MAX)
		*n = THREADS_MAX;
	return EOK;
}

static void print_line(void *arg, const char *line)
{
	printf("%s\n", line);
}

static void thread_dump(
    task_id_t id, const exc_thread_info_t *t, const elf_symbols_t *syms)
{
	static const char *const states[] = {"running", "stopped", "faulted"};
	printf("thread %llu (%s): %s", (unsigned long long) t->id, t->name,
	    t->state < 3 ? states[t->state] : "?");
	if (t->state == EXC_THREAD_STOPPED && t->kind == EXC_STOPPED_IN_SYSCALL)
		printf(" in a system call");
	if (t->state == EXC_THREAD_FAULTED)
		printf(", exception %u at %#llx", t->kind,
		    (unsigned long long) t->fault_addr);
	printf("\n");
	exc_regs_t regs;
	if (t->state == EXC_THREAD_RUNNING || debug_regs_get(id, t->id, &regs) != EOK) {
		printf("  (in the kernel: no registers)\n");
		return;
	}
	backtrace_regs(&regs, print_line, NULL);
	backtrace_walk(id, &regs, syms, print_line, NULL);
}

static int dump(const char *argv0, task_id_t id)
{
	task_info_t info;
	errno_t rc = task_get_info(id, &info);
	if (rc != EOK)
		return cmd_error(argv0, "task", rc);
	char path[64];
	elf_symbols_t syms;
	bool have_syms = backtrace_program_path(info.name, path, sizeof(path)) == EOK &&
	    elf_symbols_load(path, &syms) == EOK;
	rc = debug_stop(id);
	if (rc != EOK) {
		if (have_syms)
			elf_symbols_free(&syms);
		return cmd_fail(argv0, "stop", rc);
	}
	static exc_thread_info_t threads[THREADS_MAX];
	size_t n = 0;
	rc = threads_stopped(id, threads, &n);
	printf("task %llu (%s)%s\n", (unsigned long long) id, info.name,
	    have_syms ? "" : ": no symbols");
	for (size_t i = 0; rc == EOK && i < n; i++)
		thread_dump(id, &threads[i], have_syms ? &syms : NULL);
	DISCARD(best_effort, debug_resume(id));
	if (have_syms)
		elf_symbols_free(&syms);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(argv0, "threads", rc);
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	if (optind + 1 != argc)
		return cmd_usage_error(argv[0], USAGE);
	task_id_t id = 0;
	errno_t rc = task_arg(argv[optind], &id);
	if (rc != EOK)
		return cmd_error(argv[0], argv[optind], rc);
	return dump(argv[0], id);
}
