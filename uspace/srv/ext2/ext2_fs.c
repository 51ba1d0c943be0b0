/*
 * ext2: the volume (superblock, group descriptors), the block and inode
 * bitmaps, inodes, block maps with their indirect blocks, and file data.
 * The superblock and the descriptors live in fs (read at mount); a change
 * to a descriptor is written to the cache at once, the superblock's counts
 * at ext2_sync().
 */
#include "ext2.h"
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(ext2_sb_t) == EXT2_SB_SIZE, "superblock layout");
_Static_assert(sizeof(ext2_gd_t) == 32, "group descriptor layout");
_Static_assert(sizeof(ext2_inode_t) == 128, "inode layout");

#define CACHE_BYTES	(1024 * 1024)
#define EXTRA_ISIZE	32 /* i_extra_isize of new large inodes, as Linux sets it */
#define MAX_LOG_BSIZE	2  /* 4 KiB */
#define SECTORS_PER_KIB 2

/*
 * Pure parts: the host tests call these on made-up bytes.
 */

static uint32_t div_up(uint64_t a, uint32_t b)
{
	return (uint32_t) ((a + b - 1) / b);
}

errno_t ext2_sb_parse(const ext2_sb_t *sb, uint64_t dev_bytes, ext2_geom_t *g)
{
	if (sb->magic != EXT2_MAGIC || sb->rev_level > 1)
		return EINVAL;
	if (sb->log_block_size > MAX_LOG_BSIZE)
		return ENOTSUP;
	if ((sb->feature_incompat & ~EXT2_INCOMPAT_KNOWN) != 0)
		return ENOTSUP;
	g->bsize = 1024u << sb->log_block_size;
	g->isize = sb->rev_level == 0 ? EXT2_GOOD_OLD_ISIZE : sb->inode_size;
	g->first_ino = sb->rev_level == 0 ? EXT2_GOOD_OLD_FIRST : sb->first_ino;
	g->rdonly_only = (sb->feature_ro_compat & ~EXT2_RO_KNOWN) != 0;
	uint32_t bits = g->bsize * 8;
	if (sb->first_data_block != (g->bsize == 1024 ? 1u : 0u) ||
	    sb->blocks_count <= sb->first_data_block || sb->blocks_per_group == 0 ||
	    sb->blocks_per_group > bits || sb->inodes_per_group == 0 ||
	    sb->inodes_per_group > bits || g->isize < EXT2_GOOD_OLD_ISIZE ||
	    g->isize > g->bsize || (g->isize & (g->isize - 1)) != 0 ||
	    g->first_ino <= EXT2_ROOT_INO)
		return EINVAL;
	if ((uint64_t) sb->blocks_count * g->bsize > dev_bytes)
		return EINVAL;
	g->groups = div_up(sb->blocks_count - sb->first_data_block, sb->blocks_per_group);
	if ((uint64_t) g->groups * sb->inodes_per_group != sb->inodes_count ||
	    g->first_ino > sb->inodes_count)
		return EINVAL;
	g->gd_block = sb->first_data_block + 1;
	g->gd_blocks = div_up((uint64_t) g->groups * sizeof(ext2_gd_t), g->bsize);
	g->itable_blocks = div_up((uint64_t) sb->inodes_per_group * g->isize, g->bsize);
	if ((uint64_t) g->gd_block + g->gd_blocks > sb->blocks_count ||
	    sb->free_blocks_count > sb->blocks_count ||
	    sb->free_inodes_count > sb->inodes_count)
		return EINVAL;
	return EOK;
}

/** Whether blocks @a first .. @a first + @a n - 1 lie in group @a gn. */
static bool in_group(const ext2_sb_t *sb, uint32_t gn, uint64_t first, uint64_t n)
{
	uint64_t start = sb->first_data_block + (uint64_t) gn * sb->blocks_per_group;
	uint64_t end = start + sb->blocks_per_group;
	if (end > sb->blocks_count)
		end = sb->blocks_count;
	return first >= start && first + n <= end;
}

errno_t ext2_gd_check(
    const ext2_sb_t *sb, const ext2_geom_t *g, uint32_t n, const ext2_gd_t *gd)
{
	if (!in_group(sb, n, gd->block_bitmap, 1) ||
	    !in_group(sb, n, gd->inode_bitmap, 1) ||
	    !in_group(sb, n, gd->inode_table, g->itable_blocks) ||
	    gd->free_blocks_count > sb->blocks_per_group ||
	    gd->free_inodes_count > sb->inodes_per_group ||
	    gd->used_dirs_count > sb->inodes_per_group)
		return EINVAL;
	return EOK;
}

