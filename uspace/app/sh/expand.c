/*
 * Word expansion (see expand.h). Each word is expanded into two forms at
 * once: the literal text (quotes gone) and a glob pattern (the same, with
 * every character that was quoted or came from a variable escaped by '\'
 * when fnmatch would read it as special). The pattern is used only when
 * the word had an unquoted wildcard.
 */
#include "expand.h"
#include <stdio.h>
#include <string.h>

/* One word being expanded. */
typedef struct {
	const sh_raw_t *raw;
	size_t i; /* the next byte of raw */
	const sh_expander_t *ex;
	char text[SH_LINE_MAX * 4 + 1];
	size_t tlen;
	char pattern[SH_LINE_MAX * 8 + 1];
	size_t plen;
	bool magic;  /* an unquoted * ? or [ */
	bool quoted; /* some quotes: the word stays even if empty */
	bool full;   /* past the buffers */
} sh_word_t;

static void emit(sh_word_t *w, char c, bool literal)
{
	if (w->tlen + 1 >= sizeof(w->text) || w->plen + 2 >= sizeof(w->pattern)) {
		w->full = true;
		return;
	}
	w->text[w->tlen++] = c;
	if (literal && strchr("*?[]\\", c) != NULL)
		w->pattern[w->plen++] = '\\';
	else if (!literal && (c == '*' || c == '?' || c == '['))
		w->magic = true;
	w->pattern[w->plen++] = c;
}

static void emit_str(sh_word_t *w, const char *s)
{
	for (; *s != '\0'; s++)
		emit(w, *s, true);
}

static char peek(const sh_word_t *w, size_t ahead)
{
	return w->i + ahead < w->raw->len ? w->raw->text[w->i + ahead] : '\0';
}

static bool name_char(char c, bool first)
{
	return sh_name_ok(&c, 1) || (!first && c >= '0' && c <= '9');
}

/** w->i is at a '$': expands $? $NAME ${NAME}; a '$' before anything
 *  else is itself. */
static void expand_dollar(sh_word_t *w)
{
	char name[SH_LINE_MAX + 1];
	size_t n = 0;
	bool braced = peek(w, 1) == '{';
	size_t at = w->i + 1 + braced;
	if (peek(w, 1 + braced) == '?' && (!braced || peek(w, 3) == '}')) {
		char num[16];
		snprintf(num, sizeof(num), "%d", w->ex->status);
		emit_str(w, num);
		w->i += braced ? 4 : 2;
		return;
	}
	while (at + n < w->raw->len && name_char(w->raw->text[at + n], n == 0))
		n++;
	bool closed = !braced || (at + n < w->raw->len && w->raw->text[at + n] == '}');
	if (n == 0 || !closed) {
		emit(w, '$', true);
		w->i++;
		return;
	}
	memcpy(name, w->raw->text + at, n);
	name[n] = '\0';
	const char *value = w->ex->getvar(w->ex->ctx, name);
	if (value != NULL)
		emit_str(w, value);
	w->i = at + n + braced;
}

/** w->i is just past an opening '. */
static void expand_single(sh_word_t *w)
{
	while (w->i < w->raw->len && peek(w, 0) != '\'')
		emit(w, w->raw->text[w->i++], true);
	w->i++;
}

/** w->i is just past an opening ". */
static void expand_double(sh_word_t *w)
{
	while (w->i < w->raw->len && peek(w, 0) != '"') {
		char c = peek(w, 0);
		if (c == '\\' && strchr("\"\\$", peek(w, 1)) != NULL &&
		    peek(w, 1) != '\0') {
			emit(w, peek(w, 1), true);
			w->i += 2;
		} else if (c == '$') {
			expand_dollar(w);
		} else {
			emit(w, c, true);
			w->i++;
		}
	}
	w->i++;
}

/** A leading unquoted ~ alone or before '/': $HOME (unchanged if unset). */
static void expand_tilde(sh_word_t *w)
{
	if (peek(w, 0) != '~' || (peek(w, 1) != '\0' && peek(w, 1) != '/'))
		return;
	const char *home = w->ex->getvar(w->ex->ctx, "HOME");
	if (home == NULL)
		return;
	emit_str(w, home);
	w->i++;
}

