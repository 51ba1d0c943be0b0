/*
 * netsrv's entry and its IPC: one client connection is one socket
 * (abi/net.h). Each call takes stack_lock for what it does; calls that
 * wait release it while waiting (sock.c), so one blocked socket holds up
 * no other. A timer fibril runs TCP's clocks.
 */
#include "netsrv.h"
#include <async.h>
#include <fibril.h>
#include <getopt.h>
#include <malloc.h>
#include <ns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <time.h>

#define USAGE		   "(the network server; init starts it)"
#define TIMER_MAX_SLEEP_MS 50
#define NIC_PROBE_WAIT_MS  1000

FIBRIL_MUTEX_INITIALIZE(stack_lock);
FIBRIL_CONDVAR_INITIALIZE(stack_cv);
net_stat_t stack_stats;
net_stats_t stack_drops;

uint64_t stack_now_ms(void)
{
	return clock_ns() / 1000000;
}

void stack_changed(void)
{
	fibril_condvar_broadcast(&stack_cv);
}

/** Runs the TCP timers when due, at least every TIMER_MAX_SLEEP_MS. */
static errno_t timer_fibril(void *arg)
{
	for (;;) {
		fibril_mutex_lock(&stack_lock);
		uint64_t now = stack_now_ms();
		uint64_t next = sock_timer(now);
		stack_changed();
		fibril_mutex_unlock(&stack_lock);
		uint64_t sleep = next > now && next - now < TIMER_MAX_SLEEP_MS
		    ? next - now
		    : TIMER_MAX_SLEEP_MS;
		fibril_usleep(sleep * 1000);
	}
	return EOK;
}

/** NET_SOCK_SEND: the data write, then the send. */
static errno_t net_send(sock_t *s, ipc_call_t *call, size_t *done)
{
	void *data;
	size_t size;
	errno_t rc = async_data_write_accept(&data, false, 0, NET_IO_MAX, 0, &size);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&stack_lock);
	rc = sock_send(s, data, size, (uint32_t) ipc_get_arg1(call),
	    (uint16_t) ipc_get_arg2(call), ipc_get_arg3(call), done);
	fibril_mutex_unlock(&stack_lock);
	free(data);
	return rc;
}

/** NET_SOCK_RECV on a stream without MSG_PEEK: the data read @a rcall is
 *  answered straight from the connection's receive buffer (the bytes in one
 *  piece at its front, at most @a size), so the kernel's copy into the
 *  client is the only one here; the bytes are taken once the client has
 *  them. The answer is made under stack_lock, which keeps the buffer as it
 *  is meanwhile: it is a reply that never waits, not a call. */
static void net_recv_stream(sock_t *s, ipc_call_t *call, ipc_call_t *rcall, size_t size)
{
	const uint8_t *data = NULL;
	size_t done = 0;
	fibril_mutex_lock(&stack_lock);
	errno_t rc = sock_stream_wait(s, ipc_get_arg1(call));
	if (rc == EOK)
		tcp_conn_recv_span(s->tcp, &data, &done);
	if (rc == EOK && done == 0)
		rc = tcp_conn_peek(s->tcp, NULL, 0, &done); /* the end, or an error */
	if (done > size)
		done = size;
	if (rc == EOK)
		rc = async_data_read_finalize(rcall, data, done);
	else
		DISCARD(answer, async_answer_0(rcall, rc));
	if (rc == EOK)
		tcp_conn_consume(s->tcp, done, stack_now_ms());
	else
		done = 0;
	fibril_mutex_unlock(&stack_lock);
	DISCARD(answer, async_answer_3(call, rc, done, s->raddr, s->rport));
}

