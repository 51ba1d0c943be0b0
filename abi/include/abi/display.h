/*
 * The display protocol: text screens such as the VGA text-mode driver
 * (uspace/drv/vga), exposed as function "screen" in category "display".
 *
 * A session to a display (interface CHARDEV_IFACE, abi/chardev.h) takes:
 *
 *   CHARDEV_WRITE + DATA_WRITE of up to IPC_DATA_MAX bytes -> (bytes)
 *       Draws the bytes as a terminal: printable ASCII, '\n' (to the start
 *       of the next line), '\r', '\b', '\t', wrapping and scrolling, and
 *       the ANSI sequences ESC [ N A/B/C/D (cursor moves), ESC [ R;C H,
 *       ESC [ N G, ESC [ N J and ESC [ N K (erase), ESC [ ... m (colours);
 *       other sequences are skipped, never drawn.
 *   CHARDEV_READ -> ENOTSUP (a display has no input; its data read, if
 *       any, is refused too).
 *   DISPLAY_GET_TEXT (row) + DATA_READ of DISPLAY_COLS bytes -> ()
 *       The characters of screen row @a row (0 the top), without
 *       attributes, for tests and tools. EINVAL for row >= DISPLAY_ROWS
 *       or a data read of another size.
 */
#ifndef ABI_DISPLAY_H
#define ABI_DISPLAY_H

#include <abi/chardev.h>

#define DISPLAY_CATEGORY "display"

/* The text screen's size (VGA text mode 3). */
#define DISPLAY_COLS 80
#define DISPLAY_ROWS 25

/* Past the CHARDEV_* and TERM_* methods, which a display shares. */
#define DISPLAY_METHODS(M) M(DISPLAY_GET_TEXT, "display.get_text")

IFACE_METHOD_ENUM(DISPLAY, DISPLAY_METHODS, IPC_FIRST_USER_METHOD + 0x100);

#endif
