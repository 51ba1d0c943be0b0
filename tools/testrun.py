#!/usr/bin/env python3
"""Run every Switchboard test suite and print one total line.

Suites: the host unit-test programs, the kernel self-tests booted in QEMU,
and QEMU scenarios (boot, crash reporting, small memory). With --ubsan-iso, the
self-tests run again on a kernel built with CONFIG_UBSAN=y (`kernel-ubsan.*`)
and one scenario checks its undefined-behaviour report. Each test prints one
PASS/FAIL line; the last line is `N passed, N failed`. Serial logs of every
QEMU run are kept under build/test-logs/. Exit status: 0 only if all passed,
and at least one test ran.

Suites and scenarios run concurrently (-j, default 2 QEMUs at once); each
one's lines are printed together when it ends. Every QEMU run is checked in
one place (guest.Guest.finish): its exit status and the whole serial log.
A suite that reports no test fails. A failed suite or scenario in which
QEMU itself crashed (died of SIGSEGV or the like, which no guest action
causes in a sound emulator) runs once more, with a note and the crashed
run's log kept (NAME.qemu-crash.log); a crash in the second run fails it.

Adding a scenario: a function taking the parsed arguments and returning
(ok, detail), listed in SCENARIOS below, or in the SCENARIOS list of a new
module tools/scenarios_<topic>.py (found and imported by this runner; its
RUN_SCENARIOS, OUTSIDE_SCENARIOS, UBSAN_SCENARIOS, NODEBUG_SCENARIOS and
CPU_MAX_2_SCENARIOS run when the image they need is given). It
boots with `guest(args, name, cmdline, ...)`; see guest() for how a run
declares its end and the trouble it expects.
"""
import argparse
import concurrent.futures
import glob
import json
import importlib
import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Modules of scenarios import this one by name: let them find this copy.
sys.modules.setdefault("testrun", sys.modules[__name__])
from guest import (Guest, GuestTimeout, QEMU_EXIT_PASS, QEMU_EXIT_FAIL,  # noqa: E402
                   guests_begin, guests_made)

LOG_DIR = "build/test-logs"
BOOT_TIMEOUT = 120       # TCG on a loaded machine: generous per-step limits
SUITE_TIMEOUT = 600


class Results:
    """The verdicts of one suite (or of the whole run), with the lines to print."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.lines = []

    def record(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            self.lines.append(f"PASS {name}")
        else:
            self.failed += 1
            self.failures.append(name)
            self.lines.append(f"FAIL {name}" + (f": {detail}" if detail else ""))

    def note(self, line):
        self.lines.append(line)

    def total(self):
        return self.passed + self.failed

    def add(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.failures += other.failures


def host_binary_verdict(proc, announced, reported, failed):
    """What is wrong with a host test program's run, as a list of reasons: it
    must announce its count (`TESTS n`, n > 0), report that many tests, end
    by exit (not a signal) with status 0 exactly when no test failed, and
    leave no sanitizer report."""
    wrong = []
    if announced is None:
        wrong.append("no `TESTS n` line")
    elif announced == 0:
        wrong.append("announced 0 tests")
    elif reported != announced:
        wrong.append(f"announced {announced} tests, reported {reported}")
    if proc.returncode < 0:
        wrong.append(f"killed by {signal.Signals(-proc.returncode).name}")
    elif (proc.returncode != 0) != (failed > 0):
        wrong.append(f"exit status {proc.returncode} with {failed} failed tests")
    for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error"):
        if marker in proc.stderr:
            wrong.append(marker)
    return wrong


def run_host_binary(results, binary):
    """One host test program: a result per test it reports, and one for the
    program (host.<program>) that fails if it crashed, ended by a signal or
    reported other than the tests it announced."""
    suite = os.path.basename(binary)
    try:
        proc = subprocess.run([binary], capture_output=True, text=True, timeout=SUITE_TIMEOUT)
    except subprocess.TimeoutExpired:
        results.record(f"host.{suite}", False, f"did not end within {SUITE_TIMEOUT} s")
        return
    except OSError as e:
        results.record(f"host.{suite}", False, f"cannot run: {e}")
        return
    announced, reported, failed = None, 0, 0
    for line in proc.stdout.splitlines():
        m = re.match(r"(PASS|FAIL) (\S+)$", line)
        count = re.match(r"TESTS (\d+)$", line)
        if count and announced is None and reported == 0:
            announced = int(count.group(1))
        elif m:
            reported += 1
            failed += m.group(1) == "FAIL"
            results.record("host." + m.group(2), m.group(1) == "PASS")
        elif line.startswith("  "):
            results.note(line)
    wrong = host_binary_verdict(proc, announced, reported, failed)
    results.record(f"host.{suite}", not wrong,
                   "; ".join(wrong) + (f"; stderr: {proc.stderr.strip()[-500:]}"
                                       if wrong and proc.stderr.strip() else ""))


def run_host_tests(results, binaries):
    for binary in binaries:
        run_host_binary(results, binary)


def default_ends(cmdline):
    """A boot with a test task or the kernel self-tests ends by itself; a
    default boot (to the shell) is halted from the shell's prompt."""
    words = cmdline.split()
    if any(w == "test" or w.startswith(("test=", "testtask=")) for w in words):
        return "exit"
    return "halt"


def guest(args, name, cmdline, iso=None, ends=None, exit_status=QEMU_EXIT_PASS, allow=(), **kw):
    """A Guest booting @iso (default --iso) with @cmdline, its serial log in
    LOG_DIR/@name.log. @ends says how the run ends ("exit": QEMU must exit by
    itself with @exit_status; "halt": at the end the runner types `halt` at
    the shell's prompt and QEMU must exit with 0; "running": QEMU is killed,
    unchecked); by default "exit" for test boots, "halt" for default ones.
    @allow lists regexes of the trouble lines (guest.TROUBLE) the run
    expects, e.g. the kill a test provokes."""
    opts = dict(qemu=args.qemu, accel=args.accel, cpu=args.cpu, mem=args.mem)
    opts.update(kw)
    return Guest(iso or args.iso, os.path.join(LOG_DIR, name + ".log"), cmdline,
                 ends=ends or default_ends(cmdline), exit_status=exit_status, allow=allow,
                 **opts)


def guest_problems(*guests):
    """The problems of @guests (default: every guest of this suite) found at
    their end; they count as reported."""
    found = []
    for g in guests or guests_made():
        g.checked = True
        found += [f"{g.name}: {p}" for p in g.problems]
    return found


def run_line_suite(results, args, tag, cmdline, prefix, iso, checks=(), allow=(), extra=(),
                   machine=None):
    """Boots @iso with @cmdline and collects a suite that prints
    `<tag>: PASS|FAIL <name>` lines and a final `<tag>: N passed, N failed`
    (kernel self-tests, user test tasks). One result per test named
    @prefix.<name>; one for the summary line, QEMU's exit status and the
    serial log's trouble lines (@allow: those expected); and one per
    (name, regex) in @checks that must appear in the serial log. @extra:
    more QEMU arguments (disks). @machine: guest() keywords (accel, smp)."""
    summary, detail = None, ""
    with guest(args, prefix, cmdline, iso=iso, allow=allow, extra=extra,
               **(machine or {})) as g:
        try:
            summary = g.expect(rf"^{tag}: (\d+) passed, (\d+) failed$", SUITE_TIMEOUT)
            if int(summary.group(2)) != 0:
                g.exit_status = QEMU_EXIT_FAIL
        except GuestTimeout as e:
            detail = str(e)
    lines = re.findall(rf"^{tag}: (PASS|FAIL) (\S+)", g.output, re.MULTILINE)
    for verdict, test in lines:
        results.record(f"{prefix}.{test}", verdict == "PASS")
    problems = guest_problems(g)
    if summary is None:
        results.record(f"{prefix}.completed", False,
                       "; ".join([detail] + problems) + f"; see {g.log_path}")
        return
    counted = (int(summary.group(1)), int(summary.group(2)))
    listed = (sum(v == "PASS" for v, _ in lines), sum(v == "FAIL" for v, _ in lines))
    results.record(f"{prefix}.summary-and-exit-status",
                   counted == listed and counted[0] > 0 and not problems,
                   "; ".join([f"summary {counted}, lines {listed}"] + problems))
    for name, regex in checks:
        results.record(f"{prefix}.{name}", re.search(regex, g.output, re.MULTILINE),
                       f"no /{regex}/ in {g.log_path}")


