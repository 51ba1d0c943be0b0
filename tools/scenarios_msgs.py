"""Scenarios of what a user meets at the prompt: every program's --help and
bad option, the error messages of the file and system programs, the test
programs kept out of make run's image, and `reboot` under make run's flags.

Each scenario types at the shell (testrun.shell_run) and returns (ok, detail)
like the scenarios of testrun.py, which lists them in SCENARIOS and
RUN_SCENARIOS.
"""
import os
import re
import subprocess
import tempfile
import time

from guest import QEMU_EXIT_FAIL
from testrun import BOOT_TIMEOUT, guest, shell_run, type_keys, wait_shell_prompt

PROMPT = r"^/ # "


def shell_output(g, keys, timeout=60):
    """Types @keys and returns what the shell printed up to the next prompt
    (the echoed command line left out)."""
    time.sleep(0.1)
    start = len(g.output)
    type_keys(g, keys)
    g.expect(PROMPT, timeout)
    text = g.output[start:g.pos]
    lines = text.split("\n")[1:-1]          # the echo, then the new prompt
    return "\n".join(lines)


def shell_status(g, keys, timeout=60):
    """Runs @keys at the prompt; its output and exit status ($?)."""
    out = shell_output(g, keys, timeout)
    status = shell_output(g, "echo s=$?\r", timeout)
    m = re.search(r"^s=(\d+)$", status, re.MULTILINE)
    return out, int(m.group(1)) if m else None


def list_dir(g, path):
    return [n for n in shell_output(g, f"ls {path}\r").split("\n") if n]


def server_tasks(g):
    """(id, name) of every task `ps` lists, but ps itself."""
    out = shell_output(g, "ps\r")
    tasks = set()
    for line in out.split("\n"):
        m = re.match(r"^ *(\d+) +\d+ (\S+) ", line)
        if m and m.group(2) != "ps":
            tasks.add((m.group(1), m.group(2)))
    return tasks


# Only the kernel starts the loader (its own boot module, linked where
# programs cannot be): the loader refuses to load it, and sh says so.
NOT_PROGRAMS = {"/srv/loader": r"^sh: /srv/loader: not an executable$"}


def check_usage(g, path):
    """`PATH --help` prints its usage and exits 0; `PATH --bogus-option`
    says so, prints the usage and exits 2. A problem's text, or ''."""
    name = path.rsplit("/", 1)[1]
    out, status = shell_status(g, f"{path} --help\r")
    if path in NOT_PROGRAMS:
        ok = re.search(NOT_PROGRAMS[path], out, re.MULTILINE) and status == 126
        return "" if ok else f"{path} --help: status {status}, output [{out}]"
    if not re.search(rf"^usage: {re.escape(name)} ", out, re.MULTILINE) or status != 0:
        return f"{path} --help: status {status}, output [{out}]"
    out, status = shell_status(g, f"{path} --bogus-option\r")
    if (not re.search(rf"^{re.escape(name)}: unknown option --bogus-option$", out,
                      re.MULTILINE)
            or not re.search(rf"^usage: {re.escape(name)} ", out, re.MULTILINE)
            or status != 2):
        return f"{path} --bogus-option: status {status}, output [{out}]"
    return ""


def scenario_every_program_answers_help(args):
    """Every program of /app, /srv and /test answers --help with its usage
    (status 0) and a bad option with a message and its usage (status 2),
    and starts nothing: afterwards the same tasks run (no server was killed,
    restarted or started twice) and init reported no task's end."""
    with guest(args, "every-program-answers-help", "") as g:
        wait_shell_prompt(g)
        before = server_tasks(g)
        start = len(g.output)
        programs = [f"/{d}/{n}" for d in ("app", "srv", "test") for n in list_dir(g, f"/{d}")]
        if len(programs) < 40:
            return False, f"only {len(programs)} programs listed: {programs}"
        problems = [p for p in (check_usage(g, path) for path in programs) if p]
        after = server_tasks(g)
        ended = re.findall(r"^init: .* ended.*$", g.output[start:], re.MULTILINE)
    if problems:
        return False, "; ".join(problems[:5])
    if before != after or ended:
        return False, f"tasks changed: gone {before - after}, new {after - before}; {ended}"
    return True, f"{len(programs)} programs"


