/* Host build of kernel modules: the kernel heap is the C library's. */
#ifndef HOST_SHIM_KMALLOC_H
#define HOST_SHIM_KMALLOC_H

#include <stdlib.h>

#define kmalloc(size) malloc(size)
#define kzalloc(size) calloc(1, (size))
#define kfree(ptr)    free(ptr)

#endif
