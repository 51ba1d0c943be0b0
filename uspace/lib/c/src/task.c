/*
 * Tasks and permissions: thin wrappers of the system calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <ddi.h>
#include <task.h>

task_id_t task_get_id(void)
{
	task_id_t id = 0;
	syscall1(SYS_TASK_GET_ID, (sysarg_t) &id);
	return id;
}

errno_t task_set_name(const char *name)
{
	return (errno_t) syscall2(SYS_TASK_SET_NAME, (sysarg_t) name, strlen(name));
}

_Noreturn void task_exit(int status)
{
	/* The kernel ends every thread of the task on its way back to user
	 * mode; should that ever not happen, this thread must not go on. */
	syscall1(SYS_TASK_EXIT, (sysarg_t) status);
	syscall0(SYS_THREAD_EXIT);
	__builtin_trap();
}

static void describe_fault(const task_exit_t *exit, char *buf, size_t size)
{
	switch (exit->status) {
	case TASK_FAULT_PAGE:
		snprintf(buf, size, "killed: page fault at %#lx",
		    (unsigned long) exit->fault_addr);
		break;
	case TASK_FAULT_NO_MEMORY:
		snprintf(buf, size, "killed: out of memory");
		break;
	case TASK_FAULT_INVALID_OPCODE:
		snprintf(buf, size, "killed: invalid opcode");
		break;
	case TASK_FAULT_GENERAL:
		snprintf(buf, size, "killed: general protection fault");
		break;
	case TASK_FAULT_DIVIDE:
		snprintf(buf, size, "killed: divide error");
		break;
	default:
		snprintf(buf, size, "killed: exception %d", exit->status);
		break;
	}
}

const char *task_exit_describe(const task_exit_t *exit, char *buf, size_t size)
{
	switch (exit->how) {
	case TASK_EXIT_NORMAL:
		snprintf(buf, size, "exit status %d", exit->status);
		break;
	case TASK_EXIT_KILLED:
		snprintf(buf, size, "killed");
		break;
	case TASK_EXIT_FAULT:
		describe_fault(exit, buf, size);
		break;
	default:
		snprintf(buf, size, "still running");
		break;
	}
	return buf;
}

errno_t task_spawn_module(const char *cmdline, task_id_t *id)
{
	return (errno_t) syscall3(
	    SYS_TASK_SPAWN_MODULE, (sysarg_t) cmdline, strlen(cmdline), (sysarg_t) id);
}

errno_t task_join(task_id_t id, task_exit_t *exit, uint64_t usec)
{
	return (errno_t) syscall3(SYS_TASK_WAIT, id, (sysarg_t) exit, usec);
}

errno_t task_get_info(task_id_t id, task_info_t *info)
{
	return (errno_t) syscall2(SYS_TASK_INFO, id, (sysarg_t) info);
}

errno_t task_list(uint64_t *ids, size_t max, size_t *count)
{
	int64_t n = (int64_t) syscall2(SYS_TASK_LIST, (sysarg_t) ids, max);
	if (n < 0)
		return (errno_t) n;
	*count = (size_t) n;
	return EOK;
}

errno_t task_list_all(uint64_t **ids, size_t *count)
{
	size_t room = 64;
	for (;;) {
		uint64_t *buf = malloc(room * sizeof(*buf));
		if (buf == NULL)
			return ENOMEM;
		size_t n = 0;
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

errno_t thread_info_list(task_id_t id, thread_info_t *buf, size_t max, size_t *count)
{
	int64_t n = (int64_t) syscall3(SYS_THREAD_INFO, id, (sysarg_t) buf, max);
	if (n < 0)
		return (errno_t) n;
	*count = (size_t) n;
	return EOK;
}

errno_t kernel_stats_get(kernel_stats_t *stats)
{
	return (errno_t) syscall1(SYS_KERNEL_STATS, (sysarg_t) stats);
}

errno_t task_kill(task_id_t id)
{
	return (errno_t) syscall1(SYS_TASK_KILL, id);
}

unsigned perm_get(void)
{
	unsigned perms = 0;
	syscall1(SYS_PERM_GET, (sysarg_t) &perms);
	return perms;
}

errno_t perm_grant(task_id_t id, unsigned perms)
{
	return (errno_t) syscall2(SYS_PERM_GRANT, id, perms);
}

errno_t quota_get(task_id_t id, quota_info_t *info)
{
	return (errno_t) syscall2(SYS_QUOTA_GET, id, (sysarg_t) info);
}

errno_t quota_set(task_id_t id, unsigned kind, uint64_t limit)
{
	return (errno_t) syscall3(SYS_QUOTA_SET, id, kind, limit);
}

errno_t iospace_enable(uint32_t port, uint32_t size)
{
	return (errno_t) syscall2(SYS_IOSPACE_ENABLE, port, size);
}

errno_t hwres_grant(task_id_t id, const hw_resource_t *res)
{
	return (errno_t) syscall4(SYS_HWRES_GRANT, id, res->kind, res->base, res->size);
}
