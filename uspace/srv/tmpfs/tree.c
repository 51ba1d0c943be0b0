/*
 * tmpfs's node tree: nodes by index, directory entries by (directory,
 * name), path walks, lookup with creation, unlink and rename (tmpfs.h).
 * Not synchronised: the caller holds the server's lock.
 *
 * Every operation checks everything that can fail (and allocates what it
 * needs) before it changes the tree, so a failed call leaves no trace.
 */
#include "tmpfs.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

/** A path component: @a len bytes at @a name. */
typedef struct {
	const char *name;
	size_t len;
} tmpfs_name_t;

/** The key of a directory entry. */
typedef struct {
	const tmpfs_node_t *dir;
	tmpfs_name_t name;
} dentry_key_t;

static uint64_t node_hash(const link_t *item)
{
	return hash_mix64(list_get_instance(item, tmpfs_node_t, hash_link)->index);
}

static uint64_t node_key_hash(const void *key)
{
	return hash_mix64(*(const uint64_t *) key);
}

static bool node_key_equal(const void *key, const link_t *item)
{
	return list_get_instance(item, tmpfs_node_t, hash_link)->index ==
	    *(const uint64_t *) key;
}

static const hash_table_ops_t node_ops = {
    .hash = node_hash,
    .key_hash = node_key_hash,
    .key_equal = node_key_equal,
};

/** FNV-1a of the name, mixed with the directory's address. */
static uint64_t dentry_hash_of(const tmpfs_node_t *dir, const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t) name[i]) * 0x100000001b3ULL;
	return hash_mix64(h ^ (uint64_t) (uintptr_t) dir);
}

static uint64_t dentry_hash(const link_t *item)
{
	const tmpfs_dentry_t *d = list_get_instance(item, tmpfs_dentry_t, hash_link);
	return dentry_hash_of(d->dir, d->name, d->name_len);
}

static uint64_t dentry_key_hash(const void *key)
{
	const dentry_key_t *k = key;
	return dentry_hash_of(k->dir, k->name.name, k->name.len);
}

static bool dentry_key_equal(const void *key, const link_t *item)
{
	const dentry_key_t *k = key;
	const tmpfs_dentry_t *d = list_get_instance(item, tmpfs_dentry_t, hash_link);
	return d->dir == k->dir && d->name_len == k->name.len &&
	    memcmp(d->name, k->name.name, k->name.len) == 0;
}

static const hash_table_ops_t dentry_ops = {
    .hash = dentry_hash,
    .key_hash = dentry_key_hash,
    .key_equal = dentry_key_equal,
};

void tmpfs_node_touch(tmpfs_fs_t *fs, tmpfs_node_t *node)
{
	node->mtime_ns = fs->clock != NULL ? fs->clock() : 0;
}

/** A new node of @a type without a name, or NULL. */
static tmpfs_node_t *node_create(tmpfs_fs_t *fs, vfs_node_type_t type)
{
	tmpfs_node_t *node = calloc(1, sizeof(*node));
	if (node == NULL)
		return NULL;
	node->index = fs->next_index++;
	node->type = type;
	tmpfs_node_touch(fs, node);
	hash_table_insert(&fs->nodes, &node->hash_link);
	fs->node_count++;
	return node;
}

/** Frees @a node and its data; it has no entries left. */
static void node_free(tmpfs_fs_t *fs, tmpfs_node_t *node)
{
	hash_table_remove_item(&fs->nodes, &node->hash_link);
	fs->node_count--;
	tmpfs_file_free(fs, node);
	free(node->ents);
	free(node);
}

/** Frees @a node if nothing names or holds it any more. */
static void node_release(tmpfs_fs_t *fs, tmpfs_node_t *node)
{
	if (node->links == 0 && node->opens == 0)
		node_free(fs, node);
}

errno_t tmpfs_fs_create(uint64_t size_limit, uint64_t (*clock)(void), tmpfs_fs_t **out)
{
	tmpfs_fs_t *fs = calloc(1, sizeof(*fs));
	if (fs == NULL)
		return ENOMEM;
	fs->size_limit = size_limit;
	fs->clock = clock;
	fs->next_index = 1;
	hash_table_init(&fs->nodes, &node_ops, fs->node_buckets, TMPFS_NODE_BUCKETS);
	hash_table_init(
	    &fs->dentries, &dentry_ops, fs->dentry_buckets, TMPFS_DENTRY_BUCKETS);
	fs->root = node_create(fs, VFS_NODE_DIR);
	if (fs->root == NULL) {
		free(fs);
		return ENOMEM;
	}
	fs->root->links = 1;
	*out = fs;
	return EOK;
}

