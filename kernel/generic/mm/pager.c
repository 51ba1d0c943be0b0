/*
 * User-space pagers (mm/pager.h): pager objects and the page-in of a
 * faulting thread. A page-in is one IPC_M_PAGE_IN call sent through the
 * object's phone on behalf of the faulting task; the answerer's bytes land
 * in a new frame (ipc/m_page_in.c), which this installs in the object and
 * maps. Two threads faulting on one page may both ask; the second frame to
 * arrive is freed.
 *
 * A page-in that cannot succeed (the pager refused, answered wrongly, hung
 * up, or no memory) kills the faulting task with the reason logged; the
 * faulting thread leaves through the kill (EINTR), never back to the access.
 *
 * Write-back (AS_PAGER_WRITEBACK): the object's frames stay its own; a
 * write-back sends a copy of a dirty page (IPC_M_PAGE_OUT, ipc/m_page_out.c)
 * and waits for the answer, so the pager has the bytes in its file before
 * msync or munmap returns. Only a dying object gives its frames away: each
 * dirty one moves into a PAGE_OUT call that nobody waits for.
 */
#include <mm/pager.h>
#include <arch/asm.h>
#include <arch/mm.h>
#include <common/strerror.h>
#include <cpu.h>
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <mm/frame.h>
#include <arch/layout.h>
#include <mm/kmalloc.h>
#include <string.h>
#include <printf.h>
#include <proc/task.h>
#include <proc/thread.h>

errno_t pager_object_create(phone_t *phone, uint64_t arg, uint64_t offset, size_t pages,
    bool writeback, mem_object_t **out)
{
	if (!IS_ALIGNED(offset, PAGE_SIZE) || pages > (UINT64_MAX - offset) / PAGE_SIZE)
		return EINVAL;
	mem_pager_t *pager = kmalloc(sizeof(*pager));
	if (pager == NULL)
		return ENOMEM;
	*pager = (mem_pager_t){.phone = phone, .arg = arg, .offset = offset};
	if (writeback && (pager->dirty = kzalloc(pages / 8 + 1)) == NULL) {
		kfree(pager);
		return ENOMEM;
	}
	errno_t rc = mem_object_create_pager(pages, pager, out);
	if (rc != EOK) {
		kfree(pager->dirty);
		kfree(pager);
	}
	return rc;
}

void pager_release(mem_pager_t *pager)
{
	kobject_put(&pager->phone->kobj);
	kfree(pager->dirty);
	kfree(pager);
}

/** Sets (@a set) or clears the dirty mark of page @a index of write-back
 *  @a obj; whether it was set. */
static bool dirty_mark(mem_object_t *obj, size_t index, bool set)
{
	uint8_t bit = (uint8_t) (1u << (index % 8));
	spinlock_lock(&obj->lock);
	uint8_t *byte = &obj->pager->dirty[index / 8];
	bool was = (*byte & bit) != 0;
	*byte = set ? (uint8_t) (*byte | bit) : (uint8_t) (*byte & ~bit);
	spinlock_unlock(&obj->lock);
	return was;
}

bool pager_page_access(mem_object_t *obj, size_t index, int access)
{
	if (!pager_writeback(obj))
		return true;
	if (access == AS_ACCESS_WRITE) {
		dirty_mark(obj, index, true);
		return true;
	}
	spinlock_lock(&obj->lock);
	bool dirty = (obj->pager->dirty[index / 8] & (1u << (index % 8))) != 0;
	spinlock_unlock(&obj->lock);
	return dirty;
}

bool pager_page_clean(mem_object_t *obj, size_t index)
{
	return dirty_mark(obj, index, false);
}

/** A copy of page @a index of @a obj in a new frame; ENOENT, ENOMEM. */
static errno_t page_copy(mem_object_t *obj, size_t index, paddr_t *copy)
{
	paddr_t pa;
	errno_t rc = mem_object_lookup(obj, index, &pa);
	if (rc == EOK)
		rc = frame_alloc(0, copy);
	if (rc == EOK)
		memcpy(phys_to_virt(*copy), phys_to_virt(pa), PAGE_SIZE);
	return rc;
}

/** A PAGE_OUT call from @a sender for page @a index of @a obj carrying
 *  frame @a pa (the call's from now on, also on failure); NULL: no memory
 *  (the frame freed). */
static call_t *page_out_call(mem_object_t *obj, size_t index, paddr_t pa, task_t *sender)
{
	call_t *call = call_create_discarded(IPC_M_PAGE_OUT, sender);
	if (call == NULL) {
		frame_free(pa);
		return NULL;
	}
	call->data.args[0] = obj->pager->offset + (uint64_t) index * PAGE_SIZE;
	call->data.args[1] = PAGE_SIZE;
	call->data.args[2] = obj->pager->arg;
	call->buffer = phys_to_virt(pa);
	call->buffer_size = PAGE_SIZE;
	return call;
}

errno_t pager_page_out(mem_object_t *obj, size_t index)
{
	paddr_t copy;
	errno_t rc = page_copy(obj, index, &copy);
	call_t *call = NULL;
	if (rc == EOK) {
		call = page_out_call(obj, index, copy, THREAD->task);
		rc = call == NULL ? ENOMEM : EOK;
	}
	ipc_data_t answer;
	if (rc == EOK)
		rc = ipc_call_kernel_wait(obj->pager->phone, call, &answer);
	if (rc == EOK)
		rc = (errno_t) answer.method;
	if (rc != EOK)
		dirty_mark(obj, index, true); /* kept for the next write-back */
	return rc;
}

