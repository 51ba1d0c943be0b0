/*
 * The benchmark's echo server (uspace/app/bench, "bench --server MODE"):
 * it offers its parent a callback connection (CONNECT_TO_ME on phone 1,
 * interface BENCH_IFACE) and answers every call with EOK and the call's
 * arguments, until the phone is hung up.
 *
 *   BENCH_PING (a, b, c, d, e) -> (a, b, c, d, e)
 */
#ifndef ABI_BENCH_H
#define ABI_BENCH_H

#include <abi/ipc.h>

#define BENCH_IFACE 0x62656e01 /* "ben" 1 */

#define BENCH_METHODS(M) M(BENCH_PING, "bench.ping")

IFACE_METHOD_ENUM(BENCH, BENCH_METHODS, IPC_FIRST_USER_METHOD + 1);

#endif
