/*
 * Word scans shared by the kernel and libc (the slab's poison check, a
 * memory object's page slots, mem_is_zero): the architecture's block scan
 * where common/arch/mem.h has one (one step per word), else a loop.
 */
#ifndef COMMON_MEM_SCAN_H
#define COMMON_MEM_SCAN_H

#include <common/arch/mem.h>
#include <stddef.h>
#include <stdint.h>

/** How many of the @a n words at @a w equal @a v before the first that
 *  does not (n if all do). */
static inline size_t mem_words_equal(const uint64_t *w, uint64_t v, size_t n)
{
#ifdef ARCH_MEM_WORDS_EQUAL
	return arch_mem_words_equal(w, v, n);
#else
	size_t i = 0;
	while (i < n && w[i] == v)
		i++;
	return i;
#endif
}

#endif
