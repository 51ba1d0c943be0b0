/*
 * Where programs come from. Until a file system serves them, a program is
 * the boot module named by its path's last component ("/app/hello" and
 * "hello" are both the module "hello"); this file is the only part of the
 * loader that knows it.
 */
#include "loader.h"
#include <abi/proc.h>
#include <module.h>

errno_t source_read(const char *path, char **image, size_t *size)
{
	const char *name = path_last(path);
	/* Module names are task names: longer ones or none can name no module. */
	if (name[0] == '\0' || strlen(name) > TASK_NAME_LEN_MAX)
		return ENOENT;
	return module_load(name, image, size);
}
