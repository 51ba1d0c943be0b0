/*
 * The 8254 programmable interval timer: channel 0 drives the periodic tick,
 * channel 2 (gated through port 0x61) measures the TSC frequency at boot.
 */
#include <arch/asm.h>
#include <arch/drivers.h>

#define PIT_HZ	1193182
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B	0x61

void pit_init_periodic(unsigned hz)
{
	unsigned divisor = PIT_HZ / hz;
	outb(PIT_CMD, 0x34); /* channel 0, lobyte/hibyte, rate generator */
	outb(PIT_CH0, (uint8_t) divisor);
	outb(PIT_CH0, (uint8_t) (divisor >> 8));
}

/*
 * The window is 2 ms: every millisecond of it is a millisecond of boot (and
 * a million instructions under `-icount shift=0`). Polling port B costs about
 * a microsecond per read on hardware, so the rate is within about 0.1 %.
 */
uint64_t pit_calibrate_tsc_khz(void)
{
	const unsigned ms = 2;
	const unsigned ticks = PIT_HZ * ms / 1000;

	/* Gate on, speaker off; channel 2 one-shot counting down from ticks. */
	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, (uint8_t) ticks);
	outb(PIT_CH2, (uint8_t) (ticks >> 8));

	uint64_t start = rdtsc();
	uint64_t spins = 0;
	while (!(inb(PORT_B) & 0x20)) { /* OUT2 goes high at terminal count */
		if (++spins > 100000000)
			return 0;
	}
	uint64_t end = rdtsc();
	return (end - start) / ms;
}
