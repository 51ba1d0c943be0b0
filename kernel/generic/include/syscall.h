/*
 * System-call dispatch. Handlers take up to six word arguments and return a
 * word (an errno_t for almost all). Every handler checks its arguments before
 * changing anything (decode, then invoke).
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include <abi/syscall.h>
#include <arch/ipc_regs.h>
#include <types.h>

typedef uint64_t sysarg_t;
typedef sysarg_t (*syscall_fn_t)(
    sysarg_t, sysarg_t, sysarg_t, sysarg_t, sysarg_t, sysarg_t);

/** IPC system calls (SYS_IPC_FIRST and up) on the saved user registers
 *  (arch/ipc_regs.h); results are written back to them. */
sysarg_t sys_ipc(sysarg_t num, ipc_regs_t *regs);

sysarg_t syscall_dispatch(sysarg_t num, sysarg_t a1, sysarg_t a2, sysarg_t a3,
    sysarg_t a4, sysarg_t a5, sysarg_t a6);
/** The light system-call path (numbers below SYS_IPC_FIRST, checked by the
 *  entry code): dispatch, then the return-to-user check. */
sysarg_t syscall_light(sysarg_t a1, sysarg_t a2, sysarg_t a3, sysarg_t a4, sysarg_t a5,
    sysarg_t a6, sysarg_t num);

/* Handlers, one group per subsystem file. */
sysarg_t sys_kio_write(sysarg_t buf, sysarg_t len);
sysarg_t sys_thread_create(sysarg_t entry, sysarg_t stack_top, sysarg_t arg,
    sysarg_t name, sysarg_t name_len, sysarg_t tid_out);
sysarg_t sys_thread_exit(void);
sysarg_t sys_thread_get_id(sysarg_t tid_out);
sysarg_t sys_thread_sleep(sysarg_t usec);
sysarg_t sys_thread_yield(void);
sysarg_t sys_task_get_id(sysarg_t id_out);
sysarg_t sys_task_set_name(sysarg_t name, sysarg_t len);
sysarg_t sys_task_exit(sysarg_t status);
sysarg_t sys_task_spawn_module(sysarg_t cmdline, sysarg_t len, sysarg_t id_out);
sysarg_t sys_task_wait(sysarg_t id, sysarg_t exit_out, sysarg_t usec);
sysarg_t sys_task_kill(sysarg_t id);
sysarg_t sys_kernel_stats(sysarg_t out);
sysarg_t sys_futex_wait(sysarg_t addr, sysarg_t expected, sysarg_t usec);
sysarg_t sys_futex_wake(sysarg_t addr, sysarg_t count);
sysarg_t sys_thread_set_tls(sysarg_t base);
sysarg_t sys_thread_set_affinity(sysarg_t mask);
sysarg_t sys_cpu_info(sysarg_t cpu, sysarg_t count);
sysarg_t sys_cpu_stats(sysarg_t cpu, sysarg_t out);
sysarg_t sys_task_spawn_loader(sysarg_t phone_out, sysarg_t id_out);
sysarg_t sys_module_size(sysarg_t name, sysarg_t len, sysarg_t size_out);
sysarg_t sys_module_read(
    sysarg_t name, sysarg_t len, sysarg_t offset, sysarg_t buf, sysarg_t size);
sysarg_t sys_module_map(
    sysarg_t name, sysarg_t len, sysarg_t base_out, sysarg_t size_out);
sysarg_t sys_module_take(
    sysarg_t name, sysarg_t len, sysarg_t base_out, sysarg_t size_out);
sysarg_t sys_as_area_change_flags(sysarg_t base, sysarg_t flags);
sysarg_t sys_as_area_create_image(
    sysarg_t base, sysarg_t size, sysarg_t flags, sysarg_t src, sysarg_t len);
