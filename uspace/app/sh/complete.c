/*
 * Tab completion. The first word of the line completes against the
 * builtins and the programs in the directories of $PATH, any later word (or a first word
 * with a '/') against the entries of the directory the word names.
 */
#include "sh.h"
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CANDIDATES_MAX 64

/* The candidates of one completion; names[i] starts with the typed base. */
typedef struct {
	char names[CANDIDATES_MAX][VFS_NAME_MAX + 1];
	const char *list[CANDIDATES_MAX];
	size_t count;
	const char *base; /* the part of the word being completed */
	size_t base_len;
	char dir[VFS_PATH_MAX + 1]; /* where the names are ("" for commands) */
} sh_candidates_t;

static sh_candidates_t cands;

static void candidate_add(sh_candidates_t *c, const char *name)
{
	if (c->count == CANDIDATES_MAX || strncmp(name, c->base, c->base_len) != 0)
		return;
	snprintf(c->names[c->count], sizeof(c->names[0]), "%s", name);
	c->list[c->count] = c->names[c->count];
	c->count++;
}

/** Adds the entries of directory @a path (skipping . and .. entries). */
static void candidates_from_dir(sh_candidates_t *c, const char *path)
{
	DIR *dir = opendir(path);
	if (dir == NULL)
		return;
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL) {
		if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
			candidate_add(c, ent->d_name);
	}
	closedir(dir);
}

static void candidates_for_command(sh_t *sh, sh_candidates_t *c)
{
	c->dir[0] = '\0';
	for (size_t i = 0; builtin_name(i) != NULL; i++)
		candidate_add(c, builtin_name(i));
	const char *dirs = vars_get(&sh->vars, "PATH");
	if (dirs == NULL)
		dirs = SH_APP_DIR;
	for (const char *d = dirs;; d++) {
		char dir[VFS_PATH_MAX + 1];
		size_t len = strcspn(d, ":");
		snprintf(dir, sizeof(dir), "%.*s", (int) (len > 0 ? len : 1),
		    len > 0 ? d : ".");
		candidates_from_dir(c, dir);
		d += len;
		if (*d == '\0')
			break;
	}
}

/** @a word (of @a len bytes) is a path: its directory part names where. */
static void candidates_for_path(sh_candidates_t *c, const char *word, size_t len)
{
	size_t dir_len = c->base - word;
	if (dir_len == 0)
		snprintf(c->dir, sizeof(c->dir), ".");
	else
		snprintf(c->dir, sizeof(c->dir), "%.*s", (int) dir_len, word);
	candidates_from_dir(c, c->dir);
}

/** Whether candidate @a name is a directory (commands never are). */
static bool candidate_is_dir(const sh_candidates_t *c, const char *name)
{
	if (c->dir[0] == '\0')
		return false;
	char path[VFS_PATH_MAX + 1];
	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/** Lists the candidates below the line. */
static void candidates_show(sh_t *sh, const sh_candidates_t *c)
{
	sh_write(sh, -1, "\n", 1);
	for (size_t i = 0; i < c->count; i++)
		sh_printf(sh, -1, "%s  ", c->list[i]);
	sh_write(sh, -1, "\n", 1);
	sh->edit_row = 0; /* the prompt comes again on a row of its own */
}

/** The last '/' among the @a len bytes at @a word, or NULL. */
static const char *last_slash(const char *word, size_t len)
{
	while (len > 0) {
		if (word[--len] == '/')
			return word + len;
	}
	return NULL;
}

/** Fills cands for the word that ends at the cursor of @a line. */
static void candidates_collect(sh_t *sh, sh_line_t *line)
{
	size_t start = line->cursor;
	while (start > 0 && line->text[start - 1] != ' ')
		start--;
	const char *word = line->text + start;
	size_t len = line->cursor - start;
	bool first = strspn(line->text, " ") >= start;
	const char *slash = last_slash(word, len);
	cands.count = 0;
	cands.base = slash != NULL ? slash + 1 : word;
	cands.base_len = word + len - cands.base;
	if (first && slash == NULL)
		candidates_for_command(sh, &cands);
	else
		candidates_for_path(&cands, word, len);
}

void complete_word(sh_t *sh, sh_line_t *line, bool list)
{
	candidates_collect(sh, line);
	if (cands.count == 0)
		return;
	size_t common = common_prefix_len(cands.list, cands.count);
	line_insert_n(line, cands.list[0] + cands.base_len, common - cands.base_len);
	if (cands.count == 1) {
		line_insert(line, candidate_is_dir(&cands, cands.list[0]) ? '/' : ' ');
		return;
	}
	if (list)
		candidates_show(sh, &cands);
}
