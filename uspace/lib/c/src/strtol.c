/*
 * String to integer conversion with C semantics: leading white space, an
 * optional sign, a 0x/0X prefix for base 16 (and base 0), a leading 0 meaning
 * octal for base 0; *end after the last digit used (or at the start when
 * there is none); out-of-range values saturate with errno = ERANGE; a bad
 * base gives 0 with errno = EINVAL. Also built on the host and compared with
 * the host C library (test/host/stdlib_test.c).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

/** The value of digit @a c in bases up to 36, or 36 for a non-digit. */
static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;
}

/** Parses the magnitude of @a s; sets @a neg for a minus sign and
 *  @a overflow when the digits exceed ULLONG_MAX. */
static unsigned long long parse(
    const char *s, char **end, int base, bool *neg, bool *overflow)
{
	const char *p = s;
	*neg = false;
	*overflow = false;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end != NULL)
			*end = (char *) s;
		return 0;
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	const char *digits = p;
	unsigned long long value = 0;
	for (int d; (d = digit_value(*p)) < base; p++) {
		if (value > (ULLONG_MAX - (unsigned) d) / (unsigned) base)
			*overflow = true;
		else
			value = value * (unsigned) base + (unsigned) d;
	}
	if (end != NULL)
		*end = (char *) (p == digits ? s : p);
	return value;
}

/** Clamps to [@a min, @a max]: ERANGE when the value does not fit. */
static long long to_signed(
    unsigned long long v, bool neg, bool overflow, long long min, long long max)
{
	unsigned long long limit = neg ? (unsigned long long) -(min + 1) + 1
				       : (unsigned long long) max;
	if (overflow || v > limit) {
		errno = ERANGE;
		return neg ? min : max;
	}
	return neg ? -(long long) (v - 1) - 1 : (long long) v;
}

/** C's unsigned rule: a minus sign negates in the result type. */
static unsigned long long to_unsigned(
    unsigned long long v, bool neg, bool overflow, unsigned long long max)
{
	if (overflow || v > max) {
		errno = ERANGE;
		return max;
	}
	return neg ? (0 - v) & max : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	bool neg, overflow;
	unsigned long long v = parse(s, end, base, &neg, &overflow);
	return (long) to_signed(v, neg, overflow, LONG_MIN, LONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	bool neg, overflow;
	unsigned long long v = parse(s, end, base, &neg, &overflow);
	return to_signed(v, neg, overflow, LLONG_MIN, LLONG_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	bool neg, overflow;
	unsigned long long v = parse(s, end, base, &neg, &overflow);
	return (unsigned long) to_unsigned(v, neg, overflow, ULONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	bool neg, overflow;
	unsigned long long v = parse(s, end, base, &neg, &overflow);
	return to_unsigned(v, neg, overflow, ULLONG_MAX);
}
