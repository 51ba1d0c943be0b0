/*
 * volsrv: MBR and GPT (part.h). A sector 0 with the 0x55aa signature is an
 * MBR only if every entry is well formed (a boot flag of 0 or 0x80) and it
 * is not a FAT boot sector (a jump and a valid sector size), since those
 * end with the same signature; a protective entry of type 0xee means GPT.
 * An extended partition's chain of boot records is followed: each holds a
 * logical drive (numbered 5, 6, ... in chain order, its start relative to
 * its record) and the link to the next record (relative to the extended
 * partition's start); a record without the signature, or a link that leaves
 * the extended partition or does not move forward, ends the chain, so a
 * looping chain ends too. Entries that do not lie inside the disk after
 * the table (GPT: inside the header's usable range; a logical drive:
 * inside the extended partition after its record) are left out.
 */
#include "part.h"
#include <stdlib.h>
#include <string.h>

#define MBR_ENTRIES	  4
#define MBR_ENTRY_OFF	  446
#define MBR_TYPE_GPT	  0xee
#define MBR_TYPE_EXT_CHS  0x05
#define MBR_TYPE_EXT_LBA  0x0f
#define MBR_TYPE_EXT_LNX  0x85
#define MBR_LOGICAL_FIRST 5
#define EBR_MAX		  128 /* boot records followed in one chain */
#define GPT_SIGNATURE	  "EFI PART"
#define GPT_ENTRY_MIN	  128
#define GPT_ENTRIES_MAX	  1024

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
	    (uint32_t) p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t) le32(p) | (uint64_t) le32(p + 4) << 32;
}

static bool looks_like_fat(const uint8_t *b)
{
	unsigned bps = b[11] | b[12] << 8;
	return (b[0] == 0xeb || b[0] == 0xe9) && bps >= 512 && bps <= 4096 &&
	    (bps & (bps - 1)) == 0;
}

static bool mbr_valid(const uint8_t *b)
{
	if (b[510] != 0x55 || b[511] != 0xaa || looks_like_fat(b))
		return false;
	for (int i = 0; i < MBR_ENTRIES; i++) {
		uint8_t flag = b[MBR_ENTRY_OFF + 16 * i];
		if (flag != 0 && flag != 0x80)
			return false;
	}
	return true;
}

/** Adds a partition if it lies inside blocks @a low .. @a blocks - 1 (the
 *  disk after the table). */
static void part_add(part_t *parts, size_t *count, unsigned number, uint64_t first,
    uint64_t n, uint64_t low, uint64_t blocks, uint8_t type)
{
	if (*count == PART_MAX || n == 0 || first < low || first >= blocks ||
	    n > blocks - first)
		return;
	parts[(*count)++] = (part_t){
	    .number = number, .first = first, .count = n, .mbr_type = type};
}

static bool mbr_extended(uint8_t type)
{
	return type == MBR_TYPE_EXT_CHS || type == MBR_TYPE_EXT_LBA ||
	    type == MBR_TYPE_EXT_LNX;
}

/** The logical drives of the extended partition at @a ext (@a n blocks,
 *  inside the disk), in @a b's buffer of one block. */
static errno_t ebr_scan(part_read_t read, void *dev, uint8_t *b, uint64_t ext, uint64_t n,
    part_t *parts, size_t *count)
{
	uint64_t rec = 0; /* the record's offset in the extended partition */
	for (unsigned number = MBR_LOGICAL_FIRST;
	     *count < PART_MAX && number < MBR_LOGICAL_FIRST + EBR_MAX; number++) {
		errno_t rc = read(dev, ext + rec, 1, b);
		if (rc != EOK)
			return rc;
		if (b[510] != 0x55 || b[511] != 0xaa)
			return EOK;
		const uint8_t *e = b + MBR_ENTRY_OFF;
		if (e[4] != 0 && !mbr_extended(e[4]) && le32(e + 8) > 0)
			part_add(parts, count, number, ext + rec + le32(e + 8),
			    le32(e + 12), ext + rec + 1, ext + n, e[4]);
		const uint8_t *link = e + 16;
		uint64_t next = le32(link + 8);
		if (!mbr_extended(link[4]) || next <= rec || next >= n)
			return EOK; /* the last record, or a link back or out */
		rec = next;
	}
	return EOK;
}

