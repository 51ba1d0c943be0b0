/*
 * Shared read-only program segments (proc/image.h). The kept segments are
 * a list of entries, each a filled anonymous object and its key. Lock:
 * images_lock guards the list and is a leaf (objects are referenced under
 * it, compared, filled and mapped outside it), kept in the order of their
 * last use. An entry whose object only the list references is no longer
 * mapped anywhere, and nothing can map it but a look-up under the lock:
 * such entries are dropped at every look-up and at every task's end
 * (image_sweep), so the pages of a program nobody runs are freed with its
 * last task (the leak checks count on it).
 */
#include <proc/image.h>
#include <arch/mm.h>
#include <common/arch/mem.h>
#include <mm/kmalloc.h>
#include <mm/mem_object.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <spinlock.h>
#include <string.h>
#include <syscall.h>
#include <uaccess.h>

typedef struct {
	link_t link; /* on `images` */
	bool module; /* key: a module's physical address; else a content hash */
	uint64_t key;
	size_t len;	   /* bytes of content; zero after them */
	size_t pages;	   /* of the object */
	mem_object_t *obj; /* the list's reference; pages filled, never written */
} image_seg_t;

/* Words sampled from user content for its key. */
#define KEY_SAMPLES 16
/* Bytes compared at a time from user memory. */
#define COMPARE_CHUNK 512

static list_t images = LIST_INITIALIZER(images);
static spinlock_t images_lock = SPINLOCK_INITIALIZER("images", IMAGES);

/** Moves to @a dead the entries nobody maps any more. images_lock held. */
static void sweep_locked(list_t *dead)
{
	link_t *link = list_first(&images);
	while (link != NULL) {
		link_t *next = list_next(link, &images);
		image_seg_t *e = list_get_instance(link, image_seg_t, link);
		if (__atomic_load_n(&e->obj->refcount, __ATOMIC_ACQUIRE) == 1) {
			list_remove(link);
			list_append(link, dead);
		}
		link = next;
	}
}

/** Frees the entries of @a dead (no lock held). */
static void dead_free(list_t *dead)
{
	link_t *link;
	while ((link = list_first(dead)) != NULL) {
		list_remove(link);
		image_seg_t *e = list_get_instance(link, image_seg_t, link);
		mem_object_put(e->obj);
		kfree(e);
	}
}

/** The object of the first entry like @a want, referenced for the caller
 *  (put it), or NULL. Drops unmapped entries on the way. */
static mem_object_t *find(const image_seg_t *want)
{
	list_t dead;
	list_initialize(&dead);
	image_seg_t *found = NULL;
	spinlock_lock(&images_lock);
	list_foreach (images, link, image_seg_t, e) {
		if (e->module == want->module && e->key == want->key &&
		    e->len == want->len && e->pages == want->pages) {
			found = e;
			break;
		}
	}
	if (found != NULL) {
		mem_object_get(found->obj);
		list_remove(&found->link); /* the most recently used last */
		list_append(&found->link, &images);
	}
	sweep_locked(&dead);
	spinlock_unlock(&images_lock);
	dead_free(&dead);
	return found != NULL ? found->obj : NULL;
}

void image_sweep(void)
{
	list_t dead;
	list_initialize(&dead);
	spinlock_lock(&images_lock);
	sweep_locked(&dead);
	spinlock_unlock(&images_lock);
	dead_free(&dead);
}

/** Keeps @a obj (a reference is taken) under @a want's key. Losing the
 *  entry (no memory) only loses the sharing. */
static void keep(const image_seg_t *want, mem_object_t *obj)
{
	image_seg_t *e = kmalloc(sizeof(*e));
	if (e == NULL)
		return;
	*e = *want;
	link_initialize(&e->link);
	mem_object_get(obj);
	e->obj = obj;
	spinlock_lock(&images_lock);
	list_append(&e->link, &images);
	spinlock_unlock(&images_lock);
}

/** Copies @a n bytes at @a src (a kernel address, or a user one with
 *  @a user) to @a dst. */
static errno_t source_copy(void *dst, uintptr_t src, size_t n, bool user)
{
	if (user)
		return copy_from_uspace(dst, src, n);
	memcpy(dst, (const void *) src, n);
	return EOK;
}

/** A new object of @a pages pages holding the @a len bytes at @a src. */
static errno_t object_fill(
    uintptr_t src, size_t len, size_t pages, bool user, mem_object_t **out)
{
	mem_object_t *obj = NULL;
	errno_t rc = mem_object_create_anon(pages, &obj);
	for (size_t off = 0; rc == EOK && off < len; off += PAGE_SIZE) {
		paddr_t pa;
		rc = mem_object_page(obj, off / PAGE_SIZE, &pa);
		if (rc == EOK)
			rc = source_copy(
			    phys_to_virt(pa), src + off, MIN(len - off, PAGE_SIZE), user);
	}
	if (rc != EOK && obj != NULL)
		mem_object_put(obj);
	else if (rc == EOK)
		*out = obj;
	return rc;
}

/** An object of @a pages pages holding the @a len bytes of a kept boot
 *  module at @a src and zeroes after them: the module's frames themselves
 *  when they hold exactly that (no copy, no frame of the allocator; a
 *  physical object never frees them), else a filled copy. */
static errno_t module_object(paddr_t src, size_t len, size_t pages, mem_object_t **out)
{
	size_t tail = ALIGN_UP(len, PAGE_SIZE) - len;
	const uint8_t *bytes = phys_to_virt(src);
	if (IS_ALIGNED(src, PAGE_SIZE) && ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE == pages &&
	    mem_is_zero(bytes + len, tail))
		return mem_object_create_module(src, pages, out);
	return object_fill((uintptr_t) bytes, len, pages, false, out);
}

