/*
 * Micro-benchmark measurement and reporting (benchmark.h).
 */
#include <benchmark.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t samples[BENCH_ITERATIONS];
static uint64_t overhead;

static int compare(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
	return x < y ? -1 : x > y;
}

void bench_record(size_t i, uint64_t t0, uint64_t t1)
{
	uint64_t t = t1 - t0;
	if (i < BENCH_ITERATIONS)
		samples[i] = t > overhead ? t - overhead : 0;
}

void bench_report(const char *name, size_t n, unsigned divisor)
{
	if (n == 0 || n > BENCH_ITERATIONS)
		return;
	for (size_t i = 0; i < n; i++)
		samples[i] /= divisor;
	qsort(samples, n, sizeof(samples[0]), compare);
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	printf("bench: %s min=%llu median=%llu mean=%llu max=%llu n=%zu\n", name,
	    (unsigned long long) samples[0], (unsigned long long) samples[n / 2],
	    (unsigned long long) (sum / n), (unsigned long long) samples[n - 1], n);
}

void bench_measure_n(
    const char *name, void (*op)(void *), void *arg, size_t warmup, size_t iterations)
{
	for (size_t i = 0; i < warmup; i++)
		op(arg);
	for (size_t i = 0; i < iterations; i++) {
		uint64_t t0 = bench_tsc();
		op(arg);
		bench_record(i, t0, bench_tsc());
	}
	bench_report(name, iterations, 1);
}

void bench_measure(const char *name, void (*op)(void *), void *arg)
{
	bench_measure_n(name, op, arg, BENCH_WARMUP, BENCH_ITERATIONS);
}

static void op_nothing(void *arg)
{
}

void bench_calibrate(void)
{
	overhead = 0;
	bench_measure("measurement-overhead", op_nothing, NULL);
	overhead = samples[BENCH_ITERATIONS / 2];
}
