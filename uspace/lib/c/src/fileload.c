/*
 * Whole files into memory (fileload.h).
 */
#include <as.h>
#include <common/arch/page.h>
#include <errno.h>
#include <fcntl.h>
#include <fileload.h>
#include <module.h>
#include <vfs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/** Reads all @a size bytes of @a fd into @a buf. */
static errno_t read_all(int fd, char *buf, size_t size)
{
	for (size_t done = 0; done < size;) {
		ssize_t n = read(fd, buf + done, size - done);
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO; /* shorter than it said */
		done += (size_t) n;
	}
	return EOK;
}

/** A buffer of @a size bytes: from the heap, or with @a area a new area
 *  of its own. */
static char *buf_alloc(size_t size, bool area)
{
	if (!area)
		return malloc(size);
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = as_area_create(&base,
	    (size + PAGE_SIZE - 1) & ~(size_t) (PAGE_SIZE - 1),
	    AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE);
	return rc == EOK ? (char *) base : NULL;
}

void file_unload(char *data, bool area)
{
	if (!area)
		free(data);
	else if (data != NULL)
		DISCARD(ours_at_that_base, as_area_destroy((uintptr_t) data));
}

/** @a len bytes, and a NUL after them, read by @a read_fn(@a arg) into a
 *  new buffer (in an area of its own with @a area). */
static errno_t load_with(size_t len, bool area,
    errno_t (*read_fn)(void *, char *, size_t), void *arg, char **data, size_t *size)
{
	char *buf = buf_alloc(len + 1, area);
	if (buf == NULL)
		return ENOMEM;
	errno_t rc = read_fn(arg, buf, len);
	if (rc != EOK) {
		file_unload(buf, area);
		return rc;
	}
	buf[len] = '\0';
	*data = buf;
	if (size != NULL)
		*size = len;
	return EOK;
}

static errno_t fd_read(void *arg, char *buf, size_t size)
{
	return read_all(*(int *) arg, buf, size);
}

/** The @a len bytes of the file open at @a fd shared read-only from its
 *  file system (vfs_share_file); any failure leaves reading to the caller. */
static errno_t share_fd(int fd, size_t len, char **data, size_t *size)
{
	void *base;
	uint64_t file_size;
	errno_t rc = len > 0 ? vfs_share_file(fd, len, &base, &file_size) : ENOTSUP;
	if (rc == EOK && file_size != len) {
		DISCARD(ours_at_that_base, as_area_destroy((uintptr_t) base));
		rc = EAGAIN; /* changed since the fstat: read what it holds now */
	}
	if (rc == EOK) {
		*data = base;
		*size = len;
	}
	return rc;
}

/** The file at @a fd into a new buffer (an area of its own with @a area);
 *  with @a map, shared read-only from its file system when it can be. */
static errno_t load_fd(int fd, bool area, bool map, char **data, size_t *size)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if ((uint64_t) st.st_size >= SIZE_MAX)
		return ENOMEM;
	if (map && share_fd(fd, (size_t) st.st_size, data, size) == EOK)
		return EOK;
	return load_with((size_t) st.st_size, area, fd_read, &fd, data, size);
}

static errno_t load_path(const char *path, bool area, bool map, char **data, size_t *size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	errno_t rc = load_fd(fd, area, map, data, size);
	close(fd);
	return rc;
}

errno_t file_load(const char *path, char **data, size_t *size)
{
	return load_path(path, false, false, data, size);
}

static errno_t module_read_all(void *arg, char *buf, size_t size)
{
	return module_read((const char *) arg, 0, buf, size);
}

/** Boot module @a name as load_with() gives it. */
static errno_t load_module(const char *name, bool area, char **data, size_t *size)
{
	uint64_t total;
	errno_t rc = module_size(name, &total);
	if (rc != EOK)
		return rc;
	if (total >= SIZE_MAX)
		return ENOMEM;
	return load_with(
	    (size_t) total, area, module_read_all, (void *) name, data, size);
}

/** Whether the VFS has registered (asked without waiting; the connection
 *  made is the one the file calls then use): EOK; ENOMEM when this task
 *  could not even ask (a loader out of memory must say so, not look among
 *  the boot modules and report ENOENT); ENOENT for any other failure (no
 *  VFS, or a test task playing the naming service). */
static errno_t vfs_probe(void)
{
	errno_t rc = vfs_connect_now();
	return rc == EOK || rc == ENOMEM ? rc : ENOENT;
}

/** Boot module @a name mapped (module_map) when it can be, else read into
 *  an area of its own (load_module). */
static errno_t map_module(const char *name, char **data, size_t *size)
{
	void *base;
	errno_t rc = module_map(name, &base, size);
	if (rc == EOK)
		*data = base;
	return rc == ENOTSUP ? load_module(name, true, data, size) : rc;
}

/** file_load_any() into the heap or, with @a area, an area of its own;
 *  with @a map, a module program mapped rather than read. */
static errno_t load_any(const char *path, bool area, bool map, char **data, size_t *size)
{
	errno_t rc = vfs_probe();
	if (rc == EOK)
		rc = load_path(path, area, map, data, size);
	if (rc != ENOENT)
		return rc;
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	/* Module names are task names: longer ones or none name no module. */
	if (name[0] == '\0' || strlen(name) > TASK_NAME_LEN_MAX)
		return ENOENT;
	return map ? map_module(name, data, size) : load_module(name, area, data, size);
}

errno_t file_load_any(const char *path, char **data, size_t *size)
{
	return load_any(path, false, false, data, size);
}

errno_t file_load_any_area(const char *path, char **data, size_t *size)
{
	return load_any(path, true, false, data, size);
}

errno_t file_map_any(const char *path, char **data, size_t *size)
{
	return load_any(path, true, true, data, size);
}
