/*
 * fat: the volume (boot sector, FSInfo), the allocation table, cluster
 * chains and file data. Every structure read from the disk is checked
 * before it is used: a boot sector that does not describe a volume inside
 * the device is EINVAL at mount, a chain that loops or leaves the volume
 * is EIO for the file that has it.
 */
#include "fat.h"
#include <stdlib.h>
#include <string.h>

#define BOOT_SIG_OFF	   510
#define FSINFO_SIG1	   0x41615252u
#define FSINFO_SIG2	   0x61417272u
#define FSINFO_FREE_OFF	   488
#define FSINFO_NEXT_OFF	   492
#define FAT12_MAX_CLUSTERS 4084
#define FAT16_MAX_CLUSTERS 65524
#define FAT32_MASK	   0x0fffffffu

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t) (p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
	    (uint32_t) p[3] << 24;
}

static bool power_of_two(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/** Fills the geometry of @a fs from boot sector @a b; EINVAL if it is not a
 *  FAT volume of @a blocks sectors of @a block_size bytes. */
static errno_t parse_boot(
    fat_fs_t *fs, const uint8_t *b, uint32_t block_size, uint64_t blocks)
{
	if (b[BOOT_SIG_OFF] != 0x55 || b[BOOT_SIG_OFF + 1] != 0xaa)
		return EINVAL;
	fs->bps = le16(b + 11);
	fs->spc = b[13];
	uint32_t reserved = le16(b + 14);
	fs->nfats = b[16];
	fs->root_entries = le16(b + 17);
	uint32_t total = le16(b + 19) != 0 ? le16(b + 19) : le32(b + 32);
	fs->fat_sectors = le16(b + 22) != 0 ? le16(b + 22) : le32(b + 36);
	if (fs->bps != block_size || !power_of_two(fs->spc) || fs->spc > 128 ||
	    reserved == 0 || fs->nfats == 0 || fs->nfats > 2 || fs->fat_sectors == 0 ||
	    total > blocks)
		return EINVAL;
	fs->csize = fs->bps * fs->spc;
	fs->fat_start = reserved;
	fs->root_start = reserved + fs->nfats * fs->fat_sectors;
	uint32_t root_sectors = (fs->root_entries * FAT_DENTRY_SIZE + fs->bps - 1) /
	    fs->bps;
	fs->data_start = fs->root_start + root_sectors;
	if ((uint64_t) fs->data_start >= total)
		return EINVAL;
	fs->clusters = (total - fs->data_start) / fs->spc;
	fs->type = fs->clusters <= FAT12_MAX_CLUSTERS ? 12
	    : fs->clusters <= FAT16_MAX_CLUSTERS      ? 16
						      : 32;
	/* The table must hold an entry for every cluster. */
	uint64_t fat_bytes = (uint64_t) fs->fat_sectors * fs->bps;
	uint64_t need = fs->type == 12 ? ((uint64_t) fs->clusters + 2) * 3 / 2
				       : ((uint64_t) fs->clusters + 2) * (fs->type / 8);
	if (fat_bytes < need || fs->clusters == 0)
		return EINVAL;
	if (fs->type == 32) {
		fs->root_cl = le32(b + 44) & FAT32_MASK;
		fs->fsinfo = le16(b + 48);
		if (fs->root_entries != 0 || fs->root_cl < 2 ||
		    fs->root_cl > fs->clusters + 1)
			return EINVAL;
		if (fs->fsinfo == 0 || fs->fsinfo >= reserved)
			fs->fsinfo = 0;
	} else if (fs->root_entries == 0) {
		return EINVAL;
	}
	return EOK;
}

bool fat_is_eoc(const fat_fs_t *fs, uint32_t v)
{
	return fs->type == 12 ? v >= 0xff8
	    : fs->type == 16  ? v >= 0xfff8
			      : v >= 0x0ffffff8;
}

static bool cluster_ok(const fat_fs_t *fs, uint32_t cl)
{
	return cl >= 2 && cl <= fs->clusters + 1;
}

/** The byte offset of cluster @a cl's entry in the table. */
static uint64_t fat_offset(const fat_fs_t *fs, uint32_t cl)
{
	return fs->type == 12 ? cl + cl / 2 : (uint64_t) cl * (fs->type / 8);
}

/** @a len bytes of table copy @a copy at @a off (they may span sectors). */
static errno_t fat_bytes(
    fat_fs_t *fs, unsigned copy, uint64_t off, uint8_t *buf, size_t len, bool write)
{
	uint64_t base = fs->fat_start + (uint64_t) copy * fs->fat_sectors;
	for (size_t i = 0; i < len; i++) {
		uint64_t sec = base + (off + i) / fs->bps;
		size_t so = (off + i) % fs->bps;
		errno_t rc = write ? bcache_write(fs->bc, sec, so, &buf[i], 1)
				   : bcache_read(fs->bc, sec, so, &buf[i], 1);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

errno_t fat_get(fat_fs_t *fs, uint32_t cl, uint32_t *next)
{
	if (!cluster_ok(fs, cl))
		return EIO;
	uint8_t b[4] = {0};
	size_t len = fs->type == 32 ? 4 : 2;
	errno_t rc = fat_bytes(fs, 0, fat_offset(fs, cl), b, len, false);
	if (rc != EOK)
		return rc;
	if (fs->type == 12) {
		uint16_t v = le16(b);
		*next = (cl & 1) ? v >> 4 : v & 0xfff;
	} else {
		*next = fs->type == 16 ? le16(b) : le32(b) & FAT32_MASK;
	}
	return EOK;
}

/** Sets cluster @a cl's entry to @a v in every copy of the table. */
static errno_t fat_set(fat_fs_t *fs, uint32_t cl, uint32_t v)
{
	uint64_t off = fat_offset(fs, cl);
	for (unsigned copy = 0; copy < fs->nfats; copy++) {
		uint8_t b[4];
		size_t len = fs->type == 32 ? 4 : 2;
		errno_t rc = fat_bytes(fs, copy, off, b, len, false);
		if (rc != EOK)
			return rc;
		if (fs->type == 12) {
			uint16_t old = le16(b);
			uint16_t nv = (cl & 1)
			    ? (uint16_t) ((old & 0x000f) | (v << 4))
			    : (uint16_t) ((old & 0xf000) | (v & 0xfff));
			b[0] = nv & 0xff;
			b[1] = nv >> 8;
		} else if (fs->type == 16) {
			b[0] = v & 0xff;
			b[1] = (v >> 8) & 0xff;
		} else {
			v = (le32(b) & ~FAT32_MASK) | (v & FAT32_MASK);
			for (int i = 0; i < 4; i++)
				b[i] = (v >> (8 * i)) & 0xff;
		}
		rc = fat_bytes(fs, copy, off, b, len, true);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

static uint32_t eoc_mark(const fat_fs_t *fs)
{
	return fs->type == 12 ? 0xfff : fs->type == 16 ? 0xffff : 0x0fffffff;
}

uint64_t fat_cluster_sector(const fat_fs_t *fs, uint32_t cl)
{
	return fs->data_start + (uint64_t) (cl - 2) * fs->spc;
}

errno_t fat_chain_nth(fat_fs_t *fs, fat_node_t *node, uint32_t n, uint32_t *out)
{
	uint32_t cl = node->first_cl, i = 0;
	if (cl == 0)
		return ENOENT;
	if (node->hint_cl != 0 && node->hint_n <= n) {
		cl = node->hint_cl;
		i = node->hint_n;
	}
	for (; i < n; i++) {
		uint32_t next;
		errno_t rc = fat_get(fs, cl, &next);
		if (rc != EOK)
			return rc;
		if (fat_is_eoc(fs, next))
			return ENOENT;
		/* n is below the cluster count, so a loop ends here too. */
		if (!cluster_ok(fs, next) || n >= fs->clusters)
			return EIO;
		cl = next;
	}
	if (!cluster_ok(fs, cl))
		return EIO;
	node->hint_n = n;
	node->hint_cl = cl;
	*out = cl;
	return EOK;
}

errno_t fat_chain_check(fat_fs_t *fs, fat_node_t *node)
{
	uint32_t count = 0;
	for (uint32_t cl = node->first_cl; cl != 0 && !fat_is_eoc(fs, cl); count++) {
		if (!cluster_ok(fs, cl) || count >= fs->clusters) {
			node->broken = true;
			return EOK;
		}
		errno_t rc = fat_get(fs, cl, &cl);
		if (rc != EOK)
			return rc;
	}
	uint64_t need = ((uint64_t) node->size + fs->csize - 1) / fs->csize;
	if (!node->is_dir && count != need)
		node->broken = true;
	return EOK;
}

static errno_t cluster_zero(fat_fs_t *fs, uint32_t cl)
{
	uint8_t *z = calloc(1, fs->bps);
	if (z == NULL)
		return ENOMEM;
	errno_t rc = EOK;
	uint64_t s = fat_cluster_sector(fs, cl);
	for (uint32_t i = 0; i < fs->spc && rc == EOK; i++)
		rc = bcache_write(fs->bc, s + i, 0, z, fs->bps);
	free(z);
	return rc;
}

/** A free cluster, searched from the hint on. */
static errno_t find_free(fat_fs_t *fs, uint32_t *out)
{
	if (fs->free_count == 0)
		return ENOSPC;
	for (uint32_t k = 0; k < fs->clusters; k++) {
		uint32_t cl = 2 + (fs->free_hint - 2 + k) % fs->clusters;
		uint32_t v;
		errno_t rc = fat_get(fs, cl, &v);
		if (rc != EOK)
			return rc;
		if (v == 0) {
			*out = cl;
			return EOK;
		}
	}
	return ENOSPC;
}

errno_t fat_cluster_alloc(fat_fs_t *fs, uint32_t prev, bool zero, uint32_t *out)
{
	if (fs->rdonly)
		return EROFS;
	uint32_t cl = 0;
	errno_t rc = find_free(fs, &cl);
	if (rc == EOK && zero)
		rc = cluster_zero(fs, cl);
	if (rc == EOK)
		rc = fat_set(fs, cl, eoc_mark(fs));
	if (rc == EOK && prev != 0)
		rc = fat_set(fs, prev, cl);
	if (rc != EOK)
		return rc;
	fs->free_count--;
	fs->free_hint = cl;
	*out = cl;
	return EOK;
}

errno_t fat_chain_free(fat_fs_t *fs, uint32_t cl)
{
	for (uint32_t n = 0; cl != 0 && !fat_is_eoc(fs, cl); n++) {
		if (!cluster_ok(fs, cl) || n > fs->clusters)
			return EIO;
		uint32_t next;
		errno_t rc = fat_get(fs, cl, &next);
		if (rc == EOK)
			rc = fat_set(fs, cl, 0);
		if (rc != EOK)
			return rc;
		fs->free_count++;
		cl = next;
	}
	return EOK;
}

static errno_t count_free(fat_fs_t *fs)
{
	fs->free_count = 0;
	for (uint32_t cl = 2; cl < fs->clusters + 2; cl++) {
		uint32_t v;
		errno_t rc = fat_get(fs, cl, &v);
		if (rc != EOK)
			return rc;
		if (v == 0)
			fs->free_count++;
	}
	fs->free_hint = 2;
	return EOK;
}

errno_t fat_mount(bcache_t *bc, uint32_t block_size, uint64_t blocks, bool rdonly,
    uint32_t (*now)(void), fat_fs_t **out)
{
	uint8_t *boot = malloc(block_size);
	fat_fs_t *fs = calloc(1, sizeof(*fs));
	errno_t rc = boot == NULL || fs == NULL ? ENOMEM : EOK;
	if (rc == EOK && block_size < 512)
		rc = EINVAL;
	if (rc == EOK)
		rc = bcache_read(bc, 0, 0, boot, block_size);
	if (rc == EOK)
		rc = parse_boot(fs, boot, block_size, blocks);
	free(boot);
	if (rc == EOK) {
		fs->bc = bc;
		fs->rdonly = rdonly;
		fs->now = now;
		fs->next_index = FAT_ROOT_INDEX + 1;
		rc = count_free(fs);
	}
	if (rc != EOK) {
		free(fs);
		return rc;
	}
	*out = fs;
	return EOK;
}

/** FAT32: the free count and next free cluster in the FSInfo sector. */
static errno_t fsinfo_store(fat_fs_t *fs)
{
	if (fs->type != 32 || fs->fsinfo == 0)
		return EOK;
	uint8_t sig[4];
	errno_t rc = bcache_read(fs->bc, fs->fsinfo, 0, sig, 4);
	if (rc != EOK || le32(sig) != FSINFO_SIG1)
		return rc;
	uint8_t v[8];
	for (int i = 0; i < 4; i++) {
		v[i] = (fs->free_count >> (8 * i)) & 0xff;
		v[4 + i] = (fs->free_hint >> (8 * i)) & 0xff;
	}
	return bcache_write(fs->bc, fs->fsinfo, FSINFO_FREE_OFF, v, 8);
}

errno_t fat_sync(fat_fs_t *fs)
{
	if (fs->rdonly)
		return EOK;
	errno_t rc = fsinfo_store(fs);
	return rc == EOK ? bcache_flush(fs->bc) : rc;
}

errno_t fat_unmount(fat_fs_t *fs)
{
	errno_t rc = fat_sync(fs);
	for (size_t i = 0; i < fs->node_count; i++)
		free(fs->nodes[i]);
	free(fs->nodes);
	free(fs);
	return rc;
}

void fat_statfs(fat_fs_t *fs, vfs_statfs_t *st)
{
	memset(st, 0, sizeof(*st));
	strcpy(st->fs_type, "fat");
	st->block_size = fs->csize;
	st->total_blocks = fs->clusters;
	st->free_blocks = fs->free_count;
	st->files = fs->node_count;
}

/*
 * File data.
 */

errno_t fat_file_read(
    fat_fs_t *fs, fat_node_t *node, uint64_t pos, void *buf, size_t size, size_t *got)
{
	*got = 0;
	if (node->broken)
		return EIO;
	if (pos >= node->size)
		return EOK;
	if (size > node->size - pos)
		size = node->size - pos;
	uint8_t *dst = buf;
	while (*got < size) {
		uint64_t p = pos + *got;
		uint32_t cl;
		errno_t rc = fat_chain_nth(fs, node, p / fs->csize, &cl);
		if (rc != EOK)
			return rc == ENOENT ? EIO : rc; /* shorter than its size */
		uint32_t in = p % fs->csize;
		size_t n = fs->bps - in % fs->bps;
		if (n > size - *got)
			n = size - *got;
		rc = bcache_read(fs->bc, fat_cluster_sector(fs, cl) + in / fs->bps,
		    in % fs->bps, dst + *got, n);
		if (rc != EOK)
			return rc;
		*got += n;
	}
	return EOK;
}

errno_t fat_chain_grow(fat_fs_t *fs, fat_node_t *node, uint32_t n, uint32_t *out)
{
	errno_t rc = fat_chain_nth(fs, node, n, out);
	if (rc != ENOENT)
		return rc;
	if (node->first_cl == 0) {
		rc = fat_cluster_alloc(fs, 0, node->is_dir, &node->first_cl);
		if (rc != EOK)
			return rc;
		node->hint_n = 0;
		node->hint_cl = node->first_cl;
	}
	uint32_t k = 0, cl = node->first_cl;
	while (k < n) {
		uint32_t next;
		rc = fat_chain_nth(fs, node, k + 1, &next);
		if (rc == ENOENT) {
			rc = fat_chain_nth(fs, node, k, &cl);
			if (rc == EOK)
				rc = fat_cluster_alloc(fs, cl, node->is_dir, &next);
		}
		if (rc != EOK)
			return rc;
		k++;
		cl = next;
	}
	node->hint_n = n;
	node->hint_cl = cl;
	*out = cl;
	return EOK;
}

/** Zeros bytes @a from .. @a to - 1 of @a node (between the old end and a
 *  write past it), allocating clusters. */
static errno_t file_zero(fat_fs_t *fs, fat_node_t *node, uint64_t from, uint64_t to)
{
	static const uint8_t zeros[512];
	while (from < to) {
		uint32_t cl;
		errno_t rc = fat_chain_grow(fs, node, from / fs->csize, &cl);
		if (rc != EOK)
			return rc;
		uint32_t in = from % fs->csize;
		size_t n = fs->bps - in % fs->bps;
		if (n > sizeof(zeros))
			n = sizeof(zeros);
		if (n > to - from)
			n = to - from;
		rc = bcache_write(fs->bc, fat_cluster_sector(fs, cl) + in / fs->bps,
		    in % fs->bps, zeros, n);
		if (rc != EOK)
			return rc;
		from += n;
	}
	return EOK;
}

static void node_touch(fat_fs_t *fs, fat_node_t *node)
{
	uint32_t t = fs->now();
	node->mdate = t >> 16;
	node->mtime = t & 0xffff;
}

errno_t fat_file_write(fat_fs_t *fs, fat_node_t *node, uint64_t pos, const void *buf,
    size_t size, size_t *done)
{
	*done = 0;
	if (fs->rdonly)
		return EROFS;
	if (node->broken)
		return EIO;
	if (pos + size > UINT32_MAX || pos + size < pos)
		return EOVERFLOW;
	errno_t rc = EOK;
	if (pos > node->size)
		rc = file_zero(fs, node, node->size, pos);
	const uint8_t *src = buf;
	while (rc == EOK && *done < size) {
		uint64_t p = pos + *done;
		uint32_t cl;
		rc = fat_chain_grow(fs, node, p / fs->csize, &cl);
		if (rc != EOK)
			break;
		uint32_t in = p % fs->csize;
		size_t n = fs->bps - in % fs->bps;
		if (n > size - *done)
			n = size - *done;
		rc = bcache_write(fs->bc, fat_cluster_sector(fs, cl) + in / fs->bps,
		    in % fs->bps, src + *done, n);
		if (rc == EOK)
			*done += n;
	}
	if (pos + *done > node->size)
		node->size = pos + *done;
	if (*done > 0 || pos > node->size)
		node_touch(fs, node);
	errno_t rc2 = fat_node_store(fs, node);
	/* A short write because the disk filled is a success of what fit. */
	if (rc == ENOSPC && *done > 0)
		rc = EOK;
	return rc != EOK ? rc : rc2;
}

errno_t fat_file_truncate(fat_fs_t *fs, fat_node_t *node, uint64_t size)
{
	if (fs->rdonly)
		return EROFS;
	if (node->broken)
		return EIO;
	if (size > UINT32_MAX)
		return EOVERFLOW;
	if (size > node->size) {
		errno_t rc = file_zero(fs, node, node->size, size);
		if (rc == EOK)
			node->size = size;
		node_touch(fs, node);
		errno_t rc2 = fat_node_store(fs, node);
		return rc != EOK ? rc : rc2;
	}
	uint32_t keep = (uint32_t) ((size + fs->csize - 1) / fs->csize);
	errno_t rc = EOK;
	node->hint_cl = 0;
	if (keep == 0 && node->first_cl != 0) {
		rc = fat_chain_free(fs, node->first_cl);
		node->first_cl = 0;
	} else if (keep > 0) {
		uint32_t last, next;
		rc = fat_chain_nth(fs, node, keep - 1, &last);
		if (rc == EOK)
			rc = fat_get(fs, last, &next);
		if (rc == EOK && !fat_is_eoc(fs, next)) {
			rc = fat_set(fs, last, eoc_mark(fs));
			if (rc == EOK)
				rc = fat_chain_free(fs, next);
		}
	}
	node->size = (uint32_t) size;
	node_touch(fs, node);
	errno_t rc2 = fat_node_store(fs, node);
	return rc != EOK ? rc : rc2;
}
