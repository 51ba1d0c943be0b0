/*
 * Shell-style pattern matching (POSIX fnmatch): '*' any string, '?' any
 * character, [abc], [a-z], [!a] or [^a] one of (or none of) a set, '\'
 * takes the next character literally. No IPC: host-tested (fnmatch.c).
 */
#ifndef LIBC_FNMATCH_H
#define LIBC_FNMATCH_H

#define FNM_NOMATCH 1

#define FNM_NOESCAPE 0x1 /* '\' is an ordinary character */
#define FNM_PATHNAME 0x2 /* '/' is matched only by a '/' in the pattern */
#define FNM_PERIOD   0x4 /* a leading '.' is matched only by a '.' */

/** 0 if @a string matches @a pattern, else FNM_NOMATCH. */
int fnmatch(const char *pattern, const char *string, int flags);

#endif