/** NET_SOCK_RECV: waits for data, then answers the data read and the call. */
static void net_recv(sock_t *s, ipc_call_t *call)
{
	ipc_call_t rcall;
	size_t size;
	if (!async_data_read_receive_for(call, &rcall, &size))
		return;
	if (size > NET_IO_MAX)
		size = NET_IO_MAX;
	if (s->type == NET_SOCK_STREAM && !(ipc_get_arg2(call) & NET_RECV_PEEK)) {
		net_recv_stream(s, call, &rcall, size);
		return;
	}
	void *buf = malloc(size > 0 ? size : 1);
	if (buf == NULL) {
		DISCARD(answer, async_answer_0(&rcall, ENOMEM));
		DISCARD(answer, async_answer_0(call, ENOMEM));
		return;
	}
	size_t done = 0;
	uint32_t src = 0;
	uint16_t port = 0;
	fibril_mutex_lock(&stack_lock);
	errno_t rc = sock_recv(s, buf, size, (unsigned) ipc_get_arg2(call),
	    ipc_get_arg1(call), &done, &src, &port);
	fibril_mutex_unlock(&stack_lock);
	if (rc == EOK)
		rc = async_data_read_finalize(&rcall, buf, done);
	else
		DISCARD(answer, async_answer_0(&rcall, rc));
	free(buf);
	DISCARD(answer, async_answer_3(call, rc, done, src, port));
}

/** Answers a data read @a call with @a size bytes made under the lock. */
static void net_read_answer(ipc_call_t *call, void *buf, size_t size, size_t count)
{
	ipc_call_t rcall;
	size_t want;
	if (!async_data_read_receive_for(call, &rcall, &want))
		return;
	errno_t rc = async_data_read_finalize(&rcall, buf, size < want ? size : want);
	DISCARD(answer, async_answer_1(call, rc, count));
}

/** NET_POLL_SET: the entries written, the wait, the entries read back. */
static void net_poll_set_call(ipc_call_t *call)
{
	size_t n = ipc_get_arg1(call), size;
	net_poll_entry_t *set;
	errno_t rc = n == 0 || n > NET_POLL_SET_MAX ? EINVAL : EOK;
	if (rc == EOK)
		rc = async_data_write_accept(
		    (void **) &set, false, n * sizeof(*set), n * sizeof(*set), 0, &size);
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(call, rc));
		return;
	}
	size_t ready;
	fibril_mutex_lock(&stack_lock);
	sock_poll_set(set, n, ipc_get_arg2(call), &ready);
	fibril_mutex_unlock(&stack_lock);
	net_read_answer(call, set, n * sizeof(*set), ready);
	free(set);
}

static void net_stats_call(ipc_call_t *call)
{
	net_stat_t st;
	fibril_mutex_lock(&stack_lock);
	st = stack_stats;
	malloc_stats_t heap;
	st.heap_blocks = malloc_check(&heap) == NULL ? heap.used_blocks : 0;
	for (size_t i = 0; i < NET_DROP_COUNT && i < 64; i++)
		st.drops[i] = stack_drops.drops[i];
	fibril_mutex_unlock(&stack_lock);
	net_read_answer(call, &st, sizeof(st), 1);
}

static void net_sockets_call(ipc_call_t *call)
{
	size_t max = 1024;
	net_sock_info_t *list = calloc(max, sizeof(*list));
	if (list == NULL) {
		DISCARD(answer, async_answer_0(call, ENOMEM));
		return;
	}
	fibril_mutex_lock(&stack_lock);
	size_t n = sock_list(list, max);
	fibril_mutex_unlock(&stack_lock);
	net_read_answer(call, list, n * sizeof(*list), n);
	free(list);
}

/** Does the task that sent @a call hold PERM_NET (docs/security.md)? A
 *  task that has gone meanwhile (no information) does not. */
static bool net_caller_admin(const ipc_call_t *call)
{
	task_info_t info;
	if (task_get_info(ipc_get_task_id(call), &info) != EOK)
		return false;
	return (info.perms & PERM_NET) != 0;
}

/** NET_INJECT (an IPv4 packet for the loopback interface) or
 *  NET_INJECT_FRAME (an Ethernet frame for eth0) with its data write; a
 *  crafted packet is as strong as a changed route, so it needs PERM_NET
 *  (EPERM, the write refused, nothing taken in). Answers @a call. */
