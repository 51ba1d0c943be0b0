/*
 * assert(expr): when @a expr is false, prints
 *   Assertion failed: <expr>, file <file>, line <line>
 * on stderr and ends the task through abort(). Compiled out with NDEBUG.
 * (No include guard: the standard lets NDEBUG change between inclusions.)
 */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void) 0)
#else
#define assert(expr) ((expr) ? (void) 0 : __assert_fail(#expr, __FILE__, __LINE__))
#endif

#ifndef LIBC_ASSERT_FAIL
#define LIBC_ASSERT_FAIL
_Noreturn void __assert_fail(const char *expr, const char *file, int line);
#endif
