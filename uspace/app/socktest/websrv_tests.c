/*
 * socktest's second part: websrv and nc driven over loopback. websrv
 * serves /tmp/www on port WEB_PORT (GET, HEAD, 404, 400, keep-alive,
 * pipelining, a large file, many clients, a client limit, clients that
 * vanish or send garbage); nc moves a file through TCP and UDP, connecting
 * and listening, with its stdin and stdout in files.
 *
 * Nothing here waits for a fixed time: where a program must get somewhere
 * first (nc listening), the test retries until it has.
 */
#include "socktest.h"
#include <errno.h>
#include <fcntl.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <net/http.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <task.h>
#include <unistd.h>
#include <vfs.h>

#define WEB_PORT      8080
#define WEB_MAX	      40
#define BIG_SIZE      (256 * 1024)
#define IO_TIMEOUT_MS 30000
#define NC_DATA_SIZE  (100 * 1000)

static task_id_t websrv_task;
static char *big_file; /* the contents of /tmp/www/big.bin */

/* Files */

static errno_t file_put(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return errno;
	ssize_t n = write(fd, data, len);
	errno_t rc = n == (ssize_t) len ? EOK : n < 0 ? errno : EIO;
	close(fd);
	return rc;
}

/** The first @a max bytes of @a path into @a buf; how many in *@a len. */
static errno_t file_get(const char *path, char *buf, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	*len = 0;
	ssize_t n;
	while (*len < max && (n = read(fd, buf + *len, max - *len)) > 0)
		*len += (size_t) n;
	close(fd);
	return EOK;
}

/* HTTP over a socket */

/** Receives until @a want bytes are in @a buf (or the stream ends). */
static size_t recv_full(int fd, char *buf, size_t want)
{
	size_t got = 0;
	ssize_t n;
	while (got < want && (n = recv(fd, buf + got, want - got, 0)) > 0)
		got += (size_t) n;
	return got;
}

static bool send_bytes(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, text, len, 0);
		if (n <= 0)
			return false;
		text += n;
		len -= (size_t) n;
	}
	return true;
}

/* What came on a websrv connection and is not read yet: a response head
 * is read a byte at a time without a receive call each (web_connect
 * empties it). */
typedef struct {
	char buf[4096];
	size_t pos, len;
} reader_t;

static reader_t readers[SOCK_FDS_MAX];

/** Up to @a max bytes of connection @a fd; 0 at its end, -1 on an error. */
static ssize_t web_recv(int fd, char *out, size_t max)
{
	if (fd < SOCK_FD_BASE || fd >= SOCK_FD_BASE + SOCK_FDS_MAX)
		return -1;
	reader_t *r = &readers[fd - SOCK_FD_BASE];
	if (r->pos == r->len) {
		ssize_t n = recv(fd, r->buf, sizeof(r->buf), 0);
		if (n <= 0)
			return n;
		r->pos = 0;
		r->len = (size_t) n;
	}
	size_t n = r->len - r->pos < max ? r->len - r->pos : max;
	memcpy(out, r->buf + r->pos, n);
	r->pos += n;
	return (ssize_t) n;
}

/** web_recv until @a want bytes came (or the stream ended). */
static size_t web_recv_full(int fd, char *buf, size_t want)
{
	size_t got = 0;
	ssize_t n;
	while (got < want && (n = web_recv(fd, buf + got, want - got)) > 0)
		got += (size_t) n;
	return got;
}

typedef struct {
	unsigned status;
	size_t length;
	bool close;
	char head[1024];
} response_t;

static bool send_text(int fd, const char *text)
{
	return send_bytes(fd, text, strlen(text));
}

/** Reads one response head from @a fd, byte by byte (so nothing of the
 *  next response is taken); false if the stream ended or it is malformed. */
