/*
 * stat: what the VFS knows about each path: type, size, node, links and
 * the file system (its mount number and type), and the time of the last
 * change (UTC).
 */
#include <getopt.h>
#include <stdio.h>
#include <time.h>
#include <vfs.h>

#define USAGE "PATH..."

static errno_t show(const char *path)
{
	vfs_stat_t st;
	errno_t rc = vfs_stat(path, &st);
	if (rc != EOK)
		return rc;
	vfs_statfs_t sf;
	rc = vfs_statfs(path, &sf);
	if (rc != EOK)
		return rc;
	time_t mtime = (time_t) (st.mtime_ns / 1000000000ull);
	struct tm tm;
	char when[32];
	time_format_iso(gmtime_r(&mtime, &tm), when, sizeof(when));
	printf("%s: %s, size %llu, node %llu, links %u, file system %llu (%s), "
	       "modified %s UTC\n",
	    path, st.type == VFS_NODE_DIR ? "directory" : "file",
	    (unsigned long long) st.size, (unsigned long long) st.index,
	    (unsigned) st.links, (unsigned long long) st.fs, sf.fs_type, when);
	return EOK;
}

int main(int argc, char *argv[])
{
	return cmd_each(argc, argv, USAGE, show);
}
