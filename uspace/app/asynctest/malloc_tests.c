/*
 * asynctest: malloc under fibrils on two runner threads: 100 000 random
 * allocations, reallocations and frees of random sizes, with the heap's
 * invariants checked and every block accounted for at the end.
 */
#include "asynctest.h"
#include <fibril.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#define STRESS_FIBRILS 4
#define STRESS_OPS     25000 /* per fibril: 100 000 in all */
#define STRESS_SLOTS   256

typedef struct {
	unsigned seed;
	int broken;
} stress_t;

static unsigned next_random(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/** Mostly small sizes, some up to a few pages, a few big enough for an area
 *  of their own. */
static size_t random_size(unsigned *seed)
{
	unsigned r = next_random(seed);
	switch (r % 16) {
	case 0:
		return 128 * 1024 + r % (64 * 1024);
	case 1:
	case 2:
		return r % 16384;
	default:
		return r % 512;
	}
}

static errno_t stress(void *arg)
{
	stress_t *st = arg;
	unsigned char *slot[STRESS_SLOTS] = {0};
	size_t size[STRESS_SLOTS] = {0};
	for (int op = 0; op < STRESS_OPS; op++) {
		unsigned i = next_random(&st->seed) % STRESS_SLOTS;
		if (slot[i] != NULL) {
			/* The first and last bytes still hold the pattern. */
			if (size[i] > 0 &&
			    (slot[i][0] != (unsigned char) i ||
				slot[i][size[i] - 1] != (unsigned char) i))
				st->broken = 1;
			if (next_random(&st->seed) % 4 == 0) {
				size_t n = random_size(&st->seed);
				unsigned char *p = realloc(slot[i], n);
				if (p == NULL) {
					st->broken = 1;
					continue;
				}
				slot[i] = p;
				size[i] = n;
				memset(p, i, n);
				continue;
			}
			free(slot[i]);
			slot[i] = NULL;
			continue;
		}
		size[i] = random_size(&st->seed);
		slot[i] = malloc(size[i]);
		if (slot[i] == NULL) {
			st->broken = 1;
			continue;
		}
		memset(slot[i], i, size[i]);
		if (op % 64 == 0)
			fibril_yield();
	}
	for (int i = 0; i < STRESS_SLOTS; i++)
		free(slot[i]);
	return EOK;
}

/** 100 000 operations from four fibrils leave the heap consistent, with as
 *  many blocks in use as before. */
static void test_malloc_stress(void)
{
	malloc_stats_t before, after;
	CHECK(malloc_check(&before) == NULL);
	stress_t st[STRESS_FIBRILS];
	fid_t f[STRESS_FIBRILS];
	for (int i = 0; i < STRESS_FIBRILS; i++) {
		st[i] = (stress_t){.seed = 1234u + i * 77u};
		f[i] = fibril_create(stress, &st[i]);
		CHECK(f[i] != NULL);
		fibril_add_ready(f[i]);
	}
	for (int i = 0; i < STRESS_FIBRILS; i++) {
		CHECK_RC(fibril_join(f[i], NULL), EOK);
		CHECK(!st[i].broken);
	}
	const char *broken = malloc_check(&after);
	CHECK(broken == NULL);
	CHECK(after.used_blocks == before.used_blocks);
	CHECK(after.bigs == before.bigs);
}

void malloc_tests(void)
{
	RUN(test_malloc_stress);
}
