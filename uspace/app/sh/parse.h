/*
 * The shell's command-line parser: a line into its structure, the words
 * still as typed (quotes intact; expand.h expands them when the command
 * runs, so `cd /tmp; ls *` globs in /tmp and `false; echo $?` sees 1).
 *
 *   list      pipeline (SEP pipeline)* [; or &]    SEP: ;  &&  ||  &
 *   pipeline  command (| command)*
 *   command   (word | redirection)*
 *   redirection  < F   > F   >> F   2> F   2>> F   2>&1
 *
 * A word runs to an unquoted blank or one of | & ; < >; '...' and "..."
 * may hold those, a backslash takes the next character. '#' at the start
 * of a word begins a comment. `2>` is an operator only as a word of its own
 * start ("a2>f" is the word a2 and > f). No IPC: host-tested.
 */
#ifndef SH_PARSE_H
#define SH_PARSE_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>

#define SH_LINE_MAX	  1024 /* characters of a line; longer ones are refused */
#define SH_WORDS_MAX	  64   /* words of one command */
#define SH_REDIRS_MAX	  8    /* redirections of one command */
#define SH_STAGES_MAX	  8    /* commands of one pipeline */
#define SH_ITEMS_MAX	  16   /* pipelines of one line */
#define SH_ALL_STAGES_MAX 32   /* commands of one line */

/** A word as typed: @a len bytes at @a text, in the line parsed. */
typedef struct {
	const char *text;
	size_t len;
} sh_raw_t;

typedef enum {
	SH_REDIR_IN,	     /* < F: stdin from F */
	SH_REDIR_OUT,	     /* > F: stdout to F, emptied first */
	SH_REDIR_APPEND,     /* >> F */
	SH_REDIR_ERR,	     /* 2> F: stderr to F */
	SH_REDIR_ERR_APPEND, /* 2>> F */
	SH_REDIR_ERR_TO_OUT, /* 2>&1: stderr where stdout goes at that point */
} sh_redir_kind_t;

typedef struct {
	sh_redir_kind_t kind;
	sh_raw_t target; /* len 0 for SH_REDIR_ERR_TO_OUT */
} sh_redir_t;

/** One command: its words and its redirections, each in the order typed
 *  (redirections apply in that order). */
typedef struct {
	sh_raw_t words[SH_WORDS_MAX];
	int nwords;
	sh_redir_t redirs[SH_REDIRS_MAX];
	int nredirs;
} sh_simple_t;

/** What follows a pipeline: how the next one runs. */
typedef enum {
	SH_SEP_SEQ, /* ; or the end: the next runs in any case */
	SH_SEP_AND, /* &&: the next runs if this one's status is 0 */
	SH_SEP_OR,  /* ||: the next runs if it is not 0 */
	SH_SEP_BG,  /* &: this one runs in the background; the next at once */
} sh_sep_t;

typedef struct {
	int first;   /* its commands: sh_list_t's stages[first..first+nstages) */
	int nstages; /* at least 1 */
	sh_sep_t sep;
} sh_pipeline_t;

typedef struct {
	sh_pipeline_t items[SH_ITEMS_MAX];
	int nitems; /* 0 for an empty line or a comment */
	sh_simple_t stages[SH_ALL_STAGES_MAX];
	int nstages;
	/* Why parsing failed (a message without the "sh: " prefix). */
	const char *error;
} sh_list_t;

/** Parses @a line into @a list, whose words point into @a line. EINVAL
 *  (an unterminated quote, a redirection without a file, an operator
 *  without a command before it, && or || or | without one after), ELIMIT
 *  (past one of the limits above); list->error then says why. */
errno_t sh_parse(const char *line, sh_list_t *list);

/** Whether @a raw begins NAME= with NAME a valid unquoted variable name
 *  (an assignment); the name's length in *@a name_len. */
bool sh_is_assignment(const sh_raw_t *raw, size_t *name_len);
/** Whether @a len bytes at @a s are a variable name: a letter or '_',
 *  then letters, digits or '_'. */
bool sh_name_ok(const char *s, size_t len);

#endif
