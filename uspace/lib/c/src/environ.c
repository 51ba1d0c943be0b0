/*
 * The environment (stdlib.h's getenv, setenv, unsetenv; unistd.h's
 * environ): strings NAME=VALUE the program got from its parent through the
 * loader (envp on the initial stack) and hands on to the programs it spawns
 * (task_spawn.c sends environ).
 *
 * Ownership: environ is a heap array ending in NULL, and every string in it
 * is a heap copy owned by the array; setenv() and unsetenv() free what they
 * replace or remove. Not locked: like POSIX's, these calls must not race
 * with each other (a program changes its environment from one fibril).
 * No IPC: host-tested (uspace/lib/c/test/host/env_test.c).
 */
#include "private/libc.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static char *empty_environ[1] = {NULL};
char **environ = empty_environ;
/* Entries of environ, and room in it (0: environ is empty_environ). */
static size_t env_count;
static size_t env_room;

/** Whether @a name is a valid variable name: not empty, no '='. */
static bool env_name_ok(const char *name)
{
	return name != NULL && name[0] != '\0' && strchr(name, '=') == NULL;
}

/** The index of variable @a name (of @a len bytes) in environ, or
 *  env_count if it is not set. */
static size_t env_find(const char *name, size_t len)
{
	size_t i = 0;
	for (; i < env_count; i++) {
		if (strncmp(environ[i], name, len) == 0 && environ[i][len] == '=')
			break;
	}
	return i;
}

/** Makes room for one more entry; ENOMEM if there is none. */
static int env_grow(void)
{
	if (env_count + 1 < env_room)
		return 0;
	size_t room = env_room == 0 ? 16 : env_room * 2;
	char **bigger = env_room == 0 ? malloc(room * sizeof(char *))
				      : realloc(environ, room * sizeof(char *));
	if (bigger == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (env_room == 0)
		bigger[0] = NULL;
	environ = bigger;
	env_room = room;
	return 0;
}

/** Puts @a entry (heap, NAME=VALUE, its name @a len bytes) in environ,
 *  replacing the variable's old entry; takes @a entry. */
static int env_put(char *entry, size_t len)
{
	size_t i = env_find(entry, len);
	if (i < env_count) {
		free(environ[i]);
		environ[i] = entry;
		return 0;
	}
	if (env_grow() != 0) {
		free(entry);
		return -1;
	}
	environ[env_count++] = entry;
	environ[env_count] = NULL;
	return 0;
}

char *getenv(const char *name)
{
	if (!env_name_ok(name))
		return NULL;
	size_t len = strlen(name);
	size_t i = env_find(name, len);
	return i < env_count ? environ[i] + len + 1 : NULL;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (!env_name_ok(name) || value == NULL) {
		errno = EINVAL;
		return -1;
	}
	size_t len = strlen(name);
	if (!overwrite && env_find(name, len) < env_count)
		return 0;
	size_t vlen = strlen(value);
	char *entry = malloc(len + vlen + 2);
	if (entry == NULL) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(entry, name, len);
	entry[len] = '=';
	memcpy(entry + len + 1, value, vlen + 1);
	return env_put(entry, len);
}

int unsetenv(const char *name)
{
	if (!env_name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	size_t i = env_find(name, strlen(name));
	if (i == env_count)
		return 0;
	free(environ[i]);
	memmove(&environ[i], &environ[i + 1], (env_count - i) * sizeof(char *));
	env_count--;
	return 0;
}

void __environ_init(char *const envp[])
{
	for (size_t i = 0; envp[i] != NULL; i++) {
		const char *eq = strchr(envp[i], '=');
		char *entry = eq != NULL && eq != envp[i] ? strdup(envp[i]) : NULL;
		/* Out of memory this early: the program runs with less. */
		if (entry != NULL)
			(void) env_put(entry, (size_t) (eq - envp[i]));
	}
}
