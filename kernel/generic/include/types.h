/*
 * Basic kernel types.
 */
#ifndef KERN_TYPES_H
#define KERN_TYPES_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;  /* physical address */
typedef uintptr_t vaddr_t; /* virtual address */
typedef uint64_t pfn_t;	   /* physical frame number */

#define ALIGN_UP(x, a)	 (((x) + (a) -1) & ~((__typeof__(x)) (a) -1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x)) (a) -1))
#define IS_ALIGNED(x, a) (((x) & ((a) -1)) == 0)
#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))

#define NORETURN	  __attribute__((noreturn))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define UNUSED		  __attribute__((unused))
#define likely(x)	  __builtin_expect(!!(x), 1)
#define unlikely(x)	  __builtin_expect(!!(x), 0)

#endif
