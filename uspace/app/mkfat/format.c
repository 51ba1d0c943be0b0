/*
 * mkfat: a new FAT16 or FAT32 volume (format.h), laid out as mkfs.fat does:
 * reserved sectors (FAT32: the boot sector, FSInfo at 1, a backup boot
 * sector at 6), two tables sized for the clusters that remain, the fixed
 * root directory (FAT16) or root cluster 2 (FAT32), zeroed.
 */
#include "format.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BS		 512
#define FAT16_MAX_BLOCKS (1024 * 1024) /* 512 MiB: FAT16 with clusters up to 16 KiB */
#define FAT16_ROOT	 512	       /* root directory entries */
#define FAT16_MAX_CL	 65524
#define FAT32_RESERVED	 32
#define FAT32_MIN_CL	 65525
#define ZERO_RUN	 64 /* blocks zeroed per write */

typedef struct {
	int type;
	uint32_t spc, reserved, root_secs, fat_secs, clusters;
} geometry_t;

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

/** The table size that fits the clusters left beside it, and those. */
static void size_tables(geometry_t *g, uint64_t blocks)
{
	uint32_t bytes_per = (uint32_t) g->type / 8;
	g->fat_secs = 1;
	for (int i = 0; i < 8; i++) {
		uint64_t data = blocks - g->reserved - g->root_secs - 2ull * g->fat_secs;
		g->clusters = (uint32_t) (data / g->spc);
		g->fat_secs = (uint32_t) (((uint64_t) g->clusters + 2) * bytes_per / BS +
		    1);
	}
	uint64_t data = blocks - g->reserved - g->root_secs - 2ull * g->fat_secs;
	g->clusters = (uint32_t) (data / g->spc);
}

static errno_t choose(geometry_t *g, uint64_t blocks)
{
	if (blocks < MKFAT_MIN_BLOCKS || blocks > UINT32_MAX)
		return EINVAL;
	bool fat16 = blocks <= FAT16_MAX_BLOCKS;
	*g = (geometry_t){.type = fat16 ? 16 : 32,
	    .spc = fat16 ? 1 : 8,
	    .reserved = fat16 ? 1 : FAT32_RESERVED,
	    .root_secs = fat16 ? FAT16_ROOT * 32 / BS : 0};
	for (;;) {
		size_tables(g, blocks);
		if (fat16 && g->clusters > FAT16_MAX_CL && g->spc < 32) {
			g->spc *= 2;
			continue;
		}
		break;
	}
	if ((fat16 && (g->clusters > FAT16_MAX_CL || g->clusters < 4085)) ||
	    (!fat16 && g->clusters < FAT32_MIN_CL))
		return EINVAL;
	return EOK;
}

/** @a label as the 11 upper-case bytes FAT keeps. */
static void label_bytes(const char *label, uint8_t out[11])
{
	memset(out, ' ', 11);
	for (size_t i = 0; i < 11 && label[i] != '\0'; i++)
		out[i] = (uint8_t) (label[i] >= 'a' && label[i] <= 'z' ? label[i] - 32
								       : label[i]);
}

static void boot_sector(
    uint8_t *b, const geometry_t *g, uint64_t blocks, const char *label, uint32_t serial)
{
	memset(b, 0, BS);
	memcpy(b, "\xeb\x58\x90SWBOARD ", 11);
	put16(b + 11, BS);
	b[13] = (uint8_t) g->spc;
	put16(b + 14, g->reserved);
	b[16] = 2;
	put16(b + 17, g->type == 16 ? FAT16_ROOT : 0);
	if (blocks < 65536)
		put16(b + 19, (uint32_t) blocks);
	else
		put32(b + 32, (uint32_t) blocks);
	b[21] = 0xf8;
	put16(b + 24, 32);
	put16(b + 26, 64);
	uint8_t *ext = b + 36;
	if (g->type == 16) {
		put16(b + 22, g->fat_secs);
	} else {
		put32(b + 36, g->fat_secs);
		put32(b + 44, 2); /* root cluster */
		put16(b + 48, 1); /* FSInfo */
		put16(b + 50, 6); /* backup boot sector */
		ext = b + 64;
	}
	ext[0] = 0x80;
	ext[2] = 0x29;
	put32(ext + 3, serial);
	label_bytes(label, ext + 7);
	memcpy(ext + 18, g->type == 16 ? "FAT16   " : "FAT32   ", 8);
	b[510] = 0x55;
	b[511] = 0xaa;
}

static void fsinfo(uint8_t *b, const geometry_t *g)
{
	memset(b, 0, BS);
	put32(b, 0x41615252);
	put32(b + 484, 0x61417272);
	put32(b + 488, g->clusters - 1); /* all free but the root's */
	put32(b + 492, 3);
	put32(b + 508, 0xaa550000);
}

/** Zeros @a count blocks from @a ba. */
static errno_t zero(mkfat_write_t write, void *dev, uint64_t ba, uint64_t count)
{
	uint8_t *z = calloc(ZERO_RUN, BS);
	if (z == NULL)
		return ENOMEM;
	errno_t rc = EOK;
	while (rc == EOK && count > 0) {
		size_t n = count < ZERO_RUN ? (size_t) count : ZERO_RUN;
		rc = write(dev, ba, n, z);
		ba += n;
		count -= n;
	}
	free(z);
	return rc;
}

/** The first block of each table: the media byte and end marks. */
static void fat_head(uint8_t *b, const geometry_t *g)
{
	memset(b, 0, BS);
	if (g->type == 16) {
		put16(b, 0xfff8);
		put16(b + 2, 0xffff);
	} else {
		put32(b, 0x0ffffff8);
		put32(b + 4, 0x0fffffff);
		put32(b + 8, 0x0fffffff); /* the root directory's cluster */
	}
}

errno_t mkfat_format(mkfat_write_t write, void *dev, uint64_t blocks, const char *label,
    uint32_t serial, int *type)
{
	geometry_t g;
	errno_t rc = choose(&g, blocks);
	if (rc != EOK)
		return rc;
	uint64_t data = g.reserved + 2ull * g.fat_secs + g.root_secs;
	/* Tables, root directory and the root cluster zeroed first. */
	rc = zero(write, dev, 0, data + (g.type == 32 ? g.spc : 0));
	uint8_t b[BS];
	for (unsigned copy = 0; rc == EOK && copy < 2; copy++) {
		fat_head(b, &g);
		rc = write(dev, g.reserved + (uint64_t) copy * g.fat_secs, 1, b);
	}
	if (rc == EOK && g.type == 32) {
		fsinfo(b, &g);
		rc = write(dev, 1, 1, b);
		if (rc == EOK)
			rc = write(dev, 7, 1, b);
	}
	/* The label is also the root directory's first entry, unless none. */
	uint8_t name[11];
	label_bytes(label, name);
	if (rc == EOK && memcmp(name, "NO NAME    ", 11) != 0) {
		memset(b, 0, BS);
		memcpy(b, name, 11);
		b[11] = 0x08;
		rc = write(dev, g.reserved + 2ull * g.fat_secs, 1, b);
	}
	boot_sector(b, &g, blocks, label, serial);
	if (rc == EOK && g.type == 32)
		rc = write(dev, 6, 1, b);
	if (rc == EOK)
		rc = write(dev, 0, 1, b); /* last: a half-made volume has no signature */
	if (rc == EOK)
		*type = g.type;
	return rc;
}
