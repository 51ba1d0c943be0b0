/*
 * Where programs come from: the file system, or before there is one, the
 * boot modules (fileload.h). This file is the only part of the loader that
 * knows it. A program is read into an area of its own, unmapped once
 * loaded: the loader's memory stays under the program, and the image read
 * into its heap stayed resident there (some 15 pages a task). A boot
 * module is mapped instead (file_map_any): no copy, and its read-only
 * segments are then shared by their frames with every task running it,
 * the ones the kernel started too (proc/image.h).
 */
#include "loader.h"
#include <fileload.h>

errno_t source_read(const char *path, char **image, size_t *size)
{
	return file_map_any(path, image, size);
}

void source_free(char *image)
{
	file_unload(image, true);
}
