/*
 * ext2: directories (blocks of entries chained by rec_len, each with its
 * inode, name length and file type), paths and the open-node table. Every
 * helper that changes an inode reads it afresh and writes it back before
 * it returns, so helpers may be chained on the same inode.
 */
#include "ext2.h"
#include "vfs_path.h"
#include <stdlib.h>
#include <string.h>

#define NO_OFF	 UINT32_MAX
#define DIR_MODE (EXT2_S_IFDIR | 0755)
#define REG_MODE (EXT2_S_IFREG | 0644)

/*
 * Open nodes.
 */

static ext2_open_t *open_find(ext2_fs_t *fs, uint64_t ino)
{
	for (size_t i = 0; i < fs->open_count; i++) {
		if (fs->opens[i].ino == ino)
			return &fs->opens[i];
	}
	return NULL;
}

errno_t ext2_node_get(ext2_fs_t *fs, uint64_t ino, ext2_inode_t *in)
{
	if (ino == 0 || ino > fs->sb.inodes_count)
		return ENOENT;
	errno_t rc = ext2_inode_read(fs, (uint32_t) ino, in);
	if (rc == EOK &&
	    (in->mode == 0 || (in->links_count == 0 && open_find(fs, ino) == NULL)))
		rc = ENOENT;
	return rc;
}

errno_t ext2_node_open(ext2_fs_t *fs, uint64_t ino)
{
	ext2_inode_t in;
	errno_t rc = ext2_node_get(fs, ino, &in);
	if (rc != EOK)
		return rc;
	ext2_open_t *o = open_find(fs, ino);
	if (o != NULL) {
		o->opens++;
		return EOK;
	}
	if (fs->open_count == fs->open_cap) {
		size_t cap = fs->open_cap == 0 ? 16 : fs->open_cap * 2;
		ext2_open_t *n = realloc(fs->opens, cap * sizeof(*n));
		if (n == NULL)
			return ENOMEM;
		fs->opens = n;
		fs->open_cap = cap;
	}
	fs->opens[fs->open_count++] = (ext2_open_t){.ino = (uint32_t) ino, .opens = 1};
	return EOK;
}

errno_t ext2_node_close(ext2_fs_t *fs, uint64_t ino)
{
	ext2_open_t *o = open_find(fs, ino);
	if (o == NULL)
		return EINVAL;
	if (--o->opens > 0)
		return EOK;
	bool orphan = o->orphan;
	*o = fs->opens[--fs->open_count];
	if (!orphan)
		return EOK;
	ext2_inode_t in;
	errno_t rc = ext2_inode_read(fs, (uint32_t) ino, &in);
	return rc == EOK ? ext2_inode_free(fs, (uint32_t) ino, &in) : rc;
}

/*
 * Walking a directory's entries.
 */

typedef struct {
	ext2_fs_t *fs;
	ext2_inode_t dir;
	uint64_t nblocks;
	uint64_t lblk; /* the block in blk */
	uint32_t pblk; /* where it is (0: not loaded) */
	uint32_t next; /* offset of the next entry in blk */
	uint32_t prev; /* offset of the entry before e in blk (NO_OFF: none) */
	uint8_t *blk;
	ext2_dirent_t e;
} dir_iter_t;

/** Starts a walk of directory @a ino at block @a lblk. */
static errno_t iter_start(ext2_fs_t *fs, uint64_t ino, uint64_t lblk, dir_iter_t *it)
{
	memset(it, 0, sizeof(*it));
	it->fs = fs;
	errno_t rc = ext2_node_get(fs, ino, &it->dir);
	if (rc != EOK)
		return rc;
	if (!ext2_is_dir(&it->dir))
		return ENOTDIR;
	if (it->dir.size % fs->g.bsize != 0)
		return EIO;
	it->nblocks = it->dir.size / fs->g.bsize;
	it->lblk = lblk;
	it->blk = malloc(fs->g.bsize);
	return it->blk != NULL ? EOK : ENOMEM;
}

static void iter_end(dir_iter_t *it)
{
	free(it->blk);
	it->blk = NULL;
}

/** The next entry (free ones too) into it->e; ENOENT past the last, EIO
 *  for a hole or a damaged entry. */
