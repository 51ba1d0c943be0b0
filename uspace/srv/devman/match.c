/*
 * Match ids and the choice of a driver (match.h).
 */
#include "match.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

errno_t match_list_add(match_list_t *list, const char *id, int score)
{
	size_t len = strlen(id);
	if (len == 0 || len > DEVMAN_MATCH_ID_MAX || score < 1 || score > 100)
		return EINVAL;
	if (list->count == DEVMAN_MATCH_IDS)
		return ELIMIT;
	match_id_t *m = &list->ids[list->count++];
	m->score = score;
	memcpy(m->id, id, len + 1);
	return EOK;
}

/** The @a len bytes at @a s less leading and trailing blanks: their start,
 *  their length in *@a len. */
static const char *trim(const char *s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char) s[*len - 1]))
		(*len)--;
	while (*len > 0 && isspace((unsigned char) *s)) {
		s++;
		(*len)--;
	}
	return s;
}

/** Whether the trimmed line (@a len bytes at @a s) says nothing. */
static bool is_blank(const char *s, size_t len)
{
	return len == 0 || *s == '#';
}

/** Parses one line (without its '\n', @a len bytes at @a s) into @a out. */
static errno_t parse_line(const char *s, size_t len, match_list_t *out)
{
	s = trim(s, &len);
	if (is_blank(s, len))
		return EOK;
	char line[DEVMAN_MATCH_ID_MAX + 8];
	if (len >= sizeof(line))
		return EINVAL;
	memcpy(line, s, len);
	line[len] = '\0';
	char *end;
	long score = strtol(line, &end, 10);
	if (end == line || !isspace((unsigned char) *end))
		return EINVAL;
	while (isspace((unsigned char) *end))
		end++;
	for (const char *p = end; *p != '\0'; p++) {
		if (isspace((unsigned char) *p))
			return EINVAL;
	}
	if (score < 1 || score > 100)
		return EINVAL;
	return match_list_add(out, end, (int) score);
}

errno_t match_parse(const char *text, match_list_t *out, size_t *bad_line)
{
	out->count = 0;
	size_t line_no = 1;
	while (*text != '\0') {
		const char *nl = strchr(text, '\n');
		size_t len = nl != NULL ? (size_t) (nl - text) : strlen(text);
		errno_t rc = parse_line(text, len, out);
		if (rc != EOK) {
			*bad_line = line_no;
			return rc;
		}
		text += len + (nl != NULL);
		line_no++;
	}
	return EOK;
}

/** Where match_index_parse() is: the drivers read so far and the section
 *  being read. */
typedef struct {
	driver_desc_t *out;
	size_t max, count;
	bool open;	  /* out[count] is being read from its section */
	bool had_section; /* a header was seen (lines before the first are bad) */
	match_bad_fn bad;
	void *arg;
} index_reader_t;

/** Counts the section being read, if it was read whole. */
static void index_close(index_reader_t *r)
{
	if (r->open)
		r->count++;
	r->open = false;
}

/** Starts section "[NAME]" (the trimmed line, @a len bytes at @a s) at line
 *  @a line_no; a bad or repeated name or one driver too many is reported and
 *  its section skipped. */
static void index_header(index_reader_t *r, const char *s, size_t len, size_t line_no)
{
	index_close(r);
	r->had_section = true;
	char name[DEVMAN_NAME_MAX + 1] = "";
	errno_t rc = EINVAL;
	if (len >= 3 && len - 2 <= DEVMAN_NAME_MAX && s[len - 1] == ']') {
		memcpy(name, s + 1, len - 2);
		name[len - 2] = '\0';
		rc = strpbrk(name, "/[] \t") == NULL ? EOK : EINVAL;
	}
	for (size_t i = 0; rc == EOK && i < r->count; i++) {
		if (strcmp(r->out[i].name, name) == 0)
			rc = EEXIST;
	}
	if (rc == EOK && r->count == r->max)
		rc = ELIMIT;
	if (rc != EOK) {
		r->bad(name, line_no, rc, r->arg);
		return;
	}
	driver_desc_t *d = &r->out[r->count];
	strcpy(d->name, name);
	d->ids.count = 0;
	r->open = true;
}

/** Reads one line of an index (@a len bytes at @a s, without its '\n'). */
static void index_line(index_reader_t *r, const char *s, size_t len, size_t line_no)
{
	s = trim(s, &len);
	if (len > 0 && *s == '[') {
		index_header(r, s, len, line_no);
		return;
	}
	if (!r->open) {
		/* Lines of a skipped section were reported with its header. */
		if (!r->had_section && !is_blank(s, len))
			r->bad("", line_no, EINVAL, r->arg);
		return;
	}
	errno_t rc = parse_line(s, len, &r->out[r->count].ids);
	if (rc != EOK) {
		r->bad(r->out[r->count].name, line_no, rc, r->arg);
		r->open = false;
	}
}

size_t match_index_parse(
    const char *text, driver_desc_t *out, size_t max, match_bad_fn bad, void *arg)
{
	index_reader_t r = {out, max, 0, false, false, bad, arg};
	for (size_t line_no = 1; *text != '\0'; line_no++) {
		const char *nl = strchr(text, '\n');
		size_t len = nl != NULL ? (size_t) (nl - text) : strlen(text);
		index_line(&r, text, len, line_no);
		text += len + (nl != NULL);
	}
	index_close(&r);
	return r.count;
}

int match_score(const match_list_t *dev, const match_list_t *drv, const char **matched)
{
	int best = 0;
	for (size_t i = 0; i < dev->count; i++) {
		for (size_t j = 0; j < drv->count; j++) {
			int score = dev->ids[i].score * drv->ids[j].score;
			if (score > best && strcmp(dev->ids[i].id, drv->ids[j].id) == 0) {
				best = score;
				*matched = dev->ids[i].id;
			}
		}
	}
	return best;
}

const driver_desc_t *match_best(const driver_desc_t *drivers, size_t count,
    const match_list_t *dev, const char **matched)
{
	const driver_desc_t *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < count; i++) {
		const char *id;
		int score = match_score(dev, &drivers[i].ids, &id);
		if (score > best_score) {
			best_score = score;
			best = &drivers[i];
			*matched = id;
		}
	}
	return best;
}