static bool head_read(int fd, response_t *r)
{
	size_t n = 0;
	while (n + 1 < sizeof(r->head)) {
		if (web_recv(fd, r->head + n, 1) != 1)
			return false;
		n++;
		r->head[n] = '\0';
		if (n >= 4 && memcmp(r->head + n - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	const char *cl = strstr(r->head, "\r\nContent-Length: ");
	if (strncmp(r->head, "HTTP/1.1 ", 9) != 0 || cl == NULL)
		return false;
	r->status = (unsigned) strtoul(r->head + 9, NULL, 10);
	r->length = strtoul(cl + 18, NULL, 10);
	r->close = strstr(r->head, "\r\nConnection: close\r\n") != NULL;
	return true;
}

/** Reads a response and its body (unless @a head_only) into @a body (at
 *  most @a max bytes kept; the rest is read and dropped). */
static bool response_read(int fd, response_t *r, bool head_only, char *body, size_t max)
{
	if (!head_read(fd, r))
		return false;
	if (head_only)
		return true;
	size_t left = r->length;
	char sink[4096];
	while (left > 0) {
		char *to = max > 0 ? body : sink;
		size_t want = max > 0 ? (left < max ? left : max)
				      : (left < 4096 ? left : 4096);
		size_t got = web_recv_full(fd, to, want);
		if (got != want)
			return false;
		if (max > 0) {
			body += got;
			max -= got;
		}
		left -= got;
	}
	return true;
}

/** A connection to websrv with the receive timeout of the tests. */
static int web_connect(void)
{
	int fd = tcp_connect_lo(WEB_PORT);
	if (fd >= SOCK_FD_BASE && fd < SOCK_FD_BASE + SOCK_FDS_MAX)
		readers[fd - SOCK_FD_BASE].pos = readers[fd - SOCK_FD_BASE].len = 0;
	struct timeval tv = {IO_TIMEOUT_MS / 1000, 0};
	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/** One request @a text on a new connection; its response's status. */
static unsigned web_status(const char *text)
{
	int fd = web_connect();
	response_t r = {0};
	bool ok = fd >= 0 && send_text(fd, text) && response_read(fd, &r, false, NULL, 0);
	if (fd >= 0)
		close(fd);
	return ok ? r.status : 0;
}

/* Spawning */

/** Starts /app/@a args[0] with stdin from @a in and stdout into @a out
 *  (paths; NULL: none); waits for its report of ready if @a ready. */
static errno_t spawn(const char *const args[], const char *in, const char *out,
    bool ready, task_id_t *id, task_wait_t *wait)
{
	char path[64];
	snprintf(path, sizeof(path), "/app/%s", args[0]);
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.files[0] = in != NULL ? open(in, O_RDONLY) : -1;
	opts.files[1] = out != NULL ? open(out, O_WRONLY | O_CREAT | O_TRUNC) : -1;
	errno_t rc = (in != NULL && opts.files[0] < 0) ||
		(out != NULL && opts.files[1] < 0)
	    ? ENOENT
	    : task_spawn_opts(id, ready ? NULL : wait, path, args, &opts);
	for (int i = 0; i < 2; i++) {
		if (opts.files[i] >= 0)
			close(opts.files[i]);
	}
	if (rc == EOK && ready) {
		task_exit_t exit;
		rc = task_wait_task_id(*id, TASK_WAIT_RETVAL, &exit, NULL);
		if (rc == EOK && exit.how != 0)
			rc = EIO;
	}
	return rc;
}

/** Waits for task @a wait; its exit status in *@a status (-1: killed). */
static errno_t reap(task_wait_t *wait, int *status)
{
	task_exit_t exit;
	errno_t rc = task_wait(wait, &exit, NULL);
	*status = exit.how == TASK_EXIT_NORMAL ? exit.status : -1;
	return rc;
}

/* websrv */

static void test_websrv_starts_on_a_directory(void)
{
	CHECK_RC(vfs_mkdir("/tmp/www"), EOK);
	CHECK_RC(vfs_mkdir("/tmp/www/sub"), EOK);
	const char *index = "<html><body>socktest index</body></html>\n";
	CHECK_RC(file_put("/tmp/www/index.html", index, strlen(index)), EOK);
	CHECK_RC(file_put("/tmp/www/sub/index.html", "sub\n", 4), EOK);
	big_file = malloc(BIG_SIZE);
	CHECK(big_file != NULL);
	for (size_t i = 0; i < BIG_SIZE; i++)
		big_file[i] = (char) (i * 7 + i / 1000);
	CHECK_RC(file_put("/tmp/www/big.bin", big_file, BIG_SIZE), EOK);
	const char *args[] = {"websrv", "-p", "8080", "-r", "/tmp/www", "-c", "40", NULL};
	CHECK_RC(spawn(args, NULL, NULL, true, &websrv_task, NULL), EOK);
}

static void test_websrv_get_gives_the_file_with_its_length(void)
{
	int fd = web_connect();
	CHECK(fd >= 0);
	CHECK(send_text(fd, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
	response_t r;
	char body[128] = {0};
	CHECK(response_read(fd, &r, false, body, sizeof(body) - 1));
	CHECK(r.status == 200 && !r.close);
	CHECK(r.length == strlen("<html><body>socktest index</body></html>\n"));
	CHECK(strcmp(body, "<html><body>socktest index</body></html>\n") == 0);
	CHECK(strstr(r.head, "Content-Type: text/html\r\n") != NULL);
	CHECK(send_text(fd, "GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n"));
	memset(body, 0, sizeof(body));
	CHECK(response_read(fd, &r, false, body, sizeof(body) - 1));
	CHECK(r.status == 200 && strcmp(body, "sub\n") == 0);
	CHECK(close(fd) == 0);
}

static void test_websrv_head_gives_the_length_without_the_body(void)
{
	int fd = web_connect();
	CHECK(fd >= 0);
	CHECK(send_text(fd, "HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"));
	response_t r;
	CHECK(response_read(fd, &r, true, NULL, 0));
	CHECK(r.status == 200 && r.length == BIG_SIZE);
	/* No body came: the next bytes are the next response. */
	CHECK(send_text(fd, "HEAD /nothing HTTP/1.1\r\nHost: x\r\n\r\n"));
	CHECK(response_read(fd, &r, true, NULL, 0));
	CHECK(r.status == 404 && r.length > 0);
	CHECK(close(fd) == 0);
}

static void test_websrv_sends_a_large_file_identical(void)
{
	int fd = web_connect();
	CHECK(fd >= 0);
	CHECK(send_text(fd, "GET /big.bin HTTP/1.0\r\n\r\n"));
	response_t r;
	char *body = malloc(BIG_SIZE);
	CHECK(body != NULL);
	bool ok = response_read(fd, &r, false, body, BIG_SIZE);
	bool same = ok && memcmp(body, big_file, BIG_SIZE) == 0;
	free(body);
	CHECK(ok && r.status == 200 && r.length == BIG_SIZE && r.close);
	CHECK(same);
	char b;
	CHECK(web_recv(fd, &b, 1) == 0); /* HTTP/1.0: closed after the answer */
	CHECK(close(fd) == 0);
}

static void test_websrv_answers_404_and_keeps_the_connection(void)
{
	int fd = web_connect();
	CHECK(fd >= 0);
	CHECK(send_text(fd, "GET /missing.html HTTP/1.1\r\nHost: x\r\n\r\n"));
	response_t r;
	CHECK(response_read(fd, &r, false, NULL, 0));
	CHECK(r.status == 404 && !r.close);
	CHECK(send_text(fd, "GET /sub HTTP/1.1\r\nHost: x\r\n\r\n"));
	CHECK(response_read(fd, &r, false, NULL, 0) && r.status == 200);
	CHECK(send_text(fd, "GET /index.html/ HTTP/1.1\r\nHost: x\r\n\r\n"));
	CHECK(response_read(fd, &r, false, NULL, 0) && r.status == 404);
	CHECK(close(fd) == 0);
}

static void test_websrv_answers_bad_requests_with_their_status_and_closes(void)
{
	const struct {
		const char *text;
		unsigned status;
	} cases[] = {
	    {"NONSENSE\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\n\r\n", 400}, /* no Host */
	    {"GET /../etc HTTP/1.1\r\nHost: x\r\n\r\n", 400},
	    {"GET /%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n", 400},
	    {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx", 501},
	    {"GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505},
	    {"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fd = web_connect();
		CHECK(fd >= 0);
		response_t r;
		CHECK(send_text(fd, cases[i].text));
		CHECK(response_read(fd, &r, false, NULL, 0));
		EXPECT(r.status == cases[i].status, "case %zu: %u", i, r.status);
		CHECK(r.close);
		char b;
		CHECK(web_recv(fd, &b, 1) == 0);
		CHECK(close(fd) == 0);
	}
}

static void test_websrv_refuses_overlong_heads(void)
{
	size_t len = 3 * HTTP_HEAD_MAX;
	char *text = malloc(len + 1);
	CHECK(text != NULL);
	strcpy(text, "GET / HTTP/1.1\r\nHost: x\r\n");
	for (size_t n = strlen(text); n + 8 <= len; n += 8)
		memcpy(text + n, "X: 123\r\n", 8);
	text[len - len % 8] = '\0';
	unsigned status = web_status(text);
	memset(text, 'a', len);
	memcpy(text, "GET /", 5);
	text[len] = '\0';
	unsigned status2 = web_status(text);
	free(text);
	CHECK(status == 431);
	CHECK(status2 == 414);
}

static void test_websrv_answers_pipelined_requests_in_order(void)
{
	int fd = web_connect();
	CHECK(fd >= 0);
	CHECK(send_text(fd,
	    "GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n"
	    "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /sub/index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
	const unsigned want[] = {200, 200, 404, 200};
	for (int i = 0; i < 4; i++) {
		response_t r;
		char body[8] = {0};
		CHECK(response_read(fd, &r, i == 1, body, sizeof(body) - 1));
		EXPECT(r.status == want[i], "response %d: %u", i, r.status);
		CHECK(r.close == (i == 3));
		CHECK(i != 0 || strcmp(body, "sub\n") == 0);
	}
	char b;
	CHECK(web_recv(fd, &b, 1) == 0);
	CHECK(close(fd) == 0);
}

static void test_websrv_serves_many_clients_at_once_and_503_beyond(void)
{
	int fds[WEB_MAX + 1];
	int open_n = 0;
	/* WEB_MAX clients, each mid-request: every one holds a connection. */
	for (; open_n < WEB_MAX; open_n++) {
		fds[open_n] = web_connect();
		if (fds[open_n] < 0 || !send_text(fds[open_n], "GET /sub/ HTTP/1.1\r\n"))
			break;
	}
	bool all_open = open_n == WEB_MAX;
	/* One more is refused with 503 once websrv took the others in. */
	unsigned extra = 0;
	while (
	    all_open && (extra = web_status("GET / HTTP/1.1\r\nHost: x\r\n\r\n")) == 200)
		fibril_usleep(1000);
	int served = 0;
	for (int i = 0; i < open_n; i++) {
		response_t r;
		char body[8] = {0};
		if (send_text(fds[i], "Host: x\r\n\r\n") &&
		    response_read(fds[i], &r, false, body, sizeof(body) - 1) &&
		    r.status == 200 && strcmp(body, "sub\n") == 0)
			served++;
		close(fds[i]);
	}
	CHECK(all_open);
	EXPECT(extra == 503, "client beyond the limit: %u", extra);
	EXPECT(served == WEB_MAX, "%d of %d served", served, WEB_MAX);
	/* Once they are gone, new clients are served again. */
	unsigned after;
	while ((after = web_status("GET / HTTP/1.1\r\nHost: x\r\n\r\n")) == 503)
		fibril_usleep(1000);
	CHECK(after == 200);
}

#define KA_CLIENTS  8
#define KA_REQUESTS 50

static FIBRIL_MUTEX_INITIALIZE(ka_lock);
static FIBRIL_CONDVAR_INITIALIZE(ka_done_cv);
static unsigned ka_ok, ka_done;

/** One client: KA_REQUESTS requests on one keep-alive connection. */
static errno_t ka_client(void *arg)
{
	int fd = web_connect();
	unsigned ok = 0;
	for (int i = 0; fd >= 0 && i < KA_REQUESTS; i++) {
		response_t r;
		char body[8] = {0};
		if (!send_text(fd, "GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n") ||
		    !response_read(fd, &r, false, body, sizeof(body) - 1))
			break;
		if (r.status == 200 && !r.close && strcmp(body, "sub\n") == 0)
			ok++;
	}
	if (fd >= 0)
		close(fd);
	fibril_mutex_lock(&ka_lock);
	ka_ok += ok;
	ka_done++;
	fibril_condvar_broadcast(&ka_done_cv);
	fibril_mutex_unlock(&ka_lock);
	return EOK;
}

static void test_websrv_serves_concurrent_keep_alive_clients(void)
{
	uint64_t t0 = now_ms();
	unsigned started = 0;
	for (; started < KA_CLIENTS; started++) {
		fid_t f = fibril_create(ka_client, NULL);
		if (f == NULL)
			break;
		fibril_detach(f);
		fibril_add_ready(f);
	}
	fibril_mutex_lock(&ka_lock);
	while (ka_done < started)
		fibril_condvar_wait(&ka_done_cv, &ka_lock);
	unsigned ok = ka_ok;
	fibril_mutex_unlock(&ka_lock);
	uint64_t ms = now_ms() - t0;
	/* A figure for docs/network.md, not a check: it depends on the host. */
	printf("socktest: %u keep-alive requests from %u clients in %llu ms\n", ok,
	    started, (unsigned long long) ms);
	CHECK(started == KA_CLIENTS);
	CHECK(ok == KA_CLIENTS * KA_REQUESTS);
}

static void test_websrv_survives_clients_that_vanish_or_send_garbage(void)
{
	/* Mid-request, mid-body, and with the answer unread: then gone. */
	const char *partial[] = {
	    "GET / HTTP/1.1\r\nHos",
	    "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc",
	    "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n",
	};
	for (int i = 0; i < 3; i++) {
		int fd = web_connect();
		CHECK(fd >= 0);
		CHECK(send_text(fd, partial[i]));
		CHECK(close(fd) == 0);
	}
	/* A silent client holds nobody up. */
	int silent = web_connect();
	CHECK(silent >= 0);
	unsigned seed = 7;
	char junk[600];
	for (int i = 0; i < 100; i++) {
		size_t len = 1 + (size_t) (i * 37 % (sizeof(junk) - 1));
		for (size_t j = 0; j < len; j++) {
			seed = seed * 1103515245 + 12345;
			junk[j] = (char) ((seed >> 16) % 255 + 1);
		}
		junk[len] = '\0';
		int fd = web_connect();
		CHECK(fd >= 0);
		DISCARD(garbage_may_be_refused, send_text(fd, junk));
		DISCARD(garbage_may_be_refused, send_text(fd, "\r\n\r\n"));
		CHECK(close(fd) == 0);
	}
	CHECK(web_status("GET / HTTP/1.1\r\nHost: x\r\n\r\n") == 200);
	CHECK(close(silent) == 0);
	CHECK(web_status("GET /sub/ HTTP/1.0\r\n\r\n") == 200);
}

/* nc */

/** The contents of nc's output file equal @a want (@a len bytes)? */
static bool nc_output_is(const char *want, size_t len)
{
	char *out = malloc(len + 1);
	size_t olen = 0;
	bool same = out != NULL && file_get("/tmp/nc.out", out, len + 1, &olen) == EOK &&
	    olen == len && memcmp(out, want, len) == 0;
	free(out);
	return same;
}

/** Waits until nc's output file begins with @a want. */
static void nc_output_wait(const char *want)
{
	char out[64];
	size_t olen = 0;
	while (file_get("/tmp/nc.out", out, sizeof(out), &olen) != EOK ||
	    olen < strlen(want) || memcmp(out, want, strlen(want)) != 0)
		fibril_usleep(2000);
}

static void test_nc_sends_stdin_over_tcp_and_writes_the_answer(void)
{
	char *data = malloc(NC_DATA_SIZE + 1);
	CHECK(data != NULL);
	for (size_t i = 0; i < NC_DATA_SIZE; i++)
		data[i] = (char) ('a' + i % 26 + (i / 997) % 3);
	errno_t rc = file_put("/tmp/nc.in", data, NC_DATA_SIZE);
	int l = rc == EOK ? tcp_listener(6000) : -1;
	const char *args[] = {"nc", "127.0.0.1", "6000", NULL};
	task_id_t id;
	task_wait_t w;
	if (l >= 0)
		rc = spawn(args, "/tmp/nc.in", "/tmp/nc.out", false, &id, &w);
	int s = l >= 0 && rc == EOK ? accept(l, NULL, NULL) : -1;
	/* All of stdin up to nc's FIN, then all of it back, then our FIN. */
	size_t n = s >= 0 ? recv_full(s, data, NC_DATA_SIZE + 1) : 0;
	bool echoed = n == NC_DATA_SIZE && send_bytes(s, data, n);
	if (s >= 0)
		close(s);
	if (l >= 0)
		close(l);
	int status = -1;
	if (l >= 0 && rc == EOK)
		rc = reap(&w, &status);
	bool same = nc_output_is(data, NC_DATA_SIZE);
	free(data);
	CHECK_RC(rc, EOK);
	CHECK(n == NC_DATA_SIZE && echoed);
	CHECK(status == 0);
	CHECK(same);
}

static void test_nc_listens_on_tcp_and_talks_both_ways(void)
{
	CHECK_RC(file_put("/tmp/nc.in", "from nc\n", 8), EOK);
	const char *args[] = {"nc", "-l", "6001", NULL};
	task_id_t id;
	task_wait_t w;
	CHECK_RC(spawn(args, "/tmp/nc.in", "/tmp/nc.out", false, &id, &w), EOK);
	int c;
	while ((c = tcp_connect_lo(6001)) < 0 && errno == ECONNREFUSED)
		fibril_usleep(2000); /* not listening yet */
	char buf[16] = {0};
	size_t n = c >= 0 ? recv_full(c, buf, 8) : 0;
	bool sent = c >= 0 && send_text(c, "to nc\n") && shutdown(c, SHUT_WR) == 0;
	char b;
	bool ended = c >= 0 && recv(c, &b, 1, 0) == 0; /* nc's FIN after its stdin */
	if (c >= 0)
		close(c);
	int status;
	CHECK_RC(reap(&w, &status), EOK);
	CHECK(c >= 0);
	CHECK(n == 8 && strcmp(buf, "from nc\n") == 0);
	CHECK(sent && ended && status == 0);
	CHECK(nc_output_is("to nc\n", 6));
}

static void test_nc_sends_udp_datagrams_and_writes_the_replies(void)
{
	CHECK_RC(file_put("/tmp/nc.in", "datagram one", 12), EOK);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = sa_lo(6002), from;
	CHECK(u >= 0 && bind(u, (struct sockaddr *) &a, sizeof(a)) == 0);
	const char *args[] = {"nc", "-u", "127.0.0.1", "6002", NULL};
	task_id_t id;
	task_wait_t w;
	CHECK_RC(spawn(args, "/tmp/nc.in", "/tmp/nc.out", false, &id, &w), EOK);
	char buf[32] = {0};
	socklen_t flen = sizeof(from);
	ssize_t n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *) &from, &flen);
	bool replied = n == 12 &&
	    sendto(u, "the reply", 9, 0, (struct sockaddr *) &from, flen) == 9;
	if (replied)
		nc_output_wait("the reply");
	/* Without -w a UDP nc runs until it is stopped. */
	CHECK_RC(task_kill(id), EOK);
	int status;
	CHECK_RC(reap(&w, &status), EOK);
	close(u);
	CHECK(n == 12 && memcmp(buf, "datagram one", 12) == 0);
	CHECK(replied);
	CHECK(nc_output_is("the reply", 9));
}

static void test_nc_listens_on_udp_and_answers_the_first_sender(void)
{
	CHECK_RC(file_put("/tmp/nc.in", "from nc", 7), EOK);
	const char *args[] = {"nc", "-u", "-l", "6003", NULL};
	task_id_t id;
	task_wait_t w;
	CHECK_RC(spawn(args, "/tmp/nc.in", "/tmp/nc.out", false, &id, &w), EOK);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(u >= 0);
	struct sockaddr_in to = sa_lo(6003);
	char buf[16] = {0};
	ssize_t n = -1;
	/* Until nc is bound, the datagrams find nobody: send again. */
	while (n < 0) {
		if (sendto(u, "to nc", 5, 0, (struct sockaddr *) &to, sizeof(to)) != 5)
			break;
		struct pollfd p = {u, POLLIN, 0};
		if (poll(&p, 1, 100) == 1)
			n = recv(u, buf, sizeof(buf), 0);
	}
	nc_output_wait("to nc");
	CHECK_RC(task_kill(id), EOK);
	int status;
	CHECK_RC(reap(&w, &status), EOK);
	close(u);
	CHECK(n == 7 && memcmp(buf, "from nc", 7) == 0);
}

void websrv_tests_run(void)
{
	RUN(test_websrv_starts_on_a_directory);
	RUN(test_websrv_get_gives_the_file_with_its_length);
	RUN(test_websrv_head_gives_the_length_without_the_body);
	RUN(test_websrv_sends_a_large_file_identical);
	RUN(test_websrv_answers_404_and_keeps_the_connection);
	RUN(test_websrv_answers_bad_requests_with_their_status_and_closes);
	RUN(test_websrv_refuses_overlong_heads);
	RUN(test_websrv_answers_pipelined_requests_in_order);
	RUN(test_websrv_serves_many_clients_at_once_and_503_beyond);
	RUN(test_websrv_serves_concurrent_keep_alive_clients);
	RUN(test_websrv_survives_clients_that_vanish_or_send_garbage);
	RUN(test_nc_sends_stdin_over_tcp_and_writes_the_answer);
	RUN(test_nc_listens_on_tcp_and_talks_both_ways);
	RUN(test_nc_sends_udp_datagrams_and_writes_the_replies);
	RUN(test_nc_listens_on_udp_and_answers_the_first_sender);
}
