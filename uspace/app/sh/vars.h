/*
 * The shell's variables: NAME -> VALUE, each exported (handed to the
 * programs the shell starts) or not. `NAME=V` alone sets a variable,
 * `export NAME[=V]` exports it, `NAME=V cmd` gives cmd the variable for
 * that run only. The shell starts with its environment, exported.
 * No IPC: host-tested.
 *
 * Ownership: the table owns its array and every name and value (heap);
 * vars_environ() returns a new array of new strings, freed with
 * vars_environ_free().
 */
#ifndef SH_VARS_H
#define SH_VARS_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
	char *name;
	char *value;
	bool exported;
} sh_var_t;

typedef struct {
	sh_var_t *vars;
	size_t count;
	size_t room;
} sh_vars_t;

/** Sets @a name (a valid name: parse.h's sh_name_ok) to @a value; with
 *  @a export it becomes exported, else it keeps what it was (a new one is
 *  not). EINVAL for a bad name, ENOMEM. */
errno_t vars_set(sh_vars_t *vars, const char *name, const char *value, bool export);
/** Sets from "NAME=VALUE" (@a assignment) as vars_set() does. */
errno_t vars_assign(sh_vars_t *vars, const char *assignment, bool export);
/** Exports @a name (set to "" if it was not set). */
errno_t vars_export(sh_vars_t *vars, const char *name);
void vars_unset(sh_vars_t *vars, const char *name);
/** The value of @a name, or NULL. */
const char *vars_get(const sh_vars_t *vars, const char *name);
/** The environment for a program: every exported variable, overridden or
 *  extended by @a extra[0..nextra) ("NAME=VALUE"), as NAME=VALUE strings
 *  ending in NULL in *@a envp. ENOMEM. */
errno_t vars_environ(
    const sh_vars_t *vars, char *const extra[], size_t nextra, char ***envp);
void vars_environ_free(char **envp);
/** Frees every variable. */
void vars_clear(sh_vars_t *vars);

#endif