static errno_t iter_next(dir_iter_t *it)
{
	ext2_fs_t *fs = it->fs;
	if (it->pblk != 0 && it->next >= fs->g.bsize) {
		it->lblk++;
		it->pblk = 0;
	}
	if (it->pblk == 0) {
		if (it->lblk >= it->nblocks)
			return ENOENT;
		errno_t rc = ext2_bmap(fs, &it->dir, it->lblk, false, false, &it->pblk);
		if (rc == EOK && it->pblk == 0)
			rc = EIO; /* directories have no holes */
		if (rc == EOK)
			rc = bcache_read(fs->bc, it->pblk, 0, it->blk, fs->g.bsize);
		if (rc != EOK) {
			it->pblk = 0;
			return rc;
		}
		it->next = 0;
		it->prev = NO_OFF;
	} else {
		it->prev = it->e.off;
	}
	errno_t rc = ext2_dirent_next(
	    it->blk, fs->g.bsize, it->next, fs->sb.inodes_count, &it->e);
	if (rc == EOK)
		it->next += it->e.rec_len;
	return rc;
}

static bool dirent_is(const ext2_dirent_t *e, const char *name, size_t len)
{
	return e->inode != 0 && e->name_len == len && memcmp(e->name, name, len) == 0;
}

static bool dirent_is_dot(const ext2_dirent_t *e)
{
	return dirent_is(e, ".", 1) || dirent_is(e, "..", 2);
}

/** Finds @a name in directory @a dir; @a it is left at its entry (end it
 *  with iter_end in every case). */
static errno_t dir_find(ext2_fs_t *fs, uint32_t dir, const char *name, dir_iter_t *it)
{
	errno_t rc = iter_start(fs, dir, 0, it);
	size_t len = strlen(name);
	while (rc == EOK) {
		rc = iter_next(it);
		if (rc == EOK && dirent_is(&it->e, name, len))
			return EOK;
	}
	return rc;
}

errno_t ext2_dir_count(ext2_fs_t *fs, uint64_t ino, uint64_t *count)
{
	dir_iter_t it;
	errno_t rc = iter_start(fs, ino, 0, &it);
	*count = 0;
	while (rc == EOK) {
		rc = iter_next(&it);
		if (rc == EOK && it.e.inode != 0 && !dirent_is_dot(&it.e))
			(*count)++;
	}
	iter_end(&it);
	return rc == ENOENT ? EOK : rc;
}

errno_t ext2_readdir(
    ext2_fs_t *fs, uint64_t ino, uint64_t pos, char *name, uint64_t *next)
{
	dir_iter_t it;
	errno_t rc = iter_start(fs, ino, pos / fs->g.bsize, &it);
	while (rc == EOK) {
		rc = iter_next(&it);
		uint64_t at = it.lblk * fs->g.bsize + it.e.off;
		if (rc != EOK || at < pos || it.e.inode == 0 || dirent_is_dot(&it.e))
			continue;
		memcpy(name, it.e.name, it.e.name_len);
		name[it.e.name_len] = '\0';
		*next = at + it.e.rec_len;
		break;
	}
	iter_end(&it);
	return rc;
}

/*
 * Changing directories.
 */

static uint32_t dirent_need(size_t name_len)
{
	return (uint32_t) ((EXT2_DIRENT_HEAD + name_len + 3) & ~3u);
}

/** Writes an entry at @a off of @a blk. */
static void dirent_put(uint8_t *blk, uint32_t off, uint32_t ino, uint32_t rec_len,
    const char *name, size_t len, uint8_t type)
{
	ext2_dirent_head_t h = {.inode = ino,
	    .rec_len = (uint16_t) rec_len,
	    .name_len = (uint8_t) len,
	    .file_type = type};
	memcpy(blk + off, &h, sizeof(h));
	memcpy(blk + off + EXT2_DIRENT_HEAD, name, len);
}

static uint8_t ftype_of(const ext2_fs_t *fs, bool dir)
{
	if (!(fs->sb.feature_incompat & EXT2_INCOMPAT_FILETYPE))
		return 0;
	return dir ? EXT2_FT_DIR : EXT2_FT_REG;
}

