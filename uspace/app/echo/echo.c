/*
 * echo: prints its words separated by spaces and, unless -n, a newline.
 */
#include <getopt.h>
#include <stdio.h>

#define USAGE "[-n] WORDS..."

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	bool newline = true;
	int opt;
	while ((opt = getopt(argc, argv, "n")) != -1) {
		if (opt != 'n')
			return CMD_EXIT_USAGE;
		newline = false;
	}
	for (int i = optind; i < argc; i++)
		printf(i > optind ? " %s" : "%s", argv[i]);
	if (newline)
		putchar('\n');
	return fflush(stdout) == 0 ? CMD_EXIT_OK : CMD_EXIT_ERROR;
}
