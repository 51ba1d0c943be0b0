/*
 * Task system calls: identity, exit, spawning boot modules, waiting, killing
 * and permissions. A task may act on its own children; PERM_TASK extends that
 * to every task.
 */
#include <cpu.h>
#include <proc/program.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>

static task_t *current_task(void)
{
	return THREAD->task;
}

/** Whether the current task may control @a t. */
static bool may_control(const task_t *t)
{
	task_t *self = current_task();
	return (self->perms & PERM_TASK) || t->parent_id == self->id;
}

sysarg_t sys_task_get_id(sysarg_t id_out)
{
	uint64_t id = current_task()->id;
	return (sysarg_t) copy_to_uspace(id_out, &id, sizeof(id));
}

sysarg_t sys_task_set_name(sysarg_t name, sysarg_t len)
{
	char kname[TASK_NAME_MAX];
	errno_t rc = copy_name_from_uspace(kname, sizeof(kname), name, len);
	if (rc != EOK)
		return (sysarg_t) rc;
	if (kname[0] == '\0')
		return (sysarg_t) EINVAL;
	task_t *self = current_task();
	spinlock_lock(&self->lock);
	str_lcpy(self->name, kname, sizeof(self->name));
	spinlock_unlock(&self->lock);
	return EOK;
}

sysarg_t sys_task_exit(sysarg_t status)
{
	task_exit_t how = {.how = TASK_EXIT_NORMAL, .status = (int) status};
	task_kill(current_task(), &how);
	return EOK; /* the thread exits on its way back to user mode */
}

sysarg_t sys_task_spawn_module(sysarg_t cmdline, sysarg_t len, sysarg_t id_out)
{
	char kcmd[TASK_CMDLINE_MAX];
	task_t *self = current_task();
	if (!(self->perms & PERM_TASK))
		return (sysarg_t) EPERM;
	errno_t rc = copy_name_from_uspace(kcmd, sizeof(kcmd), cmdline, len);
	uint64_t id = 0;
	if (rc == EOK)
		rc = copy_to_uspace(id_out, &id, sizeof(id));
	if (rc != EOK)
		return (sysarg_t) rc;
	task_t *child;
	rc = program_spawn_module(kcmd, self, 0, &child);
	if (rc != EOK)
		return (sysarg_t) rc;
	id = child->id;
	task_put(child);
	copy_to_uspace(id_out, &id, sizeof(id));
	return EOK;
}

sysarg_t sys_task_wait(sysarg_t id, sysarg_t exit_out, sysarg_t usec)
{
	task_exit_t exit = {0};
	errno_t rc = copy_to_uspace(exit_out, &exit, sizeof(exit));
	if (rc != EOK)
		return (sysarg_t) rc;
	const uint64_t max_usec = UINT64_MAX / 1000;
	rc = task_wait(id, &exit, (usec > max_usec ? max_usec : usec) * 1000);
	if (rc != EOK)
		return (sysarg_t) rc;
	return (sysarg_t) copy_to_uspace(exit_out, &exit, sizeof(exit));
}

sysarg_t sys_task_kill(sysarg_t id)
{
	if (id == 0)
		return (sysarg_t) EPERM;
	task_t *t = task_find(id);
	if (t == NULL)
		return (sysarg_t) ENOENT;
	errno_t rc = EPERM;
	if (may_control(t) || t == current_task()) {
		task_exit_t how = {.how = TASK_EXIT_KILLED, .status = -1};
		task_kill(t, &how);
		rc = EOK;
	}
	task_put(t);
	return (sysarg_t) rc;
}

sysarg_t sys_perm_grant(sysarg_t task_id, sysarg_t perms)
{
	task_t *self = current_task();
	if ((perms & ~(sysarg_t) PERM_ALL) != 0)
		return (sysarg_t) EINVAL;
	if ((perms & ~(sysarg_t) self->perms) != 0)
		return (sysarg_t) EPERM;
	task_t *t = task_find(task_id);
	if (t == NULL)
		return (sysarg_t) ENOENT;
	errno_t rc = EPERM;
	if (t != &kernel_task && may_control(t)) {
		spinlock_lock(&t->lock);
		t->perms |= (unsigned) perms;
		spinlock_unlock(&t->lock);
		rc = EOK;
	}
	task_put(t);
	return (sysarg_t) rc;
}

sysarg_t sys_perm_get(sysarg_t perms_out)
{
	unsigned perms = current_task()->perms;
	return (sysarg_t) copy_to_uspace(perms_out, &perms, sizeof(perms));
}
