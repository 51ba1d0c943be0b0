/*
 * fnmatch (fnmatch.h). One pass over the string with backtracking to the
 * last '*' only: a later '*' makes every earlier choice final, so the cost
 * stays O(pattern x string).
 */
#include "fnmatch.h"
#include <stdbool.h>
#include <stddef.h>

/** The character at *@a p taken literally (after a '\' unless
 *  FNM_NOESCAPE), advancing *@a p; '\0' at the end. */
static char literal_char(const char **p, int flags)
{
	if (**p == '\\' && !(flags & FNM_NOESCAPE) && (*p)[1] != '\0')
		(*p)++;
	char c = **p;
	if (c != '\0')
		(*p)++;
	return c;
}

/** @a p is just past a '['. Whether @a c is in the set; *@a end is past
 *  its ']'. False with *@a end NULL when the set has no ']' (the '[' is
 *  then an ordinary character). */
static bool bracket_match(const char *p, char c, int flags, const char **end)
{
	bool negate = *p == '!' || *p == '^';
	if (negate)
		p++;
	bool found = false;
	bool first = true;
	while (*p != ']' || first) {
		if (*p == '\0') {
			*end = NULL;
			return false;
		}
		first = false;
		char lo = literal_char(&p, flags);
		char hi = lo;
		if (p[0] == '-' && p[1] != ']' && p[1] != '\0') {
			p++;
			hi = literal_char(&p, flags);
		}
		if ((unsigned char) c >= (unsigned char) lo &&
		    (unsigned char) c <= (unsigned char) hi)
			found = true;
	}
	*end = p + 1;
	return found != negate;
}

/** Whether string character @a s may be matched by a wildcard here:
 *  not a '/' under FNM_PATHNAME, not a leading '.' under FNM_PERIOD. */
static bool wild_ok(const char *string, const char *s, int flags)
{
	if (*s == '/' && (flags & FNM_PATHNAME))
		return false;
	if (*s == '.' && (flags & FNM_PERIOD)) {
		bool leading = s == string || (s[-1] == '/' && (flags & FNM_PATHNAME));
		return !leading;
	}
	return true;
}

/** Matches one pattern item at *@a p (not '*') against *@a s; on success
 *  advances both. */
static bool item_match(const char **p, const char *string, const char **s, int flags)
{
	if (**s == '\0')
		return false;
	if (**p == '?') {
		if (!wild_ok(string, *s, flags))
			return false;
		(*p)++;
		(*s)++;
		return true;
	}
	if (**p == '[') {
		const char *end;
		bool in = bracket_match(*p + 1, **s, flags, &end);
		if (end != NULL) {
			if (!in || !wild_ok(string, *s, flags))
				return false;
			*p = end;
			(*s)++;
			return true;
		}
	}
	if (literal_char(p, flags) != **s)
		return false;
	(*s)++;
	return true;
}

int fnmatch(const char *pattern, const char *string, int flags)
{
	const char *p = pattern, *s = string;
	const char *star_p = NULL, *star_s = NULL; /* the last '*' and where it stands */
	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			/* A leading '.' is not for a '*', even one matching nothing. */
			if (*s == '.' && !wild_ok(string, s, flags))
				return FNM_NOMATCH;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*p == '\0' && *s == '\0')
			return 0;
		const char *pp = p, *ss = s;
		if (*p != '\0' && item_match(&pp, string, &ss, flags)) {
			p = pp;
			s = ss;
			continue;
		}
		/* Let the last '*' take one more character, if it may. */
		if (star_p == NULL || *star_s == '\0' || !wild_ok(string, star_s, flags))
			return FNM_NOMATCH;
		star_s++;
		p = star_p;
		s = star_s;
	}
}
