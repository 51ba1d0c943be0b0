"""Scenarios: servers killed from the shell come back whole, the ones the
system cannot lose say so, and memory comes back (docs/robustness.md,
"Servers that die" and "Memory comes back").

One boot serves every restartable server in turn (kill it, check the shell,
pipes, /loc, program output and a new mount, go on with the next), so each
server gets a result of its own without a boot of its own. A second boot
checks that `kill` refuses the essential tasks and that `kill -f` of one
makes the kernel say so and reboot (QEMU runs with -no-reboot: it exits 0).
Drivers get a boot each: the serial or keyboard driver is killed from the
shell, devman starts it again and the console takes the new one up, so
that what is typed on that device reaches the shell again.
"""
import re
import threading
import time

from guest import GuestTimeout


def _t():
    """The harness's helpers (imported late: testrun imports this module)."""
    import testrun
    return testrun

# The servers init restarts, in the order they are killed. The console goes
# last: its restart restarts the shell too.
RESTARTABLE = ["pipefs", "locfs", "logger", "console"]

# Generous: TCG on a loaded machine. A restart itself takes well under a
# second of guest time.
STEP_TIMEOUT = 60

_session = {}
_session_lock = threading.Lock()  # scenarios may run concurrently (-j)


def run(g, keys, patterns, prompt=True):
    """Types @keys at the prompt and expects @patterns, then the prompt."""
    _t().shell_run(g, keys, patterns, timeout=STEP_TIMEOUT, prompt=prompt)


def task_id(g, name):
    """The id `ps` shows for the task called @name."""
    run(g, "ps\r", [])
    found = re.findall(rf"^\s*(\d+)\s+\d+\s+{re.escape(name)}\s", g.output, re.MULTILINE)
    if not found:
        raise GuestTimeout(f"no task {name} in ps")
    return found[-1]


def check_shell_whole(g, round_no):
    """What a user relies on after a restart: program output, pipes, /loc,
    files and a new mount."""
    run(g, f"echo alive-{round_no}\r", [rf"^alive-{round_no}$"])
    run(g, f"echo piped-{round_no} | cat\r", [rf"^piped-{round_no}$"])
    run(g, "ls /loc\r", [r"^term$"])
    run(g, f"echo file-{round_no} > /tmp/r{round_no}\r", [])
    run(g, f"cat /tmp/r{round_no}\r", [rf"^file-{round_no}$"])
    run(g, f"mkdir /tmp/m{round_no}\r", [])
    run(g, f"mount tmpfs /tmp/m{round_no}\r", [])
    run(g, f"echo inner > /tmp/m{round_no}/x\r", [])
    run(g, f"cat /tmp/m{round_no}/x\r", [r"^inner$"])


def kill_and_check(g, name, round_no):
    """Kills server @name from the shell and checks it came back whole."""
    victim = task_id(g, name)
    time.sleep(0.1)
    _t().type_keys(g, f"priv kill {victim}\r")
    # init's lines may follow a prompt on the same line: no ^.
    g.expect(rf"init: /srv/{name} \(task {victim}\) ended: killed; restarting it$",
             STEP_TIMEOUT)
    g.expect(rf"init: /srv/{name} \(task \d+\) is ready$", STEP_TIMEOUT)
    if name == "console":  # the shell lost its terminal and is started anew
        g.expect(r"^Type 'help' for commands\.", STEP_TIMEOUT)
        g.expect(r"/ # ", STEP_TIMEOUT)
    check_shell_whole(g, round_no)


def run_restart_session(args):
    """The shared boot: each restartable server killed in turn."""
    results = {}
    # Each kill makes init restart a server (and, for the console, the shell).
    with _t().guest(args, "restart-servers", "", allow=[r"restarting it$"]) as g:
        try:
            _t().wait_shell_prompt(g)
        except GuestTimeout as e:
            return {name: (False, f"no prompt: {e}") for name in RESTARTABLE}
        try:
            # /loc and /pipe are mounted at their first use: this use
            # starts locfs and pipefs, so that there is a server to kill.
            check_shell_whole(g, "first")
        except GuestTimeout as e:
            return {name: (False, f"the shell before any kill: {e}") for name in RESTARTABLE}
        for round_no, name in enumerate(RESTARTABLE):
            try:
                kill_and_check(g, name, round_no)
                results[name] = (True, "")
            except GuestTimeout as e:
                results[name] = (False, f"{e}; see {_t().LOG_DIR}/restart-servers.log")
                break
    for name in RESTARTABLE:
        results.setdefault(name, (False, "not reached: an earlier restart failed"))
    return results


