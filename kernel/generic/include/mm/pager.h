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
} mem_pager_t;

/* IPC_M_PAGE_IN state in the call (m_page_in.c): call->buffer is the filled
 * frame (direct map) until the faulting thread takes it; when the kernel
 * refuses an answer, call->share_flags is PAGE_IN_REFUSED and
 * call->share_pages the size the answer offered. */
#define PAGE_IN_REFUSED 1

/** A new pager object of @a pages pages served by @a phone (its reference
 *  is taken over on success), with @a arg and @a offset (page aligned) as
 *  the pager names them. EINVAL (offset unaligned or the range wraps),
 *  ENOMEM. */
errno_t pager_object_create(
    struct phone *phone, uint64_t arg, uint64_t offset, size_t pages, mem_object_t **out);
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
