/*
 * The error texts (common/src/strerror.c, built for the host with strerror
 * renamed lc_strerror): every code abi/errno.h defines has its own name
 * and "NAME: text", read from the header itself so a code added there
 * without a text fails here.
 */
/* Renamed only in strerror.c: the host's <string.h> keeps its own. */
#undef strerror
#include "host_test.h"
#include <abi/errno.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *str_error(errno_t rc);
const char *lc_strerror(errno_t rc);

/** True when @a message is "@a name: text" with a lower-case text. */
static bool message_of(const char *message, const char *name)
{
	size_t n = strlen(name);
	return strncmp(message, name, n) == 0 && strncmp(message + n, ": ", 2) == 0 &&
	    islower((unsigned char) message[n + 2]);
}

HOST_TEST(strerror_gives_name_and_text)
{
	CHECK(strcmp(lc_strerror(ENOENT), "ENOENT: no such file or directory") == 0);
	CHECK(strcmp(lc_strerror(EISDIR), "EISDIR: is a directory") == 0);
	CHECK(strcmp(str_error(ENOENT), "ENOENT") == 0);
	CHECK(strcmp(str_error(EOK), "EOK") == 0);
}

HOST_TEST(strerror_of_no_code_is_unknown)
{
	CHECK(strcmp(lc_strerror(1), "unknown error") == 0);
	CHECK(strcmp(lc_strerror(ERRNO_MIN - 1), "unknown error") == 0);
	CHECK(strcmp(str_error(ERRNO_MIN - 1), "unknown error") == 0);
}

/** Checks one "#define NAME (-N)" line of abi/errno.h; false if it is one
 *  whose name or text is wrong. */
static bool header_line_ok(const char *line, int *codes)
{
	char name[32];
	int value;
	if (sscanf(line, "#define %31s (%d)", name, &value) != 2 || name[0] != 'E' ||
	    strcmp(name, "ERRNO_MIN") == 0)
		return true;
	(*codes)++;
	return strcmp(str_error(value), name) == 0 &&
	    message_of(lc_strerror(value), name);
}

HOST_TEST(strerror_knows_every_code_of_abi_errno_h)
{
	FILE *f = fopen(ERRNO_HEADER, "r");
	CHECK(f != NULL);
	char line[256];
	int codes = 0;
	bool ok = true;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!header_line_ok(line, &codes)) {
			printf("  wrong text for: %s", line);
			ok = false;
		}
	}
	fclose(f);
	CHECK(ok);
	/* EOK is written without parentheses; the rest are (-1) ... (ERRNO_MIN). */
	CHECK_EQ(codes, -ERRNO_MIN);
	for (errno_t rc = ERRNO_MIN; rc <= EOK; rc++)
		CHECK(message_of(lc_strerror(rc), str_error(rc)));
}
