/*
 * Multiboot2 boot information parser: copies the memory map, modules, command
 * line and framebuffer description into boot_info.
 */
#include <boot.h>
#include <arch/mm.h>
#include <arch/multiboot2.h>
#include <panic.h>
#include <string.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289

#define MB2_TAG_END	    0
#define MB2_TAG_CMDLINE	    1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE	    3
#define MB2_TAG_MMAP	    6
#define MB2_TAG_FRAMEBUFFER 8

typedef struct {
	uint32_t type;
	uint32_t size;
} __attribute__((packed)) mb2_tag_t;

typedef struct {
	mb2_tag_t tag;
	uint32_t mod_start;
	uint32_t mod_end;
	char cmdline[];
} __attribute__((packed)) mb2_module_t;

typedef struct {
	mb2_tag_t tag;
	uint32_t entry_size;
	uint32_t entry_version;
} __attribute__((packed)) mb2_mmap_t;

typedef struct {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
} __attribute__((packed)) mb2_mmap_entry_t;

typedef struct {
	mb2_tag_t tag;
	uint64_t addr;
	uint32_t pitch;
	uint32_t width;
	uint32_t height;
	uint8_t bpp;
	uint8_t type;
} __attribute__((packed)) mb2_framebuffer_t;

boot_info_t boot_info;

static void parse_mmap(const mb2_mmap_t *m)
{
	const uint8_t *p = (const uint8_t *) (m + 1);
	const uint8_t *end = (const uint8_t *) m + m->tag.size;
	for (; p + m->entry_size <= end; p += m->entry_size) {
		const mb2_mmap_entry_t *e = (const mb2_mmap_entry_t *) p;
		if (boot_info.memmap_count == BOOT_MEMMAP_MAX)
			break;
		boot_memrange_t *r = &boot_info.memmap[boot_info.memmap_count++];
		r->base = e->base;
		r->size = e->length;
		r->type = (e->type >= 1 && e->type <= 5) ? (memrange_type_t) e->type
							 : MEMRANGE_RESERVED;
	}
}

static void parse_module(const mb2_module_t *m)
{
	if (boot_info.module_count == BOOT_MODULES_MAX) {
		boot_info.modules_dropped++; /* reported once the console is up */
		return;
	}
	boot_module_t *mod = &boot_info.modules[boot_info.module_count++];
	mod->start = m->mod_start;
	mod->end = m->mod_end;
	str_lcpy(mod->cmdline, m->cmdline, sizeof(mod->cmdline));
}

static void parse_framebuffer(const mb2_framebuffer_t *f)
{
	boot_framebuffer_t *fb = &boot_info.framebuffer;
	fb->present = true;
	fb->addr = f->addr;
	fb->pitch = f->pitch;
	fb->width = f->width;
	fb->height = f->height;
	fb->bpp = f->bpp;
	fb->type = f->type;
}

static void parse_tag(const mb2_tag_t *tag)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		str_lcpy(boot_info.cmdline, (const char *) (tag + 1),
		    sizeof(boot_info.cmdline));
		break;
	case MB2_TAG_LOADER_NAME:
		str_lcpy(boot_info.loader_name, (const char *) (tag + 1),
		    sizeof(boot_info.loader_name));
		break;
	case MB2_TAG_MODULE:
		parse_module((const mb2_module_t *) tag);
		break;
	case MB2_TAG_MMAP:
		parse_mmap((const mb2_mmap_t *) tag);
		break;
	case MB2_TAG_FRAMEBUFFER:
		parse_framebuffer((const mb2_framebuffer_t *) tag);
		break;
	default:
		break;
	}
}

void multiboot2_parse(uint32_t magic, paddr_t info_pa)
{
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not loaded by a multiboot2 loader (magic %#x)", magic);

	const uint8_t *info = phys_to_virt(info_pa);
	uint32_t total = *(const uint32_t *) info;
	const uint8_t *p = info + 8;
	while (p + sizeof(mb2_tag_t) <= info + total) {
		const mb2_tag_t *tag = (const mb2_tag_t *) p;
		if (tag->type == MB2_TAG_END || tag->size < sizeof(mb2_tag_t))
			break;
		parse_tag(tag);
		p += ALIGN_UP(tag->size, 8);
	}
}
