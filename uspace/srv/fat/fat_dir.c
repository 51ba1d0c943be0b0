/*
 * fat: directories (slots of 32 bytes, long names spread over LFN slots
 * before their short entry), names and the node table. A directory is
 * named by its first cluster; 0 is the fixed root of FAT12/16.
 */
#include "fat.h"
#include "vfs_path.h"
#include <common/datetime.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_FREE     0xe5
#define SLOT_END      0x00
#define LFN_LAST      0x40
#define LFN_CHARS     13
#define LFN_SLOTS_MAX 20
#define NAME_BYTES    (FAT_NAME_MAX * 3 + 1)

/* An entry found in a directory. */
typedef struct {
	uint32_t first; /* its first slot (an LFN slot, or the short entry) */
	uint32_t ent;	/* its short entry */
	fat_dentry_t d;
	char name[NAME_BYTES];
} found_t;

/*
 * Slots.
 */

/** Where slot @a ent of directory @a dir_cl is; ENOENT past the end. */
static errno_t slot_pos(
    fat_fs_t *fs, uint32_t dir_cl, uint32_t ent, uint64_t *sec, uint32_t *off)
{
	uint64_t byte = (uint64_t) ent * FAT_DENTRY_SIZE;
	if (dir_cl == 0) {
		if (fs->type == 32 || ent >= fs->root_entries)
			return ENOENT;
		*sec = fs->root_start + byte / fs->bps;
	} else {
		if (byte / fs->csize >= fs->clusters)
			return ENOENT;
		fat_node_t walk = {.first_cl = dir_cl};
		uint32_t cl;
		errno_t rc = fat_chain_nth(fs, &walk, (uint32_t) (byte / fs->csize), &cl);
		if (rc != EOK)
			return rc;
		*sec = fat_cluster_sector(fs, cl) + (byte % fs->csize) / fs->bps;
	}
	*off = byte % fs->bps;
	return EOK;
}

static errno_t slot_read(fat_fs_t *fs, uint32_t dir_cl, uint32_t ent, fat_dentry_t *d)
{
	uint64_t sec;
	uint32_t off;
	errno_t rc = slot_pos(fs, dir_cl, ent, &sec, &off);
	return rc == EOK ? bcache_read(fs->bc, sec, off, d, sizeof(*d)) : rc;
}

static errno_t slot_write(fat_fs_t *fs, uint32_t dir_cl, uint32_t ent, const void *d)
{
	uint64_t sec;
	uint32_t off;
	errno_t rc = slot_pos(fs, dir_cl, ent, &sec, &off);
	return rc == EOK ? bcache_write(fs->bc, sec, off, d, FAT_DENTRY_SIZE) : rc;
}

static uint32_t dentry_cluster(const fat_fs_t *fs, const fat_dentry_t *d)
{
	uint32_t hi = fs->type == 32 ? d->cluster_hi : 0;
	return (hi << 16) | d->cluster_lo;
}

/*
 * Names.
 */

static uint8_t lfn_checksum(const uint8_t name[11])
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++)
		sum = (uint8_t) (((sum & 1) << 7) + (sum >> 1) + name[i]);
	return sum;
}

/** Appends UTF-8 of @a c to @a out (room checked by the caller). */
static size_t utf8_put(char *out, uint16_t c)
{
	if (c < 0x80) {
		out[0] = (char) c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char) (0xc0 | c >> 6);
		out[1] = (char) (0x80 | (c & 0x3f));
		return 2;
	}
	out[0] = (char) (0xe0 | c >> 12);
	out[1] = (char) (0x80 | ((c >> 6) & 0x3f));
	out[2] = (char) (0x80 | (c & 0x3f));
	return 3;
}

/** @a s (UTF-8) as UCS-2 into @a u; its length in *@a len. ENAMETOOLONG
 *  past FAT_NAME_MAX, EINVAL for a character FAT cannot store. */
