/*
 * User-memory copies. SMAP (when present) is lifted only around the copy.
 */
#include <uaccess.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <string.h>

int uaccess_copy(void *dst, const void *src, size_t n);

bool uspace_range_ok(uintptr_t addr, size_t n)
{
	return addr < USER_SPACE_END && n <= USER_SPACE_END - addr;
}

static errno_t copy_guarded(void *dst, const void *src, size_t n)
{
	if (cpu_features.smap)
		__asm__ volatile("stac" : : : "memory");
	int rc = uaccess_copy(dst, src, n);
	if (cpu_features.smap)
		__asm__ volatile("clac" : : : "memory");
	return rc == 0 ? EOK : EBADMEM;
}

errno_t copy_from_uspace(void *dst, uintptr_t usrc, size_t n)
{
	if (n == 0)
		return EOK;
	if (!uspace_range_ok(usrc, n))
		return EBADMEM;
	return copy_guarded(dst, (const void *) usrc, n);
}

errno_t copy_to_uspace(uintptr_t udst, const void *src, size_t n)
{
	if (n == 0)
		return EOK;
	if (!uspace_range_ok(udst, n))
		return EBADMEM;
	return copy_guarded((void *) udst, src, n);
}

errno_t copy_name_from_uspace(char *buf, size_t size, uintptr_t usrc, size_t len)
{
	if (len >= size)
		return ENAMETOOLONG;
	errno_t rc = copy_from_uspace(buf, usrc, len);
	if (rc != EOK)
		return rc;
	buf[len] = '\0';
	if (strlen(buf) != len)
		return EINVAL; /* embedded NUL */
	return EOK;
}
