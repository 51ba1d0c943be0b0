/*
 * The builtins: commands the shell runs itself because they change the
 * shell (cd, exit) or need its state (history). Each writes its output to
 * @a out (-1: the shell's own output) and returns its exit status.
 */
#include "sh.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

static int builtin_cd(sh_t *sh, int argc, char **argv, int out)
{
	const char *dir = argc > 1 ? argv[1] : "/";
	if (chdir(dir) != 0) {
		sh_error(sh, "cd: %s: %s", dir, str_error(errno));
		return 1;
	}
	return 0;
}

static int builtin_pwd(sh_t *sh, int argc, char **argv, int out)
{
	char cwd[VFS_PATH_MAX + 1];
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		sh_error(sh, "pwd: %s", str_error(errno));
		return 1;
	}
	sh_printf(sh, out, "%s\n", cwd);
	return 0;
}

/** `exit [N]`: ends the shell with N (default: the last $?). */
static int builtin_exit(sh_t *sh, int argc, char **argv, int out)
{
	sh->quit = true;
	if (argc < 2)
		return sh->status;
	char *end;
	long n = strtol(argv[1], &end, 10);
	if (*end != '\0' || end == argv[1]) {
		sh_error(sh, "exit: %s: not a number", argv[1]);
		return SH_STATUS_SYNTAX;
	}
	return (int) n;
}

static int builtin_history(sh_t *sh, int argc, char **argv, int out)
{
	const sh_history_t *hist = &sh->history;
	for (size_t n = history_first(hist); n <= hist->added; n++)
		sh_printf(sh, out, "%5zu  %s\n", n, history_get(hist, n));
	return 0;
}

static int builtin_help(sh_t *sh, int argc, char **argv, int out);

typedef struct {
	const char *name;
	sh_builtin_fn_t fn;
	const char *summary;
} sh_builtin_t;

static const sh_builtin_t builtins[] = {
    {"cd", builtin_cd, "cd [DIR]     change the working directory (default /)"},
    {"pwd", builtin_pwd, "pwd          print the working directory"},
    {"exit", builtin_exit, "exit [N]     leave the shell with status N"},
    {"help", builtin_help, "help         this list"},
    {"history", builtin_history, "history      the lines typed, numbered"},
};

#define BUILTIN_COUNT (sizeof(builtins) / sizeof(builtins[0]))

/** Lists the names in SH_APP_DIR on one line each after two blanks. */
static void list_programs(sh_t *sh, int out)
{
	DIR *dir = opendir(SH_APP_DIR);
	if (dir == NULL) {
		sh_error(sh, "help: %s: %s", SH_APP_DIR, str_error(errno));
		return;
	}
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL)
		sh_printf(sh, out, "  %s\n", ent->d_name);
	closedir(dir);
}

static int builtin_help(sh_t *sh, int argc, char **argv, int out)
{
	sh_printf(sh, out, "Builtins:\n");
	for (size_t i = 0; i < BUILTIN_COUNT; i++)
		sh_printf(sh, out, "  %s\n", builtins[i].summary);
	sh_printf(sh, out, "Programs (in %s; `sh FILE` runs a script):\n", SH_APP_DIR);
	list_programs(sh, out);
	sh_printf(sh, out,
	    "Quoting: '...' \"...\" \\c; $? is the last status; "
	    "redirection: > >> <\n");
	return 0;
}

sh_builtin_fn_t builtin_find(const char *name)
{
	for (size_t i = 0; i < BUILTIN_COUNT; i++) {
		if (strcmp(builtins[i].name, name) == 0)
			return builtins[i].fn;
	}
	return NULL;
}

const char *builtin_name(size_t i)
{
	return i < BUILTIN_COUNT ? builtins[i].name : NULL;
}
