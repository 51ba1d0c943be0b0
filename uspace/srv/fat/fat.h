/*
 * fat: FAT12/16/32 with long file names, the part without IPC (compiled
 * for the host too and tested there against images made by mkfs.fat and
 * mtools). A fat_fs_t is one mounted volume over a block cache (bcache.h)
 * whose blocks are the volume's sectors.
 *
 * Nodes: the server names files by a 64-bit index. A node is made the first
 * time a lookup reaches a directory entry and lives in fs->nodes until it
 * is unlinked and closed or the volume is unmounted (owner: the fat_fs_t).
 * It remembers where its short entry is (parent directory's first cluster
 * and entry number), which a rename updates. The root is index 1.
 *
 * No locking here: the caller serialises every call on a volume.
 */
#ifndef FAT_H
#define FAT_H

#include <abi/vfs.h>
#include "bcache.h"
#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAT_DENTRY_SIZE	 32
#define FAT_NAME_MAX	 255 /* UCS-2 characters of a long name */
#define FAT_ROOT_INDEX	 1
#define FAT_ATTR_RO	 0x01
#define FAT_ATTR_HIDDEN	 0x02
#define FAT_ATTR_SYSTEM	 0x04
#define FAT_ATTR_VOLUME	 0x08
#define FAT_ATTR_DIR	 0x10
#define FAT_ATTR_ARCHIVE 0x20
#define FAT_ATTR_LFN	 0x0f

typedef struct {
	uint8_t name[11];
	uint8_t attr;
	uint8_t ntres; /* 0x08: base lower case, 0x10: extension lower case */
	uint8_t ctime_tenth;
	uint16_t ctime, cdate, adate;
	uint16_t cluster_hi;
	uint16_t mtime, mdate;
	uint16_t cluster_lo;
	uint32_t size;
} __attribute__((packed)) fat_dentry_t;

typedef struct {
	uint64_t index;
	uint32_t dir_cl; /* the parent's first cluster (0: FAT12/16 root) */
	uint32_t ent;	 /* the short entry's number in the parent */
	uint32_t first_cl;
	uint32_t size; /* bytes (files) */
	bool is_dir;
	bool unlinked; /* its entry is gone; clusters go at the last close */
	bool broken;   /* its chain loops, leaves the volume or misfits its size */
	unsigned opens;
	uint16_t mtime, mdate;
	uint32_t hint_n, hint_cl; /* cluster number hint_n of the chain is hint_cl */
} fat_node_t;

typedef struct {
	bcache_t *bc;
	int type;	/* 12, 16 or 32 */
	uint32_t bps;	/* bytes per sector */
	uint32_t spc;	/* sectors per cluster */
	uint32_t csize; /* bytes per cluster */
	uint32_t fat_start, fat_sectors, nfats;
	uint32_t root_start, root_entries; /* FAT12/16 fixed root directory */
	uint32_t root_cl;		   /* FAT32 root directory's first cluster */
	uint32_t data_start;
	uint32_t clusters; /* data clusters: numbers 2 .. clusters + 1 */
	uint32_t free_hint;
	uint32_t free_count;
	uint32_t fsinfo; /* FAT32 FSInfo sector, 0 if none */
	bool rdonly;
	/* The time now, as FAT packs it (date << 16 | time). */
	uint32_t (*now)(void);
	fat_node_t **nodes;
	size_t node_count, node_cap;
	uint64_t next_index;
} fat_fs_t;

/* fat_fs.c: the volume, the FAT, cluster chains, file data. */

/** Mounts the volume of @a bc (sectors of @a bc's block size): EINVAL for a
 *  boot sector that is not a FAT volume this code can use. */
errno_t fat_mount(bcache_t *bc, uint32_t block_size, uint64_t blocks, bool rdonly,
    uint32_t (*now)(void), fat_fs_t **out);
/** Writes everything back (fat_sync) and frees the volume's memory; the
 *  cache stays the caller's. */
errno_t fat_unmount(fat_fs_t *fs);
errno_t fat_sync(fat_fs_t *fs);
void fat_statfs(fat_fs_t *fs, vfs_statfs_t *st);