static errno_t name_to_ucs2(const char *s, uint16_t *u, size_t *len)
{
	size_t n = 0;
	for (const uint8_t *p = (const uint8_t *) s; *p != 0;) {
		uint32_t c = *p++;
		if (c >= 0x80) {
			int more = c >= 0xe0 ? 2 : 1;
			if (c >= 0xf0 || c < 0xc0)
				return EINVAL;
			c &= more == 2 ? 0x0f : 0x1f;
			for (int i = 0; i < more; i++, p++) {
				if ((*p & 0xc0) != 0x80)
					return EINVAL;
				c = c << 6 | (*p & 0x3f);
			}
		}
		if (c < 0x20 || (c < 0x80 && strchr("\"*/:<>?\\|", (int) c) != NULL))
			return EINVAL;
		if (n == FAT_NAME_MAX)
			return ENAMETOOLONG;
		u[n++] = (uint16_t) c;
	}
	if (n == 0 || u[n - 1] == '.' || u[n - 1] == ' ' ||
	    (n <= 2 && u[0] == '.' && (n == 1 || u[1] == '.')))
		return EINVAL;
	*len = n;
	return EOK;
}

/** The short name of @a d as text, lower case where its flags say. */
static void short_name_text(const fat_dentry_t *d, char *out)
{
	size_t k = 0;
	for (int i = 0; i < 8 && d->name[i] != ' '; i++) {
		char c = (char) (i == 0 && d->name[0] == 0x05 ? 0xe5 : d->name[i]);
		out[k++] = (d->ntres & 0x08) && c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	if (d->name[8] != ' ')
		out[k++] = '.';
	for (int i = 8; i < 11 && d->name[i] != ' '; i++) {
		char c = (char) d->name[i];
		out[k++] = (d->ntres & 0x10) && c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	out[k] = '\0';
}

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool name_equal(const char *a, const char *b)
{
	while (*a != 0 && fold((unsigned char) *a) == fold((unsigned char) *b)) {
		a++;
		b++;
	}
	return *a == 0 && *b == 0;
}

/*
 * Reading directories.
 */

/* Long-name slots seen so far, waiting for their short entry. */
typedef struct {
	uint16_t chars[LFN_SLOTS_MAX * LFN_CHARS];
	int expect; /* the sequence number the next slot must have; 0: none */
	int count;
	uint8_t sum;
	uint32_t first;
} lfn_t;

static void lfn_slot(lfn_t *l, const uint8_t *s, uint32_t ent)
{
	int seq = s[0] & 0x1f;
	if (s[0] & LFN_LAST) {
		l->count = seq;
		l->expect = seq;
		l->sum = s[13];
		l->first = ent;
	}
	if (seq == 0 || seq > LFN_SLOTS_MAX || seq != l->expect || s[13] != l->sum) {
		l->expect = 0;
		l->count = 0;
		return;
	}
	static const int offs[LFN_CHARS] = {
	    1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
	for (int i = 0; i < LFN_CHARS; i++)
		l->chars[(seq - 1) * LFN_CHARS + i] = (uint16_t) (s[offs[i]] |
		    s[offs[i] + 1] << 8);
	l->expect = seq - 1;
}

/** The long name gathered for short entry @a d, if complete and its own. */
static bool lfn_name(const lfn_t *l, const fat_dentry_t *d, char *out)
{
	if (l->count == 0 || l->expect != 0 || l->sum != lfn_checksum(d->name))
		return false;
	size_t k = 0;
	for (int i = 0; i < l->count * LFN_CHARS; i++) {
		uint16_t c = l->chars[i];
		if (c == 0)
			break;
		k += utf8_put(out + k, c);
	}
	out[k] = '\0';
	return k > 0;
}

/** The next entry of @a dir_cl at or after slot @a ent (not a volume label,
 *  nor a deleted one); ENOENT at the end. */
static errno_t dir_next(fat_fs_t *fs, uint32_t dir_cl, uint32_t ent, found_t *f)
{
	lfn_t l = {0};
	for (;; ent++) {
		errno_t rc = slot_read(fs, dir_cl, ent, &f->d);
		if (rc != EOK)
			return rc;
		const uint8_t *raw = (const uint8_t *) &f->d;
		if (raw[0] == SLOT_END)
			return ENOENT;
		if (raw[0] == SLOT_FREE) {
			l.count = 0;
			continue;
		}
		if ((f->d.attr & 0x3f) == FAT_ATTR_LFN) {
			lfn_slot(&l, raw, ent);
			continue;
		}
		if (f->d.attr & FAT_ATTR_VOLUME) {
			l.count = 0;
			continue;
		}
		bool has_lfn = lfn_name(&l, &f->d, f->name);
		if (!has_lfn)
			short_name_text(&f->d, f->name);
		f->first = has_lfn ? l.first : ent;
		f->ent = ent;
		return EOK;
	}
}

static bool is_dot(const found_t *f)
{
	return f->d.name[0] == '.' && (f->d.name[1] == ' ' || f->d.name[1] == '.');
}

/** The entry named @a name in @a dir_cl. */
static errno_t dir_find(fat_fs_t *fs, uint32_t dir_cl, const char *name, found_t *f)
{
	for (uint32_t ent = 0;; ent = f->ent + 1) {
		errno_t rc = dir_next(fs, dir_cl, ent, f);
		if (rc != EOK)
			return rc;
		if (!is_dot(f) && name_equal(name, f->name))
			return EOK;
	}
}

errno_t fat_dir_count(fat_fs_t *fs, fat_node_t *dir, uint64_t *count)
{
	found_t *f = malloc(sizeof(*f));
	if (f == NULL)
		return ENOMEM;
	*count = 0;
	errno_t rc;
	for (uint32_t ent = 0; (rc = dir_next(fs, dir->first_cl, ent, f)) == EOK;
	     ent = f->ent + 1) {
		if (!is_dot(f))
			(*count)++;
	}
	free(f);
	return rc == ENOENT ? EOK : rc;
}

errno_t fat_readdir(
    fat_fs_t *fs, fat_node_t *dir, uint64_t pos, char *name, uint64_t *next)
{
	if (pos > UINT32_MAX)
		return ENOENT;
	found_t *f = malloc(sizeof(*f));
	if (f == NULL)
		return ENOMEM;
	errno_t rc;
	uint32_t ent = (uint32_t) pos;
	while ((rc = dir_next(fs, dir->first_cl, ent, f)) == EOK && is_dot(f))
		ent = f->ent + 1;
	if (rc == EOK) {
		strcpy(name, f->name);
		*next = f->ent + 1;
	}
	free(f);
	return rc;
}

/*
 * Writing entries.
 */

static bool short_char_ok(uint16_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (c < 0x80 && c > 0x20 && strchr("!#$%&'()-@^_`{}~", c) != NULL);
}

/* A short name made from a long one. */
typedef struct {
	uint8_t name[11];
	uint8_t ntres;
	bool need_lfn; /* the short name alone does not give back the name */
	size_t base_len;
} shortname_t;

/** Copies part @a u[0..n) into @a out (@a max characters) upper-cased;
 *  notes losses and which case the letters had. */
static size_t short_part(const uint16_t *u, size_t n, uint8_t *out, size_t max,
    bool *lossy, bool *lower, bool *upper)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		uint16_t c = u[i];
		if (c == ' ' || c == '.') {
			*lossy = true;
			continue;
		}
		if (c >= 'a' && c <= 'z') {
			*lower = true;
			c -= 32;
		} else if (c >= 'A' && c <= 'Z') {
			*upper = true;
		}
		if (!short_char_ok(c)) {
			c = '_';
			*lossy = true;
		}
		if (k == max) {
			*lossy = true;
			break;
		}
		out[k++] = (uint8_t) c;
	}
	return k;
}

static void short_make(const uint16_t *u, size_t n, shortname_t *s)
{
	memset(s->name, ' ', 11);
	size_t dot = n;
	for (size_t i = n; i-- > 1;) {
		if (u[i] == '.') {
			dot = i;
			break;
		}
	}
	bool lossy = false, bl = false, bu = false, el = false, eu = false;
	s->base_len = short_part(u, dot, s->name, 8, &lossy, &bl, &bu);
	if (dot < n)
		short_part(u + dot + 1, n - dot - 1, s->name + 8, 3, &lossy, &el, &eu);
	if (s->base_len == 0) {
		s->name[0] = '_';
		s->base_len = 1;
		lossy = true;
	}
	if (s->name[0] == 0xe5)
		s->name[0] = 0x05;
	s->ntres = (bl ? 0x08 : 0) | (el ? 0x10 : 0);
	s->need_lfn = lossy || (bl && bu) || (el && eu);
}

static errno_t short_exists(
    fat_fs_t *fs, uint32_t dir_cl, const uint8_t name[11], bool *exists)
{
	found_t *f = malloc(sizeof(*f));
	if (f == NULL)
		return ENOMEM;
	errno_t rc;
	*exists = false;
	for (uint32_t ent = 0; (rc = dir_next(fs, dir_cl, ent, f)) == EOK;
	     ent = f->ent + 1) {
		if (memcmp(f->d.name, name, 11) == 0) {
			*exists = true;
			break;
		}
	}
	free(f);
	return rc == ENOENT ? EOK : rc;
}

/** Makes @a s unique in @a dir_cl with a "~N" tail if it needs one. */
static errno_t short_unique(fat_fs_t *fs, uint32_t dir_cl, shortname_t *s)
{
	bool exists;
	errno_t rc = short_exists(fs, dir_cl, s->name, &exists);
	if (rc != EOK || (!exists && !s->need_lfn))
		return rc;
	s->need_lfn = true;
	s->ntres = 0;
	for (unsigned n = 1; n < 1000000; n++) {
		char tail[8];
		size_t tl = 0;
		tail[tl++] = '~';
		char digits[8];
		size_t dl = 0;
		for (unsigned v = n; v > 0; v /= 10)
			digits[dl++] = (char) ('0' + v % 10);
		while (dl > 0)
			tail[tl++] = digits[--dl];
		size_t keep = s->base_len < 8 - tl ? s->base_len : 8 - tl;
		memset(s->name + keep, ' ', 8 - keep);
		memcpy(s->name + keep, tail, tl);
		rc = short_exists(fs, dir_cl, s->name, &exists);
		if (rc != EOK || !exists)
			return rc;
	}
	return ENOSPC;
}

#define DIR_SLOTS_MAX 65536 /* FAT's limit on a directory's entries */

/** The first of @a k consecutive free slots in directory @a dir_cl, which
 *  grows by a cluster when it has none. */
static errno_t slots_find(fat_fs_t *fs, uint32_t dir_cl, uint32_t k, uint32_t *first)
{
	uint32_t run = 0;
	for (uint32_t ent = 0; ent < DIR_SLOTS_MAX; ent++) {
		fat_dentry_t d;
		errno_t rc = slot_read(fs, dir_cl, ent, &d);
		if (rc == ENOENT && dir_cl != 0) {
			fat_node_t walk = {.first_cl = dir_cl, .is_dir = true};
			uint32_t cl;
			rc = fat_chain_grow(
			    fs, &walk, ent * FAT_DENTRY_SIZE / fs->csize, &cl);
			if (rc == EOK)
				rc = slot_read(fs, dir_cl, ent, &d);
		}
		if (rc == ENOENT)
			return ENOSPC; /* the fixed root is full */
		if (rc != EOK)
			return rc;
		uint8_t c = d.name[0];
		run = c == SLOT_FREE || c == SLOT_END ? run + 1 : 0;
		if (run == k) {
			*first = ent + 1 - k;
			return EOK;
		}
	}
	return ENOSPC;
}

static void lfn_fill(
    uint8_t *s, const uint16_t *u, size_t n, int seq, bool last, uint8_t sum)
{
	static const int offs[LFN_CHARS] = {
	    1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
	memset(s, 0, FAT_DENTRY_SIZE);
	s[0] = (uint8_t) (seq | (last ? LFN_LAST : 0));
	s[11] = FAT_ATTR_LFN;
	s[13] = sum;
	for (int i = 0; i < LFN_CHARS; i++) {
		size_t idx = (size_t) (seq - 1) * LFN_CHARS + i;
		uint16_t c = idx < n ? u[idx] : idx == n ? 0 : 0xffff;
		s[offs[i]] = c & 0xff;
		s[offs[i] + 1] = c >> 8;
	}
}

/** Adds entry @a name to @a dir_cl with the fields of @a proto (all but
 *  the name); its short entry's slot in *@a ent. */
static errno_t entry_add(fat_fs_t *fs, uint32_t dir_cl, const char *name,
    const fat_dentry_t *proto, uint32_t *ent)
{
	uint16_t u[FAT_NAME_MAX];
	size_t n;
	errno_t rc = name_to_ucs2(name, u, &n);
	shortname_t s;
	if (rc == EOK) {
		short_make(u, n, &s);
		rc = short_unique(fs, dir_cl, &s);
	}
	uint32_t lfn_slots = rc == EOK && s.need_lfn
	    ? (uint32_t) ((n + LFN_CHARS - 1) / LFN_CHARS)
	    : 0;
	uint32_t first = 0;
	if (rc == EOK)
		rc = slots_find(fs, dir_cl, lfn_slots + 1, &first);
	fat_dentry_t d = *proto;
	memcpy(d.name, s.name, 11);
	d.ntres = s.ntres;
	uint8_t sum = lfn_checksum(d.name);
	for (uint32_t i = 0; rc == EOK && i < lfn_slots; i++) {
		uint8_t slot[FAT_DENTRY_SIZE];
		int seq = (int) (lfn_slots - i);
		lfn_fill(slot, u, n, seq, i == 0, sum);
		rc = slot_write(fs, dir_cl, first + i, slot);
	}
	if (rc == EOK)
		rc = slot_write(fs, dir_cl, first + lfn_slots, &d);
	if (rc == EOK)
		*ent = first + lfn_slots;
	return rc;
}

/** Marks slots @a first .. @a last of @a dir_cl free. */
static errno_t entry_remove(fat_fs_t *fs, uint32_t dir_cl, uint32_t first, uint32_t last)
{
	for (uint32_t ent = first; ent <= last; ent++) {
		fat_dentry_t d;
		errno_t rc = slot_read(fs, dir_cl, ent, &d);
		if (rc == EOK) {
			d.name[0] = SLOT_FREE;
			rc = slot_write(fs, dir_cl, ent, &d);
		}
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

/*
 * Nodes.
 */

fat_node_t *fat_node_find(fat_fs_t *fs, uint64_t index)
{
	for (size_t i = 0; i < fs->node_count; i++) {
		if (fs->nodes[i]->index == index)
			return fs->nodes[i];
	}
	return NULL;
}

static errno_t node_add(fat_fs_t *fs, fat_node_t *node)
{
	if (fs->node_count == fs->node_cap) {
		size_t cap = fs->node_cap ? fs->node_cap * 2 : 64;
		fat_node_t **n = realloc(fs->nodes, cap * sizeof(*n));
		if (n == NULL)
			return ENOMEM;
		fs->nodes = n;
		fs->node_cap = cap;
	}
	fs->nodes[fs->node_count++] = node;
	return EOK;
}

static void node_drop(fat_fs_t *fs, fat_node_t *node)
{
	for (size_t i = 0; i < fs->node_count; i++) {
		if (fs->nodes[i] == node) {
			fs->nodes[i] = fs->nodes[--fs->node_count];
			break;
		}
	}
	free(node);
}

static errno_t root_node(fat_fs_t *fs, fat_node_t **out)
{
	fat_node_t *root = fat_node_find(fs, FAT_ROOT_INDEX);
	if (root == NULL) {
		root = calloc(1, sizeof(*root));
		if (root == NULL)
			return ENOMEM;
		root->index = FAT_ROOT_INDEX;
		root->is_dir = true;
		root->first_cl = fs->type == 32 ? fs->root_cl : 0;
		errno_t rc = node_add(fs, root);
		if (rc != EOK) {
			free(root);
			return rc;
		}
	}
	*out = root;
	return EOK;
}

/** The node of entry @a f of directory @a dir_cl, made if new. */
static errno_t node_of(fat_fs_t *fs, uint32_t dir_cl, const found_t *f, fat_node_t **out)
{
	for (size_t i = 0; i < fs->node_count; i++) {
		fat_node_t *n = fs->nodes[i];
		if (!n->unlinked && n->index != FAT_ROOT_INDEX && n->dir_cl == dir_cl &&
		    n->ent == f->ent) {
			*out = n;
			return EOK;
		}
	}
	fat_node_t *n = calloc(1, sizeof(*n));
	if (n == NULL)
		return ENOMEM;
	n->index = fs->next_index++;
	n->dir_cl = dir_cl;
	n->ent = f->ent;
	n->first_cl = dentry_cluster(fs, &f->d);
	n->is_dir = (f->d.attr & FAT_ATTR_DIR) != 0;
	n->size = n->is_dir ? 0 : f->d.size;
	n->mtime = f->d.mtime;
	n->mdate = f->d.mdate;
	errno_t rc = fat_chain_check(fs, n);
	if (rc == EOK)
		rc = node_add(fs, n);
	if (rc != EOK) {
		free(n);
		return rc;
	}
	*out = n;
	return EOK;
}

errno_t fat_node_store(fat_fs_t *fs, fat_node_t *node)
{
	if (node->index == FAT_ROOT_INDEX || node->unlinked)
		return EOK;
	if (fs->rdonly)
		return EROFS;
	fat_dentry_t d;
	errno_t rc = slot_read(fs, node->dir_cl, node->ent, &d);
	if (rc != EOK)
		return rc;
	d.size = node->is_dir ? 0 : node->size;
	d.cluster_lo = node->first_cl & 0xffff;
	d.cluster_hi = fs->type == 32 ? (uint16_t) (node->first_cl >> 16) : 0;
	d.mtime = node->mtime;
	d.mdate = node->mdate;
	d.adate = node->mdate;
	if (!node->is_dir)
		d.attr |= FAT_ATTR_ARCHIVE;
	return slot_write(fs, node->dir_cl, node->ent, &d);
}

void fat_node_open(fat_node_t *node)
{
	node->opens++;
}

errno_t fat_node_close(fat_fs_t *fs, fat_node_t *node)
{
	if (node->opens == 0)
		return EINVAL;
	if (--node->opens > 0 || !node->unlinked)
		return EOK;
	errno_t rc = node->first_cl != 0 ? fat_chain_free(fs, node->first_cl) : EOK;
	node_drop(fs, node);
	return rc;
}

/** Seconds since 1970 of a FAT date and time (local time taken as UTC);
 *  0 for a date that does not exist. */
static uint64_t fat_epoch_seconds(uint16_t date, uint16_t time)
{
	datetime_t dt = {.year = 1980 + (date >> 9),
	    .month = (date >> 5) & 0xf,
	    .day = date & 0x1f,
	    .hour = time >> 11,
	    .min = (time >> 5) & 0x3f,
	    .sec = (time & 0x1f) * 2};
	return datetime_valid(&dt) ? (uint64_t) datetime_to_unix(&dt) : 0;
}

uint32_t fat_time_pack(int64_t secs)
{
	datetime_t dt;
	datetime_from_unix(secs, &dt);
	if (dt.year < FAT_YEAR_MIN)
		return FAT_DATE_MIN << 16;
	if (dt.year > FAT_YEAR_MAX)
		return (uint32_t) FAT_DATE_MAX << 16 | FAT_TIME_MAX;
	uint32_t date = (uint32_t) (dt.year - FAT_YEAR_MIN) << 9 | dt.month << 5 | dt.day;
	uint32_t time = (uint32_t) dt.hour << 11 | dt.min << 5 | dt.sec / 2;
	return date << 16 | time;
}

void fat_node_stat(const fat_node_t *node, vfs_stat_t *st)
{
	memset(st, 0, sizeof(*st));
	st->index = node->index;
	st->size = node->size;
	st->type = node->is_dir ? VFS_NODE_DIR : VFS_NODE_FILE;
	st->links = node->unlinked ? 0 : 1;
	st->mtime_ns = fat_epoch_seconds(node->mdate, node->mtime) * 1000000000ull;
}

/*
 * Paths.
 */

/** The directory holding @a path's last component (in @a name). */
static errno_t walk_parent(fat_fs_t *fs, const char *path, fat_node_t **dir, char *name)
{
	fat_node_t *cur;
	errno_t rc = root_node(fs, &cur);
	found_t *f = malloc(sizeof(*f));
	if (f == NULL)
		rc = ENOMEM;
	bool last = false;
	while (rc == EOK) {
		rc = vfs_path_next(&path, name, &last);
		if (rc != EOK || last)
			break;
		rc = dir_find(fs, cur->first_cl, name, f);
		if (rc == EOK && !(f->d.attr & FAT_ATTR_DIR))
			rc = ENOTDIR;
		if (rc == EOK)
			rc = node_of(fs, cur->first_cl, f, &cur);
	}
	free(f);
	if (rc == EOK)
		*dir = cur;
	return rc;
}

static errno_t lookup_check(const fat_node_t *node, unsigned lflags)
{
	if ((lflags & L_CREATE) && (lflags & L_EXCL))
		return EEXIST;
	if ((lflags & L_DIRECTORY) && !node->is_dir)
		return ENOTDIR;
	if ((lflags & L_FILE) && node->is_dir)
		return EISDIR;
	return EOK;
}

static void proto_init(fat_fs_t *fs, fat_dentry_t *d, uint8_t attr, uint32_t cl)
{
	memset(d, 0, sizeof(*d));
	uint32_t t = fs->now();
	d->attr = attr;
	d->cdate = d->mdate = d->adate = t >> 16;
	d->ctime = d->mtime = t & 0xffff;
	d->cluster_lo = cl & 0xffff;
	d->cluster_hi = fs->type == 32 ? (uint16_t) (cl >> 16) : 0;
}

/** A new directory's first cluster with its "." and ".." entries. */
static errno_t dir_make(fat_fs_t *fs, const fat_node_t *parent, uint32_t *out)
{
	uint32_t cl;
	errno_t rc = fat_cluster_alloc(fs, 0, true, &cl);
	if (rc != EOK)
		return rc;
	fat_dentry_t d;
	proto_init(fs, &d, FAT_ATTR_DIR, cl);
	memset(d.name, ' ', 11);
	d.name[0] = '.';
	rc = slot_write(fs, cl, 0, &d);
	uint32_t up = parent->index == FAT_ROOT_INDEX ? 0 : parent->first_cl;
	proto_init(fs, &d, FAT_ATTR_DIR, up);
	memset(d.name, ' ', 11);
	d.name[0] = d.name[1] = '.';
	if (rc == EOK)
		rc = slot_write(fs, cl, 1, &d);
	if (rc != EOK) {
		(void) fat_chain_free(
		    fs, cl); /* the failure being reported matters more */
		return rc;
	}
	*out = cl;
	return EOK;
}

static errno_t lookup_create(
    fat_fs_t *fs, fat_node_t *dir, const char *name, unsigned lflags, fat_node_t **out)
{
	if (fs->rdonly)
		return EROFS;
	bool is_dir = (lflags & L_DIRECTORY) != 0;
	uint32_t cl = 0;
	errno_t rc = is_dir ? dir_make(fs, dir, &cl) : EOK;
	if (rc != EOK)
		return rc;
	found_t *f = malloc(sizeof(*f));
	if (f == NULL)
		rc = ENOMEM;
	if (rc == EOK) {
		proto_init(fs, &f->d, is_dir ? FAT_ATTR_DIR : FAT_ATTR_ARCHIVE, cl);
		rc = entry_add(fs, dir->first_cl, name, &f->d, &f->ent);
	}
	if (rc == EOK)
		rc = node_of(fs, dir->first_cl, f, out);
	if (rc != EOK && cl != 0)
		(void) fat_chain_free(
		    fs, cl); /* the failure being reported matters more */
	free(f);
	return rc;
}

errno_t fat_lookup(fat_fs_t *fs, const char *path, unsigned lflags, fat_node_t **out)
{
	fat_node_t *dir;
	if (path[0] == '\0') {
		errno_t rc = root_node(fs, &dir);
		if (rc == EOK)
			rc = lookup_check(dir, lflags);
		if (rc == EOK)
			*out = dir;
		return rc;
	}
	char name[NAME_BYTES];
	errno_t rc = walk_parent(fs, path, &dir, name);
	found_t *f = rc == EOK ? malloc(sizeof(*f)) : NULL;
	if (rc == EOK && f == NULL)
		rc = ENOMEM;
	if (rc == EOK)
		rc = dir_find(fs, dir->first_cl, name, f);
	if (rc == ENOENT && (lflags & L_CREATE))
		rc = lookup_create(fs, dir, name, lflags, out);
	else if (rc == EOK) {
		rc = node_of(fs, dir->first_cl, f, out);
		if (rc == EOK)
			rc = lookup_check(*out, lflags);
	}
	free(f);
	return rc;
}

/** The entry @a path names (not the root) and its directory. */
static errno_t entry_at(fat_fs_t *fs, const char *path, fat_node_t **dir, found_t *f)
{
	if (path[0] == '\0')
		return EBUSY;
	char name[NAME_BYTES];
	errno_t rc = walk_parent(fs, path, dir, name);
	return rc == EOK ? dir_find(fs, (*dir)->first_cl, name, f) : rc;
}

/** Removes entry @a f of @a dir and releases its node (its clusters now,
 *  or at its last close if open). */
static errno_t entry_release(fat_fs_t *fs, fat_node_t *dir, const found_t *f)
{
	fat_node_t *node;
	errno_t rc = node_of(fs, dir->first_cl, f, &node);
	if (rc == EOK && node->broken)
		rc = EIO; /* freeing a broken chain could free others' clusters */
	if (rc == EOK)
		rc = entry_remove(fs, dir->first_cl, f->first, f->ent);
	if (rc != EOK)
		return rc;
	node->unlinked = true;
	if (node->opens > 0)
		return EOK;
	rc = node->first_cl != 0 ? fat_chain_free(fs, node->first_cl) : EOK;
	node_drop(fs, node);
	return rc;
}

static errno_t dir_empty(fat_fs_t *fs, uint32_t first_cl, bool *empty)
{
	fat_node_t walk = {.first_cl = first_cl, .is_dir = true};
	uint64_t n;
	errno_t rc = fat_dir_count(fs, &walk, &n);
	*empty = n == 0;
	return rc;
}

errno_t fat_unlink(fat_fs_t *fs, const char *path, unsigned flags)
{
	found_t *f = malloc(sizeof(*f));
	if (f == NULL)
		return ENOMEM;
	fat_node_t *dir;
	errno_t rc = entry_at(fs, path, &dir, f);
	bool is_dir = rc == EOK && (f->d.attr & FAT_ATTR_DIR);
	if (rc == EOK && fs->rdonly)
		rc = EROFS;
	if (rc == EOK && (flags & VFS_UNLINK_DIR) && !is_dir)
		rc = ENOTDIR;
	if (rc == EOK && !(flags & VFS_UNLINK_DIR) && is_dir)
		rc = EISDIR;
	bool empty = true;
	if (rc == EOK && is_dir)
		rc = dir_empty(fs, dentry_cluster(fs, &f->d), &empty);
	if (rc == EOK && !empty)
		rc = ENOTEMPTY;
	if (rc == EOK)
		rc = entry_release(fs, dir, f);
	free(f);
	return rc;
}

/** Whether @a dst (an existing entry) may be replaced by @a src. */
static errno_t replace_check(fat_fs_t *fs, const found_t *src, const found_t *dst)
{
	bool sd = src->d.attr & FAT_ATTR_DIR, dd = dst->d.attr & FAT_ATTR_DIR;
	if (sd && !dd)
		return ENOTDIR;
	if (!sd && dd)
		return EISDIR;
	bool empty = true;
	errno_t rc = dd ? dir_empty(fs, dentry_cluster(fs, &dst->d), &empty) : EOK;
	return rc == EOK && !empty ? ENOTEMPTY : rc;
}

/** Points the ".." of directory @a node at @a parent. */
static errno_t dotdot_set(fat_fs_t *fs, const fat_node_t *node, const fat_node_t *parent)
{
	fat_dentry_t d;
	errno_t rc = slot_read(fs, node->first_cl, 1, &d);
	if (rc != EOK || d.name[0] != '.' || d.name[1] != '.')
		return rc == EOK ? EIO : rc;
	uint32_t up = parent->index == FAT_ROOT_INDEX ? 0 : parent->first_cl;
	d.cluster_lo = up & 0xffff;
	d.cluster_hi = fs->type == 32 ? (uint16_t) (up >> 16) : 0;
	return slot_write(fs, node->first_cl, 1, &d);
}

/** Moves entry @a src of @a sdir to @a name in @a ddir (which has none). */
static errno_t entry_move(fat_fs_t *fs, fat_node_t *sdir, const found_t *src,
    fat_node_t *ddir, const char *name)
{
	fat_node_t *node;
	errno_t rc = node_of(fs, sdir->first_cl, src, &node);
	uint32_t ent;
	if (rc == EOK)
		rc = entry_add(fs, ddir->first_cl, name, &src->d, &ent);
	if (rc == EOK)
		rc = entry_remove(fs, sdir->first_cl, src->first, src->ent);
	if (rc != EOK)
		return rc;
	node->dir_cl = ddir->first_cl;
	node->ent = ent;
	if (node->is_dir && sdir != ddir)
		rc = dotdot_set(fs, node, ddir);
	return rc;
}

errno_t fat_rename(fat_fs_t *fs, const char *old_path, const char *new_path)
{
	if (fs->rdonly)
		return EROFS;
	found_t *src = malloc(sizeof(*src)), *dst = malloc(sizeof(*dst));
	char *name = malloc(NAME_BYTES);
	errno_t rc = src == NULL || dst == NULL || name == NULL ? ENOMEM : EOK;
	fat_node_t *sdir = NULL, *ddir = NULL;
	if (rc == EOK)
		rc = entry_at(fs, old_path, &sdir, src);
	if (rc == EOK)
		rc = new_path[0] == '\0' ? EBUSY : walk_parent(fs, new_path, &ddir, name);
	if (rc == EOK) {
		rc = dir_find(fs, ddir->first_cl, name, dst);
		if (rc == EOK && sdir == ddir && dst->ent == src->ent) {
			rc = EOK; /* the same entry: nothing to do */
		} else if (rc == EOK) {
			rc = replace_check(fs, src, dst);
			if (rc == EOK)
				rc = entry_release(fs, ddir, dst);
			if (rc == EOK)
				rc = entry_move(fs, sdir, src, ddir, name);
		} else if (rc == ENOENT) {
			rc = entry_move(fs, sdir, src, ddir, name);
		}
	}
	free(src);
	free(dst);
	free(name);
	return rc;
}