/** Whether the @a n bytes (a multiple of 8) at @a a and @a b are equal. */
static bool words_equal(const uint64_t *a, const uint64_t *b, size_t n)
{
#ifdef ARCH_MEM_COPY
	return arch_mem_equal_quads(a, b, n / 8);
#else
	uint64_t diff = 0;
	for (size_t i = 0; i < n / 8; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
#endif
}

/** Whether the @a len bytes at user address @a src are the first bytes of
 *  @a obj (EBADMEM-like failures count as different). */
static bool user_matches(mem_object_t *obj, uintptr_t src, size_t len)
{
	uint64_t chunk[COMPARE_CHUNK / 8];
	paddr_t pa = 0;
	for (size_t off = 0; off < len; off += COMPARE_CHUNK) {
		if (off % PAGE_SIZE == 0 &&
		    mem_object_lookup(obj, off / PAGE_SIZE, &pa) != EOK)
			return false;
		size_t n = MIN(len - off, (size_t) COMPARE_CHUNK);
		if (n % 8 != 0)
			chunk[n / 8] = 0;
		if (copy_from_uspace(chunk, src + off, n) != EOK)
			return false;
		const uint64_t *kept = (const uint64_t *) phys_to_virt(
		    pa + off % PAGE_SIZE);
		/* A short last piece: its bytes after len are zero in both. */
		if (!words_equal(chunk, kept, ALIGN_UP(n, 8)))
			return false;
	}
	return true;
}

/** A key for the @a len user bytes at @a src: words sampled across them
 *  (the verification compares all of them). */
static errno_t user_key(uintptr_t src, size_t len, uint64_t *key)
{
	uint64_t h = 0xcbf29ce484222325ull ^ len;
	for (size_t i = 0; i < KEY_SAMPLES && len >= 8; i++) {
		uint64_t w;
		errno_t rc = copy_from_uspace(
		    &w, src + (len - 8) / (KEY_SAMPLES - 1) * i, 8);
		if (rc != EOK)
			return rc;
		h = (h ^ w) * 0x100000001b3ull;
	}
	*key = h;
	return EOK;
}

/** Maps @a obj read-only at @a base (@a size bytes, @a flags). */
static errno_t map(
    as_t *as, uintptr_t base, size_t size, unsigned flags, mem_object_t *obj)
{
	errno_t rc = as_area_create_readonly(as, &base, size, flags, obj);
	mem_object_put(obj);
	return rc;
}

/** The kept object for @a want, or a new one (kept): filled from user
 *  address @a src with @a user, else a module's (at physical address
 *  want->key; module_object). */
static errno_t object_get(
    const image_seg_t *want, uintptr_t src, bool user, mem_object_t **out)
{
	mem_object_t *obj = find(want);
	if (obj != NULL && (!user || user_matches(obj, src, want->len))) {
		*out = obj;
		return EOK;
	}
	if (obj != NULL)
		mem_object_put(obj); /* the same key, other bytes: not shared */
	errno_t rc = user ? object_fill(src, want->len, want->pages, true, &obj)
			  : module_object(want->key, want->len, want->pages, &obj);
	if (rc == EOK) {
		keep(want, obj);
		*out = obj;
	}
	return rc;
}

/** Checks what both sources share: read-only, the content inside. */
static errno_t args_check(size_t size, unsigned flags, size_t len, size_t *pages)
{
	if ((flags & AS_AREA_WRITE) || size == 0 || len > size)
		return EINVAL;
	*pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	return EOK;
}

errno_t image_map_module(
    as_t *as, uintptr_t base, size_t size, unsigned flags, paddr_t src, size_t len)
{
	image_seg_t want = {.module = true, .key = src, .len = len};
	errno_t rc = args_check(size, flags, len, &want.pages);
	mem_object_t *obj;
	if (rc == EOK)
		rc = object_get(&want, 0, false, &obj);
	return rc == EOK ? map(as, base, size, flags, obj) : rc;
}

/** Whether the @a len bytes at the caller's address @a src lie in one of
 *  its areas over a kept module's frames (module_map); their physical
 *  address in *@a pa. Those frames never change or go, so the address
 *  names the bytes as image_map_module's key does. */
static bool user_module_source(uintptr_t src, size_t len, paddr_t *pa)
{
	mem_object_t *obj;
	size_t index;
	if (len == 0 ||
	    as_area_object_range(THREAD->task->as, src, len, &obj, &index) != EOK)
		return false;
	bool kept = mem_object_kept_module(obj);
	if (kept)
		*pa = obj->phys_base + index * PAGE_SIZE + src % PAGE_SIZE;
	mem_object_put(obj);
	return kept;
}

errno_t image_map_user(
    as_t *as, uintptr_t base, size_t size, unsigned flags, uintptr_t src, size_t len)
{
	paddr_t pa;
	if (user_module_source(src, len, &pa))
		return image_map_module(as, base, size, flags, pa, len);
	image_seg_t want = {.module = false, .len = len};
	errno_t rc = args_check(size, flags, len, &want.pages);
	if (rc == EOK)
		rc = user_key(src, len, &want.key);
	mem_object_t *obj;
	if (rc == EOK)
		rc = object_get(&want, src, true, &obj);
	return rc == EOK ? map(as, base, size, flags, obj) : rc;
}

sysarg_t sys_as_area_create_image(
    sysarg_t base, sysarg_t size, sysarg_t flags, sysarg_t src, sysarg_t len)
{
	if (base == AS_AREA_ANY || flags > 0xffffffff)
		return (sysarg_t) EINVAL;
	return (sysarg_t) image_map_user(
	    THREAD->task->as, base, size, (unsigned) flags, src, len);
}
