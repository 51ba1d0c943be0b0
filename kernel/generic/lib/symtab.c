/*
 * Symbol lookup and backtraces. The table layout (see tools/mksyms.py):
 *   u64 count; { u64 addr; u64 name_offset; } entries[count] sorted by addr;
 *   then NUL-terminated names, offsets relative to the end of the entries.
 */
#include <symtab.h>
#include <arch/frame.h>
#include <arch/layout.h>
#include <printf.h>

typedef struct {
	uint64_t addr;
	uint64_t name;
} ksym_t;

extern const uint64_t ksyms_table[];
extern const char kernel_text_start[], kernel_text_end[];
extern const char boot_stack_bottom[], boot_stack_top[];

const char *symtab_lookup(uintptr_t addr, uintptr_t *offset)
{
	uint64_t count = ksyms_table[0];
	const ksym_t *syms = (const ksym_t *) &ksyms_table[1];
	const char *names = (const char *) &syms[count];
	if (count == 0 || addr < syms[0].addr || addr >= (uintptr_t) kernel_text_end)
		return NULL;
	size_t lo = 0, hi = count; /* invariant: syms[lo].addr <= addr */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - syms[lo].addr;
	return names + syms[lo].name;
}

static void print_frame(unsigned depth, uintptr_t ip)
{
	uintptr_t off;
	const char *name = symtab_lookup(ip, &off);
	if (name != NULL)
		printf("  #%-2u %p %s+%#lx\n", depth, (void *) ip, name,
		    (unsigned long) off);
	else
		printf("  #%-2u %p\n", depth, (void *) ip);
}

/** A frame pointer we can follow without faulting: kernel half, aligned. */
static bool frame_pointer_ok(uintptr_t fp)
{
	return fp >= DIRECT_MAP_BASE && (fp & 7) == 0 && fp < (uintptr_t) -16;
}

void backtrace_print(uintptr_t ip, uintptr_t fp)
{
	printf("backtrace:\n");
	print_frame(0, ip);
	for (unsigned depth = 1; depth < 32 && frame_pointer_ok(fp); depth++) {
		uintptr_t ret = arch_frame_return_pc(fp);
		if (ret < (uintptr_t) kernel_text_start ||
		    ret >= (uintptr_t) kernel_text_end)
			break;
		print_frame(depth, ret);
		uintptr_t caller = arch_frame_caller_fp(fp);
		if (caller <= fp) /* the stack grows down: frames go up */
			break;
		fp = caller;
	}
}