# (keys, regexes the output must match, regexes it must not, exit status).
MESSAGE_STEPS = [
    ("cat /tmp\r", [r"^cat: /tmp: EISDIR: is a directory$"], [], 1),
    ("cat /tmp/nothing\r", [r"^cat: /tmp/nothing: ENOENT: no such file or directory$"], [], 1),
    ("ls --bogus\r", [r"^ls: unknown option --bogus$", r"^usage: ls "],
     [r"unknown option --$"], 2),
    ("mount nosuchfs /tmp\r", [r"^mount: nosuchfs: no file system of this type is registered$"],
     [r"mount: /tmp"], 1),
    ("mount tmpfs /nowhere\r", [r"^mount: /nowhere: ENOENT: no such file or directory$"], [], 1),
    ("df /nonexistent\r", [r"^df: /nonexistent: ENOENT: no such file or directory$"],
     [r"^/nonexistent +", r"^PATH +TYPE"], 1),
    ("df\r", [r"^/ +tmpfs ", r"^/tmp +tmpfs ", r"^/loc +locfs ", r"^/pipe +pipefs "], [], 0),
    ("mount\r", [r"^tmpfs on / \(ro, task \d+\)$", r"^tmpfs on /tmp \(rw, task \d+\)$",
                 r"^locfs on /loc \(rw, task \d+\)$", r"^pipefs on /pipe \(rw, task \d+\)$"],
     [], 0),
    ("kill -9 999999\r", [r"^kill: 999999: ENOENT: no such file or directory$"],
     [r"unknown option"], 1),
    ("kill -KILL x\r", [r"^kill: x: EINVAL: invalid argument$"], [r"unknown option"], 1),
    ("nosuchcmd\r", [r"^sh: nosuchcmd: not found$"], [r"loader"], 127),
    ("dmesg\r", [], [r"loader: .*nosuchcmd"], 0),
    ("ipclog -t vfs\r", [r"^ipclog: -t vfs: not a task id", r"^usage: ipclog "], [], 2),
    ("ipclog -n abc\r", [r"^ipclog: -n abc: not a number$", r"^usage: ipclog "], [], 2),
    ("ipclog --from -1\r", [r"^ipclog: --from -1: not a number$", r"^usage: ipclog "], [], 2),
    ("ipclog --stats -f\r", [r"^ipclog: -f follows the printed records only$",
                              r"^usage: ipclog "], [], 2),
    ("ipclog -o /tmp/x --host\r", [r"^usage: ipclog "], [], 2),
    ("ipclog --run\r", [r"^ipclog: --run needs a program$", r"^usage: ipclog "], [], 2),
    ("ipclog -n\r", [r"^ipclog: option -n needs an argument$", r"^usage: ipclog "], [], 2),
]

# mv across file systems: it moves, or fails before changing anything.
MV_STEPS = [
    ("echo moved > /tmp/a.txt\r", [], [], 0),
    ("mkdir /tmp/m\r", [], [], 0),
    ("mount tmpfs /tmp/m\r", [], [], 0),
    ("mv /tmp/a.txt /tmp/m\r", [], [r"EIO", r"rm:"], 0),
    ("cat /tmp/m/a.txt\r", [r"^moved$"], [], 0),
    ("cat /tmp/a.txt\r", [r"ENOENT"], [], 1),
    # The source's file system is read-only: refused before copying.
    ("mv /data/hello.txt /tmp\r", [r"^mv: /data/hello.txt: EROFS: read-only file system$"],
     [r"EIO", r"rm:"], 1),
    ("cat /tmp/hello.txt\r", [r"^cat: /tmp/hello.txt: ENOENT"], [], 1),
    # The destination's is read-only: the copy fails, nothing is removed.
    ("mv /tmp/m/a.txt /data\r", [r"^cp: .*EROFS", r"^mv: /tmp/m/a.txt: not moved"],
     [r"EIO"], 1),
    ("cat /tmp/m/a.txt\r", [r"^moved$"], [], 0),
]


