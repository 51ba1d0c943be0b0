/*
 * HTTP/1.x request parsing and response heads (net/http.h). The parser
 * walks the head line by line without copying it; only the target is
 * decoded, into the request. Lines end with CRLF or a bare LF (RFC 9112
 * 2.2 lets a recipient take both); a CR anywhere else is refused.
 */
#include <net/http.h>
#include <stdio.h>
#include <string.h>

/* One line of the head: [start, start + len), the next at next. */
typedef struct {
	const char *start;
	size_t len;
	size_t next;
} http_line_t;

/* What the header fields said. */
typedef struct {
	unsigned hosts;
	bool close, keep_alive, has_length;
	size_t length;
} http_fields_t;

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

/** Do the @a len bytes at @a s equal @a word, ignoring ASCII case? */
static bool equal_nocase(const char *s, size_t len, const char *word)
{
	if (strlen(word) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (lower(s[i]) != word[i])
			return false;
	}
	return true;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/** The line at @a pos of @a buf; false when no LF ends it yet, or (with
 *  *@a bad) when it holds a CR before its end. */
static bool line_at(const char *buf, size_t len, size_t pos, http_line_t *line, bool *bad)
{
	const char *lf = memchr(buf + pos, '\n', len - pos);
	if (lf == NULL)
		return false;
	line->start = buf + pos;
	line->len = (size_t) (lf - line->start);
	line->next = (size_t) (lf - buf) + 1;
	if (line->len > 0 && line->start[line->len - 1] == '\r')
		line->len--;
	*bad = memchr(line->start, '\r', line->len) != NULL;
	return true;
}

/* The target */

/** Appends segment [@a seg, @a seg + @a n) of a decoded path to @a out
 *  (length *@a olen): "." is dropped, ".." removes the last segment. */
static bool path_push(char *out, size_t *olen, const char *seg, size_t n)
{
	if (n == 0 || (n == 1 && seg[0] == '.'))
		return true;
	if (n == 2 && seg[0] == '.' && seg[1] == '.') {
		if (*olen == 0)
			return false; /* above the root */
		while (*olen > 0 && out[*olen - 1] != '/')
			(*olen)--;
		(*olen)--; /* the '/' before the segment */
		return true;
	}
	out[(*olen)++] = '/';
	memcpy(out + *olen, seg, n);
	*olen += n;
	return true;
}

/** Percent-decodes the @a n bytes of @a s into @a out (at least @a n + 1
 *  bytes); false for a bad escape, a NUL or a control character. */
static bool percent_decode(const char *s, size_t n, char *out, size_t *olen)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
			int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
			if (lo < 0)
				return false;
			c = (char) (hi * 16 + lo);
			i += 2;
		}
		if ((unsigned char) c < 0x20 || c == 0x7f)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	*olen = o;
	return true;
}

/** The path of target [@a t, @a t + @a n) into @a req->path; 0 or a status. */
static unsigned target_parse(const char *t, size_t n, http_request_t *req)
{
	if (n > HTTP_TARGET_MAX)
		return 414;
	if (n >= 7 && equal_nocase(t, 7, "http://")) {
		const char *slash = memchr(t + 7, '/', n - 7);
		size_t skip = slash != NULL ? (size_t) (slash - t) : n;
		t += skip;
		n -= skip;
		if (n == 0)
			t = "/", n = 1;
	}
	if (n == 0 || t[0] != '/')
		return 400;
	const char *end = t;
	while (end < t + n && *end != '?' && *end != '#')
		end++;
	char decoded[HTTP_TARGET_MAX + 1];
	size_t dlen;
	if (!percent_decode(t, (size_t) (end - t), decoded, &dlen))
		return 400;
	size_t olen = 0;
	for (size_t i = 0; i < dlen;) {
		size_t j = i;
		while (j < dlen && decoded[j] != '/')
			j++;
		if (!path_push(req->path, &olen, decoded + i, j - i))
			return 400;
		i = j + 1;
	}
	if (olen == 0 || decoded[dlen - 1] == '/')
		req->path[olen++] = '/';
	req->path[olen] = '\0';
	return 0;
}

/* The request line */

