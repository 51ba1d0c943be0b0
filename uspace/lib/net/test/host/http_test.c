/*
 * HTTP request parsing (uspace/lib/net/src/http.c): good requests taken
 * apart right, pipelined ones one after the other, and every malformed,
 * overlong or unsupported one answered with its status.
 */
#if __STDC_HOSTED__ /* not built into the library: see host.mk */
#include "host_test.h"
#include <net/http.h>
#include <stdlib.h>
#include <string.h>

/** Parses @a text; the verdict, with the status of an error in *@a status. */
static http_parse_t parse(
    const char *text, http_request_t *req, size_t *used, unsigned *status)
{
	return http_request_parse(text, strlen(text), req, used, status);
}

/** The status a request @a text is answered with (0 for a good one). */
static unsigned status_of(const char *text)
{
	http_request_t req;
	size_t used;
	unsigned status;
	http_parse_t r = parse(text, &req, &used, &status);
	return r == HTTP_PARSE_DONE ? 0 : r == HTTP_PARSE_MORE ? 1 : status;
}

/** The decoded path of GET @a target, or NULL if refused. */
static const char *path_of(const char *target)
{
	static http_request_t req;
	char text[2048];
	snprintf(text, sizeof(text), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", target);
	size_t used;
	unsigned status;
	return parse(text, &req, &used, &status) == HTTP_PARSE_DONE ? req.path : NULL;
}

HOST_TEST(a_get_request_is_taken_apart)
{
	const char *text = "GET /index.html HTTP/1.1\r\nHost: localhost\r\n"
			   "User-Agent: test\r\nAccept: */*\r\n\r\n";
	http_request_t req;
	size_t used;
	unsigned status;
	CHECK_EQ(parse(text, &req, &used, &status), HTTP_PARSE_DONE);
	CHECK_EQ(used, strlen(text));
	CHECK_EQ(req.method, HTTP_GET);
	CHECK_EQ(req.minor, 1);
	CHECK(req.keep_alive);
	CHECK_EQ(req.body_len, 0);
	CHECK(strcmp(req.path, "/index.html") == 0);
}

HOST_TEST(head_and_http_1_0_and_connection_options)
{
	http_request_t req;
	size_t used;
	unsigned status;
	CHECK_EQ(parse("HEAD / HTTP/1.0\r\n\r\n", &req, &used, &status), HTTP_PARSE_DONE);
	CHECK_EQ(req.method, HTTP_HEAD);
	CHECK(!req.keep_alive); /* 1.0 closes unless asked */
	CHECK_EQ(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &req, &used,
		     &status),
	    HTTP_PARSE_DONE);
	CHECK(req.keep_alive);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n",
		     &req, &used, &status),
	    HTTP_PARSE_DONE);
	CHECK(!req.keep_alive);
	CHECK_EQ(parse("GET / HTTP/1.2\r\nHost: a\r\n\r\n", &req, &used, &status),
	    HTTP_PARSE_DONE);
	CHECK_EQ(req.minor, 1);
}

