/*
 * User-space pagers (abi/pager.h, docs/kernel.md "Pagers"): a pager object
 * (MEM_OBJECT_PAGER) gets each page, on its first touch, from a pager
 * connection with an IPC_M_PAGE_IN call (ipc/m_page_in.c).
 *
 * Ownership: the object owns its mem_pager_t, which owns one reference to
 * the pager's phone (dropped by pager_release when the object dies: the
 * last reference hangs the connection up). A thread paging in holds a
 * reference to the object and to its call for the time of the call.
 * Locks: none held across the page-in; the page goes into the object under
 * obj->lock (mem_object_install) and is mapped under as->lock.
 */
#ifndef KERN_MM_PAGER_H
#define KERN_MM_PAGER_H

#include <mm/as.h>
#include <types.h>

struct phone;

typedef struct mem_pager {
	struct phone *phone; /* a reference, owned */
	uint64_t arg;	     /* args[2] of every IPC_M_PAGE_IN */
	uint64_t offset;     /* byte offset of the object's page 0 at the pager */
	/* Write-back pagers (AS_PAGER_WRITEBACK) only, else NULL: bit i set
	 * while page i holds writes its pager has not been sent; a clean page
	 * is mapped read-only, so its first write faults and sets the bit.
	 * Owned; guarded by the object's lock. */
	uint8_t *dirty;
} mem_pager_t;

/* IPC_M_PAGE_IN state in the call (m_page_in.c): call->buffer is the filled
 * frame (direct map) until the faulting thread takes it; when the kernel
 * refuses an answer, call->share_flags is PAGE_IN_REFUSED and
 * call->share_pages the size the answer offered. */
#define PAGE_IN_REFUSED 1

/** A new pager object of @a pages pages served by @a phone (its reference
 *  is taken over on success), with @a arg and @a offset (page aligned) as
 *  the pager names them; with @a writeback, written pages go back to the
 *  pager (IPC_M_PAGE_OUT). EINVAL (offset unaligned or the range wraps),
 *  ENOMEM. */
errno_t pager_object_create(struct phone *phone, uint64_t arg, uint64_t offset,
    size_t pages, bool writeback, mem_object_t **out);
/** Whether @a obj is a write-back pager object (inline: every fault of a
 *  writable page asks). */
static inline bool pager_writeback(const mem_object_t *obj)
{
	return obj->pager != NULL && obj->pager->dirty != NULL;
}
/**
 * Whether page @a index of @a obj, present, may be mapped writable for an
 * access of kind @a access: always for other objects; for a write-back
 * pager object a write marks the page dirty (yes), a read maps it writable
 * only if it is dirty already. Takes obj->lock (as->lock may be held).
 */
bool pager_page_access(mem_object_t *obj, size_t index, int access);
/** Clears the dirty mark of page @a index of write-back @a obj; whether it
 *  was set. Takes obj->lock. */
bool pager_page_clean(mem_object_t *obj, size_t index);
/**
 * Sends page @a index of write-back @a obj (its dirty mark just cleared,
 * its mappings read-only and shot down) to the pager in an IPC_M_PAGE_OUT
 * call and waits for the answer: EOK, or the pager's error (the page is
 * marked dirty again: nothing is lost), EHANGUP, EINTR (the task is being
 * killed), ENOMEM. No lock may be held; interrupts on.
 */
errno_t pager_page_out(mem_object_t *obj, size_t index);
/** Writes every dirty page of @a obj back without waiting: a copy of each
 *  goes in its own IPC_M_PAGE_OUT call (freed with the call) and the page
 *  is clean. For an object no thread writes any more (its task has ended,
 *  or it is dying): a page that cannot be sent (no memory, the pager gone)
 *  is lost. No lock may be held. */
void pager_post_dirty(mem_object_t *obj);
/**
 * msync: writes the dirty pages of the write-back areas of @a as in
 * [@a addr, @a addr + @a size) (size rounded up to pages) back, one
 * PAGE_OUT call at a time, each waited for; pages of other areas are
 * skipped. EINVAL: @a addr unaligned, @a size 0 or the range wraps; ENOENT:
 * a page of the range lies in no area (those before it were written);
 * EINTR: killed; else the first pager error (those pages stay dirty).
 */
errno_t pager_sync(as_t *as, uintptr_t addr, size_t size);
/** Frees @a pager and drops its phone (the object is dying). */
void pager_release(mem_pager_t *pager);
/**
 * Resolves a user fault at @a addr (an access of kind @a access, from @a ip)
 * that as_page_fault() answered with EAGAIN: asks the pager for the page,
 * sleeping (interrupts enabled) until it answers, and maps it. Interrupts
 * must be off on entry and are off on return; no lock may be held. EOK:
 * mapped, retry the access; ENOENT or EPERM: the area went away or changed
 * meanwhile (a fault as any other); EINTR: the task is being killed (also
 * after a pager failure, whose reason this logs): the thread must not go
 * back to the access.
 */
errno_t pager_fault(as_t *as, uintptr_t addr, int access, uintptr_t ip);

#endif