def restart_scenario(name):
    def scenario(args):
        with _session_lock:  # the first to come boots; the others wait for it
            if "results" not in _session:
                _session["results"] = run_restart_session(args)
        return _session["results"][name]
    scenario.__doc__ = f"{name} killed from the shell comes back whole."
    return scenario


# The drivers killed from the shell: (name, device path, console kind).
DRIVERS = {"ns16550": ("/hw/com1", "serial"), "i8042": ("/hw/i8042", "keyboard")}


def type_on(g, driver, words, expect):
    """Types @words and Enter on @driver's device (the serial line or the
    PS/2 keyboard) and expects @expect, then the prompt."""
    if driver == "ns16550":
        run(g, f"{words}\r", [expect])
        return
    time.sleep(0.1)
    _t().send_keys(g, _t().keys_of(words) + ["ret"])
    g.expect(expect, STEP_TIMEOUT)
    g.expect(r"^/ # ", STEP_TIMEOUT)


def driver_scenario(driver):
    path, kind = DRIVERS[driver]

    def scenario(args):
        restarted = rf"devman: driver {driver} of {path} has gone; restarting it \(1 of 3\)$"
        with _t().guest(args, f"restart-{driver}", "", monitor=True,
                        allow=[restarted]) as g:
            _t().wait_shell_prompt(g)
            type_on(g, driver, f"echo before-{driver}", rf"^before-{driver}$")
            victim = task_id(g, driver)
            time.sleep(0.1)
            _t().type_keys(g, f"priv kill {victim}\r")
            # devman and the console notice the death side by side: their
            # lines come in either order; the console takes up the new
            # driver's service only after both.
            g.expect_all([restarted, rf"console: {kind} .*failed \(EHANGUP\); dropped$"],
                         STEP_TIMEOUT)
            g.expect(rf"^console: {kind} devices/", STEP_TIMEOUT)
            type_on(g, driver, f"echo after-{driver}", rf"^after-{driver}$")
            run(g, "devices\r", [rf"^\s*{re.escape(path)}\s+{driver}\s+running\s"])
        return True, ""
    scenario.__doc__ = (f"{driver} killed from the shell: devman starts it again and "
                        f"what is typed on its device reaches the shell again.")
    return scenario


def loc_listing(g, path):
    """The names `ls @path` prints, sorted."""
    start = len(g.output)
    run(g, f"ls {path}\r", [])
    lines = g.output[start:].splitlines()[1:]  # past the echoed command
    return sorted(line.strip() for line in lines if line.strip() and "# " not in line)


def scenario_restart_locsrv(args):
    """locsrv killed from the shell: init starts it again and every server
    and driver registers again with its old ids, so /loc lists what it did
    before, program output, the shell and a new mount work, and a driver
    restarted afterwards registers its service again."""
    restarted = r"devman: driver i8042 of /hw/i8042 has gone; restarting it \(1 of 3\)$"
    with _t().guest(args, "restart-locsrv", "", allow=[r"restarting it$", restarted]) as g:
        _t().wait_shell_prompt(g)
        # /loc is mounted at its first use: locfs's start (and its log
        # lines) come with the first program, not inside the listings.
        run(g, "echo first\r", [r"^first$"])
        before = {path: loc_listing(g, path) for path in ("/loc", "/loc/devices")}
        kill_and_check(g, "locsrv", 0)
        for path, names in before.items():
            after = loc_listing(g, path)
            if after != names:
                return False, f"ls {path}: {names} before, {after} after"
        # The keyboard driver, not the serial one the shell is typed on.
        victim = task_id(g, "i8042")
        time.sleep(0.1)
        _t().type_keys(g, f"priv kill {victim}\r")
        g.expect(restarted, STEP_TIMEOUT)
        g.expect(r"console: keyboard devices/", STEP_TIMEOUT)
        run(g, "echo after-driver\r", [r"^after-driver$"])
        run(g, "devices\r", [r"^\s*/hw/i8042\s+i8042\s+running\s"])
        run(g, "ls /loc/devices\r", [r"^\\hw\\i8042\\kbd$"])
    return True, ""


def scenario_essential_tasks(args):
    """`kill` refuses the tasks the system cannot run without (exit 1, a
    message naming the task and -f); `kill -f` of the VFS makes the kernel
    say so and reboot."""
    # The reboot under -no-reboot: QEMU exits with 0.
    with _t().guest(args, "restart-essential", "", ends="exit", exit_status=0) as g:
        _t().wait_shell_prompt(g)
        for name in ("ns", "vfs", "tmpfs", "init"):
            victim = task_id(g, name)
            run(g, f"kill {victim}\r",
                [rf"^kill: task {victim} \({name}\) is essential: .* `priv kill -f {victim}`"])
            run(g, "echo refused-$?\r", [r"^refused-1$"])
        run(g, "echo still-here\r", [r"^still-here$"])
        victim = task_id(g, "vfs")
        run(g, f"priv kill -f {victim}\r",
            [rf"^system: essential task {victim} \(vfs\) ended \(killed\); "
             r"the system cannot run without it: rebooting$"], prompt=False)
        status = g.wait_exit(_t().BOOT_TIMEOUT)
    return status == 0, f"QEMU status {status} (a reboot under -no-reboot exits 0)"


