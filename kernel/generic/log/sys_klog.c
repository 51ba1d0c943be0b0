/*
 * Reading the kernel log from user space. The log holds only what the kernel
 * printed on the console anyway, so reading it needs no permission.
 */
#include <klog.h>
#include <log/ring_uspace.h>
#include <syscall.h>
#include <uaccess.h>

static size_t klog_reader(uint64_t *cursor, void *out, size_t max, uint64_t *missed)
{
	return klog_read(cursor, out, max, missed);
}

/** Copies up to @a size bytes of the log from the cursor at @a cursor_p to
 *  @a buf; advances the cursor and stores in @a missed_p how many bytes the
 *  ring lost before they could be read. Returns the byte count. */
sysarg_t sys_klog_read(sysarg_t cursor_p, sysarg_t buf, sysarg_t size, sysarg_t missed_p)
{
	return ring_read_to_uspace(klog_reader, 1, cursor_p, buf, size, missed_p);
}