int64_t ext2_bitmap_find(const uint8_t *map, uint32_t nbits, uint32_t from)
{
	if (nbits == 0)
		return -1;
	if (from >= nbits)
		from = 0;
	for (uint32_t k = 0; k < nbits; k++) {
		uint32_t i = from + k < nbits ? from + k : from + k - nbits;
		if (map[i / 8] == 0xff) {
			k += 7 - i % 8; /* the rest of a full byte */
			continue;
		}
		if (!(map[i / 8] & (1u << (i % 8))))
			return i;
	}
	return -1;
}

errno_t ext2_bmap_path(uint64_t n, uint32_t per, int *depth, uint32_t idx[4])
{
	if (n < EXT2_NDIR) {
		*depth = 0;
		idx[0] = (uint32_t) n;
		return EOK;
	}
	n -= EXT2_NDIR;
	uint64_t span = per;
	for (int d = 1; d <= 3; d++, span *= per) {
		if (n < span) {
			*depth = d;
			idx[0] = EXT2_IND + (uint32_t) d - 1;
			for (int k = d; k >= 1; k--) {
				idx[k] = (uint32_t) (n % per);
				n /= per;
			}
			return EOK;
		}
		n -= span;
	}
	return EOVERFLOW; /* past the triple-indirect range */
}

errno_t ext2_dirent_next(
    const uint8_t *blk, uint32_t bsize, uint32_t off, uint32_t inodes, ext2_dirent_t *e)
{
	if (off % 4 != 0 || off + EXT2_DIRENT_HEAD > bsize)
		return EIO;
	ext2_dirent_head_t h;
	memcpy(&h, blk + off, sizeof(h));
	if (h.rec_len < EXT2_DIRENT_HEAD || h.rec_len % 4 != 0 ||
	    h.rec_len > bsize - off || EXT2_DIRENT_HEAD + h.name_len > h.rec_len ||
	    h.inode > inodes || (h.inode != 0 && h.name_len == 0))
		return EIO;
	*e = (ext2_dirent_t){.off = off,
	    .inode = h.inode,
	    .rec_len = h.rec_len,
	    .name_len = h.name_len,
	    .file_type = h.file_type,
	    .name = (const char *) blk + off + EXT2_DIRENT_HEAD};
	return EOK;
}

/*
 * The device under the cache: blocks of the volume to sectors.
 */

static errno_t vol_read(void *arg, uint64_t ba, size_t count, void *buf)
{
	ext2_fs_t *fs = arg;
	return fs->dev_ops->read(fs->dev, ba * fs->spb, count * fs->spb, buf);
}

static errno_t vol_write(void *arg, uint64_t ba, size_t count, const void *buf)
{
	ext2_fs_t *fs = arg;
	return fs->dev_ops->write(fs->dev, ba * fs->spb, count * fs->spb, buf);
}

static errno_t vol_sync(void *arg)
{
	ext2_fs_t *fs = arg;
	return fs->dev_ops->sync != NULL ? fs->dev_ops->sync(fs->dev) : EOK;
}

static const bcache_dev_t vol_ops = {
    .read = vol_read, .write = vol_write, .sync = vol_sync};

/*
 * Mounting.
 */

/** Reads the superblock straight from the device into fs->sb. */
static errno_t sb_load(ext2_fs_t *fs, uint32_t sector_size)
{
	uint8_t *b = malloc(EXT2_SB_SIZE);
	if (b == NULL)
		return ENOMEM;
	errno_t rc = fs->dev_ops->read(
	    fs->dev, EXT2_SB_OFFSET / sector_size, EXT2_SB_SIZE / sector_size, b);
	if (rc == EOK)
		memcpy(&fs->sb, b, sizeof(fs->sb));
	free(b);
	return rc == EOK ? EOK : EIO;
}

static errno_t gds_load(ext2_fs_t *fs)
{
	fs->gds = malloc((size_t) fs->g.gd_blocks * fs->g.bsize);
	if (fs->gds == NULL)
		return ENOMEM;
	for (uint32_t i = 0; i < fs->g.gd_blocks; i++) {
		errno_t rc = bcache_read(fs->bc, fs->g.gd_block + i, 0,
		    (uint8_t *) fs->gds + (size_t) i * fs->g.bsize, fs->g.bsize);
		if (rc != EOK)
			return rc;
	}
	for (uint32_t n = 0; n < fs->g.groups; n++) {
		if (ext2_gd_check(&fs->sb, &fs->g, n, &fs->gds[n]) != EOK)
			return EINVAL;
	}
	return EOK;
}

