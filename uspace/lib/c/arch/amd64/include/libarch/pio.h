/*
 * Port I/O on amd64. A task may use the ports it enabled with
 * iospace_enable() (ddi.h); any other port raises a general protection
 * fault, which kills the task.
 */
#ifndef LIBARCH_PIO_H
#define LIBARCH_PIO_H

#include <stddef.h>
#include <stdint.h>

static inline uint8_t pio_read_8(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t pio_read_16(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t pio_read_32(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void pio_write_8(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void pio_write_16(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void pio_write_32(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/** @a count 16-bit reads of @a port into @a buf (a data port's FIFO). */
static inline void pio_read_16_buf(uint16_t port, void *buf, size_t count)
{
	__asm__ volatile("rep insw" : "+D"(buf), "+c"(count) : "d"(port) : "memory");
}

/** @a count 16-bit writes of @a buf to @a port. */
static inline void pio_write_16_buf(uint16_t port, const void *buf, size_t count)
{
	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(count) : "d"(port) : "memory");
}

#endif
