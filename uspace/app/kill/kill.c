/*
 * kill: kills the tasks with the given ids (a task may kill its children;
 * others need PERM_TASK). There is one kill, which nothing can catch, so
 * the habits -9 and -KILL (SIGKILL elsewhere) are accepted and mean it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>

#define USAGE "[-9|-KILL] ID..."

/** Parses a task id (decimal digits only) into *@a id. */
static errno_t parse_id(const char *text, task_id_t *id)
{
	char *end;
	if (*text < '0' || *text > '9')
		return EINVAL;
	*id = strtoull(text, &end, 10);
	return *end == '\0' ? EOK : EINVAL;
}

static errno_t kill_one(const char *text)
{
	task_id_t id;
	errno_t rc = parse_id(text, &id);
	return rc == EOK ? task_kill(id) : rc;
}

/** True when @a arg names the kill there is (-9, -KILL). */
static bool kill_signal(const char *arg)
{
	return strcmp(arg, "-9") == 0 || strcmp(arg, "-KILL") == 0;
}

int main(int argc, char *argv[])
{
	if (argc > 1 && kill_signal(argv[1])) {
		argv[1] = argv[0]; /* the signal taken, the rest as without it */
		return cmd_each(argc - 1, argv + 1, USAGE, kill_one);
	}
	return cmd_each(argc, argv, USAGE, kill_one);
}
