/*
 * tmpfs's file data: chunks of TMPFS_CHUNK_SIZE bytes behind a pointer array,
 * allocated when first written; holes read as zeros (invariants: tmpfs.h).
 * Not synchronised: the caller holds the server's lock.
 */
#include "tmpfs.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

/** Chunks a file of @a size bytes spans. */
static uint64_t chunks_for(uint64_t size)
{
	return (size + TMPFS_CHUNK_SIZE - 1) / TMPFS_CHUNK_SIZE;
}

/** Makes the pointer array of @a node cover a file of @a size bytes
 *  (size <= TMPFS_FILE_MAX, so the count fits). */
static errno_t slots_reserve(tmpfs_node_t *node, uint64_t size)
{
	size_t need = (size_t) chunks_for(size);
	if (need <= node->chunk_slots)
		return EOK;
	size_t slots = node->chunk_slots * 2;
	if (slots < need)
		slots = need;
	if (slots > chunks_for(TMPFS_FILE_MAX))
		slots = (size_t) chunks_for(TMPFS_FILE_MAX);
	uint8_t **chunks = realloc(node->chunks, slots * sizeof(*chunks));
	if (chunks == NULL)
		return ENOMEM;
	memset(
	    chunks + node->chunk_slots, 0, (slots - node->chunk_slots) * sizeof(*chunks));
	node->chunks = chunks;
	node->chunk_slots = slots;
	return EOK;
}

/** Gives borrowed @a node chunks of its own holding its data (the bytes
 *  past its end zero, as for any file); unchanged on ENOMEM. */
static errno_t file_own(tmpfs_node_t *node)
{
	if (!node->borrowed)
		return EOK;
	uint8_t **owned = calloc(node->chunk_slots, sizeof(*owned));
	if (owned == NULL)
		return ENOMEM;
	size_t count = (size_t) chunks_for(node->size);
	for (size_t i = 0; i < count; i++) {
		owned[i] = tmpfs_chunk_alloc();
		if (owned[i] == NULL) {
			for (size_t j = 0; j < i; j++)
				tmpfs_chunk_free(owned[j]);
			free(owned);
			return ENOMEM;
		}
		uint64_t left = node->size - (uint64_t) i * TMPFS_CHUNK_SIZE;
		memcpy(owned[i], node->chunks[i],
		    left < TMPFS_CHUNK_SIZE ? (size_t) left : TMPFS_CHUNK_SIZE);
	}
	free(node->chunks);
	node->chunks = owned;
	node->borrowed = false;
	return EOK;
}

/** The most the file of @a node may grow to under the size limit. */
static uint64_t size_allowed(const tmpfs_fs_t *fs, const tmpfs_node_t *node)
{
	uint64_t max = TMPFS_FILE_MAX;
	if (fs->size_limit != TMPFS_NO_LIMIT &&
	    fs->size_limit - fs->bytes_used < max - node->size)
		max = node->size + (fs->size_limit - fs->bytes_used);
	return max;
}

/** Sets the size of @a node to @a size, keeping the byte count. */
static void size_set(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t size)
{
	fs->bytes_used = fs->bytes_used - node->size + size;
	node->size = size;
	tmpfs_node_touch(fs, node);
}

errno_t tmpfs_file_read(
    const tmpfs_node_t *node, uint64_t pos, void *buf, size_t len, size_t *got)
{
	if (node->type != VFS_NODE_FILE)
		return EISDIR;
	*got = 0;
	if (pos >= node->size)
		return EOK;
	if (len > node->size - pos)
		len = (size_t) (node->size - pos);
	uint8_t *dst = buf;
	for (size_t done = 0; done < len;) {
		uint64_t at = pos + done;
		size_t off = (size_t) (at % TMPFS_CHUNK_SIZE);
		size_t n = TMPFS_CHUNK_SIZE - off;
		if (n > len - done)
			n = len - done;
		const uint8_t *chunk = node->chunks[at / TMPFS_CHUNK_SIZE];
		if (chunk != NULL)
			memcpy(dst + done, chunk + off, n);
		else
			memset(dst + done, 0, n);
		done += n;
	}
	*got = len;
	return EOK;
}

/** Copies up to @a len bytes of @a src into the file at @a pos, within one
 *  chunk; returns how many (0: no memory for the chunk). */
static size_t chunk_write(
    tmpfs_node_t *node, uint64_t pos, const uint8_t *src, size_t len)
{
	uint8_t **slot = &node->chunks[pos / TMPFS_CHUNK_SIZE];
	if (*slot == NULL)
		*slot = tmpfs_chunk_alloc();
	if (*slot == NULL)
		return 0;
	size_t off = (size_t) (pos % TMPFS_CHUNK_SIZE);
	size_t n = TMPFS_CHUNK_SIZE - off;
	if (n > len)
		n = len;
	memcpy(*slot + off, src, n);
	return n;
}

