/*
 * Path normalisation (vfs_path.h): one pass over the input, components
 * appended to the output and ".." taking the last one off again.
 */
#include "vfs_path.h"
#include <abi/vfs.h>
#include <string.h>

/** Appends the component @a name (@a len bytes) to the path of @a *outlen
 *  bytes in @a out, or for "." and ".." stays or goes one level up. */
static errno_t path_push(const char *name, size_t len, char *out, size_t *outlen)
{
	if (len == 1 && name[0] == '.')
		return EOK;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		while (*outlen > 0 && out[*outlen - 1] != '/')
			(*outlen)--;
		if (*outlen > 0)
			(*outlen)--; /* the "/" before the dropped component */
		return EOK;
	}
	if (len > VFS_NAME_MAX)
		return ENAMETOOLONG;
	if (memchr(name, '\0', len) != NULL)
		return EINVAL;
	/* The output never outgrows the input, which fits VFS_PATH_MAX. */
	out[(*outlen)++] = '/';
	memcpy(out + *outlen, name, len);
	*outlen += len;
	return EOK;
}

errno_t vfs_path_normalize(const char *in, size_t len, char *out)
{
	if (len > VFS_PATH_MAX)
		return ENAMETOOLONG;
	if (len == 0 || in[0] != '/')
		return EINVAL;
	size_t outlen = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && in[i] == '/')
			i++;
		size_t start = i;
		while (i < len && in[i] != '/')
			i++;
		if (i == start)
			break;
		errno_t rc = path_push(in + start, i - start, out, &outlen);
		if (rc != EOK)
			return rc;
	}
	if (outlen == 0)
		out[outlen++] = '/';
	out[outlen] = '\0';
	return EOK;
}

bool vfs_path_is_below(const char *path, const char *prefix)
{
	size_t plen = strlen(prefix);
	if (plen == 1)
		return true; /* "/" */
	return strncmp(path, prefix, plen) == 0 &&
	    (path[plen] == '\0' || path[plen] == '/');
}

const char *vfs_path_rest(const char *path, const char *prefix)
{
	const char *rest = path + strlen(prefix);
	return *rest == '/' ? rest + 1 : rest;
}

errno_t vfs_path_next(const char **path, char *name, bool *last)
{
	const char *p = *path;
	const char *end = strchr(p, '/');
	size_t len = end != NULL ? (size_t) (end - p) : strlen(p);
	if (len == 0)
		return EINVAL;
	if (len > VFS_NAME_MAX)
		return ENAMETOOLONG;
	memcpy(name, p, len);
	name[len] = '\0';
	*last = end == NULL;
	*path = end != NULL ? end + 1 : p + len;
	return EOK;
}
