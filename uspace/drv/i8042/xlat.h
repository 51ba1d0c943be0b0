/*
 * The keyboard's pure part: scancodes to key events, key events to the
 * bytes a serial terminal would send. No I/O, no locks: host-tested
 * (test/host/xlat_test.c).
 */
#ifndef I8042_XLAT_H
#define I8042_XLAT_H

#include <abi/kbd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One key event (abi/kbd.h: KBD_GET_EVENT's answer). */
typedef struct {
	unsigned type; /* KBD_EVENT_PRESS, KBD_EVENT_RELEASE */
	unsigned key;  /* KC_* */
	unsigned mods; /* KM_*, after this event */
	char c;	       /* the character typed (Shift, Caps Lock applied) or 0 */
} kbd_event_t;

/** The translator's state between bytes; zero-initialised to start. */
typedef struct {
	uint8_t prefix; /* 0, or 0xe0 after that prefix */
	uint8_t skip;	/* bytes of a Pause sequence still to ignore */
	uint8_t held;	/* HELD_* bits: which modifier keys are down */
	uint8_t locks;	/* KM_CAPS_LOCK, KM_NUM_LOCK */
} kbd_xlat_t;

/** The most bytes one event encodes to (Alt + Delete: ESC ESC [ 3 ~). */
#define KBD_ENCODE_MAX 8

/** Feeds one byte of scancode set 1; true when it completed a key event,
 *  stored in *@a ev. Prefixes, unknown codes and the fake shifts some keys
 *  send complete nothing. */
bool kbd_xlat_feed(kbd_xlat_t *x, uint8_t byte, kbd_event_t *ev);

/** The bytes @a ev types on a terminal (abi/kbd.h) into @a out
 *  (KBD_ENCODE_MAX bytes); returns how many (0 for releases). */
size_t kbd_encode(const kbd_event_t *ev, uint8_t *out);

#endif
