/*
 * The kernel's UndefinedBehaviorSanitizer runtime (CONFIG_UBSAN): the
 * __ubsan_handle_* functions that code built with -fsanitize=undefined calls
 * when a check fails. Each prints one line
 *   UBSan: <kind> at <file>:<line>:<col>: <detail>
 * through panic(), which adds a backtrace and stops the system; nothing
 * recovers. The structures below are the compiler's ABI (shared by GCC and
 * Clang). This file is built with -fno-sanitize=all (kernel/kernel.mk) so that
 * a handler cannot trigger a check itself. No state: a second report while the
 * first is printing halts inside panic().
 */
#ifdef CONFIG_UBSAN

#include <panic.h>
#include <printf.h>

typedef struct {
	const char *file; /* NULL when the compiler had no location */
	uint32_t line;
	uint32_t column;
} ubsan_loc_t;

/** A type as the compiler describes it. For integers (kind 0), info holds
 *  log2(bit width) << 1 | signed; name is quoted by the compiler ("'int'"). */
typedef struct {
	uint16_t kind;
	uint16_t info;
	char name[];
} ubsan_type_t;

#define UBSAN_TYPE_INTEGER 0

/** An operand: integers up to 64 bits by value, wider ones by address. */
typedef uintptr_t ubsan_value_t;

typedef struct {
	ubsan_loc_t loc;
} ubsan_site_t;

/* Overflow, division, VLA bound and invalid value checks: one operand type. */
typedef struct {
	ubsan_loc_t loc;
	const ubsan_type_t *type;
} ubsan_typed_t;

typedef struct {
	ubsan_loc_t loc;
	const ubsan_type_t *type;
	uint8_t log_alignment;
	uint8_t check_kind; /* index into check_kind_names */
} ubsan_type_mismatch_t;

typedef struct {
	ubsan_loc_t loc;
	const ubsan_type_t *lhs_type;
	const ubsan_type_t *rhs_type;
} ubsan_shift_t;

typedef struct {
	ubsan_loc_t loc;
	const ubsan_type_t *array_type;
	const ubsan_type_t *index_type;
} ubsan_out_of_bounds_t;

typedef struct {
	ubsan_loc_t loc;
	ubsan_loc_t attr_loc;
	int arg_index; /* 1-based */
} ubsan_nonnull_arg_t;

typedef struct {
	ubsan_loc_t loc;
	uint8_t kind; /* 0: ctz, 1: clz */
} ubsan_invalid_builtin_t;

/* Entry points; only compiler-generated code calls them, hence no header. */
void __ubsan_handle_type_mismatch_v1(ubsan_type_mismatch_t *d, ubsan_value_t ptr);
void __ubsan_handle_add_overflow(ubsan_typed_t *d, ubsan_value_t lhs, ubsan_value_t rhs);
void __ubsan_handle_sub_overflow(ubsan_typed_t *d, ubsan_value_t lhs, ubsan_value_t rhs);
void __ubsan_handle_mul_overflow(ubsan_typed_t *d, ubsan_value_t lhs, ubsan_value_t rhs);
void __ubsan_handle_negate_overflow(ubsan_typed_t *d, ubsan_value_t old);
void __ubsan_handle_divrem_overflow(
    ubsan_typed_t *d, ubsan_value_t lhs, ubsan_value_t rhs);
void __ubsan_handle_shift_out_of_bounds(
    ubsan_shift_t *d, ubsan_value_t lhs, ubsan_value_t rhs);
void __ubsan_handle_out_of_bounds(ubsan_out_of_bounds_t *d, ubsan_value_t index);
void __ubsan_handle_builtin_unreachable(ubsan_site_t *d);
void __ubsan_handle_missing_return(ubsan_site_t *d);
void __ubsan_handle_vla_bound_not_positive(ubsan_typed_t *d, ubsan_value_t bound);
void __ubsan_handle_load_invalid_value(ubsan_typed_t *d, ubsan_value_t val);
void __ubsan_handle_nonnull_arg(ubsan_nonnull_arg_t *d);
void __ubsan_handle_nonnull_return_v1(ubsan_site_t *attr, ubsan_loc_t *loc);
void __ubsan_handle_pointer_overflow(
    ubsan_site_t *d, ubsan_value_t base, ubsan_value_t result);
void __ubsan_handle_invalid_builtin(ubsan_invalid_builtin_t *d);

