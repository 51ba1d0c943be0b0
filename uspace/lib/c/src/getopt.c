/*
 * getopt() and the command-line conventions of the core programs (see
 * getopt.h). The scan state is getopt's globals plus the position inside a
 * cluster of flags ("-lr"); a program parses one command line, once.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <task.h>

char *optarg;
int optind = 1;
int opterr = 1;
int optopt;

/* Position in argv[optind] of the next flag of a cluster; 0: a new word. */
static int cluster_pos;
/* The usage line cmd_help() was given, printed after a bad option. */
static const char *usage_text;

const char *cmd_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

/** Prints the usage line cmd_help() was given, if any, to stderr. */
static void print_usage(const char *argv0)
{
	if (usage_text != NULL)
		fprintf(stderr, "usage: %s %s\n", cmd_name(argv0), usage_text);
}

/** True when argv[optind] does not start options: the end, an operand, a
 *  lone "-", or "--" (which is consumed). */
static bool options_end(int argc, char *const argv[])
{
	if (optind >= argc)
		return true;
	const char *arg = argv[optind];
	if (arg[0] != '-' || arg[1] == '\0')
		return true;
	if (strcmp(arg, "--") == 0) {
		optind++;
		return true;
	}
	return false;
}

/** Moves past the flag just read at cluster_pos in argv[optind]. */
static void advance(char *const argv[])
{
	if (argv[optind][++cluster_pos] == '\0') {
		optind++;
		cluster_pos = 0;
	}
}

/** Takes the argument of an option: the rest of its word or the next one. */
static int take_argument(int argc, char *const argv[], char opt)
{
	const char *rest = &argv[optind][cluster_pos + 1];
	optind++;
	cluster_pos = 0;
	if (*rest != '\0') {
		optarg = (char *) rest;
		return opt;
	}
	if (optind >= argc) {
		optopt = opt;
		if (opterr) {
			fprintf(stderr, "%s: option -%c needs an argument\n",
			    cmd_name(argv[0]), opt);
			print_usage(argv[0]);
		}
		return '?';
	}
	optarg = argv[optind++];
	return opt;
}

/** A word "--name" (getopt knows no long options): refused whole, as '?'. */
static int long_option(char *const argv[])
{
	const char *word = argv[optind++];
	cluster_pos = 0;
	optopt = '-';
	if (opterr) {
		fprintf(stderr, "%s: unknown option %s\n", cmd_name(argv[0]), word);
		print_usage(argv[0]);
	}
	return '?';
}

int getopt(int argc, char *const argv[], const char *optstring)
{
	optarg = NULL;
	if (cluster_pos == 0) {
		if (options_end(argc, argv))
			return -1;
		cluster_pos = 1;
	}
	if (cluster_pos == 1 && argv[optind][1] == '-')
		return long_option(argv);
	char opt = argv[optind][cluster_pos];
	const char *spec = opt != ':' ? strchr(optstring, opt) : NULL;
	if (spec == NULL) {
		optopt = opt;
		advance(argv);
		if (opterr) {
			fprintf(
			    stderr, "%s: unknown option -%c\n", cmd_name(argv[0]), opt);
			print_usage(argv[0]);
		}
		return '?';
	}
	if (spec[1] == ':')
		return take_argument(argc, argv, opt);
	advance(argv);
	return opt;
}

bool cmd_help(int argc, char *const argv[], const char *usage)
{
	usage_text = usage;
	if (argc < 2 || strcmp(argv[1], "--help") != 0)
		return false;
	printf("usage: %s %s\n", cmd_name(argv[0]), usage);
	return true;
}

int cmd_usage_error(const char *argv0, const char *usage)
{
	fprintf(stderr, "usage: %s %s\n", cmd_name(argv0), usage);
	return CMD_EXIT_USAGE;
}

int cmd_error(const char *argv0, const char *what, errno_t rc)
{
	fprintf(stderr, "%s: %s: %s\n", cmd_name(argv0), what, strerror(rc));
	return CMD_EXIT_ERROR;
}

int cmd_each(
    int argc, char *argv[], const char *usage, errno_t (*op)(const char *operand))
{
	if (cmd_help(argc, argv, usage))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE;
	if (optind == argc)
		return cmd_usage_error(argv[0], usage);
	int status = CMD_EXIT_OK;
	for (int i = optind; i < argc; i++) {
		errno_t rc = op(argv[i]);
		if (rc != EOK)
			status = cmd_error(argv[0], argv[i], rc);
	}
	return status;
}

bool cmd_no_operands(int argc, char *argv[], const char *usage, int *status)
{
	*status = CMD_EXIT_OK;
	if (cmd_help(argc, argv, usage))
		return true;
	if (getopt(argc, argv, "") != -1) {
		*status = CMD_EXIT_USAGE;
		return true;
	}
	if (optind != argc) {
		*status = cmd_usage_error(argv[0], usage);
		return true;
	}
	return false;
}

int cmd_fail(const char *argv0, const char *what, errno_t rc)
{
	if (rc != EPERM)
		return cmd_error(argv0, what, rc);
	/* Holding nothing, it was most likely typed at the prompt without the
	 * shell's prefix that passes its permissions on. */
	if (perm_get() == 0)
		fprintf(stderr,
		    "%s: not permitted; `priv %s` runs it with the shell's permissions\n",
		    cmd_name(argv0), cmd_name(argv0));
	else
		fprintf(stderr, "%s: not permitted\n", cmd_name(argv0));
	return CMD_EXIT_ERROR;
}

/** True when @a word is one of the NULL-terminated @a words. */
static bool word_listed(const char *word, const char *const words[])
{
	for (; words != NULL && *words != NULL; words++) {
		if (strcmp(word, *words) == 0)
			return true;
	}
	return false;
}

bool cmd_check_words(int argc, char *const argv[], const char *usage,
    const char *const words[], int *status)
{
	*status = CMD_EXIT_OK;
	if (cmd_help(argc, argv, usage))
		return true;
	if (argc < 2 || argv[1][0] != '-' || word_listed(argv[1], words))
		return false;
	fprintf(stderr, "%s: unknown option %s\n", cmd_name(argv[0]), argv[1]);
	*status = cmd_usage_error(argv[0], usage);
	return true;
}
