/*
 * nictest: the guest's half of the network tests over the NIC (the QEMU
 * scenario `nic-e1000` drives it; docs/network.md).
 *
 *   nictest echo PORT     listens on TCP PORT (any address), takes one
 *                         connection and sends back every byte until the
 *                         peer's FIN, then prints the count
 *   nictest badframes     hands netsrv malformed Ethernet frames as if eth0
 *                         had received them and checks each is dropped and
 *                         counted under its reason (exit 0 only if all held)
 *   nictest nicerrors     talks to the first NIC driver itself: frames too
 *                         long or too short, a receive buffer too small and
 *                         an unknown call are refused with their errors, and
 *                         a good frame is sent and counted
 */
#include <getopt.h>
#include <nic.h>
#include <net/eth.h>
#include <net/ipv4.h>
#include <net/stats.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE	   "echo PORT | badframes | nicerrors"
#define ECHO_BUF   8192
#define TIMEOUT_US (60ull * 1000 * 1000)

static int echo(const char *argv0, const char *port_text)
{
	char *end;
	unsigned long port = strtoul(port_text, &end, 10);
	if (*end != '\0' || port == 0 || port > 65535)
		return cmd_usage_error(argv0, USAGE);
	sock_t *l, *c;
	sock_addr_t peer;
	errno_t rc = sock_open(NET_SOCK_STREAM, &l);
	if (rc == EOK)
		rc = sock_bind(l, 0, (uint16_t) port, true, NULL);
	if (rc == EOK)
		rc = sock_listen(l, 1);
	if (rc != EOK)
		return cmd_error(argv0, "listen", rc);
	printf("nictest: listening on port %lu\n", port);
	rc = sock_accept(l, &c, &peer, TIMEOUT_US);
	sock_close(l);
	if (rc != EOK)
		return cmd_error(argv0, "accept", rc);
	static uint8_t buf[ECHO_BUF];
	size_t total = 0, got;
	while (
	    (rc = sock_recv(c, buf, sizeof(buf), &got, TIMEOUT_US)) == EOK && got > 0) {
		rc = sock_send_all(c, buf, got, TIMEOUT_US);
		if (rc != EOK)
			break;
		total += got;
	}
	DISCARD(best_effort, sock_shutdown(c));
	sock_close(c);
	if (rc != EOK)
		return cmd_error(argv0, "echo", rc);
	printf("nictest: echoed %zu bytes\n", total);
	return CMD_EXIT_OK;
}

typedef struct {
	const char *what;
	net_drop_t reason;
	size_t len;
	uint8_t frame[64];
} bad_frame_t;

/** Our own MAC as a frame's destination: the first entry of eth0. */
static errno_t own_mac(uint8_t mac[6])
{
	net_iface_info_t ifs[2];
	size_t n;
	errno_t rc = net_get_ifaces(ifs, 2, &n);
	if (rc != EOK)
		return rc;
	if (n < 2 || (ifs[1].flags & NET_IF_UP) == 0)
		return ENOENT;
	memcpy(mac, ifs[1].mac, 6);
	return EOK;
}

/** A frame to @a mac of @a type whose payload is @a len bytes of @a data. */
static void make_frame(
    bad_frame_t *b, const uint8_t mac[6], uint16_t type, const uint8_t *data, size_t len)
{
	memcpy(b->frame, mac, 6);
	memcpy(b->frame + 6, "\x02\x00\x00\x00\x00\x01", 6);
	b->frame[12] = (uint8_t) (type >> 8);
	b->frame[13] = (uint8_t) type;
	memcpy(b->frame + 14, data, len);
	b->len = 14 + len;
}

