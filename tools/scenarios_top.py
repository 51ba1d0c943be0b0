"""QEMU scenario of `top` (uspace/app/top, docs/tasks.md "CPU time"): with a
known busy task running, `top -n 2` prints two snapshots that parse, a load
line per CPU, and the busy task with CPU time that grows from the first to
the second; `top -t` lists its thread; bad option values are refused. Only
growth is asserted, never an amount: the host may be loaded.

testrun.py finds this module and runs its SCENARIOS.
"""
import re

SPIN_NAME = "busyspin"
HEADER_RE = re.compile(r"^top: (\d+) tasks, (\d+) threads, (\d+) CPUs, interval (\d+)\.(\d{3}) s$")
CPU_RE = re.compile(r"^cpu(\d+) +(\d+)\.(\d)% busy$")
TASK_RE = re.compile(r"^ *(\d+) (\S+) +(\d+) +(\d+)\.(\d) +(\d+)\.(\d{3}) +(\d+|-)$")
THREAD_RE = re.compile(
    r"^ *(\d+) +(\d+) (\S+) +(new|ready|running|blocked|exited) +(\d+) +(\d+)\.(\d) +"
    r"(\d+)\.(\d{3}) +(\d+|-)$")


def _tr():
    import testrun
    return testrun


def parse_snapshots(text, threads=False):
    """The snapshots in @text, each a dict: header numbers, cpus {id: busy
    tenths of a percent} and rows (dicts). Raises ValueError on a line of a
    snapshot that does not parse."""
    snaps = []
    row_re = THREAD_RE if threads else TASK_RE
    for line in text.splitlines():
        if line.startswith("/ # "):
            break  # the shell's prompt after top ended
        m = HEADER_RE.match(line)
        if m:
            snaps.append({"tasks": int(m[1]), "threads": int(m[2]), "cpus": int(m[3]),
                          "cpu": {}, "rows": [], "columns": False})
            continue
        if not snaps or not line.strip():
            continue
        snap = snaps[-1]
        m = CPU_RE.match(line)
        if m:
            snap["cpu"][int(m[1])] = int(m[2]) * 10 + int(m[3])
        elif line.split()[0] in ("ID", "TID"):
            snap["columns"] = True
        elif snap["columns"]:
            m = row_re.match(line)
            if not m:
                raise ValueError(f"unparsed line {line!r}")
            snap["rows"].append(_row(m, threads))
    return snaps


def _row(m, threads):
    if threads:
        return {"id": int(m[1]), "task": int(m[2]), "name": m[3], "state": m[4],
                "cpu": int(m[5]), "pct": int(m[6]) * 10 + int(m[7]),
                "ms": int(m[8]) * 1000 + int(m[9])}
    return {"id": int(m[1]), "name": m[2], "thr": int(m[3]),
            "pct": int(m[4]) * 10 + int(m[5]), "ms": int(m[6]) * 1000 + int(m[7])}


def check_task_snapshots(snaps, cpus):
    """Problems of two `top -n 2` snapshots with the busy task running, on
    @cpus CPUs."""
    if len(snaps) != 2:
        return [f"{len(snaps)} snapshots, not 2"]
    problems = []
    times = []
    for i, s in enumerate(snaps):
        if list(s["cpu"]) != list(range(cpus)) or s["cpus"] != cpus:
            problems.append(f"snapshot {i}: CPU lines {list(s['cpu'])}, {s['cpus']} CPUs "
                            f"named, {cpus} running")
        elif max(s["cpu"].values()) == 0:
            problems.append(f"snapshot {i}: no CPU busy while {SPIN_NAME} runs")
        if len(s["rows"]) != s["tasks"]:
            problems.append(f"snapshot {i}: {len(s['rows'])} rows for {s['tasks']} tasks")
        pcts = [r["pct"] for r in s["rows"]]
        if pcts != sorted(pcts, reverse=True):
            problems.append(f"snapshot {i}: not sorted by CPU%")
        spin = [r for r in s["rows"] if r["name"] == SPIN_NAME]
        if len(spin) != 1 or spin[0]["pct"] == 0:
            problems.append(f"snapshot {i}: {SPIN_NAME} missing or idle: {spin}")
        else:
            times.append(spin[0]["ms"])
    if len(times) == 2 and not times[1] > times[0]:
        problems.append(f"{SPIN_NAME}'s CPU time did not grow: {times}")
    return problems


def scenario_top(args):
    return run_top(args, "top", 1)


def scenario_top_smp2(args):
    """The same on two CPUs (multi-threaded TCG): a busy line for each."""
    return run_top(args, "top-smp2", 2, accel="tcg,thread=multi")


def run_top(args, name, cpus, **kw):
    tr = _tr()
    problems = []
    with tr.guest(args, name, "", smp=cpus, **kw) as g:
        tr.wait_shell_prompt(g)
        tr.shell_run(g, f"tasktest --child spin {SPIN_NAME} &\r", [])
        start = g.pos
        tr.shell_run(g, "top -n 2 -d 1\r", [r"^top: ", r"^top: "], timeout=120)
        snaps = parse_snapshots(g.output[start:g.pos])
        problems += check_task_snapshots(snaps, cpus)
        spin = [r for r in snaps[-1]["rows"] if r["name"] == SPIN_NAME] if snaps else []
        start = g.pos
        tr.shell_run(g, "top -t -n 1 -d 0.5\r", [r"^top: "], timeout=120)
        rows = parse_snapshots(g.output[start:g.pos], threads=True)[0]["rows"]
        if spin and not any(r["task"] == spin[0]["id"] and r["ms"] > 0 for r in rows):
            problems.append(f"top -t: no thread of task {spin[0]['id']} with CPU time")
        if not any(r["task"] == 0 and r["name"].startswith("idle") for r in rows):
            problems.append("top -t: no idle thread")
        tr.shell_run(g, "top -n 0\r", [r"^top: bad value for -n: 0$", r"^usage: top "])
        tr.shell_run(g, "top -d 1x -n 1\r", [r"^top: bad value for -d: 1x$"])
        tr.shell_run(g, "top extra\r", [r"^usage: top "])
        if spin:
            tr.shell_run(g, f"kill {spin[0]['id']}\r", [])
    return not problems, "; ".join(problems)


SCENARIOS = [
    ("top", scenario_top),
    ("top-smp2", scenario_top_smp2),
]
