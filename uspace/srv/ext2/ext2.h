/*
 * ext2: revision 0 and 1 volumes (1, 2 and 4 KiB blocks, the features
 * mke2fs gives ext2 by default), the part without IPC (compiled for the
 * host too and tested there against images made by mke2fs -d and checked
 * with e2fsck -fn). An ext2_fs_t is one mounted volume; it owns a block
 * cache (bcache.h) whose blocks are the volume's blocks, over a device of
 * smaller sectors the caller supplies.
 *
 * Nodes: the VFS's index of a node is its inode number (the root is 2). The
 * volume keeps only the open counts (fs->opens): an inode whose last link
 * goes while it is open keeps its blocks until its last close.
 *
 * Every structure read from the disk is checked before it is used: a
 * superblock or group descriptor that does not describe a volume inside
 * the device is EINVAL at mount; a block pointer outside the volume, a
 * directory entry that does not fit its block or names an inode outside
 * the volume is EIO for the file or directory that has it.
 *
 * No locking here: the caller serialises every call on a volume.
 */
#ifndef EXT2_H
#define EXT2_H

#include <abi/vfs.h>
#include "bcache.h"
#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXT2_MAGIC	    0xef53
#define EXT2_SB_OFFSET	    1024
#define EXT2_SB_SIZE	    1024
#define EXT2_ROOT_INO	    2
#define EXT2_NAME_MAX	    255
#define EXT2_NDIR	    12 /* direct block pointers */
#define EXT2_IND	    12 /* i_block[12]: single, 13 double, 14 triple */
#define EXT2_NBLOCK	    15
#define EXT2_GOOD_OLD_ISIZE 128
#define EXT2_GOOD_OLD_FIRST 11
#define EXT2_S_IFMT	    0xf000
#define EXT2_S_IFREG	    0x8000
#define EXT2_S_IFDIR	    0x4000
#define EXT2_S_IFLNK	    0xa000
#define EXT2_INDEX_FL	    0x1000 /* hashed directory index */
#define EXT2_FT_REG	    1
#define EXT2_FT_DIR	    2
#define EXT2_DIRENT_HEAD    8
/* Features this code knows: others refuse the mount (incompat) or a
 * writable mount (ro_compat). */
#define EXT2_INCOMPAT_FILETYPE 0x0002
#define EXT2_RO_SPARSE_SUPER   0x0001
#define EXT2_RO_LARGE_FILE     0x0002
#define EXT2_RO_BTREE_DIR      0x0004
#define EXT2_INCOMPAT_KNOWN    EXT2_INCOMPAT_FILETYPE
#define EXT2_RO_KNOWN	       (EXT2_RO_SPARSE_SUPER | EXT2_RO_LARGE_FILE | EXT2_RO_BTREE_DIR)

/* The superblock's fields this code reads or keeps up to date. */
typedef struct {
	uint32_t inodes_count, blocks_count, r_blocks_count;
	uint32_t free_blocks_count, free_inodes_count;
	uint32_t first_data_block, log_block_size, log_frag_size;
	uint32_t blocks_per_group, frags_per_group, inodes_per_group;
	uint32_t mtime, wtime;
	uint16_t mnt_count, max_mnt_count, magic, state, errors, minor_rev_level;
	uint32_t lastcheck, checkinterval, creator_os, rev_level;
	uint16_t def_resuid, def_resgid;
	uint32_t first_ino;
	uint16_t inode_size, block_group_nr;
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	uint8_t rest[EXT2_SB_SIZE - 104];
} __attribute__((packed)) ext2_sb_t;

typedef struct {
	uint32_t block_bitmap, inode_bitmap, inode_table;
	uint16_t free_blocks_count, free_inodes_count, used_dirs_count;
	uint16_t flags;
	uint8_t reserved[12];
} __attribute__((packed)) ext2_gd_t;

/* The first 128 bytes of an inode (all of it on revision 0). */
typedef struct {
	uint16_t mode, uid;
	uint32_t size, atime, ctime, mtime, dtime;
	uint16_t gid, links_count;
	uint32_t blocks; /* 512-byte units, indirect blocks included */
	uint32_t flags, osd1;
	uint32_t block[EXT2_NBLOCK];
	uint32_t generation, file_acl, size_high, faddr;
	uint8_t osd2[12];
} __attribute__((packed)) ext2_inode_t;

