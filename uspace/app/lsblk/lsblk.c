/*
 * lsblk: lists the block devices: the disks (category disk) and the
 * partitions the volume server serves (category volume), each with its
 * size, block size and the file system its first blocks show.
 *
 * Exit status: 1 if the location service cannot be asked, 2 usage.
 */
#include <bd.h>
#include <getopt.h>
#include <loc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE	 ""
#define SVCS_MAX 256

/** One line for service @a id of @a kind. */
static void show(loc_id_t id, const char *kind)
{
	char name[LOC_NAME_MAX + 1];
	if (loc_service_get_name(id, name, sizeof(name)) != EOK)
		return;
	bd_t *bd;
	errno_t rc = bd_open(id, &bd);
	if (rc != EOK) {
		printf("%-40s %-7s %s\n", name, kind, strerror(rc));
		return;
	}
	const char *fs = "-";
	if (bd_probe_fs(bd, &fs) != EOK)
		fs = "-";
	uint64_t bytes = bd->block_size * bd->block_count;
	printf("%-40s %-7s %8llu KiB %5zu %s\n", name, kind,
	    (unsigned long long) (bytes / 1024), bd->block_size, fs);
	bd_close(bd);
}

/** Lists every service of category @a cat. */
static errno_t list(const char *cat, const char *kind)
{
	category_id_t id;
	errno_t rc = loc_category_get_id(cat, &id, 0);
	if (rc == ENOENT)
		return EOK; /* nobody registered one */
	loc_id_t ids[SVCS_MAX];
	size_t count = 0;
	if (rc == EOK)
		rc = loc_category_get_svcs(id, ids, SVCS_MAX, &count);
	for (size_t i = 0; rc == EOK && i < count && i < SVCS_MAX; i++)
		show(ids[i], kind);
	return rc;
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_no_operands(argc, argv, USAGE, &status))
		return status;
	printf("%-40s %-7s %12s %5s %s\n", "NAME", "KIND", "SIZE", "BLOCK", "FS");
	errno_t rc = list(BD_CATEGORY, "disk");
	if (rc == EOK)
		rc = list("volume", "part");
	return rc == EOK ? CMD_EXIT_OK : cmd_fail(argv[0], "the location service", rc);
}
