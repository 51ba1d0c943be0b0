/*
 * Scancode set 1 to key events, and key events to terminal bytes.
 *
 * Set 1 (what the controller makes of the keyboard's codes with
 * translation on): a key's make code is 0x01..0x58, its break code the same
 * with bit 7 set; 0xe0 before a code names the extended keys (arrows, the
 * navigation block, right Ctrl/Alt, keypad Enter and /); Pause is the one
 * 0xe1 sequence (e1 1d 45, e1 9d c5). Some extended keys come wrapped in
 * fake shifts (e0 2a, e0 aa, e0 36, e0 b6), which are dropped here.
 */
#include "xlat.h"

#define PREFIX_EXT   0xe0
#define PREFIX_PAUSE 0xe1
#define BREAK_BIT    0x80
#define PAUSE_TAIL   2 /* bytes after 0xe1 */

/* kbd_xlat_t.held: modifier keys down, and lock keys down (a held lock key
 * repeats its make code; only the first one toggles). */
#define HELD_LSHIFT 0x01
#define HELD_RSHIFT 0x02
#define HELD_LCTRL  0x04
#define HELD_RCTRL  0x08
#define HELD_LALT   0x10
#define HELD_RALT   0x20
#define HELD_CAPS   0x40
#define HELD_NUM    0x80

/* Set 1 make codes without prefix, as key codes (0: none). */
static const uint8_t plain_keys[0x59] = {
    [0x01] = KC_ESCAPE,
    [0x02] = KC_1,
    [0x03] = KC_1 + 1,
    [0x04] = KC_1 + 2,
    [0x05] = KC_1 + 3,
    [0x06] = KC_1 + 4,
    [0x07] = KC_1 + 5,
    [0x08] = KC_1 + 6,
    [0x09] = KC_1 + 7,
    [0x0a] = KC_1 + 8,
    [0x0b] = KC_0,
    [0x0c] = KC_MINUS,
    [0x0d] = KC_EQUAL,
    [0x0e] = KC_BACKSPACE,
    [0x0f] = KC_TAB,
    [0x10] = KC_A + 'q' - 'a',
    [0x11] = KC_A + 'w' - 'a',
    [0x12] = KC_A + 'e' - 'a',
    [0x13] = KC_A + 'r' - 'a',
    [0x14] = KC_A + 't' - 'a',
    [0x15] = KC_A + 'y' - 'a',
    [0x16] = KC_A + 'u' - 'a',
    [0x17] = KC_A + 'i' - 'a',
    [0x18] = KC_A + 'o' - 'a',
    [0x19] = KC_A + 'p' - 'a',
    [0x1a] = KC_LBRACKET,
    [0x1b] = KC_RBRACKET,
    [0x1c] = KC_ENTER,
    [0x1d] = KC_LCTRL,
    [0x1e] = KC_A,
    [0x1f] = KC_A + 's' - 'a',
    [0x20] = KC_A + 'd' - 'a',
    [0x21] = KC_A + 'f' - 'a',
    [0x22] = KC_A + 'g' - 'a',
    [0x23] = KC_A + 'h' - 'a',
    [0x24] = KC_A + 'j' - 'a',
    [0x25] = KC_A + 'k' - 'a',
    [0x26] = KC_A + 'l' - 'a',
    [0x27] = KC_SEMICOLON,
    [0x28] = KC_APOSTROPHE,
    [0x29] = KC_GRAVE,
    [0x2a] = KC_LSHIFT,
    [0x2b] = KC_BACKSLASH,
    [0x2c] = KC_Z,
    [0x2d] = KC_A + 'x' - 'a',
    [0x2e] = KC_A + 'c' - 'a',
    [0x2f] = KC_A + 'v' - 'a',
    [0x30] = KC_A + 'b' - 'a',
    [0x31] = KC_A + 'n' - 'a',
    [0x32] = KC_A + 'm' - 'a',
    [0x33] = KC_COMMA,
    [0x34] = KC_PERIOD,
    [0x35] = KC_SLASH,
    [0x36] = KC_RSHIFT,
    [0x37] = KC_KP_STAR,
    [0x38] = KC_LALT,
    [0x39] = KC_SPACE,
    [0x3a] = KC_CAPS_LOCK,
    [0x3b] = KC_F1,
    [0x3c] = KC_F1 + 1,
    [0x3d] = KC_F1 + 2,
    [0x3e] = KC_F1 + 3,
    [0x3f] = KC_F1 + 4,
    [0x40] = KC_F1 + 5,
    [0x41] = KC_F1 + 6,
    [0x42] = KC_F1 + 7,
    [0x43] = KC_F1 + 8,
    [0x44] = KC_F1 + 9,
    [0x45] = KC_NUM_LOCK,
    [0x46] = KC_SCROLL_LOCK,
    [0x47] = KC_KP_1 + 6,
    [0x48] = KC_KP_1 + 7,
    [0x49] = KC_KP_1 + 8,
    [0x4a] = KC_KP_MINUS,
    [0x4b] = KC_KP_1 + 3,
    [0x4c] = KC_KP_1 + 4,
    [0x4d] = KC_KP_1 + 5,
    [0x4e] = KC_KP_PLUS,
    [0x4f] = KC_KP_1,
    [0x50] = KC_KP_1 + 1,
    [0x51] = KC_KP_1 + 2,
    [0x52] = KC_KP_0,
    [0x53] = KC_KP_PERIOD,
    [0x57] = KC_F1 + 10,
    [0x58] = KC_F12,
};