typedef struct {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len, file_type;
} __attribute__((packed)) ext2_dirent_head_t;

/* A directory entry seen inside one block by ext2_dirent_next(). */
typedef struct {
	uint32_t off; /* its offset in the block */
	uint32_t inode;
	uint32_t rec_len;
	uint32_t name_len;
	uint8_t file_type;
	const char *name; /* in the block; not NUL-terminated */
} ext2_dirent_t;

/* The volume's geometry, as ext2_sb_parse() finds it. */
typedef struct {
	uint32_t bsize;	 /* bytes per block */
	uint32_t groups; /* block groups */
	uint32_t isize;	 /* bytes per inode */
	uint32_t first_ino;
	uint32_t gd_block;	/* the first block of the group descriptors */
	uint32_t gd_blocks;	/* blocks they fill */
	uint32_t itable_blocks; /* inode-table blocks per group */
	bool rdonly_only;	/* features this code must not write */
} ext2_geom_t;

/* An open inode (fs->opens). */
typedef struct {
	uint32_t ino;
	unsigned opens;
	bool orphan; /* its last link is gone: freed at the last close */
} ext2_open_t;

typedef struct {
	const bcache_dev_t *dev_ops; /* the device, in sectors */
	void *dev;
	uint32_t spb; /* sectors per block */
	bcache_t *bc; /* owned */
	ext2_sb_t sb;
	ext2_geom_t g;
	ext2_gd_t *gds; /* g.groups descriptors */
	bool rdonly;
	bool sb_dirty;
	uint32_t (*now)(void); /* seconds since 1970 */
	ext2_open_t *opens;
	size_t open_count, open_cap;
	uint8_t *buf; /* one block of scratch for ext2_fs.c (bitmaps, zeroing) */
} ext2_fs_t;

/* Node numbers from the VFS (uint64_t) are checked by ext2_node_get before
 * anything else: ENOENT outside the volume or for a free inode. */

/* ext2_fs.c: the volume, bitmaps, inodes, block maps, file data. */

/** Checks superblock @a sb (EXT2_SB_SIZE bytes read at EXT2_SB_OFFSET) of a
 *  volume on a device of @a dev_bytes and fills @a g: EINVAL if it is not
 *  an ext2 volume inside the device, ENOTSUP for an incompatible feature
 *  or block size. */
errno_t ext2_sb_parse(const ext2_sb_t *sb, uint64_t dev_bytes, ext2_geom_t *g);
/** Checks the descriptor of group @a n: its bitmaps and inode table must
 *  lie inside the volume (EINVAL otherwise). */
errno_t ext2_gd_check(
    const ext2_sb_t *sb, const ext2_geom_t *g, uint32_t n, const ext2_gd_t *gd);
/** The first clear bit of @a map (@a nbits bits) at or after @a from,
 *  wrapping around; -1 if every bit is set. */
int64_t ext2_bitmap_find(const uint8_t *map, uint32_t nbits, uint32_t from);
/** Where block @a n of a file lies in its block map: @a depth 0 (direct),
 *  1, 2 or 3 levels of indirect blocks, the index at each level in
 *  @a idx; EOVERFLOW past the triple-indirect range. @a per: pointers a block. */
errno_t ext2_bmap_path(uint64_t n, uint32_t per, int *depth, uint32_t idx[4]);
/** The entry at @a off of directory block @a blk (@a bsize bytes) of a
 *  volume of @a inodes inodes, checked: EIO if its rec_len is not a
 *  multiple of 4, is shorter than its name or runs past the block, or its
 *  inode is outside the volume. */
errno_t ext2_dirent_next(
    const uint8_t *blk, uint32_t bsize, uint32_t off, uint32_t inodes, ext2_dirent_t *e);

/** Mounts the volume on a device of @a sectors sectors of @a sector_size
 *  bytes read and written by @a ops on @a dev (sync may be NULL): EINVAL
 *  for a damaged superblock or group descriptor, ENOTSUP for what this code
 *  does not know, EROFS for a feature it may only read unless @a rdonly. */
errno_t ext2_mount(const bcache_dev_t *ops, void *dev, uint32_t sector_size,
    uint64_t sectors, bool rdonly, uint32_t (*now)(void), ext2_fs_t **out);