/** "HTTP/1.x": 0 with the minor version, 505 for another major, 400 else. */
static unsigned version_parse(const char *v, size_t n, unsigned *minor)
{
	if (n != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' || v[5] < '0' ||
	    v[5] > '9' || v[7] < '0' || v[7] > '9')
		return 400;
	if (v[5] != '1')
		return 505;
	*minor = v[7] == '0' ? 0 : 1; /* 1.2 and later are 1.1 (RFC 9110 6.2) */
	return 0;
}

/** METHOD SP TARGET SP VERSION; 0 or the status to answer. */
static unsigned request_line_parse(const http_line_t *line, http_request_t *req)
{
	const char *s = line->start, *end = s + line->len;
	const char *sp1 = memchr(s, ' ', line->len);
	const char *sp2 = sp1 != NULL ? memchr(sp1 + 1, ' ', (size_t) (end - sp1 - 1))
				      : NULL;
	if (sp1 == NULL || sp2 == NULL || sp1 == s || sp2 == sp1 + 1 ||
	    memchr(sp2 + 1, ' ', (size_t) (end - sp2 - 1)) != NULL)
		return 400;
	for (const char *c = s; c < sp1; c++) {
		if (!is_tchar(*c))
			return 400;
	}
	unsigned status = version_parse(sp2 + 1, (size_t) (end - sp2 - 1), &req->minor);
	if (status == 0)
		status = target_parse(sp1 + 1, (size_t) (sp2 - sp1 - 1), req);
	if (status != 0)
		return status;
	size_t mlen = (size_t) (sp1 - s);
	if (mlen == 3 && memcmp(s, "GET", 3) == 0)
		req->method = HTTP_GET;
	else if (mlen == 4 && memcmp(s, "HEAD", 4) == 0)
		req->method = HTTP_HEAD;
	else
		return 501;
	return 0;
}

/* Header fields */

/** The comma-separated options of a Connection field. */
static void connection_parse(const char *v, size_t n, http_fields_t *f)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && v[j] != ',')
			j++;
		size_t a = i, b = j;
		while (a < b && (v[a] == ' ' || v[a] == '\t'))
			a++;
		while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
			b--;
		if (equal_nocase(v + a, b - a, "close"))
			f->close = true;
		else if (equal_nocase(v + a, b - a, "keep-alive"))
			f->keep_alive = true;
		i = j + 1;
	}
}

/** A Content-Length value; 0 or the status (several must agree). */
static unsigned length_parse(const char *v, size_t n, http_fields_t *f)
{
	if (n == 0 || n > 10)
		return n == 0 ? 400 : 413;
	size_t value = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 400;
		value = value * 10 + (size_t) (v[i] - '0');
	}
	if (f->has_length && f->length != value)
		return 400;
	f->has_length = true;
	f->length = value;
	return value > HTTP_BODY_MAX ? 413 : 0;
}

/** One "name: value" line; 0 or the status to answer. */
static unsigned field_parse(const http_line_t *line, http_fields_t *f)
{
	const char *s = line->start;
	const char *colon = memchr(s, ':', line->len);
	if (colon == NULL || colon == s)
		return 400;
	for (const char *c = s; c < colon; c++) {
		if (!is_tchar(*c))
			return 400; /* also a space before the colon (RFC 9112 5.1) */
	}
	const char *v = colon + 1, *end = s + line->len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (const char *c = v; c < end; c++) {
		if (((unsigned char) *c < 0x20 && *c != '\t') || *c == 0x7f)
			return 400;
	}
	size_t nlen = (size_t) (colon - s), vlen = (size_t) (end - v);
	if (equal_nocase(s, nlen, "host"))
		f->hosts++;
	else if (equal_nocase(s, nlen, "connection"))
		connection_parse(v, vlen, f);
	else if (equal_nocase(s, nlen, "content-length"))
		return length_parse(v, vlen, f);
	else if (equal_nocase(s, nlen, "transfer-encoding"))
		return 501;
	return 0;
}

/** The fields from @a pos to the empty line; DONE with *@a used, MORE, or
 *  ERROR with *@a status. */
