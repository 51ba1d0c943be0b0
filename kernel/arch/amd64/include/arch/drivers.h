/*
 * Kernel-owned PC devices: early console, interrupt controller, timer, QEMU.
 */
#ifndef ARCH_DRIVERS_H
#define ARCH_DRIVERS_H

#include <time/rtc.h>
#include <types.h>

void serial_init(void);
/** Writes @a len bytes to COM2, the IPC log's export channel to the host;
 *  false when the machine has no COM2. */
bool export_port_write(const char *buf, size_t len);
void vga_init(void);
/** A task mapped physical memory: the kernel stops drawing on the VGA text
 *  screen if the range overlaps it (the userspace driver took it). */
void vga_physmem_mapped(uint64_t phys, uint64_t size);

/** Remaps the 8259s to PIC_VECTOR_BASE and masks them (the I/O APIC is used). */
void pic_disable(void);

/** TSC readings around the edges of one PIT window: the window began
 *  between start_lo and start_hi and ended between end_lo and end_hi. */
typedef struct {
	uint64_t start_lo, start_hi, end_lo, end_hi;
	uint32_t ticks; /* PIT counts the window held (PIT_HZ a second) */
} pit_window_t;
#define PIT_HZ 1193182
/** Times a countdown of @a us microseconds (1 to 54,900) of PIT channel 2
 *  with the TSC; false if @a us is out of that range or it never ended. */
bool pit_time_window(unsigned us, pit_window_t *w);
/** pit_time_window() in two halves: starts the countdown (false if @a us is
 *  out of range), and waits for its end (false if it never ended or had
 *  ended before the call, its end edge then unknown). */
bool pit_window_begin(unsigned us, pit_window_t *w);
bool pit_window_end(pit_window_t *w);
/** Starts the TSC's calibration window early in start-up, so that the work
 *  up to tsc_calibrate_khz() runs while it counts (nothing where the
 *  hypervisor reports the rate). Boot CPU, interrupts off. */
void tsc_calibrate_begin(void);
/** The TSC frequency in kHz, measured robustly (drivers/tsc.c) and logged
 *  on one boot line; 0 if no measurement was plausible. */
uint64_t tsc_calibrate_khz(void);

/** Reads the CMOS RTC's date registers into @a raw, undecoded; false when
 *  no two readings in a row agreed (a chip stuck in an update). Boot CPU. */
bool arch_rtc_read(rtc_raw_t *raw);

void qemu_exit(uint32_t code);
/** Copies extra kernel options from QEMU fw_cfg into @a buf; returns the length. */
size_t qemu_extra_cmdline(char *buf, size_t size);

#endif
