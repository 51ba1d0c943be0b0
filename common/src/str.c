/*
 * Memory and string primitives. Simple byte loops except memcpy/memset,
 * which use the architecture's block copy and fill (common/arch/mem.h) where
 * it has them, else portable loops.
 */
#include <common/str.h>
#include <common/arch/mem.h>
#include <common/mem_scan.h>
#include <stdint.h>

#ifndef ARCH_MEM_COPY
/* Portable forms: bytes until @a dst is word-aligned, then words when @a src
 * is aligned too, then bytes. */
static void arch_mem_copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n > 0 && ((uintptr_t) d % sizeof(uintptr_t)) != 0) {
		*d++ = *s++;
		n--;
	}
	if (((uintptr_t) s % sizeof(uintptr_t)) == 0) {
		for (; n >= sizeof(uintptr_t); n -= sizeof(uintptr_t)) {
			*(uintptr_t *) (void *) d = *(const uintptr_t *) (const void *) s;
			d += sizeof(uintptr_t);
			s += sizeof(uintptr_t);
		}
	}
	while (n-- > 0)
		*d++ = *s++;
}

static void arch_mem_fill(void *dst, uint8_t c, size_t n)
{
	unsigned char *d = dst;
	while (n-- > 0)
		*d++ = c;
}
#endif

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	arch_mem_copy(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	arch_mem_fill(dst, (uint8_t) c, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n-- > 0)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

bool mem_is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t odd = 0;
	for (; n > 0 && ((uintptr_t) b % 8) != 0; n--)
		odd |= *b++;
	size_t words = n / 8;
	bool zero = mem_words_equal((const uint64_t *) b, 0, words) == words;
	for (b += words * 8, n %= 8; n > 0; n--)
		odd |= *b++;
	return odd == 0 && zero;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0')
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char) *a - (unsigned char) *b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || a[i] == '\0')
			return (unsigned char) a[i] - (unsigned char) b[i];
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char) c)
			return (char *) s;
		if (*s == '\0')
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char) c)
			last = s;
		if (*s == '\0')
			return (char *) last;
	}
}

size_t str_lcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

int str_starts(const char *s, const char *prefix)
{
	while (*prefix != '\0') {
		if (*s++ != *prefix++)
			return 0;
	}
	return 1;
}