/** Writes everything back (ext2_sync) and frees the volume. */
errno_t ext2_unmount(ext2_fs_t *fs);
errno_t ext2_sync(ext2_fs_t *fs);
void ext2_statfs(ext2_fs_t *fs, vfs_statfs_t *st);

/** Reads (writes) the first 128 bytes of inode @a ino; EIO outside the
 *  volume. */
errno_t ext2_inode_read(ext2_fs_t *fs, uint32_t ino, ext2_inode_t *in);
errno_t ext2_inode_write(ext2_fs_t *fs, uint32_t ino, const ext2_inode_t *in);
uint64_t ext2_inode_size(const ext2_inode_t *in);
bool ext2_is_dir(const ext2_inode_t *in);
/** A new inode (a directory if @a dir) near @a parent's group, zeroed on the
 *  disk; ENOSPC when none is free. */
errno_t ext2_inode_alloc(ext2_fs_t *fs, uint32_t parent, bool dir, uint32_t *ino);
/** Checks every block pointer of @a in's map: EIO if one lies outside the
 *  volume (nothing of such a file may be freed: the block could be
 *  another file's). */
errno_t ext2_inode_check(ext2_fs_t *fs, const ext2_inode_t *in);
/** Frees inode @a ino (@a in): its blocks, then the inode itself. */
errno_t ext2_inode_free(ext2_fs_t *fs, uint32_t ino, ext2_inode_t *in);
/** The volume block holding block @a n of inode @a in (0: a hole); with
 *  @a alloc a hole gets a new block (zeroed unless @a whole: the caller
 *  writes all of it) and *@a in changes (the caller stores it). */
errno_t ext2_bmap(
    ext2_fs_t *fs, ext2_inode_t *in, uint64_t n, bool alloc, bool whole, uint32_t *pb);

errno_t ext2_file_read(
    ext2_fs_t *fs, uint64_t ino, uint64_t pos, void *buf, size_t size, size_t *got);
/** Writes at @a pos (holes before it read as zeros); *@a done the bytes
 *  written, *@a size the file's size after. A full volume writes what fits
 *  (ENOSPC when nothing did). */
errno_t ext2_file_write(ext2_fs_t *fs, uint64_t ino, uint64_t pos, const void *buf,
    size_t len, size_t *done, uint64_t *size);
errno_t ext2_file_truncate(ext2_fs_t *fs, uint64_t ino, uint64_t size);
/** Cuts @a in (inode @a ino) to @a size bytes, freeing blocks past it. */
errno_t ext2_inode_truncate(ext2_fs_t *fs, uint32_t ino, ext2_inode_t *in, uint64_t size);

/* ext2_dir.c: directories, paths and open nodes. */

/** Looks up @a path (relative to the root, "" the root) with the VFS's
 *  L_* flags, making a file or directory if they say so. */
errno_t ext2_lookup(
    ext2_fs_t *fs, const char *path, unsigned lflags, uint32_t *ino, ext2_inode_t *in);
errno_t ext2_unlink(ext2_fs_t *fs, const char *path, unsigned flags);
errno_t ext2_rename(ext2_fs_t *fs, const char *old_path, const char *new_path);
/** The name of the first entry at or after @a pos of directory @a ino
 *  other than "." and ".." (NUL-terminated, EXT2_NAME_MAX + 1 bytes);
 *  the next position in *@a next; ENOENT past the last. */
errno_t ext2_readdir(
    ext2_fs_t *fs, uint64_t ino, uint64_t pos, char *name, uint64_t *next);
/** Entries of directory @a ino other than "." and "..", counted. */
errno_t ext2_dir_count(ext2_fs_t *fs, uint64_t ino, uint64_t *count);
/** The inode of node @a ino, ENOENT if it is free (no links, not open). */
errno_t ext2_node_get(ext2_fs_t *fs, uint64_t ino, ext2_inode_t *in);
errno_t ext2_node_stat(ext2_fs_t *fs, uint64_t ino, vfs_stat_t *st);
errno_t ext2_node_open(ext2_fs_t *fs, uint64_t ino);
/** One open less; an orphan's blocks and inode go with the last. */
errno_t ext2_node_close(ext2_fs_t *fs, uint64_t ino);

#endif
