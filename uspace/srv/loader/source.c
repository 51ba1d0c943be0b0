/*
 * Where programs come from: the file system, or before there is one, the
 * boot modules (fileload.h). This file is the only part of the loader that
 * knows it.
 */
#include "loader.h"
#include <fileload.h>

errno_t source_read(const char *path, char **image, size_t *size)
{
	return file_load_any(path, image, size);
}