errno_t tmpfs_file_write(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t pos,
    const void *buf, size_t len, size_t *done)
{
	if (node->type != VFS_NODE_FILE)
		return EISDIR;
	*done = 0;
	if (len == 0)
		return EOK;
	if (pos >= TMPFS_FILE_MAX || len > TMPFS_FILE_MAX - pos)
		return ELIMIT;
	uint64_t allowed = size_allowed(fs, node);
	if (pos >= allowed)
		return ENOSPC;
	if (len > allowed - pos)
		len = (size_t) (allowed - pos);
	errno_t rc = file_own(node);
	if (rc == EOK)
		rc = slots_reserve(node, pos + len);
	if (rc != EOK)
		return rc;
	size_t n = 0;
	while (n < len) {
		size_t step = chunk_write(
		    node, pos + n, (const uint8_t *) buf + n, len - n);
		if (step == 0)
			break;
		n += step;
	}
	if (n == 0)
		return ENOMEM;
	if (pos + n > node->size)
		size_set(fs, node, pos + n);
	else
		tmpfs_node_touch(fs, node);
	*done = n;
	return EOK;
}

bool tmpfs_file_run_fits(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t pos, size_t len)
{
	if (node->type != VFS_NODE_FILE || len == 0 || len > TMPFS_RUN_MAX ||
	    pos % TMPFS_CHUNK_SIZE != 0 || len % TMPFS_CHUNK_SIZE != 0)
		return false;
	if (pos >= TMPFS_FILE_MAX || len > TMPFS_FILE_MAX - pos)
		return false;
	uint64_t allowed = size_allowed(fs, node);
	if (pos >= allowed || len > allowed - pos)
		return false;
	return file_own(node) == EOK && slots_reserve(node, pos + len) == EOK;
}

void tmpfs_file_run_adopt(
    tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t pos, uint8_t *run, size_t len)
{
	uint8_t **slot = &node->chunks[pos / TMPFS_CHUNK_SIZE];
	for (size_t i = 0; i < len / TMPFS_CHUNK_SIZE; i++) {
		tmpfs_chunk_free(slot[i]);
		slot[i] = run + i * TMPFS_CHUNK_SIZE;
	}
	if (pos + len > node->size)
		size_set(fs, node, pos + len);
	else
		tmpfs_node_touch(fs, node);
}

/** Drops the data of @a node past @a size bytes (size < node->size); a
 *  borrowed file only to 0 (its chunks are not its own). */
static void file_shrink(tmpfs_node_t *node, uint64_t size)
{
	if (node->borrowed) {
		assert(size == 0);
		free(node->chunks);
		node->chunks = NULL;
		node->chunk_slots = 0;
		node->borrowed = false;
		return;
	}
	uint64_t first = chunks_for(size);
	uint64_t end = chunks_for(node->size);
	for (uint64_t i = first; i < end; i++) {
		tmpfs_chunk_free(node->chunks[i]);
		node->chunks[i] = NULL;
	}
	size_t off = (size_t) (size % TMPFS_CHUNK_SIZE);
	uint8_t *tail = off != 0 ? node->chunks[size / TMPFS_CHUNK_SIZE] : NULL;
	if (tail != NULL)
		memset(tail + off, 0, TMPFS_CHUNK_SIZE - off);
	if (size == 0) {
		free(node->chunks);
		node->chunks = NULL;
		node->chunk_slots = 0;
	}
}

errno_t tmpfs_file_truncate(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t size)
{
	if (node->type != VFS_NODE_FILE)
		return EISDIR;
	if (size > TMPFS_FILE_MAX)
		return ELIMIT;
	if (size != node->size && size != 0) {
		errno_t rc = file_own(node);
		if (rc != EOK)
			return rc;
	}
	if (size > node->size) {
		if (size > size_allowed(fs, node))
			return ENOSPC;
		errno_t rc = slots_reserve(node, size);
		if (rc != EOK)
			return rc;
	} else if (size < node->size) {
		file_shrink(node, size);
	}
	size_set(fs, node, size);
	return EOK;
}

void tmpfs_file_free(tmpfs_fs_t *fs, tmpfs_node_t *node)
{
	if (node->type != VFS_NODE_FILE)
		return;
	file_shrink(node, 0);
	fs->bytes_used -= node->size;
	node->size = 0;
}

errno_t tmpfs_file_borrow(
    tmpfs_fs_t *fs, tmpfs_node_t *node, const uint8_t *data, uint64_t size)
{
	if (node->type != VFS_NODE_FILE)
		return EISDIR;
	if (node->size != 0)
		return EBUSY;
	if (size > TMPFS_FILE_MAX)
		return ELIMIT;
	if (size > size_allowed(fs, node))
		return ENOSPC;
	if (size == 0)
		return EOK;
	errno_t rc = slots_reserve(node, size);
	if (rc != EOK)
		return rc;
	for (size_t i = 0; i < (size_t) chunks_for(size); i++)
		node->chunks[i] = (uint8_t *) data + i * TMPFS_CHUNK_SIZE;
	node->borrowed = true;
	size_set(fs, node, size);
	return EOK;
}

errno_t tmpfs_file_pages(
    const tmpfs_fs_t *fs, const tmpfs_node_t *node, uint64_t size, const void **pages)
{
	if (node->type != VFS_NODE_FILE)
		return EISDIR;
	if (!node->borrowed || !fs->backing_shareable ||
	    (uintptr_t) node->chunks[0] % TMPFS_CHUNK_SIZE != 0)
		return ENOTSUP;
	if (size == 0 || size > chunks_for(node->size) * TMPFS_CHUNK_SIZE)
		return EINVAL;
	*pages = node->chunks[0];
	return EOK;
}
