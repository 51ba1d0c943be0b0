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

/** Parses one line (without its '\n', @a len bytes at @a s) into @a out. */
static errno_t parse_line(const char *s, size_t len, match_list_t *out)
{
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	while (len > 0 && isspace((unsigned char) *s)) {
		s++;
		len--;
	}
	if (len == 0 || *s == '#')
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
