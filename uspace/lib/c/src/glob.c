/*
 * glob (glob.h): the pattern is taken one '/'-separated component at a
 * time. A component without wildcards is appended as it is; one with them
 * is matched (fnmatch, FNM_PERIOD) against the names of the directory
 * reached so far, each match continuing with the next component. A path
 * whose last component is literal must exist (stat). The path so far lives
 * in one buffer of the walk; each level appends to it and cuts it back.
 */
#include "fnmatch.h"
#include "glob.h"
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GLOB_PATH_MAX 1024

typedef struct {
	int flags;
	int (*errfunc)(const char *path, int err);
	glob_t *g;
	size_t room; /* entries of g->gl_pathv, its NULL included */
	char path[GLOB_PATH_MAX + 1];
	int rc; /* the first failure: GLOB_NOSPACE or GLOB_ABORTED */
} glob_walk_t;

/** Whether @a s (of @a len bytes) has a wildcard that is not escaped. */
static bool has_magic(const char *s, size_t len, int flags)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && !(flags & GLOB_NOESCAPE) && i + 1 < len)
			i++;
		else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	}
	return false;
}

/** Adds a copy of @a path to the result. */
static void add_path(glob_walk_t *w, const char *path)
{
	glob_t *g = w->g;
	if (g->gl_pathc + 1 >= w->room) {
		size_t room = w->room == 0 ? 8 : w->room * 2;
		char **v = realloc(g->gl_pathv, room * sizeof(char *));
		if (v == NULL) {
			w->rc = GLOB_NOSPACE;
			return;
		}
		g->gl_pathv = v;
		w->room = room;
	}
	char *copy = strdup(path);
	if (copy == NULL) {
		w->rc = GLOB_NOSPACE;
		return;
	}
	g->gl_pathv[g->gl_pathc++] = copy;
	g->gl_pathv[g->gl_pathc] = NULL;
}

/** Appends @a len bytes of @a s to the path at @a at, taking escapes away
 *  unless GLOB_NOESCAPE; the new length, or 0 if it does not fit. */
static size_t append_literal(glob_walk_t *w, size_t at, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && !(w->flags & GLOB_NOESCAPE) && i + 1 < len)
			i++;
		if (at >= GLOB_PATH_MAX)
			return 0;
		w->path[at++] = s[i];
	}
	w->path[at] = '\0';
	return at;
}

static void walk(glob_walk_t *w, size_t at, const char *rest);

/** Continues after a component ends at @a at: with the next one (after
 *  its '/'s) or, at the pattern's end, with the path itself if it exists
 *  (@a known: it was just read from its directory). */
static void walk_next(glob_walk_t *w, size_t at, const char *rest, bool known)
{
	if (*rest == '\0') {
		struct stat st;
		if (known || stat(w->path, &st) == 0)
			add_path(w, w->path);
		return;
	}
	if (at + 1 > GLOB_PATH_MAX)
		return;
	w->path[at++] = '/';
	w->path[at] = '\0';
	while (*rest == '/')
		rest++;
	walk(w, at, rest);
}

/** Reports a directory that cannot be read; true if the walk stops. */
static bool dir_failed(glob_walk_t *w, const char *dir)
{
	int err = errno;
	bool stop = (w->errfunc != NULL && w->errfunc(dir, err) != 0) ||
	    (w->flags & GLOB_ERR);
	if (stop)
		w->rc = GLOB_ABORTED;
	return stop;
}

/** Matches the component @a comp (@a len bytes, with wildcards) against
 *  the names in the directory w->path[0..at). */
static void walk_dir(
    glob_walk_t *w, size_t at, const char *comp, size_t len, const char *rest)
{
	char pattern[GLOB_PATH_MAX + 1];
	memcpy(pattern, comp, len);
	pattern[len] = '\0';
	DIR *dir = opendir(at == 0 ? "." : w->path);
	if (dir == NULL) {
		(void) dir_failed(w, at == 0 ? "." : w->path);
		return;
	}
	int fl = FNM_PERIOD | (w->flags & GLOB_NOESCAPE ? FNM_NOESCAPE : 0);
	struct dirent *ent;
	while (w->rc == 0 && (ent = readdir(dir)) != NULL) {
		const char *name = ent->d_name;
		bool dots = strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
		if (dots || fnmatch(pattern, name, fl) != 0)
			continue;
		size_t n = strlen(ent->d_name);
		if (at + n > GLOB_PATH_MAX)
			continue;
		memcpy(w->path + at, ent->d_name, n + 1);
		walk_next(w, at + n, rest, true);
	}
	closedir(dir);
	w->path[at] = '\0';
}

/** Walks the pattern @a rest (no leading '/') below w->path[0..at). */
static void walk(glob_walk_t *w, size_t at, const char *rest)
{
	if (w->rc != 0)
		return;
	if (*rest == '\0') { /* the pattern ended in '/': a directory */
		walk_next(w, at, rest, false);
		return;
	}
	size_t len = strcspn(rest, "/");
	if (len > GLOB_PATH_MAX)
		return;
	if (has_magic(rest, len, w->flags)) {
		walk_dir(w, at, rest, len, rest + len);
		return;
	}
	size_t end = append_literal(w, at, rest, len);
	if (end != 0)
		walk_next(w, end, rest + len, false);
	w->path[at] = '\0';
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

int glob(
    const char *pattern, int flags, int (*errfunc)(const char *path, int err), glob_t *g)
{
	g->gl_pathc = 0;
	g->gl_pathv = NULL;
	g->gl_offs = 0;
	glob_walk_t *w = malloc(sizeof(*w));
	if (w == NULL)
		return GLOB_NOSPACE;
	*w = (glob_walk_t){.flags = flags, .errfunc = errfunc, .g = g};
	size_t at = 0;
	if (pattern[0] == '/')
		w->path[at++] = '/';
	w->path[at] = '\0';
	walk(w, at, pattern + strspn(pattern, "/"));
	int rc = w->rc;
	free(w);
	if (rc == 0 && g->gl_pathc > 1 && !(flags & GLOB_NOSORT))
		qsort(g->gl_pathv, g->gl_pathc, sizeof(char *), compare_paths);
	if (rc == 0 && g->gl_pathc == 0) {
		if (!(flags & GLOB_NOCHECK))
			return GLOB_NOMATCH;
		glob_walk_t nocheck = {.g = g};
		add_path(&nocheck, pattern);
		rc = nocheck.rc;
	}
	return rc;
}

void globfree(glob_t *g)
{
	for (size_t i = 0; i < g->gl_pathc; i++)
		free(g->gl_pathv[i]);
	free(g->gl_pathv);
	g->gl_pathc = 0;
	g->gl_pathv = NULL;
}
