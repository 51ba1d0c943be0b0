/*
 * Start-up of the application processors (see generic/main/smp.c for the
 * steps and arch/smp.h for the trampoline). The boot CPU starts them one at
 * a time: it fills the trampoline's parameter block, sends INIT-SIPI-SIPI
 * and waits for the new CPU to say it is alive. Only one AP is ever between
 * the STARTUP IPI and "alive", so one parameter block serves all; a CPU that
 * never answers gets INIT again (back to waiting for a STARTUP) so that it
 * cannot run late on a later CPU's parameters, and its slot is emptied for
 * the next (smp_cpu_unprepare). Boot option deadcpu=ID makes the CPU with
 * APIC id ID such a CPU: its STARTUP IPIs point at a page that only halts
 * (DEAD_CPU_PA), so the boot CPU sees exactly what a dead CPU shows it.
 * The APs start on a page table of their own: the kernel half plus the
 * trampoline page identity-mapped; it is freed once all have started.
 */
#include <arch/smp.h>
#include <arch/apic.h>
#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/cpu_local.h>
#include <arch/fpu.h>
#include <arch/interrupt.h>
#include <arch/madt.h>
#include <arch/mm.h>
#include <arch/syscall.h>
#include <arch/thread.h>
#include <boot.h>
#include <cmdline.h>
#include <cpu.h>
#include <intc.h>
#include <mm/page.h>
#include <printf.h>
#include <smp.h>
#include <string.h>

#define MSR_EFER	  0xc0000080
#define EFER_LME	  (1u << 8)
#define EFER_NXE	  (1u << 11)
#define ANSWER_TIMEOUT_MS 10000 /* even an emulated CPU on a loaded host (Linux: 10 s) */
#define LOW_4G		  0x100000000ull

extern uint32_t apic_ids[CPU_MAX];

void ap_start(cpu_t *cpu);

/** The AP's first C code, on its idle thread's stack, still on the start-up
 *  page table: its own tables and control registers, then the generic part. */
void ap_start(cpu_t *cpu)
{
	cpu_local_init(cpu);
	gdt_cpu_init();
	idt_load();
	page_table_activate(page_kernel_root());
	cpu_enable_protection();
	fpu_cpu_init();
	syscall_arch_init();
	arch_intc_cpu_init();
	smp_cpu_main();
}

/** The start-up page table: the kernel half and the trampoline page. */
static errno_t startup_table_create(paddr_t *root)
{
	errno_t rc = page_table_create(root);
	if (rc != EOK)
		return rc;
	if (*root >= LOW_4G) /* the trampoline loads CR3 in real mode */
		rc = ENOMEM;
	else
		rc = page_map(*root, TRAMPOLINE_PA, TRAMPOLINE_PA, PAGE_EXEC);
	if (rc != EOK)
		page_table_destroy(*root);
	return rc;
}

/** Spins until @a cpu says it is alive or ANSWER_TIMEOUT_MS pass. */
static bool wait_alive(const cpu_t *cpu)
{
	uint64_t khz = cpu_features.tsc_khz != 0 ? cpu_features.tsc_khz : 3000000;
	uint64_t end = rdtsc() + khz * ANSWER_TIMEOUT_MS;
	while (!__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE)) {
		if (rdtsc() > end)
			return false;
		cpu_relax();
	}
	return true;
}

/* Real-mode code of the page a dead CPU is started at: cli; 1: hlt; jmp 1b. */
static const uint8_t halt_code[] = {0xfa, 0xf4, 0xeb, 0xfd};

/** The APIC id boot option deadcpu=ID names (its STARTUP IPIs then point at
 *  the halting page, written here), or UINT64_MAX for none. */
static uint64_t dead_cpu_setup(void)
{
	uint64_t id;
	errno_t rc = cmdline_get_uint(boot_info.cmdline, "deadcpu", &id);
	if (rc == ENOENT)
		return UINT64_MAX;
	if (rc != EOK || id == madt.cpu_apic_id[0]) {
		printf(
		    "smp: deadcpu= takes the APIC id of a CPU other than the boot CPU; "
		    "ignored\n");
		return UINT64_MAX;
	}
	memcpy(phys_to_virt(DEAD_CPU_PA), halt_code, sizeof(halt_code));
	return id;
}

/** Fills the trampoline's parameter block for @a cpu. */
static void params_set(cpu_t *cpu, paddr_t root)
{
	trampoline_params_t *p = phys_to_virt(
	    TRAMPOLINE_PA + (trampoline_params - trampoline_start));
	p->cr3 = (uint32_t) root;
	p->efer = EFER_LME | (cpu_features.nx ? EFER_NXE : 0);
	p->stack = arch_thread_stack_top(cpu->idle);
	p->cpu = (uintptr_t) cpu;
	p->entry = (uintptr_t) ap_start;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/** Starts the CPU with @a apic_id in slot cpus[cpu_count] (at the halting
 *  page if it is @a dead_id); false if it did not answer or its slot could
 *  not be made, the slot then empty again. */
static bool start_one(uint32_t apic_id, paddr_t root, uint64_t dead_id)
{
	cpu_t *cpu = &cpus[cpu_count];
	if ((cpu->arch == NULL && gdt_tables_alloc(cpu) != EOK) ||
	    smp_cpu_prepare(cpu) != EOK) {
		printf("smp: no memory to start the CPU with APIC id %u\n", apic_id);
		return false;
	}
	apic_ids[cpu->id] = apic_id; /* the next CPU's when this one fails */
	params_set(cpu, root);
	paddr_t start = apic_id == dead_id ? DEAD_CPU_PA : TRAMPOLINE_PA;
	lapic_send_init_sipi(apic_id, (uint8_t) (start >> 12));
	if (wait_alive(cpu))
		return true;
	lapic_send_init(apic_id); /* back to waiting for a STARTUP: it cannot run */
	smp_cpu_unprepare(cpu);
	printf("smp: the CPU with APIC id %u did not answer; skipped\n", apic_id);
	return false;
}

void arch_smp_start(void)
{
	size_t found = madt.cpu_count;
	if (found > CPU_MAX)
		printf(
		    "smp: %zu CPUs found; this kernel runs at most %u (CONFIG_CPU_MAX)\n",
		    found, (unsigned) CPU_MAX);
	if (found <= 1 || CPU_MAX <= 1)
		return;
	paddr_t root;
	if (startup_table_create(&root) != EOK) {
		printf("smp: no memory for the start-up page table; one CPU runs\n");
		return;
	}
	memcpy(phys_to_virt(TRAMPOLINE_PA), trampoline_start,
	    (size_t) (trampoline_end - trampoline_start));
	uint64_t dead_id = dead_cpu_setup();
	for (size_t i = 1; i < found && cpu_count < CPU_MAX; i++) {
		if (start_one(madt.cpu_apic_id[i], root, dead_id))
			smp_cpu_started(&cpus[cpu_count]);
	}
	page_table_destroy(root);
}
