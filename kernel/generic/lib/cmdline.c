/*
 * Command-line option lookup. Pure string code; host-tested.
 */
#include <cmdline.h>
#include <string.h>

/** Finds the last word @a name (later options override earlier ones);
 *  returns a pointer just past the name, or NULL. */
static const char *find_option(const char *cmdline, const char *name)
{
	size_t len = strlen(name);
	const char *p = cmdline, *found = NULL;
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if ((size_t) (p - word) >= len && strncmp(word, name, len) == 0 &&
		    (word[len] == ' ' || word[len] == '=' || word[len] == '\0'))
			found = word + len;
	}
	return found;
}

bool cmdline_has(const char *cmdline, const char *name)
{
	return find_option(cmdline, name) != NULL;
}

errno_t cmdline_get(const char *cmdline, const char *name, char *buf, size_t size)
{
	const char *rest = find_option(cmdline, name);
	if (rest == NULL || *rest != '=')
		return ENOENT;
	rest++;
	size_t n = 0;
	while (rest[n] != '\0' && rest[n] != ' ')
		n++;
	if (n + 1 > size)
		return ELIMIT;
	memcpy(buf, rest, n);
	buf[n] = '\0';
	return EOK;
}

errno_t cmdline_get_uint(const char *cmdline, const char *name, uint64_t *out)
{
	char buf[24]; /* 20 digits of UINT64_MAX */
	errno_t rc = cmdline_get(cmdline, name, buf, sizeof(buf));
	if (rc == ELIMIT || (rc == EOK && buf[0] == '\0'))
		return EINVAL;
	if (rc != EOK)
		return rc;
	uint64_t v = 0;
	for (const char *p = buf; *p != '\0'; p++) {
		unsigned digit = (unsigned) (*p - '0');
		if (digit > 9 || v > (UINT64_MAX - digit) / 10)
			return EINVAL;
		v = v * 10 + digit;
	}
	*out = v;
	return EOK;
}
