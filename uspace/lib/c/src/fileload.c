/*
 * Whole files into memory (fileload.h).
 */
#include <abi/vfs.h>
#include <errno.h>
#include <fcntl.h>
#include <fileload.h>
#include <module.h>
#include <ns.h>
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

static errno_t load_fd(int fd, char **data, size_t *size)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if ((uint64_t) st.st_size >= SIZE_MAX)
		return ENOMEM;
	size_t len = (size_t) st.st_size;
	char *buf = malloc(len + 1);
	if (buf == NULL)
		return ENOMEM;
	errno_t rc = read_all(fd, buf, len);
	if (rc != EOK) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*data = buf;
	if (size != NULL)
		*size = len;
	return EOK;
}

errno_t file_load(const char *path, char **data, size_t *size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	errno_t rc = load_fd(fd, data, size);
	close(fd);
	return rc;
}

/** Whether the VFS has registered (asked without waiting): EOK; ENOMEM
 *  when this task could not even ask (a loader out of memory must say so,
 *  not look among the boot modules and report ENOENT); ENOENT for any other
 *  failure (no VFS, or a test task playing the naming service). */
static errno_t vfs_probe(void)
{
	errno_t rc = ENOENT;
	async_sess_t *sess = service_connect(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_CLIENT, 0, &rc);
	if (sess == NULL)
		return rc == ENOMEM ? ENOMEM : ENOENT;
	DISCARD(cleanup, async_hangup(sess));
	return EOK;
}

errno_t file_load_any(const char *path, char **data, size_t *size)
{
	errno_t rc = vfs_probe();
	if (rc == EOK)
		rc = file_load(path, data, size);
	if (rc != ENOENT)
		return rc;
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	/* Module names are task names: longer ones or none name no module. */
	if (name[0] == '\0' || strlen(name) > TASK_NAME_LEN_MAX)
		return ENOENT;
	return module_load(name, data, size);
}
