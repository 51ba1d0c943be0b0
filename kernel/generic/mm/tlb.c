/*
 * TLB shoot-down of kernel-half mappings (see mm/tlb.h).
 *
 * One request at a time: `posting` is held by the CPU whose request is out
 * (taken by an atomic exchange; a CPU waiting for it serves requests
 * meanwhile, so two CPUs posting at once cannot wait for each other). The
 * request is published by incrementing `seq` after its fields are written;
 * each CPU serves a sequence number once (cpu->tlb_seen, its own) and
 * counts itself out of `pending`. The poster waits for pending == 0.
 */
#include <mm/tlb.h>
#include <mm/page.h>
#include <arch/asm.h>
#include <cpu.h>
#include <intc.h>
#include <smp.h>

static int posting;
static uintptr_t req_va; /* written by the poster before seq moves */
static size_t req_pages;
static uint64_t seq;	 /* the last request posted */
static unsigned pending; /* CPUs yet to serve it */

void tlb_serve(void)
{
	cpu_t *cpu = CPU;
	uint64_t s = __atomic_load_n(&seq, __ATOMIC_ACQUIRE);
	if (s == cpu->tlb_seen)
		return;
	for (size_t i = 0; i < req_pages; i++)
		page_tlb_invalidate(req_va + i * PAGE_SIZE);
	cpu->tlb_seen = s;
	__atomic_sub_fetch(&pending, 1, __ATOMIC_RELEASE);
}

void tlb_shootdown_kernel(uintptr_t va, size_t pages)
{
	if (cpu_count == 1)
		return;
	bool ints = irq_save();
	while (__atomic_exchange_n(&posting, 1, __ATOMIC_ACQUIRE) != 0) {
		tlb_serve();
		cpu_relax();
	}
	req_va = va;
	req_pages = pages;
	__atomic_store_n(&pending, cpu_count - 1, __ATOMIC_RELAXED);
	CPU->tlb_seen = __atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);
	arch_ipi_broadcast_others(IPI_TLB);
	while (__atomic_load_n(&pending, __ATOMIC_ACQUIRE) != 0)
		cpu_relax();
	__atomic_store_n(&posting, 0, __ATOMIC_RELEASE);
	irq_restore(ints);
}
