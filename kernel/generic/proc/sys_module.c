/*
 * Reading the boot modules (the programs and files GRUB loaded with the
 * kernel) from user space: the program loader takes its programs from here
 * until a file system serves them. A module is named by the first word of
 * its command line. Modules are public: any task may read them; a task
 * with PERM_TASK may take one over (tmpfs its root archive), and then it is
 * gone for everyone (proc/module.h); any task may map an ELF module
 * read-only (the loader its programs: no copy, and their read-only segments
 * are then the module's own frames, proc/image.h).
 */
#include <arch/mm.h>
#include <boot.h>
#include <proc/module.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>

/** Copies the module name @a name of @a len bytes into @a kname
 *  (TASK_NAME_MAX bytes); ENOENT for a name no module can have. */
static errno_t name_get(sysarg_t name, sysarg_t len, char *kname)
{
	errno_t rc = copy_name_from_uspace(kname, TASK_NAME_MAX, name, len);
	if (rc == EOK && (kname[0] == '\0' || strchr(kname, ' ') != NULL))
		rc = ENOENT;
	return rc;
}

/** Pins the module named by the user string @a name of @a len bytes. */
static errno_t pin(sysarg_t name, sysarg_t len, const boot_module_t **m)
{
	char kname[TASK_NAME_MAX];
	errno_t rc = name_get(name, len, kname);
	return rc == EOK ? module_pin(kname, m) : rc;
}

sysarg_t sys_module_size(sysarg_t name, sysarg_t len, sysarg_t size_out)
{
	const boot_module_t *m;
	errno_t rc = pin(name, len, &m);
	if (rc != EOK)
		return (sysarg_t) rc;
	uint64_t size = m->end - m->start;
	module_unpin(m);
	return (sysarg_t) copy_to_uspace(size_out, &size, sizeof(size));
}

/** Copies bytes [@a offset, @a offset + @a size) of the module, which must
 *  lie inside it (EINVAL otherwise), to @a buf. */
sysarg_t sys_module_read(
    sysarg_t name, sysarg_t len, sysarg_t offset, sysarg_t buf, sysarg_t size)
{
	const boot_module_t *m;
	errno_t rc = pin(name, len, &m);
	if (rc != EOK)
		return (sysarg_t) rc;
	uint64_t total = m->end - m->start;
	if (offset > total || size > total - offset)
		rc = EINVAL;
	else
		rc = copy_to_uspace(
		    buf, (const uint8_t *) phys_to_virt(m->start) + offset, size);
	module_unpin(m);
	return (sysarg_t) rc;
}

/** Writes @a base and @a size to user words @a base_out and @a size_out. */
static errno_t outputs_put(
    sysarg_t base_out, sysarg_t size_out, uint64_t base, uint64_t size)
{
	errno_t rc = copy_to_uspace(base_out, &base, sizeof(base));
	return rc == EOK ? copy_to_uspace(size_out, &size, sizeof(size)) : rc;
}

/** Maps ELF module @a name read-only into the caller (module_map): its
 *  base in *@a base_out, its size in *@a size_out. Any task may: modules
 *  are public. */
sysarg_t sys_module_map(sysarg_t name, sysarg_t len, sysarg_t base_out, sysarg_t size_out)
{
	char kname[TASK_NAME_MAX];
	errno_t rc = name_get(name, len, kname);
	/* Both outputs are checked writable before anything changes. */
	if (rc == EOK)
		rc = outputs_put(base_out, size_out, 0, 0);
	uintptr_t at;
	uint64_t size;
	if (rc == EOK)
		rc = module_map(THREAD->task->as, kname, &at, &size);
	if (rc != EOK)
		return (sysarg_t) rc;
	/* Unmapped meanwhile by another thread: the area was the caller's. */
	(void) outputs_put(base_out, size_out, at, size);
	return EOK;
}

/** Takes module @a name over into a new area of the caller (module_take);
 *  its base in *@a base_out, the module's size in *@a size_out. */
sysarg_t sys_module_take(
    sysarg_t name, sysarg_t len, sysarg_t base_out, sysarg_t size_out)
{
	task_t *self = THREAD->task;
	if (!(self->perms & PERM_TASK))
		return (sysarg_t) EPERM;
	char kname[TASK_NAME_MAX];
	uint64_t base = 0, size = 0;
	errno_t rc = name_get(name, len, kname);
	/* Both outputs are checked writable before anything changes. */
	if (rc == EOK)
		rc = outputs_put(base_out, size_out, base, size);
	uintptr_t at;
	if (rc == EOK)
		rc = module_take(self->as, kname, &at, &size);
	if (rc != EOK)
		return (sysarg_t) rc;
	/* Unmapped meanwhile by another thread: the area is the caller's all
	 * the same (as_area_query finds it). */
	(void) outputs_put(base_out, size_out, at, size);
	return EOK;
}
