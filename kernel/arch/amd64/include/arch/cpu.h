/*
 * CPU identification, features and per-CPU descriptor tables.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <types.h>

#define IST_DOUBLE_FAULT 1
#define IST_NMI		 2
#define IST_STACK_SIZE	 8192

typedef struct {
	char vendor[13];
	char brand[49];
	bool nx;
	bool smep;
	bool smap;
	bool pcid;
	bool invariant_tsc;
	bool x2apic;
	bool pdpe1gb;
	bool fsgsbase;
	uint64_t tsc_khz;
} cpu_features_t;

extern cpu_features_t cpu_features;

void cpu_detect(void);
void cpu_print_features(void);
/** Enables protection features the CPU has (NX in EFER, SMEP, SMAP, WP). */
void cpu_enable_protection(void);
struct cpu;
/** Boot CPU: its GDT, TSS and IST stacks (static), loaded; sets cpus[0].arch. */
void gdt_init(void);
/** Makes the tables of a CPU not yet started (cpu->arch); ENOMEM. */
errno_t gdt_tables_alloc(struct cpu *cpu);
/** The running CPU (not the boot CPU): loads the tables made for it. */
void gdt_cpu_init(void);
/* Where the TSS's RSP0 lies in a CPU's tables (cpu_t.arch; gdt.c checks it):
 * the stack the CPU switches to when an interrupt arrives from user mode. */
#define CPU_TABLES_TSS_RSP0 (2 * IST_STACK_SIZE + 7 * 8 + 8 + 4)

/** Sets the stack the CPU whose tables are @a tables (its cpu_t.arch) switches
 *  to when an interrupt arrives from user mode. Inline: part of every switch.
 *  The field is unaligned (the TSS is packed). */
static inline void tss_set_kernel_stack(void *tables, uintptr_t top)
{
	__builtin_memcpy((char *) tables + CPU_TABLES_TSS_RSP0, &top, sizeof(top));
}
/** Loads the I/O permission bitmap (bit clear = port allowed) of the running task. */
void tss_set_io_bitmap(const uint8_t *bitmap, size_t bytes);
/** Whether this CPU's TSS holds exactly @a bytes bytes of @a bitmap as its
 *  open part (what tss_set_io_bitmap(@a bitmap, @a bytes) would load). */
bool tss_io_bitmap_is(const uint8_t *bitmap, size_t bytes);
/** Registers the #GP handler that renews a stale I/O bitmap (proc/thread.c). */
void io_bitmap_init(void);

#endif
