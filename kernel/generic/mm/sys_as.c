/*
 * Address-space system calls. Every pointer argument is probed before the
 * address space changes, so a bad pointer never leaves a half-done change.
 */
#include <arch.h>
#include <boot.h>
#include <common/arch/page.h>
#include <cpu.h>
#include <mm/as.h>
#include <mm/pager.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <syscall.h>
#include <uaccess.h>

static as_t *current_as(void)
{
	return THREAD->task->as;
}

sysarg_t sys_as_area_create(sysarg_t base_inout, sysarg_t size, sysarg_t flags)
{
	uintptr_t base;
	errno_t rc = copy_from_uspace(&base, base_inout, sizeof(base));
	if (rc == EOK)
		rc = copy_to_uspace(base_inout, &base, sizeof(base));
	if (rc != EOK)
		return (sysarg_t) rc;
	if (flags > 0xffffffff)
		return (sysarg_t) EINVAL;
	rc = as_area_create(current_as(), &base, size, (unsigned) flags, NULL, 0);
	if (rc != EOK)
		return (sysarg_t) rc;
	rc = copy_to_uspace(base_inout, &base, sizeof(base));
	if (rc != EOK) /* unmapped meanwhile by another thread: undo */
		as_area_destroy(current_as(), base);
	return (sysarg_t) rc;
}

sysarg_t sys_as_area_resize(sysarg_t base, sysarg_t size)
{
	return (sysarg_t) as_area_resize(current_as(), base, size);
}

/** Before [@a addr, @a addr + @a size) is unmapped: its written pages of
 *  write-back pager areas reach their pagers (and so the file) first. A
 *  pager's error leaves those pages dirty: they are sent once more, without
 *  waiting, when the area's object ends. EINTR: killed meanwhile. */
static errno_t writeback_before_unmap(uintptr_t addr, size_t size)
{
	errno_t rc = pager_sync(current_as(), addr, size);
	return rc == EINTR ? EINTR : EOK;
}

sysarg_t sys_as_area_unmap(sysarg_t addr, sysarg_t size)
{
	errno_t rc = writeback_before_unmap(addr, size);
	if (rc == EOK)
		rc = as_area_unmap(current_as(), addr, size);
	return (sysarg_t) rc;
}

/** An area of a write-back pager sends its written pages first (which may
 *  wait); any other goes in one look-up. */
sysarg_t sys_as_area_destroy(sysarg_t base)
{
	size_t size;
	errno_t rc = as_area_destroy_clean(current_as(), base, &size);
	if (rc != EAGAIN)
		return (sysarg_t) rc;
	rc = writeback_before_unmap(base, size);
	if (rc == EOK)
		rc = as_area_destroy(current_as(), base);
	return (sysarg_t) rc;
}

sysarg_t sys_as_area_change_flags(sysarg_t base, sysarg_t flags)
{
	if (flags > 0xffffffff)
		return (sysarg_t) EINVAL;
	return (sysarg_t) as_area_change_flags(current_as(), base, (unsigned) flags);
}

sysarg_t sys_as_area_query(sysarg_t addr, sysarg_t info_out)
{
	as_area_info_t info;
	errno_t rc = as_area_query(current_as(), addr, &info);
	if (rc != EOK)
		return (sysarg_t) rc;
	return (sysarg_t) copy_to_uspace(info_out, &info, sizeof(info));
}

/** Whether [phys, phys + size) avoids all RAM the kernel manages. */
bool physmem_is_device(uint64_t phys, uint64_t size)
{
	if (arch_physmem_kernel_only(phys, size))
		return false;
	for (size_t i = 0; i < boot_info.memmap_count; i++) {
		const boot_memrange_t *r = &boot_info.memmap[i];
		if (r->type == MEMRANGE_AVAILABLE && phys < r->base + r->size &&
		    r->base < phys + size)
			return false;
	}
	return true;
}

sysarg_t sys_physmem_map(sysarg_t phys, sysarg_t size, sysarg_t flags, sysarg_t base_out)
{
	if (phys % PAGE_SIZE != 0 || size == 0 || size > (1ull << 40) ||
	    phys + size < phys || flags > 0xffffffff)
		return (sysarg_t) EINVAL;
	if (!physmem_is_device(phys, size))
		return (sysarg_t) EPERM;
	errno_t use = task_hwres_use(
	    THREAD->task, PERM_PHYSMEM, HWRES_MEM, phys, size, false);
	if (use != EOK)
		return (sysarg_t) use;
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = copy_to_uspace(base_out, &base, sizeof(base));
	if (rc != EOK)
		return (sysarg_t) rc;
	mem_object_t *obj;
	size_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	rc = mem_object_create_phys(phys, pages, &obj);
	if (rc != EOK)
		return (sysarg_t) rc;
	rc = as_area_create(current_as(), &base, size, (unsigned) flags, obj, 0);
	mem_object_put(obj); /* the area holds its own reference */
	if (rc == EOK) {
		rc = copy_to_uspace(base_out, &base, sizeof(base));
		if (rc != EOK)
			as_area_destroy(current_as(), base);
	}
	if (rc == EOK)
		arch_physmem_mapped(phys, size);
	return (sysarg_t) rc;
}

/** Maps @a obj (its size counted in QUOTA_MEMORY already) read-write at a
 *  base the kernel picks and tells the caller the base and the physical
 *  address; on a bad pointer nothing stays mapped or counted. */
static errno_t dmamem_publish(
    mem_object_t *obj, size_t size, sysarg_t base_out, sysarg_t phys_out)
{
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = as_area_create_precharged(current_as(), &base, size,
	    AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE, obj);
	if (rc != EOK)
		return rc;
	uint64_t phys = obj->phys_base;
	rc = copy_to_uspace(base_out, &base, sizeof(base));
	if (rc == EOK)
		rc = copy_to_uspace(phys_out, &phys, sizeof(phys));
	if (rc != EOK)
		as_area_destroy(current_as(), base);
	return rc;
}

sysarg_t sys_dmamem_map(
    sysarg_t size, sysarg_t flags, sysarg_t base_out, sysarg_t phys_out)
{
	if (size == 0 || size > DMAMEM_MAX || (flags & ~(sysarg_t) DMAMEM_BELOW_4G) != 0)
		return (sysarg_t) EINVAL;
	if (!task_drives_hw(THREAD->task, PERM_PHYSMEM))
		return (sysarg_t) EPERM;
	uintptr_t probe =
	    AS_AREA_ANY; /* both pointers writable before anything is made */
	errno_t rc = copy_to_uspace(base_out, &probe, sizeof(probe));
	if (rc == EOK)
		rc = copy_to_uspace(phys_out, &probe, sizeof(probe));
	if (rc != EOK)
		return (sysarg_t) rc;
	mem_object_t *obj;
	size = (size + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
	/* Counted in QUOTA_MEMORY before the frames are taken (ELIMIT). */
	rc = as_commit_charge(current_as(), size);
	if (rc != EOK)
		return (sysarg_t) rc;
	rc = mem_object_create_dma(size / PAGE_SIZE, flags & DMAMEM_BELOW_4G, &obj);
	if (rc != EOK) {
		as_commit_uncharge(current_as(), size);
		return (sysarg_t) rc;
	}
	rc = dmamem_publish(obj, size, base_out, phys_out);
	mem_object_put(obj); /* the area holds its own reference */
	return (sysarg_t) rc;
}
