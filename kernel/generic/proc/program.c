/*
 * Loading ELF images into new tasks. Everything is validated (elf_parse)
 * before the task exists; a failure after that destroys the half-built task.
 *
 * The initial user stack, from the top: argument strings, then (16-byte
 * aligned) argc, argv[0..argc-1], NULL, envp NULL, auxv terminator (0, 0).
 * The main thread starts at the ELF entry with RSP (and RDI) pointing at argc.
 */
#include <proc/program.h>
#include <proc/image.h>
#include <proc/module.h>
#include <arch/layout.h>
#include <arch/mm.h>
#include <arch/syscall.h>
#include <arch/thread.h>
#include <boot.h>
#include <common/elf.h>
#include <mm/as.h>
#include <ipc/ipc.h>
#include <printf.h>
#include <proc/thread.h>
#include <cpu.h>
#include <string.h>

typedef struct {
	char buf[TASK_CMDLINE_MAX];
	char *argv[PROGRAM_ARGS_MAX];
	size_t argc;
} args_t;

/** Splits @a cmdline at spaces into @a args; EINVAL if empty or too long. */
static errno_t args_split(const char *cmdline, args_t *args)
{
	if (str_lcpy(args->buf, cmdline, sizeof(args->buf)) >= sizeof(args->buf))
		return EINVAL;
	args->argc = 0;
	for (char *p = args->buf; *p != '\0';) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (args->argc == PROGRAM_ARGS_MAX)
			return EINVAL;
		args->argv[args->argc++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	return args->argc > 0 ? EOK : EINVAL;
}

/** Whether segment @a s is mapped from the pages every task of the
 *  program shares (proc/image.h): read-only, its bytes from its start. */
static bool segment_shared(const elf_segment_t *s)
{
	return !(s->flags & AS_AREA_WRITE) && s->file_vaddr == s->vaddr;
}

/** Maps segment @a s of @a image: shared pages when it is read-only, else
 *  a private copy. */
static errno_t load_segment(as_t *as, const uint8_t *image, const elf_segment_t *s)
{
	size_t size = s->pages * PAGE_SIZE;
	if (segment_shared(s))
		return image_map_module(as, s->vaddr, size, s->flags,
		    virt_to_phys(image + s->offset), s->filesz);
	uintptr_t base = s->vaddr;
	errno_t rc = as_area_create(as, &base, size, s->flags, NULL, 0);
	return rc == EOK ? as_write(as, s->file_vaddr, image + s->offset, s->filesz) : rc;
}

static errno_t load_segments(as_t *as, const uint8_t *image, const elf_image_t *elf)
{
	for (size_t i = 0; i < elf->segment_count; i++) {
		errno_t rc = load_segment(as, image, &elf->segments[i]);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

/** Builds the stack; returns the initial RSP in @a sp. */
static errno_t build_stack(as_t *as, const args_t *args, uintptr_t *sp)
{
	uintptr_t base = USER_STACK_TOP - USER_STACK_SIZE;
	errno_t rc = as_area_create(as, &base, USER_STACK_SIZE,
	    AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE | AS_AREA_NORESERVE, NULL,
	    0);
	if (rc != EOK)
		return rc;
	uint64_t vec[PROGRAM_ARGS_MAX + 5];
	uintptr_t top = USER_STACK_TOP;
	vec[0] = args->argc;
	for (size_t i = args->argc; i-- > 0;) {
		size_t len = strlen(args->argv[i]) + 1;
		top -= len;
		rc = as_write(as, top, args->argv[i], len);
		if (rc != EOK)
			return rc;
		vec[1 + i] = top;
	}
	size_t n = 1 + args->argc;
	vec[n++] = 0; /* argv terminator */
	vec[n++] = 0; /* envp terminator */
	vec[n++] = 0; /* auxv: AT_NULL */
	vec[n++] = 0;
	top = ALIGN_DOWN(top - n * sizeof(uint64_t), 16);
	*sp = top;
	return as_write(as, top, vec, n * sizeof(uint64_t));
}

static void user_thread_entry(void *arg)
{
	arch_enter_user(arch_thread_istate(THREAD));
}

/** The main thread of @a task at @a entry with stack @a sp, made but not
 *  started (program_start starts it). */
static errno_t make_main_thread(
    task_t *task, uintptr_t entry, uintptr_t sp, thread_t **out)
{
	thread_t *t;
	errno_t rc = thread_create(task, user_thread_entry, NULL, "main", &t);
	if (rc != EOK)
		return rc;
	t->user = true;
	arch_user_istate_init(arch_thread_istate(t), entry, sp, sp);
	thread_detach(t);
	*out = t;
	return EOK;
}

errno_t program_load(const void *image, size_t size, const char *cmdline, task_t *parent,
    unsigned perms, program_t *out)
{
	args_t args;
	elf_image_t elf;
	const char *why = NULL;
	if (args_split(cmdline, &args) != EOK)
		return EINVAL;
	errno_t rc = elf_parse(image, size, USER_SPACE_END, &elf, &why);
	if (rc != EOK) {
		printf("program %s: %s\n", args.argv[0], why);
		return rc;
	}
	const char *name = strrchr(args.argv[0], '/');
	task_t *task;
	rc = task_create(name != NULL ? name + 1 : args.argv[0], parent, perms, &task);
	if (rc != EOK)
		return rc;
	uintptr_t sp;
	task_get(task); /* the caller's reference, taken before the task can end */
	rc = ipc_connect_to_naming_service(task); /* phone handle 1 */
	if (rc == EOK)
		rc = load_segments(task->as, image, &elf);
	if (rc == EOK)
		rc = build_stack(task->as, &args, &sp);
	if (rc == EOK)
		rc = make_main_thread(task, elf.entry, sp, &out->main);
	if (rc != EOK) {
		task_put(task);
		task_discard(task);
		return rc;
	}
	out->task = task;
	return EOK;
}

void program_start(program_t *p)
{
	thread_start(p->main);
	p->main = NULL;
}

errno_t program_create(const void *image, size_t size, const char *cmdline,
    task_t *parent, unsigned perms, task_t **out)
{
	program_t p;
	errno_t rc = program_load(image, size, cmdline, parent, perms, &p);
	if (rc != EOK)
		return rc;
	program_start(&p);
	*out = p.task;
	return EOK;
}

errno_t program_spawn_module(
    const char *cmdline, task_t *parent, unsigned perms, task_t **out)
{
	char name[TASK_NAME_MAX];
	size_t n = 0;
	while (cmdline[n] != '\0' && cmdline[n] != ' ' && n + 1 < sizeof(name)) {
		name[n] = cmdline[n];
		n++;
	}
	name[n] = '\0';
	const boot_module_t *m;
	errno_t rc = module_pin(name, &m);
	if (rc != EOK)
		return rc;
	module_keep(m); /* its text is mapped from its frames (image_map_module) */
	rc = program_create(
	    phys_to_virt(m->start), m->end - m->start, cmdline, parent, perms, out);
	module_unpin(m);
	return rc;
}
