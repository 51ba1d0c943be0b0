/*
 * Parsing of tmpfs's mount options (options.h).
 */
#include "options.h"
#include "tmpfs.h"
#include <string.h>

/** Parses the @a len bytes at @a s as a byte count with an optional suffix. */
static errno_t size_parse(const char *s, size_t len, uint64_t *out)
{
	uint64_t shift = 0;
	if (len > 0) {
		const char *suffixes = "KMG";
		const char *sfx = memchr(suffixes, s[len - 1], 3);
		if (sfx != NULL) {
			shift = 10 * (uint64_t) (sfx - suffixes + 1);
			len--;
		}
	}
	if (len == 0)
		return EINVAL;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return EINVAL;
		uint64_t d = (uint64_t) (s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return EINVAL;
		v = v * 10 + d;
	}
	if (v > (UINT64_MAX >> shift) || (v << shift) == TMPFS_NO_LIMIT)
		return EINVAL;
	*out = v << shift;
	return EOK;
}

/** Whether the @a len byte item @a item starts with @a key ("size="). */
static bool key_is(const char *item, size_t len, const char *key)
{
	size_t klen = strlen(key);
	return len >= klen && memcmp(item, key, klen) == 0;
}

/** Applies the one option @a item (@a len bytes) to @a out. */
static errno_t option_apply(const char *item, size_t len, tmpfs_options_t *out)
{
	if (key_is(item, len, "size="))
		return size_parse(item + 5, len - 5, &out->size_limit);
	if (key_is(item, len, "archive=")) {
		size_t n = len - 8;
		if (n == 0 || n > TMPFS_MODULE_NAME_MAX)
			return EINVAL;
		memcpy(out->archive, item + 8, n);
		out->archive[n] = '\0';
		return EOK;
	}
	if (len == 4 && memcmp(item, "take", 4) == 0) {
		out->take = true;
		return EOK;
	}
	return EINVAL;
}

errno_t tmpfs_options_parse(const char *opts, tmpfs_options_t *out)
{
	out->size_limit = TMPFS_NO_LIMIT;
	out->archive[0] = '\0';
	out->take = false;
	if (opts[0] == '\0')
		return EOK;
	while (true) {
		const char *comma = strchr(opts, ',');
		size_t len = comma != NULL ? (size_t) (comma - opts) : strlen(opts);
		if (len == 0)
			return EINVAL;
		errno_t rc = option_apply(opts, len, out);
		if (rc != EOK)
			return rc;
		if (comma == NULL) /* take names the archive's module */
			return out->take && out->archive[0] == '\0' ? EINVAL : EOK;
		opts = comma + 1;
	}
}