static void make_bad_frames(bad_frame_t *b, const uint8_t mac[6])
{
	static const uint8_t other[6] = {0x02, 0, 0, 0, 0, 0x99};
	/* An IPv4 header from 10.0.2.2 to 10.0.2.15 with a wrong checksum. */
	static const uint8_t ip_bad[20] = {
	    0x45, 0, 0, 20, 0, 1, 0, 0, 64, 17, 0xde, 0xad, 10, 0, 2, 2, 10, 0, 2, 15};
	static const uint8_t arp_bad[8] = {0, 1, 0x08, 0, 9, 4, 0, 1};
	b[0] = (bad_frame_t){
	    .what = "short frame", .reason = NET_DROP_ETH_SHORT, .len = 10};
	memcpy(b[0].frame, mac, 6);
	b[1].what = "another station's frame";
	b[1].reason = NET_DROP_ETH_NOT_US;
	make_frame(&b[1], other, ETH_TYPE_IPV4, ip_bad, sizeof(ip_bad));
	b[2].what = "unknown ethertype";
	b[2].reason = NET_DROP_ETH_TYPE;
	make_frame(&b[2], mac, 0x88b5, ip_bad, sizeof(ip_bad));
	b[3].what = "ARP with a bad hardware length";
	b[3].reason = NET_DROP_ARP_BAD;
	make_frame(&b[3], mac, ETH_TYPE_ARP, arp_bad, sizeof(arp_bad));
	b[4].what = "IPv4 with a bad checksum";
	b[4].reason = NET_DROP_IP_CKSUM;
	make_frame(&b[4], mac, ETH_TYPE_IPV4, ip_bad, sizeof(ip_bad));
	b[5].what = "IPv4 cut short";
	b[5].reason = NET_DROP_IP_SHORT;
	make_frame(&b[5], mac, ETH_TYPE_IPV4, ip_bad, 12);
}

#define BAD_FRAMES 6

/** Injects @a b and checks its reason's counter rose by exactly one. */
static bool check_frame(const bad_frame_t *b)
{
	net_stat_t before, after;
	if (net_get_stats(&before) != EOK)
		return false;
	errno_t rc = net_inject_frame(b->frame, b->len);
	if (rc != EOK || net_get_stats(&after) != EOK) {
		printf("nictest: %s: %s\n", b->what, strerror(rc));
		return false;
	}
	uint64_t d = after.drops[b->reason] - before.drops[b->reason];
	printf("nictest: %s: dropped as %s (%lu)\n", b->what, net_drop_name(b->reason),
	    (unsigned long) d);
	return d == 1;
}

static int badframes(const char *argv0)
{
	uint8_t mac[6];
	errno_t rc = own_mac(mac);
	if (rc != EOK)
		return cmd_error(argv0, "eth0", rc);
	bad_frame_t frames[BAD_FRAMES];
	make_bad_frames(frames, mac);
	bool ok = true;
	for (int i = 0; i < BAD_FRAMES; i++)
		ok = check_frame(&frames[i]) && ok;
	printf(
	    "nictest: bad frames %s\n", ok ? "dropped and counted" : "NOT all counted");
	return ok ? CMD_EXIT_OK : CMD_EXIT_ERROR;
}

/** One request of @a method on the NIC's session with a data write of
 *  @a len bytes (or a read when @a read): what the driver answers. */
