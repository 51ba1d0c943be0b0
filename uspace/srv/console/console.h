/*
 * console: the terminal server. One terminal, offered as service "console"
 * (protocol: abi/chardev.h, CHARDEV_* and TERM_*), over a serial character
 * device (by default service "serial0").
 *
 * The parts: input.c owns the line discipline (mode, the line being edited,
 * the queue of input ready for readers) and the fibril that reads the serial
 * device; output.c owns writing to it; console.c serves the clients.
 *
 * Lock order: read_order (input.c), then term_lock (input.c), then out_lock
 * (output.c). Nothing is written to the device while term_lock is held.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <async.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAME "console"

/* input.c */
errno_t input_start(async_sess_t *serial);
errno_t input_read(uint8_t *buf, size_t size, bool nonblock, size_t *got);
errno_t input_set_mode(unsigned mode);
unsigned input_get_mode(void);
void input_set_foreground(task_id_t id);

/* output.c */
void output_init(async_sess_t *serial);
errno_t output_write(const uint8_t *buf, size_t size);

#endif
