/*
 * Memory and string functions. The primitives shared with the kernel come
 * from common/str.h (memcpy, strlen, strcmp, str_lcpy, ...); the rest are
 * libc's own (string.c); the error texts from common/strerror.h.
 */
#ifndef LIBC_STRING_H
#define LIBC_STRING_H

#include <abi/errno.h>
#include <common/str.h>
#include <common/strerror.h>
#include <stddef.h>

void *memchr(const void *s, int c, size_t n);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
char *strdup(const char *s);
char *strndup(const char *s, size_t max);
char *strstr(const char *haystack, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save);

#endif
