/*
 * Address-space areas: thin wrappers of the system calls.
 */
#include <as.h>
#include <syscall.h>

errno_t as_area_create(uintptr_t *base, size_t size, unsigned flags)
{
	return (errno_t) syscall3(SYS_AS_AREA_CREATE, (sysarg_t) base, size, flags);
}

errno_t as_area_resize(uintptr_t base, size_t size)
{
	return (errno_t) syscall2(SYS_AS_AREA_RESIZE, base, size);
}

errno_t as_area_unmap(uintptr_t addr, size_t size)
{
	return (errno_t) syscall2(SYS_AS_AREA_UNMAP, addr, size);
}

errno_t as_area_sync(uintptr_t addr, size_t size)
{
	return (errno_t) syscall2(SYS_AS_AREA_SYNC, addr, size);
}

errno_t as_area_destroy(uintptr_t base)
{
	return (errno_t) syscall1(SYS_AS_AREA_DESTROY, base);
}

errno_t as_area_query(uintptr_t addr, as_area_info_t *info)
{
	return (errno_t) syscall2(SYS_AS_AREA_QUERY, addr, (sysarg_t) info);
}

errno_t as_area_change_flags(uintptr_t base, unsigned flags)
{
	return (errno_t) syscall2(SYS_AS_AREA_CHANGE_FLAGS, base, flags);
}

errno_t as_area_create_image(
    uintptr_t base, size_t size, unsigned flags, const void *src, size_t len)
{
	return (errno_t) syscall5(
	    SYS_AS_AREA_CREATE_IMAGE, base, size, flags, (sysarg_t) src, len);
}

errno_t physmem_map(uintptr_t phys, size_t size, unsigned flags, uintptr_t *base)
{
	return (errno_t) syscall4(SYS_PHYSMEM_MAP, phys, size, flags, (sysarg_t) base);
}

errno_t dmamem_map_anonymous(size_t size, unsigned flags, void **virt, uintptr_t *phys)
{
	uintptr_t base;
	uint64_t pa;
	errno_t rc = (errno_t) syscall4(
	    SYS_DMAMEM_MAP, size, flags, (sysarg_t) &base, (sysarg_t) &pa);
	if (rc == EOK) {
		*virt = (void *) base;
		*phys = (uintptr_t) pa;
	}
	return rc;
}
