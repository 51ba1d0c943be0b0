/*
 * tmpfs's file systems in memory: the node tree (tree.c) and file data
 * (file.c). No IPC here, so the host tests build these files as they are;
 * the server (tmpfs.c, ops.c) guards every call with its one lock.
 *
 * A file system owns its nodes, found by index (a 64-bit counter, never
 * reused), and its directory entries, found by (directory, name). A node
 * lives while it has a name (links) or an open descriptor (opens); the root
 * always has one link. File data lives in TMPFS_CHUNK_SIZE chunks reached
 * through a pointer array; a missing chunk reads as zeros. Chunks come from
 * chunks.c (areas given back to the system when emptied), not the heap.
 *
 * Invariants of a file: every chunk at or past the end (index >=
 * chunks for its size) is NULL, and every byte of a chunk past the end is
 * zero, so growing a file needs no clearing. A borrowed file (filled from
 * an archive kept in place, tmpfs_file_borrow) is the exception: its
 * chunks point into the file system's backing memory, which it does not
 * own, and hold whatever follows its data there; it gets chunks of its own
 * (copied) before any change, so only reads ever see the borrowed ones. bytes_used is the sum of the
 * file sizes and never exceeds size_limit.
 */
#ifndef TMPFS_TMPFS_H
#define TMPFS_TMPFS_H

#include <abi/errno.h>
#include <abi/vfs.h>
#include <common/adt/hash_table.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TMPFS_CHUNK_SIZE     4096
#define TMPFS_BLOCK_SIZE     4096
#define TMPFS_FILE_MAX	     ((uint64_t) 1 << 36) /* bytes per file: ELIMIT beyond */
#define TMPFS_NO_LIMIT	     UINT64_MAX
#define TMPFS_NODE_BUCKETS   1024
#define TMPFS_DENTRY_BUCKETS 1024

typedef struct tmpfs_node tmpfs_node_t;

/** A name in a directory. */
typedef struct {
	link_t hash_link; /* fs->dentries, keyed by (dir, name) */
	tmpfs_node_t *dir;
	tmpfs_node_t *node;
	size_t pos; /* its slot in dir->ents */
	size_t name_len;
	char name[]; /* NUL-terminated */
} tmpfs_dentry_t;

struct tmpfs_node {
	link_t hash_link; /* fs->nodes, keyed by index */
	uint64_t index;
	vfs_node_type_t type;
	uint32_t links; /* names (the root: 1) */
	uint32_t opens; /* open descriptors the VFS holds */
	uint64_t mtime_ns;
	tmpfs_node_t *parent; /* directories: the directory naming it (root: NULL) */
	/* Files. */
	uint64_t size;
	uint8_t **chunks;
	size_t chunk_slots;
	bool borrowed; /* chunks lie in fs->backing (not owned, never written) */
	/* Directories: entries by position, ent_count of ent_cap used. */
	tmpfs_dentry_t **ents;
	size_t ent_count;
	size_t ent_cap;
};

typedef struct {
	uint64_t size_limit; /* bytes of file data; TMPFS_NO_LIMIT: none */
	uint64_t bytes_used;
	uint64_t node_count;
	uint64_t next_index;
	uint64_t (*clock)(void); /* for mtime_ns */
	tmpfs_node_t *root;
	/* Memory borrowed files' data lies in (an archive kept in place), and
	 * how tmpfs_fs_destroy frees it once no node is left; NULL: none. */
	void *backing;
	void (*backing_free)(void *backing);
	/* The backing is read-only for good (a boot module mapped, never
	 * written by anyone): a borrowed file's pages may be shared out of it
	 * (tmpfs_file_pages). */
	bool backing_shareable;
	hash_table_t nodes;
	hash_table_t dentries;
	list_t node_buckets[TMPFS_NODE_BUCKETS];
	list_t dentry_buckets[TMPFS_DENTRY_BUCKETS];
} tmpfs_fs_t;

/*
 * The tree (tree.c). Paths are relative to the root: "" is the root,
 * components are separated by single "/", "." and ".." are EINVAL.
 */

/** A new file system holding an empty root directory. */
errno_t tmpfs_fs_create(uint64_t size_limit, uint64_t (*clock)(void), tmpfs_fs_t **fs);
/** Frees @a fs and every node in it, open or not, then its backing. */
void tmpfs_fs_destroy(tmpfs_fs_t *fs);
/** Gives @a fs the memory @a backing that borrowed files may point into,
 *  freed with @a backing_free by tmpfs_fs_destroy (it must have none yet). */
void tmpfs_fs_backing_set(
    tmpfs_fs_t *fs, void *backing, void (*backing_free)(void *backing));
/** The node numbered @a index, or NULL. */
tmpfs_node_t *tmpfs_node_find(tmpfs_fs_t *fs, uint64_t index);
/** Finds (with L_CREATE: makes) the node at @a path; L_* flags. */
errno_t tmpfs_lookup(
    tmpfs_fs_t *fs, const char *path, unsigned lflags, tmpfs_node_t **node);
