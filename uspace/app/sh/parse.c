/*
 * The command-line parser (see parse.h): a cursor over the line, one token
 * at a time, filling the list, its pipelines and their commands.
 */
#include "parse.h"
#include <string.h>

typedef struct {
	const char *p; /* the next character of the line */
	sh_list_t *list;
} sh_lexer_t;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/** Characters that end an unquoted word. */
static bool is_operator(char c)
{
	return c == '>' || c == '<' || c == '|' || c == '&' || c == ';';
}

static bool is_name_char(char c, bool first)
{
	bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
	return alpha || (!first && c >= '0' && c <= '9');
}

bool sh_name_ok(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!is_name_char(s[i], i == 0))
			return false;
	}
	return true;
}

bool sh_is_assignment(const sh_raw_t *raw, size_t *name_len)
{
	size_t n = 0;
	while (n < raw->len && is_name_char(raw->text[n], n == 0))
		n++;
	*name_len = n;
	return n > 0 && n < raw->len && raw->text[n] == '=';
}

static errno_t fail(sh_lexer_t *lx, errno_t rc, const char *why)
{
	lx->list->error = why;
	return rc;
}

/** Steps over the quoted part at lx->p (at its opening quote). */
static errno_t skip_quoted(sh_lexer_t *lx)
{
	char q = *lx->p++;
	while (*lx->p != q) {
		if (*lx->p == '\0')
			return fail(lx, EINVAL, "unterminated quote");
		if (q == '"' && lx->p[0] == '\\' && lx->p[1] != '\0')
			lx->p++;
		lx->p++;
	}
	lx->p++;
	return EOK;
}

/** Reads the word at lx->p (not blank, not an operator) into *@a raw. */
static errno_t lex_word(sh_lexer_t *lx, sh_raw_t *raw)
{
	const char *start = lx->p;
	while (*lx->p != '\0' && !is_blank(*lx->p) && !is_operator(*lx->p)) {
		if (*lx->p == '\'' || *lx->p == '"') {
			errno_t rc = skip_quoted(lx);
			if (rc != EOK)
				return rc;
		} else {
			lx->p += lx->p[0] == '\\' && lx->p[1] != '\0' ? 2 : 1;
		}
	}
	*raw = (sh_raw_t){start, (size_t) (lx->p - start)};
	return EOK;
}

static void skip_blanks(sh_lexer_t *lx)
{
	while (is_blank(*lx->p))
		lx->p++;
}

static sh_pipeline_t *current_item(sh_lexer_t *lx)
{
	return &lx->list->items[lx->list->nitems - 1];
}

static sh_simple_t *current_stage(sh_lexer_t *lx)
{
	return &lx->list->stages[lx->list->nstages - 1];
}

/** Whether the current command has nothing in it yet. */
static bool stage_empty(sh_lexer_t *lx)
{
	sh_simple_t *s = current_stage(lx);
	return s->nwords == 0 && s->nredirs == 0;
}

/** Begins a new command (in the current pipeline). */
static errno_t stage_begin(sh_lexer_t *lx)
{
	sh_list_t *list = lx->list;
	if (list->nstages >= SH_ALL_STAGES_MAX ||
	    current_item(lx)->nstages >= SH_STAGES_MAX)
		return fail(lx, ELIMIT, "too many commands");
	list->stages[list->nstages++] = (sh_simple_t){.nwords = 0, .nredirs = 0};
	current_item(lx)->nstages++;
	return EOK;
}

/** Begins a new pipeline with its first command. */
static errno_t item_begin(sh_lexer_t *lx)
{
	sh_list_t *list = lx->list;
	if (list->nitems >= SH_ITEMS_MAX)
		return fail(lx, ELIMIT, "too many commands");
	list->items[list->nitems++] = (sh_pipeline_t){list->nstages, 0, SH_SEP_SEQ};
	return stage_begin(lx);
}

