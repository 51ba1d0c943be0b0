/*
 * libc's environment (src/environ.c, built for the host under lc_* names):
 * what a program starts with, setenv's overwrite rule, unsetenv, and the
 * names refused.
 */
#include "host_test.h"
#include <errno.h>
#include <stddef.h>
#include <string.h>

extern char **lc_environ;
char *lc_getenv(const char *name);
int lc_setenv(const char *name, const char *value, int overwrite);
int lc_unsetenv(const char *name);
void __environ_init(char *const envp[]);

static size_t env_len(void)
{
	size_t n = 0;
	while (lc_environ[n] != NULL)
		n++;
	return n;
}

HOST_TEST(start_copies_the_environment)
{
	char *envp[] = {"HOME=/", "PATH=/app:/bin", "BAD", "=x", NULL};
	__environ_init(envp);
	CHECK(lc_getenv("HOME") != NULL && strcmp(lc_getenv("HOME"), "/") == 0);
	CHECK(strcmp(lc_getenv("PATH"), "/app:/bin") == 0);
	CHECK(lc_getenv("BAD") == NULL);
	CHECK(lc_getenv("HOM") == NULL && lc_getenv("HOMEX") == NULL);
	CHECK_EQ(env_len(), 2);
	CHECK(lc_environ[0] != envp[0]); /* a copy, owned by environ */
}

HOST_TEST(setenv_adds_replaces_and_keeps)
{
	CHECK_EQ(lc_setenv("A", "1", 0), 0);
	CHECK(strcmp(lc_getenv("A"), "1") == 0);
	CHECK_EQ(lc_setenv("A", "2", 0), 0);
	CHECK(strcmp(lc_getenv("A"), "1") == 0);
	CHECK_EQ(lc_setenv("A", "", 1), 0);
	CHECK(strcmp(lc_getenv("A"), "") == 0);
	for (int i = 0; i < 100; i++) { /* grows past its first room */
		char name[16];
		snprintf(name, sizeof(name), "V%d", i);
		CHECK_EQ(lc_setenv(name, name, 1), 0);
	}
	CHECK(strcmp(lc_getenv("V99"), "V99") == 0);
	CHECK(lc_environ[env_len()] == NULL);
}

HOST_TEST(unsetenv_removes_only_that_one)
{
	CHECK_EQ(lc_setenv("X1", "a", 1), 0);
	CHECK_EQ(lc_setenv("X2", "b", 1), 0);
	size_t before = env_len();
	CHECK_EQ(lc_unsetenv("X1"), 0);
	CHECK(lc_getenv("X1") == NULL);
	CHECK(strcmp(lc_getenv("X2"), "b") == 0);
	CHECK_EQ(env_len(), before - 1);
	CHECK_EQ(lc_unsetenv("X1"), 0); /* not set: still fine */
	CHECK_EQ(env_len(), before - 1);
}

HOST_TEST(bad_names_are_refused)
{
	errno = 0;
	CHECK_EQ(lc_setenv("", "v", 1), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(lc_setenv("A=B", "v", 1), -1);
	CHECK_EQ(lc_unsetenv("A=B"), -1);
	CHECK(lc_getenv("") == NULL);
	CHECK(lc_getenv("A=") == NULL);
}
