/*
 * qsort as heapsort: O(n log n) comparisons in the worst case, constant
 * stack, no allocation; not stable.
 */
#include <stdlib.h>

typedef int (*cmp_fn_t)(const void *, const void *);

static void swap_bytes(char *a, char *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		char t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

/** Restores the max-heap order below @a root in the first @a n elements. */
static void sift_down(char *base, size_t size, size_t root, size_t n, cmp_fn_t cmp)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	if (n < 2 || size == 0)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(b, size, i, n, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap_bytes(b, b + end * size, size);
		sift_down(b, size, 0, end, cmp);
	}
}
