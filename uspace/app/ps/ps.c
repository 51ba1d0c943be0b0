/*
 * ps: one line per task: id, parent, name, threads, resident memory in KiB
 * and the IPC calls it sent and received (SYS_TASK_LIST, SYS_TASK_INFO).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <task.h>

#define USAGE	 ""
#define PAGE_KIB 4

/** The ids of all tasks in a malloc'ed array of *@a count. */
static errno_t list_ids(uint64_t **ids, size_t *count)
{
	size_t room = 64;
	for (;;) {
		uint64_t *buf = malloc(room * sizeof(*buf));
		if (buf == NULL)
			return ENOMEM;
		size_t n;
		errno_t rc = task_list(buf, room, &n);
		if (rc == EOK && n <= room) {
			*ids = buf;
			*count = n;
			return EOK;
		}
		free(buf);
		if (rc != EOK)
			return rc;
		room = n + 16; /* tasks may start meanwhile */
	}
}

/** Prints task @a id; a task that ended since the list was made is left
 *  out. */
static errno_t show(uint64_t id)
{
	task_info_t info;
	errno_t rc = task_get_info(id, &info);
	if (rc == ENOENT)
		return EOK;
	if (rc != EOK)
		return rc;
	printf("%6llu %6llu %-16s %3u %8llu %8llu %8llu%s\n",
	    (unsigned long long) info.id, (unsigned long long) info.parent_id, info.name,
	    (unsigned) info.threads, (unsigned long long) info.resident_pages * PAGE_KIB,
	    (unsigned long long) info.calls_sent,
	    (unsigned long long) info.calls_received, info.zombie ? " (ended)" : "");
	return EOK;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	uint64_t *ids;
	size_t count;
	errno_t rc = list_ids(&ids, &count);
	if (rc != EOK)
		return cmd_error(argv[0], "task list", rc);
	printf("%6s %6s %-16s %3s %8s %8s %8s\n", "ID", "PARENT", "NAME", "THR",
	    "RSS-KiB", "SENT", "RECV");
	int status = CMD_EXIT_OK;
	for (size_t i = 0; i < count; i++) {
		rc = show(ids[i]);
		if (rc != EOK)
			status = cmd_error(argv[0], "task info", rc);
	}
	free(ids);
	return status;
}
