/*
 * Tasks. This file holds the kernel task and the thread membership of tasks;
 * user tasks (address spaces, ELF images) build on it.
 * Lock: task->lock guards threads/thread_count; tasks_lock the global list.
 */
#include <proc/task.h>
#include <proc/thread.h>
#include <mm/page.h>
#include <string.h>

task_t kernel_task;
static list_t tasks = LIST_INITIALIZER(tasks);
static spinlock_t tasks_lock = SPINLOCK_INITIALIZER("tasks");

void task_init(void)
{
	kernel_task.id = 0;
	str_lcpy(kernel_task.name, "kernel", sizeof(kernel_task.name));
	kernel_task.as = NULL;
	spinlock_init(&kernel_task.lock, "task");
	list_initialize(&kernel_task.threads);
	kernel_task.refcount = 1;
	spinlock_lock(&tasks_lock);
	list_append(&kernel_task.all_link, &tasks);
	spinlock_unlock(&tasks_lock);
}

uint64_t task_page_root(const task_t *task)
{
	return page_kernel_root();
}

void task_attach_thread(task_t *task, thread_t *thread)
{
	spinlock_lock(&task->lock);
	list_append(&thread->task_link, &task->threads);
	task->thread_count++;
	thread->task = task;
	spinlock_unlock(&task->lock);
}

void task_detach_thread(thread_t *thread)
{
	task_t *task = thread->task;
	spinlock_lock(&task->lock);
	list_remove(&thread->task_link);
	task->thread_count--;
	spinlock_unlock(&task->lock);
}
