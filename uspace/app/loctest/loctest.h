/*
 * loctest: tests of the location service (locsrv), its libc client and
 * locfs, in testsuite.h's format. loctest starts locsrv and locfs itself,
 * and children of its own (child.c) as the servers the tests talk to.
 */
#ifndef LOCTEST_LOCTEST_H
#define LOCTEST_LOCTEST_H

#include <abi/ipc.h>
#include <loc.h>
#include <task.h>
#include <testsuite.h>

/* A test protocol the child serves besides the character device. */
#define LOCTEST_IFACE 0x6c746573	    /* "ltes" */
#define LOCTEST_WHO   IPC_FIRST_USER_METHOD /* -> (the service id connected to) */

/** `--child server`: registers test/alpha (in category "testcat", an echo
 *  character device), test/beta (no character device), plain and then
 *  test/ready; `--child late`: registers test/late after a while. */
int child_main(const char *mode);

#endif