static void fs_free(ext2_fs_t *fs)
{
	bcache_destroy(fs->bc);
	free(fs->gds);
	free(fs->opens);
	free(fs->buf);
	free(fs);
}

errno_t ext2_mount(const bcache_dev_t *ops, void *dev, uint32_t sector_size,
    uint64_t sectors, bool rdonly, uint32_t (*now)(void), ext2_fs_t **out)
{
	if (sector_size == 0 || EXT2_SB_SIZE % sector_size != 0)
		return ENOTSUP;
	ext2_fs_t *fs = calloc(1, sizeof(*fs));
	if (fs == NULL)
		return ENOMEM;
	fs->dev_ops = ops;
	fs->dev = dev;
	fs->rdonly = rdonly;
	fs->now = now;
	errno_t rc = sectors * sector_size >= EXT2_SB_OFFSET + EXT2_SB_SIZE
	    ? sb_load(fs, sector_size)
	    : EINVAL;
	if (rc == EOK)
		rc = ext2_sb_parse(&fs->sb, sectors * sector_size, &fs->g);
	if (rc == EOK && fs->g.rdonly_only && !rdonly)
		rc = EROFS;
	if (rc == EOK) {
		fs->spb = fs->g.bsize / sector_size;
		fs->bc = bcache_create(&vol_ops, fs, fs->g.bsize, fs->sb.blocks_count,
		    CACHE_BYTES / fs->g.bsize);
		fs->buf = malloc(fs->g.bsize);
		rc = fs->bc != NULL && fs->buf != NULL ? EOK : ENOMEM;
	}
	if (rc == EOK)
		rc = gds_load(fs);
	if (rc != EOK) {
		fs_free(fs);
		return rc;
	}
	*out = fs;
	return EOK;
}

/** The superblock into the cache (its block 0 or 1). */
static errno_t sb_store(ext2_fs_t *fs)
{
	uint32_t ba = EXT2_SB_OFFSET / fs->g.bsize;
	uint32_t off = EXT2_SB_OFFSET % fs->g.bsize;
	errno_t rc = bcache_write(fs->bc, ba, off, &fs->sb, sizeof(fs->sb));
	if (rc == EOK)
		fs->sb_dirty = false;
	return rc;
}

errno_t ext2_sync(ext2_fs_t *fs)
{
	errno_t rc = EOK;
	if (fs->sb_dirty && !fs->rdonly) {
		fs->sb.wtime = fs->now();
		rc = sb_store(fs);
	}
	errno_t rc2 = bcache_flush(fs->bc);
	return rc != EOK ? rc : rc2;
}

errno_t ext2_unmount(ext2_fs_t *fs)
{
	errno_t rc = ext2_sync(fs);
	fs_free(fs);
	return rc;
}

void ext2_statfs(ext2_fs_t *fs, vfs_statfs_t *st)
{
	memset(st, 0, sizeof(*st));
	strcpy(st->fs_type, "ext2");
	st->block_size = fs->g.bsize;
	st->total_blocks = fs->sb.blocks_count;
	st->free_blocks = fs->sb.free_blocks_count;
	st->files = fs->sb.inodes_count - fs->sb.free_inodes_count;
}

/*
 * Bitmaps: allocation and freeing of blocks and inodes.
 */

static errno_t gd_store(ext2_fs_t *fs, uint32_t n)
{
	uint64_t byte = (uint64_t) n * sizeof(ext2_gd_t);
	return bcache_write(fs->bc, fs->g.gd_block + byte / fs->g.bsize,
	    (uint32_t) (byte % fs->g.bsize), &fs->gds[n], sizeof(ext2_gd_t));
}

/** Bits of group @a n's block bitmap that are blocks of the volume. */
static uint32_t group_blocks(const ext2_fs_t *fs, uint32_t n)
{
	uint64_t start = fs->sb.first_data_block + (uint64_t) n * fs->sb.blocks_per_group;
	uint64_t left = fs->sb.blocks_count - start;
	return left < fs->sb.blocks_per_group ? (uint32_t) left : fs->sb.blocks_per_group;
}

