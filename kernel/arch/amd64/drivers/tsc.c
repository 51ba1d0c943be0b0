/*
 * TSC frequency at boot, from the cheapest source that is trustworthy:
 *  1. The hypervisor's leaf 0x40000010 (its TSC frequency in kHz, which
 *     KVM and VMware promise to keep): taken as it is, no window timed.
 *  2. One PIT window of CALIB_WINDOW_US, each edge bracketed by TSC reads
 *     (pit_time_window). One window on an emulator is at the mercy of the
 *     host: a guest descheduled at an edge reads the TSC late (boots on a
 *     loaded host once measured 10,211 MHz or 3,328 MHz for a true 2,100).
 *     Such a window shows as a wide bracket: one wider than 1/CALIB_BRACKET
 *     of the window is dropped and another timed, up to CALIB_ATTEMPTS.
 *     A kept window's rate is within 1/CALIB_BRACKET plus one PIT count of
 *     the truth whatever the load, since both clocks run in real time while
 *     the guest is away; more windows would add cost, not that bound.
 *  3. CPUID leaf 0x15 (crystal clock times TSC/crystal ratio), else leaf
 *     0x16 (nominal base frequency), where the CPU reports them. Emulators
 *     may report a model's frequency while the TSC runs at the host's, so it
 *     is used only if it agrees with the PIT within CALIB_CPUID_PPM; it is
 *     then exact where the PIT is only close.
 * The window is short because it costs boot time (under QEMU `-icount
 * shift=0` a million instructions per millisecond; three 2 ms windows were
 * 6 M of the boot's 19.5 M), and the first one is begun at the kernel's
 * entry (tsc_calibrate_begin), so that the frame allocator's and the page
 * tables' set-up (0.7 M instructions) run while it counts; if that work
 * outlasts the window (far more memory to set up), its end goes unseen and
 * a window of its own is timed as before. The rate divides by the PIT counts the window
 * really held, so it carries no rounding of the window's length. The result
 * is logged on one line with its method.
 */
#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/cycle.h>
#include <arch/drivers.h>
#include <printf.h>

#define CALIB_WINDOW_US 1000
#define CALIB_ATTEMPTS	100
#define CALIB_BRACKET	128	   /* edges known within 0.8 % of the window */
#define CALIB_CPUID_PPM 20000	   /* CPUID believed within 2 % of the PIT */
#define CALIB_MIN_KHZ	100000ull  /* 100 MHz */
#define CALIB_MAX_KHZ	8000000ull /* 8 GHz */

#define CPUID_HYPERVISOR (1u << 31) /* leaf 1, ecx: running under one */
#define HV_LEAF_BASE	 0x40000000u
#define HV_LEAF_TIMING	 0x40000010u /* eax: TSC kHz, ebx: APIC bus kHz */

/* The window begun at entry, until the calibration ends it; boot CPU
 * alone. */
static struct {
	bool begun;
	bool kept; /* it gave the rate */
	pit_window_t w;
} early;

typedef struct {
	uint64_t khz;	   /* the first good window's rate; 0 if none was */
	unsigned timed;	   /* windows timed */
	uint64_t fuzz_ppm; /* its edges' brackets relative to its length */
} pit_result_t;

static bool khz_plausible(uint64_t khz)
{
	return khz >= CALIB_MIN_KHZ && khz <= CALIB_MAX_KHZ;
}

/** One timed window's rate in kHz; 0 if an edge is not known closely
 *  enough (the guest was descheduled there). */
static uint64_t window_rate(const pit_window_t *w, uint64_t *fuzz_ppm)
{
	uint64_t start = w->start_lo / 2 + w->start_hi / 2;
	uint64_t end = w->end_lo / 2 + w->end_hi / 2;
	uint64_t fuzz = (w->start_hi - w->start_lo) + (w->end_hi - w->end_lo);
	if (end <= start || w->ticks == 0 || fuzz * CALIB_BRACKET > end - start)
		return 0;
	*fuzz_ppm = fuzz * 1000000 / (end - start);
	return (end - start) * PIT_HZ / ((uint64_t) w->ticks * 1000);
}

/** One window's rate in kHz: the one begun at entry if there is one, else
 *  a window timed now; 0 if it failed. */
static uint64_t window_khz(uint64_t *fuzz_ppm)
{
	pit_window_t w;
	if (!early.begun) {
		bool timed = pit_time_window(CALIB_WINDOW_US, &w);
		return timed ? window_rate(&w, fuzz_ppm) : 0;
	}
	early.begun = false;
	uint64_t khz = pit_window_end(&early.w) ? window_rate(&early.w, fuzz_ppm) : 0;
	early.kept = khz != 0;
	return khz;
}

static pit_result_t pit_measure(void)
{
	pit_result_t r = {0};
	while (r.khz == 0 && r.timed < CALIB_ATTEMPTS) {
		r.timed++;
		r.khz = window_khz(&r.fuzz_ppm);
	}
	return r;
}

/** The TSC frequency the hypervisor reports in its timing leaf, 0 if none. */
static uint64_t hypervisor_tsc_khz(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[2] & CPUID_HYPERVISOR))
		return 0;
	cpuid(HV_LEAF_BASE, 0, r); /* eax: the highest hypervisor leaf */
	if (r[0] < HV_LEAF_TIMING || r[0] >= HV_LEAF_BASE + 0x10000)
		return 0;
	cpuid(HV_LEAF_TIMING, 0, r);
	return r[0];
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

static void log_khz(uint64_t khz, const char *how)
{
	printf("clock: TSC %llu.%03llu MHz (%s", (unsigned long long) khz / 1000,
	    (unsigned long long) khz % 1000, how);
}

/** The PIT's measurement, or CPUID's value where it agrees with it. */
static uint64_t pit_or_cpuid_khz(void)
{
	pit_result_t pit = pit_measure();
	unsigned leaf = 0;
	uint64_t cpuid_khz = cpuid_tsc_khz(&leaf);
	if (!khz_plausible(pit.khz)) {
		printf("clock: TSC calibration failed (no good PIT window of %u, "
		       "last %llu kHz); the clock runs on ticks\n",
		    pit.timed, (unsigned long long) pit.khz);
		return 0;
	}
	if (cpuid_khz != 0 && ppm_apart(cpuid_khz, pit.khz) <= CALIB_CPUID_PPM) {
		log_khz(cpuid_khz, "CPUID leaf");
		printf(" %#x; PIT %llu kHz)\n", leaf, (unsigned long long) pit.khz);
		return cpuid_khz;
	}
	log_khz(pit.khz, "PIT window");
	printf(" of %u us%s, %u timed, edges within %llu ppm%s)\n", CALIB_WINDOW_US,
	    early.kept ? " over start-up" : "", pit.timed,
	    (unsigned long long) pit.fuzz_ppm,
	    cpuid_khz != 0 ? "; CPUID's value disagrees" : "");
	return pit.khz;
}

void tsc_calibrate_begin(void)
{
	if (!khz_plausible(hypervisor_tsc_khz()))
		early.begun = pit_window_begin(CALIB_WINDOW_US, &early.w);
}

uint64_t tsc_calibrate_khz(void)
{
	uint64_t khz = hypervisor_tsc_khz();
	if (khz_plausible(khz)) {
		log_khz(khz, "hypervisor leaf 0x40000010");
		printf(")\n");
		return khz;
	}
	return pit_or_cpuid_khz();
}

uint64_t arch_cycle_calibrate_khz(void)
{
	cpu_features.tsc_khz = tsc_calibrate_khz();
	return cpu_features.tsc_khz;
}
