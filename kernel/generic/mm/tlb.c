/*
 * TLB shoot-down (see mm/tlb.h).
 *
 * One request at a time: `posting` is held by the CPU whose request is out
 * (taken by an atomic exchange). The request's fields are written before
 * `pending` names its targets (bit n: CPU n); each target drops the entries
 * and clears its own bit, and the poster waits for `pending` to be empty.
 * While a target's bit is set the request cannot end, so a target that sees
 * its bit reads the fields of that request and no other (an earlier design
 * counted acknowledgements against a global sequence number: a CPU left out
 * of one request could read the next one's fields, count itself twice and
 * end a request early or never).
 *
 * Waiting, with interrupts off, is done in one place, tlb_wait(), which
 * serves requests meanwhile: a CPU waiting to post, or waiting for its own
 * request's acknowledgements, never stops answering another CPU's.
 *
 * The caller's own CPU is among the targets too when named: the unmap
 * dropped the entries of the CPU it ran on, but a thread may move between
 * the unmap and the shoot-down (preempted and taken by another CPU), and
 * the CPU it moved to, if it had the space loaded, may cache the old
 * entries. Missing that once left the creator of a thread writing the new
 * thread's start record through a stale entry into a freed frame, while
 * the new thread, on another CPU, read a fresh zero page (utest on four
 * CPUs, a jump to address 0, when new threads were taken before their
 * first turn).
 *
 * A CPU that loads an address space sets its bit in as->active_cpus before
 * loading it and clears it after loading another (arch_thread_switch), so a
 * poster that reads the mask after changing the table either sees the bit
 * or knows that CPU will walk the changed table.
 */
#include <mm/tlb.h>
#include <mm/page.h>
#include <arch/asm.h>
#include <arch/layout.h>
#include <cpu.h>
#include <intc.h>
#include <smp.h>

/* Past this many pages a target flushes its whole (non-global) TLB. */
#define TLB_PAGES_MAX 32

static int posting;
static uintptr_t req_va; /* written by the poster before pending */
static size_t req_pages; /* TLB_ALL: everything but global entries */
static uint64_t pending; /* CPUs yet to serve the request */

/** Drops this CPU's entries for @a pages pages at @a va (TLB_ALL: every
 *  user entry). Interrupts off. */
static void tlb_invalidate_local(uintptr_t va, size_t pages)
{
	/* Kernel entries are global: only a user range is flushed whole. */
	if (pages > TLB_PAGES_MAX && va < USER_SPACE_END) {
		page_tlb_invalidate_all();
	} else {
		for (size_t i = 0; i < pages; i++)
			page_tlb_invalidate(va + i * PAGE_SIZE);
	}
}

void tlb_serve(void)
{
	uint64_t bit = 1ull << CPU->id;
	if (!(__atomic_load_n(&pending, __ATOMIC_ACQUIRE) & bit))
		return;
	tlb_invalidate_local(req_va, req_pages);
	__atomic_fetch_and(&pending, ~bit, __ATOMIC_RELEASE);
}

/** Spins until *@a word & @a mask is 0, serving requests meanwhile. */
static void tlb_wait(const uint64_t *word, uint64_t mask)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) & mask) {
		tlb_serve();
		cpu_relax();
	}
}

/** Takes `posting` (interrupts off), serving requests while it waits. */
static void tlb_post_begin(void)
{
	while (__atomic_exchange_n(&posting, 1, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(&posting, __ATOMIC_RELAXED) != 0) {
			tlb_serve();
			cpu_relax();
		}
	}
}

/** The CPUs of @a cpus that run, this one left out. */
static uint64_t tlb_targets(uint64_t cpus)
{
	unsigned n = cpu_count;
	if (n < 64)
		cpus &= (1ull << n) - 1;
	return cpus & ~(1ull << CPU->id);
}

void tlb_shootdown(uint64_t cpus, uintptr_t va, size_t pages)
{
	bool ints = irq_save();
	/* page_unmap dropped the entries of the CPU that unmapped, but the
	 * caller may have moved to another CPU since (preempted and stolen, or
	 * moved by its affinity): that one, this one now, may cache them too. */
	if (cpus & (1ull << CPU->id))
		tlb_invalidate_local(va, pages);
	cpus = tlb_targets(cpus);
	if (cpus == 0 || pages == 0) {
		irq_restore(ints);
		return;
	}
	tlb_post_begin();
	req_va = va;
	req_pages = pages;
	__atomic_store_n(&pending, cpus, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < cpu_count; i++) {
		if (cpus & (1ull << i))
			arch_ipi_send(i, IPI_TLB);
	}
	tlb_wait(&pending, cpus);
	__atomic_store_n(&posting, 0, __ATOMIC_RELEASE);
	irq_restore(ints);
}

void tlb_shootdown_kernel(uintptr_t va, size_t pages)
{
	tlb_shootdown(~0ull, va, pages);
}
