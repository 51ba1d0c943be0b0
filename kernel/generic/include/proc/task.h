/*
 * Tasks: an address space, a capability space and a set of threads. The
 * kernel task (id 0) owns the kernel threads and has no user address space.
 * Lock order: task->lock -> thread->lock.
 */
#ifndef KERN_PROC_TASK_H
#define KERN_PROC_TASK_H

#include <common/adt/list.h>
#include <spinlock.h>
#include <synch/waitq.h>
#include <types.h>

#define TASK_NAME_MAX 32

struct as;
struct thread;

typedef struct task {
	uint64_t id;
	char name[TASK_NAME_MAX];
	struct as *as; /* NULL for the kernel task */
	spinlock_t lock;
	list_t threads; /* thread_t.task_link */
	size_t thread_count;
	link_t all_link; /* the global task list */
	uint64_t refcount;
} task_t;

extern task_t kernel_task;

void task_init(void);
/** Physical root of @a task's page table (the kernel's for the kernel task). */
uint64_t task_page_root(const task_t *task);
/** Adds @a thread to @a task (called by thread_create). */
void task_attach_thread(task_t *task, struct thread *thread);
/** Removes @a thread from its task (called when the thread is destroyed). */
void task_detach_thread(struct thread *thread);

#endif
