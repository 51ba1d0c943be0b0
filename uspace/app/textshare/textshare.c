/*
 * textshare: a program with a big read-only table (512 KiB of constants
 * besides its text), for tasktest's tests of program pages shared between
 * tasks (uspace/app/tasktest/sharing.c):
 *   textshare ready   writes its data, reports ready (task_retval 0) and
 *                     sleeps until killed
 *   textshare data    ends with 0 if its data is as the file has it and
 *                     its table is intact
 *   textshare write   writes to its table (read-only, shared): killed by
 *                     the fault
 */
#include <fibril.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <task.h>
#include <getopt.h>

#define USAGE	    "ready|data|write (a test program tasktest starts)"
#define TABLE_WORDS (512 * 1024 / 8)

/* Non-zero where i is a multiple of 512, so it is kept in the file (.rodata). */
#define W8(i)	(i) + 1, 0, 0, 0, 0, 0, 0, 0
#define W64(i)	W8(i), W8(i), W8(i), W8(i), W8(i), W8(i), W8(i), W8(i)
#define W512(i) W64(i), W64(i), W64(i), W64(i), W64(i), W64(i), W64(i), W64(i)
#define W4K(i) \
	W512(i), W512(i + 1), W512(i + 2), W512(i + 3), W512(i + 4), W512(i + 5), \
	    W512(i + 6), W512(i + 7)
#define W32K(i) \
	W4K(i), W4K(i + 8), W4K(i + 16), W4K(i + 24), W4K(i + 32), W4K(i + 40), \
	    W4K(i + 48), W4K(i + 56)
static const uint64_t table[TABLE_WORDS] __attribute__((used)) = {W32K(0), W32K(64)};

/* A global each instance checks and writes (in .data). */
static volatile int data_probe = 0x5eed;

/** Whether the table holds what the file has. */
static bool table_intact(void)
{
	const volatile uint64_t *t = table; /* read, not folded at compile time */
	for (size_t i = 0; i < TABLE_WORDS; i += 8) {
		if (t[i] != (i / 512) + 1)
			return false;
	}
	return true;
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	if (argc != 2 || !table_intact())
		return 1;
	if (strcmp(argv[1], "data") == 0) {
		if (data_probe != 0x5eed)
			return 2;
		data_probe = 1;
		return data_probe == 1 ? 0 : 3;
	}
	if (strcmp(argv[1], "write") == 0) {
		volatile uint64_t *t = (volatile uint64_t *) table;
		t[0] = 0; /* faults: the table is read-only */
		return 4;
	}
	if (strcmp(argv[1], "ready") != 0)
		return 1;
	data_probe = 0x600d;
	if (task_retval(0) != EOK)
		return 1;
	for (;;)
		fibril_sleep(60);
}
