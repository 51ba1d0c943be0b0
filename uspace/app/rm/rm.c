/*
 * rm: removes files; with -r directories too, with everything in them.
 * Without -r a directory is an error (EISDIR).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vfs.h>

#define USAGE "[-r] PATH..."

static const char *prog;
static bool recursive;

static errno_t remove_path(const char *path);

/** The first entry of directory @a path into @a name; ENOENT when empty. */
static errno_t first_entry(const char *path, char *name, size_t size)
{
	DIR *dir = opendir(path);
	if (dir == NULL)
		return errno;
	errno = EOK;
	struct dirent *ent = readdir(dir);
	errno_t rc = ent != NULL ? EOK : (errno != EOK ? errno : ENOENT);
	if (ent != NULL)
		snprintf(name, size, "%s", ent->d_name);
	closedir(dir);
	return rc;
}

/** Empties directory @a path, an entry at a time (no descriptor stays open
 *  while the entry's own subtree is removed), then removes it. */
static errno_t remove_tree(const char *path)
{
	char name[VFS_NAME_MAX + 1];
	errno_t rc;
	while ((rc = first_entry(path, name, sizeof(name))) == EOK) {
		char child[VFS_PATH_MAX + 1];
		if (snprintf(child, sizeof(child), "%s/%s", path, name) >=
		    (int) sizeof(child))
			return ENAMETOOLONG;
		rc = remove_path(child);
		if (rc != EOK)
			return rc;
	}
	if (rc != ENOENT)
		return rc;
	return rmdir(path) == 0 ? EOK : errno;
}

static errno_t remove_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0 ? EOK : errno;
	if (!recursive)
		return EISDIR;
	return remove_tree(path);
}

int main(int argc, char *argv[])
{
	prog = argv[0];
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	int opt;
	while ((opt = getopt(argc, argv, "r")) != -1) {
		if (opt != 'r')
			return CMD_EXIT_USAGE;
		recursive = true;
	}
	if (optind == argc)
		return cmd_usage_error(prog, USAGE);
	int status = CMD_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		errno_t rc = remove_path(argv[i]);
		if (rc != EOK)
			status = cmd_error(prog, argv[i], rc);
	}
	return status;
}
