/*
 * Bitmap operations. Searches skip full 64-bit words at a time.
 */
#include <common/adt/bitmap.h>

void bitmap_init(bitmap_t *bm, uint64_t *words, size_t bits)
{
	bm->words = words;
	bm->bits = bits;
	for (size_t i = 0; i < BITMAP_WORDS(bits); i++)
		words[i] = 0;
}

bool bitmap_test(const bitmap_t *bm, size_t bit)
{
	return (bm->words[bit / 64] >> (bit % 64)) & 1;
}

void bitmap_set(bitmap_t *bm, size_t bit)
{
	bm->words[bit / 64] |= (uint64_t) 1 << (bit % 64);
}

void bitmap_clear(bitmap_t *bm, size_t bit)
{
	bm->words[bit / 64] &= ~((uint64_t) 1 << (bit % 64));
}

void bitmap_set_range(bitmap_t *bm, size_t start, size_t count)
{
	for (size_t i = start; i < start + count; i++)
		bitmap_set(bm, i);
}

void bitmap_clear_range(bitmap_t *bm, size_t start, size_t count)
{
	for (size_t i = start; i < start + count; i++)
		bitmap_clear(bm, i);
}

size_t bitmap_find_clear(const bitmap_t *bm, size_t from)
{
	for (size_t bit = from; bit < bm->bits;) {
		uint64_t word = bm->words[bit / 64] >> (bit % 64);
		if (~word == 0 && bit % 64 == 0) {
			bit += 64;
			continue;
		}
		if (!(word & 1))
			return bit;
		bit++;
	}
	return bm->bits;
}

size_t bitmap_count_set(const bitmap_t *bm)
{
	size_t n = 0;
	for (size_t i = 0; i < bm->bits; i++)
		n += bitmap_test(bm, i);
	return n;
}