sysarg_t sys_task_info(sysarg_t id, sysarg_t info_out);
sysarg_t sys_task_list(sysarg_t ids_out, sysarg_t max);
sysarg_t sys_thread_info(sysarg_t task_id, sysarg_t buf, sysarg_t max);
sysarg_t sys_perm_grant(sysarg_t task_id, sysarg_t perms);
sysarg_t sys_hwres_grant(sysarg_t task_id, sysarg_t kind, sysarg_t base, sysarg_t size);
sysarg_t sys_perm_get(sysarg_t perms_out);
sysarg_t sys_as_area_create(sysarg_t base_inout, sysarg_t size, sysarg_t flags);
sysarg_t sys_as_area_resize(sysarg_t base, sysarg_t size);
sysarg_t sys_as_area_unmap(sysarg_t addr, sysarg_t size);
sysarg_t sys_as_area_sync(sysarg_t addr, sysarg_t size);
sysarg_t sys_pager_page_out_read(sysarg_t call_h, sysarg_t buf, sysarg_t size);
sysarg_t sys_as_area_destroy(sysarg_t base);
sysarg_t sys_as_area_query(sysarg_t addr, sysarg_t info_out);
sysarg_t sys_physmem_map(sysarg_t phys, sysarg_t size, sysarg_t flags, sysarg_t base_out);
sysarg_t sys_dmamem_map(
    sysarg_t size, sysarg_t flags, sysarg_t base_out, sysarg_t phys_out);
sysarg_t sys_as_area_create_pager(
    sysarg_t base_inout, sysarg_t size, sysarg_t flags, sysarg_t pager_in);
sysarg_t sys_clock_get(sysarg_t ns_out);
sysarg_t sys_clock_params(sysarg_t params_out);
sysarg_t sys_clock_realtime(sysarg_t base_out);
sysarg_t sys_quota_get(sysarg_t id, sysarg_t info_out);
sysarg_t sys_quota_set(sysarg_t id, sysarg_t kind, sysarg_t limit);
sysarg_t sys_cap_derive(sysarg_t handle, sysarg_t rights, sysarg_t handle_out);
sysarg_t sys_cap_revoke(sysarg_t handle);
sysarg_t sys_cap_info(sysarg_t handle, sysarg_t info_out);
sysarg_t sys_exc_handler_set(sysarg_t task_id, sysarg_t thread_id, sysarg_t phone_h,
    sysarg_t label, sysarg_t flags);
sysarg_t sys_debug_control(sysarg_t task_id, sysarg_t command);
sysarg_t sys_debug_threads(sysarg_t task_id, sysarg_t buf, sysarg_t max);
sysarg_t sys_debug_regs_get(sysarg_t task_id, sysarg_t thread_id, sysarg_t regs_out);
sysarg_t sys_debug_regs_set(sysarg_t task_id, sysarg_t thread_id, sysarg_t regs_in);
sysarg_t sys_debug_mem_read(sysarg_t task_id, sysarg_t addr, sysarg_t buf, sysarg_t size);
sysarg_t sys_irq_subscribe(
    sysarg_t irq, sysarg_t method, sysarg_t cmds, sysarg_t count, sysarg_t handle_out);
sysarg_t sys_irq_unsubscribe(sysarg_t handle);
sysarg_t sys_irq_ack(sysarg_t handle);
sysarg_t sys_iospace_enable(sysarg_t port, sysarg_t size);
sysarg_t sys_event_subscribe(sysarg_t event, sysarg_t method);
sysarg_t sys_event_unmask(sysarg_t event);
sysarg_t sys_kconsole(void);
sysarg_t sys_ipclog_control(sysarg_t cmd, sysarg_t arg, sysarg_t arg2);
sysarg_t sys_ipclog_read(sysarg_t cursor, sysarg_t buf, sysarg_t max, sysarg_t missed);
sysarg_t sys_klog_read(sysarg_t cursor, sysarg_t buf, sysarg_t size, sysarg_t missed);
sysarg_t sys_system_power(sysarg_t mode);

struct task;
/** Makes the CPU's I/O permissions match @a task's if it is running. */
void arch_io_update(struct task *task);

#endif