def run_kernel_selftests(results, args, prefix, iso):
    """The kernel self-tests (boot option `test`)."""
    run_line_suite(results, args, "ktest", "test", prefix, iso)


# The user-space test tasks: suite name -> (tag of its lines, boot options,
# prefix of its results, checks of the serial log, trouble it provokes).
USER_SUITES = {
    # Stress and leak tests from user space.
    "stress": ("stress", "testtask=stress", "stress", [
        ("malloc-returns-null", r"^stress: the eater got NULL after \d+ KiB$")], []),
    # The same through the async framework (client fibrils), a boot of its own:
    # its servers must reach it on phone 1, which only the test task gets.
    "astress": ("astress", "testtask=astress", "stress.async", [], []),
    # Fibrils and the async framework, with the report of the deadlock its
    # child task must die of.
    "asynctest": ("asynctest", "testtask=asynctest", "async", [
        ("deadlock-report", r"^asynctest: deadlock detected:\n"
         r"(  fibril \d+ \(entry 0x[0-9a-f]+\) waits for mutex 0x[0-9a-f]+ held by fibril \d+\n){2}"
         r"asynctest: aborted$")], [r"^asynctest: aborted$"]),
    # The kernel's user-mode test task; it provokes faults on purpose.
    "utest": ("utest", "testtask=utest", "utest", [
        ("fault-is-logged",
         r"^task \d+ \(utest\) killed: page fault at 0x10, ip 0x[0-9a-f]+$"),
        ("invalid-opcode-is-logged", r"^task \d+ \(utest\) killed: invalid opcode, ip ")],
        [r"\(utest\) killed: "]),
    # The naming service (started first with testinit=ns) tested by a client task.
    "nstest": ("nstest", "testinit=ns testtask=nstest", "ns", [], [r"\(nstest\) killed: "]),
    # The VFS and tmpfs, tested by a client task that mounts its own root.
    "vfstest": ("vfstest", "testinit=ns,vfs,tmpfs testtask=vfstest", "vfs", [], []),
    # The location service, its client library and locfs.
    "loctest": ("loctest", "testinit=ns,vfs,tmpfs testtask=loctest", "loc", [
        ("locsrv-started", r"^locsrv: started$")], []),
    # The device manager and its drivers: the tree, refused calls, a dead
    # driver started again, one that keeps dying failing only its device.
    "devtest": ("devtest", "testinit=ns,vfs,tmpfs testtask=devtest", "dev", [
        ("devman-reports-the-restart",
         r"^devman: driver i8042 of /hw/i8042 has gone; restarting it \(1 of 3\)$"),
        ("devman-reports-the-failure",
         r"^devman: driver i8042 of /hw/i8042 has gone 4 times; the device failed$")],
        [r"driver i8042 of /hw/i8042 has gone"]),
    # The key-value store example of docs/writing-a-server.md.
    "kvtest": ("kvtest", "testinit=ns,vfs,tmpfs testtask=kvtest", "kv", [], []),
    # The network server over loopback: TCP and UDP through sockets, leaks,
    # malformed packets, the server killed and started again.
    "nettest": ("nettest", "testinit=ns,vfs,tmpfs testtask=nettest", "net", [], []),
    # libc's POSIX sockets and poll over loopback, then websrv and nc.
    "socktest": ("socktest", "testinit=ns,vfs,tmpfs testtask=socktest", "sock", [], []),
    # The core programs (ls, cat, cp, ps, ...) run from /app, output in files.
    "appstest": ("appstest", "testinit=ns,vfs,tmpfs testtask=appstest", "apps", [], []),
    # Spawning through the loader, waiting through the naming service, and
    # init's restarts.
    "tasktest": ("tasktest", "testinit=ns testtask=tasktest", "tasks", [
        ("loader-names-the-bad-elf", r"^loader: /app/badelf: segment outside user space$"),
        ("init-grants-permissions",
         r"^init: /app/tasktest \(task \d+\) ended: exit status 6$"),
        ("init-logs-the-restart",
         r"^init: /app/tasktest \(task \d+\) ended: killed; restarting it$"),
        ("shared-constants-write-is-logged",
         r"^task \d+ \(textshare\) killed: page fault at 0x[0-9a-f]+, ip 0x[0-9a-f]+$")],
        [r"\(tasktest\) killed: ", r"\(textshare\) killed: page fault at ",
         r"^init: /app/tasktest \(task \d+\) ended: .*restarting it$"]),
    # Exceptions as messages and the debug interface (abi/exc.h): the kernel
    # logs why it killed the children whose handler refused or died.
    "exctest": ("exctest", "testinit=ns,vfs,tmpfs testtask=exctest", "exc", [
        ("refused-answer-is-logged",
         r"^task \d+ \(exctest\) killed: page fault \(exception handler: refused, "
         r"EINVAL\) at 0x600000000000, ip 0x[0-9a-f]+$"),
        ("kill-verdict-is-logged-as-without-a-handler",
         r"^task \d+ \(exctest\) killed: page fault at 0x600000000000, ip "),
        ("dead-handler-is-logged",
         r"^task \d+ \(exctest\) killed: page fault \(exception handler: gone, EHANGUP\) "),
        ("own-fault-is-not-sent", r"^task \d+ \(exctest\) killed: invalid opcode, ip ")],
        [r"\(exctest\) killed: "]),
    # User-space pagers (abi/pager.h): the kernel logs why it killed the
    # children whose pager answered wrongly, refused or died.
    "pagertest": ("pagertest", "testinit=ns,vfs,tmpfs testtask=pagertest", "pager", [
        ("short-page-is-logged",
         r"^task \d+ \(pagertest\) killed: page-in at 0x[0-9a-f]+, ip 0x[0-9a-f]+ "
         r"\(pager: answered 100 bytes for a 4096-byte page\)$"),
        ("long-page-is-logged",
         r"^task \d+ \(pagertest\) killed: page-in at 0x[0-9a-f]+, ip 0x[0-9a-f]+ "
         r"\(pager: answered 8192 bytes for a 4096-byte page\)$"),
        ("refusal-is-logged",
         r"^task \d+ \(pagertest\) killed: page-in at 0x[0-9a-f]+, ip 0x[0-9a-f]+ "
         r"\(pager: refused, EIO\)$"),
        ("dead-pager-is-logged",
         r"^task \d+ \(pagertest\) killed: page-in at 0x[0-9a-f]+, ip 0x[0-9a-f]+ "
         r"\(pager: gone, EHANGUP\)$"),
        ("page-past-the-end-is-logged",
         r"^task \d+ \(pagertest\) killed: page-in at 0x[0-9a-f]+, ip 0x[0-9a-f]+ "
         r"\(pager: refused, ERANGE\)$")],
        [r"\(pagertest\) killed: "]),
}

# These run a second time with the IPC fast path off (boot option
# ipcfast=off), as <prefix>-no-fastpath.*: the general path must pass them too.
NO_FASTPATH_SUITES = ["asynctest", "utest", "nstest", "tasktest", "vfstest", "astress",
                      "exctest", "pagertest"]


# These run a second time on four vCPUs under multi-threaded TCG, as
# <prefix>-smp4.*: tasks spread over the CPUs, their calls cross CPUs,
# utest's threads pin themselves to every CPU (migration, shoot-down, FPU),
# exctest stops threads running or sleeping on other CPUs and pagertest's
# page-ins are answered from other CPUs. Each must also log that four CPUs
# run.
SMP4_SUITES = ["asynctest", "utest", "nstest", "tasktest", "vfstest", "stress", "astress",
               "exctest", "pagertest"]
SMP4_MACHINE = dict(accel="tcg,thread=multi", smp=4)

# The IPC suites run a third time on four vCPUs with the fast path off, as
# <prefix>-no-fastpath-smp4.*: the general path is the reference on several
# CPUs too (remote wake-ups, answers and hang-ups racing across CPUs).
NO_FASTPATH_SMP4_SUITES = ["asynctest", "utest", "nstest", "tasktest", "vfstest", "astress"]


def user_suite(name, extra_options="", suffix="", machine=None):
    """The runner of USER_SUITES[@name], booted with @extra_options (and the
    guest() keywords @machine), its results named <prefix>@suffix.*."""
    tag, cmdline, prefix, checks, allow = USER_SUITES[name]
    if machine and machine.get("smp"):
        checks = checks + [("cpus-running", rf"^smp: {machine['smp']} CPUs running$")]

    def run(results, args):
        run_line_suite(results, args, tag, f"{cmdline} {extra_options}".strip(),
                       prefix + suffix, args.iso, checks=checks, allow=allow,
                       machine=machine)
    return run


