/*
 * The keyboard's pure part (xlat.c, encode.c): scancode set 1 to key
 * events with modifiers and characters, and events to terminal bytes.
 */
#if __STDC_HOSTED__ /* not built into the driver: see host.mk */
#include "host_test.h"
#include "xlat.h"
#include <string.h>

/** Feeds @a n bytes; the events completed go to @a evs, their count is
 *  returned. */
static size_t feed(kbd_xlat_t *x, const uint8_t *bytes, size_t n, kbd_event_t *evs)
{
	size_t got = 0;
	for (size_t i = 0; i < n; i++) {
		if (kbd_xlat_feed(x, bytes[i], &evs[got]))
			got++;
	}
	return got;
}

#define FEED(x, evs, ...) \
	feed((x), (const uint8_t[]){__VA_ARGS__}, \
	    sizeof((const uint8_t[]){__VA_ARGS__}), (evs))

/** What typing the scancodes would send to a terminal, as a string. */
static void typed(kbd_xlat_t *x, const uint8_t *bytes, size_t n, char *out)
{
	kbd_event_t evs[32];
	size_t count = feed(x, bytes, n, evs), len = 0;
	for (size_t i = 0; i < count; i++)
		len += kbd_encode(&evs[i], (uint8_t *) &out[len]);
	out[len] = '\0';
}

#define TYPED(x, out, ...) \
	typed((x), (const uint8_t[]){__VA_ARGS__}, \
	    sizeof((const uint8_t[]){__VA_ARGS__}), (out))

HOST_TEST(a_key_press_and_release_are_two_events)
{
	kbd_xlat_t x = {0};
	kbd_event_t ev[4];
	CHECK_EQ(FEED(&x, ev, 0x1e, 0x9e), 2); /* a */
	CHECK_EQ(ev[0].type, KBD_EVENT_PRESS);
	CHECK_EQ(ev[0].key, KC_A);
	CHECK_EQ(ev[0].c, 'a');
	CHECK_EQ(ev[0].mods, 0);
	CHECK_EQ(ev[1].type, KBD_EVENT_RELEASE);
	CHECK_EQ(ev[1].key, KC_A);
}

HOST_TEST(shift_types_upper_case_and_symbols)
{
	kbd_xlat_t x = {0};
	kbd_event_t ev[8];
	/* LShift down, a, 1, LShift up, a */
	CHECK_EQ(FEED(&x, ev, 0x2a, 0x1e, 0x02, 0xaa, 0x1e), 5);
	CHECK_EQ(ev[0].key, KC_LSHIFT);
	CHECK_EQ(ev[0].mods, KM_SHIFT);
	CHECK_EQ(ev[0].c, 0);
	CHECK_EQ(ev[1].c, 'A');
	CHECK_EQ(ev[2].c, '!');
	CHECK_EQ(ev[3].mods, 0);
	CHECK_EQ(ev[4].c, 'a');
}

HOST_TEST(right_shift_counts_until_both_shifts_are_up)
{
	kbd_xlat_t x = {0};
	kbd_event_t ev[8];
	/* LShift down, RShift down, LShift up, /, RShift up, / */
	CHECK_EQ(FEED(&x, ev, 0x2a, 0x36, 0xaa, 0x35, 0xb6, 0x35), 6);
	CHECK_EQ(ev[3].c, '?');
	CHECK_EQ(ev[5].c, '/');
}

HOST_TEST(caps_lock_toggles_on_press_and_only_affects_letters)
{
	kbd_xlat_t x = {0};
	kbd_event_t ev[16];
	/* CapsLock (held: repeated make), a, 1, Shift+a, CapsLock again, a */
	size_t n = FEED(
	    &x, ev, 0x3a, 0x3a, 0xba, 0x1e, 0x02, 0x2a, 0x1e, 0xaa, 0x3a, 0xba, 0x1e);
	CHECK_EQ(n, 11);
	CHECK_EQ(ev[0].mods, KM_CAPS_LOCK);
	CHECK_EQ(ev[1].mods, KM_CAPS_LOCK); /* a repeat does not toggle */
	CHECK_EQ(ev[3].c, 'A');
	CHECK_EQ(ev[4].c, '1');
	CHECK_EQ(ev[6].c, 'a');
	CHECK_EQ(ev[6].mods, KM_CAPS_LOCK | KM_SHIFT);
	CHECK_EQ(ev[8].mods, 0);
	CHECK_EQ(ev[10].c, 'a');
}