static void net_inject_call(ipc_call_t *call)
{
	bool frame = ipc_get_imethod(call) == NET_INJECT_FRAME;
	if (!net_caller_admin(call)) {
		ipc_call_t wcall;
		size_t size;
		if (!async_data_write_receive_for(call, &wcall, &size))
			return; /* both answered EINVAL */
		DISCARD(answer, async_answer_0(&wcall, EPERM));
		DISCARD(answer, async_answer_0(call, EPERM));
		return;
	}
	void *data;
	size_t size;
	errno_t rc = async_data_write_accept(&data, false, 1, IPV4_MAX_LEN, 0, &size);
	if (rc == EOK) {
		fibril_mutex_lock(&stack_lock);
		if (!frame)
			ip_input(data, size);
		else if (eth0.nic != NULL)
			link_input(data, size);
		else
			rc = ENOENT;
		stack_changed();
		fibril_mutex_unlock(&stack_lock);
		free(data);
	}
	DISCARD(answer, async_answer_0(call, rc));
}

/** NET_IFACES: lo, and eth0 as it is now. */
static void net_ifaces_call(ipc_call_t *call)
{
	net_iface_info_t ifs[2] = {
	    {.name = "lo",
		.flags = NET_IF_UP,
		.addr = IPV4_LOOPBACK,
		.mask = 0xff000000u,
		.mtu = 65535},
	    {.name = "eth0", .mtu = ETH_MTU},
	};
	net_iface_info_t *e = &ifs[1];
	fibril_mutex_lock(&stack_lock);
	e->flags = (eth0.nic != NULL ? NET_IF_UP : 0) |
	    (dhcp_lease_s != 0 ? NET_IF_DHCP : 0);
	e->addr = eth0.addr;
	e->mask = eth0.mask;
	e->gateway = eth0.gateway;
	memcpy(e->mac, eth0.mac.b, sizeof(e->mac));
	e->arp_entries = (uint32_t) arp_cache_count(&eth0.arp);
	e->rx_frames = eth0.rx_frames;
	e->tx_frames = eth0.tx_frames;
	e->tx_errors = eth0.tx_errors;
	e->dhcp_lease_s = dhcp_lease_s;
	fibril_mutex_unlock(&stack_lock);
	net_read_answer(call, ifs, sizeof(ifs), 2);
}

/** The address of interface @a iface (0 lo, 1 eth0) into *@a addr and
 *  *@a mask, 0 while it has none; ENOENT for no such interface.
 *  stack_lock held. */
static errno_t iface_addr(sysarg_t iface, uint32_t *addr, uint32_t *mask)
{
	if (iface == 0) {
		*addr = IPV4_LOOPBACK;
		*mask = 0xff000000u;
		return EOK;
	}
	if (iface != 1)
		return ENOENT;
	*addr = eth0.addr;
	*mask = eth0.mask;
	return EOK;
}

/** NET_IFACE_WAIT: waits until the interface has an address (DHCP runs in
 *  the background), at most the call's timeout (0 is EINVAL: a waiter whose
 *  client is gone must not stay for ever). */
static void net_iface_wait_call(ipc_call_t *call)
{
	uint64_t timeout_us = ipc_get_arg2(call);
	uint64_t deadline = stack_deadline(timeout_us);
	uint32_t addr = 0, mask = 0;
	errno_t rc = timeout_us == 0 ? EINVAL : EOK;
	fibril_mutex_lock(&stack_lock);
	while (rc == EOK && (rc = iface_addr(ipc_get_arg1(call), &addr, &mask)) == EOK &&
	    addr == 0)
		rc = stack_wait(deadline);
	fibril_mutex_unlock(&stack_lock);
	DISCARD(answer, async_answer_2(call, rc, addr, mask));
}

/** NET_IFACE_SET: eth0's address @a addr/@a mask set by a user (the DHCP
 *  client switched off), or with @a addr 0 taken away and left to DHCP
 *  again. stack_lock held. */
