/*
 * printf_core(): the one formatter behind every printf in the system. It keeps
 * no state between calls and allocates nothing, so it is safe in interrupt
 * context and in a panic.
 */
#include <common/printf_core.h>
#include <stdbool.h>
#include <stdint.h>

#define FLAG_LEFT   0x01 /* '-' */
#define FLAG_PLUS   0x02 /* '+' */
#define FLAG_SPACE  0x04 /* ' ' */
#define FLAG_ALT    0x08 /* '#' */
#define FLAG_ZERO   0x10 /* '0' */
#define FLAG_UPPER  0x20 /* %X */
#define FLAG_SIGNED 0x40 /* %d, %i */

typedef struct {
	int flags;
	int width;
	int precision; /* -1: none given */
	int length;    /* 'H' hh, 'h', 'l', 'L' ll/j, 'z', 't' */
} spec_t;

typedef struct {
	printf_write_t write;
	void *ctx;
	int count;
} out_t;

static void out_bytes(out_t *out, const char *buf, size_t len)
{
	if (len == 0)
		return;
	out->write(out->ctx, buf, len);
	out->count += (int) len;
}

static void out_repeat(out_t *out, char c, int n)
{
	char pad[16];
	for (int i = 0; i < (int) sizeof(pad); i++)
		pad[i] = c;
	while (n > 0) {
		int chunk = n < (int) sizeof(pad) ? n : (int) sizeof(pad);
		out_bytes(out, pad, (size_t) chunk);
		n -= chunk;
	}
}

/** Emits @a body of @a len bytes with a @a prefix, honouring width and flags. */
static void out_field(out_t *out, const spec_t *spec, const char *prefix,
    const char *body, int len, int zeros)
{
	int plen = 0;
	while (prefix[plen] != '\0')
		plen++;
	int pad = spec->width - plen - zeros - len;
	if (!(spec->flags & FLAG_LEFT))
		out_repeat(out, ' ', pad);
	out_bytes(out, prefix, (size_t) plen);
	out_repeat(out, '0', zeros);
	out_bytes(out, body, (size_t) len);
	if (spec->flags & FLAG_LEFT)
		out_repeat(out, ' ', pad);
}

static void format_string(out_t *out, const spec_t *spec, const char *s)
{
	if (s == NULL)
		s = "(null)";
	int len = 0;
	while (s[len] != '\0' && (spec->precision < 0 || len < spec->precision))
		len++;
	out_field(out, spec, "", s, len, 0);
}

static void format_number(
    out_t *out, const spec_t *spec, uintmax_t value, bool negative, unsigned base)
{
	const char *digits = (spec->flags & FLAG_UPPER) ? "0123456789ABCDEF"
							: "0123456789abcdef";
	char buf[24];
	int len = 0;
	uintmax_t v = value;
	while (v != 0) {
		buf[sizeof(buf) - 1 - len++] = digits[v % base];
		v /= base;
	}
	/* A zero is printed unless precision is explicitly 0. */
	if (value == 0 && spec->precision != 0)
		buf[sizeof(buf) - 1 - len++] = '0';

	const char *prefix = "";
	if (negative)
		prefix = "-";
	else if ((spec->flags & (FLAG_PLUS | FLAG_SIGNED)) == (FLAG_PLUS | FLAG_SIGNED))
		prefix = "+";
	else if ((spec->flags & (FLAG_SPACE | FLAG_SIGNED)) == (FLAG_SPACE | FLAG_SIGNED))
		prefix = " ";
	else if ((spec->flags & FLAG_ALT) && value != 0 && base == 16)
		prefix = (spec->flags & FLAG_UPPER) ? "0X" : "0x";
	else if ((spec->flags & FLAG_ALT) && base == 8 && spec->precision <= len &&
	    (len == 0 || buf[sizeof(buf) - len] != '0'))
		prefix = "0";

	int zeros = 0;
	if (spec->precision > len) {
		zeros = spec->precision - len;
	} else if ((spec->flags & FLAG_ZERO) && !(spec->flags & FLAG_LEFT) &&
	    spec->precision < 0) {
		int plen = 0;
		while (prefix[plen] != '\0')
			plen++;
		if (spec->width > plen + len)
			zeros = spec->width - plen - len;
	}
	out_field(out, spec, prefix, buf + sizeof(buf) - len, len, zeros);
}

