"""Scenarios on several CPUs: four vCPUs under multi-threaded TCG
(-accel tcg,thread=multi -smp 4), every one started and taking part.

- kconsole-cpus-smp4: the kernel console's `cpus` lists four CPUs, each with
  ticks; `continue` boots to the shell, which answers.
- panic-smp4: a panic on one of four CPUs (the last; the three others spin
  with interrupts off) stops the others, which confirm it, and names its CPU.
- tester-all-smp4: `tester all` at the shell of a default boot on four CPUs
  (nstest and utest with every server of the system running beside them).

The kernel self-tests (kernel-smp4, kernel-ipc-no-fastpath-smp4) and the
user suites on four CPUs (exctest, pagertest and the others) are suites of
testrun.py (SMP4_SUITES, NO_FASTPATH_SMP4_SUITES), one result per test.

Each returns (ok, detail) like the scenarios of testrun.py.
"""
import re

from guest import QEMU_EXIT_FAIL
from testrun import BOOT_TIMEOUT, SUITE_TIMEOUT, TESTER_ALL_KILLS, guest, kconsole_command, \
    shell_run, wait_shell_prompt

SMP4 = dict(accel="tcg,thread=multi", smp=4)


def scenario_kconsole_cpus_smp4(args):
    with guest(args, "kconsole-cpus-smp4", "kconsole", **SMP4) as g:
        g.expect(r"Switchboard kernel console", BOOT_TIMEOUT)
        kconsole_command(g, "cpus", r"^\s+3\s+\d+%\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+[1-9]\d*\r?$")
        kconsole_command(g, "continue", r"^init: ")
        wait_shell_prompt(g)
        shell_run(g, "ps\r", [" sh "])
    return True, ""


def scenario_panic_smp4(args):
    # CPUs 0-2 spin with interrupts off (only the NMI reaches them); CPU 3
    # faults. The report names CPU 3 once the three others said they stopped.
    with guest(args, "panic-smp4", "test=crash_on_one_cpu_while_the_others_spin",
               exit_status=QEMU_EXIT_FAIL, allow=[r"^PANIC: "], **SMP4) as g:
        g.expect(r"PANIC: page fault at 0x10", BOOT_TIMEOUT)
        g.expect(r"^on CPU 3 of 4 \(the others are stopped\)", 30)
        g.expect(r"System halted", 30)
    return True, ""


def scenario_tester_all_smp4(args):
    with guest(args, "tester-all-smp4", "", allow=TESTER_ALL_KILLS, **SMP4) as g:
        g.expect(r"^smp: 4 CPUs running$", BOOT_TIMEOUT)
        wait_shell_prompt(g)
        shell_run(g, "priv tester all\r", [r"^nstest: \d+ passed, 0 failed$",
                                           r"^utest: \d+ passed, 0 failed$",
                                           r"^tester: [1-9]\d* passed, 0 failed$"],
                  timeout=SUITE_TIMEOUT)
        shell_run(g, "echo s=$?\r", [r"^s=0$"])
    return True, ""


SCENARIOS = [
    ("kconsole-cpus-smp4", scenario_kconsole_cpus_smp4),
    ("panic-smp4", scenario_panic_smp4),
    ("tester-all-smp4", scenario_tester_all_smp4),
]
