/*
 * cat: copies files (or stdin when none is named; "-" names it too) to
 * stdout in order.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define USAGE "[FILE...]"

static const char *prog;

/** The next piece of @a in: what one read of its descriptor gives (a
 *  terminal gives a line as soon as it is typed), or for a stream without
 *  one a full buffer. A failed read leaves its cause in *@a rc. */
static size_t read_piece(FILE *in, char *buf, size_t size, errno_t *rc)
{
	int fd = fileno(in);
	if (fd < 0) {
		size_t n = fread(buf, 1, size, in);
		if (ferror(in))
			*rc = EIO;
		return n;
	}
	ssize_t n = read(fd, buf, size);
	if (n < 0)
		*rc = errno;
	return n > 0 ? (size_t) n : 0;
}

/** Copies @a in to stdout as it comes; the cause if reading (EISDIR for a
 *  directory, ...) or writing failed. */
static errno_t copy_stream(FILE *in)
{
	char buf[4096];
	size_t n;
	errno_t rc = EOK;
	while ((n = read_piece(in, buf, sizeof(buf), &rc)) > 0) {
		if (fwrite(buf, 1, n, stdout) != n || fflush(stdout) != 0)
			return EIO;
	}
	return rc;
}

static int cat_file(const char *path)
{
	if (strcmp(path, "-") == 0) {
		errno_t rc = copy_stream(stdin);
		return rc == EOK ? CMD_EXIT_OK : cmd_error(prog, "stdin", rc);
	}
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return cmd_error(prog, path, errno);
	errno_t rc = copy_stream(f);
	fclose(f);
	return rc == EOK ? CMD_EXIT_OK : cmd_error(prog, path, rc);
}

int main(int argc, char *argv[])
{
	prog = argv[0];
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	if (optind == argc)
		return cat_file("-");
	int status = CMD_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		if (cat_file(argv[i]) != CMD_EXIT_OK)
			status = CMD_EXIT_ERROR;
	}
	return status;
}
