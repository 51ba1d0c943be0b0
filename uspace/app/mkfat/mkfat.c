/*
 * mkfat DEVICE [LABEL]: makes a new, empty FAT volume on a block device
 * (its file under /loc, or its service name): FAT16 up to 512 MiB, FAT32
 * above (format.c). Everything on the device is lost.
 *
 * Exit status: 1 if the device cannot be opened or written, or is too
 * small or not of 512-byte blocks; 2 usage.
 */
#include "format.h"
#include <bd.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define USAGE	"DEVICE [LABEL]"
#define LOC_DIR "/loc/"

static errno_t dev_write(void *dev, uint64_t ba, size_t count, const void *buf)
{
	return bd_write(dev, ba, count, buf);
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE; /* no options: getopt reported it */
	if (argc - optind != 1 && argc - optind != 2)
		return cmd_usage_error(argv[0], USAGE);
	const char *dev = argv[optind];
	const char *label = argc - optind == 2 ? argv[optind + 1] : "NO NAME";
	if (strncmp(dev, LOC_DIR, strlen(LOC_DIR)) == 0)
		dev += strlen(LOC_DIR);
	bd_t *bd;
	errno_t rc = bd_open_name(dev, &bd);
	if (rc != EOK)
		return cmd_error(argv[0], argv[optind], rc);
	int type = 0;
	rc = bd->block_size == 512 ? mkfat_format(dev_write, bd, bd->block_count, label,
					 (uint32_t) clock_ns(), &type)
				   : EINVAL;
	if (rc == EOK)
		rc = bd_sync(bd);
	bd_close(bd);
	if (rc != EOK)
		return cmd_error(argv[0], argv[optind], rc);
	printf("%s: FAT%d\n", argv[optind], type);
	return CMD_EXIT_OK;
}
