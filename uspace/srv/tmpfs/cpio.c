/*
 * The cpio "newc" reader (cpio.h). A member is a 110-byte header ("070701"
 * and thirteen 8-digit hex fields), the name with its NUL, padding to a
 * multiple of 4 from the header's start, the data, padding to a multiple of 4.
 * Every length is checked against the bytes left before it is used.
 */
#include "cpio.h"
#include <string.h>

#define CPIO_MAGIC	 "070701"
#define CPIO_HEADER_SIZE 110
#define CPIO_FIELD_LEN	 8
#define CPIO_TRAILER	 "TRAILER!!!"

/* Field numbers, after the magic. */
enum {
	CPIO_F_MODE = 1,
	CPIO_F_FILESIZE = 6,
	CPIO_F_NAMESIZE = 11,
};

/** Parses the 8 hex digits of field @a field of @a hdr. */
static errno_t field_get(const char *hdr, unsigned field, uint32_t *value)
{
	const char *p = hdr + sizeof(CPIO_MAGIC) - 1 + field * CPIO_FIELD_LEN;
	uint32_t v = 0;
	for (unsigned i = 0; i < CPIO_FIELD_LEN; i++) {
		char c = p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned) (c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned) (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned) (c - 'A' + 10);
		else
			return EINVAL;
		v = v << 4 | d;
	}
	*value = v;
	return EOK;
}

/** @a n rounded up to a multiple of 4, or SIZE_MAX on overflow. */
static size_t pad4(size_t n)
{
	return n > SIZE_MAX - 3 ? SIZE_MAX : (n + 3) & ~(size_t) 3;
}

/** Reads the member at @a off of the archive into @a e and sets *@a next
 *  to the offset after it. */
static errno_t member_read(
    const uint8_t *buf, size_t size, size_t off, cpio_entry_t *e, size_t *next)
{
	if (size - off < CPIO_HEADER_SIZE)
		return EINVAL;
	const char *hdr = (const char *) buf + off;
	if (memcmp(hdr, CPIO_MAGIC, sizeof(CPIO_MAGIC) - 1) != 0)
		return EINVAL;
	uint32_t mode, filesize, namesize;
	if (field_get(hdr, CPIO_F_MODE, &mode) != EOK ||
	    field_get(hdr, CPIO_F_FILESIZE, &filesize) != EOK ||
	    field_get(hdr, CPIO_F_NAMESIZE, &namesize) != EOK)
		return EINVAL;
	size_t left = size - off - CPIO_HEADER_SIZE;
	if (namesize == 0 || namesize > left)
		return EINVAL;
	const char *name = hdr + CPIO_HEADER_SIZE;
	if (name[namesize - 1] != '\0' || strlen(name) != namesize - 1)
		return EINVAL;
	size_t data_off = pad4(CPIO_HEADER_SIZE + (size_t) namesize);
	if (data_off > size - off || filesize > size - off - data_off)
		return EINVAL;
	e->name = name;
	e->name_len = namesize - 1;
	e->mode = mode;
	e->data = buf + off + data_off;
	e->size = filesize;
	size_t end = pad4(data_off + filesize);
	/* The last member's padding may be cut short. */
	*next = end > size - off ? size : off + end;
	return EOK;
}

errno_t cpio_parse(const void *buf, size_t size, cpio_entry_fn_t fn, void *arg)
{
	size_t off = 0;
	while (off < size) {
		cpio_entry_t e;
		size_t next;
		errno_t rc = member_read(buf, size, off, &e, &next);
		if (rc != EOK)
			return rc;
		if (strcmp(e.name, CPIO_TRAILER) == 0)
			return EOK;
		rc = fn(&e, arg);
		if (rc != EOK)
			return rc;
		off = next;
	}
	return EINVAL; /* no trailer */
}