HOST_TEST(bare_lf_line_ends_and_leading_empty_lines_are_taken)
{
	CHECK_EQ(status_of("GET / HTTP/1.1\nHost: a\n\n"), 0);
	CHECK_EQ(status_of("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
}

HOST_TEST(pipelined_requests_are_parsed_one_after_the_other)
{
	const char *text = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
			   "HEAD /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"
			   "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
			   "GET /d HT";
	size_t len = strlen(text), pos = 0;
	const char *paths[] = {"/a", "/b", "/c"};
	for (int i = 0; i < 3; i++) {
		http_request_t req;
		size_t used;
		unsigned status;
		CHECK_EQ(http_request_parse(text + pos, len - pos, &req, &used, &status),
		    HTTP_PARSE_DONE);
		CHECK(strcmp(req.path, paths[i]) == 0);
		CHECK_EQ(req.keep_alive, i != 2);
		pos += used + req.body_len;
	}
	http_request_t req;
	size_t used;
	unsigned status;
	CHECK_EQ(http_request_parse(text + pos, len - pos, &req, &used, &status),
	    HTTP_PARSE_MORE);
}

HOST_TEST(a_head_in_pieces_needs_more_until_its_empty_line)
{
	const char *text = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
	size_t len = strlen(text);
	for (size_t n = 0; n < len; n++) {
		http_request_t req;
		size_t used;
		unsigned status;
		CHECK_EQ(
		    http_request_parse(text, n, &req, &used, &status), HTTP_PARSE_MORE);
	}
}

HOST_TEST(targets_are_decoded_and_cannot_leave_the_root)
{
	CHECK(strcmp(path_of("/"), "/") == 0);
	CHECK(strcmp(path_of("/a/./b/../c.txt"), "/a/c.txt") == 0);
	CHECK(strcmp(path_of("//a///b/"), "/a/b/") == 0);
	CHECK(strcmp(path_of("/sp%20ace?q=1#f"), "/sp ace") == 0);
	CHECK(strcmp(path_of("http://host:80/x/y"), "/x/y") == 0);
	CHECK(strcmp(path_of("http://host"), "/") == 0);
	CHECK(strcmp(path_of("/a/.."), "/") == 0);
	CHECK(path_of("/..") == NULL);
	CHECK(path_of("/a/../../etc") == NULL);
	CHECK(path_of("/%2e%2e/x") == NULL); /* decoded before it is normalised */
	CHECK(path_of("/..%2fx") == NULL);
	CHECK(path_of("/%00") == NULL);
	CHECK(path_of("/%0a") == NULL);
	CHECK(path_of("/%g1") == NULL);
	CHECK(path_of("/%4") == NULL);
	CHECK(path_of("x") == NULL);
	CHECK(path_of("*") == NULL);
}

HOST_TEST(malformed_request_lines_are_400)
{
	const char *bad[] = {
	    "GET\r\n\r\n",
	    "GET /\r\n\r\n",
	    "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
	    "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
	    "GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n",
	    " GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	    "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",
	    "GET / HTTP/1\r\nHost: a\r\n\r\n",
	    "GET / http/1.1\r\nHost: a\r\n\r\n",
	    "GET / HTTP/1.x\r\nHost: a\r\n\r\n",
	    "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(status_of(bad[i]), 400);
}

HOST_TEST(malformed_fields_are_400)
{
	const char *bad[] = {
	    "GET / HTTP/1.1\r\n\r\n",			    /* no Host */
	    "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", /* two */
	    "GET / HTTP/1.1\r\nHost : a\r\n\r\n",	    /* space before the colon */
	    "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(status_of(bad[i]), 400);
}

HOST_TEST(unsupported_methods_versions_and_codings_get_their_status)
{
	CHECK_EQ(status_of("POST / HTTP/1.1\r\nHost: a\r\n\r\n"), 501);
	CHECK_EQ(status_of("get / HTTP/1.1\r\nHost: a\r\n\r\n"), 501);
	CHECK_EQ(status_of("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505);
	CHECK_EQ(status_of("GET / HTTP/0.9\r\nHost: a\r\n\r\n"), 505);
	CHECK_EQ(
	    status_of("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"),
	    501);
	CHECK_EQ(
	    status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n"), 413);
	CHECK_EQ(
	    status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n"),
	    413);
}

HOST_TEST(overlong_lines_and_heads_are_refused_not_waited_for)
{
	size_t big = HTTP_HEAD_MAX * 2;
	char *text = malloc(big + 64);
	CHECK(text != NULL);
	/* A request line that never ends: 414 once it passes the target limit. */
	strcpy(text, "GET /");
	memset(text + 5, 'a', big - 5);
	text[big] = '\0';
	CHECK_EQ(status_of(text), 414);
	/* A target over the limit on a complete line. */
	memset(text, 0, big + 64);
	strcpy(text, "GET /");
	memset(text + 5, 'a', HTTP_TARGET_MAX + 1);
	strcat(text, " HTTP/1.1\r\nHost: a\r\n\r\n");
	CHECK_EQ(status_of(text), 414);
	/* Fields that never end: 431 at HTTP_HEAD_MAX. */
	memset(text, 0, big + 64);
	strcpy(text, "GET / HTTP/1.1\r\nHost: a\r\n");
	size_t n = strlen(text);
	while (n + 8 < big) {
		memcpy(text + n, "X: 123\r\n", 8);
		n += 8;
	}
	text[n] = '\0';
	CHECK_EQ(status_of(text), 431);
	/* Too many fields within the limit. */
	memset(text, 0, big + 64);
	strcpy(text, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (int i = 0; i < HTTP_FIELDS_MAX; i++)
		strcat(text, "X: 1\r\n");
	strcat(text, "\r\n");
	CHECK_EQ(status_of(text), 431);
	free(text);
}

HOST_TEST(random_bytes_never_crash_the_parser)
{
	unsigned seed = 1;
	char buf[512];
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t) (round % 512);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			/* Mostly request-like bytes, so the parser gets deep. */
			const char *alphabet = "GET /HTP1.\r\n:%2e0aHost ";
			buf[i] = (seed >> 16) % 4 == 0 ? (char) (seed >> 8)
						       : alphabet[(seed >> 16) % 24];
		}
		http_request_t req;
		size_t used;
		unsigned status;
		http_parse_t r = http_request_parse(buf, len, &req, &used, &status);
		CHECK(r != HTTP_PARSE_DONE || (used <= len && req.path[0] == '/'));
		CHECK(r != HTTP_PARSE_ERROR || status >= 400);
	}
}

HOST_TEST(response_heads_carry_length_type_and_connection)
{
	char buf[256];
	size_t n = http_response_head(buf, sizeof(buf), 404, 12, "text/html", false);
	CHECK(n > 0 && n == strlen(buf));
	CHECK(strncmp(buf, "HTTP/1.1 404 Not Found\r\n", 24) == 0);
	CHECK(strstr(buf, "\r\nContent-Length: 12\r\n") != NULL);
	CHECK(strstr(buf, "\r\nConnection: close\r\n\r\n") != NULL);
	CHECK_EQ(http_response_head(buf, 20, 200, 1, "text/plain", true), 0);
	CHECK(strcmp(http_content_type("/a/index.HTML"), "text/html") == 0);
	CHECK(strcmp(http_content_type("/a.b/noext"), "application/octet-stream") == 0);
}
#endif
