/*
 * Path-name expansion (POSIX glob): the existing paths a pattern of
 * fnmatch.h's syntax names, component by component (like "src/?/[ab]*" or
 * "docs/x*.md"). A leading '.' of a name is matched only by a '.' in the
 * pattern. Directories are read with opendir(): host-tested (glob.c).
 */
#ifndef LIBC_GLOB_H
#define LIBC_GLOB_H

#include <stddef.h>

typedef struct {
	size_t gl_pathc; /* number of paths */
	char **gl_pathv; /* the paths, ending in NULL; owned: globfree() */
	size_t gl_offs;	 /* unused; for POSIX's layout */
} glob_t;

#define GLOB_ERR      0x1 /* stop at a directory that cannot be read */
#define GLOB_NOCHECK  0x2 /* no match: the pattern itself is the one path */
#define GLOB_NOESCAPE 0x4 /* '\' is an ordinary character */
#define GLOB_NOSORT   0x8 /* paths in directory order, not sorted */

#define GLOB_NOSPACE 1 /* out of memory */
#define GLOB_ABORTED 2 /* a directory could not be read (with GLOB_ERR) */
#define GLOB_NOMATCH 3 /* nothing matched (without GLOB_NOCHECK) */

/** Fills @a g with the paths matching @a pattern, sorted; 0 or GLOB_*.
 *  @a errfunc (may be NULL) hears of each directory that cannot be read
 *  with its errno; a nonzero answer stops as GLOB_ERR does. @a g is valid
 *  (perhaps empty) after any return: free it with globfree(). */
int glob(
    const char *pattern, int flags, int (*errfunc)(const char *path, int err), glob_t *g);
void globfree(glob_t *g);

#endif