static errno_t mbr_scan(part_read_t read, void *dev, uint8_t *b, uint64_t blocks,
    part_t *parts, size_t *count)
{
	uint64_t ext = 0, ext_n = 0;
	for (int i = 0; i < MBR_ENTRIES; i++) {
		const uint8_t *e = b + MBR_ENTRY_OFF + 16 * i;
		uint8_t type = e[4];
		uint64_t first = le32(e + 8), n = le32(e + 12);
		if (mbr_extended(type) && ext_n == 0 && first > 0 && first < blocks &&
		    n > 0 && n <= blocks - first) {
			ext = first; /* the first extended partition: its chain below */
			ext_n = n;
		}
		if (type == 0 || mbr_extended(type))
			continue;
		part_add(parts, count, (unsigned) i + 1, first, n, 1, blocks, type);
	}
	return ext_n > 0 ? ebr_scan(read, dev, b, ext, ext_n, parts, count) : EOK;
}

static bool gpt_entry_used(const uint8_t *e)
{
	for (int i = 0; i < 16; i++) {
		if (e[i] != 0)
			return true;
	}
	return false;
}

/** The GPT whose header is at block 1. Partitions must lie in the
 *  header's usable range, which must not cover the header or its entries. */
static errno_t gpt_scan(part_read_t read, void *dev, size_t bsize, uint64_t blocks,
    part_t *parts, size_t *count)
{
	uint8_t *h = malloc(bsize);
	if (h == NULL)
		return ENOMEM;
	errno_t rc = read(dev, 1, 1, h);
	uint64_t lba = 0, low = 0, high = 0;
	uint32_t n = 0, esize = 0;
	if (rc == EOK && memcmp(h, GPT_SIGNATURE, 8) == 0) {
		low = le64(h + 40);
		high = le64(h + 48);
		lba = le64(h + 72);
		n = le32(h + 80);
		esize = le32(h + 84);
	}
	free(h);
	uint64_t table_end = lba + ((uint64_t) n * esize + bsize - 1) / bsize;
	if (low < table_end)
		low = table_end; /* never the header or the entries */
	if (high < blocks)
		blocks = high + 1;
	if (rc != EOK || n == 0 || n > GPT_ENTRIES_MAX || esize < GPT_ENTRY_MIN ||
	    esize > bsize || bsize % esize != 0 || lba < 2 || lba >= blocks)
		return rc; /* no usable table: no partitions */
	uint8_t *blk = malloc(bsize);
	if (blk == NULL)
		return ENOMEM;
	uint32_t per = (uint32_t) (bsize / esize);
	for (uint32_t i = 0; rc == EOK && i < n; i++) {
		if (i % per == 0) {
			if (lba + i / per >= blocks)
				break;
			rc = read(dev, lba + i / per, 1, blk);
		}
		const uint8_t *e = blk + (i % per) * esize;
		if (rc == EOK && gpt_entry_used(e)) {
			uint64_t first = le64(e + 32), last = le64(e + 40);
			if (last >= first)
				part_add(parts, count, i + 1, first, last - first + 1,
				    low, blocks, 0);
		}
	}
	free(blk);
	return rc;
}

errno_t part_scan(part_read_t read, void *dev, size_t bsize, uint64_t blocks,
    part_table_t *table, part_t parts[PART_MAX], size_t *count)
{
	*count = 0;
	*table = PART_TABLE_NONE;
	if (bsize < 512 || blocks < 2)
		return EOK;
	uint8_t *b = malloc(bsize);
	if (b == NULL)
		return ENOMEM;
	errno_t rc = read(dev, 0, 1, b);
	bool mbr = rc == EOK && mbr_valid(b);
	bool gpt = mbr && b[MBR_ENTRY_OFF + 4] == MBR_TYPE_GPT;
	if (gpt) {
		*table = PART_TABLE_GPT;
		rc = gpt_scan(read, dev, bsize, blocks, parts, count);
	} else if (mbr) {
		*table = PART_TABLE_MBR;
		rc = mbr_scan(read, dev, b, blocks, parts, count);
	}
	free(b);
	return rc;
}
