/*
 * Fixed-size bitmap over caller-provided storage. Not synchronised: the owner's
 * lock protects it.
 */
#ifndef COMMON_ADT_BITMAP_H
#define COMMON_ADT_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t *words;
	size_t bits;
} bitmap_t;

#define BITMAP_WORDS(bits) (((bits) + 63) / 64)

/** Binds @a bm to @a words (BITMAP_WORDS(bits) of them) and clears it. */
void bitmap_init(bitmap_t *bm, uint64_t *words, size_t bits);
bool bitmap_test(const bitmap_t *bm, size_t bit);
void bitmap_set(bitmap_t *bm, size_t bit);
void bitmap_clear(bitmap_t *bm, size_t bit);
void bitmap_set_range(bitmap_t *bm, size_t start, size_t count);
void bitmap_clear_range(bitmap_t *bm, size_t start, size_t count);
/** Index of the first clear bit at or after @a from, or bm->bits if none. */
size_t bitmap_find_clear(const bitmap_t *bm, size_t from);
size_t bitmap_count_set(const bitmap_t *bm);

#endif