static uintmax_t fetch_unsigned(const spec_t *spec, va_list *ap)
{
	switch (spec->length) {
	case 'H':
		return (unsigned char) va_arg(*ap, unsigned int);
	case 'h':
		return (unsigned short) va_arg(*ap, unsigned int);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	case 'z':
		return va_arg(*ap, size_t);
	case 't':
		return (uintmax_t) va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static intmax_t fetch_signed(const spec_t *spec, va_list *ap)
{
	switch (spec->length) {
	case 'H':
		return (signed char) va_arg(*ap, int);
	case 'h':
		return (short) va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	case 'z':
		return (intmax_t) va_arg(*ap, size_t);
	case 't':
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

/** Parses flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *p, spec_t *spec, va_list *ap)
{
	spec->flags = 0;
	spec->width = 0;
	spec->precision = -1;
	spec->length = 0;
	for (;; p++) {
		if (*p == '-')
			spec->flags |= FLAG_LEFT;
		else if (*p == '+')
			spec->flags |= FLAG_PLUS;
		else if (*p == ' ')
			spec->flags |= FLAG_SPACE;
		else if (*p == '#')
			spec->flags |= FLAG_ALT;
		else if (*p == '0')
			spec->flags |= FLAG_ZERO;
		else
			break;
	}
	if (*p == '*') {
		spec->width = va_arg(*ap, int);
		if (spec->width < 0) {
			spec->flags |= FLAG_LEFT;
			spec->width = -spec->width;
		}
		p++;
	}
	while (*p >= '0' && *p <= '9')
		spec->width = spec->width * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		spec->precision = 0;
		if (*p == '*') {
			spec->precision = va_arg(*ap, int);
			if (spec->precision < 0)
				spec->precision = -1;
			p++;
		}
		while (*p >= '0' && *p <= '9')
			spec->precision = spec->precision * 10 + (*p++ - '0');
	}
	if (p[0] == 'h' && p[1] == 'h') {
		spec->length = 'H';
		p += 2;
	} else if (p[0] == 'l' && p[1] == 'l') {
		spec->length = 'L';
		p += 2;
	} else if (*p == 'j') {
		spec->length = 'L';
		p++;
	} else if (*p == 'h' || *p == 'l' || *p == 'z' || *p == 't') {
		spec->length = *p++;
	}
	return p;
}

static void format_one(out_t *out, spec_t *spec, char conv, va_list *ap)
{
	char c;
	intmax_t sv;

	switch (conv) {
	case 'd':
	case 'i':
		sv = fetch_signed(spec, ap);
		spec->flags |= FLAG_SIGNED;
		format_number(
		    out, spec, sv < 0 ? -(uintmax_t) sv : (uintmax_t) sv, sv < 0, 10);
		break;
	case 'u':
		format_number(out, spec, fetch_unsigned(spec, ap), false, 10);
		break;
	case 'o':
		format_number(out, spec, fetch_unsigned(spec, ap), false, 8);
		break;
	case 'X':
		spec->flags |= FLAG_UPPER;
		/* fall through */
	case 'x':
		format_number(out, spec, fetch_unsigned(spec, ap), false, 16);
		break;
	case 'p':
		spec->flags |= FLAG_ALT;
		spec->length = 'l';
		format_number(out, spec, (uintptr_t) va_arg(*ap, void *), false, 16);
		break;
	case 'c':
		c = (char) va_arg(*ap, int);
		out_field(out, spec, "", &c, 1, 0);
		break;
	case 's':
		format_string(out, spec, va_arg(*ap, const char *));
		break;
	case '%':
		out_bytes(out, "%", 1);
		break;
	default:
		/* Unknown conversion: print it verbatim so the mistake is visible. */
		out_bytes(out, "%", 1);
		out_bytes(out, &conv, 1);
		break;
	}
}

int printf_core(const char *fmt, va_list ap, printf_write_t write, void *ctx)
{
	out_t out = {.write = write, .ctx = ctx, .count = 0};
	va_list args;
	va_copy(args, ap);

	const char *p = fmt;
	while (*p != '\0') {
		const char *run = p;
		while (*p != '\0' && *p != '%')
			p++;
		out_bytes(&out, run, (size_t) (p - run));
		if (*p == '\0')
			break;
		spec_t spec;
		p = parse_spec(p + 1, &spec, &args);
		if (*p == '\0')
			break;
		format_one(&out, &spec, *p++, &args);
	}
	va_end(args);
	return out.count;
}

typedef struct {
	char *buf;
	size_t size;
	size_t pos;
} strbuf_t;

static void strbuf_write(void *ctx, const char *data, size_t len)
{
	strbuf_t *sb = ctx;
	for (size_t i = 0; i < len; i++, sb->pos++) {
		if (sb->pos + 1 < sb->size)
			sb->buf[sb->pos] = data[i];
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	strbuf_t sb = {.buf = buf, .size = size, .pos = 0};
	int n = printf_core(fmt, ap, strbuf_write, &sb);
	if (size > 0)
		buf[sb.pos < size ? sb.pos : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
