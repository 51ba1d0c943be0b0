"""Scenarios on several CPUs: four vCPUs under multi-threaded TCG
(-accel tcg,thread=multi -smp 4), every one started and taking part.

- kconsole-cpus-smp4: the kernel console's `cpus` lists four CPUs, each with
  ticks; `continue` boots to the shell, which answers.
- panic-smp4: a panic on one of four CPUs (the last; the three others spin
  with interrupts off) stops the others, which confirm it, and names its CPU.
- tester-all-smp4: `tester all` at the shell of a default boot on four CPUs
  (nstest and utest with every server of the system running beside them).
- dead-cpu-shell-smp4: boot option deadcpu=3 makes the last of four CPUs
  one that never answers its STARTUP IPIs; the boot names it and goes on
  with three; the kernel console's `cpus` and `top` show three CPUs (no
  idle thread is left on the dead CPU's slot) and `tester utest` passes,
  its threads pinned to and spread over the three.
- dead-cpu-kernel-smp4: deadcpu=1, so that CPU ids 1 and 2 are the CPUs
  with APIC ids 2 and 3 (slots taken over from the dead one): the kernel's
  SMP tests (IPIs to every CPU, shoot-downs that wait only for running
  CPUs, empty slots, hammered locks, IPC pairs, wake-ups) on those three.
- smp-wakeup-icount: the kernel's cross-CPU wake-up test with its bound in
  ticks (boot option exacttime), four CPUs under -icount.
- cpu-max-2-of-4 (needs --cpu-max-2-iso, a CONFIG_CPU_MAX=2 kernel): on
  four vCPUs the boot says four were found and two run; two run, and the
  shell answers.

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


def dead_cpu_skipped(apic_id):
    return rf"^smp: the CPU with APIC id {apic_id} did not answer; skipped$"


def scenario_dead_cpu_shell_smp4(args):
    problems = []
    with guest(args, "dead-cpu-shell-smp4", "kconsole deadcpu=3",
               allow=[r"\(utest\) killed: "], **SMP4) as g:
        g.expect(dead_cpu_skipped(3), BOOT_TIMEOUT)
        g.expect(r"^smp: 3 CPUs running$", 30)
        g.expect(r"Switchboard kernel console", BOOT_TIMEOUT)
        start = g.pos
        kconsole_command(g, "cpus", r"^\s+2\s+\d+%\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+[1-9]\d*\r?$")
        g.expect(r"kconsole> $", 30)
        if re.search(r"^\s+3\s+\d+%", g.output[start:g.pos], re.MULTILINE):
            problems.append("kconsole `cpus` lists a CPU 3")
        g.send("continue\r")
        g.expect(r"^init: ", 30)
        wait_shell_prompt(g)
        start = g.pos
        shell_run(g, "top -t -n 1 -d 0.5\r", [r"^top: "], timeout=120)
        problems += top_shows_three_cpus(g.output[start:g.pos])
        shell_run(g, "priv tester utest\r", [r"^utest: \d+ passed, 0 failed$",
                                              r"^tester: [1-9]\d* passed, 0 failed$"],
                  timeout=SUITE_TIMEOUT)
    return not problems, "; ".join(problems)


def top_shows_three_cpus(text):
    """Problems of a `top -t` snapshot on three CPUs: its header, its CPU
    lines and the CPU of every thread (idle threads idle, idle1, idle2)."""
    import scenarios_top
    snaps = scenarios_top.parse_snapshots(text, threads=True)
    if len(snaps) != 1:
        return [f"top printed {len(snaps)} snapshots"]
    s = snaps[0]
    problems = []
    if s["cpus"] != 3 or sorted(s["cpu"]) != [0, 1, 2]:
        problems.append(f"top: {s['cpus']} CPUs, CPU lines {sorted(s['cpu'])}")
    idle = sorted(r["name"] for r in s["rows"] if r["task"] == 0 and r["name"].startswith("idle"))
    if idle != ["idle", "idle1", "idle2"]:
        problems.append(f"top: idle threads {idle}")
    elsewhere = [r for r in s["rows"] if r["cpu"] > 2]
    if elsewhere:
        problems.append(f"top: threads on a CPU that does not run: {elsewhere}")
    return problems


# The kernel's tests of several CPUs (ktest prefixes): start-up, IPIs and
# empty slots (smp_), hammered locks, IPC pairs across CPUs.
SMP_KTESTS = "smp_,spinlock,ipc_pairs_"


def scenario_dead_cpu_kernel_smp4(args):
    with guest(args, "dead-cpu-kernel-smp4", f"test={SMP_KTESTS} deadcpu=1", **SMP4) as g:
        g.expect(dead_cpu_skipped(1), BOOT_TIMEOUT)
        g.expect(r"^smp: 3 CPUs running$", 30)
        m = g.expect(r"^ktest: (\d+) passed, (\d+) failed$", SUITE_TIMEOUT)
    passed, failed = int(m.group(1)), int(m.group(2))
    return passed >= 8 and failed == 0, f"ktest: {passed} passed, {failed} failed"


def scenario_smp_wakeup_icount(args):
    """The wake-up test with its bound in ticks, on four CPUs under -icount:
    guest time is counted in instructions there, so no host load can let a
    tick fall due while the woken CPU is held back."""
    with guest(args, "smp-wakeup-icount", "test=smp_wakeup exacttime", accel="tcg", smp=4,
               extra=["-icount", "shift=0,align=off,sleep=off"]) as g:
        g.expect(r"^smp: 4 CPUs running$", BOOT_TIMEOUT)
        m = g.expect(r"^ktest: (\d+) passed, (\d+) failed$", SUITE_TIMEOUT)
    passed, failed = int(m.group(1)), int(m.group(2))
    return passed >= 1 and failed == 0, f"ktest: {passed} passed, {failed} failed"


def scenario_cpu_max_2_of_4(args):
    with guest(args, "cpu-max-2-of-4", "", iso=args.cpu_max_2_iso, **SMP4) as g:
        g.expect(r"^smp: 4 CPUs found; this kernel runs at most 2 \(CONFIG_CPU_MAX\)$",
                 BOOT_TIMEOUT)
        g.expect(r"^smp: 2 CPUs running$", 30)
        wait_shell_prompt(g)
        start = g.pos
        shell_run(g, "top -t -n 1 -d 0.5\r", [r"^top: \d+ tasks, \d+ threads, 2 CPUs, "],
                  timeout=120)
        shell_run(g, "ps\r", [" sh "])
        busy = re.findall(r"^cpu(\d+) ", g.output[start:g.pos], re.MULTILINE)
    return busy == ["0", "1"], f"top's CPU lines {busy}"


SCENARIOS = [
    ("kconsole-cpus-smp4", scenario_kconsole_cpus_smp4),
    ("panic-smp4", scenario_panic_smp4),
    ("tester-all-smp4", scenario_tester_all_smp4),
    ("dead-cpu-shell-smp4", scenario_dead_cpu_shell_smp4),
    ("dead-cpu-kernel-smp4", scenario_dead_cpu_kernel_smp4),
    ("smp-wakeup-icount", scenario_smp_wakeup_icount),
]

# Need --cpu-max-2-iso.
CPU_MAX_2_SCENARIOS = [
    ("cpu-max-2-of-4", scenario_cpu_max_2_of_4),
]
