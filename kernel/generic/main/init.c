/*
 * Starting user space: the init tasks named by the `init=a,b,...` option (in
 * that order, with every permission; the first is the naming service), or a
 * single test task with `testtask=NAME` (arguments from `testargs=a,b,c` if
 * given), after whose end the machine powers off with a status that tells
 * pass (exit status 0) from fail. A test task is the naming service of the
 * tasks it starts, unless `testinit=a,b,...` names tasks to start before it
 * as `init=` would (the first of them then is).
 */
#include <arch/asm.h>
#include <arch/cycle.h>
#include <arch/mm.h>
#include <mm/frame.h>
#include <boot.h>
#include <cmdline.h>
#include <common/strerror.h>
#include <printf.h>
#include <proc/module.h>
#include <proc/program.h>
#include <proc/task.h>
#include <ipc/ipc.h>
#include <string.h>
#include <system.h>

#define INIT_LIST_MAX 256

void init_start_user(void);

/** Loads the boot module @a name with its own command line, or with
 *  @a args (words separated by commas) instead of its arguments, into a
 *  task that has not run yet (program_load). */
static errno_t load_module(const char *name, const char *args, program_t *out)
{
	const boot_module_t *m;
	errno_t rc = module_pin(name, &m);
	if (rc != EOK)
		return rc;
	char cmdline[TASK_CMDLINE_MAX];
	if (args == NULL) {
		str_lcpy(cmdline, m->cmdline, sizeof(cmdline));
	} else {
		snprintf(cmdline, sizeof(cmdline), "%s %s", name, args);
		for (char *p = cmdline; *p != '\0'; p++)
			*p = *p == ',' ? ' ' : *p;
	}
	rc = program_load(
	    phys_to_virt(m->start), m->end - m->start, cmdline, NULL, PERM_ALL, out);
	module_unpin(m);
	return rc;
}

/** Starts @a p, a user-space root: it becomes the naming service if none
 *  is yet, and (with @a essential) its end reboots the machine. Both are
 *  set before its first instruction: the tasks it starts at once need their
 *  phone 1, and it may end at once. */
static task_t *start_root(program_t *p, bool essential)
{
	ipc_set_naming_service(p->task);
	p->task->essential = essential;
	program_start(p);
	return p->task;
}

/** Starts the tasks of @a list (the first is the naming service); with
 *  @a essential their end reboots the machine (the boot's init= tasks; not
 *  a test's testinit= ones, which a test may end). */
static void start_init_tasks(const char *list, bool essential)
{
	char names[INIT_LIST_MAX];
	str_lcpy(names, list, sizeof(names));
	for (char *name = names; name != NULL && *name != '\0';) {
		char *comma = strchr(name, ',');
		if (comma != NULL)
			*comma = '\0';
		program_t p;
		errno_t rc = load_module(name, NULL, &p);
		if (rc == EOK) {
			task_t *task = start_root(&p, essential);
			printf("init: started %s as task %llu\n", name,
			    (unsigned long long) task->id);
			task_put(task);
		} else {
			printf("init: cannot start %s: %s\n", name, strerror(rc));
		}
		name = comma != NULL ? comma + 1 : NULL;
	}
}

static NORETURN void run_test_task(const char *name)
{
	char args[INIT_LIST_MAX];
	if (cmdline_get(boot_info.cmdline, "testinit", args, sizeof(args)) == EOK)
		start_init_tasks(args, false);
	bool have_args = cmdline_get(boot_info.cmdline, "testargs", args, sizeof(args)) ==
	    EOK;
	program_t p;
	errno_t rc = load_module(name, have_args ? args : NULL, &p);
	if (rc != EOK) {
		printf("testtask: cannot start %s: %s\n", name, strerror(rc));
		system_halt(SYSTEM_HALT_TESTS_FAILED);
	}
	/* Its children reach it on phone 1 unless testinit= started one. */
	task_t *task = start_root(&p, false);
	task_exit_t exit;
	rc = task_wait_ref(task, &exit, 0);
	task_put(task);
	bool passed = rc == EOK && exit.how == TASK_EXIT_NORMAL && exit.status == 0;
	printf("testtask: %s ended (how %d, status %d): %s\n", name, exit.how,
	    exit.status, passed ? "passed" : "FAILED");
	system_halt(passed ? SYSTEM_HALT_TESTS_PASSED : SYSTEM_HALT_TESTS_FAILED);
}

/** Reports how long boot took (under QEMU -icount the TSC counts guest
 *  instructions since power-on) and how much memory the kernel uses. */
static void report_boot_cost(void)
{
	frame_stats_t fs;
	frame_get_stats(&fs);
	printf(
	    "init: user space starts at %llu TSC ticks since power-on, %zu KiB in use\n",
	    (unsigned long long) arch_cycle_count(),
	    (fs.total - fs.free) * (FRAME_SIZE / 1024));
}

void init_start_user(void)
{
	report_boot_cost();
	if (boot_info.modules_dropped > 0)
		printf("init: %zu boot modules left out (at most %d)\n",
		    boot_info.modules_dropped, BOOT_MODULES_MAX);
	char value[INIT_LIST_MAX];
	if (cmdline_get(boot_info.cmdline, "testtask", value, sizeof(value)) == EOK)
		run_test_task(value);
	if (cmdline_get(boot_info.cmdline, "init", value, sizeof(value)) == EOK)
		start_init_tasks(value, true);
	else
		printf("init: no init tasks (boot option init=NAME,...)\n");
}
