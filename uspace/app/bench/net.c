/*
 * Network cases (`bench --net`, a boot of its own: testinit=ns,vfs,tmpfs
 * testtask=bench testargs=--net): the root archive mounted, netsrv and
 * websrv started as init would. Then
 *   - ping-loopback: one ICMP echo to 127.0.0.1 and its reply through
 *     netsrv's loopback interface (sendto + recvfrom on an ICMP socket), in
 *     instructions under -icount like every other case;
 *   - http-keepalive: HTTP_CLIENTS clients each making HTTP_REQUESTS
 *     keep-alive requests for websrv's small index page, printed as
 *     "bench: http-keepalive requests=N ms=N": meant for a boot without
 *     -icount, where it is wall-clock time (a figure for that run only).
 */
#include "bench.h"
#include <benchmark.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <net/ipv4.h>
#include <sock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <testsuite.h>
#include <time.h>
#include <vfs.h>

#define WEB_PORT      8080
#define HTTP_CLIENTS  8
#define HTTP_REQUESTS 50
#define HTTP_BUF      8192
#define PING_SIZE     56

typedef struct {
	sock_t *sock;
	uint16_t seq;
	uint8_t data[PING_SIZE];
} ping_ctx_t;

static bool ping_failed;

/** One echo request to 127.0.0.1 and its reply. */
static void op_ping(void *arg)
{
	ping_ctx_t *p = arg;
	uint8_t reply[PING_SIZE];
	sock_addr_t to = {IPV4_LOOPBACK, p->seq++}, from;
	size_t n;
	if (sock_sendto(p->sock, p->data, sizeof(p->data), &to) != EOK ||
	    sock_recvfrom(p->sock, reply, sizeof(reply), &n, &from, 1000000) != EOK ||
	    n != sizeof(p->data))
		ping_failed = true;
}

static int ping_case(void)
{
	static ping_ctx_t p;
	if (sock_open(NET_SOCK_ICMP, &p.sock) != EOK)
		return 1;
	memset(p.data, 0x5a, sizeof(p.data));
	bench_measure_n("ping-loopback", op_ping, &p, 50, 500);
	sock_close(p.sock);
	return ping_failed ? 1 : 0;
}

/** Reads one response on @a s (its head, then Content-Length bytes):
 *  whether it is a 200 that keeps the connection. */
static bool http_response(sock_t *s, char *buf)
{
	size_t have = 0, need = 0;
	for (;;) {
		size_t n;
		if (have == HTTP_BUF - 1 ||
		    sock_recv(s, buf + have, HTTP_BUF - 1 - have, &n, 0) != EOK || n == 0)
			return false;
		have += n;
		buf[have] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		const char *cl = strstr(buf, "Content-Length: ");
		if (end != NULL && cl != NULL && need == 0)
			need = (size_t) (end + 4 - buf) + strtoul(cl + 16, NULL, 10);
		if (need != 0 && have >= need)
			return strncmp(buf, "HTTP/1.1 200 ", 13) == 0 &&
			    strstr(buf, "Connection: close") == NULL;
	}
}

static FIBRIL_MUTEX_INITIALIZE(http_lock);
static FIBRIL_CONDVAR_INITIALIZE(http_cv);
static unsigned http_ok, http_done;

/** One client: HTTP_REQUESTS requests on one connection. */
static errno_t http_client(void *arg)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";
	char *buf = malloc(HTTP_BUF);
	sock_t *s = NULL;
	unsigned ok = 0;
	if (buf != NULL && sock_open(NET_SOCK_STREAM, &s) == EOK &&
	    sock_connect(s, IPV4_LOOPBACK, WEB_PORT, 0) == EOK) {
		while (ok < HTTP_REQUESTS &&
		    sock_send_all(s, req, sizeof(req) - 1, 0) == EOK &&
		    http_response(s, buf))
			ok++;
	}
	if (s != NULL)
		sock_close(s);
	free(buf);
	fibril_mutex_lock(&http_lock);
	http_ok += ok;
	http_done++;
	fibril_condvar_broadcast(&http_cv);
	fibril_mutex_unlock(&http_lock);
	return EOK;
}

static int http_case(void)
{
	uint64_t t0 = clock_ns();
	unsigned started = 0;
	for (; started < HTTP_CLIENTS; started++) {
		fid_t f = fibril_create(http_client, NULL);
		if (f == 0)
			break;
		fibril_detach(f);
		fibril_add_ready(f);
	}
	fibril_mutex_lock(&http_lock);
	while (http_done < started)
		fibril_condvar_wait(&http_cv, &http_lock);
	unsigned ok = http_ok;
	fibril_mutex_unlock(&http_lock);
	uint64_t ms = (clock_ns() - t0) / 1000000;
	printf("bench: http-keepalive requests=%u clients=%u ms=%llu\n", ok, started,
	    (unsigned long long) ms);
	return ok == HTTP_CLIENTS * HTTP_REQUESTS ? 0 : 1;
}

/** The root archive, netsrv, and websrv on WEB_PORT serving /data/www. */
static errno_t net_start(void)
{
	errno_t rc = vfs_mount(
	    "/", "tmpfs", "archive=rootfs", VFS_MOUNT_WAIT | VFS_MOUNT_RDONLY);
	uint64_t id;
	if (rc == EOK)
		rc = test_spawn_server("/srv/netsrv", &id);
	task_id_t web;
	if (rc == EOK)
		rc = task_spawnl(&web, NULL, "/app/websrv", "websrv", "-p", "8080", "-r",
		    "/data/www", NULL);
	task_exit_t exit;
	if (rc == EOK)
		rc = task_wait_task_id(web, TASK_WAIT_RETVAL, &exit, NULL);
	return rc == EOK && exit.how != 0 ? EIO : rc;
}

int net_cases(void)
{
	errno_t rc = net_start();
	if (rc != EOK) {
		printf("bench: netsrv and websrv: %s\n", str_error(rc));
		return 1;
	}
	bench_calibrate();
	int failed = ping_case();
	failed |= http_case();
	return failed;
}
