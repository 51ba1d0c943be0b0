/*
 * Boot modules (module.h): wrappers of the system calls.
 */
#include <module.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

errno_t module_size(const char *name, uint64_t *size)
{
	return (errno_t) syscall3(
	    SYS_MODULE_SIZE, (sysarg_t) name, strlen(name), (sysarg_t) size);
}

errno_t module_read(const char *name, uint64_t offset, void *buf, size_t size)
{
	return (errno_t) syscall5(
	    SYS_MODULE_READ, (sysarg_t) name, strlen(name), offset, (sysarg_t) buf, size);
}

errno_t module_load(const char *name, char **data, size_t *size)
{
	uint64_t total;
	errno_t rc = module_size(name, &total);
	if (rc != EOK)
		return rc;
	if (total >= SIZE_MAX)
		return ENOMEM;
	char *buf = malloc(total + 1);
	if (buf == NULL)
		return ENOMEM;
	rc = module_read(name, 0, buf, total);
	if (rc != EOK) {
		free(buf);
		return rc;
	}
	buf[total] = '\0';
	*data = buf;
	if (size != NULL)
		*size = total;
	return EOK;
}

/** SYS_MODULE_TAKE or SYS_MODULE_MAP (@a num) of module @a name. */
static errno_t module_area(sysarg_t num, const char *name, void **base, size_t *size)
{
	uintptr_t at;
	uint64_t bytes;
	errno_t rc = (errno_t) syscall4(
	    num, (sysarg_t) name, strlen(name), (sysarg_t) &at, (sysarg_t) &bytes);
	if (rc == EOK) {
		*base = (void *) at;
		*size = bytes;
	}
	return rc;
}

errno_t module_take(const char *name, void **base, size_t *size)
{
	return module_area(SYS_MODULE_TAKE, name, base, size);
}

errno_t module_map(const char *name, void **base, size_t *size)
{
	return module_area(SYS_MODULE_MAP, name, base, size);
}