def run_fuzz(results, args):
    """The system-call fuzzer: a fixed-seed round of 100,000 calls from several
    tasks killed at random points; the kernel must neither panic nor hang, and
    its counters must be back at the baseline afterwards. Then its watchdog
    must name a call made to hang on purpose (--hang) and fail the run."""
    with guest(args, "fuzz", "testtask=fuzz testargs=--seed,1,--calls,100000") as g:
        try:
            m = g.expect(r"^fuzz: seed 1: (\d+) calls, (\d+) tasks spawned, (\d+) killed: ok$",
                         SUITE_TIMEOUT)
            ok, detail = True, m.group(0)
            if not re.search(r"^fuzz: kernel counters .*: back at baseline$", g.output, re.M):
                ok, detail = False, "kernel counters not back at baseline"
        except GuestTimeout as e:
            ok, detail = False, f"{e}; see {g.log_path}"
    problems = guest_problems(g)
    results.record("fuzz.seed-1-100000-calls", ok and not problems,
                   "; ".join([detail] + problems))
    with guest(args, "fuzz-watchdog",
               "testtask=fuzz testargs=--seed,1,--calls,100000000,--watchdog,2,--hang,500",
               exit_status=QEMU_EXIT_FAIL) as g:
        try:
            m = g.expect(r"^fuzz: watchdog: child \d+ \(seed \d+\) thread 0: call \d+, number 44 "
                         r"\(0x[0-9a-f]+, 0, 0, 0, 0, 0\), has not returned in \d+ s$", SUITE_TIMEOUT)
            g.expect(r"^fuzz: seed 1: \d+ calls, \d+ tasks spawned, \d+ killed: FAILED$",
                     SUITE_TIMEOUT)
            ok, detail = True, m.group(0)
        except GuestTimeout as e:
            ok, detail = False, f"{e}; see {g.log_path}"
    problems = guest_problems(g)
    results.record("fuzz.watchdog-names-the-hung-call", ok and not problems,
                   "; ".join([detail] + problems))


def run_docs(results, args):
    """The code blocks of the documentation against the files they quote."""
    proc = subprocess.run([sys.executable, "tools/checkdocs.py", "check",
                           "docs/writing-a-server.md"], capture_output=True, text=True)
    for m in re.finditer(r"^(PASS|FAIL) (\S+) (\S+)$", proc.stdout, re.MULTILINE):
        results.record(f"docs.{m.group(2)}", m.group(1) == "PASS", f"block quoting {m.group(3)}")
    results.record("docs.check-completed", proc.returncode in (0, 1) and "PASS" in proc.stdout,
                   proc.stderr.strip())


def run_harness_selftest(results, args):
    """The host tools' own unit tests: the runner's (tools/testrun_test.py,
    tests harness.*: it must count only what ran and notice trouble), the
    IPC trace converter's (tools/ipctrace_test.py, tests ipctrace.*) and the
    Linux guest's module order (tools/linuxguest_test.py, linuxguest.*)."""
    import unittest
    import ipctrace_test
    import linuxguest_test
    import testrun_test
    for prefix, module in (("harness", testrun_test), ("ipctrace", ipctrace_test),
                           ("linuxguest", linuxguest_test)):
        suite = unittest.defaultTestLoader.loadTestsFromModule(module)
        tests = list(iter_tests(suite))   # a suite forgets its tests as they run
        outcome = unittest.TestResult()
        suite.run(outcome)
        bad = {t.id(): tb for t, tb in outcome.failures + outcome.errors}
        for test in tests:
            tb = bad.get(test.id())
            results.record(f"{prefix}." + test.id().split(".")[-1], tb is None,
                           tb.strip().splitlines()[-1] if tb else "")


def iter_tests(suite):
    for t in suite:
        if hasattr(t, "__iter__"):
            yield from iter_tests(t)
        else:
            yield t


def scenario_boot_init(args):
    """The default boot: the naming service, then init running init.conf."""
    with guest(args, "boot-init", "") as g:
        g.expect(r"^ns: naming service started", BOOT_TIMEOUT)
        g.expect(r"^init: mounted tmpfs on / \(archive=rootfs,take\)", 30)
        g.expect(r"^init: starting the programs of /cfg/init.conf", 30)
        g.expect(r"^init: mounted tmpfs on /tmp \(size=16777216\)", 30)
        g.expect(r"^init: /srv/locsrv \(task \d+\) is ready", 30)
        g.expect(r"^init: locfs on /loc is mounted at its first use$", 30)
        g.expect(r"^init: /srv/devman \(task \d+\) is ready", 30)
        g.expect(r"^init: /srv/console \(task \d+\) is ready", 30)
        # hello's output and init's report of starting it come from two
        # tasks running side by side: in either order.
        g.expect_all([r'^argv\[1\] = "Switchboard is up"',
                      r"^init: started /app/hello \(task \d+\)"], 30)
        g.expect(r"^init: /app/hello \(task \d+\) ended: exit status 0$", 30)
        g.expect(r"^init: done", 30)
        g.expect(r"^Type 'help' for commands\.", 30)
        g.expect(r"/ # ", 30)
    return True, ""


def type_keys(g, keys):
    """Types @keys on the serial line one byte at a time, as a person would."""
    for k in keys:
        g.send(k)
        time.sleep(0.02)


def scenario_terminal(args):
    """The serial driver and the console: termtest reads what is typed on the
    serial line in cooked and raw mode, Ctrl-D and Ctrl-C; once it kills the
    serial driver, devman starts it again, its service comes back and the
    console reads a line typed on the serial line from the new driver."""
    steps = [
        (r"termtest: type a line> ", "hello world\r", [r"termtest: got \[hello world\]"]),
        (r"termtest: type hello with a typo> ", "helx\x7flo\r", [r"termtest: got \[hello\]"]),
        (r"termtest: press ctrl-d> ", "\x04",
         [r"ctrl-d on an empty line ends input \(0 bytes\): ok"]),
        (r"termtest: raw> ", "ab\x03z", [r"raw mode gives the bytes as typed, ctrl-c included: ok"]),
        (r"termtest: type ahead raw> ", "ty", []),
        (r"termtest: finish the line> ", "pe\r",
         [r"keys typed ahead in raw mode are edited into the cooked line: ok"]),
        (r"termtest: type ahead cooked> ", "ab",
         [r"a line typed ahead in cooked mode is read in raw mode: ok"]),
        (r"termtest: after a dead reader> ", "kept\r",
         [r"a line typed after a reader was killed reaches the next reader: ok"]),
        (r"termtest: press ctrl-c> ", "\x03", [r"\^C", r"ctrl-c kills the foreground task: ok"]),
        (r"termtest: ctrl-c, then go> ", "\x03go\r",
         [r"a ctrl-c typed before the foreground task exists kills it: ok"]),
    ]
    with guest(args, "terminal", "testinit=ns,vfs,tmpfs testtask=termtest",
               allow=[r"driver ns16550 of /hw/com1 has gone; restarting it"]) as g:
        g.expect(r"ns16550: /hw/com1/a at 0x3f8, irq 4", BOOT_TIMEOUT)
        for prompt, keys, answers in steps:
            g.expect(prompt, 60)
            time.sleep(0.2)
            type_keys(g, keys)
            for a in answers:
                g.expect(a, 60)
        g.expect(r"the device manager starts the driver again: ok", 60)
        g.expect(r"the driver's service is back in the location service: ok", 60)
        g.expect(r"the rest of the device tree still runs: ok", 60)
        g.expect(r"the console still serves reads: ok", 60)
        g.expect(r"what the console writes still reaches the screen: ok", 60)
        g.expect(r"termtest: type after the restart> ", 60)
        time.sleep(0.2)
        type_keys(g, "again\r")
        g.expect(r"termtest: got \[again\]", 60)
        g.expect(r"termtest: 0 failures", 60)
    return True, ""


UP, LEFT, HOME, DEL = "\x1b[A", "\x1b[D", "\x1b[H", "\x1b[3~"

