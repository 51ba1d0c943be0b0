/*
 * The program loader (protocol in abi/loader.h). SYS_TASK_SPAWN_LOADER starts
 * it in a new task and gives the parent the only phone to it; the parent's
 * calls arrive on its implicit connection (label 0: the fallback handler).
 * The parent says what to run, LOADER_LOAD maps the program into this very
 * task (LOADER_LOAD_ALL does both in one request, as task_spawn sends it),
 * and LOADER_RUN leaves the async framework for good and jumps to the
 * program, which from then on owns the task.
 *
 * One parent, one conversation: `ldr` is changed only by the parent's
 * connection fibril (the hang-up handler reads it on the same, only thread:
 * the loader never adds runner threads, so the thread that jumps is the
 * task's only one). The parent's hang-up before LOADER_RUN ends the loader.
 *
 * What stays of the loader under the program: its text and read-only data
 * (shared by every task, proc/image.h). The program's file is mapped into
 * an area unmapped once loaded (source.c), and the writable areas the
 * loader's start-up wrote (data and bss, heap, the serving fibril's stack,
 * the main stack) are destroyed in the jump itself (leave.c).
 */
#include "loader.h"
#include <abi/loader.h>
#include <abi/proc.h>
#include <abi/vfs.h>
#include <async.h>
#include <fibril.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <task.h>
#include <getopt.h>

#define USAGE "(a server; task_spawn starts one per program)"

/* The protocol's steps, in the order the parent must take them. */
typedef enum {
	PHASE_START,   /* nothing set */
	PHASE_CWD,     /* working directory set */
	PHASE_PROGRAM, /* program read and validated */
	PHASE_ARGS,    /* arguments set: ready to load */
	PHASE_LOADED,  /* mapped: only LOADER_RUN is left */
} loader_phase_t;

#define PHASE_BIT(p) (1u << (p))

static struct {
	loader_phase_t phase;
	char *cwd;   /* NULL: "/" */
	char *path;  /* from PHASE_PROGRAM on */
	char *image; /* the program's file, from PHASE_PROGRAM until loaded */
	elf_image_t elf;
	loader_args_t args; /* from PHASE_ARGS until loaded */
	loader_args_t env;  /* NAME=VALUE strings; argc 0: none */
	uintptr_t sp;	    /* the program's initial stack pointer, once loaded */
	uintptr_t stack;    /* the base of the program's stack area, once loaded */
	bool run_answered;  /* LOADER_RUN answered: a hang-up starts the program */
	int files[3];	    /* stdin, stdout, stderr descriptors; -1: none */
} ldr = {.files = {-1, -1, -1}};

static task_id_t parent_id;  /* the only task served; set before any call */
static uintptr_t main_stack; /* an address in the kernel-made main stack */

/** The parent hung up or ended before LOADER_RUN: the loader's task ends
 *  (at once, without blocking: the loader has no buffered output). */
static _Noreturn void abandon(void)
{
	task_exit(EXIT_FAILURE);
}

/** The loader's one line about a failure of the program at @a path that
 *  its spawner cannot tell from the error code alone (why an ELF file is
 *  invalid, where loading failed). */
static void report(const char *path, const char *why)
{
	fprintf(stderr, "loader: %s: %s\n", path, why);
}

/** Answers @a call with @a rc. An answer fails only when the caller is gone,
 *  and its hang-up then ends the conversation: nothing to handle here. */
static void reply(ipc_call_t *call, errno_t rc)
{
	DISCARD(answer, async_answer_0(call, rc));
}

/** Receives the request's data write: a string of 1..@a max bytes with no
 *  NUL, into a new NUL-terminated buffer. */
static errno_t receive_string(char **out, size_t max)
{
	char *s;
	size_t size;
	errno_t rc = async_data_write_accept((void **) &s, true, 1, max, 0, &size);
	if (rc != EOK)
		return rc;
	if (strlen(s) != size) {
		free(s);
		return EINVAL;
	}
	*out = s;
	return EOK;
}

/** Takes @a cwd (owned; freed if refused) as the working directory. */
static errno_t cwd_take(char *cwd)
{
	if (cwd[0] != '/') {
		free(cwd);
		return EINVAL;
	}
	ldr.cwd = cwd;
	ldr.phase = PHASE_CWD;
	return EOK;
}

