/*
 * The 8254 programmable interval timer: channel 2 (gated through port 0x61)
 * measures the TSC frequency at boot. Channel 0 is not used (the local
 * APIC timer ticks).
 */
#include <arch/asm.h>
#include <arch/drivers.h>

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B	0x61

/*
 * Each edge of the window is bracketed by two TSC reads: the count starts at
 * the write of its high byte, and OUT2 goes high somewhere between the last
 * poll that saw it low and the first that saw it high. A guest descheduled
 * at an edge (emulation on a loaded host) shows as a wide bracket, so the
 * caller can tell a spoilt window from a good one. Between the start and
 * the polls the caller may do other work (the kernel's start-up does), as
 * long as it is back polling before the end: OUT2 already high at the first
 * poll means the end edge went by unseen, and the window is lost.
 */
bool pit_window_begin(unsigned us, pit_window_t *w)
{
	const uint32_t ticks = (uint32_t) ((uint64_t) PIT_HZ * us / 1000000);
	if (ticks == 0 || ticks > 0xffff)
		return false;
	w->ticks = ticks;

	/* Gate on, speaker off; channel 2 one-shot counting down from ticks. */
	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, (uint8_t) ticks);
	w->start_lo = rdtsc();
	outb(PIT_CH2, (uint8_t) (ticks >> 8));
	w->start_hi = rdtsc();
	return true;
}

bool pit_window_end(pit_window_t *w)
{
	bool low_seen = false;
	uint64_t low_at = 0; /* OUT2 was low after this instant */
	for (uint64_t spins = 0; spins < 100000000; spins++) {
		uint64_t before = rdtsc();
		if (inb(PORT_B) & 0x20) { /* OUT2 goes high at terminal count */
			if (!low_seen)
				return false; /* it ended before the first poll */
			w->end_lo = low_at;
			w->end_hi = rdtsc();
			return true;
		}
		low_seen = true;
		low_at = before;
	}
	return false;
}

bool pit_time_window(unsigned us, pit_window_t *w)
{
	return pit_window_begin(us, w) && pit_window_end(w);
}