# (name, keys typed, texts expected in order, the prompt that follows or None)
SHELL_STEPS = [
    ("pwd", "pwd\r", ["\n/\r"], "/ # "),
    ("cd", "cd /tmp\r", [], "/tmp # "),
    ("pwd-in-tmp", "pwd\r", ["\n/tmp\r"], "/tmp # "),
    ("quoting", "hello a \"b c\" '$?' x\\ y\r",
     ['argv[1] = "a"', 'argv[2] = "b c"', 'argv[3] = "$?"', 'argv[4] = "x y"'], "/tmp # "),
    ("redirect-out", "echo one > /tmp/out\r", [], "/tmp # "),
    ("redirect-append", "echo two >> /tmp/out\r", [], "/tmp # "),
    ("redirect-in", "cat < /tmp/out\r", ["one", "two"], "/tmp # "),
    ("ls", "ls /tmp\r", ["out"], "/tmp # "),
    ("not-found", "nosuch\r", ["sh: nosuch: not found"], "/tmp # "),
    ("status-127", "echo $? s=$?\r", ["127 s=127"], "/tmp # "),
    ("missing-file", "cat /tmp/nothere\r", ["cat: /tmp/nothere:"], "/tmp # "),
    ("status-1", "echo $?\r", ["\n1\r"], "/tmp # "),
    ("bad-option", "ls -Z\r", ["ls: unknown option -Z"], "/tmp # "),
    ("read-only-root", "touch /data/new\r", ["touch: /data/new: EROFS"], "/tmp # "),
    ("status-after-erofs", "echo $?\r", ["\n1\r"], "/tmp # "),
    ("fault-reported", "tasktest --child fault\r", ["killed: page fault at 0x10"], "/tmp # "),
    ("status-139", "echo $?\r", ["139"], "/tmp # "),
    # The shell is every program's exception handler: a crash prints the
    # fault and a symbolic backtrace, and the shell goes on.
    ("crash-backtrace", "exctest --child crash\r",
     ["exctest (task ", "page fault at 0x10, ip ", "rip ", "#0 ", " in crash_deepest+",
      " in crash_inner+", " in child_crash+", " in main+", "killed: page fault at 0x10"],
     "/tmp # "),
    ("after-crash", "echo $?\r", ["139"], "/tmp # "),
    ("taskdump-spinner", "exctest --child spin &\r", [], "/tmp # "),
    ("taskdump", "priv taskdump exctest\r",
     ["(exctest)", "thread ", "stopped", "rip ", " in spin_here+", " in child_spin+"],
     "/tmp # "),
    ("taskdump-spinner-fg", "fg\r", [], None),
    ("taskdump-spinner-killed", "\x03", ["killed"], "/tmp # "),
    # A server blocked in its async wait: stopped there, with its backtrace
    # through the wait's system call to the connection fibril that waits in
    # async_get_call (a task with one runner waits in place, docs/async.md).
    ("taskdump-server", "exctest --child server &\r", [], "/tmp # "),
    ("taskdump-blocked", "priv taskdump exctest\r",
     ["(exctest)", "stopped in a system call", "rip ", "#0 ", "#1 0x",
      " in async_get_call_timeout+", " in __fibril_entry+"],
     "/tmp # "),
    ("taskdump-server-fg", "fg\r", [], None),
    ("taskdump-server-killed", "\x03", ["killed"], "/tmp # "),
    ("pipe-three", "echo one two three | cat | cat > /tmp/p\r", [], "/tmp # "),
    ("pipe-result", "cat /tmp/p\r", ["\none two three\r"], "/tmp # "),
    ("pipe-ls", "ls /app | cat\r", ["hello"], "/tmp # "),
    ("pipe-builtin", "pwd | cat\r", ["sh: pwd: a builtin cannot run in a pipeline"], "/tmp # "),
    ("bad-redirect", "cat < /tmp/nothere\r", ["sh: /tmp/nothere:"], "/tmp # "),
    ("backspace", "hellx\x7fo edited\r", ['argv[1] = "edited"'], "/tmp # "),
    ("cursor", "hello bc" + LEFT + LEFT + "a\r", ['argv[1] = "abc"'], "/tmp # "),
    ("home-delete", "xhello q" + HOME + DEL + "\r", ['argv[1] = "q"'], "/tmp # "),
    ("history-up", UP + "\r", ['argv[1] = "q"'], "/tmp # "),
    ("history", "history\r", ["hello abc"], "/tmp # "),
    ("tab-completes", "kvt\t", ["kvtest "], None),
    ("tab-line-discarded", "\x03", ["^C"], "/tmp # "),
    ("tab-path", "cat /data/he\t", ["/data/hello.txt "], None),
    ("tab-path-runs", "\r", ["Hello from the Switchboard root file system."], "/tmp # "),
    ("ctrl-c-line", "hello discarded\x03", ["^C"], "/tmp # "),
    ("ctrl-c-program", "sleep 30\r", [], None),
    ("ctrl-c-kills", "\x03", ["killed"], "/tmp # "),
    ("stdin-is-the-terminal", "cat\r", [], None),
    ("stdin-line", "typed line\r", ["typed line\rtyped line\r"], None),
    ("stdin-ctrl-d", "\x04", [], "/tmp # "),
    ("stdin-status", "echo s=$?\r", ["s=0"], "/tmp # "),
    ("pipeline-from-terminal", "cat | cat | cat\r", [], None),
    ("pipeline-line", "through three\r", ["through three\rthrough three\r"], None),
    ("ctrl-c-every-stage", "\x03", ["^C", "killed", "killed", "killed"], "/tmp # "),
    ("after-pipeline", "echo back $?\r", ["back 130"], "/tmp # "),
    ("mkdir-p", "mkdir -p /tmp/a/b/c\r", [], "/tmp # "),
    ("stat", "stat /tmp/a/b\r", ["/tmp/a/b: directory"], "/tmp # "),
    ("help", "help\r", ["Builtins:", "history"], "/tmp # "),
    ("script", "sh /data/shtest.sh\r",
     ["\n/tmp\r", 'argv[1] = "from script"', "sh: nosuch: not found"], "/tmp # "),
    ("script-status", "echo $?\r", ["\n5\r"], "/tmp # "),
    ("ps", "ps\r", ["console", " sh "], "/tmp # "),
    ("exit-restarts", "exit 3\r", ["Type 'help' for commands."], "/ # "),
]


def scenario_shell(args):
    """A scripted session in the shell on the serial console (default boot)."""
    failed = []
    with guest(args, "shell", "", allow=[
            r"\(tasktest\) killed: page fault at 0x10,",
            r"\(exctest\) killed: page fault at 0x10,",
            r"^init: /app/sh \(task \d+\) ended: exit status 3; restarting it$"]) as g:
        g.expect(r"^Type 'help' for commands\.", BOOT_TIMEOUT)
        g.expect(r"/ # ", 30)
        for name, keys, texts, prompt in SHELL_STEPS:
            time.sleep(0.1)
            type_keys(g, keys)
            try:
                for t in texts:  # the guest's log has no carriage returns
                    g.expect(re.escape(t.replace("\r", "\n")), 30)
                if prompt is not None:
                    g.expect("^" + re.escape(prompt), 30)
            except GuestTimeout:
                failed.append(name)
                break
    return not failed, f"failed at {failed} (see {LOG_DIR}/shell.log)" if failed else ""


def vga_screen_rows(g):
    """The characters of the VGA text screen (80x25 at 0xb8000), row by row,
    read through the QEMU monitor (Guest made with monitor=True)."""
    out = g.hmp("xp /2000hx 0xb8000")
    out = re.sub(r"^[0-9a-f]+:", "", out, flags=re.M)
    cells = [int(v, 16) for v in re.findall(r"0x([0-9a-f]{4})\b", out)]
    text = "".join(chr(c & 0xff) if 0x20 <= (c & 0xff) < 0x7f else " " for c in cells)
    return [text[i:i + 80].rstrip() for i in range(0, len(text), 80)]


def scenario_vga_console(args):
    """The VGA driver takes the screen from the kernel and the console draws
    on it: `echo vga-ok` at the shell shows its output line in VGA memory."""
    with guest(args, "vga-console", "", monitor=True) as g:
        g.expect(r"^Type 'help' for commands\.", BOOT_TIMEOUT)
        g.expect(r"/ # ", 30)
        type_keys(g, "echo vga-ok\r")
        g.expect(r"^vga-ok$", 30)
        rows = []
        for _ in range(50):  # the console draws asynchronously
            rows = vga_screen_rows(g)
            if "vga-ok" in rows and any(r.endswith("# echo vga-ok") for r in rows):
                return True, ""
            time.sleep(0.2)
    return False, "VGA screen: " + " | ".join(r for r in rows if r)


def send_keys(g, keys):
    """Presses and releases QEMU key names (`e`, `spc`, `shift-a`, `ctrl-c`,
    `ret`) on the PS/2 keyboard, one after another."""
    for k in keys:
        g.hmp("sendkey " + k)
        time.sleep(0.05)