static errno_t set_cwd(ipc_call_t *call)
{
	char *cwd;
	errno_t rc = receive_string(&cwd, LOADER_PATH_MAX);
	return rc == EOK ? cwd_take(cwd) : rc;
}

/** Reads the program at @a path and validates it completely. */
static errno_t program_open(const char *path)
{
	size_t size;
	errno_t rc = source_read(path, &ldr.image, &size);
	if (rc != EOK)
		return rc; /* the spawner gets it and tells its user */
	const char *why = "invalid";
	rc = elf_parse(ldr.image, size, program_space_end(), &ldr.elf, &why);
	if (rc != EOK) {
		report(path, why);
		source_free(ldr.image);
		ldr.image = NULL;
	}
	return rc;
}

/** Takes @a path (owned; freed if refused) as the program, read and
 *  validated. */
static errno_t program_take(char *path)
{
	errno_t rc = program_open(path);
	if (rc != EOK) {
		free(path);
		return rc;
	}
	ldr.path = path;
	ldr.phase = PHASE_PROGRAM;
	return EOK;
}

static errno_t set_program(ipc_call_t *call)
{
	char *path;
	errno_t rc = receive_string(&path, LOADER_PATH_MAX);
	return rc == EOK ? program_take(path) : rc;
}

/** Whether @a size (> 0) bytes at @a s are exactly @a count NUL-terminated
 *  strings, and 1 <= @a count <= @a max. */
static errno_t strings_check(const char *s, size_t size, sysarg_t count, size_t max)
{
	if (count == 0)
		return EINVAL;
	if (count > max)
		return ELIMIT;
	size_t strings = 0;
	for (size_t i = 0; i < size; i++)
		strings += s[i] == '\0';
	return s[size - 1] == '\0' && strings == count ? EOK : EINVAL;
}

/** Takes the @a size bytes at @a s (owned; freed if refused) as @a count
 *  strings (at most @a max_count) into *@a out. */
static errno_t strings_take(
    char *s, size_t size, sysarg_t count, size_t max_count, loader_args_t *out)
{
	errno_t rc = strings_check(s, size, count, max_count);
	if (rc != EOK) {
		free(s);
		return rc;
	}
	*out = (loader_args_t){.strings = s, .size = size, .argc = count};
	return EOK;
}

/** Receives the request's data write of call->args[0] strings (at most
 *  @a max_count, in at most @a max_size bytes) into *@a out. */
static errno_t receive_strings(
    ipc_call_t *call, size_t max_size, size_t max_count, loader_args_t *out)
{
	char *s;
	size_t size;
	errno_t rc = async_data_write_accept((void **) &s, false, 1, max_size, 0, &size);
	return rc == EOK ? strings_take(s, size, call->args[0], max_count, out) : rc;
}

static errno_t set_args(ipc_call_t *call)
{
	errno_t rc = receive_strings(call, LOADER_ARGS_MAX, LOADER_ARGC_MAX, &ldr.args);
	if (rc == EOK)
		ldr.phase = PHASE_ARGS;
	return rc;
}

/** LOADER_SET_ENV: once; each string must hold a '=' after its name. */
static errno_t set_env(ipc_call_t *call)
{
	if (ldr.env.strings != NULL)
		return EINVAL;
	loader_args_t env;
	errno_t rc = receive_strings(call, LOADER_ENV_MAX, LOADER_ENVC_MAX, &env);
	if (rc != EOK)
		return rc;
	for (const char *e = env.strings; e < env.strings + env.size;
	     e += strlen(e) + 1) {
		const char *eq = strchr(e, '=');
		if (eq == NULL || eq == e) {
			free(env.strings);
			return EINVAL;
		}
	}
	ldr.env = env;
	return EOK;
}

/** LOADER_SET_FILES: descriptor numbers only; the VFS checks them when the
 *  program uses them. */
static errno_t set_files(ipc_call_t *call)
{
	for (int i = 0; i < 3; i++) {
		int64_t fd = (int64_t) call->args[i];
		if (fd < -1 || fd >= VFS_FDS_MAX)
			return EINVAL;
	}
	for (int i = 0; i < 3; i++)
		ldr.files[i] = (int) (int64_t) call->args[i];
	return EOK;
}

