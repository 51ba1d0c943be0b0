/*
 * The patch behind arch_cpus_shared (arch/cpus_shared.h): each listed 5-byte
 * no-op becomes `jmp rel32` to its "several CPUs" branch. The kernel's text
 * is mapped read-only and executable; the bytes are written through the
 * direct map's writable alias of the same frames. Only the boot CPU runs
 * then, with interrupts off, and it executes none of the sites while it
 * writes them; the serialising CR0 write at the end makes it fetch the new
 * bytes.
 */
#include <arch/cpus_shared.h>
#include <arch/asm.h>
#include <arch/mm.h>
#include <panic.h>
#include <string.h>

typedef struct {
	uintptr_t site;	  /* the no-op */
	uintptr_t target; /* the branch it jumps to once patched */
} cpus_shared_jump_t;

extern const cpus_shared_jump_t cpus_shared_jumps_start[];
extern const cpus_shared_jump_t cpus_shared_jumps_end[];

#define JMP_REL32 0xe9
#define JUMP_SIZE 5

static void jump_write(const cpus_shared_jump_t *j)
{
	int64_t rel = (int64_t) (j->target - (j->site + JUMP_SIZE));
	if (rel != (int32_t) rel)
		panic("cpus_shared: jump from %p to %p out of reach", (void *) j->site,
		    (void *) j->target);
	uint8_t bytes[JUMP_SIZE] = {JMP_REL32};
	int32_t rel32 = (int32_t) rel;
	memcpy(&bytes[1], &rel32, sizeof(rel32));
	memcpy(phys_to_virt(virt_to_phys((const void *) j->site)), bytes, JUMP_SIZE);
}

void arch_cpus_shared_patch(void)
{
	bool ints = irq_save();
	for (const cpus_shared_jump_t *j = cpus_shared_jumps_start;
	     j < cpus_shared_jumps_end; j++)
		jump_write(j);
	/* A serialising instruction: no stale copy of a site is fetched. */
	write_cr0(read_cr0());
	irq_restore(ints);
}
