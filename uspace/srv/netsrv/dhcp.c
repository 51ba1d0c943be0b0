/*
 * eth0's DHCP client (RFC 2131): DISCOVER, OFFER, REQUEST, ACK, then the
 * address, netmask and gateway go to eth0 and the routing table. The
 * client renews at half the lease (a REQUEST for the same address) and
 * gives the address up when the lease ends unrenewed. It runs as a fibril
 * of netsrv, not as a server of its own: it must send and receive on eth0
 * before eth0 has an address, which no socket can, and it changes state
 * (addresses, routes) that netsrv owns under stack_lock.
 *
 * It runs in the background: netsrv reports ready without waiting for it,
 * and what it learns goes to the system log (dmesg), not the console,
 * where it would land in the middle of what a user types. Programs that
 * need eth0's address wait for it with NET_IFACE_WAIT (netwait).
 *
 * Messages are built and checked by libnet (net/dhcp.h); replies come in
 * through ip_input's hand-over (dhcp_input), under stack_lock, and wake
 * the client through stack_cv.
 */
#include "netsrv.h"
#include <fibril.h>
#include <log.h>
#include <net/dhcp.h>
#include <net/udp.h>
#include <stdio.h>
#include <time.h>

#define REPLY_WAIT_MS  2000
#define RETRY_MIN_MS   1000
#define RETRY_MAX_MS   16000
#define RENEW_MIN_S    30
#define NO_NIC_WAIT_US 1000000

static uint32_t xid;
/* False while eth0 has an address a user set (NET_IFACE_SET): the client
 * then waits. dhcp_epoch counts the switches, so a sleeping client sees
 * one at once and a late ACK of the old epoch configures nothing. */
static bool dhcp_enabled = true;
static unsigned dhcp_epoch;
static bool have_reply;
static dhcp_reply_t last_reply;
uint64_t dhcp_lease_s;

void dhcp_input(const uint8_t *data, size_t len)
{
	dhcp_reply_t r;
	if (eth0.nic == NULL ||
	    net_stats_drop(&stack_drops, dhcp_parse(data, len, xid, &eth0.mac, &r)) !=
		NET_DROP_NONE)
		return;
	last_reply = r;
	have_reply = true;
	stack_changed();
}

/** Broadcasts a client message of @a type. */
static errno_t dhcp_send(uint8_t type, uint32_t req_ip, uint32_t server)
{
	uint8_t msg[DHCP_MSG_MAX], dgram[UDP_HDR_LEN + DHCP_MSG_MAX];
	size_t n = dhcp_build(msg, type, xid, &eth0.mac, req_ip, server);
	size_t len = udp_build(
	    dgram, 0, IPV4_BROADCAST, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, msg, n);
	have_reply = false;
	return ip_output(0, IPV4_BROADCAST, IP_PROTO_UDP, dgram, len);
}

/** Waits up to REPLY_WAIT_MS for a reply of type @a want (or a NAK:
 *  EREFUSED) to our transaction into *@a r. */
static errno_t dhcp_wait(uint8_t want, dhcp_reply_t *r)
{
	uint64_t deadline = stack_now_ms() + REPLY_WAIT_MS;
	for (;;) {
		if (have_reply &&
		    (last_reply.type == want || last_reply.type == DHCP_NAK)) {
			*r = last_reply;
			have_reply = false;
			return r->type == DHCP_NAK ? EREFUSED : EOK;
		}
		uint64_t now = stack_now_ms();
		if (now >= deadline)
			return ETIMEOUT;
		DISCARD(best_effort,
		    fibril_condvar_wait_timeout(
			&stack_cv, &stack_lock, (deadline - now) * 1000));
	}
}

static void new_xid(void)
{
	uint64_t t = clock_ns();
	xid = (uint32_t) (t ^ (t >> 29)) ^
	    ((uint32_t) eth0.mac.b[4] << 24 | (uint32_t) eth0.mac.b[5] << 16);
}

/** Puts @a line into the system log; stack_lock is held and released
 *  around the call (no IPC runs under it). */
static void dhcp_log(const char *line)
{
	fibril_mutex_unlock(&stack_lock);
	DISCARD(best_effort, log_write(line));
	fibril_mutex_lock(&stack_lock);
}

