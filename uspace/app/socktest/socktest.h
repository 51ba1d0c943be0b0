/*
 * socktest's helpers shared by its parts (socktest.c: the calls;
 * websrv_tests.c: websrv and nc).
 */
#ifndef SOCKTEST_H
#define SOCKTEST_H

#include <netinet/in.h>
#include <stdint.h>
#include <testsuite.h>

/** 127.0.0.1:@a port. */
struct sockaddr_in sa_lo(uint16_t port);
/** A TCP listener on 127.0.0.1:@a port with SO_REUSEADDR, or -1 (errno). */
int tcp_listener(uint16_t port);
/** A TCP socket connected to 127.0.0.1:@a port, or -1 (errno). */
int tcp_connect_lo(uint16_t port);
uint64_t now_ms(void);
/** Runs the tests of websrv and nc. */
void websrv_tests_run(void);

#endif
