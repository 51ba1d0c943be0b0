/*
 * errno's storage: one per task until libc has thread-local storage.
 */
#include <errno.h>

static errno_t errno_value;

errno_t *__errno(void)
{
	return &errno_value;
}