/* The range of FAT dates: 1980-01-01 to 2107-12-31 23:59:58. */
#define FAT_YEAR_MIN 1980
#define FAT_YEAR_MAX 2107
#define FAT_DATE_MIN (0 << 9 | 1 << 5 | 1)
#define FAT_DATE_MAX (127 << 9 | 12 << 5 | 31)
#define FAT_TIME_MAX (23 << 11 | 59 << 5 | 29)
/** @a secs since 1970 (UTC) as FAT packs a time: date << 16 | time, two-
 *  second steps; times outside FAT's range become its first or last. */
uint32_t fat_time_pack(int64_t secs);

/** The FAT entry of cluster @a cl (EIO outside the volume). */
errno_t fat_get(fat_fs_t *fs, uint32_t cl, uint32_t *next);
bool fat_is_eoc(const fat_fs_t *fs, uint32_t v);
/** Cluster number @a n (0-based) of the chain starting at @a first;
 *  ENOENT if the chain is shorter, EIO if it is broken (loops, leaves the
 *  volume). */
errno_t fat_chain_nth(fat_fs_t *fs, fat_node_t *node, uint32_t n, uint32_t *cl);
/** The first sector of cluster @a cl. */
uint64_t fat_cluster_sector(const fat_fs_t *fs, uint32_t cl);
/** A new cluster, zeroed if @a zero, appended after @a prev (0: a new
 *  chain); ENOSPC when none is free. */
errno_t fat_cluster_alloc(fat_fs_t *fs, uint32_t prev, bool zero, uint32_t *cl);
/** Cluster @a n of @a node's chain, appending clusters (zeroed for a
 *  directory) as needed. */
errno_t fat_chain_grow(fat_fs_t *fs, fat_node_t *node, uint32_t n, uint32_t *cl);
/** Walks @a node's whole chain once: marks it broken (reads and writes
 *  then EIO) if the chain loops, leaves the volume or, for a file, does not
 *  have the clusters its size needs. */
errno_t fat_chain_check(fat_fs_t *fs, fat_node_t *node);
/** Frees the chain from @a first on. */
errno_t fat_chain_free(fat_fs_t *fs, uint32_t first);

errno_t fat_file_read(
    fat_fs_t *fs, fat_node_t *node, uint64_t pos, void *buf, size_t size, size_t *got);
errno_t fat_file_write(fat_fs_t *fs, fat_node_t *node, uint64_t pos, const void *buf,
    size_t size, size_t *done);
errno_t fat_file_truncate(fat_fs_t *fs, fat_node_t *node, uint64_t size);

/* fat_dir.c: directories, names and nodes. */

fat_node_t *fat_node_find(fat_fs_t *fs, uint64_t index);
/** Looks up @a path (relative to the root, "" the root) with the VFS's
 *  L_* flags, making a file or directory if they say so. */
errno_t fat_lookup(fat_fs_t *fs, const char *path, unsigned lflags, fat_node_t **out);
errno_t fat_unlink(fat_fs_t *fs, const char *path, unsigned flags);
errno_t fat_rename(fat_fs_t *fs, const char *old_path, const char *new_path);
/** The name of entry @a pos of directory @a dir (UTF-8, NUL-terminated,
 *  in @a name of FAT_NAME_MAX * 3 + 1 bytes); the next position in *@a
 *  next; ENOENT past the last. */
errno_t fat_readdir(
    fat_fs_t *fs, fat_node_t *dir, uint64_t pos, char *name, uint64_t *next);
/** Writes @a node's size, first cluster and time to its directory entry. */
errno_t fat_node_store(fat_fs_t *fs, fat_node_t *node);
void fat_node_open(fat_node_t *node);
/** One open less; an unlinked node's clusters and memory go with the last. */
errno_t fat_node_close(fat_fs_t *fs, fat_node_t *node);
void fat_node_stat(const fat_node_t *node, vfs_stat_t *st);
/** Entries of directory @a dir other than "." and "..", counted. */
errno_t fat_dir_count(fat_fs_t *fs, fat_node_t *dir, uint64_t *count);

#endif
