/*
 * What the boot loader told us, copied into kernel memory by the arch code
 * before anything is allocated (so the loader's own structures can be reused).
 */
#ifndef KERN_BOOT_H
#define KERN_BOOT_H

#include <types.h>

#define BOOT_MEMMAP_MAX	 64
#define BOOT_MODULES_MAX 64
#define BOOT_CMDLINE_MAX 512
#define BOOT_MODNAME_MAX 128

typedef enum {
	MEMRANGE_AVAILABLE = 1,
	MEMRANGE_RESERVED = 2,
	MEMRANGE_ACPI_RECLAIMABLE = 3,
	MEMRANGE_NVS = 4,
	MEMRANGE_BAD = 5,
} memrange_type_t;

typedef struct {
	paddr_t base;
	uint64_t size;
	memrange_type_t type;
} boot_memrange_t;

typedef struct {
	paddr_t start;
	paddr_t end; /* exclusive */
	char cmdline[BOOT_MODNAME_MAX];
} boot_module_t;

typedef struct {
	bool present;
	paddr_t addr;
	uint32_t pitch;
	uint32_t width;
	uint32_t height;
	uint8_t bpp;
	uint8_t type; /* 0 indexed, 1 RGB, 2 EGA text */
} boot_framebuffer_t;

typedef struct {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader_name[64];
	boot_memrange_t memmap[BOOT_MEMMAP_MAX];
	size_t memmap_count;
	boot_module_t modules[BOOT_MODULES_MAX];
	size_t modules_dropped; /* past BOOT_MODULES_MAX */
	size_t module_count;
	boot_framebuffer_t framebuffer;
} boot_info_t;

extern boot_info_t boot_info;

#endif
