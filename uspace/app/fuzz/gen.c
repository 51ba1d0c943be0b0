/*
 * Argument generators that know their types (handles of the right and wrong
 * type, stale and random ones; pointers that are NULL, kernel, unmapped,
 * read-only, straddling the end of user space or valid; sizes around every
 * limit), each thread's random numbers, and the recording of every call for
 * the watchdog and --trace.
 */
#include "fuzz.h"
#include <stdio.h>
#include <syscall.h>

static const uint8_t rodata_bytes[64] = {1};

uint64_t rnd(fuzzer_t *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 2685821657736338717ull;
}

uint64_t pick(fuzzer_t *f, const uint64_t *values, size_t n)
{
	return values[rnd(f) % n];
}

uint64_t gen_pointer(fuzzer_t *f)
{
	const uint64_t p[] = {0, KERNEL_ADDR, 0x700000000000ull, (uint64_t) rodata_bytes,
	    USER_END - 8, USER_END - 4096, UINT64_MAX - 7, SANDBOX, SANDBOX + 4000,
	    rnd(f)};
	return PICK(f, p);
}

uint64_t gen_size(fuzzer_t *f)
{
	const uint64_t s[] = {0, 1, 7, 8, 31, 32, 64, 255, 4095, 4096, 4097, 65536, 65537,
	    1ull << 30, UINT64_MAX, rnd(f) % 10000};
	return PICK(f, s);
}

uint64_t gen_handle(fuzzer_t *f)
{
	const uint64_t h[] = {0, 1, fuzz_phones[rnd(f) % POOL], fuzz_calls[rnd(f) % POOL],
	    fuzz_phones[rnd(f) % POOL] + (1ull << 24), 0xdeadbeef, rnd(f)};
	return PICK(f, h);
}

uint64_t gen_method(fuzzer_t *f)
{
	return rnd(f) % 2 ? rnd(f) % 16 : IPC_FIRST_USER_METHOD + rnd(f) % 8;
}

uint64_t gen_any(fuzzer_t *f)
{
	switch (rnd(f) % 4) {
	case 0:
		return gen_pointer(f);
	case 1:
		return gen_size(f);
	case 2:
		return gen_handle(f);
	default:
		return rnd(f);
	}
}

/** Records call @a num with its first six words before it is made. */
static void call_begin(fuzzer_t *f, sysarg_t num, const sysarg_t *a)
{
	f->num = num;
	for (int i = 0; i < 6; i++)
		f->args[i] = a[i];
	f->index++;
	f->in_call = true;
	if (f->index >= fuzz_trace_from)
		printf("fuzz: thread %u call %llu: number %llu (%llx %llx %llx %llx %llx "
		       "%llx)\n",
		    f->id, (unsigned long long) f->index, (unsigned long long) num,
		    (unsigned long long) a[0], (unsigned long long) a[1],
		    (unsigned long long) a[2], (unsigned long long) a[3],
		    (unsigned long long) a[4], (unsigned long long) a[5]);
}

sysarg_t fz_call(fuzzer_t *f, sysarg_t num, sysarg_t a1, sysarg_t a2, sysarg_t a3,
    sysarg_t a4, sysarg_t a5, sysarg_t a6)
{
	const sysarg_t a[6] = {a1, a2, a3, a4, a5, a6};
	call_begin(f, num, a);
	sysarg_t rc = syscall6(num, a1, a2, a3, a4, a5, a6);
	f->in_call = false;
	return rc;
}

sysarg_t fz_call_ipc(fuzzer_t *f, sysarg_t num, sysarg_t r[10])
{
	call_begin(f, num, r);
	sysarg_t rc = __syscall_ipc(num, r);
	f->in_call = false;
	return rc;
}
