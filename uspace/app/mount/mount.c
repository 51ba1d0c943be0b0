/*
 * mount: mounts a file system of type TYPE at MOUNTPOINT with OPTIONS
 * (-r: read-only, -w: wait for the type to register, -d: at the first use
 * of a path at or below MOUNTPOINT, its server started then); without
 * operands it lists the mount table (mount point, type, ro/rw, server
 * task, or "at first use" for a -d mount not used yet). A disk's
 * file system: `mount -t TYPE DEVICE MOUNTPOINT`, or `mount DEVICE
 * MOUNTPOINT` with DEVICE a block device's file under /loc, whose type is
 * read from its first blocks (fat, ext2).
 */
#include <bd.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <vfs.h>

#define USAGE \
	"[-r] [-w|-d] [TYPE MOUNTPOINT [OPTIONS] | -t TYPE DEVICE MOUNTPOINT | " \
	"/loc/DEVICE MOUNTPOINT]"
#define LOC_DIR "/loc/"

static void list_one(const vfs_mount_info_t *info, void *arg)
{
	(void) arg;
	const char *rw = info->flags & VFS_MOUNT_RDONLY ? "ro" : "rw";
	if (info->flags & VFS_MOUNT_DEMAND)
		printf("%s on %s (%s, at first use)\n", info->fs_type, info->point, rw);
	else
		printf("%s on %s (%s, task %llu)\n", info->fs_type, info->point, rw,
		    (unsigned long long) info->server_task);
}

static int list_mounts(const char *argv0)
{
	errno_t rc = vfs_mount_each(list_one, NULL);
	if (rc != EOK)
		return cmd_error(argv0, "the mount table", rc);
	return CMD_EXIT_OK;
}

/** Reports a failed mount of @a type at @a point: the VFS answers ENOENT
 *  both for a missing mount point and for a type no server registered, so
 *  an existing directory means the type is what is missing. */
static int mount_error(const char *argv0, const char *type, const char *point, errno_t rc)
{
	struct stat st;
	if (rc == ENOENT && stat(point, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: no file system of this type is registered\n",
		    cmd_name(argv0), type);
		return CMD_EXIT_ERROR;
	}
	return cmd_error(argv0, point, rc);
}

/** The file system on block device @a dev (a file under /loc). */
static errno_t probe(const char *dev, const char **type)
{
	bd_t *bd;
	errno_t rc = bd_open_name(dev + strlen(LOC_DIR), &bd);
	if (rc != EOK)
		return rc;
	rc = bd_probe_fs(bd, type);
	bd_close(bd);
	return rc;
}

/** `mount DEVICE MOUNTPOINT`, the type read from the device. */
static int mount_detected(
    const char *argv0, const char *dev, const char *point, unsigned flags)
{
	const char *type;
	errno_t rc = probe(dev, &type);
	if (rc == ENOENT) {
		fprintf(stderr, "%s: %s: no file system recognised (give one with -t)\n",
		    cmd_name(argv0), dev);
		return CMD_EXIT_ERROR;
	}
	if (rc != EOK)
		return cmd_error(argv0, dev, rc);
	rc = vfs_mount(point, type, dev, flags);
	return rc == EOK ? CMD_EXIT_OK : mount_error(argv0, type, point, rc);
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	unsigned flags = 0;
	const char *given = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "rwdt:")) != -1) {
		if (opt == '?')
			return CMD_EXIT_USAGE;
		if (opt == 't')
			given = optarg;
		else
			flags |= opt == 'r' ? VFS_MOUNT_RDONLY
			    : opt == 'd'    ? VFS_MOUNT_DEMAND
					    : VFS_MOUNT_WAIT;
	}
	if ((flags & VFS_MOUNT_DEMAND) && (flags & VFS_MOUNT_WAIT))
		return cmd_usage_error(argv[0], USAGE); /* -d waits for nothing */
	int left = argc - optind;
	if (left == 0 && given == NULL)
		return list_mounts(argv[0]);
	if (left != 2 && (left != 3 || given != NULL))
		return cmd_usage_error(argv[0], USAGE);
	const char *first = argv[optind];
	if (given == NULL && left == 2 && strncmp(first, LOC_DIR, strlen(LOC_DIR)) == 0)
		return mount_detected(argv[0], first, argv[optind + 1], flags);
	/* -t TYPE DEVICE MOUNTPOINT, or TYPE MOUNTPOINT [OPTIONS]. */
	const char *type = given != NULL ? given : first;
	const char *point = argv[optind + 1];
	const char *opts = given != NULL ? first : left == 3 ? argv[optind + 2] : "";
	errno_t rc = vfs_mount(point, type, opts, flags);
	return rc == EOK ? CMD_EXIT_OK : mount_error(argv[0], type, point, rc);
}
