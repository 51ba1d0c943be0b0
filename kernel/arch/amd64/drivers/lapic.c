/*
 * Local APIC driver. Each CPU has its own; registers are reached through
 * the xAPIC page (madt.lapic_base, uncached in the direct map) or, in x2APIC
 * mode, as MSRs 0x800 + offset / 16. A register access only concerns the
 * running CPU's APIC, so no lock is needed; `x2apic`, `mmio` and
 * `timer_hz_count` are set once by the boot CPU before others start.
 */
#include <arch/apic.h>
#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/drivers.h>
#include <arch/interrupt.h>
#include <arch/madt.h>
#include <arch/mm.h>
#include <printf.h>

#define MSR_APIC_BASE	 0x1b
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ADDR	 0xfffff000ull
#define X2APIC_MSR_BASE	 0x800

#define REG_ID	       0x020
#define REG_TPR	       0x080
#define REG_EOI	       0x0b0
#define REG_SVR	       0x0f0
#define REG_ESR	       0x280
#define REG_ICR_LOW    0x300
#define REG_ICR_HIGH   0x310
#define REG_LVT_TIMER  0x320
#define REG_LVT_LINT0  0x350
#define REG_LVT_LINT1  0x360
#define REG_LVT_ERROR  0x370
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR  0x390
#define REG_TIMER_DIV  0x3e0

#define SVR_ENABLE	 (1u << 8)
#define LVT_MASKED	 (1u << 16)
#define LVT_NMI		 (4u << 8)
#define TIMER_PERIODIC	 (1u << 17)
#define TIMER_DIV_16	 0x3
#define ICR_FIXED	 (0u << 8)
#define ICR_NMI		 (4u << 8)
#define ICR_INIT	 (5u << 8)
#define ICR_STARTUP	 (6u << 8)
#define ICR_PENDING	 (1u << 12)
#define ICR_ASSERT	 (1u << 14)
#define ICR_LEVEL	 (1u << 15)
#define ICR_ALL_BUT_SELF (3u << 18)

/* 1 ms holds 62,500 counts of QEMU's timer: the tick's period to 16 ppm,
 * and each window is a million instructions of every boot under -icount. */
#define CALIB_WINDOW_MS 1
#define CALIB_ATTEMPTS	50
#define CALIB_BRACKET	128

static bool x2apic;
static volatile uint32_t *mmio;
static uint64_t timer_rate; /* timer counts per second at divide-by-16 */

/* The boot CPU's timer counting down from lapic_timer_count_start() until
 * lapic_timer_calibrate(), with the TSC read around its first count: the
 * span holds the end of the TSC's own calibration (a PIT window begun at
 * the kernel's entry), so the rate comes without windows of its own (they
 * were 3 M instructions of every boot under -icount); a span shorter than
 * BOOT_COUNT_MIN_US (the TSC's rate came from the hypervisor) is waited out
 * to that length: at least 15,600 counts at QEMU's 62.5 MHz, one count
 * 64 ppm of the rate, ample for the tick it paces (the clock reads the
 * TSC). Each 250 us more would cost 0.25 M instructions of every boot under
 * -icount. Written and read on the boot CPU alone, at boot. */
#define BOOT_COUNT_MIN_US 250
static struct {
	bool counting;
	uint64_t t0, t1; /* TSC just before and after reading c0 */
	uint32_t c0;
} boot_count;

static uint32_t lapic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t) rdmsr(X2APIC_MSR_BASE + reg / 16);
	return mmio[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + reg / 16, v);
	else
		mmio[reg / 4] = v;
}

void lapic_init(void)
{
	x2apic = cpu_features.x2apic;
	mmio = phys_to_virt(madt.lapic_base);
	printf("apic: local APIC in %s mode at %#llx\n", x2apic ? "x2APIC" : "xAPIC",
	    (unsigned long long) madt.lapic_base);
}

