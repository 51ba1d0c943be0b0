/*
 * SYS_KIO_WRITE: early console output for user tasks.
 */
#include <console.h>
#include <syscall.h>
#include <uaccess.h>

#define KIO_WRITE_MAX 4096
#define KIO_CHUNK     256

sysarg_t sys_kio_write(sysarg_t buf, sysarg_t len)
{
	if (len > KIO_WRITE_MAX)
		return (sysarg_t) ELIMIT;
	if (!uspace_range_ok(buf, len))
		return (sysarg_t) EBADMEM;
	char chunk[KIO_CHUNK];
	for (size_t done = 0; done < len;) {
		size_t n = len - done < KIO_CHUNK ? len - done : KIO_CHUNK;
		errno_t rc = copy_from_uspace(chunk, buf + done, n);
		if (rc != EOK)
			return (sysarg_t) rc;
		console_write(chunk, n);
		done += n;
	}
	return EOK;
}