/** A directory's index (if any) no longer matches once its entries change:
 *  the flag goes, and readers walk it as a list. */
static errno_t dir_changed(ext2_fs_t *fs, uint32_t dir, ext2_inode_t *in)
{
	in->flags &= ~EXT2_INDEX_FL;
	in->mtime = in->ctime = fs->now();
	return ext2_inode_write(fs, dir, in);
}

/** Puts the entry into free room of an existing block, if there is any:
 *  EOK, or ENOENT when no block has room. */
static errno_t entry_fit(
    ext2_fs_t *fs, uint32_t dir, const char *name, uint32_t ino, uint8_t type)
{
	size_t len = strlen(name);
	uint32_t need = dirent_need(len);
	dir_iter_t it;
	errno_t rc = iter_start(fs, dir, 0, &it);
	while (rc == EOK) {
		rc = iter_next(&it);
		if (rc != EOK)
			break;
		uint32_t used = it.e.inode != 0 ? dirent_need(it.e.name_len) : 0;
		if (it.e.rec_len - used < need)
			continue;
		if (used > 0) /* the entry keeps what it needs, the rest is new */
			dirent_put(it.blk, it.e.off, it.e.inode, used, it.e.name,
			    it.e.name_len, it.e.file_type);
		dirent_put(
		    it.blk, it.e.off + used, ino, it.e.rec_len - used, name, len, type);
		rc = bcache_write(fs->bc, it.pblk, 0, it.blk, fs->g.bsize);
		if (rc == EOK)
			rc = dir_changed(fs, dir, &it.dir);
		break;
	}
	iter_end(&it);
	return rc;
}

/** Adds a block to directory @a dir holding only the entry. */
static errno_t entry_append(
    ext2_fs_t *fs, uint32_t dir, const char *name, uint32_t ino, uint8_t type)
{
	ext2_inode_t in;
	errno_t rc = ext2_node_get(fs, dir, &in);
	uint8_t *blk = rc == EOK ? calloc(1, fs->g.bsize) : NULL;
	if (rc == EOK && blk == NULL)
		rc = ENOMEM;
	uint32_t b;
	if (rc == EOK)
		rc = ext2_bmap(fs, &in, in.size / fs->g.bsize, true, true, &b);
	if (rc == EOK) {
		dirent_put(blk, 0, ino, fs->g.bsize, name, strlen(name), type);
		rc = bcache_write(fs->bc, b, 0, blk, fs->g.bsize);
		in.size += fs->g.bsize;
	}
	free(blk);
	if (rc == EOK)
		rc = dir_changed(fs, dir, &in);
	else if (blk != NULL)
		(void) ext2_inode_write(fs, dir, &in); /* keep what bmap counted */
	return rc;
}

static errno_t entry_add(
    ext2_fs_t *fs, uint32_t dir, const char *name, uint32_t ino, uint8_t type)
{
	errno_t rc = entry_fit(fs, dir, name, ino, type);
	return rc == ENOENT ? entry_append(fs, dir, name, ino, type) : rc;
}

/** Removes the entry @a it is at: merged into the one before it, or made
 *  free when it is the first of its block. */
static errno_t entry_remove(ext2_fs_t *fs, uint32_t dir, dir_iter_t *it)
{
	if (it->prev == NO_OFF) {
		uint32_t zero = 0;
		memcpy(it->blk + it->e.off, &zero, sizeof(zero));
	} else {
		ext2_dirent_head_t h;
		memcpy(&h, it->blk + it->prev, sizeof(h));
		h.rec_len = (uint16_t) (h.rec_len + it->e.rec_len);
		memcpy(it->blk + it->prev, &h, sizeof(h));
	}
	errno_t rc = bcache_write(fs->bc, it->pblk, 0, it->blk, fs->g.bsize);
	return rc == EOK ? dir_changed(fs, dir, &it->dir) : rc;
}

/** Adds @a delta to the link count of @a ino. */
static errno_t links_add(ext2_fs_t *fs, uint32_t ino, int delta)
{
	ext2_inode_t in;
	errno_t rc = ext2_inode_read(fs, ino, &in);
	if (rc != EOK)
		return rc;
	in.links_count = (uint16_t) (in.links_count + delta);
	in.ctime = fs->now();
	return ext2_inode_write(fs, ino, &in);
}