/** Empties hash table @a h, passing every member to @a item_free. */
static void table_free_all(hash_table_t *h, void (*item_free)(link_t *))
{
	for (size_t b = 0; b < h->bucket_count; b++) {
		link_t *l;
		while ((l = list_first(&h->buckets[b])) != NULL) {
			list_remove(l);
			item_free(l);
		}
	}
	h->count = 0;
}

static void dentry_item_free(link_t *l)
{
	free(list_get_instance(l, tmpfs_dentry_t, hash_link));
}

static void node_item_free(link_t *l)
{
	tmpfs_node_t *node = list_get_instance(l, tmpfs_node_t, hash_link);
	for (size_t i = 0; i < node->chunk_slots && !node->borrowed; i++)
		tmpfs_chunk_free(node->chunks[i]);
	free(node->chunks);
	free(node->ents);
	free(node);
}

void tmpfs_fs_destroy(tmpfs_fs_t *fs)
{
	table_free_all(&fs->dentries, dentry_item_free);
	table_free_all(&fs->nodes, node_item_free);
	if (fs->backing_free != NULL)
		fs->backing_free(fs->backing);
	free(fs);
}

void tmpfs_fs_backing_set(
    tmpfs_fs_t *fs, void *backing, void (*backing_free)(void *backing))
{
	assert(fs->backing == NULL);
	fs->backing = backing;
	fs->backing_free = backing_free;
}

tmpfs_node_t *tmpfs_node_find(tmpfs_fs_t *fs, uint64_t index)
{
	link_t *l = hash_table_find(&fs->nodes, &index);
	return l != NULL ? list_get_instance(l, tmpfs_node_t, hash_link) : NULL;
}

/** The entry @a name in directory @a dir, or NULL. */
static tmpfs_dentry_t *dentry_find(
    tmpfs_fs_t *fs, const tmpfs_node_t *dir, tmpfs_name_t name)
{
	dentry_key_t key = {.dir = dir, .name = name};
	link_t *l = hash_table_find(&fs->dentries, &key);
	return l != NULL ? list_get_instance(l, tmpfs_dentry_t, hash_link) : NULL;
}

/** Makes room in @a dir for one more entry. */
static errno_t dir_reserve(tmpfs_node_t *dir)
{
	if (dir->ent_count < dir->ent_cap)
		return EOK;
	size_t cap = dir->ent_cap != 0 ? dir->ent_cap * 2 : 8;
	if (cap > SIZE_MAX / sizeof(*dir->ents))
		return ENOMEM;
	tmpfs_dentry_t **ents = realloc(dir->ents, cap * sizeof(*ents));
	if (ents == NULL)
		return ENOMEM;
	dir->ents = ents;
	dir->ent_cap = cap;
	return EOK;
}

/** Names @a node @a name in @a dir (which has no such entry). */
static errno_t dentry_add(
    tmpfs_fs_t *fs, tmpfs_node_t *dir, tmpfs_name_t name, tmpfs_node_t *node)
{
	if (node->links == UINT32_MAX)
		return EMLINK;
	errno_t rc = dir_reserve(dir);
	if (rc != EOK)
		return rc;
	tmpfs_dentry_t *d = malloc(sizeof(*d) + name.len + 1);
	if (d == NULL)
		return ENOMEM;
	d->dir = dir;
	d->node = node;
	d->name_len = name.len;
	memcpy(d->name, name.name, name.len);
	d->name[name.len] = '\0';
	d->pos = dir->ent_count;
	dir->ents[dir->ent_count++] = d;
	hash_table_insert(&fs->dentries, &d->hash_link);
	node->links++;
	if (node->type == VFS_NODE_DIR)
		node->parent = dir;
	tmpfs_node_touch(fs, dir);
	return EOK;
}

/** Removes entry @a d (the last entry takes its position) and frees it; its
 *  node loses a link but is not released here. */
static tmpfs_node_t *dentry_remove(tmpfs_fs_t *fs, tmpfs_dentry_t *d)
{
	tmpfs_node_t *dir = d->dir;
	tmpfs_node_t *node = d->node;
	tmpfs_dentry_t *last = dir->ents[--dir->ent_count];
	dir->ents[d->pos] = last;
	last->pos = d->pos;
	hash_table_remove_item(&fs->dentries, &d->hash_link);
	free(d);
	node->links--;
	if (node->type == VFS_NODE_DIR && node->links == 0)
		node->parent = NULL;
	tmpfs_node_touch(fs, dir);
	return node;
}

/** Takes the next component of *@a path into @a name and moves past it
 *  (and its "/"); *@a last tells whether it was the final one. */
