/*
 * Global descriptor table, task-state segment and IST stacks of each CPU
 * (cpu_tables_t). Selector order is fixed by syscall/sysret: kernel code,
 * kernel data, user data, user code (see arch/layout.h).
 * Ownership: a CPU's tables are made by the CPU that starts it, before it
 * runs (gdt_tables_alloc), and from then on touched by that CPU alone, with
 * interrupts disabled (its kernel stack pointer and I/O bitmap change on its
 * own context switches). cpu_t.arch points to them; the boot CPU's are static.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mm.h>
#include <cpu.h>
#include <mm/frame.h>
#include <string.h>

typedef struct {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed)) tss_t;

/* The TSS with its I/O permission bitmap right behind it (bit set = port
 * denied; the extra final byte must be all ones). */
#define IO_BITMAP_BYTES 8192

typedef struct {
	uint8_t ist_stacks[2][IST_STACK_SIZE] __attribute__((aligned(16)));
	uint64_t gdt[7] __attribute__((aligned(16)));
	size_t io_bitmap_open; /* bytes of io_bitmap that may hold clear bits */
	struct {
		tss_t tss;
		uint8_t io_bitmap[IO_BITMAP_BYTES + 1];
	} __attribute__((packed)) tss_area;
} cpu_tables_t;

#define TABLES_ORDER 3 /* 32 KiB of frames hold one cpu_tables_t */
_Static_assert(sizeof(cpu_tables_t) <= (4096u << TABLES_ORDER), "cpu tables size");

_Static_assert(
    __builtin_offsetof(cpu_tables_t, tss_area.tss.rsp[0]) == CPU_TABLES_TSS_RSP0,
    "cpu_tables_t layout");

static cpu_tables_t boot_tables;

static cpu_tables_t *my_tables(void)
{
	return CPU->arch;
}

static void gdt_set_tss(cpu_tables_t *t)
{
	uint64_t base = (uintptr_t) &t->tss_area.tss;
	uint64_t limit = sizeof(t->tss_area) - 1;
	t->gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    (0x89ull << 40) | /* present, 64-bit TSS (available) */
	    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	t->gdt[6] = base >> 32;
}

static void tables_fill(cpu_tables_t *t)
{
	t->gdt[0] = 0;
	t->gdt[1] = 0x00af9a000000ffff; /* kernel code, 64-bit */
	t->gdt[2] = 0x00cf92000000ffff; /* kernel data */
	t->gdt[3] = 0x00cff2000000ffff; /* user data, DPL 3 */
	t->gdt[4] = 0x00affa000000ffff; /* user code, 64-bit, DPL 3 */
	tss_t *tss = &t->tss_area.tss;
	tss->ist[IST_DOUBLE_FAULT - 1] = (uintptr_t) t->ist_stacks[0] + IST_STACK_SIZE;
	tss->ist[IST_NMI - 1] = (uintptr_t) t->ist_stacks[1] + IST_STACK_SIZE;
	tss->iomap_base = sizeof(tss_t);
	for (size_t i = 0; i <= IO_BITMAP_BYTES; i++)
		t->tss_area.io_bitmap[i] = 0xff; /* user port access faults by default */
	t->io_bitmap_open = 0;
	gdt_set_tss(t);
}

errno_t gdt_tables_alloc(cpu_t *cpu)
{
	paddr_t pa;
	errno_t rc = frame_alloc_zeroed(TABLES_ORDER, &pa);
	if (rc != EOK)
		return rc;
	cpu->arch = phys_to_virt(pa);
	tables_fill(cpu->arch);
	return EOK;
}

static void gdt_load(cpu_tables_t *t)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {sizeof(t->gdt) - 1, (uintptr_t) t->gdt};
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%ax\n\t"
			 "mov %%ax, %%ds\n\t"
			 "mov %%ax, %%es\n\t"
			 "mov %%ax, %%ss\n\t"
			 "ltr %w3\n\t"
			 :
			 : "m"(gdtr), "i"(GDT_KCODE), "i"(GDT_KDATA), "r"(GDT_TSS)
			 : "rax", "memory");
}

void gdt_init(void)
{
	tables_fill(&boot_tables);
	cpus[0].arch = &boot_tables;
	gdt_load(&boot_tables);
}

void gdt_cpu_init(void)
{
	gdt_load(my_tables());
}

void tss_set_io_bitmap(const uint8_t *bitmap, size_t bytes)
{
	cpu_tables_t *t = my_tables();
	for (size_t i = 0; i < t->io_bitmap_open; i++)
		t->tss_area.io_bitmap[i] = 0xff;
	if (bytes > IO_BITMAP_BYTES)
		bytes = IO_BITMAP_BYTES;
	for (size_t i = 0; i < bytes; i++)
		t->tss_area.io_bitmap[i] = bitmap[i];
	t->io_bitmap_open = bytes;
}

bool tss_io_bitmap_is(const uint8_t *bitmap, size_t bytes)
{
	const cpu_tables_t *t = my_tables();
	if (bytes > IO_BITMAP_BYTES)
		bytes = IO_BITMAP_BYTES;
	if (t->io_bitmap_open != bytes)
		return false;
	return bytes == 0 || memcmp(t->tss_area.io_bitmap, bitmap, bytes) == 0;
}
