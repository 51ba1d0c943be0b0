/* The kernel's string.h: the shared primitives. */
#ifndef KERN_STRING_H
#define KERN_STRING_H

#include <common/str.h>

#endif
