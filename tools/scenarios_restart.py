"""Scenarios: servers killed from the shell come back whole, and the ones the
system cannot lose say so (docs/robustness.md, "Servers that die").

One boot serves every restartable server in turn (kill it, check the shell,
pipes, /loc, program output and a new mount, go on with the next), so each
server gets a result of its own without a boot of its own. A second boot
checks that `kill` refuses the essential tasks and that `kill -f` of one
makes the kernel say so and reboot (QEMU runs with -no-reboot: it exits 0).
"""
import re
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
    _t().type_keys(g, f"kill {victim}\r")
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
    with _t().guest(args, "restart-servers", "") as g:
        try:
            _t().wait_shell_prompt(g)
        except GuestTimeout as e:
            return {name: (False, f"no prompt: {e}") for name in RESTARTABLE}
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
        if "results" not in _session:
            _session["results"] = run_restart_session(args)
        return _session["results"][name]
    scenario.__doc__ = f"{name} killed from the shell comes back whole."
    return scenario


def scenario_essential_tasks(args):
    """`kill` refuses the tasks the system cannot run without (exit 1, a
    message naming the task and -f); `kill -f` of the VFS makes the kernel
    say so and reboot."""
    with _t().guest(args, "restart-essential", "") as g:
        _t().wait_shell_prompt(g)
        for name in ("ns", "vfs", "tmpfs", "init"):
            victim = task_id(g, name)
            run(g, f"kill {victim}\r",
                [rf"^kill: task {victim} \({name}\) is essential: .* `kill -f {victim}`"])
            run(g, "echo refused-$?\r", [r"^refused-1$"])
        run(g, "echo still-here\r", [r"^still-here$"])
        victim = task_id(g, "vfs")
        run(g, f"kill -f {victim}\r",
            [rf"^system: essential task {victim} \(vfs\) ended \(killed\); "
             r"the system cannot run without it: rebooting$"], prompt=False)
        status = g.wait_exit(_t().BOOT_TIMEOUT)
    return status == 0, f"QEMU status {status} (a reboot under -no-reboot exits 0)"


SCENARIOS = [(f"restart-{name}", restart_scenario(name)) for name in RESTARTABLE] + [
    ("restart-essential", scenario_essential_tasks),
]