/** REQUEST of @a addr from @a server, then the ACK: configures eth0. */
static errno_t dhcp_request(uint32_t addr, uint32_t server)
{
	errno_t rc = dhcp_send(DHCP_REQUEST, addr, server);
	dhcp_reply_t ack;
	if (rc == EOK)
		rc = dhcp_wait(DHCP_ACK, &ack);
	if (rc != EOK)
		return rc;
	if (!dhcp_enabled)
		return EINTR; /* a user set the address meanwhile */
	uint32_t mask = ack.mask != 0 ? ack.mask : 0xffffff00u;
	bool changed = eth0.addr != ack.yiaddr || eth0.mask != mask ||
	    eth0.gateway != ack.router;
	link_configure(ack.yiaddr, mask, ack.router);
	dhcp_lease_s = ack.lease_s;
	if (changed) {
		char a[16], g[16] = "none";
		ipv4_format(ack.yiaddr, a);
		if (ack.router != 0)
			ipv4_format(ack.router, g);
		char line[96];
		snprintf(line, sizeof(line), "eth0: %s/%d gateway %s (DHCP, lease %u s)",
		    a, __builtin_popcount(mask), g, ack.lease_s);
		dhcp_log(line);
	}
	return EOK;
}

/** One whole exchange: DISCOVER, OFFER, REQUEST, ACK. */
static errno_t dhcp_acquire(void)
{
	new_xid();
	errno_t rc = dhcp_send(DHCP_DISCOVER, 0, 0);
	dhcp_reply_t offer;
	if (rc == EOK)
		rc = dhcp_wait(DHCP_OFFER, &offer);
	if (rc == EOK)
		rc = dhcp_request(offer.yiaddr, offer.server);
	return rc;
}

/** Sleeps @a ms or until the client is switched (dhcp_epoch changes);
 *  stack_lock is released while it waits. */
static void dhcp_sleep(uint64_t ms)
{
	unsigned epoch = dhcp_epoch;
	uint64_t deadline = stack_deadline(ms * 1000);
	while (dhcp_epoch == epoch && stack_wait(deadline) == EOK)
		;
}

/** Holds the lease: renews at half of it; gives the address up when the
 *  lease ends without a renewal. Returns when the address is gone, or at
 *  once when a user set one (the client is switched off). */
static void dhcp_hold(void)
{
	uint64_t lease_end = stack_now_ms() + dhcp_lease_s * 1000;
	uint32_t server = last_reply.server;
	unsigned epoch = dhcp_epoch;
	for (;;) {
		uint64_t now = stack_now_ms();
		if (dhcp_epoch != epoch)
			return;
		if (dhcp_lease_s == 0 || now >= lease_end)
			break;
		uint64_t wait = (lease_end - now) / 2;
		dhcp_sleep(wait > RENEW_MIN_S * 1000 ? wait : RENEW_MIN_S * 1000);
		if (dhcp_epoch == epoch && eth0.nic != NULL &&
		    dhcp_request(eth0.addr, server) == EOK)
			lease_end = stack_now_ms() + dhcp_lease_s * 1000;
	}
	dhcp_log("eth0: the DHCP lease ended");
	link_configure(0, 0, 0);
	dhcp_lease_s = 0;
}

static errno_t dhcp_fibril(void *arg)
{
	uint64_t retry_ms = RETRY_MIN_MS;
	fibril_mutex_lock(&stack_lock);
	for (;;) {
		if (!dhcp_enabled) {
			fibril_condvar_wait(&stack_cv, &stack_lock);
			continue;
		}
		if (eth0.nic == NULL) {
			dhcp_sleep(NO_NIC_WAIT_US / 1000);
			continue;
		}
		if (dhcp_acquire() != EOK) {
			dhcp_sleep(retry_ms);
			retry_ms = retry_ms * 2 < RETRY_MAX_MS ? retry_ms * 2
							       : RETRY_MAX_MS;
			continue;
		}
		retry_ms = RETRY_MIN_MS;
		dhcp_hold();
	}
	return EOK;
}

void dhcp_set_static(uint32_t addr, uint32_t mask)
{
	dhcp_enabled = false;
	dhcp_epoch++;
	dhcp_lease_s = 0;
	link_configure(addr, mask, 0);
	stack_changed();
}

void dhcp_resume(void)
{
	if (dhcp_enabled)
		return;
	dhcp_enabled = true;
	dhcp_epoch++;
	link_configure(0, 0, 0);
	stack_changed();
}

errno_t dhcp_start(void)
{
	fid_t f = fibril_create(dhcp_fibril, NULL);
	if (f == 0)
		return ENOMEM;
	fibril_add_ready(f);
	return EOK;
}