/** Sets a clear bit of bitmap block @a ba (of @a nbits bits) at or after
 *  @a goal; its number in *@a bit, ENOSPC if none is clear. */
static errno_t bitmap_take(
    ext2_fs_t *fs, uint32_t ba, uint32_t nbits, uint32_t goal, uint32_t *bit)
{
	errno_t rc = bcache_read(fs->bc, ba, 0, fs->buf, fs->g.bsize);
	if (rc != EOK)
		return rc;
	int64_t i = ext2_bitmap_find(fs->buf, nbits, goal);
	if (i < 0)
		return ENOSPC; /* the descriptor's count was wrong */
	uint8_t byte = (uint8_t) (fs->buf[i / 8] | 1u << (i % 8));
	*bit = (uint32_t) i;
	return bcache_write(fs->bc, ba, (uint32_t) (i / 8), &byte, 1);
}

/** Clears bit @a bit of bitmap block @a ba; EIO if it was clear (the
 *  volume is damaged: something else may own what it names). */
static errno_t bitmap_put(ext2_fs_t *fs, uint32_t ba, uint32_t bit)
{
	uint8_t byte;
	errno_t rc = bcache_read(fs->bc, ba, bit / 8, &byte, 1);
	if (rc != EOK)
		return rc;
	if (!(byte & (1u << (bit % 8))))
		return EIO;
	byte &= (uint8_t) ~(1u << (bit % 8));
	return bcache_write(fs->bc, ba, bit / 8, &byte, 1);
}

/** A new block near @a goal (a volume block, or 0); zeroed unless
 *  @a whole. */
static errno_t block_alloc(ext2_fs_t *fs, uint32_t goal, bool whole, uint32_t *out)
{
	if (fs->sb.free_blocks_count == 0)
		return ENOSPC;
	uint32_t g0 = goal >= fs->sb.first_data_block && goal < fs->sb.blocks_count
	    ? (goal - fs->sb.first_data_block) / fs->sb.blocks_per_group
	    : 0;
	for (uint32_t k = 0; k < fs->g.groups; k++) {
		uint32_t n = (g0 + k) % fs->g.groups;
		ext2_gd_t *gd = &fs->gds[n];
		if (gd->free_blocks_count == 0)
			continue;
		uint32_t start = fs->sb.first_data_block + n * fs->sb.blocks_per_group;
		uint32_t from = k == 0 && goal >= start ? goal - start : 0;
		uint32_t bit;
		errno_t rc = bitmap_take(
		    fs, gd->block_bitmap, group_blocks(fs, n), from, &bit);
		if (rc == ENOSPC)
			continue;
		if (rc != EOK)
			return rc;
		gd->free_blocks_count--;
		fs->sb.free_blocks_count--;
		fs->sb_dirty = true;
		*out = start + bit;
		rc = gd_store(fs, n);
		if (rc == EOK && !whole) {
			memset(fs->buf, 0, fs->g.bsize);
			rc = bcache_write(fs->bc, *out, 0, fs->buf, fs->g.bsize);
		}
		return rc;
	}
	return ENOSPC;
}

/** Whether @a b can be a data or indirect block of a file. */
static bool block_ok(const ext2_fs_t *fs, uint32_t b)
{
	return b > fs->g.gd_block && b < fs->sb.blocks_count;
}

static errno_t block_free(ext2_fs_t *fs, uint32_t b)
{
	if (!block_ok(fs, b))
		return EIO;
	uint32_t n = (b - fs->sb.first_data_block) / fs->sb.blocks_per_group;
	uint32_t bit = (b - fs->sb.first_data_block) % fs->sb.blocks_per_group;
	errno_t rc = bitmap_put(fs, fs->gds[n].block_bitmap, bit);
	if (rc != EOK)
		return rc;
	fs->gds[n].free_blocks_count++;
	fs->sb.free_blocks_count++;
	fs->sb_dirty = true;
	return gd_store(fs, n);
}

/** Where inode @a ino lies: block and offset in its group's table. */
static errno_t inode_pos(ext2_fs_t *fs, uint32_t ino, uint32_t *ba, uint32_t *off)
{
	if (ino == 0 || ino > fs->sb.inodes_count)
		return EIO;
	uint32_t n = (ino - 1) / fs->sb.inodes_per_group;
	uint64_t byte = (uint64_t) ((ino - 1) % fs->sb.inodes_per_group) * fs->g.isize;
	*ba = fs->gds[n].inode_table + (uint32_t) (byte / fs->g.bsize);
	*off = (uint32_t) (byte % fs->g.bsize);
	return EOK;
}

