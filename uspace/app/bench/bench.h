/*
 * bench: the parts of the benchmark program (bench.c has the overview).
 * Each *_cases() function prints its cases in benchmark.h's format and
 * returns 0, or non-zero when a case could not be measured (it says why).
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <ipc.h>
#include <stdbool.h>

/* The share-in server's service (naming service) and interface. */
#define BENCH_SHARE_SERVICE "benchshr"
#define BENCH_SHARE_IFACE   0x62730001

/** Share-in of 4 KiB and 1 MiB from a server task (needs ns and the
 *  loader: the system boot). */
int share_cases(void);
/** The share-in server (`bench --share-server`): registers, then serves. */
int share_server_main(void);
/** Open/close and reads of a tmpfs file through the VFS (the system
 *  boot; mounts the root itself). */
int vfs_cases(void);
/** IRQ-notification latency: the serial port's transmitter-empty
 *  interrupt, from the write that raises it to the notification handler. */
int irq_cases(void);
int exc_cases(void);
/** The kernel-made calls' server of exc_cases and pagein_cases (this task
 *  is the handler or pager of its own worker thread): answers every
 *  request of @a method with @a answer until a poke finds *@a done set. */
errno_t bench_serve_until(
    sysarg_t method, const ipc_payload_t *answer, volatile int *done);
/** The network cases (net.c): netsrv's loopback ping and websrv's
 *  keep-alive requests; needs ns, the VFS and tmpfs. */
int net_cases(void);
/** A page of a pager area served by this task's own pager. */
int pagein_cases(void);

/** Starts `bench --server MODE` (MODE: "plain" or "combined", then
 *  optionally the CPU it is to run on) and accepts its registration;
 *  returns the phone to it, CAP_NULL on failure. */
cap_handle_t bench_server_start(const char *mode);
/** Hangs up @a phone: its server ends. */
void bench_server_stop(cap_handle_t phone);
/** One round trip with the combined call to the server on *(cap_handle_t *)
 *  @a arg: send and wait for this answer. */
void bench_ping_combined(void *arg);
/** The combined raw round trip with client and server pinned to one CPU
 *  and to two (needs two CPUs: make bench boots it with -smp 2). */
int smp_cases(void);
/** @a pairs client threads and server tasks, pair i pinned to CPU i mod
 *  the number of CPUs, @a rounds checked combined round trips each; prints
 *  the wall-clock time (bench: scaling ... ns=N). */
/** How bench --scaling places its pairs. */
typedef enum {
	SCALING_PINNED,	   /* pair i on CPU i mod the CPU count */
	SCALING_FREE,	   /* where the scheduler puts them */
	SCALING_ALTERNATE, /* on CPU 0 alone, then spread, in turn */
} scaling_mode_t;

int scaling_case(int pairs, int rounds, scaling_mode_t mode, int times);

#endif
