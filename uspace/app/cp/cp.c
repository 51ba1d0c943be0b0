/*
 * cp: copies a file, or with -r a directory tree, to DST; when DST is an
 * existing directory the copy goes inside it under the source's name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vfs.h>

#define USAGE "[-r] SRC DST"

static const char *prog;
static bool recursive;

static errno_t copy_path(const char *src, const char *dst);

/** Copies everything readable from @a in to @a out. */
static errno_t copy_data(int in, int out)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n)
			return errno;
	}
	return n == 0 ? EOK : errno;
}

static errno_t copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY);
	if (in < 0)
		return errno;
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC);
	errno_t rc = out >= 0 ? copy_data(in, out) : errno;
	if (out >= 0 && close(out) != 0 && rc == EOK)
		rc = errno;
	close(in);
	return rc;
}

/** Joins @a dir and @a name into @a out of VFS_PATH_MAX + 1 bytes. */
static errno_t join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, VFS_PATH_MAX + 1, "%s/%s", dir, name);
	return n <= VFS_PATH_MAX ? EOK : ENAMETOOLONG;
}

static errno_t copy_entry(const char *src, const char *dst, const char *name)
{
	char from[VFS_PATH_MAX + 1];
	char to[VFS_PATH_MAX + 1];
	errno_t rc = join(from, src, name);
	if (rc == EOK)
		rc = join(to, dst, name);
	return rc == EOK ? copy_path(from, to) : rc;
}

static errno_t copy_tree(const char *src, const char *dst)
{
	if (mkdir(dst, 0) != 0 && errno != EEXIST)
		return errno;
	DIR *dir = opendir(src);
	if (dir == NULL)
		return errno;
	errno_t rc = EOK;
	struct dirent *ent;
	errno = EOK;
	while (rc == EOK && (ent = readdir(dir)) != NULL)
		rc = copy_entry(src, dst, ent->d_name);
	if (rc == EOK)
		rc = errno;
	closedir(dir);
	return rc;
}

static errno_t copy_path(const char *src, const char *dst)
{
	struct stat st;
	if (stat(src, &st) != 0)
		return errno;
	if (!S_ISDIR(st.st_mode))
		return copy_file(src, dst);
	return recursive ? copy_tree(src, dst) : EISDIR;
}

/** The destination: @a dst, or inside it when it is a directory. */
static errno_t target_path(const char *src, const char *dst, char *out)
{
	struct stat st;
	if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode))
		return join(out, dst, cmd_name(src));
	snprintf(out, VFS_PATH_MAX + 1, "%s", dst);
	return EOK;
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
	if (argc - optind != 2)
		return cmd_usage_error(prog, USAGE);
	const char *src = argv[optind];
	char dst[VFS_PATH_MAX + 1];
	errno_t rc = target_path(src, argv[optind + 1], dst);
	if (rc != EOK)
		return cmd_error(prog, argv[optind + 1], rc);
	rc = copy_path(src, dst);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(prog, src, rc);
}
