/*
 * String functions beyond the shared primitives of common/src/str.c (the
 * names and texts of error codes are in common/src/strerror.c).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == (unsigned char) c)
			return (void *) (p + i);
	}
	return NULL;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	memcpy(dst, src, strlen(src) + 1);
	return dst;
}

char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t len = strnlen(src, n);
	memcpy(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *end = dst + strlen(dst);
	size_t len = strnlen(src, n);
	memcpy(end, src, len);
	end[len] = '\0';
	return dst;
}

char *strndup(const char *s, size_t max)
{
	size_t len = strnlen(s, max);
	char *copy = malloc(len + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

char *strdup(const char *s)
{
	return strndup(s, strlen(s));
}

char *strstr(const char *haystack, const char *needle)
{
	size_t len = strlen(needle);
	for (const char *p = haystack;; p++) {
		if (strncmp(p, needle, len) == 0)
			return (char *) p;
		if (*p == '\0')
			return NULL;
	}
}

/** Whether @a c occurs in the string @a set. */
static bool in_set(char c, const char *set)
{
	for (; *set != '\0'; set++) {
		if (*set == c)
			return true;
	}
	return false;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;
	while (s[n] != '\0' && in_set(s[n], accept))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;
	while (s[n] != '\0' && !in_set(s[n], reject))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s != '\0' ? (char *) s : NULL;
}

char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save)
{
	if (s == NULL)
		s = *save;
	s += strspn(s, delim);
	if (*s == '\0') {
		*save = s;
		return NULL;
	}
	char *end = s + strcspn(s, delim);
	if (*end != '\0')
		*end++ = '\0';
	*save = end;
	return s;
}
