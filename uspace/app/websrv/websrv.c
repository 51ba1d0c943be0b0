/*
 * websrv: HTTP/1.1 GET and HEAD of the static files under a directory
 * (docs/network.md). Written on the POSIX socket calls. The main fibril
 * accepts; each connection is served by a fibril of its own, so a slow or
 * silent client holds up nobody else. Requests are parsed by libnet's
 * http_request_parse, one after the other from the connection's buffer
 * (pipelining); a connection stays open unless the client asks otherwise.
 * A bad request is answered with its status and the connection closed; a
 * client silent for IDLE_SEC, or one that stops reading for as long, is
 * dropped. At most -c connections are served at once; more get 503.
 */
#include <errno.h>
#include <fcntl.h>
#include <fibril.h>
#include <getopt.h>
#include <net/http.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <task.h>
#include <unistd.h>

#define USAGE	     "[-p PORT] [-r ROOT] [-c MAX_CLIENTS] [-v]"
#define IDLE_SEC     30
#define FILE_CHUNK   16384
#define ROOT_MAX     256
#define PATH_MAX_WEB (ROOT_MAX + HTTP_TARGET_MAX + 16)
#define INDEX_NAME   "index.html"

typedef struct {
	uint16_t port;
	const char *root;
	unsigned max_clients;
	bool verbose;
} websrv_opts_t;

/* One client connection; owned by its fibril, which frees it. */
typedef struct {
	int fd;
	size_t len; /* bytes in buf */
	char buf[HTTP_HEAD_MAX];
} websrv_conn_t;

static websrv_opts_t opts = {.port = 80, .root = "/data/www", .max_clients = 64};
/* Connections being served; only fibrils of the main thread change it. */
static unsigned active;

static bool send_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = send(fd, p, len, 0);
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t) n;
	}
	return true;
}

/** An answer without a file: a short page saying @a status. */
static bool answer_status(int fd, unsigned status, bool body, bool keep_alive)
{
	char page[128], out[384];
	int plen = snprintf(page, sizeof(page),
	    "<html><body><h1>%u %s</h1></body></html>\n", status, http_reason(status));
	size_t hlen = http_response_head(out, sizeof(out) - sizeof(page), status,
	    (uint64_t) plen, "text/html", keep_alive);
	if (body)
		memcpy(out + hlen, page, (size_t) plen);
	return hlen > 0 && send_all(fd, out, hlen + (body ? (size_t) plen : 0));
}

/** The file for request path @a path under the root, into @a out: a
 *  directory's index.html. False if there is no regular file. */
static bool file_for(const char *path, char *out, struct stat *st)
{
	snprintf(out, PATH_MAX_WEB, "%s%s", opts.root, path);
	if (stat(out, st) == 0 && S_ISDIR(st->st_mode)) {
		size_t n = strlen(out);
		snprintf(out + n, PATH_MAX_WEB - n, "%s" INDEX_NAME,
		    out[n - 1] == '/' ? "" : "/");
	} else if (path[strlen(path) - 1] == '/') {
		return false; /* a directory asked for, but no directory */
	}
	return stat(out, st) == 0 && S_ISREG(st->st_mode);
}

/** Sends the response head of @a hlen bytes at the start of @a chunk
 *  (FILE_CHUNK bytes), then (with @a body) the @a size bytes of open file
 *  @a file; a small file goes out with its head in one send. */
static bool send_file(
    int fd, char *chunk, size_t hlen, int file, uint64_t size, bool body)
{
	size_t have = hlen;
	while (body && size > 0) {
		ssize_t n = read(file, chunk + have, FILE_CHUNK - have);
		if (n <= 0 || !send_all(fd, chunk, have + (size_t) n))
			return false;
		size -= (uint64_t) n < size ? (uint64_t) n : size;
		have = 0;
	}
	return have == 0 || send_all(fd, chunk, have);
}

/** Answers @a req; false when the connection must end. */
static bool answer(int fd, const http_request_t *req)
{
	bool body = req->method == HTTP_GET;
	char path[PATH_MAX_WEB];
	struct stat st;
	if (!file_for(req->path, path, &st))
		return answer_status(fd, 404, body, req->keep_alive) && req->keep_alive;
	int file = open(path, O_RDONLY);
	if (file < 0)
		return answer_status(fd, 404, body, req->keep_alive) && req->keep_alive;
	char chunk[FILE_CHUNK]; /* on the fibril's stack: others run while it sends */
	size_t hlen = http_response_head(chunk, 512, 200, (uint64_t) st.st_size,
	    http_content_type(path), req->keep_alive);
	bool ok = hlen > 0 &&
	    send_file(fd, chunk, hlen, file, (uint64_t) st.st_size, body);
	close(file);
	if (opts.verbose)
		printf("websrv: %s %s: %s\n", body ? "GET" : "HEAD", req->path,
		    ok ? "200" : "failed");
	return ok && req->keep_alive;
}

