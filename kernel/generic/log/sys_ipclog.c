/*
 * IPC log system calls; both need PERM_IPCLOG (records carry other tasks'
 * payloads).
 */
#include <cpu.h>
#include <log/ipclog.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <syscall.h>
#include <uaccess.h>

#define READ_CHUNK 8

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
	default:
		return (sysarg_t) EINVAL;
	}
}

sysarg_t sys_ipclog_read(sysarg_t cursor_p, sysarg_t buf, sysarg_t max, sysarg_t missed_p)
{
	if (!permitted())
		return (sysarg_t) EPERM;
	uint64_t cursor, missed_total = 0;
	errno_t rc = copy_from_uspace(&cursor, cursor_p, sizeof(cursor));
	if (rc == EOK && !uspace_range_ok(buf, max * sizeof(ipclog_record_t)))
		rc = EBADMEM;
	if (rc == EOK)
		rc = copy_to_uspace(missed_p, &missed_total, sizeof(missed_total));
	if (rc != EOK)
		return (sysarg_t) rc;
	ipclog_record_t chunk[READ_CHUNK];
	size_t done = 0;
	while (done < max) {
		uint64_t missed;
		size_t want = max - done < READ_CHUNK ? max - done : READ_CHUNK;
		size_t n = ipclog_read(&cursor, chunk, want, &missed);
		missed_total += missed;
		if (n == 0)
			break;
		rc = copy_to_uspace(buf + done * sizeof(ipclog_record_t), chunk,
		    n * sizeof(ipclog_record_t));
		if (rc != EOK)
			return (sysarg_t) rc;
		done += n;
	}
	rc = copy_to_uspace(cursor_p, &cursor, sizeof(cursor));
	if (rc == EOK)
		rc = copy_to_uspace(missed_p, &missed_total, sizeof(missed_total));
	return rc == EOK ? (sysarg_t) done : (sysarg_t) rc;
}