/** Drops one name of @a ino (a directory loses both its links): the inode
 *  goes now, or at its last close if it is open. */
static errno_t links_drop(ext2_fs_t *fs, uint32_t ino)
{
	ext2_inode_t in;
	errno_t rc = ext2_inode_read(fs, ino, &in);
	if (rc != EOK)
		return rc;
	in.links_count = ext2_is_dir(&in) || in.links_count == 0 ? 0 : in.links_count - 1;
	in.ctime = fs->now();
	if (in.links_count > 0)
		return ext2_inode_write(fs, ino, &in);
	ext2_open_t *o = open_find(fs, ino);
	if (o == NULL)
		return ext2_inode_free(fs, ino, &in);
	o->orphan = true;
	return ext2_inode_write(fs, ino, &in);
}

/*
 * Paths.
 */

/** The directory holding @a path's last component (in @a name). */
static errno_t walk_parent(ext2_fs_t *fs, const char *path, uint32_t *dir, char *name)
{
	uint32_t cur = EXT2_ROOT_INO;
	bool last = false;
	for (;;) {
		errno_t rc = vfs_path_next(&path, name, &last);
		if (rc != EOK)
			return rc;
		if (last)
			break;
		dir_iter_t it;
		rc = dir_find(fs, cur, name, &it);
		uint32_t next = it.e.inode;
		iter_end(&it);
		ext2_inode_t in;
		if (rc == EOK)
			rc = ext2_node_get(fs, next, &in);
		if (rc == EOK && !ext2_is_dir(&in))
			rc = ENOTDIR;
		if (rc != EOK)
			return rc;
		cur = next;
	}
	*dir = cur;
	return EOK;
}

static errno_t lookup_check(const ext2_inode_t *in, unsigned lflags)
{
	if ((lflags & L_CREATE) && (lflags & L_EXCL))
		return EEXIST;
	if ((lflags & L_DIRECTORY) && !ext2_is_dir(in))
		return ENOTDIR;
	if ((lflags & L_FILE) && ext2_is_dir(in))
		return EISDIR;
	return EOK;
}

/** The first block of new directory @a ino: "." and "..". */
static errno_t dir_init(ext2_fs_t *fs, uint32_t ino, ext2_inode_t *in, uint32_t parent)
{
	uint8_t *blk = calloc(1, fs->g.bsize);
	if (blk == NULL)
		return ENOMEM;
	uint32_t b;
	errno_t rc = ext2_bmap(fs, in, 0, true, true, &b);
	if (rc == EOK) {
		uint8_t t = ftype_of(fs, true);
		dirent_put(blk, 0, ino, dirent_need(1), ".", 1, t);
		dirent_put(blk, dirent_need(1), parent, fs->g.bsize - dirent_need(1),
		    "..", 2, t);
		rc = bcache_write(fs->bc, b, 0, blk, fs->g.bsize);
		in->size = fs->g.bsize;
	}
	free(blk);
	return rc;
}

/** A new file (or directory, with @a dir) @a name in directory @a parent. */
static errno_t node_create(ext2_fs_t *fs, uint32_t parent, const char *name, bool dir,
    uint32_t *out, ext2_inode_t *in)
{
	if (fs->rdonly)
		return EROFS;
	uint32_t ino;
	errno_t rc = ext2_inode_alloc(fs, parent, dir, &ino);
	if (rc != EOK)
		return rc;
	memset(in, 0, sizeof(*in));
	in->mode = dir ? DIR_MODE : REG_MODE;
	in->links_count = dir ? 2 : 1;
	in->atime = in->ctime = in->mtime = fs->now();
	if (dir)
		rc = dir_init(fs, ino, in, parent);
	errno_t rc2 = ext2_inode_write(fs, ino, in);
	if (rc == EOK)
		rc = rc2;
	if (rc == EOK)
		rc = entry_add(fs, parent, name, ino, ftype_of(fs, dir));
	if (rc == EOK && dir)
		rc = links_add(fs, parent, 1);
	if (rc != EOK) {
		(void) ext2_inode_free(fs, ino, in); /* the first failure matters */
		return rc;
	}
	*out = ino;
	return EOK;
}

