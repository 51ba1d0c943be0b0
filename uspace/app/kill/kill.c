/*
 * kill: kills the tasks with the given ids (a task may kill its children;
 * others need PERM_TASK).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <task.h>

#define USAGE "ID..."

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

int main(int argc, char *argv[])
{
	return cmd_each(argc, argv, USAGE, kill_one);
}