static http_parse_t fields_parse(const char *buf, size_t len, size_t pos,
    http_fields_t *f, size_t *used, unsigned *status)
{
	http_line_t line;
	bool bad;
	for (unsigned count = 0; line_at(buf, len, pos, &line, &bad); count++) {
		if (bad ||
		    (line.len > 0 && (line.start[0] == ' ' || line.start[0] == '\t')))
			*status = 400; /* a stray CR, or obsolete line folding */
		else if (line.len == 0) {
			*used = line.next;
			return HTTP_PARSE_DONE;
		} else if (count == HTTP_FIELDS_MAX)
			*status = 431;
		else
			*status = field_parse(&line, f);
		if (*status != 0)
			return HTTP_PARSE_ERROR;
		pos = line.next;
	}
	return HTTP_PARSE_MORE;
}

/* The request */

/** The request line after any empty lines (RFC 9112 2.2); MORE if none. */
static http_parse_t request_line_find(
    const char *buf, size_t len, http_line_t *line, unsigned *status)
{
	size_t pos = 0;
	bool bad;
	while (line_at(buf, len, pos, line, &bad)) {
		if (bad) {
			*status = 400;
			return HTTP_PARSE_ERROR;
		}
		if (line->len > 0)
			return HTTP_PARSE_DONE;
		pos = line->next;
	}
	/* A line still open: too long already? */
	if (len - pos > HTTP_TARGET_MAX + 32) {
		*status = 414;
		return HTTP_PARSE_ERROR;
	}
	return HTTP_PARSE_MORE;
}

http_parse_t http_request_parse(
    const char *buf, size_t len, http_request_t *req, size_t *used, unsigned *status)
{
	*status = 0;
	*used = 0;
	size_t scan = len > HTTP_HEAD_MAX ? HTTP_HEAD_MAX : len;
	http_line_t line;
	http_parse_t r = request_line_find(buf, scan, &line, status);
	if (r == HTTP_PARSE_DONE) {
		*status = request_line_parse(&line, req);
		if (*status != 0)
			return HTTP_PARSE_ERROR;
		http_fields_t f = {0};
		r = fields_parse(buf, scan, line.next, &f, used, status);
		if (r == HTTP_PARSE_DONE && req->minor == 1 && f.hosts != 1) {
			*status =
			    400; /* HTTP/1.1 needs exactly one Host (RFC 9112 3.2) */
			r = HTTP_PARSE_ERROR;
		}
		req->keep_alive = !f.close && (req->minor == 1 || f.keep_alive);
		req->body_len = f.length;
	}
	if (r == HTTP_PARSE_MORE && scan == HTTP_HEAD_MAX) {
		*status = 431; /* no end of the head within its limit */
		r = HTTP_PARSE_ERROR;
	}
	return r;
}

/* Responses */

const char *http_reason(unsigned status)
{
	static const struct {
		unsigned status;
		const char *reason;
	} reasons[] = {
	    {200, "OK"},
	    {400, "Bad Request"},
	    {404, "Not Found"},
	    {408, "Request Timeout"},
	    {413, "Content Too Large"},
	    {414, "URI Too Long"},
	    {431, "Request Header Fields Too Large"},
	    {500, "Internal Server Error"},
	    {501, "Not Implemented"},
	    {503, "Service Unavailable"},
	    {505, "HTTP Version Not Supported"},
	};
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (reasons[i].status == status)
			return reasons[i].reason;
	}
	return "Unknown";
}

const char *http_content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".html", "text/html"},
	    {".htm", "text/html"},
	    {".txt", "text/plain"},
	    {".css", "text/css"},
	    {".js", "text/javascript"},
	    {".json", "application/json"},
	    {".png", "image/png"},
	    {".jpg", "image/jpeg"},
	    {".gif", "image/gif"},
	    {".svg", "image/svg+xml"},
	};
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot != NULL && (slash == NULL || dot > slash)) {
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			if (equal_nocase(dot, strlen(dot), types[i].ext))
				return types[i].type;
		}
	}
	return "application/octet-stream";
}

size_t http_response_head(char *buf, size_t size, unsigned status, uint64_t content_len,
    const char *content_type, bool keep_alive)
{
	int n = snprintf(buf, size,
	    "HTTP/1.1 %u %s\r\n"
	    "Server: websrv\r\n"
	    "Content-Length: %llu\r\n"
	    "Content-Type: %s\r\n"
	    "Connection: %s\r\n"
	    "\r\n",
	    status, http_reason(status), (unsigned long long) content_len, content_type,
	    keep_alive ? "keep-alive" : "close");
	return n < 0 || (size_t) n >= size ? 0 : (size_t) n;
}