static errno_t iface_set(sysarg_t iface, uint32_t addr, uint32_t mask)
{
	if (iface == 0)
		return ENOTSUP; /* lo's address is fixed */
	if (iface != 1)
		return ENOENT;
	if (addr == 0) {
		dhcp_resume();
		return EOK;
	}
	uint32_t host = addr & ~mask;
	if (!ip_mask_valid(mask) || mask == 0 || (addr >> 24) == 127 ||
	    (addr >> 28) >= 14 || (mask < 0xfffffffeu && (host == 0 || host == ~mask)))
		return EINVAL; /* loopback, multicast, reserved, a net or broadcast */
	dhcp_set_static(addr, mask);
	return EOK;
}

/** NET_IFACE_SET, NET_ROUTE_ADD and NET_ROUTE_DEL: changes of the
 *  configuration, each under stack_lock; only a caller holding PERM_NET
 *  may make them (EPERM, checked before anything else). */
static void net_config_call(ipc_call_t *call)
{
	uint32_t a1 = (uint32_t) ipc_get_arg1(call), a2 = (uint32_t) ipc_get_arg2(call),
		 a3 = (uint32_t) ipc_get_arg3(call);
	errno_t rc;
	if (!net_caller_admin(call)) {
		DISCARD(answer, async_answer_0(call, EPERM)); /* nothing changed */
		return;
	}
	fibril_mutex_lock(&stack_lock);
	switch (ipc_get_imethod(call)) {
	case NET_IFACE_SET:
		rc = iface_set(ipc_get_arg1(call), a2, a3);
		break;
	case NET_ROUTE_ADD:
		rc = ip_route_add(a1, a2, a3);
		break;
	default:
		rc = ip_route_del(a1, a2);
		break;
	}
	stack_changed();
	fibril_mutex_unlock(&stack_lock);
	DISCARD(answer, async_answer_0(call, rc));
}

static void net_routes_call(ipc_call_t *call)
{
	net_route_info_t list[16];
	fibril_mutex_lock(&stack_lock);
	size_t n = ip_routes_list(list, 16);
	fibril_mutex_unlock(&stack_lock);
	net_read_answer(call, list, n * sizeof(*list), n);
}

/** Calls that need no socket, or make one. */
static bool net_global_call(sock_t **s, ipc_call_t *call)
{
	errno_t rc;
	switch (ipc_get_imethod(call)) {
	case NET_SOCK_OPEN:
		if (*s != NULL) {
			DISCARD(answer, async_answer_0(call, EEXIST));
			return true;
		}
		fibril_mutex_lock(&stack_lock);
		rc = sock_create((int) ipc_get_arg1(call), s);
		fibril_mutex_unlock(&stack_lock);
		DISCARD(answer, async_answer_1(call, rc, rc == EOK ? (*s)->id : 0));
		return true;
	case NET_POLL_SET:
		net_poll_set_call(call);
		return true;
	case NET_STATS:
		net_stats_call(call);
		return true;
	case NET_SOCKETS:
		net_sockets_call(call);
		return true;
	case NET_INJECT:
	case NET_INJECT_FRAME:
		net_inject_call(call);
		return true;
	case NET_IFACES:
		net_ifaces_call(call);
		return true;
	case NET_ROUTES:
		net_routes_call(call);
		return true;
	case NET_IFACE_WAIT:
		net_iface_wait_call(call);
		return true;
	case NET_IFACE_SET:
	case NET_ROUTE_ADD:
	case NET_ROUTE_DEL:
		net_config_call(call);
		return true;
	default:
		return false;
	}
}