def keys_of(word):
    """The QEMU key names that type @word (lower case, digits, '-', ' ')."""
    names = {" ": "spc", "-": "minus"}
    return [names.get(c, c) for c in word]


def scenario_keyboard(args):
    """The i8042 keyboard drives the console as the serial line does: a
    command typed on it runs in the shell, its output on the serial line;
    Shift types capitals; Ctrl-C kills the program in the foreground."""
    with guest(args, "keyboard", "", monitor=True) as g:
        g.expect(r"^console: keyboard ", BOOT_TIMEOUT)
        g.expect(r"^Type 'help' for commands\.", 30)
        g.expect(r"/ # ", 30)
        time.sleep(0.2)
        send_keys(g, keys_of("echo kbd-ok") + ["ret"])
        g.expect(r"^kbd-ok$", 30)
        g.expect(r"^/ # ", 30)
        send_keys(g, keys_of("echo x") + ["shift-a", "ret"])
        g.expect(r"^xA$", 30)
        g.expect(r"^/ # ", 30)
        send_keys(g, keys_of("sleep 10") + ["ret"])
        time.sleep(1)
        started = time.monotonic()
        send_keys(g, ["ctrl-c"])
        g.expect(r"\^C", 5)
        g.expect(r"killed", 5)
        g.expect(r"^/ # ", 5)
        waited = time.monotonic() - started
    return waited < 8, f"ctrl-c took {waited:.1f} s"


# What lspci shows of QEMU's standard PC (i440FX, PIIX3, std VGA, e1000).
LSPCI_LINES = [
    r"^00:00\.0 8086:1237 Host bridge \[0600\]$",
    r"^00:01\.0 8086:7000 ISA bridge \[0601\]$",
    r"^00:01\.1 8086:7010 IDE interface \[0101\]$",
    r"^00:01\.3 8086:7113 Bridge \[0680\]$",
    r"^00:02\.0 1234:1111 VGA compatible controller \[0300\]$",
    r"^00:0[0-9a-f]\.0 8086:100e Ethernet controller \[0200\]$",
]


def scenario_lspci(args):
    """The PCI bus driver, started by devman under the pc platform driver,
    finds QEMU's standard functions; lspci in the shell lists them (-v with
    BARs and interrupt lines) and --help and a bad option behave."""
    with guest(args, "lspci", "") as g:
        g.expect(r"^Type 'help' for commands\.", BOOT_TIMEOUT)
        g.expect(r"/ # ", 30)
        for _ in range(20):  # devman may still be starting the driver
            time.sleep(0.1)
            type_keys(g, "lspci\r")
            m = g.expect(r"^(00:00\.0 .*|lspci: no PCI bus driver .*)$", 30)
            g.expect(r"^/ # ", 30)
            if m.group(1).startswith("00:00.0"):
                break
            time.sleep(0.5)
        else:
            return False, "lspci never found the PCI bus driver"
        type_keys(g, "lspci\r")
        for line in LSPCI_LINES:
            g.expect(line, 30)
        g.expect(r"^/ # ", 30)
        type_keys(g, "lspci -v\r")
        g.expect(r"^00:02\.0 1234:1111 VGA compatible controller \[0300\]$", 30)
        g.expect(r"^\tBAR0: memory at 0x[0-9a-f]+, 0x1000000 bytes \(32-bit, prefetchable\)$", 30)
        g.expect(r"^[0-9a-f:.]+ 8086:100e Ethernet controller \[0200\]$", 30)
        g.expect(r"^\tBAR1: I/O ports at 0x[0-9a-f]+, 64 ports$", 30)
        g.expect(r"^\tIRQ \d+ \(INTA#\)$", 30)
        g.expect(r"^/ # ", 30)
        steps = [("lspci --help\r", r"^usage: lspci \[-v\]$"), ("echo s=$?\r", r"^s=0$"),
                 ("lspci -x\r", r"^lspci: unknown option -x$"), ("echo s=$?\r", r"^s=2$")]
        for keys, answer in steps:
            type_keys(g, keys)
            g.expect(answer, 30)
            g.expect(r"^/ # ", 30)
    return True, ""


# What `devices` shows of QEMU's PC: every device with its driver.
DEVICES_LINES = [
    r"^/hw +pc +running +task \d+ +platform/pc$",
    r"^  /hw/pci0 +pci +running +task \d+ +pc/pci-host$",
    r"^    /hw/pci0/00:00\.0 +- +no driver",
    r"^    /hw/pci0/00:02\.0 +vga +running +task \d+ +pci/class=03&subclass=00$",
    r"^      screen +display +online$",
    r"^    ctl +pci +online$",
    r"^  /hw/com1 +ns16550 +running +task \d+ +isa/ns16550$",
    r"^    a +serial +online$",
    r"^  /hw/i8042 +i8042 +running +task \d+ +isa/i8042$",
    r"^    kbd +keyboard +online$",
]


def scenario_devices(args):
    """The device tree after boot: the platform, the PCI bus and its
    functions, COM1 and the i8042, each with its driver running, and the
    functions they expose in their categories; `ls /loc/devices` lists the
    services."""
    with guest(args, "devices", "") as g:
        g.expect(r"^Type 'help' for commands\.", BOOT_TIMEOUT)
        g.expect(r"/ # ", 30)
        time.sleep(0.1)
        type_keys(g, "devices\r")
        for line in DEVICES_LINES:
            g.expect(line, 30)
        g.expect(r"^/ # ", 30)
        type_keys(g, "ls /loc/devices\r")
        for name in (r"\\hw\\com1\\a", r"\\hw\\i8042\\kbd", r"\\hw\\pci0\\ctl"):
            g.expect("^" + name + "$", 30)
        g.expect(r"^/ # ", 30)
        type_keys(g, "devices -x\r")
        g.expect(r"^devices: unknown option -x", 30)
        g.expect(r"^/ # ", 30)
    return True, ""


def scenario_outside_app(args):
    """A program built from outside the tree (EXTRA_APPS) runs from /app."""
    if not args.outside_iso:
        return False, "no --outside-iso"
    cmdline = "testinit=ns,vfs,tmpfs testtask=init testargs=--root,rootfs,/cfg/outside-test.conf"
    with guest(args, "outside-app", cmdline, iso=args.outside_iso) as g:
        g.expect(r"^outside: built outside the tree, task \d+, 3 arguments$", BOOT_TIMEOUT)
        g.expect(r"^init: /app/outside \(task \d+\) ended: exit status 0$", 30)
    return True, ""


def scenario_boot_banner(args):
    with guest(args, "boot-banner", "") as g:
        g.expect(r"Switchboard \d+\.\d+\.\d+ \(amd64\)", BOOT_TIMEOUT)
        g.expect(r"^memory: \d+ MiB usable", 10)
        g.expect(r"^cpu: NX yes, SMEP yes, SMAP yes", 10)
        wait_shell_prompt(g)
    return True, ""


def crash_scenario(args, test, patterns, iso=None):
    """A crash test: the kernel panics with @patterns in order, then ends
    QEMU with the failure status."""
    with guest(args, test, f"test={test}", iso=iso, exit_status=QEMU_EXIT_FAIL,
               allow=[r"^PANIC: "]) as g:
        for p in patterns:
            g.expect(p, BOOT_TIMEOUT)
    return True, ""


def scenario_panic_page_fault(args):
    return crash_scenario(args, "crash_page_fault", [
        r"PANIC: page fault at 0x10 \(page not present on write, kernel mode\)",
        r"rip ffffffff8", r"cr2 0000000000000010", r"^backtrace:",
        r"ktest_fn_crash_page_fault\+", r"ktest_run\+", r"System halted"])


def scenario_panic_assert(args):
    return crash_scenario(args, "crash_assert", [
        r"PANIC: assertion failed: one == 2, kernel/test/crash_test.c:\d+, ktest_fn_crash_assert",
        r"^backtrace:", r"System halted"])


def scenario_panic_invalid_opcode(args):
    return crash_scenario(args, "crash_invalid_opcode", [
        r"PANIC: invalid opcode", r"rax [0-9a-f]{16}", r"ktest_fn_crash_invalid_opcode"])


def scenario_kernel_stack_overflow(args):
    """Running off a kernel stack hits its guard page and is named as such."""
    return crash_scenario(args, "crash_kernel_stack_overflow", [
        r"PANIC: kernel stack overflow in thread overflow \(fault at 0xffffc", r"^backtrace:",
        r"recurse", r"System halted"])