errno_t ext2_lookup(
    ext2_fs_t *fs, const char *path, unsigned lflags, uint32_t *ino, ext2_inode_t *in)
{
	if (path[0] == '\0') {
		errno_t rc = ext2_node_get(fs, EXT2_ROOT_INO, in);
		if (rc == EOK)
			rc = lookup_check(in, lflags);
		*ino = EXT2_ROOT_INO;
		return rc;
	}
	char name[EXT2_NAME_MAX + 1];
	uint32_t dir;
	errno_t rc = walk_parent(fs, path, &dir, name);
	if (rc != EOK)
		return rc;
	dir_iter_t it;
	rc = dir_find(fs, dir, name, &it);
	*ino = it.e.inode;
	iter_end(&it);
	if (rc == ENOENT && (lflags & L_CREATE))
		return node_create(fs, dir, name, (lflags & L_DIRECTORY) != 0, ino, in);
	if (rc == EOK)
		rc = ext2_node_get(fs, *ino, in);
	return rc == EOK ? lookup_check(in, lflags) : rc;
}

/** Whether directory @a ino has entries besides "." and "..". */
static errno_t dir_empty_check(ext2_fs_t *fs, uint32_t ino)
{
	uint64_t n;
	errno_t rc = ext2_dir_count(fs, ino, &n);
	return rc == EOK && n > 0 ? ENOTEMPTY : rc;
}

errno_t ext2_unlink(ext2_fs_t *fs, const char *path, unsigned flags)
{
	if (path[0] == '\0')
		return EBUSY;
	char name[EXT2_NAME_MAX + 1];
	uint32_t dir;
	errno_t rc = walk_parent(fs, path, &dir, name);
	dir_iter_t it = {0};
	if (rc == EOK)
		rc = dir_find(fs, dir, name, &it);
	uint32_t ino = it.e.inode;
	ext2_inode_t in;
	if (rc == EOK)
		rc = ext2_node_get(fs, ino, &in);
	bool is_dir = rc == EOK && ext2_is_dir(&in);
	if (rc == EOK && fs->rdonly)
		rc = EROFS;
	if (rc == EOK && (flags & VFS_UNLINK_DIR) && !is_dir)
		rc = ENOTDIR;
	if (rc == EOK && !(flags & VFS_UNLINK_DIR) && is_dir)
		rc = EISDIR;
	if (rc == EOK && is_dir)
		rc = dir_empty_check(fs, ino);
	if (rc == EOK)
		rc = ext2_inode_check(fs, &in);
	if (rc == EOK)
		rc = entry_remove(fs, dir, &it);
	iter_end(&it);
	if (rc == EOK && is_dir)
		rc = links_add(fs, dir, -1);
	return rc == EOK ? links_drop(fs, ino) : rc;
}

/** Points the ".." of directory @a ino at @a parent. */
static errno_t dotdot_set(ext2_fs_t *fs, uint32_t ino, uint32_t parent)
{
	dir_iter_t it;
	errno_t rc = dir_find(fs, ino, "..", &it);
	if (rc == EOK) {
		memcpy(it.blk + it.e.off, &parent, sizeof(parent));
		rc = bcache_write(fs->bc, it.pblk, 0, it.blk, fs->g.bsize);
	}
	iter_end(&it);
	return rc == ENOENT ? EIO : rc;
}

/** Whether @a src may replace @a dst (an existing entry's inode). */
static errno_t replace_check(ext2_fs_t *fs, const ext2_inode_t *src, uint32_t dst)
{
	ext2_inode_t d;
	errno_t rc = ext2_node_get(fs, dst, &d);
	if (rc != EOK)
		return rc;
	if (ext2_is_dir(src) && !ext2_is_dir(&d))
		return ENOTDIR;
	if (!ext2_is_dir(src) && ext2_is_dir(&d))
		return EISDIR;
	rc = ext2_is_dir(&d) ? dir_empty_check(fs, dst) : EOK;
	return rc == EOK ? ext2_inode_check(fs, &d) : rc;
}

/** Makes the entry @a name of @a ddir name @a ino instead of what it named
 *  (@a it at it); the old node loses that name. */
