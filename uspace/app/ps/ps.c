/*
 * ps: one line per task: id, parent, name, threads, resident memory in KiB
 * and the IPC calls it sent and received (SYS_TASK_LIST, SYS_TASK_INFO).
 * ps -l: each task's quota use against its limits (SYS_QUOTA_GET) and its
 * permissions (docs/security.md).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <task.h>

#define USAGE	 "[-l]\n  -l  quota use/limit and permissions of each task"
#define PAGE_KIB 4

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

/** "USED/LIMIT" of quota @a kind in @a q into @a buf ("-" for no limit);
 *  memory in KiB. */
static const char *use_text(const quota_info_t *q, unsigned kind, char *buf, size_t size)
{
	uint64_t scale = kind == QUOTA_MEMORY ? PAGE_KIB : 1;
	unsigned long long used = (unsigned long long) (q->used[kind] * scale);
	if (q->limit[kind] == QUOTA_UNLIMITED)
		snprintf(buf, size, "%llu/-", used);
	else
		snprintf(buf, size, "%llu/%llu", used,
		    (unsigned long long) (q->limit[kind] * scale));
	return buf;
}

/** The names of the PERM_* bits of @a perms, comma-separated ("-": none). */
static const char *perm_text(unsigned perms, char *buf, size_t size)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {{PERM_PHYSMEM, "physmem"}, {PERM_IO, "io"}, {PERM_IRQ, "irq"},
	    {PERM_TASK, "task"}, {PERM_IPCLOG, "ipclog"}, {PERM_NET, "net"}};
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((perms & names[i].bit) && len + 16 < size)
			len += (size_t) snprintf(buf + len, size - len, "%s%s",
			    len > 0 ? "," : "", names[i].name);
	}
	return len > 0 ? buf : "-";
}

/** ps -l's line for task @a id; a task that ended meanwhile is left out. */
static errno_t show_long(uint64_t id)
{
	task_info_t info;
	quota_info_t q;
	errno_t rc = task_get_info(id, &info);
	if (rc == EOK)
		rc = quota_get(id, &q);
	if (rc == ENOENT || (rc == EOK && info.zombie))
		return EOK;
	if (rc != EOK)
		return rc;
	char t[32], th[32], c[32], m[40], k[32], p[48];
	printf("%6llu %-16s %11s %11s %13s %15s %11s %s\n", (unsigned long long) info.id,
	    info.name, use_text(&q, QUOTA_TASKS, t, sizeof(t)),
	    use_text(&q, QUOTA_THREADS, th, sizeof(th)),
	    use_text(&q, QUOTA_CAPS, c, sizeof(c)),
	    use_text(&q, QUOTA_MEMORY, m, sizeof(m)),
	    use_text(&q, QUOTA_CALLS, k, sizeof(k)), perm_text(info.perms, p, sizeof(p)));
	return EOK;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	bool longer = false;
	int opt;
	while ((opt = getopt(argc, argv, "l")) != -1) {
		if (opt != 'l')
			return CMD_EXIT_USAGE;
		longer = true;
	}
	if (optind != argc)
		return cmd_usage_error(argv[0], USAGE);
	uint64_t *ids;
	size_t count;
	errno_t rc = task_list_all(&ids, &count);
	if (rc != EOK)
		return cmd_error(argv[0], "task list", rc);
	if (longer)
		printf("%6s %-16s %11s %11s %13s %15s %11s %s\n", "ID", "NAME", "TASKS",
		    "THREADS", "CAPS", "MEM-KiB", "CALLS", "PERMS");
	else
		printf("%6s %6s %-16s %3s %8s %8s %8s\n", "ID", "PARENT", "NAME", "THR",
		    "RSS-KiB", "SENT", "RECV");
	int status = CMD_EXIT_OK;
	for (size_t i = 0; i < count; i++) {
		rc = longer ? show_long(ids[i]) : show(ids[i]);
		if (rc != EOK)
			status = cmd_error(argv[0], "task info", rc);
	}
	free(ids);
	return status;
}