/* Set 1 make codes after 0xe0, as key codes (0: none, or a fake shift). */
static const uint8_t ext_keys[0x5d] = {
    [0x1c] = KC_KP_ENTER,
    [0x1d] = KC_RCTRL,
    [0x35] = KC_KP_SLASH,
    [0x37] = KC_PRINT_SCREEN,
    [0x38] = KC_RALT,
    [0x47] = KC_HOME,
    [0x48] = KC_UP,
    [0x49] = KC_PAGE_UP,
    [0x4b] = KC_LEFT,
    [0x4d] = KC_RIGHT,
    [0x4f] = KC_END,
    [0x50] = KC_DOWN,
    [0x51] = KC_PAGE_DOWN,
    [0x52] = KC_INSERT,
    [0x53] = KC_DELETE,
    [0x5b] = KC_LGUI,
    [0x5c] = KC_RGUI,
};

/* What KC_A .. KC_SLASH type, unshifted and shifted (0: nothing). */
#define CHAR_FIRST KC_A
static const char chars[][2] = {
    [KC_A - CHAR_FIRST] = {'a', 'A'}, /* other letters: computed */
    [KC_1 - CHAR_FIRST] = {'1', '!'},
    [KC_1 + 1 - CHAR_FIRST] = {'2', '@'},
    [KC_1 + 2 - CHAR_FIRST] = {'3', '#'},
    [KC_1 + 3 - CHAR_FIRST] = {'4', '$'},
    [KC_1 + 4 - CHAR_FIRST] = {'5', '%'},
    [KC_1 + 5 - CHAR_FIRST] = {'6', '^'},
    [KC_1 + 6 - CHAR_FIRST] = {'7', '&'},
    [KC_1 + 7 - CHAR_FIRST] = {'8', '*'},
    [KC_1 + 8 - CHAR_FIRST] = {'9', '('},
    [KC_0 - CHAR_FIRST] = {'0', ')'},
    [KC_ENTER - CHAR_FIRST] = {'\n', '\n'},
    [KC_ESCAPE - CHAR_FIRST] = {0x1b, 0x1b},
    [KC_BACKSPACE - CHAR_FIRST] = {'\b', '\b'},
    [KC_TAB - CHAR_FIRST] = {'\t', '\t'},
    [KC_SPACE - CHAR_FIRST] = {' ', ' '},
    [KC_MINUS - CHAR_FIRST] = {'-', '_'},
    [KC_EQUAL - CHAR_FIRST] = {'=', '+'},
    [KC_LBRACKET - CHAR_FIRST] = {'[', '{'},
    [KC_RBRACKET - CHAR_FIRST] = {']', '}'},
    [KC_BACKSLASH - CHAR_FIRST] = {'\\', '|'},
    [KC_SEMICOLON - CHAR_FIRST] = {';', ':'},
    [KC_APOSTROPHE - CHAR_FIRST] = {'\'', '"'},
    [KC_GRAVE - CHAR_FIRST] = {'`', '~'},
    [KC_COMMA - CHAR_FIRST] = {',', '<'},
    [KC_PERIOD - CHAR_FIRST] = {'.', '>'},
    [KC_SLASH - CHAR_FIRST] = {'/', '?'},
};