static errno_t load(ipc_call_t *call)
{
	const char *cwd = ldr.cwd != NULL ? ldr.cwd : "/";
	errno_t rc = image_load(ldr.image, &ldr.elf, &ldr.args, &ldr.env, cwd, ldr.files,
	    &ldr.sp, &ldr.stack);
	if (rc != EOK) {
		report(ldr.path, strerror(rc));
		return rc;
	}
	/* All of these now live on the program's stack or in its areas. */
	source_free(ldr.image);
	free(ldr.args.strings);
	free(ldr.env.strings);
	free(ldr.cwd);
	ldr.image = ldr.args.strings = ldr.env.strings = ldr.cwd = NULL;
	ldr.phase = PHASE_LOADED;
	return EOK;
}

/** A copy of the NUL-terminated string of at most @a max bytes at *@a p
 *  within @a end, *@a p moved past its NUL; NULL with *@a rc set (EINVAL:
 *  empty or unterminated, ELIMIT: too long, ENOMEM). */
static char *block_string(const char **p, const char *end, size_t max, errno_t *rc)
{
	size_t len = strnlen(*p, (size_t) (end - *p));
	*rc = len == 0 || *p + len == end ? EINVAL : len > max ? ELIMIT : EOK;
	char *copy = *rc == EOK ? strdup(*p) : NULL;
	if (*rc == EOK && copy == NULL)
		*rc = ENOMEM;
	*p += len + 1;
	return copy;
}

/** Takes LOADER_LOAD_ALL's @a block of @a size bytes apart: the working
 *  directory, the program (read and validated) and @a argc arguments. */
static errno_t block_take(const char *block, size_t size, sysarg_t argc)
{
	const char *p = block, *end = block + size;
	errno_t rc;
	char *cwd = block_string(&p, end, LOADER_PATH_MAX, &rc);
	if (rc == EOK)
		rc = cwd_take(cwd);
	char *path = rc == EOK ? block_string(&p, end, LOADER_PATH_MAX, &rc) : NULL;
	if (rc == EOK)
		rc = program_take(path);
	size_t left = rc == EOK ? (size_t) (end - p) : 0;
	if (rc == EOK && (left == 0 || left > LOADER_ARGS_MAX))
		rc = left == 0 ? EINVAL : ELIMIT;
	char *args = rc == EOK ? malloc(left) : NULL;
	if (rc == EOK && args == NULL)
		rc = ENOMEM;
	if (rc == EOK)
		rc = strings_take(
		    memcpy(args, p, left), left, argc, LOADER_ARGC_MAX, &ldr.args);
	return rc;
}

/** LOADER_LOAD_ALL: SET_CWD, SET_PROGRAM, SET_ARGS and LOAD in one request;
 *  a step that fails leaves the phase the steps before it reached. */
static errno_t load_all(ipc_call_t *call)
{
	char *block;
	size_t size;
	errno_t rc = async_data_write_accept(
	    (void **) &block, false, 1, LOADER_ALL_MAX, 0, &size);
	if (rc != EOK)
		return rc;
	rc = block_take(block, size, call->args[0]);
	free(block);
	if (rc == EOK)
		ldr.phase = PHASE_ARGS;
	return rc == EOK ? load(call) : rc;
}

/* The requests before LOADER_RUN: the phases each may come in. */
static const struct {
	sysarg_t method;
	unsigned phases;
	errno_t (*handle)(ipc_call_t *call);
} requests[] = {
    {LOADER_SET_CWD, PHASE_BIT(PHASE_START), set_cwd},
    {LOADER_SET_PROGRAM, PHASE_BIT(PHASE_START) | PHASE_BIT(PHASE_CWD), set_program},
    {LOADER_SET_ARGS, PHASE_BIT(PHASE_PROGRAM), set_args},
    {LOADER_SET_FILES,
	PHASE_BIT(PHASE_START) | PHASE_BIT(PHASE_CWD) | PHASE_BIT(PHASE_PROGRAM) |
	    PHASE_BIT(PHASE_ARGS),
	set_files},
    {LOADER_SET_ENV,
	PHASE_BIT(PHASE_START) | PHASE_BIT(PHASE_CWD) | PHASE_BIT(PHASE_PROGRAM) |
	    PHASE_BIT(PHASE_ARGS),
	set_env},
    {LOADER_LOAD, PHASE_BIT(PHASE_ARGS), load},
    {LOADER_LOAD_ALL, PHASE_BIT(PHASE_START), load_all},
};