/** The redirection operator at lx->p, if any; steps over it. */
static bool lex_redir_op(sh_lexer_t *lx, sh_redir_kind_t *kind)
{
	static const struct {
		const char *op;
		sh_redir_kind_t kind;
	} ops[] = {
	    {"2>&1", SH_REDIR_ERR_TO_OUT},
	    {"2>>", SH_REDIR_ERR_APPEND},
	    {"2>", SH_REDIR_ERR},
	    {">>", SH_REDIR_APPEND},
	    {">", SH_REDIR_OUT},
	    {"<", SH_REDIR_IN},
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].op);
		if (strncmp(lx->p, ops[i].op, n) == 0) {
			lx->p += n;
			*kind = ops[i].kind;
			return true;
		}
	}
	return false;
}

static errno_t lex_redirection(sh_lexer_t *lx, sh_redir_kind_t kind)
{
	sh_simple_t *s = current_stage(lx);
	if (s->nredirs >= SH_REDIRS_MAX)
		return fail(lx, ELIMIT, "too many redirections");
	sh_redir_t *r = &s->redirs[s->nredirs++];
	r->kind = kind;
	r->target = (sh_raw_t){lx->p, 0};
	if (kind == SH_REDIR_ERR_TO_OUT)
		return EOK;
	skip_blanks(lx);
	if (*lx->p == '\0' || *lx->p == '#' || is_operator(*lx->p))
		return fail(lx, EINVAL, "missing file name after a redirection");
	return lex_word(lx, &r->target);
}

/** Ends the current pipeline with @a sep. */
static errno_t lex_separator(sh_lexer_t *lx, sh_sep_t sep, const char *missing)
{
	if (stage_empty(lx))
		return fail(lx, EINVAL, missing);
	current_item(lx)->sep = sep;
	return item_begin(lx);
}

/** The operator at lx->p (|, ||, &, &&, ;). */
static errno_t lex_control(sh_lexer_t *lx)
{
	char c = *lx->p++;
	bool doubled = (c == '|' || c == '&') && *lx->p == c;
	if (doubled)
		lx->p++;
	if (c == ';')
		return lex_separator(lx, SH_SEP_SEQ, "missing command before ;");
	if (c == '&')
		return doubled
		    ? lex_separator(lx, SH_SEP_AND, "missing command before &&")
		    : lex_separator(lx, SH_SEP_BG, "missing command before &");
	if (doubled)
		return lex_separator(lx, SH_SEP_OR, "missing command before ||");
	if (stage_empty(lx))
		return fail(lx, EINVAL, "missing command before |");
	return stage_begin(lx);
}

/** One token at lx->p (not blank, not the end, not a comment). */
static errno_t lex_token(sh_lexer_t *lx)
{
	sh_redir_kind_t kind;
	/* 2> and 2>&1 only where a word would start. */
	if ((*lx->p != '2' || lx->p[1] == '>') && lex_redir_op(lx, &kind))
		return lex_redirection(lx, kind);
	if (is_operator(*lx->p))
		return lex_control(lx);
	sh_simple_t *s = current_stage(lx);
	if (s->nwords >= SH_WORDS_MAX)
		return fail(lx, ELIMIT, "too many words");
	return lex_word(lx, &s->words[s->nwords++]);
}

/** The end of the line: an empty last pipeline is fine after ; or & (and
 *  is dropped), an error after && || or |. */
static errno_t lex_end(sh_lexer_t *lx)
{
	sh_list_t *list = lx->list;
	if (!stage_empty(lx))
		return EOK;
	sh_pipeline_t *item = current_item(lx);
	if (item->nstages > 1)
		return fail(lx, EINVAL, "missing command after |");
	if (list->nitems > 1) {
		sh_sep_t before = list->items[list->nitems - 2].sep;
		if (before == SH_SEP_AND || before == SH_SEP_OR)
			return fail(lx, EINVAL,
			    before == SH_SEP_AND ? "missing command after &&"
						 : "missing command after ||");
	}
	list->nitems--;
	list->nstages--;
	return EOK;
}

errno_t sh_parse(const char *line, sh_list_t *list)
{
	list->nitems = 0;
	list->nstages = 0;
	list->error = NULL;
	sh_lexer_t lx = {.p = line, .list = list};
	errno_t rc = item_begin(&lx);
	while (rc == EOK) {
		skip_blanks(&lx);
		if (*lx.p == '\0' || *lx.p == '#')
			break;
		rc = lex_token(&lx);
	}
	return rc == EOK ? lex_end(&lx) : rc;
}
