/*
 * The CMOS real-time clock (MC146818 and compatibles), read once at boot
 * for the wall clock (time/rtc.h). Only the boot CPU touches ports
 * 0x70/0x71, before other CPUs start; no user task is granted them.
 */
#include <arch/asm.h>
#include <arch/drivers.h>
#include <string.h>

#define CMOS_INDEX 0x70 /* bit 7 (NMI off) is left clear: NMIs stop CPUs */
#define CMOS_DATA  0x71

#define REG_SEC	    0x00
#define REG_MIN	    0x02
#define REG_HOUR    0x04
#define REG_DAY	    0x07
#define REG_MONTH   0x08
#define REG_YEAR    0x09
#define REG_A	    0x0a
#define REG_B	    0x0b
#define REG_CENTURY 0x32 /* the ACPI FADT's usual century register */
#define A_UIP	    0x80 /* an update is in progress: values in flux */

#define TRIES 1000000 /* an update takes under 2 ms; this bounds a dead chip */

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

/** One reading of the date registers outside an update cycle. */
static bool rtc_read_once(rtc_raw_t *raw)
{
	unsigned spins = 0;
	while (cmos_read(REG_A) & A_UIP)
		if (++spins == TRIES)
			return false;
	raw->sec = cmos_read(REG_SEC);
	raw->min = cmos_read(REG_MIN);
	raw->hour = cmos_read(REG_HOUR);
	raw->day = cmos_read(REG_DAY);
	raw->month = cmos_read(REG_MONTH);
	raw->year = cmos_read(REG_YEAR);
	raw->century = cmos_read(REG_CENTURY);
	raw->status_b = cmos_read(REG_B);
	if (raw->century == 0xff) /* no such register: reads float high */
		raw->century = 0;
	return true;
}

/* An update may begin between the UIP check and the last read: two equal
 * readings in a row are a consistent one. */
bool arch_rtc_read(rtc_raw_t *raw)
{
	rtc_raw_t prev;
	if (!rtc_read_once(&prev))
		return false;
	for (int i = 0; i < 8; i++) {
		if (!rtc_read_once(raw))
			return false;
		if (memcmp(raw, &prev, sizeof(*raw)) == 0)
			return true;
		prev = *raw;
	}
	return false;
}
