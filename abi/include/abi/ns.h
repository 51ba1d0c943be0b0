/*
 * The naming service's protocol. Every task's phone 1 reaches the naming
 * service (ns, the first task); the calls below go through it.
 *
 * Services are named by a service id: up to eight characters packed into a
 * word (service_id_from_name), e.g. "vfs" or "devman".
 *
 *   CONNECT_TO_ME (iface, service, flags)   a server registers @a service for
 *       the interface @a iface (with NS_REGISTER_BROKER: for every interface,
 *       the server tells sub-services apart by CONNECT_ME_TO's third
 *       argument). EEXIST if taken; EINVAL for service 0. The registration
 *       lasts until the server's task ends.
 *   CONNECT_ME_TO (iface, service, arg, flags)   a client connects: ns
 *       forwards the call, arguments intact, to the server registered for
 *       (service, iface) or to a broker of @a service. ENOENT if there is
 *       none, unless flags has IPC_FLAG_BLOCKING: then ns holds the call
 *       until the service appears (service 0 never does: ENOENT). A server
 *       that ended before ns learnt of it makes the kernel answer EFORWARD.
 *   NS_PING ()                               EOK.
 *   NS_TASK_RETVAL (value)                   the caller reports a value
 *       (task_retval): for a server, "I am ready".
 *   NS_TASK_WAIT (id, flags)                 answered when task @a id has
 *       done what @a flags ask for (TASK_WAIT_*): the answer's args are
 *       NS_WAIT_* below. ENOENT for a task that neither lives nor left an
 *       exit behind; EINVAL for flags 0. With TASK_WAIT_OBSERVE the wait
 *       only watches: the end stays for the waiter who collects it.
 *   NS_DEMAND_SET (service)                  the caller starts @a service
 *       on demand (init's `demand` lines): a connect to it while no server
 *       is registered for it is held, blocking or not, and the service is
 *       offered through the caller's NS_DEMAND_WAIT. EEXIST if another task
 *       starts it; EINVAL for service 0. Lasts until the caller ends (then
 *       the connects held for it get ENOENT).
 *   NS_DEMAND_WAIT ()                        answered with a service of the
 *       caller's that a client wants (args[0]), once per start; held until
 *       there is one. ENOENT if the caller starts nothing on demand, EBUSY
 *       while it has such a wait already.
 *   NS_DEMAND_DONE (service, rc)             the start of an offered
 *       service is over: rc EOK when its program reported ready, else the
 *       start's error. The connects still held for it (its server did not
 *       register) are answered rc, or ENOENT for EOK; the next connect
 *       offers it again. EINVAL if it was not offered to the caller.
 *
 * ns learns of a task's end from the PHONE_HUNGUP of its phone 1, which
 * says how the task ended (abi/ipc.h). It keeps the exits no one has
 * waited for yet, the NS_EXITS_KEPT most recent of them; an exit one waiter
 * has had is forgotten (later waits for that task get ENOENT).
 */
#ifndef ABI_NS_H
#define ABI_NS_H

#include <abi/ipc.h>

/* On every task's phone 1 (no interface number: no connection is made). */
#define NS_METHODS(M) \
	M(NS_PING, "ns.ping") \
	M(NS_TASK_RETVAL, "ns.task_retval") \
	M(NS_TASK_WAIT, "ns.task_wait") \
	M(NS_DEMAND_SET, "ns.demand_set") \
	M(NS_DEMAND_WAIT, "ns.demand_wait") \
	M(NS_DEMAND_DONE, "ns.demand_done")

IFACE_METHOD_ENUM(NS, NS_METHODS, IPC_FIRST_USER_METHOD);

/* The phone handle every task starts with, connected to ns. */
#define NS_PHONE 1

/* CONNECT_TO_ME flags (args[2]) */
#define NS_REGISTER_BROKER 0x1

/* CONNECT_ME_TO flags (args[3]): wait for the service to appear. */
#define IPC_FLAG_BLOCKING 0x1

/* NS_TASK_WAIT flags: what to wait for (either, when both are given). */
#define TASK_WAIT_EXIT	  0x1 /* the task ended */
#define TASK_WAIT_RETVAL  0x2 /* the task reported a value */
#define TASK_WAIT_OBSERVE 0x4 /* with the above: do not collect the end */

/* NS_TASK_WAIT answer arguments (indices into args[]). */
#define NS_WAIT_STATE	   0 /* TASK_WAIT_* bits of what is true by now */
#define NS_WAIT_HOW	   1 /* task_exit_how_t, or 0 if the task still runs */
#define NS_WAIT_STATUS	   2 /* exit status (TASK_EXIT_NORMAL), 32 bits */
#define NS_WAIT_RETVAL	   3 /* the value reported, if the state has RETVAL */
#define NS_WAIT_FAULT_ADDR 4 /* TASK_EXIT_FAULT: the faulting address */

#define NS_EXITS_KEPT 1024

typedef uint64_t service_id_t;
#define SERVICE_NAME_MAX 8

/** The service id of @a name (1..8 characters); 0 if it has none. */
static inline service_id_t service_id_from_name(const char *name)
{
	service_id_t id = 0;
	unsigned i = 0;
	for (; name[i] != '\0'; i++) {
		if (i == SERVICE_NAME_MAX)
			return 0;
		id |= (service_id_t) (unsigned char) name[i] << (8 * i);
	}
	return id;
}

#endif