static errno_t nic_raw(nic_t *nic, sysarg_t method, bool read, size_t len)
{
	static uint8_t buf[4096];
	async_exch_t *exch = async_exchange_begin(nic->sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = read ? async_req_read(exch, method, 0, 0, buf, len, NULL, NULL)
			  : async_req_write(exch, method, 0, 0, buf, len, NULL);
	async_exchange_end(exch);
	return rc;
}

static bool expect_rc(const char *what, errno_t got, errno_t want)
{
	printf("nictest: %s: %s%s\n", what, strerror(got), got == want ? "" : " (wrong)");
	return got == want;
}

/** A broadcast ARP request for 10.0.2.2 from @a nic's MAC (harmless). */
static size_t arp_frame(const nic_t *nic, uint8_t *f)
{
	static const uint8_t arp[28] = {0, 1, 8, 0, 6, 4, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 10, 0, 2, 2};
	memset(f, 0xff, 6);
	memcpy(f + 6, nic->mac, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	memcpy(f + 14, arp, sizeof(arp));
	memcpy(f + 14 + 8, nic->mac, 6);
	return 14 + sizeof(arp);
}

/** NIC_SEND_BATCH: malformed batches refused whole, a good one of two
 *  copies of @a frame (@a len bytes) sent. */
static bool batch_errors(nic_t *nic, const uint8_t *frame, size_t len)
{
	static uint8_t batch[3 * 64];
	size_t used = 0, sent = 99;
	bool ok = expect_rc("a batch of zero-length records",
	    nic_raw(nic, NIC_SEND_BATCH, false, 100), EINVAL);
	ok = nic_batch_put(batch, sizeof(batch), &used, frame, len) && ok;
	batch[used] = 0;
	batch[used + 1] = 100; /* a record of 100 bytes, 50 there */
	ok = expect_rc("a batch whose last record runs past its end",
		 nic_send_batch(nic, batch, used + 52, &sent), EINVAL) &&
	    sent == 0 && ok;
	ok = nic_batch_put(batch, sizeof(batch), &used, frame, len) && ok;
	ok = !nic_batch_put(batch, sizeof(batch), &used, frame, 1515) && ok;
	ok = expect_rc("a batch of two ARP requests",
		 nic_send_batch(nic, batch, used, &sent), EOK) &&
	    ok;
	printf("nictest: the batch sent %zu frames\n", sent);
	return ok && sent == 2;
}

static int nicerrors(const char *argv0)
{
	nic_t *nic;
	errno_t rc = nic_open_first(&nic, NULL);
	if (rc != EOK)
		return cmd_error(argv0, "NIC", rc);
	nic_stats_t before, after;
	bool ok = nic_get_stats(nic, &before) == EOK;
	ok = expect_rc(
		 "a frame of 1515 bytes", nic_raw(nic, NIC_SEND, false, 1515), EINVAL) &&
	    ok;
	ok = expect_rc(
		 "a frame of 4096 bytes", nic_raw(nic, NIC_SEND, false, 4096), EINVAL) &&
	    ok;
	ok = expect_rc(
		 "a frame of 13 bytes", nic_raw(nic, NIC_SEND, false, 13), EINVAL) &&
	    ok;
	ok = expect_rc(
		 "a receive into 100 bytes", nic_raw(nic, NIC_RECV, true, 100), ELIMIT) &&
	    ok;
	ok = expect_rc("an unknown call", nic_raw(nic, NIC_END, false, 1), ENOTSUP) && ok;
	uint8_t frame[64];
	size_t len = arp_frame(nic, frame);
	ok = expect_rc("an ARP request of 42 bytes", nic_send(nic, frame, len), EOK) &&
	    ok;
	ok = batch_errors(nic, frame, len) && ok;
	ok = nic_get_stats(nic, &after) == EOK && ok;
	printf("nictest: sent %lu frames, %lu bytes (padded to 60)\n",
	    (unsigned long) (after.tx_frames - before.tx_frames),
	    (unsigned long) (after.tx_bytes - before.tx_bytes));
	ok = ok && after.tx_frames - before.tx_frames >= 3 &&
	    after.tx_bytes - before.tx_bytes >= 3 * 60;
	nic_close(nic);
	printf("nictest: NIC errors %s\n",
	    ok ? "refused as they should be" : "NOT as expected");
	return ok ? CMD_EXIT_OK : CMD_EXIT_ERROR;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (getopt(argc, argv, "") != -1)
		return CMD_EXIT_USAGE; /* getopt said which option, and the usage */
	if (argc == 3 && strcmp(argv[1], "echo") == 0)
		return echo(argv[0], argv[2]);
	if (argc == 2 && strcmp(argv[1], "badframes") == 0)
		return badframes(argv[0]);
	if (argc == 2 && strcmp(argv[1], "nicerrors") == 0)
		return nicerrors(argv[0]);
	return cmd_usage_error(argv[0], USAGE);
}