/** Expands the raw word into w's text and pattern. */
static void expand_word(sh_word_t *w)
{
	expand_tilde(w);
	while (w->i < w->raw->len) {
		char c = peek(w, 0);
		if (c == '\'' || c == '"') {
			w->quoted = true;
			w->i++;
			if (c == '\'')
				expand_single(w);
			else
				expand_double(w);
		} else if (c == '\\' && w->i + 1 < w->raw->len) {
			w->quoted = true;
			emit(w, peek(w, 1), true);
			w->i += 2;
		} else if (c == '$') {
			expand_dollar(w);
		} else {
			emit(w, c, false);
			w->i++;
		}
	}
	w->text[w->tlen] = '\0';
	w->pattern[w->plen] = '\0';
}

static errno_t fail(sh_argv_t *out, errno_t rc, const char *why)
{
	out->error = why;
	return rc;
}

/** A copy of @a s in out->buf, or NULL when it is full. */
static char *store(sh_argv_t *out, const char *s)
{
	size_t n = strlen(s) + 1;
	if (n > sizeof(out->buf) - out->used)
		return NULL;
	char *copy = memcpy(out->buf + out->used, s, n);
	out->used += n;
	return copy;
}

errno_t sh_argv_add(sh_argv_t *out, const char *s)
{
	if (out->argc >= SH_ARGS_MAX)
		return fail(out, ELIMIT, "too many arguments");
	char *copy = store(out, s);
	if (copy == NULL)
		return fail(out, ELIMIT, "arguments too long");
	out->argv[out->argc++] = copy;
	out->argv[out->argc] = NULL;
	return EOK;
}

/* One word at a time: the shell expands one command at a time. */
static sh_word_t word;

static errno_t expand_one(const sh_raw_t *raw, const sh_expander_t *ex, sh_argv_t *out)
{
	word = (sh_word_t){.raw = raw, .ex = ex};
	expand_word(&word);
	return word.full ? fail(out, ELIMIT, "word too long") : EOK;
}

/** Expands a word that is an argument: globbed, dropped if empty. */
static errno_t expand_argument(
    const sh_raw_t *raw, const sh_expander_t *ex, sh_argv_t *out)
{
	errno_t rc = expand_one(raw, ex, out);
	if (rc != EOK || (word.tlen == 0 && !word.quoted))
		return rc;
	if (word.magic) {
		rc = ex->glob(ex->ctx, word.pattern, out);
		if (rc != ENOENT)
			return rc != EOK && out->error == NULL
			    ? fail(out, rc, "glob failed")
			    : rc;
	}
	return sh_argv_add(out, word.text);
}

/** Expands a word into one string (an assignment or a file name). */
static errno_t expand_string(
    const sh_raw_t *raw, const sh_expander_t *ex, sh_argv_t *out, char **s)
{
	errno_t rc = expand_one(raw, ex, out);
	if (rc != EOK)
		return rc;
	*s = store(out, word.text);
	return *s != NULL ? EOK : fail(out, ELIMIT, "arguments too long");
}

errno_t sh_expand(const sh_simple_t *cmd, const sh_expander_t *ex, sh_argv_t *out)
{
	out->argc = out->nassign = 0;
	out->used = 0;
	out->error = NULL;
	out->argv[0] = NULL;
	int i = 0;
	size_t name_len;
	errno_t rc = EOK;
	for (;
	     rc == EOK && i < cmd->nwords && sh_is_assignment(&cmd->words[i], &name_len);
	     i++)
		rc = expand_string(&cmd->words[i], ex, out, &out->assign[out->nassign++]);
	for (; rc == EOK && i < cmd->nwords; i++)
		rc = expand_argument(&cmd->words[i], ex, out);
	for (int r = 0; rc == EOK && r < cmd->nredirs; r++) {
		out->targets[r] = NULL;
		if (cmd->redirs[r].kind != SH_REDIR_ERR_TO_OUT)
			rc = expand_string(
			    &cmd->redirs[r].target, ex, out, &out->targets[r]);
	}
	return rc;
}
