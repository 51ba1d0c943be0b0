/*
 * IPC log system calls; both need PERM_IPCLOG (records carry other tasks'
 * payloads).
 */
#include <cpu.h>
#include <log/ipclog.h>
#include <log/ring_uspace.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <syscall.h>
#include <uaccess.h>

static bool permitted(void)
{
	return (THREAD->task->perms & PERM_IPCLOG) != 0;
}

static errno_t control_tasks(sysarg_t ids, sysarg_t count)
{
	uint64_t k[IPCLOG_FILTER_TASKS_MAX];
	if (count > IPCLOG_FILTER_TASKS_MAX)
		return ELIMIT;
	errno_t rc = copy_from_uspace(k, ids, count * sizeof(uint64_t));
	return rc == EOK ? ipclog_filter_tasks(k, count) : rc;
}

/** Copies @a len bytes from @a buf to the export channel, a chunk at a
 *  time (the copy may fault, the port write holds ipclog_export_lock). */
static errno_t control_export(sysarg_t buf, sysarg_t len)
{
	char chunk[256];
	for (sysarg_t done = 0; done < len;) {
		size_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		errno_t rc = copy_from_uspace(chunk, buf + done, n);
		if (rc == EOK)
			rc = ipclog_export(chunk, n);
		if (rc != EOK)
			return rc;
		done += n;
	}
	return EOK;
}

static errno_t control_status(sysarg_t out)
{
	ipclog_status_t st;
	ipclog_status(&st);
	return copy_to_uspace(out, &st, sizeof(st));
}

sysarg_t sys_ipclog_control(sysarg_t cmd, sysarg_t arg, sysarg_t arg2)
{
	if (!permitted())
		return (sysarg_t) EPERM;
	switch (cmd) {
	case IPCLOG_CMD_ENABLE:
		return (sysarg_t) ipclog_enable(arg != 0);
	case IPCLOG_CMD_CLEAR:
		ipclog_clear();
		return EOK;
	case IPCLOG_CMD_FILTER_TASKS:
		return (sysarg_t) control_tasks(arg, arg2);
	case IPCLOG_CMD_FILTER_METHODS:
		return (sysarg_t) ipclog_filter_methods(arg, arg2);
	case IPCLOG_CMD_FILTER_TYPES:
		return (sysarg_t) (arg > UINT32_MAX
			? EINVAL
			: ipclog_filter_types((uint32_t) arg));
	case IPCLOG_CMD_RESIZE:
		return (sysarg_t) ipclog_resize(arg);
	case IPCLOG_CMD_STATUS:
		return (sysarg_t) control_status(arg);
	case IPCLOG_CMD_EXPORT:
		return (sysarg_t) control_export(arg, arg2);
	default:
		return (sysarg_t) EINVAL;
	}
}

_Static_assert(
    sizeof(ipclog_record_t) <= RING_USPACE_CHUNK, "a record fits the bounce buffer");

static size_t ipclog_reader(uint64_t *cursor, void *out, size_t max, uint64_t *missed)
{
	return ipclog_read(cursor, out, max, missed);
}

sysarg_t sys_ipclog_read(sysarg_t cursor_p, sysarg_t buf, sysarg_t max, sysarg_t missed_p)
{
	if (!permitted())
		return (sysarg_t) EPERM;
	return ring_read_to_uspace(
	    ipclog_reader, sizeof(ipclog_record_t), cursor_p, buf, max, missed_p);
}
