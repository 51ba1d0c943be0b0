/*
 * A small naming-service stand-in for a task that starts its own servers
 * (test programs): the children's phone 1 reaches this task, so a server
 * that registers a service number (CONNECT_TO_ME, args[1]) registers here,
 * and a client's CONNECT_ME_TO for that number (args[1]) is forwarded to it,
 * waiting for it to appear when IPC_FLAG_BLOCKING is set (args[3]).
 *
 * Up to REGISTRAR_SERVICES services; a service registered again (a server
 * killed and started anew) replaces the old registration, which is hung up.
 * The table is guarded by one fibril mutex inside registrar.c.
 */
#ifndef ASYNC_REGISTRAR_H
#define ASYNC_REGISTRAR_H

#include <async.h>
#include <discard.h>

#define REGISTRAR_SERVICES 16
/** How long a blocking connection request waits for its service. */
#define REGISTRAR_BLOCKING_USEC 10000000

/** Makes this task the registrar of the tasks it starts: installs the
 *  fallback port handler (which must not be taken by anything else). */
void registrar_init(void);
/** The session of registered service @a id, waiting up to @a usec for it
 *  to register; NULL if it did not. The registrar keeps the session. */
async_sess_t *registrar_wait(sysarg_t id, uint64_t usec);
/** Forgets service @a id (its server was stopped) and hangs it up. */
void registrar_drop(sysarg_t id);
/** In a child: a session with @a mgmt to interface @a iface of service
 *  @a id registered with the parent's registrar (through phone 1), waiting
 *  for it to register if @a blocking; NULL with the error in *@a rc. */
async_sess_t *registrar_connect(
    exch_mgmt_t mgmt, iface_t iface, sysarg_t id, bool blocking, errno_t *rc);

#endif
