/*
 * Ring records to user space (log/ring_uspace.h). Records go through a
 * bounce buffer: the ring's lock is never held across a user copy, which
 * may fault.
 */
#include <log/ring_uspace.h>
#include <syscall.h>
#include <uaccess.h>

sysarg_t ring_read_to_uspace(ring_reader_t read, size_t rec_size, sysarg_t cursor_p,
    sysarg_t buf, sysarg_t count, sysarg_t missed_p)
{
	uint64_t cursor, missed_total = 0;
	errno_t rc = copy_from_uspace(&cursor, cursor_p, sizeof(cursor));
	if (rc == EOK &&
	    (count > SIZE_MAX / rec_size || !uspace_range_ok(buf, count * rec_size)))
		rc = EBADMEM;
	if (rc == EOK)
		rc = copy_to_uspace(missed_p, &missed_total, sizeof(missed_total));
	if (rc != EOK)
		return (sysarg_t) rc;
	uint8_t chunk[RING_USPACE_CHUNK] __attribute__((aligned(8)));
	size_t per_chunk = sizeof(chunk) / rec_size;
	size_t done = 0;
	while (done < count) {
		uint64_t missed;
		size_t want = count - done < per_chunk ? count - done : per_chunk;
		size_t n = read(&cursor, chunk, want, &missed);
		missed_total += missed;
		if (n == 0)
			break;
		rc = copy_to_uspace(buf + done * rec_size, chunk, n * rec_size);
		if (rc != EOK)
			return (sysarg_t) rc;
		done += n;
	}
	rc = copy_to_uspace(cursor_p, &cursor, sizeof(cursor));
	if (rc == EOK)
		rc = copy_to_uspace(missed_p, &missed_total, sizeof(missed_total));
	return rc == EOK ? (sysarg_t) done : (sysarg_t) rc;
}
