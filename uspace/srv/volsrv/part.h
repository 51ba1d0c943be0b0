/*
 * volsrv: partition tables (MBR and GPT), without I/O of its own: the
 * caller gives a function that reads blocks. Host-tested on images made
 * by sfdisk.
 */
#ifndef VOLSRV_PART_H
#define VOLSRV_PART_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PART_MAX 16

typedef enum {
	PART_TABLE_NONE, /* no table: the whole disk is one volume */
	PART_TABLE_MBR,
	PART_TABLE_GPT,
} part_table_t;

typedef struct {
	unsigned number;  /* 1-based, the slot in its table */
	uint64_t first;	  /* first block */
	uint64_t count;	  /* blocks */
	uint8_t mbr_type; /* MBR's type byte; 0 for GPT */
} part_t;

/* Reads @a count blocks from @a ba into @a buf. */
typedef errno_t (*part_read_t)(void *dev, uint64_t ba, size_t count, void *buf);

/** The partitions of a disk of @a blocks blocks of @a bsize bytes, at most
 *  PART_MAX in @a parts (how many in *@a count), and the kind of table.
 *  Entries outside the disk or overlapping the table are left out; EIO if
 *  a read fails. */
errno_t part_scan(part_read_t read, void *dev, size_t bsize, uint64_t blocks,
    part_table_t *table, part_t parts[PART_MAX], size_t *count);

#endif