/** Prints the report line (kind, location, formatted detail) and panics. */
static NORETURN PRINTF_LIKE(3, 4) void ubsan_report(
    const char *kind, const ubsan_loc_t *loc, const char *fmt, ...)
{
	char detail[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	panic("UBSan: %s at %s:%u:%u: %s", kind,
	    loc->file != NULL ? loc->file : "<unknown>", loc->line, loc->column, detail);
}

/* --- Integer operands ---------------------------------------------------- */

static bool int_is_signed(const ubsan_type_t *t)
{
	return (t->info & 1) != 0;
}

static unsigned int_bits(const ubsan_type_t *t)
{
	return 1u << (t->info >> 1);
}

/** Whether @a v is passed by address (wider than a pointer, e.g. __int128). */
static bool value_is_wide(const ubsan_type_t *t)
{
	return t->kind == UBSAN_TYPE_INTEGER && int_bits(t) > 64;
}

/** Signed operand of at most 64 bits, sign-extended from its width. */
static int64_t value_signed(const ubsan_type_t *t, ubsan_value_t v)
{
	unsigned extra = 64 - int_bits(t);
	return (int64_t) ((uint64_t) v << extra) >> extra;
}

static bool value_is_negative(const ubsan_type_t *t, ubsan_value_t v)
{
	if (t->kind != UBSAN_TYPE_INTEGER || !int_is_signed(t))
		return false;
	if (value_is_wide(t))
		return (int64_t) ((const uint64_t *) v)[1] < 0;
	return value_signed(t, v) < 0;
}

/** Whether non-negative integer @a v is at least @a n. */
static bool value_at_least(const ubsan_type_t *t, ubsan_value_t v, uint64_t n)
{
	if (value_is_wide(t)) {
		const uint64_t *w = (const uint64_t *) v;
		return w[1] != 0 || w[0] >= n;
	}
	return (uint64_t) v >= n;
}

/** An operand as text; wide integers in hex, non-integers by type only. */
typedef struct {
	char text[40];
} ubsan_text_t;

static ubsan_text_t value_text(const ubsan_type_t *t, ubsan_value_t v)
{
	ubsan_text_t s;
	if (t->kind != UBSAN_TYPE_INTEGER) {
		snprintf(s.text, sizeof(s.text), "<non-integer>");
	} else if (value_is_wide(t)) {
		const uint64_t *w = (const uint64_t *) v;
		snprintf(s.text, sizeof(s.text), "0x%016llx%016llx",
		    (unsigned long long) w[1], (unsigned long long) w[0]);
	} else if (int_is_signed(t)) {
		snprintf(s.text, sizeof(s.text), "%lld", (long long) value_signed(t, v));
	} else {
		snprintf(s.text, sizeof(s.text), "%llu", (unsigned long long) v);
	}
	return s;
}

/* --- Handlers ------------------------------------------------------------ */

static const char *const check_kind_names[] = {"load of", "store to",
    "reference binding to", "member access within", "member call on",
    "constructor call on", "downcast of", "downcast of", "upcast of",
    "cast to virtual base of", "_Nonnull binding to", "dynamic operation on"};

void __ubsan_handle_type_mismatch_v1(ubsan_type_mismatch_t *d, ubsan_value_t ptr)
{
	const char *what = d->check_kind < ARRAY_SIZE(check_kind_names)
	    ? check_kind_names[d->check_kind]
	    : "access to";
	unsigned long align = 1ul << d->log_alignment;
	if (ptr == 0)
		ubsan_report("null pointer dereference", &d->loc,
		    "%s null pointer of type %s", what, d->type->name);
	if ((ptr & (align - 1)) != 0)
		ubsan_report("misaligned access", &d->loc,
		    "%s address %p for type %s, which requires %lu-byte alignment", what,
		    (void *) ptr, d->type->name, align);
	ubsan_report("object size mismatch", &d->loc,
	    "%s address %p with insufficient space for an object of type %s", what,
	    (void *) ptr, d->type->name);
}

static NORETURN void report_overflow(
    ubsan_typed_t *d, ubsan_value_t lhs, const char *op, ubsan_value_t rhs)
{
	ubsan_report(int_is_signed(d->type) ? "signed integer overflow"
					    : "unsigned integer overflow",
	    &d->loc, "%s %s %s cannot be represented in type %s",
	    value_text(d->type, lhs).text, op, value_text(d->type, rhs).text,
	    d->type->name);
}

void __ubsan_handle_add_overflow(ubsan_typed_t *d, ubsan_value_t lhs, ubsan_value_t rhs)
{
	report_overflow(d, lhs, "+", rhs);
}

void __ubsan_handle_sub_overflow(ubsan_typed_t *d, ubsan_value_t lhs, ubsan_value_t rhs)
{
	report_overflow(d, lhs, "-", rhs);
}

void __ubsan_handle_mul_overflow(ubsan_typed_t *d, ubsan_value_t lhs, ubsan_value_t rhs)
{
	report_overflow(d, lhs, "*", rhs);
}

void __ubsan_handle_negate_overflow(ubsan_typed_t *d, ubsan_value_t old)
{
	ubsan_report("signed integer overflow", &d->loc,
	    "negation of %s cannot be represented in type %s",
	    value_text(d->type, old).text, d->type->name);
}

/** Division and remainder fail on a zero divisor or on MIN / -1. */
void __ubsan_handle_divrem_overflow(
    ubsan_typed_t *d, ubsan_value_t lhs, ubsan_value_t rhs)
{
	if (value_is_negative(d->type, rhs))
		ubsan_report("division overflow", &d->loc,
		    "division of %s by %s cannot be represented in type %s",
		    value_text(d->type, lhs).text, value_text(d->type, rhs).text,
		    d->type->name);
	ubsan_report("division by zero", &d->loc, "division of %s by zero",
	    value_text(d->type, lhs).text);
}

void __ubsan_handle_shift_out_of_bounds(
    ubsan_shift_t *d, ubsan_value_t lhs, ubsan_value_t rhs)
{
	const char *kind = "shift out of bounds";
	const ubsan_type_t *lt = d->lhs_type, *rt = d->rhs_type;
	if (value_is_negative(rt, rhs))
		ubsan_report(kind, &d->loc, "shift exponent %s is negative",
		    value_text(rt, rhs).text);
	if (value_at_least(rt, rhs, int_bits(lt)))
		ubsan_report(kind, &d->loc,
		    "shift exponent %s is too large for %u-bit type %s",
		    value_text(rt, rhs).text, int_bits(lt), lt->name);
	if (value_is_negative(lt, lhs))
		ubsan_report(kind, &d->loc, "left shift of negative value %s",
		    value_text(lt, lhs).text);
	ubsan_report(kind, &d->loc,
	    "left shift of %s by %s places cannot be represented in type %s",
	    value_text(lt, lhs).text, value_text(rt, rhs).text, lt->name);
}

void __ubsan_handle_out_of_bounds(ubsan_out_of_bounds_t *d, ubsan_value_t index)
{
	ubsan_report("array index out of bounds", &d->loc,
	    "index %s out of bounds for type %s", value_text(d->index_type, index).text,
	    d->array_type->name);
}

void __ubsan_handle_builtin_unreachable(ubsan_site_t *d)
{
	ubsan_report("unreachable code reached", &d->loc,
	    "execution reached __builtin_unreachable()");
}

/* Emitted only for C++ (-fsanitize=return); here for completeness. */
void __ubsan_handle_missing_return(ubsan_site_t *d)
{
	ubsan_report("missing return", &d->loc,
	    "execution reached the end of a value-returning function");
}

void __ubsan_handle_vla_bound_not_positive(ubsan_typed_t *d, ubsan_value_t bound)
{
	ubsan_report("vla bound not positive", &d->loc,
	    "variable length array bound evaluates to non-positive value %s",
	    value_text(d->type, bound).text);
}

/* A bool that is neither 0 nor 1, or an enum outside its range. */
void __ubsan_handle_load_invalid_value(ubsan_typed_t *d, ubsan_value_t val)
{
	ubsan_report("load of invalid value", &d->loc,
	    "load of value %s, which is not a valid value for type %s",
	    value_text(d->type, val).text, d->type->name);
}

void __ubsan_handle_nonnull_arg(ubsan_nonnull_arg_t *d)
{
	ubsan_report("null argument", &d->loc,
	    "null pointer passed as argument %d, which is declared to never be null",
	    d->arg_index);
}

/* @a attr locates the returns_nonnull attribute, @a loc the return statement. */
void __ubsan_handle_nonnull_return_v1(ubsan_site_t *attr, ubsan_loc_t *loc)
{
	ubsan_report("null return", loc,
	    "null pointer returned from a function declared to never return null");
}

void __ubsan_handle_pointer_overflow(
    ubsan_site_t *d, ubsan_value_t base, ubsan_value_t result)
{
	ubsan_report("pointer overflow", &d->loc,
	    "pointer arithmetic on %p overflowed to %p", (void *) base, (void *) result);
}

void __ubsan_handle_invalid_builtin(ubsan_invalid_builtin_t *d)
{
	ubsan_report("invalid builtin use", &d->loc,
	    "passing zero to %s, which is not a valid argument",
	    d->kind == 0 ? "__builtin_ctz()" : "__builtin_clz()");
}

#endif /* CONFIG_UBSAN */
