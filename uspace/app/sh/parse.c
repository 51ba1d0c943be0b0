/*
 * The command-line parser (see parse.h). A small cursor over the line feeds
 * a writer into cmd->words; every word is NUL-terminated there.
 */
#include "parse.h"
#include <stdio.h>
#include <string.h>

typedef struct {
	const char *p; /* the next character of the line */
	sh_command_t *cmd;
	size_t used; /* bytes of cmd->words in use */
	int words;   /* arguments so far, all stages */
	int last_status;
} sh_lexer_t;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/** Characters that end an unquoted word. */
static bool is_operator(char c)
{
	return c == '>' || c == '<' || c == '|';
}

static errno_t fail(sh_lexer_t *lx, errno_t rc, const char *why)
{
	lx->cmd->error = why;
	return rc;
}

static errno_t put_char(sh_lexer_t *lx, char c)
{
	if (lx->used + 1 >= SH_WORDS_SIZE)
		return fail(lx, ELIMIT, "line too long");
	lx->cmd->words[lx->used++] = c;
	return EOK;
}

/** Appends the decimal last status (the expansion of $?). */
static errno_t put_status(sh_lexer_t *lx)
{
	char num[16];
	snprintf(num, sizeof(num), "%d", lx->last_status);
	errno_t rc = EOK;
	for (const char *d = num; *d != '\0' && rc == EOK; d++)
		rc = put_char(lx, *d);
	return rc;
}

/** At "$?": expands it and steps over; else copies one character. */
static errno_t put_dollar_or_char(sh_lexer_t *lx)
{
	if (lx->p[0] == '$' && lx->p[1] == '?') {
		lx->p += 2;
		return put_status(lx);
	}
	return put_char(lx, *lx->p++);
}

/** lx->p is just past an opening '. */
static errno_t lex_single_quoted(sh_lexer_t *lx)
{
	while (*lx->p != '\'') {
		if (*lx->p == '\0')
			return fail(lx, EINVAL, "unterminated quote");
		errno_t rc = put_char(lx, *lx->p++);
		if (rc != EOK)
			return rc;
	}
	lx->p++;
	return EOK;
}

/** lx->p is just past an opening ". */
static errno_t lex_double_quoted(sh_lexer_t *lx)
{
	while (*lx->p != '"') {
		errno_t rc;
		if (*lx->p == '\0')
			return fail(lx, EINVAL, "unterminated quote");
		if (lx->p[0] == '\\' && strchr("\"\\$", lx->p[1]) != NULL) {
			rc = put_char(lx, lx->p[1]);
			lx->p += 2;
		} else {
			rc = put_dollar_or_char(lx);
		}
		if (rc != EOK)
			return rc;
	}
	lx->p++;
	return EOK;
}

/** One piece of a word: a quoted part, an escape or one character. */
static errno_t lex_word_piece(sh_lexer_t *lx)
{
	char c = *lx->p;
	if (c == '\'') {
		lx->p++;
		return lex_single_quoted(lx);
	}
	if (c == '"') {
		lx->p++;
		return lex_double_quoted(lx);
	}
	if (c == '\\' && lx->p[1] != '\0') {
		lx->p += 2;
		return put_char(lx, lx->p[-1]);
	}
	return put_dollar_or_char(lx);
}

/** Reads the word at lx->p (not blank, not an operator) into cmd->words
 *  and points *@a word at it. */
static errno_t lex_word(sh_lexer_t *lx, char **word)
{
	*word = lx->cmd->words + lx->used;
	while (*lx->p != '\0' && !is_blank(*lx->p) && !is_operator(*lx->p)) {
		errno_t rc = lex_word_piece(lx);
		if (rc != EOK)
			return rc;
	}
	return put_char(lx, '\0');
}

static void skip_blanks(sh_lexer_t *lx)
{
	while (is_blank(*lx->p))
		lx->p++;
}

/** lx->p is at '<' or '>': reads the operator and its file name. */
static errno_t lex_redirection(sh_lexer_t *lx)
{
	sh_command_t *cmd = lx->cmd;
	char op = *lx->p++;
	bool append = op == '>' && *lx->p == '>';
	if (append)
		lx->p++;
	skip_blanks(lx);
	if (*lx->p == '\0' || *lx->p == '#' || is_operator(*lx->p))
		return fail(lx, EINVAL, "missing file name after a redirection");
	if (op == '<' && cmd->nstages > 1)
		return fail(lx, EINVAL, "< goes on the first command of a pipeline");
	char **target = op == '<' ? &cmd->in_path : &cmd->out_path;
	if (op == '>')
		cmd->append = append;
	return lex_word(lx, target);
}

static errno_t lex_argument(sh_lexer_t *lx)
{
	sh_command_t *cmd = lx->cmd;
	if (lx->words >= SH_ARGS_MAX)
		return fail(lx, ELIMIT, "too many arguments");
	lx->words++;
	cmd->stages[cmd->nstages - 1].argc++;
	return lex_word(lx, &cmd->argv[cmd->argc++]);
}

/** lx->p is at '|': ends the current stage and begins the next. */
static errno_t lex_pipe(sh_lexer_t *lx)
{
	sh_command_t *cmd = lx->cmd;
	if (cmd->stages[cmd->nstages - 1].argc == 0)
		return fail(lx, EINVAL, "missing command before |");
	if (cmd->out_path != NULL)
		return fail(lx, EINVAL, "> goes on the last command of a pipeline");
	if (cmd->nstages >= SH_STAGES_MAX)
		return fail(lx, ELIMIT, "too many commands in a pipeline");
	lx->p++;
	cmd->argv[cmd->argc++] = NULL;
	cmd->stages[cmd->nstages++] = (sh_stage_t){cmd->argv + cmd->argc, 0};
	return EOK;
}

/** One token at lx->p (not blank, not the end). */
static errno_t lex_token(sh_lexer_t *lx)
{
	char c = *lx->p;
	if (c == '|')
		return lex_pipe(lx);
	if (c == '<' || c == '>')
		return lex_redirection(lx);
	return lex_argument(lx);
}

errno_t sh_parse(const char *line, int last_status, sh_command_t *cmd)
{
	cmd->argc = 0;
	cmd->in_path = NULL;
	cmd->out_path = NULL;
	cmd->append = false;
	cmd->error = NULL;
	cmd->nstages = 1;
	cmd->stages[0] = (sh_stage_t){cmd->argv, 0};
	sh_lexer_t lx = {.p = line, .cmd = cmd, .last_status = last_status};
	for (;;) {
		skip_blanks(&lx);
		if (*lx.p == '\0' || *lx.p == '#')
			break;
		errno_t rc = lex_token(&lx);
		if (rc != EOK)
			return rc;
	}
	cmd->argv[cmd->argc] = NULL;
	if (cmd->nstages > 1 && cmd->stages[cmd->nstages - 1].argc == 0)
		return fail(&lx, EINVAL, "missing command after |");
	return EOK;
}
