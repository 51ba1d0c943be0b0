/*
 * pipe(): a pipe of pipefs (uspace/srv/pipefs), mounted at PIPE_DIR. The
 * pipe is made under a name of its own (the task id and a counter), opened
 * once for reading and once for writing, and its name is removed at once:
 * only the two descriptors (and those passed on from them) reach it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <task.h>
#include <unistd.h>
#include <vfs.h>

#define PIPE_DIR "/pipe"

/* Numbers the pipes this task makes; atomic, pipe() may run in fibrils of
 * several threads. */
static uint64_t pipe_counter;

/** ENOENT unless pipefs is mounted at PIPE_DIR. */
static errno_t pipe_dir_check(void)
{
	vfs_statfs_t sf;
	errno_t rc = vfs_statfs(PIPE_DIR, &sf);
	if (rc != EOK)
		return ENOENT;
	return strcmp(sf.fs_type, "pipefs") == 0 ? EOK : ENOENT;
}

/** Makes the pipe @a path and opens its two ends into @a fds. */
static errno_t pipe_open_ends(const char *path, int fds[2])
{
	errno_t rc = vfs_open(path, O_RDONLY | O_CREAT | O_EXCL, &fds[0]);
	if (rc != EOK)
		return rc;
	rc = vfs_open(path, O_WRONLY, &fds[1]);
	errno_t urc = vfs_unlink(path, 0);
	if (rc == EOK && urc != EOK) {
		DISCARD(cleanup, vfs_close(fds[1]));
		rc = urc;
	}
	if (rc != EOK)
		DISCARD(cleanup, vfs_close(fds[0]));
	return rc;
}

int pipe(int fds[2])
{
	errno_t rc = pipe_dir_check();
	if (rc == EOK) {
		char path[64];
		uint64_t n = __atomic_fetch_add(&pipe_counter, 1, __ATOMIC_RELAXED);
		snprintf(path, sizeof(path), PIPE_DIR "/%llu-%llu",
		    (unsigned long long) task_get_id(), (unsigned long long) n);
		rc = pipe_open_ends(path, fds);
	}
	if (rc != EOK) {
		errno = rc;
		return -1;
	}
	return 0;
}
