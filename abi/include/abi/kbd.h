/*
 * Keyboards (category "keyboard"; the i8042 driver's function "kbd"). A
 * keyboard speaks two interfaces, picked at connection:
 *
 * CHARDEV_IFACE (abi/chardev.h), read only: CHARDEV_READ gives the bytes
 * the keys type, as a serial terminal would send them:
 *   - characters of the US layout (Shift and Caps Lock applied);
 *   - Ctrl + a letter or one of @[\]^_ : its control code (Ctrl-C 0x03,
 *     Ctrl-D 0x04); Alt + a key: ESC, then what the key types;
 *   - Enter (and keypad Enter) '\r', Backspace 0x7f, Tab '\t', Esc 0x1b;
 *   - Up/Down/Right/Left ESC [ A/B/C/D, Home ESC [ H, End ESC [ F,
 *     Insert ESC [ 2 ~, Delete ESC [ 3 ~, Page Up ESC [ 5 ~,
 *     Page Down ESC [ 6 ~;
 *   - nothing for releases and for keys that type nothing.
 *   CHARDEV_WRITE fails with ENOTSUP.
 *
 * KBD_IFACE:
 *   KBD_GET_EVENT (flags) -> (type, key, mods, character)
 *       The next key event: KBD_EVENT_PRESS or KBD_EVENT_RELEASE, the key
 *       (KC_*, USB HID usage page 7 numbers), the modifiers in effect after
 *       the event (KM_*), and the character the key types (US layout,
 *       Shift and Caps Lock applied, Ctrl and Alt not; Enter '\n',
 *       Backspace '\b', Tab '\t', Esc 0x1b) or 0. Waits unless
 *       flags has KBD_NONBLOCK (then EAGAIN when none is queued). Events
 *       are queued from the moment the driver starts; when nobody takes
 *       them the oldest are dropped.
 *
 * Byte readers and event readers each get every key: the two streams are
 * queued apart. Readers of one stream take turns (each byte and each event
 * goes to one reader).
 */
#ifndef ABI_KBD_H
#define ABI_KBD_H

#include <abi/ipc.h>

#define KBD_IFACE 0x6b626420 /* "kbd " */

/* Apart from the CHARDEV_* numbers, so one handler serves both, and from
 * the DISPLAY_* ones, so a number names one call of the three interfaces
 * a client may hold to one server (docs/ipclog.md). */
#define KBD_METHODS(M) M(KBD_GET_EVENT, "kbd.get_event")

IFACE_METHOD_ENUM(KBD, KBD_METHODS, IPC_FIRST_USER_METHOD + 0x200);

#define KBD_NONBLOCK 0x1

#define KBD_EVENT_PRESS	  1
#define KBD_EVENT_RELEASE 2

/* Modifiers: held keys (either side) and lock states. */
#define KM_SHIFT     0x01
#define KM_CTRL	     0x02
#define KM_ALT	     0x04
#define KM_CAPS_LOCK 0x08
#define KM_NUM_LOCK  0x10

/* Key codes: USB HID usages (keyboard page). Letters KC_A + 0..25. */
#define KC_A		0x04
#define KC_Z		0x1d
#define KC_1		0x1e /* KC_1 .. KC_9, then KC_0 */
#define KC_0		0x27
#define KC_ENTER	0x28
#define KC_ESCAPE	0x29
#define KC_BACKSPACE	0x2a
#define KC_TAB		0x2b
#define KC_SPACE	0x2c
#define KC_MINUS	0x2d
#define KC_EQUAL	0x2e
#define KC_LBRACKET	0x2f
#define KC_RBRACKET	0x30
#define KC_BACKSLASH	0x31
#define KC_SEMICOLON	0x33
#define KC_APOSTROPHE	0x34
#define KC_GRAVE	0x35
#define KC_COMMA	0x36
#define KC_PERIOD	0x37
#define KC_SLASH	0x38
#define KC_CAPS_LOCK	0x39
#define KC_F1		0x3a /* KC_F1 .. KC_F12 */
#define KC_F12		0x45
#define KC_PRINT_SCREEN 0x46
#define KC_SCROLL_LOCK	0x47
#define KC_PAUSE	0x48
#define KC_INSERT	0x49
#define KC_HOME		0x4a
#define KC_PAGE_UP	0x4b
#define KC_DELETE	0x4c
#define KC_END		0x4d
#define KC_PAGE_DOWN	0x4e
#define KC_RIGHT	0x4f
#define KC_LEFT		0x50
#define KC_DOWN		0x51
#define KC_UP		0x52
#define KC_NUM_LOCK	0x53
#define KC_KP_SLASH	0x54
#define KC_KP_STAR	0x55
#define KC_KP_MINUS	0x56
#define KC_KP_PLUS	0x57
#define KC_KP_ENTER	0x58
#define KC_KP_1		0x59 /* KC_KP_1 .. KC_KP_9, then KC_KP_0 */
#define KC_KP_0		0x62
#define KC_KP_PERIOD	0x63
#define KC_LCTRL	0xe0
#define KC_LSHIFT	0xe1
#define KC_LALT		0xe2
#define KC_LGUI		0xe3
#define KC_RCTRL	0xe4
#define KC_RSHIFT	0xe5
#define KC_RALT		0xe6
#define KC_RGUI		0xe7

#endif
