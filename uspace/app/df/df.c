/*
 * df: the file system holding each path (default: every mount point of the
 * mount table): its type, block size, total and free blocks ("-" when it
 * has no limit) and number of files.
 */
#include <getopt.h>
#include <stdio.h>
#include <vfs.h>

#define USAGE "[PATH...]"

/** Formats @a blocks into @a buf, "-" for @a unlimited. */
static const char *blocks_text(uint64_t blocks, bool unlimited, char *buf, size_t size)
{
	if (unlimited)
		return "-";
	snprintf(buf, size, "%llu", (unsigned long long) blocks);
	return buf;
}

/** Prints the row of @a path (after the header, before the first row). */
static errno_t show(const char *path)
{
	vfs_statfs_t sf;
	errno_t rc = vfs_statfs(path, &sf);
	if (rc != EOK)
		return rc;
	static bool header_shown;
	if (!header_shown)
		printf("%-16s %-8s %6s %10s %10s %8s\n", "PATH", "TYPE", "BLOCK", "TOTAL",
		    "FREE", "FILES");
	header_shown = true;
	bool unlimited = sf.total_blocks == 0;
	char total[24];
	char free_text[24];
	printf("%-16s %-8s %6llu %10s %10s %8llu\n", path, sf.fs_type,
	    (unsigned long long) sf.block_size,
	    blocks_text(sf.total_blocks, unlimited, total, sizeof(total)),
	    blocks_text(sf.free_blocks, unlimited, free_text, sizeof(free_text)),
	    (unsigned long long) sf.files);
	return EOK;
}

typedef struct {
	const char *argv0;
	int status;
} show_all_t;

static void show_one(const vfs_mount_info_t *info, void *arg)
{
	show_all_t *all = arg;
	errno_t rc = show(info->point);
	if (rc != EOK)
		all->status = cmd_error(all->argv0, info->point, rc);
}

/** Shows every mount of the mount table; the exit status. */
static int show_all(const char *argv0)
{
	show_all_t all = {argv0, CMD_EXIT_OK};
	errno_t rc = vfs_mount_each(show_one, &all);
	if (rc != EOK)
		return cmd_error(argv0, "the mount table", rc);
	return all.status;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	if (optind == argc)
		return show_all(argv[0]);
	int status = CMD_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		errno_t rc = show(argv[i]);
		if (rc != EOK)
			status = cmd_error(argv[0], argv[i], rc);
	}
	return status;
}