def scenario_ubsan_reports_shift(args):
    """Undefined behaviour in a CONFIG_UBSAN kernel panics with kind and place."""
    return crash_scenario(args, "crash_ubsan_shift", [
        r"PANIC: UBSan: shift out of bounds at kernel/test/ubsan_test\.c:\d+:\d+: "
        r"shift exponent 40 is too large for 32-bit type 'int'",
        r"^backtrace:", r"ktest_fn_crash_ubsan_shift(\.cold)?\+", r"System halted"],
        iso=args.ubsan_iso)


def scenario_small_memory(args):
    """The kernel boots and its allocators work in a 32 MiB guest."""
    with guest(args, "small-memory", "test=frame", mem="32M") as g:
        m = g.expect(r"^ktest: (\d+) passed, (\d+) failed$", BOOT_TIMEOUT)
        ok = int(m.group(1)) > 0 and int(m.group(2)) == 0
    return ok, m.group(0)


def scenario_shell_32m(args):
    """The image `make run` boots reaches the shell prompt in a 32 MiB guest
    (memory commit accounting must leave room for every server), and `free`
    shows the memory committed but not yet touched: at most an eighth of it
    all. The test image boots, which carries every test program twice (as a
    boot module and in the root archive): it fits because tmpfs takes the
    archive's module over and keeps its files there (`take`, filled in
    place); with the archive kept beside a copy of its files there was no
    room left to start the shell."""
    with guest(args, "shell-32m", "", mem="32M") as g:
        g.expect(r"^Type 'help' for commands\.", BOOT_TIMEOUT)
        g.expect(r"/ # ", 30)
        time.sleep(0.1)
        type_keys(g, "free\r")
        m = g.expect(r"^Mem \(KiB\):\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", 30)
        g.expect(r"^/ # ", 30)
        total, used, free, committed = (int(v) for v in m.groups())
        return committed * 8 <= total, f"{m.group(0)}; see {LOG_DIR}/shell-32m.log"


def kconsole_command(g, command, expect, timeout=30):
    g.expect(r"kconsole> $", timeout)
    g.send(command + "\r")
    return g.expect(expect, timeout)


def scenario_kconsole(args):
    """The kernel console's commands print what they should; continue resumes."""
    with guest(args, "kconsole", "kconsole") as g:
        g.expect(r"Switchboard kernel console", BOOT_TIMEOUT)
        kconsole_command(g, "help", r"ipclog \[N\] \[TASK\]")
        kconsole_command(g, "version", r"Switchboard \d+\.\d+\.\d+ \(amd64\)")
        kconsole_command(g, "uptime", r"up \d+\.\d{3} s")
        kconsole_command(g, "tasks", r"\s+0 kernel\s+\d+ running")
        kconsole_command(g, "threads", r"kinit\s+running\s+\d+\s+\d+\s+\d+\.\d{3}\s+\d+\s+\d+")
        kconsole_command(g, "ipc 0", r"task 0 \(kernel\): answerbox active")
        kconsole_command(g, "caps 0", r"task 0 \(kernel\): \d+ capabilities")
        kconsole_command(g, "caps 999", r"give the id of an existing task")
        kconsole_command(g, "mem", r"frames: \d+ total, \d+ free")
        kconsole_command(g, "ipclog 5", r"the IPC log is off")
        kconsole_command(g, "frobnicate", r"Unknown command 'frobnicate'")
        g.expect(r"kconsole> $", 30)
        g.send("test printf\r")
        m = g.expect(r"^ktest: (\d+) passed, (\d+) failed$", 30)
        ran = g.output[:m.start()].rsplit("test printf", 1)[-1]
        listed = len(re.findall(r"^ktest: PASS printf", ran, re.MULTILINE))
        kconsole_command(g, "continue", r"^init: ")
        wait_shell_prompt(g)
    counted = (int(m.group(1)), int(m.group(2)))
    return counted == (listed, 0) and listed > 0, f"summary {counted}, PASS lines {listed}"


def scenario_kconsole_after_panic(args):
    """A panic outside test mode lands in the kernel console."""
    with guest(args, "kconsole-panic", "kconsole", ends="exit", exit_status=1,
               allow=[r"^PANIC: page fault at 0x10 "]) as g:
        g.expect(r"Switchboard kernel console", BOOT_TIMEOUT)
        kconsole_command(g, "test crash_page_fault", r"PANIC: page fault at 0x10")
        g.expect(r"backtrace:", 10)
        kconsole_command(g, "continue", r"cannot continue")
        kconsole_command(g, "tasks", r"\s+0 kernel")
        kconsole_command(g, "halt", r"Halting")
    return True, ""


def scenario_ipclog(args):
    """ipclog traces a known exchange with task and method names, return
    values and latencies; its JSON turns into a Perfetto trace."""
    with guest(args, "ipclog", "testtask=ipclog testargs=--demo") as g:
        g.expect(r"call +\d+:bench +-> \d+:ipclog +CONNECT_TO_ME", BOOT_TIMEOUT)
        g.expect(r"answer +\d+:ipclog +-> \d+:bench +CONNECT_TO_ME += EOK \(\d+ ns\)", 30)
        for i in (1, 2, 3):
            g.expect(rf"call +\d+:ipclog +-> \d+:bench +bench\.ping +\({i}, {i * 10}, 0, 0, 0\)", 30)
            g.expect(r"answer +\d+:bench +-> \d+:ipclog +bench\.ping += EOK \(\d+ ns\)", 30)
        g.expect(r"hangup +\d+:ipclog +-> \d+:bench +PHONE_HUNGUP", 30)
    with guest(args, "ipclog-export", "testtask=ipclog testargs=--demo,--export") as g:
        g.expect(r"^ipclog-export-end", BOOT_TIMEOUT)
        if g.wait_exit(30) != QEMU_EXIT_PASS:
            return False, "ipclog --demo --export did not exit 0"
    # Every call has an arrow to its answer; the server's answer to the
    # PHONE_HUNGUP (a call no task sent, the kernel's) makes none: it once
    # made an arrow's end with no start, whenever it came before the log
    # was read.
    out = os.path.join(LOG_DIR, "ipclog-trace.json")
    proc = subprocess.run([sys.executable, "tools/ipctrace.py", g.log_path, "-o", out],
                          capture_output=True, text=True)
    if proc.returncode != 0 or "ipctrace:" in proc.stderr:
        return False, f"ipctrace: {proc.stdout} {proc.stderr}"
    with open(out) as f:
        events = json.load(f)["traceEvents"]
    flows = [e for e in events if e.get("ph") in ("s", "t", "f")]
    ends = [e for e in flows if e["ph"] == "f"]
    names = sorted(e["name"] for e in events if e.get("ph") == "X" and e["name"].startswith("call "))
    if len(ends) != 4 or names != ["call CONNECT_TO_ME"] + ["call bench.ping"] * 3:
        return False, f"{len(ends)} flow ends (4 wanted), calls {names}"
    return True, ""


def scenario_ipclog_vfs(args):
    """With the log on from boot, `cat` of a file is traced through the VFS
    and tmpfs with the methods named by their connections' interfaces (its
    4 KiB reads go through its shared buffer: docs/vfs.md)."""
    with guest(args, "ipclog-vfs", "ipclog=size=16384") as g:
        wait_shell_prompt(g)
        shell_run(g, "echo hello > /tmp/hello.txt\r", [])
        shell_run(g, "cat /tmp/hello.txt\r", [r"^hello$"])
        shell_run(g, "priv ipclog --off\r", [])
        shell_run(g, "priv ipclog\r", [
            r"call +\d+:\S+ +-> \d+:vfs +vfs\.open ",
            r"call +\d+:vfs +-> \d+:tmpfs +fs\.lookup ",
            r"call +\d+:\S+ +-> \d+:vfs +vfs\.read_shared ",
            r"call +\d+:vfs +-> \d+:tmpfs +fs\.read_shared ",
            r"answer +\d+:vfs +-> \d+:\S+ +vfs\.read_shared += EOK \(\d+ ns\)"],
                  timeout=120)
        shell_run(g, "echo ipclog-done $?\r", [r"^ipclog-done 0$"], timeout=120)
    return True, ""


# Characters of other writers that may come between two of a line's own
# (see mixed()): about two of init's log lines.
MIXED_GAP = 200


def mixed(text):
    """A regex for @text whose characters may each have up to MIXED_GAP
    others before the next. The kernel writes its console lines (init's log
    among them) to the UART itself while a program's output reaches the
    same port through the serial driver; on several CPUs both write at once
    and their characters interleave (they share the port, not a lock)."""
    gap = ".{0,%d}?" % MIXED_GAP
    return "(?s:" + gap.join(re.escape(c) for c in text) + ")"


