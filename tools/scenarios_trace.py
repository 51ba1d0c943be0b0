"""Scenarios of tracing IPC (docs/ipclog.md): `make trace`'s steps on a known
workload, the export channel, records lost, and `ipclog -n` on a log that
grows while it is read.

The trace of `cat /data/hello.txt` is checked as a Perfetto user meets it
(tools/ipctrace.check: flows with a start and an end, slices closed,
timestamps in order per track, every process and thread named) and for the
calls `cat` makes through the VFS to tmpfs, in order.
"""
import json
import os
import re

import ipctrace
import trace as tracetool
from testrun import BOOT_TIMEOUT, LOG_DIR, guest, wait_shell_prompt
from scenarios_msgs import shell_output, shell_status

# What `cat FILE` asks, in order: the VFS's calls (cat's slices) and the
# VFS's calls to tmpfs on its behalf. cat reads 4 KiB at a time, a read
# through the buffer it shares with the VFS (docs/vfs.md).
CAT_CALLS = ["vfs.open", "fs.lookup", "fs.open_node", "vfs.read_shared",
             "fs.read_shared", "vfs.close", "fs.close_node"]


def call_names(chrome, pid=None):
    """The method names of the calls in @chrome, in time order (of task @pid)."""
    return [e["name"][5:] for e in chrome["traceEvents"]
            if e.get("ph") == "X" and e["name"].startswith("call ")
            and (pid is None or e["pid"] == pid)]


def in_order(wanted, names):
    """Whether @wanted occur in @names in this order (others between)."""
    it = iter(names)
    return all(any(n == w for n in it) for w in wanted)


def convert(export_path, name):
    """The export's trace (raises ipctrace.ExportError) and its problems."""
    with open(export_path, encoding="utf-8", errors="replace") as f:
        records, names, losses, complete = ipctrace.parse(f.read())
    t = ipctrace.Trace(records, names, losses)
    chrome = t.chrome()
    with open(os.path.join(LOG_DIR, name + ".json"), "w") as f:
        json.dump(chrome, f)
    problems = ipctrace.check(chrome)
    if not complete:
        problems.append("the export has no end line")
    return t, chrome, problems


def scenario_trace_cat(args):
    """`make trace CMD='cat /data/hello.txt'`'s steps: ipclog --run, then the
    export over COM2; the trace is sound and shows cat's VFS and tmpfs
    calls in order; --stats names them; a program that does not exist is
    reported and its trace still written."""
    export = os.path.join(LOG_DIR, "trace-cat-export.txt")
    with guest(args, "trace-cat", "ipclog=size=16384",
               extra=tracetool.export_serial(export)) as g:
        wait_shell_prompt(g)
        note, since = tracetool.scripted_at_prompt(g, "cat /data/hello.txt")
        if "cat exited with status 0" not in note:
            return False, f"ipclog --run: {note}"
        stats = shell_output(g, f"priv ipclog --stats {since}\r")
        for method in ("vfs.open", "vfs.read_shared", "fs.read_shared"):
            if not re.search(rf"^{re.escape(method)} +\d+ +\d+ +- ", stats, re.MULTILINE):
                return False, f"ipclog --stats has no {method} row: [{stats}]"
        out, status = shell_status(g, "priv ipclog --stats -o /nonexistent/x\r")
        if status != 1 or "ipclog: /nonexistent/x: cannot create the file" not in out:
            return False, f"ipclog -o to a missing directory: status {status} [{out}]"
        shell_output(g, f"priv ipclog --stats {since} -o /tmp/stats.txt\r")
        if not re.search(r"^vfs\.open +\d+ +\d+ ", shell_output(g, "cat /tmp/stats.txt\r"),
                         re.MULTILINE):
            return False, "ipclog --stats -o /tmp/stats.txt: no vfs.open row in the file"
        tracetool.export(g, since, export)
        t, chrome, problems = convert(export, "trace-cat")
        if problems:
            return False, "; ".join(problems[:5])
        cat = [pid for (pid, tid), name in t.names.items() if tid == 0 and name == "cat"]
        if not cat:
            return False, "no task named cat in the trace"
        names = call_names(chrome)
        if not in_order(CAT_CALLS, names):
            return False, f"cat's calls out of order or missing: {names}"
        if not in_order(["vfs.open", "vfs.read_shared", "vfs.close"],
                        call_names(chrome, cat[-1])):
            return False, f"cat's own slices: {call_names(chrome, cat[-1])}"
        note, since = tracetool.scripted_at_prompt(g, "nosuch-program")
        if "nosuch-program cannot start: ENOENT" not in note:
            return False, f"ipclog --run nosuch-program: {note}"
        tracetool.export(g, since, export)
        t, chrome, problems = convert(export, "trace-nosuch")
        if problems or not t.records:
            return False, f"trace of a missing program: {len(t.records)} records, {problems[:3]}"
    return True, ""


def scenario_ipclog_reads_what_was_there(args):
    """`ipclog -n 200` on a growing log prints the last 200 records there
    were when it started and ends (it used to chase its own printing);
    ipclog's own records are left out; an export that finds records
    overwritten says how many were lost, and the trace marks it."""
    export = os.path.join(LOG_DIR, "ipclog-lost-export.txt")
    with guest(args, "ipclog-reads-what-was-there", "",
               extra=tracetool.export_serial(export)) as g:
        wait_shell_prompt(g)
        for keys in ("priv ipclog --on\r", "priv ipclog -c\r", "ls /\r"):
            shell_output(g, keys)
        out, status = shell_status(g, "priv ipclog -n 200\r", timeout=120)
        records = re.findall(r"^ *\d+\.\d+ +(?:call|answer|forward|hangup|connect) .*$",
                             out, re.MULTILINE)
        if status != 0 or not 0 < len(records) <= 200:
            return False, f"ipclog -n 200: status {status}, {len(records)} records"
        mine = [r for r in records if re.search(r"\d+:ipclog ", r)]
        if mine:
            return False, f"ipclog's own records printed: {mine[:2]}"
        # A 1024-record log after a busy while: the oldest were overwritten.
        for _ in range(4):
            shell_output(g, "ls /app\r")
        offset = tracetool.capture_size(export)
        out = shell_output(g, "priv ipclog --export --host\r", timeout=120)
        if not re.search(r"^ipclog: \d+ records were lost \(the log holds 1024\)$", out,
                         re.MULTILINE):
            return False, f"no loss reported: [{out}]"
        tracetool.wait_export(export, 30, offset)
        t, chrome, problems = convert(export, "ipclog-lost")
        marks = [e for e in chrome["traceEvents"] if e["name"].endswith(" records lost")]
        if problems or len(marks) != 1:
            return False, f"lost marker: {len(marks)}; {problems[:3]}"
    return True, ""


SCENARIOS = [
    ("trace-cat", scenario_trace_cat),
    ("ipclog-reads-what-was-there", scenario_ipclog_reads_what_was_there),
]