void pager_post_dirty(mem_object_t *obj)
{
	if (!pager_writeback(obj))
		return;
	for (size_t i = 0; i < obj->pages; i++) {
		paddr_t copy;
		if (!pager_page_clean(obj, i) || page_copy(obj, i, &copy) != EOK)
			continue;
		call_t *call = page_out_call(obj, i, copy, &kernel_task);
		if (call != NULL)
			ipc_call_kernel_post(obj->pager->phone, call);
	}
}

errno_t pager_sync(as_t *as, uintptr_t addr, size_t size)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE) || size == 0 || size > USER_SPACE_END ||
	    addr > USER_SPACE_END - size)
		return EINVAL;
	errno_t first = EOK;
	uintptr_t next;
	for (uintptr_t va = addr; va < addr + size; va = next) {
		mem_object_t *obj;
		size_t index;
		errno_t rc = as_page_take_dirty(as, va, &obj, &index, &next);
		if (rc == ENOENT)
			return ENOENT;
		if (rc != EOK)
			continue; /* clean, or not a write-back area */
		rc = pager_page_out(obj, index);
		mem_object_put(obj);
		if (rc == EINTR)
			return EINTR;
		first = first == EOK ? rc : first;
	}
	return first;
}

/** Logs why the current task dies of a page-in at @a addr and kills it;
 *  EINTR (its threads leave on their way out). */
static errno_t page_in_failed(uintptr_t addr, uintptr_t ip, const char *why)
{
	task_t *task = THREAD->task;
	printf("task %llu (%s) killed: page-in at %p, ip %p (pager: %s)\n",
	    (unsigned long long) task->id, task->name, (void *) addr, (void *) ip, why);
	task_exit_t how = {.how = TASK_EXIT_FAULT,
	    .status = TASK_FAULT_PAGE,
	    .fault_addr = addr,
	    .fault_ip = ip};
	task_kill(task, &how);
	return EINTR;
}

/** The reason an answered page-in failed, for the log, into @a buf. */
static void answer_failure(const call_t *call, errno_t rc, char *buf, size_t size)
{
	if (call->share_flags == PAGE_IN_REFUSED && rc == EINVAL)
		snprintf(buf, size, "answered %zu bytes for a %zu-byte page",
		    call->share_pages, call->buffer_size);
	else if (call->share_flags == PAGE_IN_REFUSED)
		snprintf(buf, size, "bad answer, %s", str_error(rc));
	else if (rc == EHANGUP)
		snprintf(buf, size, "gone, %s", str_error(rc));
	else
		snprintf(buf, size, "refused, %s", str_error(rc));
}

/** Sends @a call through @a pager's phone and waits for the answer; on
 *  success *@a pa is the filled frame (now the caller's). */
static errno_t page_in_call(
    mem_pager_t *pager, call_t *call, uintptr_t addr, uintptr_t ip, paddr_t *pa)
{
	kobject_get(&call->kobj); /* ours: the frame is taken from it after the answer */
	ipc_data_t answer;
	errno_t rc = ipc_call_kernel_wait(pager->phone, call, &answer);
	if (rc == EOK)
		rc = (errno_t) answer.method;
	char why[64];
	if (rc == EOK) {
		*pa = virt_to_phys(call->buffer);
		call->buffer = NULL;
	} else if (rc != EINTR) {
		answer_failure(call, rc, why, sizeof(why));
	}
	kobject_put(&call->kobj);
	if (rc == EINTR || rc == EOK)
		return rc;
	return page_in_failed(addr, ip, why);
}

/** Asks the pager of @a obj for page @a index and installs it. */
static errno_t page_in(mem_object_t *obj, size_t index, uintptr_t addr, uintptr_t ip)
{
	mem_pager_t *pager = obj->pager;
	call_t *call = call_create_discarded(IPC_M_PAGE_IN, THREAD->task);
	if (call == NULL)
		return page_in_failed(addr, ip, "no memory for the call");
	call->data.args[0] = pager->offset + (uint64_t) index * PAGE_SIZE;
	call->data.args[1] = PAGE_SIZE;
	call->data.args[2] = pager->arg;
	call->buffer_size = PAGE_SIZE;
	paddr_t pa;
	errno_t rc = page_in_call(pager, call, addr, ip, &pa);
	if (rc != EOK)
		return rc;
	rc = mem_object_install(obj, index, pa);
	if (rc == EOK)
		return EOK;
	frame_free(pa);	  /* not taken */
	if (rc == EEXIST) /* another thread's page came first */
		return EOK;
	return page_in_failed(addr, ip, "no memory for the page table");
}

errno_t pager_fault(as_t *as, uintptr_t addr, int access, uintptr_t ip)
{
	errno_t rc;
	irq_enable();
	do {
		mem_object_t *obj;
		size_t index;
		rc = as_area_object(as, addr, &obj, &index);
		if (rc != EOK)
			break;
		if (obj->type == MEM_OBJECT_PAGER)
			rc = page_in(obj, index, addr, ip);
		mem_object_put(obj);
		if (rc == EOK)
			rc = as_page_fault(as, addr, access);
	} while (rc == EAGAIN);
	irq_disable();
	return rc;
}
