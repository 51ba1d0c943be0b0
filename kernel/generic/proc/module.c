/*
 * The boot modules' lifetime (proc/module.h). Lock: modules_lock guards
 * each module's pin count and whether it was taken (a leaf: nothing is
 * taken under it). A taken module is never given back, so a module found
 * untaken and pinned under the lock stays readable until unpinned.
 */
#include <proc/module.h>
#include <arch/mm.h>
#include <mm/frame.h>
#include <mm/mem_object.h>
#include <spinlock.h>
#include <string.h>

typedef struct {
	unsigned pins; /* readers copying from the module now, and module_keep's */
	bool taken;    /* its frames belong to a task's area */
	bool kept;     /* pinned for good: its frames may be mapped (module_keep) */
} module_state_t;

static module_state_t states[BOOT_MODULES_MAX];
static spinlock_t modules_lock = SPINLOCK_INITIALIZER("modules", MODULES);

/** The untaken module named @a name (its command line's first word), or
 *  NULL. modules_lock held. */
static const boot_module_t *find_locked(const char *name, module_state_t **state)
{
	size_t len = strlen(name);
	for (size_t i = 0; len > 0 && i < boot_info.module_count; i++) {
		const boot_module_t *m = &boot_info.modules[i];
		if (!states[i].taken && strncmp(m->cmdline, name, len) == 0 &&
		    (m->cmdline[len] == '\0' || m->cmdline[len] == ' ')) {
			*state = &states[i];
			return m;
		}
	}
	return NULL;
}

errno_t module_pin(const char *name, const boot_module_t **module)
{
	module_state_t *state;
	spinlock_lock(&modules_lock);
	const boot_module_t *m = find_locked(name, &state);
	if (m != NULL)
		state->pins++;
	spinlock_unlock(&modules_lock);
	*module = m;
	return m != NULL ? EOK : ENOENT;
}

void module_unpin(const boot_module_t *module)
{
	spinlock_lock(&modules_lock);
	states[module - boot_info.modules].pins--;
	spinlock_unlock(&modules_lock);
}

/** Whether the rest of module @a m's last page after its end is its own:
 *  no other module starts there. */
static bool tail_own(const boot_module_t *m)
{
	paddr_t page_end = ALIGN_UP(m->end, FRAME_SIZE);
	for (size_t i = 0; i < boot_info.module_count; i++) {
		paddr_t start = boot_info.modules[i].start;
		if (start >= m->end && start < page_end)
			return false;
	}
	return true;
}

/** Zeroes the module's last page after its end when it is its own
 *  (whatever lay there before boot is not the taker's to see). */
static void tail_clear(const boot_module_t *m)
{
	size_t tail = ALIGN_UP(m->end, FRAME_SIZE) - m->end;
	if (tail_own(m))
		memset(phys_to_virt(m->end), 0, tail);
}

void module_keep(const boot_module_t *module)
{
	spinlock_lock(&modules_lock);
	module_state_t *state = &states[module - boot_info.modules];
	bool first = !state->kept;
	if (first) {
		state->kept = true;
		state->pins++;	    /* never dropped */
		tail_clear(module); /* mapped whole, it shows nothing else */
	}
	spinlock_unlock(&modules_lock);
	/* Never freed from now on: memory in use, as a taken module's (outside
	 * modules_lock, a leaf). */
	if (first)
		frame_hold((ALIGN_UP(module->end, FRAME_SIZE) -
			       ALIGN_DOWN(module->start, FRAME_SIZE)) /
		    FRAME_SIZE);
}

/** Marks module @a name taken unless it is pinned; its module in *@a out. */
static errno_t claim(const char *name, const boot_module_t **out)
{
	module_state_t *state;
	spinlock_lock(&modules_lock);
	const boot_module_t *m = find_locked(name, &state);
	errno_t rc = m == NULL			? ENOENT
	    : state->pins > 0			? EBUSY
	    : !IS_ALIGNED(m->start, FRAME_SIZE) ? ENOTSUP
						: EOK;
	if (rc == EOK)
		state->taken = true;
	spinlock_unlock(&modules_lock);
	*out = m;
	return rc;
}

/** Gives a claimed module back to the list (its hand-over failed). */
static void unclaim(const boot_module_t *m)
{
	spinlock_lock(&modules_lock);
	states[m - boot_info.modules].taken = false;
	spinlock_unlock(&modules_lock);
}

errno_t module_take(as_t *as, const char *name, uintptr_t *base, uint64_t *size)
{
	const boot_module_t *m;
	errno_t rc = claim(name, &m);
	if (rc != EOK)
		return rc;
	size_t bytes = ALIGN_UP(m->end, FRAME_SIZE) - m->start;
	mem_object_t *obj;
	rc = as_commit_charge(as, bytes);
	if (rc != EOK) {
		unclaim(m);
		return rc;
	}
	rc = mem_object_create_giving(m->start, bytes / FRAME_SIZE, &obj);
	if (rc != EOK) {
		as_commit_uncharge(as, bytes);
		unclaim(m);
		return rc;
	}
	frame_hold(bytes / FRAME_SIZE); /* in use now: the task's memory */
	tail_clear(m);
	*base = AS_AREA_ANY;
	rc = as_area_create_precharged(
	    as, base, bytes, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE, obj);
	if (rc != EOK) {
		/* Ours alone (a failed area_create put its reference back): the
		 * frames stay the module's, which stays in the list. */
		obj->gives_frames = false;
		frame_unhold(bytes / FRAME_SIZE);
		unclaim(m);
	}
	mem_object_put(obj); /* the area's reference keeps it */
	*size = m->end - m->start;
	return rc;
}

/** Whether module @a m may be mapped whole (module_map): page-aligned, its
 *  last page after its end its own (module_keep zeroes it), and an ELF
 *  file or a cpio archive ("070701", the root archive tmpfs maps so that
 *  its files' pages can serve programs); other modules (configuration) are
 *  read, never kept. */
static errno_t mappable(const boot_module_t *m)
{
	const uint8_t *bytes = phys_to_virt(m->start);
	if (!IS_ALIGNED(m->start, FRAME_SIZE) || !tail_own(m))
		return ENOTSUP;
	bool elf = m->end - m->start >= 4 && memcmp(bytes, "\177ELF", 4) == 0;
	bool cpio = m->end - m->start >= 6 && memcmp(bytes, "070701", 6) == 0;
	return elf || cpio ? EOK : ENOEXEC;
}

errno_t module_map(as_t *as, const char *name, uintptr_t *base, uint64_t *size)
{
	const boot_module_t *m;
	errno_t rc = module_pin(name, &m);
	if (rc != EOK)
		return rc;
	rc = mappable(m);
	size_t pages = (ALIGN_UP(m->end, FRAME_SIZE) - m->start) / FRAME_SIZE;
	mem_object_t *obj = NULL;
	if (rc == EOK)
		rc = mem_object_create_module(m->start, pages, &obj);
	if (rc == EOK) {
		module_keep(m); /* its frames stay as they are for good */
		*base = AS_AREA_ANY;
		rc = as_area_create_readonly(
		    as, base, pages * FRAME_SIZE, AS_AREA_READ | AS_AREA_CACHEABLE, obj);
		mem_object_put(obj); /* the area's reference keeps it */
	}
	*size = m->end - m->start;
	module_unpin(m);
	return rc;
}