def wait_shell_prompt(g):
    """Waits for the shell's first prompt in a default boot. The shell is the
    last program init starts, so its banner and prompt are written while
    init's closing lines are: on several CPUs their characters may mix
    (mixed())."""
    g.expect(mixed("Type 'help' for commands."), BOOT_TIMEOUT)
    g.expect(mixed("/ # "), 30)


def shell_run(g, keys, patterns, timeout=30, prompt=True):
    """Types @keys and waits for each regex of @patterns in order, then the
    next prompt."""
    time.sleep(0.1)
    type_keys(g, keys)
    for p in patterns:
        g.expect(p, timeout)
    if prompt:
        g.expect(r"^/ # ", timeout)


# (keys typed, regexes expected in order); each step ends at the prompt.
SYSTEM_STEPS = [
    ("dmesg\r", [r"^Switchboard \d+\.\d+\.\d+ \(amd64\)", r"^memory: \d+ MiB usable",
                 r"^init: /srv/logger \(task \d+\) is ready"]),
    ("dmesg -m a-line-for-the-log\r", []),
    ("dmesg | cat\r", [r"^dmesg: a-line-for-the-log$"]),
    ("dmesg -x\r", [r"^dmesg: unknown option -x"]),
    ("echo $?\r", [r"^2$"]),
    ("priv ipclog --on\r", []),
    ("priv ipclog -n 3\r", [r"^ *\d+\.\d+ +(call|answer|hangup) "]),
    ("priv ipclog --off\r", []),
    ("echo $?\r", [r"^0$"]),
    ("tester -l\r", [r"^nstest +limit \d+ s"]),
    ("tester nosuch\r", [r"^tester: nosuch: no such test program"]),
    ("priv tester all\r", [r"^nstest: PASS ns_ping$", r"^nstest: \d+ passed, 0 failed$",
                      r"^utest: PASS granted_resources$", r"^utest: \d+ passed, 0 failed$",
                      r"^tester: [1-9]\d* passed, 0 failed$"]),
    ("echo $?\r", [r"^0$"]),
]


# `tester all` runs nstest and utest, which provoke faults on purpose.
TESTER_ALL_KILLS = [r"\((nstest|utest)\) killed: "]


def scenario_system_programs(args):
    """dmesg shows the kernel's boot lines and programs' lines; the shell's
    programs hold its permissions (ipclog, kcon); tester runs nstest; kcon's
    `continue` comes back to the prompt."""
    with guest(args, "system-programs", "", allow=TESTER_ALL_KILLS) as g:
        wait_shell_prompt(g)
        for keys, patterns in SYSTEM_STEPS:
            shell_run(g, keys, patterns, timeout=60)
        shell_run(g, "priv kcon\r", [r"^kcon: entering the kernel console"], prompt=False)
        kconsole_command(g, "tasks", r"\d+ kcon +\d+ running")
        kconsole_command(g, "continue", r"^kcon: back from the kernel console$")
        g.expect(r"^/ # ", 30)
        shell_run(g, "echo after $?\r", [r"^after 0$"])
    return True, ""


def scenario_halt(args):
    """`halt` powers the machine off (ACPI): QEMU exits with status 0 after
    the kernel names the task that asked."""
    with guest(args, "halt", "") as g:
        wait_shell_prompt(g)
        shell_run(g, "priv halt\r", [r"^system: powering off \(asked by task \d+ halt\)$"],
                  prompt=False)
        g.wait_exit(30)
        halted = re.search(r"^System halted\.", g.output, re.MULTILINE)
    return not halted, "fell back to halting"


def scenario_reboot(args):
    """`reboot` resets the machine; the harness runs QEMU with -no-reboot,
    so the reset ends QEMU (status 0) instead of booting again."""
    with guest(args, "reboot", "") as g:
        wait_shell_prompt(g)
        shell_run(g, "priv reboot\r", [r"^system: rebooting \(asked by task \d+ reboot\)$"],
                  prompt=False)
    return True, ""


SCENARIOS = [
    ("boot-banner", scenario_boot_banner),
    ("boot-init", scenario_boot_init),
    ("terminal", scenario_terminal),
    ("shell", scenario_shell),
    ("lspci", scenario_lspci),
    ("devices", scenario_devices),
    ("vga-console", scenario_vga_console),
    ("keyboard", scenario_keyboard),
    ("panic-page-fault", scenario_panic_page_fault),
    ("panic-assert", scenario_panic_assert),
    ("panic-invalid-opcode", scenario_panic_invalid_opcode),
    ("kernel-stack-overflow", scenario_kernel_stack_overflow),
    ("small-memory-32m", scenario_small_memory),
    ("kconsole", scenario_kconsole),
    ("ipclog", scenario_ipclog),
    ("ipclog-vfs", scenario_ipclog_vfs),
    ("kconsole-after-panic", scenario_kconsole_after_panic),
    ("system-programs", scenario_system_programs),
    ("halt", scenario_halt),
    ("reboot", scenario_reboot),
    ("shell-32m", scenario_shell_32m),
]

def scenario_run_image(args):
    """The image `make run` boots (without the test-only modules): the shell
    comes up, `tester all` passes there too (its programs start children from
    their own boot modules, which must be in this image), and `halt` ends it."""
    with guest(args, "run-image", "", iso=args.run_iso, allow=TESTER_ALL_KILLS) as g:
        wait_shell_prompt(g)
        shell_run(g, "priv tester all\r", [r"^nstest: \d+ passed, 0 failed$",
                                      r"^utest: \d+ passed, 0 failed$",
                                      r"^tester: [1-9]\d* passed, 0 failed$"], timeout=120)
        shell_run(g, "priv halt\r", [r"^system: powering off"], prompt=False)
    return True, ""


# Need --run-iso.
RUN_SCENARIOS = [
    ("run-image", scenario_run_image),
]

# Need --outside-iso.
OUTSIDE_SCENARIOS = [
    ("outside-app", scenario_outside_app),
]

# Need --ubsan-iso.
UBSAN_SCENARIOS = [
    ("ubsan-reports-shift", scenario_ubsan_reports_shift),
]


def scenario_unit(name, fn):
    """A scenario as a suite of one result, qemu.@name, which also fails for
    the problems found at the end of its guests (exit status, trouble)."""
    def run(results, args):
        try:
            ok, detail = fn(args)
        except GuestTimeout as e:
            ok, detail = False, f"{e}; see {LOG_DIR}/"
        problems = guest_problems()
        results.record("qemu." + name, ok and not problems,
                       "; ".join(d for d in [detail] + problems if d))
    return run


def scenarios(args):
    """Every scenario to run: SCENARIOS here and in each tools/scenarios_*.py,
    and their UBSAN_, OUTSIDE_, RUN_, NODEBUG_ and CPU_MAX_2_SCENARIOS when
    the image they need was given."""
    modules = [sys.modules[__name__]]
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "scenarios_*.py"))):
        modules.append(importlib.import_module(os.path.splitext(os.path.basename(path))[0]))
    found = []
    for m in modules:
        found += m.SCENARIOS
        found += getattr(m, "UBSAN_SCENARIOS", []) if args.ubsan_iso else []
        found += getattr(m, "OUTSIDE_SCENARIOS", []) if args.outside_iso else []
        found += getattr(m, "RUN_SCENARIOS", []) if args.run_iso else []
        found += getattr(m, "NODEBUG_SCENARIOS", []) if args.nodebug_iso else []
        found += getattr(m, "CPU_MAX_2_SCENARIOS", []) if args.cpu_max_2_iso else []
    return [(name, fn) for name, fn in found if not args.only or args.only in name]


def run_kernel_ipc_no_fastpath(results, args):
    """The kernel's IPC tests again with the fast path off: the general path
    is the reference."""
    run_line_suite(results, args, "ktest", "test=ipc ipcfast=off", "kernel-ipc-no-fastpath",
                   args.iso)


def run_kernel_smp4(results, args):
    """The kernel self-tests on four vCPUs (start-up, every CPU's tick, IPIs
    to each CPU, hammered locks, IPC and revocation across CPUs); the log
    must show four CPUs running."""
    run_line_suite(results, args, "ktest", "test", "kernel-smp4", args.iso,
                   checks=[("cpus-running", r"^smp: 4 CPUs running$")], machine=SMP4_MACHINE)


