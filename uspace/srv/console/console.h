/*
 * console: the terminal server. One terminal, offered as service "console"
 * (protocol: abi/chardev.h, CHARDEV_* and TERM_*), over several devices:
 * input from a serial line and keyboards, output to the serial line and
 * displays, all character devices (abi/chardev.h, abi/kbd.h).
 *
 * The parts: devices.c finds the devices (location service categories, or
 * one naming-service device) and keeps the table of them; input.c owns the
 * line discipline (mode, the line being edited, the queue of input ready
 * for readers) and one fibril per input device; output.c owns writing to
 * every output device; console.c serves the clients.
 *
 * Lock order: dev_lock (devices.c), then feed_lock, read_order and
 * term_lock (input.c), then out_lock (output.c). Nothing is written to a
 * device while term_lock is held.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <async.h>
#include <loc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAME "console"

#define CONSOLE_DEV_NAME_MAX 64

typedef enum {
	DEV_SERIAL,   /* input and output ('\n' goes out as "\r\n") */
	DEV_KEYBOARD, /* input */
	DEV_DISPLAY,  /* output */
} console_dev_kind_t;

/** A device the console uses (or used: it stays in devices.c's table once
 *  it failed, so it is never taken up again). */
typedef struct {
	loc_id_t id; /* 0: a naming-service device */
	console_dev_kind_t kind;
	char name[CONSOLE_DEV_NAME_MAX];
	bool dead;
} console_dev_t;

/* devices.c */
errno_t devices_start_ns(const char *service);
errno_t devices_start_loc(void);
void devices_failed(console_dev_t *dev, errno_t rc);

/* input.c */
errno_t input_attach(console_dev_t *dev, async_sess_t *sess);
errno_t input_read(uint8_t *buf, size_t size, bool nonblock, size_t *got);
/** Puts back at the head of the queue the @a size bytes a read took for a
 *  reader that had gone (chardev_ops_t.unread). */
void input_unread(const uint8_t *buf, size_t size);
errno_t input_set_mode(unsigned mode);
unsigned input_get_mode(void);
void input_set_foreground(task_id_t id);
/** Adds @a id to the tasks Ctrl-C kills (ELIMIT past TERM_FOREGROUND_MAX). */
errno_t input_add_foreground(task_id_t id);

/* output.c */
errno_t output_attach(console_dev_t *dev, async_sess_t *sess);
errno_t output_write(const uint8_t *buf, size_t size);

#endif