static errno_t path_next(const char **path, tmpfs_name_t *name, bool *last)
{
	const char *p = *path;
	const char *slash = strchr(p, '/');
	size_t len = slash != NULL ? (size_t) (slash - p) : strlen(p);
	if (len == 0)
		return EINVAL; /* "a//b", "/a", "a/" */
	if (len > VFS_NAME_MAX)
		return ENAMETOOLONG;
	if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
		return EINVAL;
	name->name = p;
	name->len = len;
	*last = slash == NULL;
	*path = slash != NULL ? slash + 1 : p + len;
	return EOK;
}

/** Walks @a path (not "") to the directory holding its last component:
 *  *@a dir gets that directory, *@a name the last component. Every
 *  component is checked, the last one too. */
static errno_t walk_parent(
    tmpfs_fs_t *fs, const char *path, tmpfs_node_t **dir, tmpfs_name_t *name)
{
	tmpfs_node_t *cur = fs->root;
	bool last = false;
	while (true) {
		errno_t rc = path_next(&path, name, &last);
		if (rc != EOK)
			return rc;
		if (last)
			break;
		tmpfs_dentry_t *d = dentry_find(fs, cur, *name);
		if (d == NULL)
			return ENOENT;
		if (d->node->type != VFS_NODE_DIR)
			return ENOTDIR;
		cur = d->node;
	}
	*dir = cur;
	return EOK;
}

/** Whether an existing @a node satisfies lookup flags @a lflags. */
static errno_t lookup_check(const tmpfs_node_t *node, unsigned lflags)
{
	if ((lflags & L_CREATE) && (lflags & L_EXCL))
		return EEXIST;
	if ((lflags & L_DIRECTORY) && node->type != VFS_NODE_DIR)
		return ENOTDIR;
	if ((lflags & L_FILE) && node->type == VFS_NODE_DIR)
		return EISDIR;
	return EOK;
}

/** Makes @a name in @a dir: a directory with L_DIRECTORY, else a file. */
static errno_t lookup_create(tmpfs_fs_t *fs, tmpfs_node_t *dir, tmpfs_name_t name,
    unsigned lflags, tmpfs_node_t **out)
{
	vfs_node_type_t type = (lflags & L_DIRECTORY) ? VFS_NODE_DIR : VFS_NODE_FILE;
	tmpfs_node_t *node = node_create(fs, type);
	if (node == NULL)
		return ENOMEM;
	errno_t rc = dentry_add(fs, dir, name, node);
	if (rc != EOK) {
		node_free(fs, node);
		return rc;
	}
	*out = node;
	return EOK;
}

errno_t tmpfs_lookup(
    tmpfs_fs_t *fs, const char *path, unsigned lflags, tmpfs_node_t **out)
{
	if (path[0] == '\0') {
		errno_t rc = lookup_check(fs->root, lflags);
		if (rc == EOK)
			*out = fs->root;
		return rc;
	}
	tmpfs_node_t *dir;
	tmpfs_name_t name;
	errno_t rc = walk_parent(fs, path, &dir, &name);
	if (rc != EOK)
		return rc;
	tmpfs_dentry_t *d = dentry_find(fs, dir, name);
	if (d == NULL) {
		if (!(lflags & L_CREATE))
			return ENOENT;
		return lookup_create(fs, dir, name, lflags, out);
	}
	rc = lookup_check(d->node, lflags);
	if (rc == EOK)
		*out = d->node;
	return rc;
}

/** The entry named by @a path (not the root: EBUSY). */
static errno_t dentry_at(tmpfs_fs_t *fs, const char *path, tmpfs_dentry_t **out)
{
	if (path[0] == '\0')
		return EBUSY;
	tmpfs_node_t *dir;
	tmpfs_name_t name;
	errno_t rc = walk_parent(fs, path, &dir, &name);
	if (rc != EOK)
		return rc;
	*out = dentry_find(fs, dir, name);
	return *out != NULL ? EOK : ENOENT;
}

errno_t tmpfs_unlink(tmpfs_fs_t *fs, const char *path, unsigned flags)
{
	tmpfs_dentry_t *d;
	errno_t rc = dentry_at(fs, path, &d);
	if (rc != EOK)
		return rc;
	bool is_dir = d->node->type == VFS_NODE_DIR;
	if ((flags & VFS_UNLINK_DIR) && !is_dir)
		return ENOTDIR;
	if (!(flags & VFS_UNLINK_DIR) && is_dir)
		return EISDIR;
	if (is_dir && d->node->ent_count != 0)
		return ENOTEMPTY;
	node_release(fs, dentry_remove(fs, d));
	return EOK;
}