/** Reads more into the buffer; false at the end, an error or a timeout. */
static bool conn_fill(websrv_conn_t *c)
{
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
	if (n <= 0)
		return false;
	c->len += (size_t) n;
	return true;
}

/** Drops the first @a n bytes of the buffer, reading past those not yet
 *  come (a request body); false if the connection ended first. */
static bool conn_consume(websrv_conn_t *c, size_t n)
{
	while (n > c->len) {
		n -= c->len;
		c->len = 0;
		if (!conn_fill(c))
			return false;
	}
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	return true;
}

static void conn_serve(websrv_conn_t *c)
{
	for (;;) {
		http_request_t req;
		size_t used;
		unsigned status;
		switch (http_request_parse(c->buf, c->len, &req, &used, &status)) {
		case HTTP_PARSE_MORE:
			if (!conn_fill(c))
				return;
			break;
		case HTTP_PARSE_ERROR:
			if (opts.verbose)
				printf("websrv: bad request: %u\n", status);
			DISCARD(closing, answer_status(c->fd, status, true, false));
			return;
		case HTTP_PARSE_DONE:
			if (!conn_consume(c, used + req.body_len) || !answer(c->fd, &req))
				return;
			break;
		}
	}
}

static errno_t conn_fibril(void *arg)
{
	websrv_conn_t *c = arg;
	conn_serve(c);
	close(c->fd);
	free(c);
	active--;
	return EOK;
}

static void set_timeouts(int fd)
{
	struct timeval tv = {IDLE_SEC, 0};
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
		printf("websrv: cannot set timeouts: %s\n", str_error(errno));
}

/** Serves @a fd in a fibril of its own; 503 and closed if none can be had. */
static void conn_start(int fd)
{
	websrv_conn_t *c = active < opts.max_clients ? malloc(sizeof(*c)) : NULL;
	fid_t f = c != NULL ? fibril_create(conn_fibril, c) : NULL;
	if (f == NULL) {
		free(c);
		DISCARD(closing, answer_status(fd, 503, true, false));
		close(fd);
		return;
	}
	set_timeouts(fd);
	c->fd = fd;
	c->len = 0;
	active++;
	fibril_detach(f);
	fibril_add_ready(f);
}

static int listener_open(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *) &a, sizeof(a)) != 0 ||
	    listen(fd, SOMAXCONN) != 0) {
		errno_t e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static bool opt_number(const char *arg, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < min || v > max)
		return false;
	*out = (unsigned) v;
	return true;
}

static bool opts_parse(int argc, char *argv[])
{
	int c;
	unsigned port = opts.port;
	while ((c = getopt(argc, argv, "p:r:c:v")) != -1) {
		bool ok = (c == 'p' && opt_number(optarg, 1, 65535, &port)) ||
		    (c == 'c' &&
			opt_number(optarg, 1, SOCK_FDS_MAX - 1, &opts.max_clients)) ||
		    (c == 'r' && strlen(optarg) < ROOT_MAX) || c == 'v';
		if (!ok)
			return false;
		if (c == 'r')
			opts.root = optarg;
		opts.verbose |= c == 'v';
	}
	opts.port = (uint16_t) port;
	return optind == argc;
}

int main(int argc, char *argv[])
{
	if (cmd_help(argc, argv, USAGE))
		return CMD_EXIT_OK;
	if (!opts_parse(argc, argv))
		return cmd_usage_error(argv[0], USAGE);
	struct stat st;
	if (stat(opts.root, &st) != 0 || !S_ISDIR(st.st_mode))
		return cmd_error(
		    argv[0], opts.root, stat(opts.root, &st) != 0 ? errno : ENOTDIR);
	int l = listener_open(opts.port);
	if (l < 0)
		return cmd_error(argv[0], "listen", errno);
	printf("websrv: serving %s on port %u\n", opts.root, opts.port);
	DISCARD(best_effort, task_retval(0));
	for (;;) {
		int fd = accept(l, NULL, NULL);
		if (fd >= 0) {
			conn_start(fd);
		} else if (errno != ELIMIT && errno != ENOMEM) {
			cmd_error(argv[0], "accept", errno);
			break;
		} else {
			fibril_usleep(10000); /* out of descriptors: let some close */
		}
	}
	close(l);
	return CMD_EXIT_ERROR;
}
