/*
 * QEMU platform helpers: power-off with an exit status (isa-debug-exit, as
 * configured by the build: iobase 0xf4) and extra kernel options passed through
 * fw_cfg as the file opt/switchboard/cmdline.
 */
#include <arch/asm.h>
#include <arch/drivers.h>
#include <string.h>

#define DEBUG_EXIT_PORT	   0xf4
#define FWCFG_SELECTOR	   0x510
#define FWCFG_DATA	   0x511
#define FWCFG_SIGNATURE	   0x0000
#define FWCFG_FILE_DIR	   0x0019
#define FWCFG_CMDLINE_FILE "opt/switchboard/cmdline"

void qemu_exit(uint32_t code)
{
	/* QEMU exits with status (code << 1) | 1; without the device this is a no-op. */
	outl(DEBUG_EXIT_PORT, code);
}

static void fwcfg_read(void *buf, size_t len)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++)
		p[i] = inb(FWCFG_DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 |
	    p[3];
}

/** Finds @a name in the fw_cfg directory; returns its selector and size. */
static bool fwcfg_find(const char *name, uint16_t *select, uint32_t *size)
{
	outw(FWCFG_SELECTOR, FWCFG_FILE_DIR);
	uint8_t raw[4];
	fwcfg_read(raw, 4);
	uint32_t count = be32(raw);
	for (uint32_t i = 0; i < count; i++) {
		uint8_t entry[64];
		fwcfg_read(entry, sizeof(entry));
		entry[63] = '\0';
		if (strcmp((const char *) entry + 8, name) == 0) {
			*size = be32(entry);
			*select = (uint16_t) (entry[4] << 8 | entry[5]);
			return true;
		}
	}
	return false;
}

size_t qemu_extra_cmdline(char *buf, size_t size)
{
	char sig[4];
	outw(FWCFG_SELECTOR, FWCFG_SIGNATURE);
	fwcfg_read(sig, 4);
	if (memcmp(sig, "QEMU", 4) != 0 || size == 0)
		return 0;
	uint16_t select;
	uint32_t len;
	if (!fwcfg_find(FWCFG_CMDLINE_FILE, &select, &len))
		return 0;
	if (len > size - 1)
		len = (uint32_t) (size - 1);
	outw(FWCFG_SELECTOR, select);
	fwcfg_read(buf, len);
	buf[len] = '\0';
	return len;
}
