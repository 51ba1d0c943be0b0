/*
 * HTTP/1.x requests as RFC 9112 has them, parsed from a buffer (websrv's
 * requests; pure code, host-tested): the request line, the header fields a
 * static file server needs (Host, Connection, Content-Length,
 * Transfer-Encoding) and the target, percent-decoded and normalised so
 * that it can never name a file above the served directory. One call takes
 * one request off the front of the buffer, so pipelined requests are
 * parsed one after the other. Responses: the status line and header block.
 */
#ifndef NET_HTTP_H
#define NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HEAD_MAX	8192  /* request line and header fields together */
#define HTTP_TARGET_MAX 1024  /* the request target (else 414) */
#define HTTP_FIELDS_MAX 64    /* header fields (else 431) */
#define HTTP_BODY_MAX	65536 /* a request body websrv reads past (else 413) */

typedef enum {
	HTTP_GET,
	HTTP_HEAD,
} http_method_t;

typedef struct {
	http_method_t method;
	unsigned minor;			/* HTTP/1.minor: 0 or 1 */
	bool keep_alive;		/* the connection stays open after the answer */
	size_t body_len;		/* Content-Length bytes after the head */
	char path[HTTP_TARGET_MAX + 1]; /* decoded, "/" first, no "." or ".." */
} http_request_t;

/** What http_request_parse found at the front of a buffer. */
typedef enum {
	HTTP_PARSE_MORE, /* no whole head yet: read more (the head is short enough) */
	HTTP_PARSE_DONE, /* a request, in *req; its head took *used bytes */
	HTTP_PARSE_ERROR /* a bad request: answer *status and close */
} http_parse_t;

/** Parses the request at the front of the @a len bytes of @a buf. DONE:
 *  *@a req filled, *@a used the head's length (the body of req->body_len
 *  bytes follows). ERROR: *@a status the answer (400 bad syntax, 413 body
 *  too long, 414 target too long, 431 head too long, 501 method or
 *  transfer coding not implemented, 505 version not supported). */
http_parse_t http_request_parse(
    const char *buf, size_t len, http_request_t *req, size_t *used, unsigned *status);

/** The reason phrase of @a status ("Not Found"); "Unknown" for others. */
const char *http_reason(unsigned status);
/** The media type of a file by the extension of @a path. */
const char *http_content_type(const char *path);
/** Writes a response head (status line, Content-Length, Content-Type,
 *  Connection, the empty line) into @a buf; its length, or 0 if it does
 *  not fit into @a size bytes. */
size_t http_response_head(char *buf, size_t size, unsigned status, uint64_t content_len,
    const char *content_type, bool keep_alive);

#endif