# Memory: the servers whose size is checked, and the bounds (KiB) on what
# may stay after a warm-up: in use by the system, and per server.
SERVERS = ["ns", "vfs", "tmpfs", "init", "logger", "locsrv", "locfs", "pipefs", "devman",
           "console"]
USED_SLACK_KIB = 256
SERVER_SLACK_KIB = 128  # a heap keeps up to 64 KiB of slack per region
APPS = "/app/asynctest /app/vfstest /app/sh /app/nstest /app/loctest /app/tasktest"


def memory_snapshot(g):
    """(KiB in use, {server: resident KiB}) from `free` and `ps`."""
    run(g, "free\r", [])
    used = int(re.findall(r"^Mem \(KiB\):\s+\d+\s+(\d+)", g.output, re.MULTILINE)[-1])
    start = len(g.output)
    run(g, "ps\r", [])
    sizes = {}
    for name, rss in re.findall(r"^\s*\d+\s+\d+\s+(\S+)\s+\d+\s+(\d+)", g.output[start:],
                                re.MULTILINE):
        sizes[name] = int(rss)
    return used, sizes


def memory_grown(before, after):
    """What grew past the bounds, as text ("" if nothing did)."""
    bad = []
    if after[0] > before[0] + USED_SLACK_KIB:
        bad.append(f"used {before[0]} -> {after[0]} KiB")
    for name in SERVERS:
        b, a = before[1].get(name), after[1].get(name)
        if b is None or a is None or a > b + SERVER_SLACK_KIB:
            bad.append(f"{name} {b} -> {a} KiB")
    return ", ".join(bad)


def spawn_script(g, lines):
    """/tmp/sN: a script of @lines (10, 100 or 1000) program runs."""
    for _ in range(10):
        run(g, "echo sleep 0 >> /tmp/s10\r", [])
    for n in (100, 1000):
        if n <= lines:
            run(g, f"cat {' '.join([f'/tmp/s{n // 10}'] * 10)} > /tmp/s{n}\r", [])


def fill_and_empty_tmpfs(g):
    """Writes about 12 MiB into /tmp and deletes it."""
    run(g, f"cat {APPS} > /tmp/a\r", [])
    run(g, "cat /tmp/a /tmp/a /tmp/a /tmp/a > /tmp/b\r", [])
    run(g, "cat /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b /tmp/b > /tmp/c\r", [])
    run(g, "stat /tmp/c\r", [r"^/tmp/c: .*, size \d{7,}, "])  # about 10 MiB
    run(g, "rm /tmp/a /tmp/b /tmp/c\r", [])


def scenario_memory_comes_back(args):
    """After a warm-up (a fill of /tmp, 100 program runs), filling /tmp with
    about 12 MiB and emptying it, then running 1,000 programs, leaves the
    memory in use within USED_SLACK_KIB and every server's size within
    SERVER_SLACK_KIB of what they were."""
    with _t().guest(args, "memory-comes-back", "") as g:
        _t().wait_shell_prompt(g)
        run(g, "echo warm | cat\r", [r"^warm$"])  # pipefs starts at the first pipe
        spawn_script(g, 1000)
        fill_and_empty_tmpfs(g)
        run(g, "sh /tmp/s100\r", [])
        before = memory_snapshot(g)
        fill_and_empty_tmpfs(g)
        after_fill = memory_snapshot(g)
        _t().shell_run(g, "sh /tmp/s1000\r", [], timeout=600)
        run(g, "echo spawned-$?\r", [r"^spawned-0$"])
        after_spawns = memory_snapshot(g)
    bad = memory_grown(before, after_fill)
    if bad:
        return False, f"after filling and emptying /tmp: {bad}"
    bad = memory_grown(before, after_spawns)
    return not bad, f"after 1,000 program runs: {bad}" if bad else ""


SCENARIOS = [(f"restart-{name}", restart_scenario(name)) for name in RESTARTABLE] + [
    (f"restart-{driver}", driver_scenario(driver)) for driver in DRIVERS] + [
    ("restart-locsrv", scenario_restart_locsrv),
    ("restart-essential", scenario_essential_tasks),
    ("memory-comes-back", scenario_memory_comes_back),
]