HOST_TEST(extended_keys_are_told_apart_from_their_plain_twins)
{
	kbd_xlat_t x = {0};
	kbd_event_t ev[16];
	size_t n = FEED(&x, ev, 0xe0, 0x48, 0xe0, 0xc8, /* Up */
	    0x48,					/* keypad 8 */
	    0xe0, 0x1d, 0xe0, 0x38,			/* right Ctrl, right Alt */
	    0xe0, 0x1c, 0xe0, 0x53,			/* keypad Enter, Delete */
	    0xe0, 0x47, 0xe0, 0x4f);			/* Home, End */
	CHECK_EQ(n, 9);
	CHECK_EQ(ev[0].key, KC_UP);
	CHECK_EQ(ev[1].key, KC_UP);
	CHECK_EQ(ev[1].type, KBD_EVENT_RELEASE);
	CHECK_EQ(ev[2].key, KC_KP_1 + 7);
	CHECK_EQ(ev[3].key, KC_RCTRL);
	CHECK_EQ(ev[3].mods, KM_CTRL);
	CHECK_EQ(ev[4].key, KC_RALT);
	CHECK_EQ(ev[4].mods, KM_CTRL | KM_ALT);
	CHECK_EQ(ev[5].key, KC_KP_ENTER);
	CHECK_EQ(ev[6].key, KC_DELETE);
	CHECK_EQ(ev[7].key, KC_HOME);
	CHECK_EQ(ev[8].key, KC_END);
}

HOST_TEST(fake_shifts_and_unknown_codes_make_no_events)
{
	kbd_xlat_t x = {0};
	kbd_event_t ev[8];
	/* Print Screen with its fake shifts, an unused code, an ACK byte */
	CHECK_EQ(FEED(&x, ev, 0xe0, 0x2a, 0xe0, 0x37, 0x55, 0xfa), 1);
	CHECK_EQ(ev[0].key, KC_PRINT_SCREEN);
	CHECK_EQ(ev[0].mods, 0);
}

HOST_TEST(pause_is_one_press_and_one_release)
{
	kbd_xlat_t x = {0};
	kbd_event_t ev[4];
	CHECK_EQ(FEED(&x, ev, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5, 0x1e), 3);
	CHECK_EQ(ev[0].key, KC_PAUSE);
	CHECK_EQ(ev[0].type, KBD_EVENT_PRESS);
	CHECK_EQ(ev[1].key, KC_PAUSE);
	CHECK_EQ(ev[1].type, KBD_EVENT_RELEASE);
	CHECK_EQ(ev[2].mods, 0); /* Ctrl's code inside the sequence held nothing */
	CHECK_EQ(ev[2].c, 'a');
}

HOST_TEST(typing_a_command_gives_its_bytes_with_enter_as_cr)
{
	kbd_xlat_t x = {0};
	char out[64];
	/* e c h o space k, then Enter */
	TYPED(&x, out, 0x12, 0x92, 0x2e, 0xae, 0x23, 0xa3, 0x18, 0x98, 0x39, 0xb9, 0x25,
	    0xa5, 0x1c, 0x9c);
	CHECK(strcmp(out, "echo k\r") == 0);
}

HOST_TEST(ctrl_letters_give_control_codes)
{
	kbd_xlat_t x = {0};
	char out[16];
	/* Ctrl down, c, d, Ctrl up, c */
	TYPED(&x, out, 0x1d, 0x2e, 0xae, 0x20, 0xa0, 0x9d, 0x2e);
	CHECK(strcmp(out,
		  "\x03\x04"
		  "c") == 0);
}

HOST_TEST(cursor_keys_give_ansi_sequences)
{
	kbd_xlat_t x = {0};
	char out[64];
	TYPED(&x, out, 0xe0, 0x48, 0xe0, 0x50, 0xe0, 0x4d, 0xe0, 0x4b, 0xe0, 0x47, 0xe0,
	    0x4f, 0xe0, 0x53);
	CHECK(strcmp(out, "\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1b[3~") == 0);
}

HOST_TEST(backspace_is_del_and_alt_prefixes_escape)
{
	kbd_xlat_t x = {0};
	char out[16];
	/* Backspace, Alt+x, Alt+Delete */
	TYPED(&x, out, 0x0e, 0x38, 0x2d, 0xe0, 0x53, 0xb8);
	CHECK(strcmp(out, "\x7f\x1bx\x1b\x1b[3~") == 0);
}

HOST_TEST(keypad_types_digits_only_with_num_lock)
{
	kbd_xlat_t x = {0};
	char out[32];
	/* keypad 4 (Left), Num Lock, keypad 4, keypad Enter, keypad - */
	TYPED(&x, out, 0x4b, 0x45, 0xc5, 0x4b, 0xe0, 0x1c, 0x4a);
	CHECK(strcmp(out, "\x1b[D4\r-") == 0);
}

HOST_TEST(releases_and_modifiers_alone_type_nothing)
{
	kbd_xlat_t x = {0};
	char out[16];
	TYPED(&x, out, 0x2a, 0xaa, 0x1d, 0x9d, 0x9e, 0x3a, 0x3b);
	CHECK(strcmp(out, "") == 0);
}
#endif
