/*
 * Tasks and permissions: thin wrappers of the system calls.
 */
#include <string.h>
#include <syscall.h>
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

errno_t task_spawn_module(const char *cmdline, task_id_t *id)
{
	return (errno_t) syscall3(
	    SYS_TASK_SPAWN_MODULE, (sysarg_t) cmdline, strlen(cmdline), (sysarg_t) id);
}

errno_t task_join(task_id_t id, task_exit_t *exit, uint64_t usec)
{
	return (errno_t) syscall3(SYS_TASK_WAIT, id, (sysarg_t) exit, usec);
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
