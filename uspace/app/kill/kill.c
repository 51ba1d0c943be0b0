/*
 * kill [-9|-KILL] [-f] ID...: kills the tasks with the given ids (a task may
 * kill its children; others need PERM_TASK). There is one kill, which
 * nothing can catch, so the habits -9 and -KILL (SIGKILL elsewhere) are
 * accepted and mean it. A task the system cannot run without
 * (TASK_FLAG_ESSENTIAL: the naming service, the VFS, the root file system,
 * init) is refused unless -f is given, since its end reboots the machine.
 * From the shell a program holds no permissions: `priv kill ID` kills
 * another's task with the shell's, and the messages say so.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define USAGE \
	"[-9|-KILL] [-f] ID...\n" \
	"  -f  also kill a task the system cannot run without (it reboots)"

/** Exit status for a refused essential task. */
#define KILL_EXIT_REFUSED 1

/** Parses a task id (decimal digits only) into *@a id. */
static errno_t parse_id(const char *text, task_id_t *id)
{
	char *end;
	if (*text < '0' || *text > '9')
		return EINVAL;
	*id = strtoull(text, &end, 10);
	return *end == '\0' ? EOK : EINVAL;
}

/** Whether task @a id is one the system cannot lose (its record into
 *  *@a info). A task that cannot be looked up is left for task_kill() to
 *  report. */
static bool is_essential(task_id_t id, task_info_t *info)
{
	return task_get_info(id, info) == EOK && (info->flags & TASK_FLAG_ESSENTIAL) != 0;
}

/** "priv " when we lack PERM_TASK (the shell's prefix that gives it), else "". */
static const char *priv_hint(void)
{
	return (perm_get() & PERM_TASK) != 0 ? "" : "priv ";
}

/** Reports @a rc of killing @a text; EPERM names the prefix that helps. */
static int kill_failed(const char *argv0, const char *text, errno_t rc)
{
	if (rc != EPERM || *priv_hint() == '\0')
		return cmd_error(argv0, text, rc);
	fprintf(stderr, "%s: %s: %s; `priv kill %s` uses the shell's permissions\n",
	    cmd_name(argv0), text, strerror(rc), text);
	return CMD_EXIT_ERROR;
}

/** Kills the task @a text names; the exit status it earns. */
static int kill_one(const char *argv0, const char *text, bool force)
{
	task_id_t id;
	errno_t rc = parse_id(text, &id);
	if (rc != EOK)
		return cmd_error(argv0, text, rc);
	task_info_t info;
	if (!force && is_essential(id, &info)) {
		fprintf(stderr,
		    "%s: task %s (%s) is essential: the system cannot run without it "
		    "and would reboot; `%skill -f %s` kills it all the same\n",
		    cmd_name(argv0), text, info.name, priv_hint(), text);
		return KILL_EXIT_REFUSED;
	}
	rc = task_kill(id);
	return rc == EOK ? CMD_EXIT_OK : kill_failed(argv0, text, rc);
}

/** True when @a arg names the kill there is (-9, -KILL). */
static bool kill_signal(const char *arg)
{
	return strcmp(arg, "-9") == 0 || strcmp(arg, "-KILL") == 0;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (argc > 1 && kill_signal(argv[1])) {
		argv[1] = argv[0]; /* the signal taken, the rest as without it */
		argc--;
		argv++;
	}
	bool force = false;
	int opt;
	while ((opt = getopt(argc, argv, "f")) != -1) {
		if (opt != 'f')
			return CMD_EXIT_USAGE;
		force = true;
	}
	if (optind == argc)
		return cmd_usage_error(argv[0], USAGE);
	int status = CMD_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		int one = kill_one(argv[0], argv[i], force);
		if (one != CMD_EXIT_OK)
			status = one;
	}
	return status;
}