/** Handles @a call (not a LOADER_RUN that may go ahead); the answer. A
 *  request refused before its data write leaves the write to arrive as a
 *  call of its own, which is out of order too. */
static errno_t request_handle(ipc_call_t *call)
{
	if (ldr.phase == PHASE_LOADED)
		return EBUSY;
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		if (requests[i].method != call->imethod)
			continue;
		if (!(requests[i].phases & PHASE_BIT(ldr.phase)))
			return EINVAL;
		return requests[i].handle(call);
	}
	/* LOADER_RUN before the load and stray transfers are out of order. */
	if (call->imethod == LOADER_RUN || call->imethod <= IPC_M_LAST_SYSTEM)
		return EINVAL;
	return ENOTSUP;
}

/** Answers every call of the connection with @a rc until its caller hangs
 *  up (or ends). */
static void refuse_until_hangup(errno_t rc)
{
	ipc_call_t call;
	while (async_get_call(&call) && call.imethod != 0)
		reply(&call, rc);
}

/**
 * LOADER_RUN: answers, then starts the program once the parent has hung up
 * (libc's task_spawn does so at once) or ended. The wait matters: the
 * parent's async_hangup() waits for the answer to its ASYNC_M_CLOSE, which
 * the loader's async framework gives at once, but the program only when it
 * next waits for IPC, perhaps never before it ends.
 */
static _Noreturn void run(ipc_call_t *call)
{
	if (async_answer_0(call, EOK) != EOK)
		abandon(); /* the parent is gone: it never learnt of the program */
	ldr.run_answered = true;
	/* Named as the kernel names boot tasks; only cosmetic if refused. */
	char name[TASK_NAME_LEN_MAX + 1];
	str_lcpy(name, path_last(ldr.path), sizeof(name));
	DISCARD(best_effort, task_set_name(name));
	refuse_until_hangup(EBUSY);
	fibril_flush_answer(); /* a refusal still deferred goes out before the program */
	uintptr_t unmap[LEAVE_AREAS_MAX];
	size_t count = leave_areas(unmap, main_stack, ldr.path, ldr.stack);
	loader_enter_program(ldr.elf.entry, ldr.sp, unmap, count);
}

/** The parent's conversation; ends the loader or becomes the program. */
static _Noreturn void parent_serve(void)
{
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			abandon();
		if (call.imethod == LOADER_RUN && ldr.phase == PHASE_LOADED)
			run(&call);
		reply(&call, request_handle(&call));
	}
}

/** Serves the parent's implicit connection; refuses any other. */
static void loader_connection(ipc_call_t *icall, void *arg)
{
	if (icall->imethod == IPC_M_CONNECT_ME_TO)
		reply(icall, EPERM);
	else if (icall->task_id != parent_id)
		refuse_until_hangup(EPERM);
	else
		parent_serve();
}

/** Every label-0 hang-up (in the manager: must not block). The parent's,
 *  until LOADER_RUN is answered, ends the loader, even when the parent never
 *  called (no connection would see that one). After the answer, the
 *  parent's connection sees the hang-up and starts the program. */
static void loader_hangup(const ipc_call_t *call, void *arg)
{
	if (call->task_id == parent_id && !ldr.run_answered)
		abandon();
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	task_info_t self;
	if (task_get_info(task_get_id(), &self) != EOK || self.parent_id == 0)
		return EXIT_FAILURE; /* orphaned before it started: nobody to serve */
	parent_id = self.parent_id;
	main_stack = (uintptr_t) __builtin_frame_address(0);
	async_set_hangup_handler(loader_hangup, NULL);
	async_set_fallback_port_handler(loader_connection, NULL);
	async_manager();
}
