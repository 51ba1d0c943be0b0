/*
 * Memory mappings (sys/mman.h): a file mapping is an area whose pager is a
 * connection of its own to the VFS (vfs_pager_connect), handed to the kernel
 * with the area (AS_PAGER_TAKE): the mapping's end hangs it up, and the VFS
 * then lets the file go. munmap may take any page range of one mapping:
 * what is left stays mapped (SYS_AS_AREA_UNMAP), and the pager connection
 * goes with the last part. A shared writable mapping's area is a write-back
 * one (AS_PAGER_WRITEBACK): the kernel sends its written pages to the VFS on
 * msync, munmap and the mapping's end.
 */
#include <as.h>
#include <common/arch/page.h>
#include <errno.h>
#include <pager.h>
#include <sys/mman.h>
#include <vfs.h>

/** The area rights of @a prot; EINVAL unless readable and not both
 *  writable and executable. */
static errno_t mmap_rights(int prot, unsigned *flags)
{
	if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0 || !(prot & PROT_READ) ||
	    ((prot & PROT_WRITE) && (prot & PROT_EXEC)))
		return EINVAL;
	*flags = AS_AREA_READ | AS_AREA_CACHEABLE;
	if (prot & PROT_WRITE)
		*flags |= AS_AREA_WRITE;
	if (prot & PROT_EXEC)
		*flags |= AS_AREA_EXEC;
	return EOK;
}

/** Checks everything but the file. */
static errno_t mmap_check(size_t len, int prot, int flags, off_t off, unsigned *rights)
{
	int kind = flags & (MAP_SHARED | MAP_PRIVATE);
	if (len == 0 || off < 0 || off % PAGE_SIZE != 0 ||
	    (flags & ~(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS)) != 0 ||
	    (kind != MAP_SHARED && kind != MAP_PRIVATE))
		return EINVAL;
	return mmap_rights(prot, rights);
}

/** A file mapping of @a fd at *@a base; @a shared_write: written pages go
 *  back to the file (the VFS opens it read-write). */
static errno_t mmap_file(
    uintptr_t *base, size_t len, unsigned rights, bool shared_write, int fd, off_t off)
{
	cap_handle_t phone;
	errno_t rc = vfs_pager_connect(fd, shared_write ? VFS_MMAP_WRITE : 0, &phone);
	if (rc != EOK)
		return rc;
	as_pager_t pager = {.phone = phone,
	    .offset = (uint64_t) off,
	    .flags = AS_PAGER_TAKE | (shared_write ? AS_PAGER_WRITEBACK : 0)};
	rc = as_area_create_pager(base, len, rights, &pager);
	if (rc != EOK)
		DISCARD(cleanup, ipc_hangup(phone, IPC_HANGUP_RELEASE));
	return rc;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	unsigned rights;
	errno_t rc = mmap_check(len, prot, flags, off, &rights);
	uintptr_t base = (flags & MAP_FIXED) ? (uintptr_t) addr : AS_AREA_ANY;
	if (rc == EOK && (flags & MAP_FIXED) && base % PAGE_SIZE != 0)
		rc = EINVAL;
	if (rc == EOK && (flags & MAP_ANONYMOUS))
		rc = as_area_create(&base, len, rights);
	else if (rc == EOK)
		rc = mmap_file(&base, len, rights,
		    (flags & MAP_SHARED) && (prot & PROT_WRITE), fd, off);
	if (rc != EOK) {
		errno = rc;
		return MAP_FAILED;
	}
	return (void *) base;
}

int msync(void *addr, size_t len, int flags)
{
	int how = flags & (MS_ASYNC | MS_SYNC);
	errno_t rc = (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) != 0 ||
		how == (MS_ASYNC | MS_SYNC)
	    ? EINVAL
	    : as_area_sync((uintptr_t) addr, len);
	if (rc == ENOENT)
		rc = ENOMEM; /* POSIX: part of the range is not mapped */
	if (rc != EOK) {
		errno = rc;
		return -1;
	}
	return 0;
}

int munmap(void *addr, size_t len)
{
	errno_t rc = as_area_unmap((uintptr_t) addr, len);
	if (rc != EOK) {
		errno = rc;
		return -1;
	}
	return 0;
}
