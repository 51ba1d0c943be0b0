/*
 * The system-call table.
 */
#include <syscall.h>
#include <cpu.h>
#include <proc/thread.h>

/* Handlers take fewer arguments than the table type; the SysV ABI makes the
 * extra register arguments harmless. The cast goes through void (*)(void). */
#define SYSCALL(num, fn) [num] = (syscall_fn_t) (void (*)(void))(fn)

static sysarg_t sys_nop(void)
{
	return EOK;
}

static const syscall_fn_t syscall_table[SYSCALL_COUNT] = {
    SYSCALL(SYS_KIO_WRITE, sys_kio_write),
    SYSCALL(SYS_THREAD_CREATE, sys_thread_create),
    SYSCALL(SYS_THREAD_EXIT, sys_thread_exit),
    SYSCALL(SYS_THREAD_GET_ID, sys_thread_get_id),
    SYSCALL(SYS_THREAD_SLEEP, sys_thread_sleep),
    SYSCALL(SYS_THREAD_YIELD, sys_thread_yield),
    SYSCALL(SYS_TASK_GET_ID, sys_task_get_id),
    SYSCALL(SYS_TASK_SET_NAME, sys_task_set_name),
    SYSCALL(SYS_TASK_EXIT, sys_task_exit),
    SYSCALL(SYS_AS_AREA_CREATE, sys_as_area_create),
    SYSCALL(SYS_AS_AREA_RESIZE, sys_as_area_resize),
    SYSCALL(SYS_AS_AREA_DESTROY, sys_as_area_destroy),
    SYSCALL(SYS_AS_AREA_QUERY, sys_as_area_query),
    SYSCALL(SYS_CLOCK_GET, sys_clock_get),
    SYSCALL(SYS_TASK_SPAWN_MODULE, sys_task_spawn_module),
    SYSCALL(SYS_TASK_WAIT, sys_task_wait),
    SYSCALL(SYS_TASK_KILL, sys_task_kill),
    SYSCALL(SYS_PHYSMEM_MAP, sys_physmem_map),
    SYSCALL(SYS_PERM_GRANT, sys_perm_grant),
    SYSCALL(SYS_PERM_GET, sys_perm_get),
    SYSCALL(SYS_IRQ_SUBSCRIBE, sys_irq_subscribe),
    SYSCALL(SYS_IRQ_UNSUBSCRIBE, sys_irq_unsubscribe),
    SYSCALL(SYS_IOSPACE_ENABLE, sys_iospace_enable),
    SYSCALL(SYS_EVENT_SUBSCRIBE, sys_event_subscribe),
    SYSCALL(SYS_EVENT_UNMASK, sys_event_unmask),
    SYSCALL(SYS_IPCLOG_CONTROL, sys_ipclog_control),
    SYSCALL(SYS_IPCLOG_READ, sys_ipclog_read),
    SYSCALL(SYS_KCONSOLE, sys_kconsole),
    SYSCALL(SYS_NOP, sys_nop),
    SYSCALL(SYS_TASK_INFO, sys_task_info),
    SYSCALL(SYS_TASK_LIST, sys_task_list),
    SYSCALL(SYS_KERNEL_STATS, sys_kernel_stats),
    SYSCALL(SYS_FUTEX_WAIT, sys_futex_wait),
    SYSCALL(SYS_FUTEX_WAKE, sys_futex_wake),
    SYSCALL(SYS_THREAD_SET_TLS, sys_thread_set_tls),
    SYSCALL(SYS_THREAD_SET_AFFINITY, sys_thread_set_affinity),
    SYSCALL(SYS_CPU_INFO, sys_cpu_info),
    SYSCALL(SYS_CPU_STATS, sys_cpu_stats),
    SYSCALL(SYS_TASK_SPAWN_LOADER, sys_task_spawn_loader),
    SYSCALL(SYS_MODULE_SIZE, sys_module_size),
    SYSCALL(SYS_MODULE_READ, sys_module_read),
    SYSCALL(SYS_MODULE_TAKE, sys_module_take),
    SYSCALL(SYS_MODULE_MAP, sys_module_map),
    SYSCALL(SYS_AS_AREA_CREATE_IMAGE, sys_as_area_create_image),
    SYSCALL(SYS_AS_AREA_CHANGE_FLAGS, sys_as_area_change_flags),
    SYSCALL(SYS_HWRES_GRANT, sys_hwres_grant),
    SYSCALL(SYS_KLOG_READ, sys_klog_read),
    SYSCALL(SYS_SYSTEM_POWER, sys_system_power),
    SYSCALL(SYS_CLOCK_PARAMS, sys_clock_params),
    SYSCALL(SYS_DMAMEM_MAP, sys_dmamem_map),
    SYSCALL(SYS_QUOTA_GET, sys_quota_get),
    SYSCALL(SYS_QUOTA_SET, sys_quota_set),
    SYSCALL(SYS_EXC_HANDLER_SET, sys_exc_handler_set),
    SYSCALL(SYS_DEBUG_CONTROL, sys_debug_control),
    SYSCALL(SYS_DEBUG_THREADS, sys_debug_threads),
    SYSCALL(SYS_DEBUG_REGS_GET, sys_debug_regs_get),
    SYSCALL(SYS_DEBUG_REGS_SET, sys_debug_regs_set),
    SYSCALL(SYS_DEBUG_MEM_READ, sys_debug_mem_read),
    SYSCALL(SYS_CAP_DERIVE, sys_cap_derive),
    SYSCALL(SYS_CAP_REVOKE, sys_cap_revoke),
    SYSCALL(SYS_CAP_INFO, sys_cap_info),
    SYSCALL(SYS_IRQ_ACK, sys_irq_ack),
    SYSCALL(SYS_THREAD_INFO, sys_thread_info),
    SYSCALL(SYS_AS_AREA_CREATE_PAGER, sys_as_area_create_pager),
    SYSCALL(SYS_CLOCK_REALTIME, sys_clock_realtime),
    SYSCALL(SYS_AS_AREA_UNMAP, sys_as_area_unmap),
    SYSCALL(SYS_AS_AREA_SYNC, sys_as_area_sync),
    SYSCALL(SYS_PAGER_PAGE_OUT_READ, sys_pager_page_out_read),
};

sysarg_t syscall_dispatch(sysarg_t num, sysarg_t a1, sysarg_t a2, sysarg_t a3,
    sysarg_t a4, sysarg_t a5, sysarg_t a6)
{
	if (num >= SYSCALL_COUNT || syscall_table[num] == NULL)
		return (sysarg_t) ENOSYS;
	return syscall_table[num](a1, a2, a3, a4, a5, a6);
}

sysarg_t syscall_light(sysarg_t a1, sysarg_t a2, sysarg_t a3, sysarg_t a4, sysarg_t a5,
    sysarg_t a6, sysarg_t num)
{
	sysarg_t rc = syscall_table[num] != NULL
	    ? syscall_table[num](a1, a2, a3, a4, a5, a6)
	    : (sysarg_t) ENOSYS;
	if (unlikely(THREAD->kill_pending))
		thread_exit();
	return rc;
}