/* What the keypad's digit block types with Num Lock on, KC_KP_1 onwards. */
static const char keypad_digits[] = "1234567890.";

static uint8_t held_bit(unsigned key)
{
	switch (key) {
	case KC_LSHIFT:
		return HELD_LSHIFT;
	case KC_RSHIFT:
		return HELD_RSHIFT;
	case KC_LCTRL:
		return HELD_LCTRL;
	case KC_RCTRL:
		return HELD_RCTRL;
	case KC_LALT:
		return HELD_LALT;
	case KC_RALT:
		return HELD_RALT;
	case KC_CAPS_LOCK:
		return HELD_CAPS;
	case KC_NUM_LOCK:
		return HELD_NUM;
	default:
		return 0;
	}
}

/** Updates held keys and lock states for @a key going down or up. */
static void xlat_track(kbd_xlat_t *x, unsigned key, bool press)
{
	uint8_t bit = held_bit(key);
	if (press && !(x->held & bit)) {
		if (key == KC_CAPS_LOCK)
			x->locks ^= KM_CAPS_LOCK;
		else if (key == KC_NUM_LOCK)
			x->locks ^= KM_NUM_LOCK;
	}
	if (press)
		x->held |= bit;
	else
		x->held &= (uint8_t) ~bit;
}

static unsigned xlat_mods(const kbd_xlat_t *x)
{
	unsigned mods = x->locks;
	if (x->held & (HELD_LSHIFT | HELD_RSHIFT))
		mods |= KM_SHIFT;
	if (x->held & (HELD_LCTRL | HELD_RCTRL))
		mods |= KM_CTRL;
	if (x->held & (HELD_LALT | HELD_RALT))
		mods |= KM_ALT;
	return mods;
}

/** The character @a key types with @a mods, or 0. */
static char key_char(unsigned key, unsigned mods)
{
	bool shift = (mods & KM_SHIFT) != 0;
	if (key >= KC_A && key <= KC_Z) {
		bool upper = shift != ((mods & KM_CAPS_LOCK) != 0);
		return (char) ((upper ? 'A' : 'a') + (key - KC_A));
	}
	if (key >= CHAR_FIRST && key <= KC_SLASH)
		return chars[key - CHAR_FIRST][shift];
	switch (key) {
	case KC_KP_SLASH:
		return '/';
	case KC_KP_STAR:
		return '*';
	case KC_KP_MINUS:
		return '-';
	case KC_KP_PLUS:
		return '+';
	case KC_KP_ENTER:
		return '\n';
	default:
		break;
	}
	if (key >= KC_KP_1 && key <= KC_KP_PERIOD && (mods & KM_NUM_LOCK))
		return keypad_digits[key - KC_KP_1];
	return 0;
}

/** The key of make code @a code (prefixed by 0xe0 if @a ext), or 0. */
static unsigned code_key(uint8_t code, bool ext)
{
	if (ext)
		return code < sizeof(ext_keys) ? ext_keys[code] : 0;
	return code < sizeof(plain_keys) ? plain_keys[code] : 0;
}

static void xlat_event(kbd_xlat_t *x, unsigned key, bool press, kbd_event_t *ev)
{
	xlat_track(x, key, press);
	ev->type = press ? KBD_EVENT_PRESS : KBD_EVENT_RELEASE;
	ev->key = key;
	ev->mods = xlat_mods(x);
	ev->c = key_char(key, ev->mods);
}

bool kbd_xlat_feed(kbd_xlat_t *x, uint8_t byte, kbd_event_t *ev)
{
	if (x->skip > 0) {
		if (--x->skip > 0)
			return false;
		xlat_event(x, KC_PAUSE, !(byte & BREAK_BIT), ev);
		return true;
	}
	if (byte == PREFIX_EXT || byte == PREFIX_PAUSE) {
		x->prefix = byte == PREFIX_EXT ? PREFIX_EXT : 0;
		x->skip = byte == PREFIX_PAUSE ? PAUSE_TAIL : 0;
		return false;
	}
	bool ext = x->prefix == PREFIX_EXT;
	x->prefix = 0;
	unsigned key = code_key(byte & (uint8_t) ~BREAK_BIT, ext);
	if (key == 0)
		return false;
	xlat_event(x, key, !(byte & BREAK_BIT), ev);
	return true;
}
