/*
 * hello: the first user program. Prints its arguments, exercises malloc,
 * realloc, free and printf a little, and exits with 0 when all went well.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <getopt.h>

#define USAGE "[WORD...] (greets, then checks the heap)"

#define BLOCKS 48
/* One block above libc's 128 KiB threshold for an area of its own; the
 * others, up to 2.2 KiB, come from the heap's regions. Kept small: init
 * waits for hello at every boot (it cost 3.8 M instructions of the boot
 * with blocks up to 51 KiB and a 300 KiB one, 1.0 M with blocks up to
 * 12 KiB and every word of the big block written and read). */
#define BIG_BLOCK (132 * 1024)

/*
 * Each block is filled with a pattern of its own (malloc returns blocks
 * aligned for any type): every word of a small block, the first, middle
 * and last word of the big one (each page touched is a page fault). The blocks' address ranges are checked to
 * be disjoint; the patterns check that each block keeps what was written
 * (through realloc too).
 */
static uint64_t pattern(unsigned seed, size_t i)
{
	return ((uint64_t) seed << 32 | i) * 0x9e3779b97f4a7c15ull;
}

/** The step between the words of a block of @a n bytes that carry its
 *  pattern. */
static size_t word_step(size_t n)
{
	return n >= BIG_BLOCK ? n / 16 : 1;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	uint64_t *w = (uint64_t *) p;
	size_t words = n / 8;
	for (size_t i = 0; i < words; i += word_step(n))
		w[i] = pattern(seed, i);
	if (words > 0)
		w[words - 1] = pattern(seed, words - 1);
	for (size_t i = n & ~(size_t) 7; i < n; i++)
		p[i] = (unsigned char) pattern(seed, i);
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
	const uint64_t *w = (const uint64_t *) p;
	size_t words = n / 8;
	for (size_t i = 0; i < words; i += word_step(n)) {
		if (w[i] != pattern(seed, i))
			return 0;
	}
	if (words > 0 && w[words - 1] != pattern(seed, words - 1))
		return 0;
	for (size_t i = n & ~(size_t) 7; i < n; i++) {
		if (p[i] != (unsigned char) pattern(seed, i))
			return 0;
	}
	return 1;
}

/** Whether no two of the @a count blocks (@a blocks, @a sizes) share a
 *  byte. */
static int disjoint(unsigned char *const *blocks, const size_t *sizes, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		for (unsigned j = i + 1; j < count; j++) {
			if (blocks[i] < blocks[j] + sizes[j] &&
			    blocks[j] < blocks[i] + sizes[i])
				return 0;
		}
	}
	return 1;
}

/** Allocates blocks of many sizes (one of them big enough for an area of its
 *  own), grows some with realloc, and checks that no two overlap and each
 *  kept its contents. */
static int exercise_heap(void)
{
	unsigned char *blocks[BLOCKS];
	size_t sizes[BLOCKS]; /* the bytes filled */
	size_t held[BLOCKS];  /* the bytes held, sizes[i] or twice that */
	for (unsigned i = 0; i < BLOCKS; i++) {
		sizes[i] = i == BLOCKS / 2 ? BIG_BLOCK : 1 + i * i;
		blocks[i] = malloc(sizes[i]);
		if (blocks[i] == NULL)
			return 0;
		held[i] = sizes[i];
		fill(blocks[i], sizes[i], i);
	}
	for (unsigned i = 0; i < BLOCKS; i += 3) {
		unsigned char *grown = realloc(blocks[i], sizes[i] * 2);
		if (grown == NULL)
			return 0;
		blocks[i] = grown;
		held[i] = sizes[i] * 2;
	}
	int ok = disjoint(blocks, held, BLOCKS);
	for (unsigned i = 0; i < BLOCKS; i++) {
		ok &= intact(blocks[i], sizes[i], i);
		free(blocks[i]);
	}
	char *copy = strdup("a string on the heap");
	ok &= copy != NULL && strcmp(copy, "a string on the heap") == 0;
	free(copy);
	return ok;
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	printf("Hello from userspace: argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	if (!exercise_heap()) {
		fprintf(stderr, "hello: the heap check failed\n");
		return 1;
	}
	printf("hello: task %llu, malloc/realloc/free OK\n",
	    (unsigned long long) task_get_id());
	return 0;
}
