/*
 * SYS_SYSTEM_POWER: a task with PERM_TASK halts (powers off) or reboots the
 * machine. The kernel names the requesting task on the console first, so a
 * log shows who stopped the system.
 */
#include <abi/power.h>
#include <cpu.h>
#include <printf.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <syscall.h>
#include <system.h>

sysarg_t sys_system_power(sysarg_t mode)
{
	if (mode != POWER_HALT && mode != POWER_REBOOT)
		return (sysarg_t) EINVAL;
	task_t *task = THREAD->task;
	if (!(task->perms & PERM_TASK))
		return (sysarg_t) EPERM;
	if (mode == POWER_HALT) {
		printf("system: powering off (asked by task %llu %s)\n",
		    (unsigned long long) task->id, task->name);
		system_poweroff();
	}
	printf("system: rebooting (asked by task %llu %s)\n",
	    (unsigned long long) task->id, task->name);
	system_reboot();
}
