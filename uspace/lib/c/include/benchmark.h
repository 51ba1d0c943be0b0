/*
 * Micro-benchmarks in the format tools/bench.py reads. Under QEMU with
 * -icount shift=0 the TSC advances once per guest instruction, so every
 * figure is a deterministic instruction count. Each case prints
 *   bench: <case> min=N median=N mean=N max=N n=N
 * with the cost of the measurement itself (bench_calibrate) subtracted.
 */
#ifndef LIBC_BENCHMARK_H
#define LIBC_BENCHMARK_H

#include <libarch/cpu.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_WARMUP	 200
#define BENCH_ITERATIONS 2000

/** A serialised cycle-counter read (libarch/cpu.h). */
static inline uint64_t bench_tsc(void)
{
	return arch_tsc_serialized();
}

/** Measures the cost of a measurement (reported as measurement-overhead);
 *  later samples have it subtracted. */
void bench_calibrate(void);
/** Runs @a op BENCH_WARMUP times, then times BENCH_ITERATIONS runs and
 *  reports them as case @a name. */
void bench_measure(const char *name, void (*op)(void *), void *arg);
/** Same with @a warmup and @a iterations (at most BENCH_ITERATIONS) of an
 *  expensive @a op. */
void bench_measure_n(
    const char *name, void (*op)(void *), void *arg, size_t warmup, size_t iterations);
/** For loops of their own: sample @a i took from @a t0 to @a t1. */
void bench_record(size_t i, uint64_t t0, uint64_t t1);
/** Reports samples 0..@a n-1 as case @a name, each divided by @a divisor
 *  (when one sample spans several operations). */
void bench_report(const char *name, size_t n, unsigned divisor);

#endif
