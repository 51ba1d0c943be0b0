/*
 * Reading the kernel log from user space. The log holds only what the kernel
 * printed on the console anyway, so reading it needs no permission.
 */
#include <klog.h>
#include <syscall.h>
#include <uaccess.h>

#define READ_CHUNK 256

/** Copies up to @a size bytes of the log from the cursor at @a cursor_p to
 *  @a buf; advances the cursor and stores in @a missed_p how many bytes the
 *  ring lost before they could be read. Returns the byte count. */
sysarg_t sys_klog_read(sysarg_t cursor_p, sysarg_t buf, sysarg_t size, sysarg_t missed_p)
{
	uint64_t cursor, missed_total = 0;
	errno_t rc = copy_from_uspace(&cursor, cursor_p, sizeof(cursor));
	if (rc == EOK && !uspace_range_ok(buf, size))
		rc = EBADMEM;
	if (rc == EOK)
		rc = copy_to_uspace(missed_p, &missed_total, sizeof(missed_total));
	if (rc != EOK)
		return (sysarg_t) rc;
	char chunk[READ_CHUNK];
	size_t done = 0;
	while (done < size) {
		uint64_t missed;
		size_t want = size - done < READ_CHUNK ? size - done : READ_CHUNK;
		size_t n = klog_read(&cursor, chunk, want, &missed);
		missed_total += missed;
		if (n == 0)
			break;
		rc = copy_to_uspace(buf + done, chunk, n);
		if (rc != EOK)
			return (sysarg_t) rc;
		done += n;
	}
	rc = copy_to_uspace(cursor_p, &cursor, sizeof(cursor));
	if (rc == EOK)
		rc = copy_to_uspace(missed_p, &missed_total, sizeof(missed_total));
	return rc == EOK ? (sysarg_t) done : (sysarg_t) rc;
}
