/*
 * User-space pagers (abi/pager.h, docs/kernel.md "Pagers"): areas whose
 * pages a pager supplies on their first touch, and the pager's side of an
 * IPC_M_PAGE_IN call and of an IPC_M_PAGE_OUT call (a written page of a
 * write-back area, AS_PAGER_WRITEBACK, sent back: same request words).
 */
#ifndef LIBC_PAGER_H
#define LIBC_PAGER_H

#include <abi/pager.h>
#include <discard.h>
#include <ipc.h>

/** Makes an area of @a size bytes at *@a base (or anywhere with
 *  AS_AREA_ANY) with AS_AREA_* @a flags whose pages @a pager supplies.
 *  EINVAL (bad flags, size or offset), ENOENT (no such phone), EEXIST,
 *  ENOMEM. */
_NODISCARD errno_t as_area_create_pager(
    uintptr_t *base, size_t size, unsigned flags, const as_pager_t *pager);

/** The page an IPC_M_PAGE_IN request asks for. */
typedef struct {
	uint64_t offset; /* in the pager's object, page aligned */
	size_t size;
	uint64_t arg; /* the area's pager argument */
} pager_request_t;

/** Decodes IPC_M_PAGE_IN request @a call. */
void pager_request_get(const ipc_call_t *call, pager_request_t *req);
/** Copies the page that IPC_M_PAGE_OUT request @a call carries (@a size:
 *  the size it names) into @a buf; answer the call after storing it.
 *  EINVAL (not a PAGE_OUT, another size), ENOENT, EBADMEM. */
_NODISCARD errno_t pager_page_out_read(cap_handle_t call, void *buf, size_t size);
/** Answers a page-in with the @a size bytes at @a page (the size asked for:
 *  the kernel copies them); EINVAL for another size, EBADMEM. */
_NODISCARD errno_t pager_answer(cap_handle_t call, const void *page, size_t size);

#endif
