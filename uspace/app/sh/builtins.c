/*
 * The builtins: commands the shell runs itself because they change the
 * shell (cd, exit, export, unset) or need its state (history, jobs). Each
 * writes its output to @a out (-1: the shell's own output) and returns its
 * exit status.
 */
#include "sh.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

static int builtin_cd(sh_t *sh, int argc, char **argv, int out)
{
	const char *home = vars_get(&sh->vars, "HOME");
	const char *dir = argc > 1 ? argv[1] : home != NULL ? home : "/";
	if (chdir(dir) != 0) {
		sh_error(sh, "cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	return 0;
}

static int builtin_pwd(sh_t *sh, int argc, char **argv, int out)
{
	char cwd[VFS_PATH_MAX + 1];
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		sh_error(sh, "pwd: %s", strerror(errno));
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

/** `export [NAME[=VALUE]...]`: exports; without names lists what is. */
static int builtin_export(sh_t *sh, int argc, char **argv, int out)
{
	if (argc == 1) {
		for (size_t i = 0; i < sh->vars.count; i++) {
			const sh_var_t *v = &sh->vars.vars[i];
			if (v->exported)
				sh_printf(sh, out, "export %s=%s\n", v->name, v->value);
		}
		return 0;
	}
	int status = 0;
	for (int i = 1; i < argc; i++) {
		errno_t rc = strchr(argv[i], '=') != NULL
		    ? vars_assign(&sh->vars, argv[i], true)
		    : vars_export(&sh->vars, argv[i]);
		if (rc != EOK) {
			sh_error(sh, "export: %s: %s", argv[i],
			    rc == EINVAL ? "not a valid name" : strerror(rc));
			status = 1;
		}
	}
	return status;
}

static int builtin_unset(sh_t *sh, int argc, char **argv, int out)
{
	for (int i = 1; i < argc; i++)
		vars_unset(&sh->vars, argv[i]);
	return 0;
}

/** Clears the screen: the cursor home, then everything erased. */
static int builtin_clear(sh_t *sh, int argc, char **argv, int out)
{
	sh_write(sh, out, "\x1b[H\x1b[2J", 7);
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
    {"export", builtin_export, "export [N[=V]]  export variables (none: list them)"},
    {"unset", builtin_unset, "unset N...   remove variables"},
    {"jobs", jobs_builtin_jobs, "jobs         the background jobs"},
    {"wait", jobs_builtin_wait, "wait [%N]    wait for background jobs (all)"},
    {"fg", jobs_builtin_fg, "fg [%N]      bring a job to the foreground"},
    {"clear", builtin_clear, "clear        clear the screen (also Ctrl-L)"},
};

#define BUILTIN_COUNT (sizeof(builtins) / sizeof(builtins[0]))

/** Lists the names in SH_APP_DIR on one line each after two blanks. */
static void list_programs(sh_t *sh, int out)
{
	DIR *dir = opendir(SH_APP_DIR);
	if (dir == NULL) {
		sh_error(sh, "help: %s: %s", SH_APP_DIR, strerror(errno));
		return;
	}
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL)
		sh_printf(sh, out, "  %s\n", ent->d_name);
	closedir(dir);
}

/* The syntax `help` lists (docs/shell.md tells it in full). */
static const char help_syntax[] =
    "Syntax:\n"
    "  a ; b     a, then b          a && b   b if a succeeded\n"
    "  a || b    b if a failed      a &      a in the background\n"
    "  a | b     a's output is b's input\n"
    "  < F  > F  >> F  2> F  2>> F  2>&1     redirections\n"
    "  '...' literal, \"...\" with $ expanded, \\c the character c\n"
    "  $NAME ${NAME} $? ~   variables, last status, $HOME\n"
    "  NAME=V    set a variable     NAME=V cmd  cmd gets it in its environment\n"
    "  * ? [a-z] matching file names; # comment\n"
    "  priv cmd  cmd with the shell's permissions (others run with none)\n"
    "Keys: Tab completes; Up/Down history; Home/End (or Ctrl-A/Ctrl-E);\n"
    "  Ctrl-U/Ctrl-W erase to the start/a word; Ctrl-L clears; Ctrl-C cancels\n";

static int builtin_help(sh_t *sh, int argc, char **argv, int out)
{
	sh_printf(sh, out, "Builtins:\n");
	for (size_t i = 0; i < BUILTIN_COUNT; i++)
		sh_printf(sh, out, "  %s\n", builtins[i].summary);
	sh_printf(sh, out, "Programs (in %s; `sh FILE` runs a script):\n", SH_APP_DIR);
	list_programs(sh, out);
	sh_write(sh, out, help_syntax, sizeof(help_syntax) - 1);
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