errno_t ext2_inode_read(ext2_fs_t *fs, uint32_t ino, ext2_inode_t *in)
{
	uint32_t ba, off;
	errno_t rc = inode_pos(fs, ino, &ba, &off);
	return rc == EOK ? bcache_read(fs->bc, ba, off, in, sizeof(*in)) : rc;
}

errno_t ext2_inode_write(ext2_fs_t *fs, uint32_t ino, const ext2_inode_t *in)
{
	uint32_t ba, off;
	errno_t rc = inode_pos(fs, ino, &ba, &off);
	return rc == EOK ? bcache_write(fs->bc, ba, off, in, sizeof(*in)) : rc;
}

uint64_t ext2_inode_size(const ext2_inode_t *in)
{
	bool high = (in->mode & EXT2_S_IFMT) == EXT2_S_IFREG;
	return in->size | (high ? (uint64_t) in->size_high << 32 : 0);
}

bool ext2_is_dir(const ext2_inode_t *in)
{
	return (in->mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

/** Zeroes inode @a ino on the disk; a large inode gets EXTRA_ISIZE. */
static errno_t inode_clear(ext2_fs_t *fs, uint32_t ino)
{
	uint32_t ba, off;
	errno_t rc = inode_pos(fs, ino, &ba, &off);
	if (rc != EOK)
		return rc;
	memset(fs->buf, 0, fs->g.isize);
	if (fs->g.isize >= EXT2_GOOD_OLD_ISIZE + EXTRA_ISIZE) {
		uint16_t extra = EXTRA_ISIZE;
		memcpy(fs->buf + EXT2_GOOD_OLD_ISIZE, &extra, sizeof(extra));
	}
	return bcache_write(fs->bc, ba, off, fs->buf, fs->g.isize);
}

errno_t ext2_inode_alloc(ext2_fs_t *fs, uint32_t parent, bool dir, uint32_t *ino)
{
	if (fs->sb.free_inodes_count == 0)
		return ENOSPC;
	uint32_t g0 = parent > 0 ? (parent - 1) / fs->sb.inodes_per_group : 0;
	for (uint32_t k = 0; k < fs->g.groups; k++) {
		uint32_t n = (g0 + k) % fs->g.groups;
		ext2_gd_t *gd = &fs->gds[n];
		if (gd->free_inodes_count == 0)
			continue;
		uint32_t bit;
		errno_t rc = bitmap_take(
		    fs, gd->inode_bitmap, fs->sb.inodes_per_group, 0, &bit);
		if (rc == ENOSPC)
			continue;
		if (rc != EOK)
			return rc;
		*ino = n * fs->sb.inodes_per_group + bit + 1;
		if (*ino < fs->g.first_ino)
			return EIO; /* a reserved inode was free: a damaged bitmap */
		gd->free_inodes_count--;
		gd->used_dirs_count += dir ? 1 : 0;
		fs->sb.free_inodes_count--;
		fs->sb_dirty = true;
		rc = gd_store(fs, n);
		return rc == EOK ? inode_clear(fs, *ino) : rc;
	}
	return ENOSPC;
}

/*
 * Block maps.
 */

static uint32_t per_block(const ext2_fs_t *fs)
{
	return fs->g.bsize / sizeof(uint32_t);
}

/** A fast symbolic link keeps its target in i_block: no blocks but an
 *  extended-attribute block. */
static bool fast_symlink(const ext2_fs_t *fs, const ext2_inode_t *in)
{
	uint32_t ea = in->file_acl != 0 ? fs->g.bsize / 512 : 0;
	return (in->mode & EXT2_S_IFMT) == EXT2_S_IFLNK && in->blocks == ea &&
	    in->size <= sizeof(in->block);
}

/** Counts @a b blocks more (or fewer) in @a in's i_blocks. */
static void blocks_add(ext2_fs_t *fs, ext2_inode_t *in, int b)
{
	in->blocks += (uint32_t) (b * (int) (fs->g.bsize / 512));
}

/** The pointer at @a slot of indirect block @a ind; a new block there if it
 *  is 0 and @a alloc. */
static errno_t ind_step(ext2_fs_t *fs, ext2_inode_t *in, uint32_t ind, uint32_t slot,
    bool alloc, bool zero, uint32_t *out)
{
	uint32_t p = 0;
	errno_t rc = bcache_read(fs->bc, ind, slot * 4, &p, sizeof(p));
	if (rc != EOK)
		return rc;
	if (p == 0 && alloc) {
		rc = block_alloc(fs, ind, !zero, &p);
		if (rc != EOK)
			return rc;
		blocks_add(fs, in, 1);
		rc = bcache_write(fs->bc, ind, slot * 4, &p, sizeof(p));
	}
	if (rc == EOK && p != 0 && !block_ok(fs, p))
		rc = EIO;
	*out = p;
	return rc;
}

errno_t ext2_bmap(
    ext2_fs_t *fs, ext2_inode_t *in, uint64_t n, bool alloc, bool whole, uint32_t *pb)
{
	int depth;
	uint32_t idx[4];
	errno_t rc = ext2_bmap_path(n, per_block(fs), &depth, idx);
	if (rc != EOK)
		return rc;
	uint32_t p = in->block[idx[0]];
	if (p == 0 && alloc) {
		uint32_t goal = idx[0] > 0 ? in->block[idx[0] - 1] : 0;
		rc = block_alloc(fs, goal, depth == 0 && whole, &p);
		if (rc != EOK)
			return rc;
		blocks_add(fs, in, 1);
		in->block[idx[0]] = p;
	}
	if (p != 0 && !block_ok(fs, p))
		return EIO;
	for (int d = 1; d <= depth && p != 0; d++) {
		rc = ind_step(fs, in, p, idx[d], alloc, d < depth || !whole, &p);
		if (rc != EOK)
			return rc;
	}
	*pb = p;
	return EOK;
}

/** Walks the tree of block @a b (@a depth levels of indirection above
 *  the data): EIO at a block outside the volume. With @a in, frees it
 *  (children first), counting what goes out of @a in. */
static errno_t tree_walk(ext2_fs_t *fs, ext2_inode_t *in, uint32_t b, int depth)
{
	if (!block_ok(fs, b))
		return EIO;
	for (uint32_t i = 0; depth > 0 && i < per_block(fs); i++) {
		uint32_t c;
		errno_t rc = bcache_read(fs->bc, b, i * 4, &c, sizeof(c));
		if (rc == EOK && c != 0)
			rc = tree_walk(fs, in, c, depth - 1);
		if (rc != EOK)
			return rc;
	}
	if (in == NULL)
		return EOK;
	blocks_add(fs, in, -1);
	return block_free(fs, b);
}

errno_t ext2_inode_check(ext2_fs_t *fs, const ext2_inode_t *in)
{
	if (fast_symlink(fs, in))
		return EOK;
	for (int i = 0; i < EXT2_NBLOCK; i++) {
		int depth = i < EXT2_IND ? 0 : i - EXT2_IND + 1;
		errno_t rc = in->block[i] != 0 ? tree_walk(fs, NULL, in->block[i], depth)
					       : EOK;
		if (rc != EOK)
			return rc;
	}
	return in->file_acl == 0 || block_ok(fs, in->file_acl) ? EOK : EIO;
}

/** Cuts the tree under *@a ptr (covering blocks from @a start on, @a depth
 *  levels) to the first @a keep blocks of the file. */
static errno_t tree_cut(ext2_fs_t *fs, ext2_inode_t *in, uint32_t *ptr, int depth,
    uint64_t start, uint64_t keep)
{
	uint64_t span = 1;
	for (int d = 0; d < depth; d++)
		span *= per_block(fs);
	if (*ptr == 0 || keep >= start + span)
		return EOK;
	if (keep <= start) {
		errno_t rc = tree_walk(fs, in, *ptr, depth);
		if (rc == EOK)
			*ptr = 0;
		return rc;
	}
	if (!block_ok(fs, *ptr))
		return EIO;
	uint64_t child = span / per_block(fs);
	for (uint32_t i = 0; i < per_block(fs); i++) {
		uint32_t c;
		errno_t rc = bcache_read(fs->bc, *ptr, i * 4, &c, sizeof(c));
		uint32_t was = c;
		if (rc == EOK)
			rc = tree_cut(fs, in, &c, depth - 1, start + i * child, keep);
		if (rc == EOK && c != was)
			rc = bcache_write(fs->bc, *ptr, i * 4, &c, sizeof(c));
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

/** Zeroes the bytes of the block holding @a size from there to its end,
 *  so that a later growth reads zeros there. */
static errno_t tail_zero(ext2_fs_t *fs, ext2_inode_t *in, uint64_t size)
{
	uint32_t off = (uint32_t) (size % fs->g.bsize);
	if (off == 0)
		return EOK;
	uint32_t b;
	errno_t rc = ext2_bmap(fs, in, size / fs->g.bsize, false, false, &b);
	if (rc != EOK || b == 0)
		return rc;
	memset(fs->buf, 0, fs->g.bsize - off);
	return bcache_write(fs->bc, b, off, fs->buf, fs->g.bsize - off);
}

static void size_set(ext2_inode_t *in, uint64_t size)
{
	in->size = (uint32_t) size;
	if ((in->mode & EXT2_S_IFMT) == EXT2_S_IFREG)
		in->size_high = (uint32_t) (size >> 32);
}

/** Whether the volume may hold a file of @a size bytes: past 2 GiB it must
 *  have the large_file feature (which this code then keeps). */
static errno_t size_ok(ext2_fs_t *fs, uint64_t size)
{
	if (size < (1ull << 31) || (fs->sb.feature_ro_compat & EXT2_RO_LARGE_FILE))
		return EOK;
	if (fs->sb.rev_level == 0)
		return EOVERFLOW;
	fs->sb.feature_ro_compat |= EXT2_RO_LARGE_FILE;
	fs->sb_dirty = true;
	return EOK;
}

errno_t ext2_inode_truncate(ext2_fs_t *fs, uint32_t ino, ext2_inode_t *in, uint64_t size)
{
	errno_t rc = size_ok(fs, size);
	/* Cut whatever lies past the size, even past the old one (a block a
	 * failed operation left). */
	if (rc == EOK && !fast_symlink(fs, in)) {
		uint64_t keep = div_up(size, fs->g.bsize);
		uint64_t start = EXT2_NDIR;
		uint32_t ptrs[EXT2_NBLOCK]; /* i_block is packed: cut in a copy */
		memcpy(ptrs, in->block, sizeof(ptrs));
		for (uint32_t i = 0; rc == EOK && i < EXT2_NDIR; i++)
			rc = tree_cut(fs, in, &ptrs[i], 0, i, keep);
		for (int d = 1; rc == EOK && d <= 3; d++) {
			rc = tree_cut(fs, in, &ptrs[EXT2_IND + d - 1], d, start, keep);
			uint64_t span = 1;
			for (int k = 0; k < d; k++)
				span *= per_block(fs);
			start += span;
		}
		memcpy(in->block, ptrs, sizeof(ptrs));
		if (rc == EOK)
			rc = tail_zero(fs, in, size);
	}
	if (rc == EOK) {
		size_set(in, size);
		in->mtime = in->ctime = fs->now();
	}
	errno_t rc2 = ext2_inode_write(fs, ino, in); /* what was freed is gone */
	return rc != EOK ? rc : rc2;
}

errno_t ext2_inode_free(ext2_fs_t *fs, uint32_t ino, ext2_inode_t *in)
{
	errno_t rc = ext2_inode_truncate(fs, ino, in, 0);
	if (rc != EOK)
		return rc;
	if (in->file_acl != 0) {
		/* An extended-attribute block: dropped only when no other inode
		 * shares it (its header's reference count). */
		uint32_t refs;
		rc = block_ok(fs, in->file_acl)
		    ? bcache_read(fs->bc, in->file_acl, 4, &refs, sizeof(refs))
		    : EIO;
		if (rc == EOK && refs > 1) {
			refs--;
			rc = bcache_write(fs->bc, in->file_acl, 4, &refs, sizeof(refs));
		} else if (rc == EOK) {
			rc = block_free(fs, in->file_acl);
		}
		if (rc != EOK)
			return rc;
		blocks_add(fs, in, -1);
		in->file_acl = 0;
	}
	bool dir = ext2_is_dir(in);
	in->links_count = 0;
	in->dtime = fs->now();
	rc = ext2_inode_write(fs, ino, in);
	uint32_t n = (ino - 1) / fs->sb.inodes_per_group;
	if (rc == EOK)
		rc = bitmap_put(
		    fs, fs->gds[n].inode_bitmap, (ino - 1) % fs->sb.inodes_per_group);
	if (rc != EOK)
		return rc;
	fs->gds[n].free_inodes_count++;
	if (dir && fs->gds[n].used_dirs_count > 0)
		fs->gds[n].used_dirs_count--;
	fs->sb.free_inodes_count++;
	fs->sb_dirty = true;
	return gd_store(fs, n);
}

/*
 * File data.
 */

errno_t ext2_file_read(
    ext2_fs_t *fs, uint64_t ino, uint64_t pos, void *buf, size_t size, size_t *got)
{
	ext2_inode_t in;
	errno_t rc = ext2_node_get(fs, ino, &in);
	*got = 0;
	if (rc != EOK)
		return rc;
	if (ext2_is_dir(&in))
		return EISDIR;
	uint64_t fsize = ext2_inode_size(&in);
	if (pos >= fsize)
		return EOK;
	if (size > fsize - pos)
		size = (size_t) (fsize - pos);
	if (fast_symlink(fs, &in)) {
		memcpy(buf, (const uint8_t *) in.block + pos, size);
		*got = size;
		return EOK;
	}
	uint8_t *out = buf;
	while (*got < size) {
		uint64_t at = pos + *got;
		uint32_t off = (uint32_t) (at % fs->g.bsize);
		size_t n = fs->g.bsize - off < size - *got ? fs->g.bsize - off
							   : size - *got;
		uint32_t b;
		rc = ext2_bmap(fs, &in, at / fs->g.bsize, false, false, &b);
		if (rc == EOK && b == 0)
			memset(out + *got, 0, n); /* a hole */
		else if (rc == EOK)
			rc = bcache_read(fs->bc, b, off, out + *got, n);
		if (rc != EOK)
			return *got > 0 ? EOK : rc;
		*got += n;
	}
	return EOK;
}

/** Writes up to one block's worth of @a len bytes at @a at; *@a n: how
 *  many. */
static errno_t write_piece(ext2_fs_t *fs, ext2_inode_t *in, uint64_t at,
    const uint8_t *src, size_t len, size_t *n)
{
	uint32_t off = (uint32_t) (at % fs->g.bsize);
	*n = fs->g.bsize - off < len ? fs->g.bsize - off : len;
	uint32_t b;
	bool whole = off == 0 && *n == fs->g.bsize;
	errno_t rc = ext2_bmap(fs, in, at / fs->g.bsize, true, whole, &b);
	return rc == EOK ? bcache_write(fs->bc, b, off, src, *n) : rc;
}

/** The inode of regular file @a ino, to be changed: EISDIR, EINVAL (not a
 *  regular file) or EROFS otherwise. */
static errno_t file_for_change(ext2_fs_t *fs, uint64_t ino, ext2_inode_t *in)
{
	errno_t rc = ext2_node_get(fs, ino, in);
	if (rc != EOK)
		return rc;
	if (ext2_is_dir(in))
		return EISDIR;
	if ((in->mode & EXT2_S_IFMT) != EXT2_S_IFREG)
		return EINVAL;
	return fs->rdonly ? EROFS : EOK;
}

errno_t ext2_file_write(ext2_fs_t *fs, uint64_t ino, uint64_t pos, const void *buf,
    size_t len, size_t *done, uint64_t *size)
{
	*done = 0;
	*size = 0;
	ext2_inode_t in;
	errno_t rc = file_for_change(fs, ino, &in);
	if (rc != EOK)
		return rc;
	*size = ext2_inode_size(&in);
	if (pos + len < pos)
		return EOVERFLOW;
	rc = size_ok(fs, pos + len);
	while (rc == EOK && *done < len) {
		size_t n;
		rc = write_piece(
		    fs, &in, pos + *done, (const uint8_t *) buf + *done, len - *done, &n);
		if (rc == EOK)
			*done += n;
	}
	if (*done > 0 && (rc == ENOSPC || rc == EOVERFLOW))
		rc = EOK; /* what fitted is written */
	if (pos + *done > *size)
		size_set(&in, pos + *done);
	in.mtime = in.ctime = fs->now();
	*size = ext2_inode_size(&in);
	errno_t rc2 = ext2_inode_write(fs, (uint32_t) ino, &in);
	return rc != EOK ? rc : rc2;
}

errno_t ext2_file_truncate(ext2_fs_t *fs, uint64_t ino, uint64_t size)
{
	ext2_inode_t in;
	errno_t rc = file_for_change(fs, ino, &in);
	return rc == EOK ? ext2_inode_truncate(fs, (uint32_t) ino, &in, size) : rc;
}
