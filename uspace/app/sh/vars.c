/*
 * The shell's variables (see vars.h): an unsorted array, searched by name.
 */
#include "vars.h"
#include "parse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sh_var_t *vars_find(const sh_vars_t *vars, const char *name, size_t len)
{
	for (size_t i = 0; i < vars->count; i++) {
		if (strncmp(vars->vars[i].name, name, len) == 0 &&
		    vars->vars[i].name[len] == '\0')
			return &vars->vars[i];
	}
	return NULL;
}

static char *copy_n(const char *s, size_t n)
{
	char *c = malloc(n + 1);
	if (c != NULL) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

/** Sets the variable named by @a len bytes of @a name. */
static errno_t vars_set_n(
    sh_vars_t *vars, const char *name, size_t len, const char *value, bool export)
{
	if (!sh_name_ok(name, len))
		return EINVAL;
	char *v = copy_n(value, strlen(value));
	if (v == NULL)
		return ENOMEM;
	sh_var_t *var = vars_find(vars, name, len);
	if (var == NULL) {
		if (vars->count == vars->room) {
			size_t room = vars->room == 0 ? 16 : vars->room * 2;
			sh_var_t *bigger = realloc(vars->vars, room * sizeof(sh_var_t));
			if (bigger == NULL) {
				free(v);
				return ENOMEM;
			}
			vars->vars = bigger;
			vars->room = room;
		}
		char *n = copy_n(name, len);
		if (n == NULL) {
			free(v);
			return ENOMEM;
		}
		var = &vars->vars[vars->count++];
		*var = (sh_var_t){n, NULL, false};
	}
	free(var->value);
	var->value = v;
	var->exported = var->exported || export;
	return EOK;
}

errno_t vars_set(sh_vars_t *vars, const char *name, const char *value, bool export)
{
	return vars_set_n(vars, name, strlen(name), value, export);
}

errno_t vars_assign(sh_vars_t *vars, const char *assignment, bool export)
{
	const char *eq = strchr(assignment, '=');
	if (eq == NULL)
		return EINVAL;
	return vars_set_n(vars, assignment, (size_t) (eq - assignment), eq + 1, export);
}

errno_t vars_export(sh_vars_t *vars, const char *name)
{
	const char *value = vars_get(vars, name);
	return vars_set(vars, name, value != NULL ? value : "", true);
}

void vars_unset(sh_vars_t *vars, const char *name)
{
	sh_var_t *var = vars_find(vars, name, strlen(name));
	if (var == NULL)
		return;
	free(var->name);
	free(var->value);
	*var = vars->vars[--vars->count];
}

const char *vars_get(const sh_vars_t *vars, const char *name)
{
	sh_var_t *var = vars_find(vars, name, strlen(name));
	return var != NULL ? var->value : NULL;
}

/** Whether an entry of @a extra sets @a name. */
static bool extra_sets(char *const extra[], size_t nextra, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < nextra; i++) {
		if (strncmp(extra[i], name, len) == 0 && extra[i][len] == '=')
			return true;
	}
	return false;
}

errno_t vars_environ(
    const sh_vars_t *vars, char *const extra[], size_t nextra, char ***envp)
{
	char **env = calloc(vars->count + nextra + 1, sizeof(char *));
	if (env == NULL)
		return ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < vars->count; i++) {
		const sh_var_t *v = &vars->vars[i];
		if (!v->exported || extra_sets(extra, nextra, v->name))
			continue;
		size_t size = strlen(v->name) + strlen(v->value) + 2;
		env[n] = malloc(size);
		if (env[n] == NULL) {
			vars_environ_free(env);
			return ENOMEM;
		}
		snprintf(env[n++], size, "%s=%s", v->name, v->value);
	}
	for (size_t i = 0; i < nextra; i++) {
		env[n] = copy_n(extra[i], strlen(extra[i]));
		if (env[n++] == NULL) {
			vars_environ_free(env);
			return ENOMEM;
		}
	}
	*envp = env;
	return EOK;
}

void vars_environ_free(char **envp)
{
	for (size_t i = 0; envp[i] != NULL; i++)
		free(envp[i]);
	free(envp);
}

void vars_clear(sh_vars_t *vars)
{
	for (size_t i = 0; i < vars->count; i++) {
		free(vars->vars[i].name);
		free(vars->vars[i].value);
	}
	free(vars->vars);
	*vars = (sh_vars_t){NULL, 0, 0};
}
