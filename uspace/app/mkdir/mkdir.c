/*
 * mkdir: makes directories; with -p also their missing parents, and an
 * existing directory is no error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <vfs.h>

#define USAGE "[-p] DIR..."

static const char *prog;

/** Makes @a path unless it is a directory already. */
static errno_t make_if_missing(const char *path)
{
	if (mkdir(path, 0) == 0)
		return EOK;
	errno_t rc = errno;
	struct stat st;
	if (rc == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return EOK;
	return rc;
}

/** Makes every prefix of @a path that ends before a '/', then @a path. */
static errno_t make_parents(const char *path)
{
	char prefix[VFS_PATH_MAX + 1];
	if (strlen(path) > VFS_PATH_MAX)
		return ENAMETOOLONG;
	strcpy(prefix, path);
	for (char *p = prefix + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		errno_t rc = make_if_missing(prefix);
		*p = '/';
		if (rc != EOK)
			return rc;
	}
	return make_if_missing(prefix);
}

int main(int argc, char *argv[])
{
	prog = argv[0];
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	bool parents = false;
	int opt;
	while ((opt = getopt(argc, argv, "p")) != -1) {
		if (opt != 'p')
			return CMD_EXIT_USAGE;
		parents = true;
	}
	if (optind == argc)
		return cmd_usage_error(prog, USAGE);
	int status = CMD_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		errno_t rc = parents ? make_parents(argv[i])
				     : (mkdir(argv[i], 0) == 0 ? EOK : errno);
		if (rc != EOK)
			status = cmd_error(prog, argv[i], rc);
	}
	return status;
}
