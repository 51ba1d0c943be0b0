/*
 * env: prints the environment this program was started with (NAME=VALUE,
 * one a line), or with NAME arguments the value of each (exit status 1 if
 * one is not set). The shell hands on its exported variables, so this shows
 * what every program gets.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define USAGE "[NAME...]"

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	int status = CMD_EXIT_OK;
	if (optind == argc) {
		for (char **e = environ; *e != NULL; e++)
			puts(*e);
	}
	for (int i = optind; i < argc; i++) {
		const char *value = getenv(argv[i]);
		if (value != NULL)
			puts(value);
		else
			status = CMD_EXIT_ERROR;
	}
	return fflush(stdout) == 0 ? status : CMD_EXIT_ERROR;
}
