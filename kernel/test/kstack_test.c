/*
 * Self-tests: kernel stacks in the guarded region.
 */
#include <test.h>
#include <mm/frame.h>
#include <mm/kstack.h>
#include <mm/page.h>
#include <proc/thread.h>
#include <string.h>

/** A stack is mapped and writable end to end, has unmapped guard below it,
 *  and its slot, mapping and frames come back when it is freed. */
KTEST(kstack_guarded_and_reused)
{
	void *a, *b;
	KT_ASSERT_EQ(kstack_alloc(THREAD_STACK_SIZE, &a), EOK);
	KT_ASSERT_EQ(kstack_alloc(THREAD_STACK_SIZE, &b), EOK);
	KT_ASSERT(a != b);
	uintptr_t base = (uintptr_t) a;
	memset(a, 0x5a, THREAD_STACK_SIZE);
	KT_ASSERT(!kstack_is_guard(base));
	KT_ASSERT(!kstack_is_guard(base + THREAD_STACK_SIZE - 1));
	KT_ASSERT(kstack_is_guard(base - 1));
	KT_ASSERT(kstack_is_guard(base - THREAD_STACK_SIZE));
	KT_ASSERT(
	    !kstack_is_guard((uintptr_t) &base)); /* this thread's own stack is a stack */
	paddr_t pa;
	unsigned flags;
	KT_ASSERT_EQ(
	    page_query(page_kernel_root(), base - PAGE_SIZE, &pa, &flags), ENOENT);
	KT_ASSERT_EQ(page_query(page_kernel_root(), base, &pa, &flags), EOK);
	KT_ASSERT(flags & PAGE_WRITE);
	KT_ASSERT(!(flags & (PAGE_USER | PAGE_EXEC)));

	frame_stats_t before, after;
	frame_get_stats(&before);
	kstack_free(b, THREAD_STACK_SIZE);
	KT_ASSERT_EQ(page_query(page_kernel_root(), (uintptr_t) b, &pa, &flags), ENOENT);
	void *again;
	KT_ASSERT_EQ(kstack_alloc(THREAD_STACK_SIZE, &again), EOK);
	KT_ASSERT(again == b); /* slots are reused last-freed first */
	kstack_free(again, THREAD_STACK_SIZE);
	kstack_free(a, THREAD_STACK_SIZE);
	frame_get_stats(&after);
	KT_ASSERT_EQ(after.free, before.free + 2 * THREAD_STACK_SIZE / PAGE_SIZE);
}

/** Whether the @a size bytes at @a base are all zero. */
static bool all_zero(const void *base, size_t size)
{
	const uint64_t *w = base;
	for (size_t i = 0; i < size / sizeof(*w); i++) {
		if (w[i] != 0)
			return false;
	}
	return true;
}

/** A stack comes zeroed, even on the frames of one just freed dirty: no old
 *  contents reach a new thread, and a frame that held code is written over
 *  in full before it serves as a stack (kstack_alloc). */
KTEST(kstack_handed_out_zeroed)
{
	void *a, *again;
	KT_ASSERT_EQ(kstack_alloc(THREAD_STACK_SIZE, &a), EOK);
	KT_ASSERT(all_zero(a, THREAD_STACK_SIZE));
	paddr_t pa, pa_again;
	unsigned flags;
	KT_ASSERT_EQ(page_query(page_kernel_root(), (uintptr_t) a, &pa, &flags), EOK);
	memset(a, 0x5a, THREAD_STACK_SIZE);
	kstack_free(a, THREAD_STACK_SIZE);
	KT_ASSERT_EQ(kstack_alloc(THREAD_STACK_SIZE, &again), EOK);
	KT_ASSERT_EQ(
	    page_query(page_kernel_root(), (uintptr_t) again, &pa_again, &flags), EOK);
	bool zero = all_zero(again, THREAD_STACK_SIZE);
	kstack_free(again, THREAD_STACK_SIZE);
	KT_ASSERT_EQ(pa_again, pa); /* the dirty frames came back: the case asked */
	KT_ASSERT(zero);
}
