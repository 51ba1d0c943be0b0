/*
 * Global descriptor table and task-state segment of the boot CPU.
 * Selector order is fixed by syscall/sysret: kernel code, kernel data, user
 * data, user code (see arch/layout.h).
 */
#include <arch/cpu.h>
#include <arch/layout.h>

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
static struct {
	tss_t tss;
	uint8_t io_bitmap[IO_BITMAP_BYTES + 1];
} __attribute__((packed)) tss_area;
#define tss (tss_area.tss)
static size_t io_bitmap_open; /* bytes of io_bitmap that may hold clear bits */
static uint64_t gdt[7] __attribute__((aligned(16)));
static uint8_t ist_stacks[2][IST_STACK_SIZE] __attribute__((aligned(16)));

static void gdt_set_tss(void)
{
	uint64_t base = (uintptr_t) &tss;
	uint64_t limit = sizeof(tss_area) - 1;
	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    (0x89ull << 40) | /* present, 64-bit TSS (available) */
	    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffff; /* kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffff; /* kernel data */
	gdt[3] = 0x00cff2000000ffff; /* user data, DPL 3 */
	gdt[4] = 0x00affa000000ffff; /* user code, 64-bit, DPL 3 */
	tss.ist[IST_DOUBLE_FAULT - 1] = (uintptr_t) ist_stacks[0] + IST_STACK_SIZE;
	tss.ist[IST_NMI - 1] = (uintptr_t) ist_stacks[1] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss_t);
	for (size_t i = 0; i <= IO_BITMAP_BYTES; i++)
		tss_area.io_bitmap[i] = 0xff; /* user port access faults by default */
	gdt_set_tss();

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uintptr_t) gdt};
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

void tss_set_kernel_stack(uintptr_t top)
{
	tss.rsp[0] = top;
}

void tss_set_io_bitmap(const uint8_t *bitmap, size_t bytes)
{
	for (size_t i = 0; i < io_bitmap_open; i++)
		tss_area.io_bitmap[i] = 0xff;
	if (bytes > IO_BITMAP_BYTES)
		bytes = IO_BITMAP_BYTES;
	for (size_t i = 0; i < bytes; i++)
		tss_area.io_bitmap[i] = bitmap[i];
	io_bitmap_open = bytes;
}