/** Removes the name @a path (VFS_UNLINK_DIR: rmdir's rules). */
errno_t tmpfs_unlink(tmpfs_fs_t *fs, const char *path, unsigned flags);
/** Moves the name @a old_path to @a new_path, replacing what is there. */
errno_t tmpfs_rename(tmpfs_fs_t *fs, const char *old_path, const char *new_path);
/** One more open descriptor of @a node (ELIMIT if it has too many). */
errno_t tmpfs_node_open(tmpfs_node_t *node);
/** One less; frees @a node if it has no name left. */
void tmpfs_node_close(tmpfs_fs_t *fs, tmpfs_node_t *node);
/** The name of entry @a pos of directory @a dir (ENOENT past the last). */
errno_t tmpfs_dir_entry(const tmpfs_node_t *dir, uint64_t pos, const char **name);
/** Bytes of a file, entries of a directory. */
uint64_t tmpfs_node_size(const tmpfs_node_t *node);
void tmpfs_node_stat(const tmpfs_node_t *node, vfs_stat_t *st);
void tmpfs_fs_statfs(const tmpfs_fs_t *fs, vfs_statfs_t *st);
/** Sets @a node's mtime to now. */
void tmpfs_node_touch(tmpfs_fs_t *fs, tmpfs_node_t *node);

/*
 * File data (file.c). EISDIR for a directory.
 */

/** Copies up to @a len bytes from @a pos; *@a got is 0 at or past the end. */
errno_t tmpfs_file_read(
    const tmpfs_node_t *node, uint64_t pos, void *buf, size_t len, size_t *got);
/** Writes @a len bytes at @a pos (a gap before it reads as zeros). Short
 *  (*@a done < @a len) when the size limit or memory runs out part way;
 *  ENOSPC / ENOMEM when nothing could be written, ELIMIT past TMPFS_FILE_MAX. */
errno_t tmpfs_file_write(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t pos,
    const void *buf, size_t len, size_t *done);
/** Whether a write of @a len bytes at @a pos may go into a run of new
 *  chunks (tmpfs_file_run_adopt): @a pos and @a len whole chunks, @a len
 *  at most TMPFS_RUN_MAX and not 0, the whole of it within the limits, and
 *  the pointer array reserved for it (false without memory). */
bool tmpfs_file_run_fits(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t pos, size_t len);
/** Puts @a run (a tmpfs_chunk_run_alloc() of @a len bytes, filled) into
 *  @a node at @a pos in place of the chunks there, which are freed; a
 *  write tmpfs_file_run_fits() allowed. */
void tmpfs_file_run_adopt(
    tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t pos, uint8_t *run, size_t len);
/** Sets the size of @a node to @a size (new bytes read as zeros). */
errno_t tmpfs_file_truncate(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t size);
/** Frees the data of @a node (for freeing the node). */
void tmpfs_file_free(tmpfs_fs_t *fs, tmpfs_node_t *node);
/** Makes the empty file @a node hold the @a size bytes at @a data without
 *  copying them: @a data lies in fs->backing and stays unchanged while the
 *  file system lives (the file copies it before its first change). ENOSPC
 *  over the size limit, ELIMIT past TMPFS_FILE_MAX, ENOMEM, EISDIR; EBUSY
 *  for a file that is not empty. */
errno_t tmpfs_file_borrow(
    tmpfs_fs_t *fs, tmpfs_node_t *node, const uint8_t *data, uint64_t size);

/** Where the first @a size bytes (> 0, within the file's pages) of file
 *  @a node lie in fs->backing, page-aligned, for a read-only share: only
 *  a borrowed file of a shareable backing (never changed in place: a
 *  change gives the file chunks of its own first, and the share keeps the
 *  old bytes). ENOTSUP for any other file or one whose data is not
 *  page-aligned, EINVAL for @a size, EISDIR. */
errno_t tmpfs_file_pages(
    const tmpfs_fs_t *fs, const tmpfs_node_t *node, uint64_t size, const void **pages);

/* chunks.c (the host tests use a double: test/host/chunks_double.c) */
/** A zeroed chunk of TMPFS_CHUNK_SIZE bytes, or NULL without memory. */
uint8_t *tmpfs_chunk_alloc(void);
/** Gives back a chunk of tmpfs_chunk_alloc() or of a run (NULL is
 *  ignored). */
void tmpfs_chunk_free(uint8_t *chunk);
/** The most chunks of one run: an area's. */
#define TMPFS_RUN_MAX (16 * TMPFS_CHUNK_SIZE)
/** @a n chunks side by side (1 <= n <= TMPFS_RUN_MAX / TMPFS_CHUNK_SIZE),
 *  not zeroed (the caller fills every byte), each freed on its own; NULL
 *  without memory. */
uint8_t *tmpfs_chunk_run_alloc(size_t n);

#endif
