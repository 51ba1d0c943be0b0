#ifndef ARCH_MULTIBOOT2_H
#define ARCH_MULTIBOOT2_H

#include <types.h>

/** Fills boot_info from the multiboot2 information at @a info_pa. */
void multiboot2_parse(uint32_t magic, paddr_t info_pa);

#endif
