/*
 * volsrv: MBR and GPT (part.h). A sector 0 with the 0x55aa signature is an
 * MBR only if every entry is well formed (a boot flag of 0 or 0x80) and it
 * is not a FAT boot sector (a jump and a valid sector size), since those
 * end with the same signature; a protective entry of type 0xee means GPT.
 * Extended partitions (logical drives) are not followed. Entries that do
 * not lie inside the disk after the table (GPT: inside the header's usable
 * range) are left out.
 */
#include "part.h"
#include <stdlib.h>
#include <string.h>

#define MBR_ENTRIES	 4
#define MBR_ENTRY_OFF	 446
#define MBR_TYPE_GPT	 0xee
#define MBR_TYPE_EXT_CHS 0x05
#define MBR_TYPE_EXT_LBA 0x0f
#define GPT_SIGNATURE	 "EFI PART"
#define GPT_ENTRY_MIN	 128
#define GPT_ENTRIES_MAX	 1024

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

static void mbr_scan(const uint8_t *b, uint64_t blocks, part_t *parts, size_t *count)
{
	for (int i = 0; i < MBR_ENTRIES; i++) {
		const uint8_t *e = b + MBR_ENTRY_OFF + 16 * i;
		uint8_t type = e[4];
		if (type == 0 || type == MBR_TYPE_EXT_CHS || type == MBR_TYPE_EXT_LBA)
			continue;
		part_add(parts, count, (unsigned) i + 1, le32(e + 8), le32(e + 12), 1,
		    blocks, type);
	}
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
		mbr_scan(b, blocks, parts, count);
	}
	free(b);
	return rc;
}
