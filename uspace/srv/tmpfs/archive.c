/*
 * Filling a file system from a cpio archive (archive.h): each member's path
 * ("./app/hello", "app/hello", "/app/hello") is made relative to the root
 * and created with its parents; each file's data copied into the file
 * system, or left in the archive (in place: the file borrows it).
 */
#include "archive.h"
#include "cpio.h"
#include <string.h>

/** Copies @a e's path, without leading "./" and "/" or trailing "/", into
 *  @a path (VFS_PATH_MAX + 1 bytes). */
static errno_t path_normalise(const cpio_entry_t *e, char *path)
{
	const char *p = e->name;
	size_t len = e->name_len;
	while (true) {
		if (len >= 2 && p[0] == '.' && p[1] == '/') {
			p += 2;
			len -= 2;
		} else if (len >= 1 && p[0] == '/') {
			p++;
			len--;
		} else {
			break;
		}
	}
	if (len == 1 && p[0] == '.')
		len = 0; /* the root itself */
	while (len > 0 && p[len - 1] == '/')
		len--;
	if (len > VFS_PATH_MAX)
		return EINVAL;
	memcpy(path, p, len);
	path[len] = '\0';
	return EOK;
}

/** Makes every directory on the way to the last component of @a path. */
static errno_t parents_make(tmpfs_fs_t *fs, char *path)
{
	for (char *s = strchr(path, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		tmpfs_node_t *dir;
		errno_t rc = tmpfs_lookup(fs, path, L_CREATE | L_DIRECTORY, &dir);
		*s = '/';
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

typedef struct {
	tmpfs_fs_t *fs;
	bool in_place; /* files borrow their data from the archive */
} fill_t;

/** Makes file @a path holding @a e's data (replacing an earlier member). */
static errno_t file_make(const fill_t *fill, const char *path, const cpio_entry_t *e)
{
	tmpfs_fs_t *fs = fill->fs;
	tmpfs_node_t *node;
	errno_t rc = tmpfs_lookup(fs, path, L_CREATE | L_FILE, &node);
	if (rc == EOK)
		rc = tmpfs_file_truncate(fs, node, 0);
	if (rc == EOK && fill->in_place)
		return tmpfs_file_borrow(fs, node, e->data, e->size);
	size_t done = 0;
	while (rc == EOK && done < e->size) {
		size_t n;
		rc = tmpfs_file_write(fs, node, done, e->data + done, e->size - done, &n);
		done += n;
	}
	return rc;
}

/** A path error inside the archive makes the archive malformed. */
static errno_t error_map(errno_t rc)
{
	return rc == EOK || rc == ENOMEM || rc == ENOSPC || rc == ELIMIT ? rc : EINVAL;
}

static errno_t member_add(const cpio_entry_t *e, void *arg)
{
	const fill_t *fill = arg;
	tmpfs_fs_t *fs = fill->fs;
	uint32_t type = e->mode & CPIO_MODE_TYPE;
	if (type != CPIO_MODE_DIR && type != CPIO_MODE_FILE)
		return EOK;
	char path[VFS_PATH_MAX + 1];
	errno_t rc = path_normalise(e, path);
	if (rc != EOK)
		return rc;
	if (path[0] == '\0')
		return type == CPIO_MODE_DIR ? EOK : EINVAL;
	rc = parents_make(fs, path);
	if (rc == EOK && type == CPIO_MODE_DIR) {
		tmpfs_node_t *dir;
		rc = tmpfs_lookup(fs, path, L_CREATE | L_DIRECTORY, &dir);
	} else if (rc == EOK) {
		rc = file_make(fill, path, e);
	}
	return error_map(rc);
}

errno_t tmpfs_archive_fill(tmpfs_fs_t *fs, const void *buf, size_t size)
{
	return cpio_parse(buf, size, member_add, &(fill_t){fs, false});
}

errno_t tmpfs_archive_fill_in_place(tmpfs_fs_t *fs, const void *buf, size_t size)
{
	if (fs->backing == NULL)
		return EINVAL;
	return cpio_parse(buf, size, member_add, &(fill_t){fs, true});
}
