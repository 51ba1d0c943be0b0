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

#define BLOCKS 64
/* One block above libc's 128 KiB threshold for an area of its own; the
 * others, up to 12 KiB, come from the heap's regions. Kept small: init
 * waits for hello at every boot (it cost 3.8 M instructions of the boot
 * with blocks up to 51 KiB and a 300 KiB one). */
#define BIG_BLOCK (160 * 1024)

/*
 * Each block is filled with a pattern of its own, a word at a time (malloc
 * returns blocks aligned for any type), so that a block overlapping another
 * shows up as a wrong word in one of them.
 */
static uint64_t pattern(unsigned seed, size_t i)
{
	return ((uint64_t) seed << 32 | i) * 0x9e3779b97f4a7c15ull;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	uint64_t *w = (uint64_t *) p;
	for (size_t i = 0; i < n / 8; i++)
		w[i] = pattern(seed, i);
	for (size_t i = n & ~(size_t) 7; i < n; i++)
		p[i] = (unsigned char) pattern(seed, i);
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
	const uint64_t *w = (const uint64_t *) p;
	for (size_t i = 0; i < n / 8; i++) {
		if (w[i] != pattern(seed, i))
			return 0;
	}
	for (size_t i = n & ~(size_t) 7; i < n; i++) {
		if (p[i] != (unsigned char) pattern(seed, i))
			return 0;
	}
	return 1;
}

/** Allocates blocks of many sizes (one of them big enough for an area of its
 *  own), grows some with realloc, and checks that no two overlap. */
static int exercise_heap(void)
{
	unsigned char *blocks[BLOCKS];
	size_t sizes[BLOCKS];
	for (unsigned i = 0; i < BLOCKS; i++) {
		sizes[i] = i == BLOCKS / 2 ? BIG_BLOCK : 1 + i * i * 3;
		blocks[i] = malloc(sizes[i]);
		if (blocks[i] == NULL)
			return 0;
		fill(blocks[i], sizes[i], i);
	}
	for (unsigned i = 0; i < BLOCKS; i += 3) {
		unsigned char *grown = realloc(blocks[i], sizes[i] * 2);
		if (grown == NULL)
			return 0;
		blocks[i] = grown;
	}
	int ok = 1;
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
