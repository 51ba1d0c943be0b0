/*
 * utest: the interrupt controllers are the kernel's. No task, whatever its
 * permissions, sends an inter-processor interrupt, raises the timer's or a
 * device line's vector or reaches the APICs: `int N` for those vectors is a
 * general protection fault (their gates admit the kernel only), and the
 * local APIC page (whose command register sends IPIs) and the I/O APIC page
 * (which routes device lines) are refused to SYS_PHYSMEM_MAP and to IRQ
 * programs' memory reads (EPERM) even with PERM_PHYSMEM and PERM_IRQ.
 * Vectors and addresses are the amd64 kernel's (arch/interrupt.h) on
 * QEMU's PC. A driver chooses the CPU its line goes to (IRQ_ON_CPU); the
 * kernel test irq_line_reaches_the_cpu_it_is_set_to checks the delivery.
 */
#include "utest.h"
#include <as.h>
#include <ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <stdint.h>
#include <task.h>
#include <testsuite.h>
#include <thread.h>

#define LAPIC_PA  0xfee00000ull
#define IOAPIC_PA 0xfec00000ull
#define INTC_IRQ  13 /* no device of a PC raises it: no driver owns it */

/* NMI (how a panicking CPU stops the others), IRQ 4's vector, the tick,
 * the three IPIs (reschedule, TLB shoot-down, halt) and the spurious one. */
static const int kernel_vectors[] = {2, 36, 240, 241, 242, 243, 255};

int child_int(const char *vector)
{
	/* `int` takes its vector as an immediate: one instruction per vector. */
	switch (atoi(vector)) {
	case 2:
		__asm__ volatile("int $2");
		break;
	case 36:
		__asm__ volatile("int $36");
		break;
	case 240:
		__asm__ volatile("int $240");
		break;
	case 241:
		__asm__ volatile("int $241");
		break;
	case 242:
		__asm__ volatile("int $242");
		break;
	case 243:
		__asm__ volatile("int $243");
		break;
	case 255:
		__asm__ volatile("int $255");
		break;
	default:
		return 98;
	}
	return 99; /* the kernel took the interrupt for this task: wrong */
}

/** An IRQ program of one 32-bit read of physical @a addr: the result of
 *  subscribing it (unsubscribed again at once). */
static errno_t subscribe_reading(uint64_t addr)
{
	irq_cmd_t prog[] = {{.cmd = IRQ_CMD_MEM_READ_32, .value = addr, .dst = 1},
	    {.cmd = IRQ_CMD_ACCEPT}};
	cap_handle_t h;
	errno_t rc = ipc_irq_subscribe(INTC_IRQ, 1024, prog, 2, &h);
	if (rc == EOK && ipc_irq_unsubscribe(h) != EOK)
		return EIO;
	return rc;
}

void test_irq_lines_go_to_a_chosen_cpu(void)
{
	unsigned cpu, count;
	CHECK_RC(cpu_info(&cpu, &count), EOK);
	irq_cmd_t decline = {.cmd = IRQ_CMD_DECLINE};
	cap_handle_t h;
	for (unsigned c = 0; c < count; c++) {
		CHECK_RC(ipc_irq_subscribe_on(INTC_IRQ, c, 1024, &decline, 1, &h), EOK);
		CHECK_RC(ipc_irq_unsubscribe(h), EOK);
	}
	/* A CPU that does not run: refused before anything is made. */
	CHECK_RC(ipc_irq_subscribe_on(INTC_IRQ, count, 1024, &decline, 1, &h), EINVAL);
	CHECK_RC(ipc_irq_subscribe_on(INTC_IRQ, 4096, 1024, &decline, 1, &h), EINVAL);
	CHECK_RC(
	    ipc_irq_subscribe_on(INTC_IRQ, UINT32_MAX, 1024, &decline, 1, &h), EINVAL);
	CHECK_RC(ipc_irq_subscribe_on(-1, 0, 1024, &decline, 1, &h), EINVAL);
	/* The system call itself: CPU 4096 (plus one) above the line. */
	CHECK_RC((errno_t) syscall5(SYS_IRQ_SUBSCRIBE, IRQ_ON_CPU(INTC_IRQ, 4096), 1024,
		     (sysarg_t) &decline, 1, (sysarg_t) &h),
	    EINVAL);
	/* ... and the line is still free for a plain subscription. */
	CHECK_RC(ipc_irq_subscribe(INTC_IRQ, 1024, &decline, 1, &h), EOK);
	CHECK_RC(ipc_irq_unsubscribe(h), EOK);
}

void test_user_space_cannot_send_ipis_or_reach_the_apics(void)
{
	for (size_t i = 0; i < sizeof(kernel_vectors) / sizeof(kernel_vectors[0]); i++) {
		char mode[32];
		snprintf(mode, sizeof(mode), "--int %d", kernel_vectors[i]);
		task_exit_t e;
		CHECK_RC(utest_child(mode, &e), EOK);
		if (e.how != TASK_EXIT_FAULT || e.status != TASK_FAULT_GENERAL)
			printf("utest:   int %d ended how=%d status=%d\n",
			    kernel_vectors[i], e.how, e.status);
		CHECK(e.how == TASK_EXIT_FAULT && e.status == TASK_FAULT_GENERAL);
	}
	uintptr_t base;
	CHECK_RC(physmem_map(LAPIC_PA, 4096, AS_AREA_READ | AS_AREA_WRITE, &base), EPERM);
	CHECK_RC(
	    physmem_map(IOAPIC_PA, 4096, AS_AREA_READ | AS_AREA_WRITE, &base), EPERM);
	/* A range that only begins below the I/O APIC reaches it too. */
	CHECK_RC(physmem_map(IOAPIC_PA - 4096, 2 * 4096, AS_AREA_READ, &base), EPERM);
	CHECK_RC(subscribe_reading(LAPIC_PA + 0x300), EPERM);
	CHECK_RC(subscribe_reading(IOAPIC_PA + 0x10), EPERM);
}
