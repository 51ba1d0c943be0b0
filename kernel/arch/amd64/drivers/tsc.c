/*
 * TSC frequency at boot. One PIT window timed with the TSC is at the mercy
 * of the host when the machine is emulated: a guest descheduled at the
 * window's end reads the TSC late, and boots on a loaded host measured
 * 10,211 MHz or 3,328 MHz for a true 2,100, so every clock_ns() sleep and
 * timeout ran that much slow. So:
 *  1. PIT: windows of CALIB_WINDOW_MS, each edge bracketed by TSC reads
 *     (pit_time_window). A window whose brackets are wider than
 *     1/CALIB_BRACKET of its length was interrupted at an edge and is
 *     dropped; up to CALIB_ATTEMPTS windows are timed until CALIB_GOOD good
 *     ones are in, and their median is the measurement (at least
 *     CALIB_MIN_GOOD of them, and within CALIB_MIN_KHZ..CALIB_MAX_KHZ).
 *  2. CPUID: leaf 0x15 (crystal clock times TSC/crystal ratio), else leaf
 *     0x16 (nominal base frequency), where the CPU reports them. Emulators
 *     may report a model's frequency while the TSC runs at the host's, so it
 *     is used only if it agrees with the PIT within CALIB_CPUID_PPM; it is
 *     then exact where the PIT is only close.
 * The windows are short because each costs boot time (and, under QEMU
 * `-icount shift=0`, a million instructions per millisecond). The result is
 * logged on one line with its method.
 */
#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/cycle.h>
#include <arch/drivers.h>
#include <printf.h>

#define CALIB_WINDOW_MS 2
#define CALIB_GOOD	3 /* 5 cost 4 ms more of every boot, no better median */
#define CALIB_MIN_GOOD	3
#define CALIB_ATTEMPTS	100
#define CALIB_BRACKET	128	   /* edges known within 0.8 % of the window */
#define CALIB_CPUID_PPM 20000	   /* CPUID believed within 2 % of the PIT */
#define CALIB_MIN_KHZ	100000ull  /* 100 MHz */
#define CALIB_MAX_KHZ	8000000ull /* 8 GHz */

typedef struct {
	uint64_t khz;	     /* median of the good windows; 0 if too few */
	unsigned good;	     /* windows kept */
	unsigned timed;	     /* windows timed */
	uint64_t spread_ppm; /* of the kept ones, max - min relative to the median */
} pit_result_t;

static void sort_u64(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static bool khz_plausible(uint64_t khz)
{
	return khz >= CALIB_MIN_KHZ && khz <= CALIB_MAX_KHZ;
}

/** One window's rate in kHz; 0 if it failed or an edge is not known
 *  closely enough (the guest was descheduled there). */
static uint64_t window_khz(void)
{
	pit_window_t w;
	if (!pit_time_window(CALIB_WINDOW_MS, &w))
		return 0;
	uint64_t start = w.start_lo / 2 + w.start_hi / 2;
	uint64_t end = w.end_lo / 2 + w.end_hi / 2;
	uint64_t fuzz = (w.start_hi - w.start_lo) + (w.end_hi - w.end_lo);
	if (end <= start || fuzz * CALIB_BRACKET > end - start)
		return 0;
	return (end - start) / CALIB_WINDOW_MS;
}

static pit_result_t pit_measure(void)
{
	uint64_t v[CALIB_GOOD];
	pit_result_t r = {0};
	while (r.good < CALIB_GOOD && r.timed < CALIB_ATTEMPTS) {
		r.timed++;
		uint64_t khz = window_khz();
		if (khz != 0)
			v[r.good++] = khz;
	}
	if (r.good < CALIB_MIN_GOOD)
		return r;
	sort_u64(v, r.good);
	r.khz = v[r.good / 2];
	if (r.khz != 0)
		r.spread_ppm = (v[r.good - 1] - v[0]) * 1000000 / r.khz;
	return r;
}

/** The TSC frequency CPUID reports (leaf 0x15, else 0x16), 0 if none. */
static uint64_t cpuid_tsc_khz(unsigned *leaf)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	uint32_t max_leaf = r[0];
	if (max_leaf >= 0x15) {
		cpuid(0x15, 0, r); /* eax: denominator, ebx: numerator, ecx: crystal Hz */
		if (r[0] != 0 && r[1] != 0 && r[2] != 0) {
			*leaf = 0x15;
			return (uint64_t) r[2] / 1000 * r[1] / r[0];
		}
	}
	if (max_leaf >= 0x16) {
		cpuid(0x16, 0, r); /* eax: base frequency in MHz */
		if ((r[0] & 0xffff) != 0) {
			*leaf = 0x16;
			return (uint64_t) (r[0] & 0xffff) * 1000;
		}
	}
	return 0;
}

static uint64_t ppm_apart(uint64_t a, uint64_t b)
{
	return (a > b ? a - b : b - a) * 1000000 / b;
}

uint64_t tsc_calibrate_khz(void)
{
	pit_result_t pit = pit_measure();
	unsigned leaf = 0;
	uint64_t cpuid_khz = cpuid_tsc_khz(&leaf);
	if (!khz_plausible(pit.khz)) {
		printf("clock: TSC calibration failed (%u of %u PIT windows good, median "
		       "%llu kHz); the clock runs on ticks\n",
		    pit.good, pit.timed, (unsigned long long) pit.khz);
		return 0;
	}
	if (cpuid_khz != 0 && ppm_apart(cpuid_khz, pit.khz) <= CALIB_CPUID_PPM) {
		printf(
		    "clock: TSC %llu.%03llu MHz (CPUID leaf %#x; PIT median %llu kHz)\n",
		    (unsigned long long) cpuid_khz / 1000,
		    (unsigned long long) cpuid_khz % 1000, leaf,
		    (unsigned long long) pit.khz);
		return cpuid_khz;
	}
	printf("clock: TSC %llu.%03llu MHz (PIT median of %u good of %u windows of "
	       "%u ms, spread %llu ppm%s)\n",
	    (unsigned long long) pit.khz / 1000, (unsigned long long) pit.khz % 1000,
	    pit.good, pit.timed, CALIB_WINDOW_MS, (unsigned long long) pit.spread_ppm,
	    cpuid_khz != 0 ? "; CPUID's value disagrees" : "");
	return pit.khz;
}

uint64_t arch_cycle_calibrate_khz(void)
{
	cpu_features.tsc_khz = tsc_calibrate_khz();
	return cpu_features.tsc_khz;
}
