/*
 * Key events as the bytes a serial terminal sends (abi/kbd.h lists them):
 * what the console and the shell's line editor already decode.
 */
#include "xlat.h"
#include <string.h>

#define ESC	    0x1b
#define DEL	    0x7f
#define CTRL_MASK   0x1f
#define NO_SEQUENCE NULL

/** The escape sequence (after ESC) of a cursor or editing key, or NULL. */
static const char *key_sequence(unsigned key)
{
	switch (key) {
	case KC_UP:
		return "[A";
	case KC_DOWN:
		return "[B";
	case KC_RIGHT:
		return "[C";
	case KC_LEFT:
		return "[D";
	case KC_HOME:
		return "[H";
	case KC_END:
		return "[F";
	case KC_INSERT:
		return "[2~";
	case KC_DELETE:
		return "[3~";
	case KC_PAGE_UP:
		return "[5~";
	case KC_PAGE_DOWN:
		return "[6~";
	default:
		return NO_SEQUENCE;
	}
}

/** The cursor key a keypad key is with Num Lock off (KC_KP_5: none). */
static unsigned keypad_navigation(unsigned key)
{
	static const uint8_t nav[] = {
	    KC_END,
	    KC_DOWN,
	    KC_PAGE_DOWN,
	    KC_LEFT,
	    0,
	    KC_RIGHT,
	    KC_HOME,
	    KC_UP,
	    KC_PAGE_UP,
	    KC_INSERT,
	    KC_DELETE,
	};
	if (key < KC_KP_1 || key > KC_KP_PERIOD)
		return key;
	return nav[key - KC_KP_1];
}

/** The one byte @a ev types (0: none), control codes under Ctrl. */
static uint8_t event_byte(const kbd_event_t *ev)
{
	if (ev->key == KC_ENTER || ev->key == KC_KP_ENTER)
		return '\r'; /* what a serial terminal sends for Enter */
	if (ev->key == KC_BACKSPACE)
		return DEL;
	uint8_t c = (uint8_t) ev->c;
	if (!(ev->mods & KM_CTRL))
		return c;
	if ((c >= '@' && c <= '_') || (c >= 'a' && c <= 'z'))
		return c & CTRL_MASK;
	return c;
}

size_t kbd_encode(const kbd_event_t *ev, uint8_t *out)
{
	if (ev->type != KBD_EVENT_PRESS)
		return 0;
	size_t n = 0;
	if (ev->mods & KM_ALT)
		out[n++] = ESC;
	unsigned key = ev->key;
	if (!(ev->mods & KM_NUM_LOCK))
		key = keypad_navigation(key);
	const char *seq = key_sequence(key);
	if (seq != NO_SEQUENCE) {
		out[n++] = ESC;
		size_t len = strlen(seq);
		memcpy(&out[n], seq, len);
		return n + len;
	}
	uint8_t b = event_byte(ev);
	if (b == 0)
		return 0;
	out[n++] = b;
	return n;
}
