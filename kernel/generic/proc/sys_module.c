/*
 * Reading the boot modules (the programs and files GRUB loaded with the
 * kernel) from user space: the program loader takes its programs from here
 * until a file system serves them. A module is named by the first word of
 * its command line. Modules are public: any task may read them.
 */
#include <arch/mm.h>
#include <boot.h>
#include <proc/program.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>

static errno_t find(sysarg_t name, sysarg_t len, const boot_module_t **m)
{
	char kname[TASK_NAME_MAX];
	errno_t rc = copy_name_from_uspace(kname, sizeof(kname), name, len);
	if (rc != EOK)
		return rc;
	if (kname[0] == '\0' || strchr(kname, ' ') != NULL)
		return ENOENT;
	return program_find_module(kname, m);
}

sysarg_t sys_module_size(sysarg_t name, sysarg_t len, sysarg_t size_out)
{
	const boot_module_t *m;
	errno_t rc = find(name, len, &m);
	if (rc != EOK)
		return (sysarg_t) rc;
	uint64_t size = m->end - m->start;
	return (sysarg_t) copy_to_uspace(size_out, &size, sizeof(size));
}

/** Copies bytes [@a offset, @a offset + @a size) of the module, which must
 *  lie inside it (EINVAL otherwise), to @a buf. */
sysarg_t sys_module_read(
    sysarg_t name, sysarg_t len, sysarg_t offset, sysarg_t buf, sysarg_t size)
{
	const boot_module_t *m;
	errno_t rc = find(name, len, &m);
	if (rc != EOK)
		return (sysarg_t) rc;
	uint64_t total = m->end - m->start;
	if (offset > total || size > total - offset)
		return (sysarg_t) EINVAL;
	const uint8_t *data = phys_to_virt(m->start);
	return (sysarg_t) copy_to_uspace(buf, data + offset, size);
}
