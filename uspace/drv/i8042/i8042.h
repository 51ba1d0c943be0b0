/*
 * i8042: a userspace driver for the PC keyboard controller and the
 * keyboard on its first port (protocols: abi/kbd.h, abi/chardev.h).
 *
 * The parts: ctl.c owns the controller (setup, the IRQ program,
 * re-enabling the keyboard port); xlat.c and encode.c (xlat.h) turn
 * scancodes into key events and key events into terminal bytes, with no
 * I/O; queue.c holds the byte and event queues readers wait on; i8042.c
 * is the framework's dev_add, the interrupt handler and the client side.
 */
#ifndef I8042_H
#define I8042_H

#include "xlat.h"
#include <abi/errno.h>
#include <abi/irq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAME "i8042"

/** The controller's two ports (data, status/command). */
typedef struct {
	uint16_t data;
	uint16_t ctl;
} i8042_ports_t;

/** An IRQ program for the keyboard port, as async_irq_subscribe takes it. */
typedef struct {
	irq_cmd_t cmds[IRQ_CODE_MAX_CMDS];
	size_t count;
} i8042_irq_prog_t;

/* ctl.c */
errno_t i8042_ctl_init(const i8042_ports_t *p);
void i8042_irq_prog_build(const i8042_ports_t *p, i8042_irq_prog_t *prog);
errno_t i8042_kbd_enable(const i8042_ports_t *p);

/* queue.c */
void kbd_queue_push(const kbd_event_t *ev);
errno_t kbd_queue_read_bytes(uint8_t *buf, size_t size, bool nonblock, size_t *got);
/** Puts @a size bytes a dead reader took back at the front of the bytes. */
void kbd_queue_unread_bytes(const uint8_t *buf, size_t size);
errno_t kbd_queue_get_event(bool nonblock, kbd_event_t *ev);

#endif
