/*
 * The kernel console: kio_write() and the stdio backend on top of it.
 */
#include "private/stdio.h"
#include <kio.h>
#include <syscall.h>

/* The most SYS_KIO_WRITE takes at once (ELIMIT above). */
#define KIO_WRITE_MAX 4096

errno_t kio_write(const char *buf, size_t len)
{
	while (len > 0) {
		size_t n = len < KIO_WRITE_MAX ? len : KIO_WRITE_MAX;
		errno_t rc = (errno_t) syscall2(SYS_KIO_WRITE, (sysarg_t) buf, n);
		if (rc != EOK)
			return rc;
		buf += n;
		len -= n;
	}
	return EOK;
}

static errno_t kio_file_write(FILE *f, const char *buf, size_t len)
{
	return kio_write(buf, len);
}

const file_ops_t kio_file_ops = {
    .write = kio_file_write,
};