void lapic_cpu_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;
	if (x2apic)
		base |= APIC_BASE_X2APIC;
	wrmsr(MSR_APIC_BASE, base);
	lapic_write(REG_TPR, 0);
	lapic_write(REG_LVT_TIMER, LVT_MASKED);
	lapic_write(REG_LVT_LINT0, LVT_MASKED); /* the 8259 is not used */
	lapic_write(REG_LVT_LINT1, LVT_NMI);
	lapic_write(REG_LVT_ERROR, LVT_MASKED);
	lapic_write(REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
	lapic_write(REG_ESR, 0);
	lapic_eoi();
}

uint32_t lapic_id(void)
{
	if (x2apic)
		return (uint32_t) rdmsr(X2APIC_MSR_BASE + REG_ID / 16);
	if (mmio == NULL) /* before lapic_init: the reset base */
		return ((volatile uint32_t *) phys_to_virt(
			   rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR))[REG_ID / 4] >>
		    24;
	return lapic_read(REG_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(REG_EOI, 0);
}

/** Writes the interrupt command register; in xAPIC mode waits until the
 *  previous command left (interrupts off: the two halves belong together). */
static void icr_send(uint32_t apic_id, uint32_t low)
{
	bool ints = irq_save();
	if (x2apic) {
		wrmsr(X2APIC_MSR_BASE + REG_ICR_LOW / 16, (uint64_t) apic_id << 32 | low);
	} else {
		while (lapic_read(REG_ICR_LOW) & ICR_PENDING)
			cpu_relax();
		lapic_write(REG_ICR_HIGH, apic_id << 24);
		lapic_write(REG_ICR_LOW, low);
	}
	irq_restore(ints);
}

void lapic_send_fixed(uint32_t apic_id, uint8_t vector)
{
	icr_send(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_all_but_self(uint8_t vector)
{
	icr_send(0, ICR_ALL_BUT_SELF | ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_nmi_all_but_self(void)
{
	icr_send(0, ICR_ALL_BUT_SELF | ICR_NMI | ICR_ASSERT);
}

/** Spins @a us microseconds on the PIT-calibrated TSC (or a fixed count). */
static void udelay(unsigned us)
{
	uint64_t khz = cpu_features.tsc_khz != 0 ? cpu_features.tsc_khz : 3000000;
	uint64_t end = rdtsc() + khz * us / 1000;
	while (rdtsc() < end)
		cpu_relax();
}

void lapic_send_init(uint32_t apic_id)
{
	lapic_write(REG_ESR, 0);
	icr_send(apic_id, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
}

void lapic_send_init_sipi(uint32_t apic_id, uint8_t page)
{
	/* The universal start-up algorithm (Intel SDM vol. 3, 8.4.4.1). */
	lapic_send_init(apic_id);
	udelay(10000);
	for (int i = 0; i < 2; i++) {
		icr_send(apic_id, ICR_STARTUP | page);
		udelay(200);
	}
}

/** One window of CALIB_WINDOW_MS on the TSC: timer counts per second, or 0
 *  when an edge was not read closely enough (the guest was descheduled). */
static uint64_t window_rate_tsc(uint64_t tsc_khz)
{
	lapic_write(REG_TIMER_INIT, 0xffffffffu);
	uint64_t t0 = rdtsc();
	uint32_t c0 = lapic_read(REG_TIMER_CUR);
	uint64_t t1 = rdtsc();
	while (rdtsc() - t1 < tsc_khz * CALIB_WINDOW_MS)
		cpu_relax();
	uint64_t t2 = rdtsc();
	uint32_t c1 = lapic_read(REG_TIMER_CUR);
	uint64_t t3 = rdtsc();
	uint64_t span = (t2 / 2 + t3 / 2) - (t0 / 2 + t1 / 2);
	uint64_t fuzz = (t1 - t0) + (t3 - t2);
	if (c1 >= c0 || span == 0 || fuzz * CALIB_BRACKET > span)
		return 0;
	return (uint64_t) (c0 - c1) * tsc_khz * 1000 / span;
}

void lapic_timer_count_start(void)
{
	lapic_write(REG_TIMER_DIV, TIMER_DIV_16);
	lapic_write(REG_LVT_TIMER, LVT_MASKED); /* one-shot, no interrupt */
	lapic_write(REG_TIMER_INIT, 0xffffffffu);
	boot_count.t0 = rdtsc();
	boot_count.c0 = lapic_read(REG_TIMER_CUR);
	boot_count.t1 = rdtsc();
	boot_count.counting = true;
}

/** The rate over the span since lapic_timer_count_start(), at least
 *  BOOT_COUNT_MIN_US long, measured as one window is; 0 without that count or when an
 *  edge was not read closely enough. */
static uint64_t rate_from_boot_count(uint64_t tsc_khz)
{
	if (!boot_count.counting)
		return 0;
	boot_count.counting = false;
	while (rdtsc() - boot_count.t1 < tsc_khz * BOOT_COUNT_MIN_US / 1000)
		cpu_relax();
	uint64_t t2 = rdtsc();
	uint32_t c1 = lapic_read(REG_TIMER_CUR);
	uint64_t t3 = rdtsc();
	uint64_t t0 = boot_count.t0, t1 = boot_count.t1;
	uint32_t c0 = boot_count.c0;
	uint64_t span = (t2 / 2 + t3 / 2) - (t0 / 2 + t1 / 2);
	uint64_t fuzz = (t1 - t0) + (t3 - t2);
	if (c1 >= c0 || span == 0 || fuzz * CALIB_BRACKET > span)
		return 0;
	return (uint64_t) (c0 - c1) * tsc_khz * 1000 / span;
}

/** The median of three good windows; 0 if three were not found. */
static uint64_t rate_from_tsc(uint64_t tsc_khz)
{
	uint64_t v[3];
	unsigned good = 0;
	for (unsigned i = 0; i < CALIB_ATTEMPTS && good < 3; i++) {
		uint64_t r = window_rate_tsc(tsc_khz);
		if (r != 0)
			v[good++] = r;
	}
	if (good < 3)
		return 0;
	return v[0] + v[1] + v[2] - MIN(v[0], MIN(v[1], v[2])) -
	    MAX(v[0], MAX(v[1], v[2]));
}

/** Without a usable TSC: one PIT window, the counts read just around it. */
static uint64_t rate_from_pit(void)
{
	pit_window_t w;
	lapic_write(REG_TIMER_INIT, 0xffffffffu);
	uint32_t c0 = lapic_read(REG_TIMER_CUR);
	bool ok = pit_time_window(CALIB_WINDOW_MS * 10000, &w);
	uint32_t c1 = lapic_read(REG_TIMER_CUR);
	return ok && c1 < c0 ? (uint64_t) (c0 - c1) * PIT_HZ / w.ticks : 0;
}

void lapic_timer_calibrate(void)
{
	uint64_t khz = cpu_features.tsc_khz;
	timer_rate = khz != 0 ? rate_from_boot_count(khz) : 0;
	const char *how = "TSC, over the TSC's calibration";
	lapic_write(REG_TIMER_DIV, TIMER_DIV_16);
	lapic_write(REG_LVT_TIMER, LVT_MASKED); /* one-shot, no interrupt */
	if (timer_rate == 0) {
		timer_rate = khz != 0 ? rate_from_tsc(khz) : 0;
		how = "TSC";
	}
	if (timer_rate == 0) {
		timer_rate = rate_from_pit();
		how = "PIT";
	}
	if (timer_rate == 0) {
		timer_rate = 62500000; /* QEMU's 1 GHz bus / 16; logged as a guess */
		how = "no measurement, assumed";
	}
	lapic_write(REG_TIMER_INIT, 0);
	printf("apic: timer %llu.%03llu MHz after divide-by-16 (%s)\n",
	    (unsigned long long) timer_rate / 1000000,
	    (unsigned long long) timer_rate / 1000 % 1000, how);
}

void lapic_timer_start(unsigned hz)
{
	lapic_write(REG_TIMER_DIV, TIMER_DIV_16);
	lapic_write(REG_LVT_TIMER, VECTOR_TIMER | TIMER_PERIODIC);
	lapic_write(REG_TIMER_INIT, (uint32_t) (timer_rate / hz));
}
