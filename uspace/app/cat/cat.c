/*
 * cat: copies files (or stdin when none is named; "-" names it too) to
 * stdout in order.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define USAGE "[FILE...]"

static const char *prog;

/** Copies @a in to stdout; EIO if reading or writing failed. */
static errno_t copy_stream(FILE *in)
{
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (fwrite(buf, 1, n, stdout) != n)
			return EIO;
	}
	return ferror(in) ? EIO : EOK;
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