static errno_t entry_replace(
    ext2_fs_t *fs, uint32_t ddir, dir_iter_t *it, uint32_t ino, bool dir)
{
	uint32_t old = it->e.inode;
	ext2_inode_t o;
	errno_t rc = ext2_inode_read(fs, old, &o);
	bool old_dir = rc == EOK && ext2_is_dir(&o);
	if (rc == EOK) {
		ext2_dirent_head_t h;
		memcpy(&h, it->blk + it->e.off, sizeof(h));
		h.inode = ino;
		h.file_type = ftype_of(fs, dir);
		memcpy(it->blk + it->e.off, &h, sizeof(h));
		rc = bcache_write(fs->bc, it->pblk, 0, it->blk, fs->g.bsize);
	}
	if (rc == EOK && old_dir)
		rc = links_add(fs, ddir, -1); /* the old directory's ".." */
	return rc == EOK ? links_drop(fs, old) : rc;
}

/** Renames entry @a sname of @a sdir (naming @a ino, @a in) to @a dname of
 *  @a ddir. */
static errno_t entry_move(ext2_fs_t *fs, uint32_t sdir, const char *sname, uint32_t ino,
    const ext2_inode_t *in, uint32_t ddir, const char *dname)
{
	bool dir = ext2_is_dir(in);
	dir_iter_t it;
	errno_t rc = dir_find(fs, ddir, dname, &it);
	if (rc == EOK && it.e.inode == ino) {
		iter_end(&it);
		return EOK; /* the same node: nothing to do */
	}
	if (rc == EOK)
		rc = replace_check(fs, in, it.e.inode);
	if (rc == EOK)
		rc = entry_replace(fs, ddir, &it, ino, dir);
	else if (rc == ENOENT)
		rc = entry_add(fs, ddir, dname, ino, ftype_of(fs, dir));
	iter_end(&it);
	/* The source's entry may have given room to the new one: found again. */
	if (rc == EOK)
		rc = dir_find(fs, sdir, sname, &it);
	if (rc == EOK)
		rc = entry_remove(fs, sdir, &it);
	iter_end(&it);
	if (rc == EOK && dir && sdir != ddir) {
		rc = dotdot_set(fs, ino, ddir);
		if (rc == EOK)
			rc = links_add(fs, sdir, -1);
		if (rc == EOK)
			rc = links_add(fs, ddir, 1);
	}
	return rc;
}

errno_t ext2_rename(ext2_fs_t *fs, const char *old_path, const char *new_path)
{
	if (fs->rdonly)
		return EROFS;
	if (old_path[0] == '\0' || new_path[0] == '\0')
		return EBUSY;
	char *sname = malloc(EXT2_NAME_MAX + 1), *dname = malloc(EXT2_NAME_MAX + 1);
	errno_t rc = sname == NULL || dname == NULL ? ENOMEM : EOK;
	uint32_t sdir, ddir, ino = 0;
	if (rc == EOK)
		rc = walk_parent(fs, old_path, &sdir, sname);
	if (rc == EOK) {
		dir_iter_t it;
		rc = dir_find(fs, sdir, sname, &it);
		ino = it.e.inode;
		iter_end(&it);
	}
	ext2_inode_t in;
	if (rc == EOK)
		rc = ext2_node_get(fs, ino, &in);
	if (rc == EOK)
		rc = walk_parent(fs, new_path, &ddir, dname);
	if (rc == EOK)
		rc = entry_move(fs, sdir, sname, ino, &in, ddir, dname);
	free(sname);
	free(dname);
	return rc;
}

errno_t ext2_node_stat(ext2_fs_t *fs, uint64_t ino, vfs_stat_t *st)
{
	ext2_inode_t in;
	errno_t rc = ext2_node_get(fs, ino, &in);
	if (rc != EOK)
		return rc;
	memset(st, 0, sizeof(*st));
	st->index = ino;
	st->type = ext2_is_dir(&in) ? VFS_NODE_DIR : VFS_NODE_FILE;
	st->links = in.links_count;
	st->mtime_ns = (uint64_t) in.mtime * 1000000000ull;
	if (ext2_is_dir(&in))
		return ext2_dir_count(fs, ino, &st->size);
	st->size = ext2_inode_size(&in);
	return EOK;
}
