/*
 * Programs: user tasks created from ELF images (boot modules).
 */
#ifndef KERN_PROC_PROGRAM_H
#define KERN_PROC_PROGRAM_H

#include <boot.h>
#include <proc/task.h>
#include <proc/thread.h>
#include <types.h>

#define USER_STACK_SIZE	 (1024 * 1024)
#define USER_STACK_TOP	 0x00007fffffff0000ull
#define PROGRAM_ARGS_MAX 32

/** A program loaded into a new task whose main thread is made but not yet
 *  started: nothing of the task runs until program_start(). */
typedef struct {
	task_t *task; /* referenced for the caller (task_put() it) */
	thread_t *main;
} program_t;

/**
 * Creates and starts a task running @a image, a pinned boot module's bytes
 * (its read-only segments are mapped from pages shared with every other
 * task of the module, proc/image.h), with the arguments in
 * @a cmdline (space separated; the first word names the task). ENOEXEC for a
 * bad image, EINVAL for a bad command line, ENOMEM. On success *@a out holds a
 * reference for the caller (task_put() it).
 */
errno_t program_create(const void *image, size_t size, const char *cmdline,
    task_t *parent, unsigned perms, task_t **out);
/** program_create() up to the start of the main thread: what must be true
 *  before the task's first instruction (it being the naming service, say)
 *  is set up between this and program_start(). Same errors. */
errno_t program_load(const void *image, size_t size, const char *cmdline, task_t *parent,
    unsigned perms, program_t *out);
/** Starts the main thread of @a p, loaded by program_load(). */
void program_start(program_t *p);
/** Spawns boot module @a cmdline's first word with @a cmdline as arguments
 *  (*@a out referenced as with program_create). */
errno_t program_spawn_module(
    const char *cmdline, task_t *parent, unsigned perms, task_t **out);

#endif
