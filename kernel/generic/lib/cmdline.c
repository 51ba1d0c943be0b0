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
