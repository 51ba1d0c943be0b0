/*
 * Match ids and the choice of a driver (pure logic, host-tested).
 *
 * A device has match ids with scores (what its parent's driver said it is,
 * most specific first); a driver's NAME.ma file lists the ids it drives,
 * "SCORE MATCH-ID" per line, and the drivers' index (/drv/match-ids, made by
 * the build) holds every driver's file under a header "[NAME]". The driver for a device is the one with the
 * highest product of the two scores over the ids they share; ties go to
 * the driver listed first.
 */
#ifndef DEVMAN_MATCH_H
#define DEVMAN_MATCH_H

#include <abi/devman.h>
#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
	int score; /* 1..100 */
	char id[DEVMAN_MATCH_ID_MAX + 1];
} match_id_t;

typedef struct {
	match_id_t ids[DEVMAN_MATCH_IDS];
	size_t count;
} match_list_t;

typedef struct {
	char name[DEVMAN_NAME_MAX + 1];
	match_list_t ids;
} driver_desc_t;

/** Adds @a id with @a score: EINVAL for an empty or too long id or a score
 *  outside 1..100, ELIMIT when the list is full. */
errno_t match_list_add(match_list_t *list, const char *id, int score);
/** Parses a match-id file: "SCORE MATCH-ID" lines, blank lines and lines
 *  starting with '#' ignored. EINVAL for a malformed line (its number in
 *  *@a bad_line), ELIMIT for too many ids. */
errno_t match_parse(const char *text, match_list_t *out, size_t *bad_line);
/** Told of a section of an index that is skipped: the driver's @a name
 *  ("" when the header itself is bad or the line comes before any header),
 *  the bad line's number and why (EINVAL malformed, ELIMIT too many ids or
 *  drivers, EEXIST a name given twice). */
typedef void (*match_bad_fn)(const char *name, size_t line, errno_t rc, void *arg);
/** Parses a drivers' index: sections "[NAME]", each followed by the lines of
 *  NAME.ma, into @a out (at most @a max drivers, in the index's order);
 *  returns how many. A section with a bad line is reported to @a bad and
 *  left out; the others are read. */
size_t match_index_parse(
    const char *text, driver_desc_t *out, size_t max, match_bad_fn bad, void *arg);
/** The best score of @a drv for @a dev (0: they share no id); the id that
 *  gave it in *@a matched. */
int match_score(const match_list_t *dev, const match_list_t *drv, const char **matched);
/** The driver of @a drivers (@a count) best for @a dev; NULL if none. */
const driver_desc_t *match_best(const driver_desc_t *drivers, size_t count,
    const match_list_t *dev, const char **matched);

#endif
