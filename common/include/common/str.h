/*
 * Memory and string primitives shared by the kernel and libc (standard names
 * and semantics). str_* are our own additions.
 */
#ifndef COMMON_STR_H
#define COMMON_STR_H

#include <stdbool.h>
#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
/** Whether all @a n bytes at @a p are zero (a word at a time once aligned;
 *  our own addition). */
bool mem_is_zero(const void *p, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/** Copies at most @a size - 1 bytes and always terminates; returns strlen(src). */
size_t str_lcpy(char *dst, const char *src, size_t size);

/** Whether @a s begins with @a prefix. */
int str_starts(const char *s, const char *prefix);

#endif
