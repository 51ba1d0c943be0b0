/*
 * amd64 start-up sequence (see generic/include/arch.h).
 */
#include <arch.h>
#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/drivers.h>
#include <arch/interrupt.h>
#include <arch/madt.h>
#include <arch/multiboot2.h>
#include <arch/cpu_local.h>
#include <arch/fpu.h>
#include <cpu.h>
#include <intc.h>
#include <arch/syscall.h>
#include <boot.h>
#include <mm/page.h>
#include <string.h>

/** Appends the options QEMU passed through fw_cfg to the boot command line. */
static void add_fwcfg_options(void)
{
	char extra[BOOT_CMDLINE_MAX];
	if (qemu_extra_cmdline(extra, sizeof(extra)) == 0)
		return;
	size_t len = strlen(boot_info.cmdline);
	if (len > 0 && len + 1 < sizeof(boot_info.cmdline))
		boot_info.cmdline[len++] = ' ';
	str_lcpy(boot_info.cmdline + len, extra, sizeof(boot_info.cmdline) - len);
}

void arch_early_init(uintptr_t boot_magic, uintptr_t info)
{
	serial_init();
	multiboot2_parse((uint32_t) boot_magic, info);
	add_fwcfg_options();
	vga_init();
	cpu_detect();
	gdt_init();
	idt_init();
	cpu_local_init(&cpus[0]);
	tsc_calibrate_begin(); /* counts while memory is set up */
}

void arch_mm_init(void)
{
	paging_init();
	cpu_enable_protection();
}

void fault_init(void);

void arch_late_init(void)
{
	arch_intc_init();
	fpu_init();
	fault_init();
	io_bitmap_init();
	syscall_arch_init();
}

void arch_physmem_mapped(uint64_t phys, uint64_t size)
{
	vga_physmem_mapped(phys, size);
}

/** Whether [@a phys, @a phys + @a size) and the page at @a page overlap. */
static bool overlaps_page(uint64_t phys, uint64_t size, uint64_t page)
{
	uint64_t start = page & ~(uint64_t) (PAGE_SIZE - 1);
	return phys < start + PAGE_SIZE && start < phys + size;
}

bool arch_physmem_kernel_only(uint64_t phys, uint64_t size)
{
	if (overlaps_page(phys, size, madt.lapic_base))
		return true;
	for (size_t i = 0; i < madt.ioapic_count; i++) {
		if (overlaps_page(phys, size, madt.ioapic[i].base))
			return true;
	}
	return false;
}

void arch_idle(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}
