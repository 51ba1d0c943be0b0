/*
 * amd64 block copy and fill for common/src/str.c (kernel and user space):
 * the string instructions, fast on every x86 since Ivy Bridge (ERMSB).
 * Quadwords first, then the tail: fast on hardware for every size, and a rep
 * step is one instruction each (which is how QEMU -icount counts).
 * An architecture without this header's ARCH_MEM_COPY gets str.c's portable
 * loops; one without ARCH_MEM_WORDS_EQUAL the kernel slab's portable loop
 * (and its users' own for arch_mem_equal_quads).
 */
#ifndef COMMON_ARCH_MEM_H
#define COMMON_ARCH_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARCH_MEM_COPY 1

/** Copies @a n bytes; the areas do not overlap. */
static inline void arch_mem_copy(void *dst, const void *src, size_t n)
{
	size_t quads = n / 8, tail = n % 8;
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(quads) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(tail) : : "memory");
}

/** Sets @a n bytes to @a c. */
static inline void arch_mem_fill(void *dst, uint8_t c, size_t n)
{
	uint64_t pattern = c * 0x0101010101010101ull;
	size_t quads = n / 8, tail = n % 8;
	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(quads) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(tail) : "a"(pattern) : "memory");
}

#define ARCH_MEM_WORDS_EQUAL 1

/** How many of the @a n words at @a w equal @a v before the first that does
 *  not (n if all do): one `repe scasq` (one step per word, so a 1 KiB object
 *  costs ~130 instructions, not ~650 as a loop). */
static inline size_t arch_mem_words_equal(const uint64_t *w, uint64_t v, size_t n)
{
	if (n == 0)
		return 0;
	size_t left = n;
	_Bool equal;
	__asm__("cld; repe scasq"
		: "+D"(w), "+c"(left), "=@ccz"(equal)
		: "a"(v)
		: "memory");
	return equal ? n : n - left - 1;
}

/** Whether the @a quads 8-byte words at @a a and @a b are all equal (a
 *  rep step per word: what QEMU -icount counts). */
static inline bool arch_mem_equal_quads(const void *a, const void *b, size_t quads)
{
	if (quads == 0)
		return true;
	bool equal;
	__asm__ volatile("repe cmpsq"
			 : "+S"(a), "+D"(b), "+c"(quads), "=@ccz"(equal)
			 :
			 : "memory");
	return equal;
}

#endif