def run_steps(g, steps):
    """Runs (keys, wanted, unwanted, status) steps; a problem's text, or ''."""
    for keys, wanted, unwanted, want_status in steps:
        out, status = shell_status(g, keys)
        command = keys.strip()
        for w in wanted:
            if not re.search(w, out, re.MULTILINE):
                return f"{command}: no /{w}/ in [{out}]"
        for u in unwanted:
            if re.search(u, out, re.MULTILINE):
                return f"{command}: /{u}/ in [{out}]"
        if status != want_status:
            return f"{command}: status {status}, wanted {want_status}; [{out}]"
    return ""


def scenario_clear_messages(args):
    """Errors name the file and the cause with strerror's text; df and mount
    list every mount; kill takes -9; an unknown command gets one line (the
    shell's); ipclog refuses a task name and a bad count; mv across file
    systems moves or changes nothing."""
    with guest(args, "clear-messages", "") as g:
        wait_shell_prompt(g)
        problem = run_steps(g, MESSAGE_STEPS) or run_steps(g, MV_STEPS)
    return not problem, problem


def ipclog_records(out):
    return re.findall(r"^ *\d+\.\d+ +(?:call|answer|forward|hangup) +.*$", out, re.MULTILINE)


def scenario_ipclog_task_before_count(args):
    """`ipclog -t ID -n 5` prints the last five records of task ID (the
    filter comes before the count), however few of the log's last five
    records are that task's."""
    with guest(args, "ipclog-task-before-count", "") as g:
        wait_shell_prompt(g)
        shell_run(g, "priv ipclog --on\r", [])
        shell_run(g, "ls /data\r", [r"^hello\.txt$"])
        shell_run(g, "priv ipclog --off\r", [])
        tasks = dict((name, tid) for tid, name in server_tasks(g))
        problems = []
        for name in ("ns", "vfs", "tmpfs", "console"):
            if name not in tasks:
                problems.append(f"no task {name} in ps")
                continue
            records = ipclog_records(shell_output(g, f"priv ipclog -t {tasks[name]} -n 5\r"))
            mine = [r for r in records if f" {tasks[name]}:{name} " in r + " "]
            if len(records) != 5 or len(mine) != 5:
                problems.append(f"-t {tasks[name]} ({name}): {len(records)} records, "
                                f"{len(mine)} of it")
    return not problems, "; ".join(problems)


TEST_PROGRAMS = ["appstest", "astress", "asynctest", "bench", "devtest", "exctest", "fuzz", "kvtest",
                 "loctest", "nstest", "pagertest", "stress", "tasktest", "termtest", "utest", "vfstest",
                 "bdtest", "fstest", "nettest", "socktest"]


def scenario_run_image_without_tests(args):
    """make run's image has no test program in /app (nor in `help`), no test
    server in /srv, and tester's programs in /test."""
    with guest(args, "run-image-without-tests", "", iso=args.run_iso) as g:
        wait_shell_prompt(g)
        apps = list_dir(g, "/app")
        help_text = shell_output(g, "help\r")
        srvs = list_dir(g, "/srv")
        tests = list_dir(g, "/test")
    listed = [p for p in TEST_PROGRAMS if p in apps or re.search(rf"^  {p}$", help_text, re.M)]
    if listed or "asyncsrv" in srvs:
        return False, f"test programs in /app or help: {listed}; /srv: {srvs}"
    if sorted(tests) != ["nstest", "utest"] or "ls" not in apps:
        return False, f"/test holds {tests}; /app holds {apps}"
    return True, ""


