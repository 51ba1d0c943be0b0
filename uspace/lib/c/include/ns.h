/*
 * The naming service from the client's side (protocol: abi/ns.h): servers
 * register services, clients connect to them by service id, tasks report
 * readiness and wait for each other (task.h).
 */
#ifndef LIBC_NS_H
#define LIBC_NS_H

#include <discard.h>

#include <abi/ns.h>
#include <async.h>

/** Registers @a service for interface @a iface: connections for it run
 *  @a handler(@a data) (a port for @a iface is created). EEXIST if the
 *  service is taken for @a iface. */
_NODISCARD errno_t service_register(
    service_id_t service, iface_t iface, async_port_handler_t handler, void *data);
/** Registers @a service for interface @a iface whose port the caller has
 *  made already (async_create_port with @a handler and @a data). */
_NODISCARD errno_t service_register_port(
    service_id_t service, iface_t iface, async_port_handler_t handler, void *data);
/** Registers @a service as a broker: every connection to it, whatever the
 *  interface, runs @a handler(@a data) (as the fallback port handler). */
_NODISCARD errno_t service_register_broker(
    service_id_t service, async_port_handler_t handler, void *data);
/** A session to @a service for @a iface (@a arg is passed on, for brokers);
 *  NULL with ENOENT in *@a rc (unless NULL) if there is no such service. */
async_sess_t *service_connect(
    service_id_t service, iface_t iface, sysarg_t arg, errno_t *rc);
/** Same, waiting until the service is registered. */
async_sess_t *service_connect_blocking(
    service_id_t service, iface_t iface, sysarg_t arg, errno_t *rc);
/** The caller starts @a service when a client first connects to it
 *  (abi/ns.h, NS_DEMAND_SET); EEXIST if another task does. */
_NODISCARD errno_t service_demand_set(service_id_t service);
/** Waits until a client wants one of the caller's services started on
 *  demand and puts it in *@a service; the caller then starts it and says
 *  how that went with service_demand_done. */
_NODISCARD errno_t service_demand_wait(service_id_t *service);
/** The start of @a service is over with @a result (EOK: it is ready): the
 *  connects its server did not take are answered the error, or ENOENT. */
_NODISCARD errno_t service_demand_done(service_id_t service, errno_t result);
/** A round trip to the naming service. */
_NODISCARD errno_t ns_ping(void);

#endif