def run_kernel_ipc_no_fastpath_smp4(results, args):
    """The kernel's IPC tests with the fast path off on four vCPUs: its
    cross-CPU tests (answers, revocation, kills on other CPUs) on the
    general path; the log must show four CPUs running."""
    run_line_suite(results, args, "ktest", "test=ipc ipcfast=off",
                   "kernel-ipc-no-fastpath-smp4", args.iso,
                   checks=[("cpus-running", r"^smp: 4 CPUs running$")], machine=SMP4_MACHINE)


def needs_image(option, run):
    """@run, or a failure when the image it needs (--@option) was not given:
    a suite never passes by running nothing."""
    def checked(results, args):
        if not getattr(args, option.replace("-", "_")):
            results.record(f"{option}.given", False, f"this suite needs --{option}")
            return
        run(results, args)
    return checked


def scenario_nodebug_shell(args):
    """A CONFIG_DEBUG=n build boots to the shell, and `tester all` passes there."""
    with guest(args, "nodebug-shell", "", iso=args.nodebug_iso, allow=TESTER_ALL_KILLS) as g:
        wait_shell_prompt(g)
        shell_run(g, "priv tester all\r", [r"^tester: [1-9]\d* passed, 0 failed$"], timeout=120)
    return True, ""


# Need --nodebug-iso.
NODEBUG_SCENARIOS = [
    ("nodebug-shell", scenario_nodebug_shell),
]


SUITES = {
    "harness": run_harness_selftest,
    "host": lambda results, args: run_host_tests(results, args.host_tests),
    "kernel": lambda results, args: run_kernel_selftests(results, args, "kernel", args.iso),
    "kernel-ipc-no-fastpath": run_kernel_ipc_no_fastpath,
    "kernel-smp4": run_kernel_smp4,
    "kernel-ipc-no-fastpath-smp4": run_kernel_ipc_no_fastpath_smp4,
    **{name: user_suite(name) for name in USER_SUITES},
    **{name + "-no-fastpath": user_suite(name, "ipcfast=off", "-no-fastpath")
       for name in NO_FASTPATH_SUITES},
    **{name + "-smp4": user_suite(name, "", "-smp4", SMP4_MACHINE) for name in SMP4_SUITES},
    **{name + "-no-fastpath-smp4": user_suite(name, "ipcfast=off", "-no-fastpath-smp4",
                                              SMP4_MACHINE)
       for name in NO_FASTPATH_SMP4_SUITES},
    "docs": run_docs,
    "fuzz": run_fuzz,
    # Block devices and file systems on disks (tools/storage_tests.py).
    "bd-ata": lambda results, args: importlib.import_module("storage_tests").run_bd(
        results, args, "ata"),
    "fs-fat-ata": lambda results, args: importlib.import_module("storage_tests").run_fs(
        results, args, "fat", "ata"),
    "fs-ext2-ata": lambda results, args: importlib.import_module("storage_tests").run_fs(
        results, args, "ext2", "ata"),
    "bd-virtio": lambda results, args: importlib.import_module("storage_tests").run_bd(
        results, args, "virtio"),
    "bd-virtio-faulty": lambda results, args: importlib.import_module(
        "storage_tests").run_bd_virtio_faulty(results, args),
    "fs-fat-virtio": lambda results, args: importlib.import_module("storage_tests").run_fs(
        results, args, "fat", "virtio"),
    "fs-ext2-virtio": lambda results, args: importlib.import_module("storage_tests").run_fs(
        results, args, "ext2", "virtio"),
    "fs-damaged-ata": lambda results, args: importlib.import_module(
        "storage_tests").run_fs_damaged(results, args),
    "kernel-ubsan": needs_image("ubsan-iso", lambda results, args: run_kernel_selftests(
        results, args, "kernel-ubsan", args.ubsan_iso)),
    "kernel-nodebug": needs_image("nodebug-iso", lambda results, args: run_kernel_selftests(
        results, args, "kernel-nodebug", args.nodebug_iso)),
}


def run_unit(args, name, run):
    """Runs one suite or scenario; returns its Results. A run that failed
    while QEMU itself crashed (guest.Guest.emulator_crash) runs once more,
    its crashed logs kept beside the new ones (NAME.qemu-crash.log) and a
    note printed: the emulator's fault is not the guest's result, and a
    guest that makes QEMU crash every time still fails."""
    results, crashed = run_unit_once(args, name, run)
    if results.failed == 0 or not crashed:
        return results
    notes = []
    for g, sig in crashed:
        kept = os.path.splitext(g.log_path)[0] + ".qemu-crash.log"
        os.replace(g.log_path, kept)
        notes.append(f"# {name}: QEMU died of {signal.Signals(sig).name} on its own "
                     f"(an emulator crash; log {kept}); running it again once")
    EMULATOR_CRASHES.extend(notes)
    again, _ = run_unit_once(args, name, run)
    again.lines[:0] = notes
    return again


# Notes of the runs QEMU's own crashes made run again (run_unit).
EMULATOR_CRASHES = []


def run_unit_once(args, name, run):
    """Runs one suite or scenario; returns its Results and the guests whose
    QEMU crashed on its own, with the signal. Problems of guests the suite
    did not report itself are reported here, and a suite that reports
    nothing fails."""
    results = Results()
    guests_begin()
    start = time.monotonic()
    try:
        run(results, args)
    except Exception as e:  # a bug of the suite must not hide the others
        results.record(f"{name}.completed", False, f"{type(e).__name__}: {e}")
    for g in guests_made():
        if not g.checked:
            problems = guest_problems(g)
            results.record(f"{g.name}.end", not problems, "; ".join(problems))
    if results.total() == 0:
        results.record(f"{name}.ran-tests", False, "the suite reported no test")
    results.note(f"# {name}: {time.monotonic() - start:.0f} s")
    crashed = [(g, g.emulator_crash()) for g in guests_made() if g.emulator_crash()]
    return results, crashed


def run_units(units, args, jobs):
    """Runs @units ((name, run) pairs), @jobs at a time; prints each one's
    lines when it ends; returns the total Results."""
    total = Results()
    lock = threading.Lock()

    def one(unit):
        results = run_unit(args, *unit)
        with lock:
            print("\n".join(results.lines), flush=True)
            total.add(results)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for f in [pool.submit(one, u) for u in units]:
            f.result()
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--iso", required=True)
    ap.add_argument("--ubsan-iso", default="",
                    help="ISO of a CONFIG_UBSAN=y kernel (suite kernel-ubsan, fails without it)")
    ap.add_argument("--nodebug-iso", default="",
                    help="ISO of a CONFIG_DEBUG=n build (suite kernel-nodebug, fails without it)")
    ap.add_argument("--cpu-max-2-iso", default="",
                    help="ISO of a CONFIG_CPU_MAX=2 kernel (scenario cpu-max-2-of-4)")
    ap.add_argument("--outside-iso", default="",
                    help="ISO with a program built by EXTRA_APPS (scenario outside-app)")
    ap.add_argument("--run-iso", default="",
                    help="the image make run boots (scenario run-image)")
    ap.add_argument("--host-tests", nargs="*", default=[])
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--cpu", default="max")
    ap.add_argument("--mem", default="128M")
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="suites and scenarios run at once (default 2)")
    ap.add_argument("--only", default="", help="run only scenarios whose name contains this")
    ap.add_argument("--suite", default="",
                    help="run only this suite (" + ", ".join(SUITES) + ")")
    args = ap.parse_args()
    if args.suite and args.suite not in SUITES:
        ap.error(f"no suite {args.suite}; there are: {', '.join(SUITES)}")

    start = time.monotonic()
    if args.suite:
        units = [(args.suite, SUITES[args.suite])]
    else:
        units = [] if args.only else list(SUITES.items())
        units += [(name, scenario_unit(name, fn)) for name, fn in scenarios(args)]
    results = run_units(units, args, args.jobs)
    print(f"# {time.monotonic() - start:.0f} s with -j{args.jobs}; serial logs in {LOG_DIR}/")
    if EMULATOR_CRASHES:
        print(f"# QEMU crashed on its own {len(EMULATOR_CRASHES)} times; each such run ran again:")
        print("\n".join(EMULATOR_CRASHES))
    if results.failures:
        print("# failed: " + " ".join(results.failures))
    if results.total() == 0:
        results.record("run.ran-tests", False)
        print("# no test ran")
    print(f"{results.passed} passed, {results.failed} failed")
    sys.exit(0 if results.failed == 0 else 1)


if __name__ == "__main__":
    main()
