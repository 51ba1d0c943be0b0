/*
 * Memory objects back address-space areas. An anonymous object owns the
 * frames it hands out (allocated zeroed on first use); a physical object
 * describes a fixed range of physical memory it does not own (device memory);
 * a DMA object owns one physically contiguous block of RAM, allocated zeroed
 * when it is made and freed with the object (memory a device reaches by DMA).
 * Objects are reference counted, so two areas in different address spaces
 * can share one (IPC memory sharing). A pager object (mm/pager.c) keeps its
 * pages in the same table as an anonymous one, but a page absent there is
 * asked of a user-space pager (IPC_M_PAGE_IN) instead of zero-filled; it
 * commits nothing (its frames come when the pager answers).
 *
 * Commit accounting: an anonymous object made by mem_object_create_anon()
 * holds a promise (frame_commit) for every frame it may still need, its
 * absent pages and absent chunks, taken when it is created or grown; so
 * creating and growing fail with ENOMEM, and faulting its pages in never
 * runs out. One made by mem_object_create_noreserve() promises nothing: its
 * pages come from the unpromised frames when first used and may find none
 * (AS_AREA_NORESERVE: stacks, which stay sparse).
 * Lock: obj->lock guards the page table of the object.
 */
#ifndef KERN_MM_MEM_OBJECT_H
#define KERN_MM_MEM_OBJECT_H

#include <spinlock.h>
#include <types.h>

#define MEM_OBJECT_CHUNK_PAGES 512 /* pages described by one chunk (4 KiB of entries) */

typedef enum {
	MEM_OBJECT_ANON,
	MEM_OBJECT_PHYS,
	MEM_OBJECT_DMA,
	MEM_OBJECT_PAGER,
} mem_object_type_t;

struct mem_pager;

typedef struct mem_object {
	mem_object_type_t type;
	spinlock_t lock;
	uint64_t refcount;
	size_t pages;
	paddr_t phys_base; /* MEM_OBJECT_PHYS and MEM_OBJECT_DMA */
	/* MEM_OBJECT_PHYS of frames outside the allocator (a boot module's):
	 * given to the allocator when the object goes. */
	bool gives_frames;
	/* MEM_OBJECT_PHYS of ordinary memory (a boot module's frames), not a
	 * device's: a debugger may read it (as_read_page). */
	bool ram;
	paddr_t *
	    *chunks; /* MEM_OBJECT_ANON: chunks[i][j] = frame of page i*512+j, or 0 */
	size_t chunk_count;
	size_t resident;       /* frames allocated (anonymous) */
	size_t chunks_present; /* chunk frames allocated (anonymous) */
	bool commits;	       /* anonymous, made by mem_object_create_anon */
	/* Frames promised and not yet allocated; if `commits`, always
	 * (pages - resident) + (chunks for pages - chunks_present). */
	size_t committed;
	struct mem_pager *pager; /* MEM_OBJECT_PAGER: owned (mm/pager.c) */
} mem_object_t;

/** Whether @a obj maps the frames of a boot module kept for good
 *  (mem_object_create_module, proc/module.h): frames no area can write
 *  and nothing frees, so their physical address names their bytes. */
static inline bool mem_object_kept_module(const mem_object_t *obj)
{
	return obj->type == MEM_OBJECT_PHYS && obj->ram && !obj->gives_frames;
}

/** Whether @a obj keeps its pages in a table (anonymous and pager objects),
 *  so a page may be absent. */
static inline bool mem_object_paged(const mem_object_t *obj)
{
	return obj->type == MEM_OBJECT_ANON || obj->type == MEM_OBJECT_PAGER;
}

void mem_object_init(void);
/** A new anonymous object of @a pages pages, all of them committed; ENOMEM. */
errno_t mem_object_create_anon(size_t pages, mem_object_t **out);
/** A new anonymous object of @a pages pages that commits nothing; ENOMEM. */
errno_t mem_object_create_noreserve(size_t pages, mem_object_t **out);
errno_t mem_object_create_phys(paddr_t base, size_t pages, mem_object_t **out);
/** mem_object_create_phys of @a pages frames of ordinary memory from
 *  @a base on, reserved at boot (a kept boot module's): never freed, and
 *  readable by a debugger. ENOMEM. */
errno_t mem_object_create_module(paddr_t base, size_t pages, mem_object_t **out);
/** mem_object_create_phys of @a pages reserved frames from @a base on that
 *  nobody else uses (a boot module's): the frames are given to the frame
 *  allocator when the object goes. ENOMEM. */
errno_t mem_object_create_giving(paddr_t base, size_t pages, mem_object_t **out);
/** A new DMA object: @a pages physically contiguous zeroed frames, all below
 *  4 GiB if @a below_4g; ENOMEM when no such block is free. */
errno_t mem_object_create_dma(size_t pages, bool below_4g, mem_object_t **out);
/** A new pager object of @a pages pages, none present, owning @a pager
 *  (freed with the object by pager_release); ENOMEM (@a pager not taken). */
errno_t mem_object_create_pager(
    size_t pages, struct mem_pager *pager, mem_object_t **out);
void mem_object_get(mem_object_t *obj);
/** Drops a reference; the last one frees the object and its frames. */
void mem_object_put(mem_object_t *obj);
/** Frame backing page @a index, allocating a zeroed one if needed; ENOMEM,
 *  EINVAL; EAGAIN for a pager object's page not yet paged in. */
errno_t mem_object_page(mem_object_t *obj, size_t index, paddr_t *pa);
/** Frame backing page @a index if it exists; ENOENT otherwise. */
errno_t mem_object_lookup(mem_object_t *obj, size_t index, paddr_t *pa);
/** The first index in [@a from, @a to) of paged object @a obj whose page
 *  has a frame, or @a to (at most the object's size): one lock and a word
 *  scan of the table for the range, where mem_object_lookup() takes the
 *  lock per page (whole chunks never used are skipped at once). */
size_t mem_object_next_present(mem_object_t *obj, size_t from, size_t to);
/** Makes frame @a pa (taken over) page @a index of pager object @a obj;
 *  EEXIST if the page is present already (@a pa is not taken), ENOMEM. */
errno_t mem_object_install(mem_object_t *obj, size_t index, paddr_t pa);
/** Changes the size; shrinking frees the frames beyond the new end (and
 *  their promise), growing a committing object commits the new pages
 *  (ENOMEM, the object unchanged). */
errno_t mem_object_resize(mem_object_t *obj, size_t pages);

#endif
