/*
 * ls: lists directories (entries sorted by name) and names files; with -l
 * each line tells the type (d or -), the size and the name.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <vfs.h>

#define USAGE "[-l] [PATH...]"

static bool long_format;
static const char *prog;

/** Prints one line for @a name; @a path is where to stat it. */
static int print_entry(const char *path, const char *name)
{
	if (!long_format) {
		printf("%s\n", name);
		return CMD_EXIT_OK;
	}
	struct stat st;
	if (stat(path, &st) != 0)
		return cmd_error(prog, path, errno);
	printf("%c %10llu %s\n", S_ISDIR(st.st_mode) ? 'd' : '-',
	    (unsigned long long) st.st_size, name);
	return CMD_EXIT_OK;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/** Reads the names in directory @a path into a sorted, malloc'ed array. */
static errno_t read_names(const char *path, char ***names, size_t *count)
{
	*names = NULL;
	*count = 0;
	DIR *dir = opendir(path);
	if (dir == NULL)
		return errno;
	char **list = NULL;
	size_t n = 0;
	errno_t rc = EOK;
	struct dirent *ent;
	errno = EOK;
	while (rc == EOK && (ent = readdir(dir)) != NULL) {
		char **grown = realloc(list, (n + 1) * sizeof(*list));
		char *name = grown != NULL ? strdup(ent->d_name) : NULL;
		if (grown != NULL)
			list = grown;
		if (name == NULL)
			rc = ENOMEM;
		else
			list[n++] = name;
	}
	if (rc == EOK)
		rc = errno;
	closedir(dir);
	qsort(list, n, sizeof(*list), compare_names);
	*names = list;
	*count = n;
	return rc;
}

/** Lists directory @a path; the worst exit status of its entries. */
static int list_directory(const char *path)
{
	char **names;
	size_t count;
	errno_t rc = read_names(path, &names, &count);
	int status = rc == EOK ? CMD_EXIT_OK : cmd_error(prog, path, rc);
	for (size_t i = 0; i < count; i++) {
		char child[VFS_PATH_MAX + 1];
		snprintf(child, sizeof(child), "%s/%s", path, names[i]);
		if (print_entry(child, names[i]) != CMD_EXIT_OK)
			status = CMD_EXIT_ERROR;
		free(names[i]);
	}
	free(names);
	return status;
}

static int list_path(const char *path, bool header)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return cmd_error(prog, path, errno);
	if (!S_ISDIR(st.st_mode))
		return print_entry(path, path);
	if (header)
		printf("%s:\n", path);
	return list_directory(path);
}

int main(int argc, char *argv[])
{
	prog = argv[0];
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	int opt;
	while ((opt = getopt(argc, argv, "l")) != -1) {
		if (opt != 'l')
			return CMD_EXIT_USAGE;
		long_format = true;
	}
	if (optind == argc)
		return list_path(".", false);
	int status = CMD_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		if (list_path(argv[i], argc - optind > 1) != CMD_EXIT_OK)
			status = CMD_EXIT_ERROR;
	}
	return status;
}