/** A call on the connection's socket @a s. */
static void net_sock_call(sock_t *s, ipc_call_t *call)
{
	errno_t rc = EOK;
	size_t done = 0;
	unsigned rev = 0;
	sysarg_t a1 = ipc_get_arg1(call), a2 = ipc_get_arg2(call),
		 a3 = ipc_get_arg3(call);
	sysarg_t method = ipc_get_imethod(call);
	if (method == NET_SOCK_SEND) {
		rc = net_send(s, call, &done);
		DISCARD(answer, async_answer_1(call, rc, done));
		return;
	}
	if (method == NET_SOCK_RECV) {
		net_recv(s, call);
		return;
	}
	fibril_mutex_lock(&stack_lock);
	switch (method) {
	case NET_SOCK_BIND:
		rc = sock_bind(s, (uint32_t) a1, (uint16_t) a2, a3 != 0);
		done = s->lport;
		break;
	case NET_SOCK_LISTEN:
		rc = sock_listen(s, a1);
		break;
	case NET_SOCK_ACCEPT:
		rc = sock_accept(s, (uint32_t) a1, a2);
		break;
	case NET_SOCK_CONNECT:
		rc = sock_connect(s, (uint32_t) a1, (uint16_t) a2, a3);
		break;
	case NET_SOCK_SHUTDOWN:
		rc = sock_shutdown(s);
		break;
	case NET_SOCK_POLL:
		rc = sock_poll(s, (unsigned) a1, a2, &rev);
		break;
	case NET_SOCK_NAME:
		break;
	default:
		rc = ENOTSUP;
		break;
	}
	uint32_t la = s->laddr, ra = s->raddr;
	uint16_t lp = s->lport, rp = s->rport;
	fibril_mutex_unlock(&stack_lock);
	if (method == NET_SOCK_NAME || method == NET_SOCK_ACCEPT)
		DISCARD(answer, async_answer_4(call, rc, la, lp, ra, rp));
	else
		DISCARD(answer,
		    async_answer_1(call, rc, method == NET_SOCK_POLL ? rev : done));
}

static void net_connection(ipc_call_t *icall, void *arg)
{
	DISCARD(answer, async_accept_0(icall));
	sock_t *s = NULL;
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (ipc_get_imethod(&call) == 0)
			break;
		if (net_global_call(&s, &call))
			continue;
		if (s == NULL)
			DISCARD(answer, async_answer_0(&call, ENOENT));
		else
			net_sock_call(s, &call);
	}
	if (s != NULL) {
		fibril_mutex_lock(&stack_lock);
		sock_release(s);
		fibril_mutex_unlock(&stack_lock);
	}
}

/** Waits until the first look for a NIC is done (NIC_PROBE_WAIT_MS at
 *  most, should a driver not answer): eth0's NIC line comes before the
 *  shell's prompt. DHCP is not waited for: it runs in the background and
 *  eth0 gets its address when the lease arrives (NET_IFACE_WAIT). */
static void wait_for_nic_probe(void)
{
	uint64_t deadline = stack_now_ms() + NIC_PROBE_WAIT_MS;
	fibril_mutex_lock(&stack_lock);
	for (;;) {
		uint64_t now = stack_now_ms();
		if (eth0.probed || now >= deadline)
			break;
		DISCARD(best_effort,
		    fibril_condvar_wait_timeout(
			&stack_cv, &stack_lock, (deadline - now) * 1000));
	}
	fibril_mutex_unlock(&stack_lock);
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	errno_t rc = loopback_start();
	if (rc == EOK)
		rc = link_start();
	if (rc == EOK)
		rc = dhcp_start();
	fid_t timer = fibril_create(timer_fibril, NULL);
	if (rc != EOK || timer == NULL) {
		printf("netsrv: cannot start: %s\n", strerror(rc != EOK ? rc : ENOMEM));
		return 1;
	}
	fibril_add_ready(timer);
	rc = service_register(
	    service_id_from_name(NET_SERVICE), NET_IFACE, net_connection, NULL);
	if (rc != EOK) {
		printf("netsrv: cannot register: %s\n", strerror(rc));
		return 1;
	}
	wait_for_nic_probe();
	printf("netsrv: ready (loopback 127.0.0.1; eth0 on the first NIC, by DHCP "
	       "in the background)\n");
	DISCARD(best_effort, task_retval(0));
	async_manager();
}