/** Whether @a node is @a dir or one of its ancestors. */
static bool is_ancestor(const tmpfs_node_t *node, const tmpfs_node_t *dir)
{
	for (const tmpfs_node_t *n = dir; n != NULL; n = n->parent) {
		if (n == node)
			return true;
	}
	return false;
}

/** Whether @a src may replace the existing @a dst. */
static errno_t replace_check(const tmpfs_node_t *src, const tmpfs_node_t *dst)
{
	if (src->type == VFS_NODE_DIR && dst->type != VFS_NODE_DIR)
		return ENOTDIR;
	if (src->type != VFS_NODE_DIR && dst->type == VFS_NODE_DIR)
		return EISDIR;
	if (dst->type == VFS_NODE_DIR && dst->ent_count != 0)
		return ENOTEMPTY;
	return EOK;
}

/** Points the existing entry @a dst at @a src's node and drops @a src. */
static void rename_replace(tmpfs_fs_t *fs, tmpfs_dentry_t *src, tmpfs_dentry_t *dst)
{
	tmpfs_node_t *old = dst->node;
	tmpfs_node_t *node = src->node;
	dst->node = node;
	node->links++; /* for dst, before src's link goes */
	tmpfs_node_touch(fs, dst->dir);
	dentry_remove(fs, src);
	if (node->type == VFS_NODE_DIR)
		node->parent = dst->dir;
	old->links--;
	if (old->type == VFS_NODE_DIR)
		old->parent = NULL;
	node_release(fs, old);
}

errno_t tmpfs_rename(tmpfs_fs_t *fs, const char *old_path, const char *new_path)
{
	tmpfs_dentry_t *src;
	errno_t rc = dentry_at(fs, old_path, &src);
	if (rc != EOK)
		return rc;
	if (new_path[0] == '\0')
		return EBUSY;
	tmpfs_node_t *dir;
	tmpfs_name_t name;
	rc = walk_parent(fs, new_path, &dir, &name);
	if (rc != EOK)
		return rc;
	tmpfs_node_t *node = src->node;
	if (node->type == VFS_NODE_DIR && is_ancestor(node, dir))
		return EINVAL; /* below itself */
	tmpfs_dentry_t *dst = dentry_find(fs, dir, name);
	if (dst == src || (dst != NULL && dst->node == node))
		return EOK; /* POSIX: the same file, nothing to do */
	if (dst != NULL) {
		rc = replace_check(node, dst->node);
		if (rc == EOK)
			rename_replace(fs, src, dst);
		return rc;
	}
	/* The link through the new entry keeps the node while src goes. */
	rc = dentry_add(fs, dir, name, node);
	if (rc == EOK)
		dentry_remove(fs, src);
	return rc;
}

errno_t tmpfs_node_open(tmpfs_node_t *node)
{
	if (node->opens == UINT32_MAX)
		return ELIMIT;
	node->opens++;
	return EOK;
}

void tmpfs_node_close(tmpfs_fs_t *fs, tmpfs_node_t *node)
{
	if (node->opens > 0)
		node->opens--;
	node_release(fs, node);
}

errno_t tmpfs_dir_entry(const tmpfs_node_t *dir, uint64_t pos, const char **name)
{
	if (dir->type != VFS_NODE_DIR)
		return ENOTDIR;
	if (pos >= dir->ent_count)
		return ENOENT;
	*name = dir->ents[pos]->name;
	return EOK;
}

uint64_t tmpfs_node_size(const tmpfs_node_t *node)
{
	return node->type == VFS_NODE_DIR ? node->ent_count : node->size;
}

void tmpfs_node_stat(const tmpfs_node_t *node, vfs_stat_t *st)
{
	memset(st, 0, sizeof(*st));
	st->index = node->index;
	st->size = tmpfs_node_size(node);
	st->type = node->type;
	st->links = node->links;
	st->mtime_ns = node->mtime_ns;
}

void tmpfs_fs_statfs(const tmpfs_fs_t *fs, vfs_statfs_t *st)
{
	memset(st, 0, sizeof(*st));
	memcpy(st->fs_type, "tmpfs", sizeof("tmpfs"));
	st->block_size = TMPFS_BLOCK_SIZE;
	if (fs->size_limit != TMPFS_NO_LIMIT) {
		st->total_blocks = fs->size_limit / TMPFS_BLOCK_SIZE;
		st->free_blocks = (fs->size_limit - fs->bytes_used) / TMPFS_BLOCK_SIZE;
	}
	st->files = fs->node_count;
}