def make_run_qemu_flags():
    """The QEMU command `make run` would run (make -n), as a list of words."""
    proc = subprocess.run(["make", "-n", "--no-print-directory", "run"],
                          capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if "-cdrom" in line:
            return line.split()
    return []


def scenario_reboot_under_make_run(args):
    """Under make run's QEMU flags (no -no-reboot), `reboot` boots the
    system again to a new prompt."""
    flags = make_run_qemu_flags()
    if not flags or "-no-reboot" in flags:
        return False, f"make run's QEMU command: {' '.join(flags) or 'not found'}"
    g = guest(args, "reboot-under-make-run", "")
    g.argv.remove("-no-reboot")
    with g:
        wait_shell_prompt(g)
        shell_run(g, "priv reboot\r", [r"^system: rebooting \(asked by task \d+ reboot\)$"],
                  prompt=False)
        g.expect(r"^Type 'help' for commands\.", BOOT_TIMEOUT)
        g.expect(PROMPT, 30)
        shell_run(g, "echo again\r", [r"^again$"])
    return True, ""


def scenario_testtask_names_the_error(args):
    """A test task that is no boot module is refused with the error's name
    and text, not a bare number."""
    with guest(args, "testtask-names-the-error", "testtask=nosuch",
               exit_status=QEMU_EXIT_FAIL) as g:
        g.expect(r"^testtask: cannot start nosuch: ENOENT: no such file or directory$",
                 BOOT_TIMEOUT)
    return True, ""


def scenario_outside_app_as_test_task(args):
    """A program built with EXTRA_APPS is a test module of its image:
    testtask=outside boots it, with testargs, and passes."""
    with guest(args, "outside-app-as-test-task", "testtask=outside testargs=a,b",
               iso=args.outside_iso) as g:
        g.expect(r"^outside: built outside the tree, task \d+, 2 arguments$", BOOT_TIMEOUT)
        g.expect(r"^testtask: outside ended \(how \d+, status 0\): passed$", 30)
    return True, ""


def make_modules_line(build, extra_apps=None):
    """The programs the module-list recipe of @build would add (make -n)."""
    cmd = ["make", "-n", "--no-print-directory", f"BUILD={build}"]
    if extra_apps is not None:
        cmd.append(f"EXTRA_APPS={extra_apps}")
    proc = subprocess.run(cmd + [f"{build}/modules.list"], capture_output=True, text=True)
    m = re.search(r"for p in ([^;]*);", proc.stdout)
    return m.group(1).split() if m else None


def scenario_extra_apps_setting_sticks(args):
    """`make EXTRA_APPS=dir` is remembered by the build directory: a later
    make without it builds the same programs; `EXTRA_APPS=` drops them."""
    with tempfile.TemporaryDirectory(prefix="sbextra") as tmp:
        app = os.path.join(tmp, "mine")
        os.makedirs(app)
        build = os.path.join(tmp, "build")
        seen = [make_modules_line(build, app), make_modules_line(build),
                make_modules_line(build, ""), make_modules_line(build)]
    return seen == [["mine"], ["mine"], [], []], f"programs seen: {seen}"


SCENARIOS = [
    ("extra-apps-setting-sticks", scenario_extra_apps_setting_sticks),
    ("testtask-names-the-error", scenario_testtask_names_the_error),
    ("every-program-answers-help", scenario_every_program_answers_help),
    ("clear-messages", scenario_clear_messages),
    ("ipclog-task-before-count", scenario_ipclog_task_before_count),
    ("reboot-under-make-run", scenario_reboot_under_make_run),
]

RUN_SCENARIOS = [
    ("run-image-without-tests", scenario_run_image_without_tests),
]

# Need --outside-iso.
OUTSIDE_SCENARIOS = [
    ("outside-app-as-test-task", scenario_outside_app_as_test_task),
]
