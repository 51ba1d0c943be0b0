"""Scenarios of the boot's start-up cost and clock (docs/performance.md,
"Start-up"; docs/architecture.md on the TSC's calibration).

- boot-clock-calibrated-under-icount: `make run`'s image on one CPU under
  `-icount shift=0`, where the TSC counts one tick per guest instruction, a
  1 GHz clock the PIT agrees with exactly. The calibrated TSC rate must be
  within CLOCK_PPM of 1 GHz (a window's length taken as 2 ms rather than
  the 2,386 PIT counts it held put it 150 ppm low), the APIC timer's
  within CLOCK_PPM of QEMU's 62.5 MHz, and the kernel must reach user space
  within KERNEL_MAX instructions of its entry (6.9 M with three 2 ms PIT
  windows; 1.9 M with one of 1 ms). Counted, not timed: the same on any
  host.

Each returns (ok, detail) like the scenarios of testrun.py.
"""
import re

from testrun import guest, wait_shell_prompt

ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
CLOCK_PPM = 50
KERNEL_MAX = 3_000_000
TSC_RE = r"^clock: TSC (\d+)\.(\d{3}) MHz \((.*)\)$"
APIC_RE = r"^apic: timer (\d+)\.(\d{3}) MHz after divide-by-16"
ENTRY_RE = r"^boot: kernel entered at (\d+) TSC ticks"
USER_RE = r"^init: user space starts at (\d+) TSC ticks"


def ppm_apart(khz, want_khz):
    return abs(khz - want_khz) * 1_000_000 // want_khz


def scenario_boot_clock_calibrated_under_icount(args):
    with guest(args, "boot-clock-calibrated-under-icount", "", iso=args.run_iso,
               accel="tcg", smp=1, extra=ICOUNT) as g:
        wait_shell_prompt(g)
    found = [re.search(r, g.output, re.MULTILINE) for r in (TSC_RE, APIC_RE, ENTRY_RE, USER_RE)]
    if not all(found):
        return False, "a boot line is missing (clock, apic, kernel entry or user space)"
    tsc, apic, entry, user = found
    tsc_khz = int(tsc.group(1)) * 1000 + int(tsc.group(2))
    apic_khz = int(apic.group(1)) * 1000 + int(apic.group(2))
    kernel = int(user.group(1)) - int(entry.group(1))
    detail = (f"TSC {tsc_khz} kHz ({tsc.group(3)}), APIC timer {apic_khz} kHz, "
              f"kernel entry to user space {kernel:,} instructions")
    ok = (ppm_apart(tsc_khz, 1_000_000) <= CLOCK_PPM and
          ppm_apart(apic_khz, 62_500) <= CLOCK_PPM and kernel <= KERNEL_MAX)
    return ok, detail


SCENARIOS = []

RUN_SCENARIOS = [
    ("boot-clock-calibrated-under-icount", scenario_boot_clock_calibrated_under_icount),
]
