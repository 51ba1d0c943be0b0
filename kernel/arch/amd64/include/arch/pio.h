/*
 * Programmed I/O as generic code sees it (every architecture provides these).
 */
#ifndef ARCH_PIO_H
#define ARCH_PIO_H

#include <arch/asm.h>

static inline uint8_t pio_read_8(uint32_t port)
{
	return inb((uint16_t) port);
}

static inline uint16_t pio_read_16(uint32_t port)
{
	return inw((uint16_t) port);
}

static inline uint32_t pio_read_32(uint32_t port)
{
	return inl((uint16_t) port);
}

static inline void pio_write_8(uint32_t port, uint8_t v)
{
	outb((uint16_t) port, v);
}

static inline void pio_write_16(uint32_t port, uint16_t v)
{
	outw((uint16_t) port, v);
}

static inline void pio_write_32(uint32_t port, uint32_t v)
{
	outl((uint16_t) port, v);
}

#endif
