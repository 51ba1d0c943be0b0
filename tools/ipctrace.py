#!/usr/bin/env python3
"""Turn an IPC log export (`ipclog --export`) into a timeline.

Usage: ipctrace.py EXPORT [-o TRACE.json] [--html TRACE.html] [--summary FILE]

EXPORT is a file holding the lines `ipclog --export` writes between
`ipclog-export-begin` and `ipclog-export-end`: the export channel's capture
(build/ipclog-export.txt under `make run`, build/trace-export.txt under
`make trace`), a file `ipclog -o` wrote, or a serial log. Writes:

- TRACE.json, Chrome trace-event JSON for https://ui.perfetto.dev or
  chrome://tracing: a process per task and a thread per thread, both named
  (also the tasks that have ended: the log records names as tasks start);
  each call a slice on the caller from send to answer and a slice on the
  server from receipt to answer (or to the forward that passed it on); an
  arrow (flow) from the call through each forward and receipt to the
  answer; hang-ups, notifications and connections as instants; records the
  log lost as a marker saying how many;
- TRACE.html, the same as a self-contained picture (SVG in HTML, no script,
  no network), one row per task;
- a text summary (also printed): records, tasks, calls and per method the
  calls, answers, errors by code and latency percentiles, as
  `ipclog --stats` prints them.

The export format (one record per line; numbers decimal unless noted):
  N TIME_NS TASK THREAD NAME        a name (THREAD 0: the task's)
  R SEQ TYPE TIME_NS TSC CPU THREAD SENDER RECEIVER PHONE CALL METHOD
    A0 A1 A2 A3 A4 (hex) RETVAL FLAGS METHOD_NAME
  L SEQ COUNT                       COUNT records lost before record SEQ
"""
import argparse
import html
import json
import sys

TYPES = {1: "call", 2: "forward", 3: "answer", 4: "hangup", 5: "notif",
         6: "connect", 7: "refused", 8: "receive", 9: "name"}
F_KERNEL = 0x02

# Return values by name, as common/src/strerror.c names them (errno values
# from abi/include/abi/errno.h); the others print as numbers.
ERRNO_NAMES = None


def errno_names():
    """Names of error codes from abi/include/abi/errno.h, if it is found."""
    global ERRNO_NAMES
    if ERRNO_NAMES is None:
        ERRNO_NAMES = {0: "EOK"}
        import os
        import re
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                            "abi", "include", "abi", "errno.h")
        try:
            with open(path) as f:
                for m in re.finditer(r"#define\s+(E[A-Z0-9]+)\s+\(?(-?\d+)\)?", f.read()):
                    ERRNO_NAMES.setdefault(int(m.group(2)), m.group(1))
        except OSError:
            pass
    return ERRNO_NAMES


class ExportError(Exception):
    pass


class Record:
    __slots__ = ("seq", "type", "ns", "tsc", "cpu", "thread", "sender", "receiver",
                 "phone", "call", "method", "args", "retval", "flags", "name")


def parse(text):
    """The export in @text: (records, names, losses, complete). names maps
    (task, 0) and (task, thread) to names; losses is [(seq, count)]."""
    text = text.replace("\r", "")
    begin = text.rfind("ipclog-export-begin")
    if begin < 0:
        raise ExportError("no ipclog-export-begin line: not an IPC log export")
    records, names, losses = [], {}, []
    complete = False
    for line in text[begin:].split("\n")[1:]:
        f = line.split()
        if not f:
            continue
        if f[0] == "ipclog-export-end":
            complete = True
            break
        try:
            if f[0] == "N" and len(f) >= 5:
                names[(int(f[2]), int(f[3]))] = " ".join(f[4:])
            elif f[0] == "L" and len(f) == 3:
                losses.append((int(f[1]), int(f[2])))
            elif f[0] == "R" and len(f) == 20:
                records.append(parse_record(f))
            else:
                raise ValueError
        except ValueError:
            raise ExportError(f"a line that is not of an export: {line[:80]!r}")
    return records, names, losses, complete


def parse_record(f):
    r = Record()
    (r.seq, r.type, r.ns, r.tsc, r.cpu, r.thread, r.sender, r.receiver, r.phone,
     r.call, r.method) = (int(x) for x in f[1:12])
    r.args = [int(x, 16) for x in f[12:17]]
    r.retval = int(f[17])
    r.flags = int(f[18])
    r.name = f[19]
    return r


class Trace:
    """Builds the trace events of an export's records (see the module doc)."""

    def __init__(self, records, names, losses):
        self.records = records
        self.names = dict(names)
        self.losses = losses
        self.events = []
        self.slices = []        # (pid, lane-less) slices for the HTML: dicts
        self.arrows = []        # (ts0, pid0, ts1, pid1) for the HTML
        self.instants = []      # (ts, pid, label)
        self.tracks = set()     # (pid, tid) used
        self.calls = {}         # call id -> state of an unanswered call
        self.unanswered = 0
        self.build()

    def track(self, pid, tid):
        self.tracks.add((pid, tid))
        return {"pid": pid, "tid": tid}

    def anchor(self, r, pid, tid, label, args):
        """A short slice on the thread's track that flows can bind to."""
        e = {"name": label, "cat": "ipc", "ph": "X", "ts": us(r.ns), "dur": 0.001,
             "args": args}
        e.update(self.track(pid, tid))
        self.events.append(e)

    def flow(self, r, ph, pid, tid):
        """A flow step of call r.call, kept with the call until its answer
        (a call not answered in the trace gets no arrow)."""
        e = {"name": "call", "cat": "flow", "ph": ph, "id": r.call, "ts": us(r.ns),
             "bp": "e"}
        e.update(self.track(pid, tid))
        if ph == "s":
            return [e]
        c = self.calls[r.call]
        c["flow"].append(e)
        if ph == "f":
            self.events.extend(c["flow"])

    def begin(self, r, pid, tid, key, label, args):
        e = {"name": label, "cat": "call", "ph": "b", "id": key, "ts": us(r.ns),
             "args": args}
        e.update(self.track(pid, tid))
        self.events.append(e)
        return {"key": key, "pid": pid, "tid": tid, "ts": r.ns, "label": label}

    def end(self, ns, s, args=None):
        e = {"name": s["label"], "cat": "call", "ph": "e", "id": s["key"], "ts": us(ns)}
        if args:
            e["args"] = args
        e.update(self.track(s["pid"], s["tid"]))
        self.events.append(e)
        self.slices.append({"pid": s["pid"], "t0": s["ts"], "t1": ns,
                            "label": s["label"], "server": s["key"].startswith("s")})

    def instant(self, r, pid, tid, label, args):
        e = {"name": label, "cat": "ipc", "ph": "i", "s": "t", "ts": us(r.ns), "args": args}
        e.update(self.track(pid, tid))
        self.events.append(e)
        self.instants.append((r.ns, pid, label))

    def build(self):
        losses = sorted(self.losses)
        for r in self.records:
            while losses and losses[0][0] <= r.seq:
                self.lost_marker(r, losses.pop(0)[1])
            handler = getattr(self, "on_" + TYPES.get(r.type, "other"), None)
            if handler:
                handler(r)
            else:
                self.instant(r, r.sender, r.thread, TYPES.get(r.type, "?") + " " + r.name,
                             {"to": r.receiver, "call": r.call})
        end_ns = self.records[-1].ns if self.records else 0
        for c in self.calls.values():
            self.unanswered += 1
            for s in (c["client"], c.get("server")):
                if s:
                    self.end(end_ns, s, {"answered": False})

    def lost_marker(self, r, count):
        e = {"name": f"{count} records lost", "cat": "ipclog", "ph": "i", "s": "g",
             "ts": us(r.ns), "pid": 0, "tid": 0, "args": {"lost": count}}
        self.tracks.add((0, 0))
        self.events.append(e)
        self.instants.append((r.ns, None, f"{count} records lost"))

    def on_call(self, r):
        args = {"call": r.call, "to": r.receiver, "args": r.args}
        self.anchor(r, r.sender, r.thread, "call " + r.name, args)
        client = self.begin(r, r.sender, r.thread, f"c{r.call}", r.name, args)
        self.calls[r.call] = {"client": client, "server": None, "hop": 0,
                              "at": (r.ns, r.sender),
                              "flow": self.flow(r, "s", r.sender, r.thread)}

    def on_receive(self, r):
        c = self.calls.get(r.call)
        if c is None:  # the kernel's PHONE_HUNGUP, or sent before the trace
            self.instant(r, r.receiver, r.thread, "receive " + r.name,
                         {"call": r.call, "from": r.sender})
            return
        self.anchor(r, r.receiver, r.thread, "receive " + r.name, {"call": r.call})
        self.flow(r, "t", r.receiver, r.thread)
        self.arrow(c, r.ns, r.receiver)
        c["hop"] += 1
        c["server"] = self.begin(r, r.receiver, r.thread, f"s{r.call}.{c['hop']}",
                                 r.name, {"call": r.call, "from": r.sender})

    def on_forward(self, r):
        c = self.calls.get(r.call)
        if c is None:
            self.instant(r, r.sender, r.thread, "forward " + r.name,
                         {"call": r.call, "to": r.receiver})
            return
        self.anchor(r, r.sender, r.thread, "forward " + r.name,
                    {"call": r.call, "to": r.receiver})
        self.flow(r, "t", r.sender, r.thread)
        self.arrow(c, r.ns, r.sender)
        if c["server"]:
            self.end(r.ns, c["server"], {"forwarded_to": r.receiver})
            c["server"] = None

    def on_answer(self, r):
        c = self.calls.get(r.call)
        rc = errno_names().get(r.retval, str(r.retval))
        by_kernel = bool(r.flags & F_KERNEL)
        # The kernel answers on its own track; a server on its thread's.
        pid, tid = (0, 0) if by_kernel else (r.sender, r.thread)
        if c is None:
            self.instant(r, pid, tid, "answer " + r.name, {"call": r.call, "rc": rc})
            return
        if c["server"]:
            self.end(r.ns, c["server"], {"rc": rc})
        self.anchor(r, pid, tid, "answer " + r.name, {"call": r.call, "rc": rc})
        self.arrow(c, r.ns, pid)
        client = c["client"]
        self.flow(r, "f", pid, tid)
        del self.calls[r.call]
        self.end(r.ns, client, {"rc": rc, "latency_ns": r.ns - client["ts"]})

    def arrow(self, c, ns, pid):
        self.arrows.append((c["at"][0], c["at"][1], ns, pid))
        c["at"] = (ns, pid)

    def on_hangup(self, r):
        self.instant(r, r.sender, r.thread, "hangup", {"to": r.receiver})

    def on_notif(self, r):
        self.instant(r, r.receiver, 0, r.name, {"args": r.args})

    def on_name(self, r):
        pass

    def task_name(self, pid):
        if pid == 0:
            return "kernel"
        return self.names.get((pid, 0), f"task {pid} (no name recorded)")

    def thread_name(self, pid, tid):
        if tid == 0:
            return "kernel" if pid == 0 else f"{self.task_name(pid)} (task)"
        return self.names.get((pid, tid), f"thread {tid}")

    def chrome(self):
        """The trace as a Chrome trace-event object."""
        meta = []
        for pid in sorted({p for p, _ in self.tracks}):
            meta.append({"name": "process_name", "ph": "M", "pid": pid, "tid": 0,
                         "args": {"name": f"{pid}:{self.task_name(pid)}"}})
        for pid, tid in sorted(self.tracks):
            meta.append({"name": "thread_name", "ph": "M", "pid": pid, "tid": tid,
                         "args": {"name": self.thread_name(pid, tid)}})
        events = sorted(self.events, key=lambda e: e["ts"])
        return {"traceEvents": meta + events, "displayTimeUnit": "ns"}


def us(ns):
    """Trace-event time (microseconds) of @ns nanoseconds, ns kept."""
    return round(ns / 1000.0, 3)


def stats(records):
    """Per method: [calls, answers, {rc: count}, [ticks], [ns]], in first-call order."""
    table, pending = {}, {}
    for r in records:
        if r.type == 1:
            row = table.setdefault(r.name, [0, 0, {}, [], []])
            row[0] += 1
            pending[r.call] = (r.name, r.tsc, r.ns)
        elif r.type == 3 and r.call in pending:
            name, tsc, ns = pending.pop(r.call)
            row = table[name]
            row[1] += 1
            if r.retval != 0:
                row[2][r.retval] = row[2].get(r.retval, 0) + 1
            row[3].append(r.tsc - tsc)
            row[4].append(r.ns - ns)
    return table


def percentiles(values):
    """Nearest-rank p50, p90, p99 and the maximum (0s when empty)."""
    if not values:
        return (0, 0, 0, 0)
    v = sorted(values)
    rank = lambda p: v[max(0, (len(v) * p + 99) // 100 - 1)]
    return (rank(50), rank(90), rank(99), v[-1])


def stats_text(records):
    """The table `ipclog --stats` prints (uspace/app/ipclog/stats.c)."""
    names = errno_names()
    out = ["%-24s %6s %6s %-14s %10s %10s %10s %10s" % (
        "method", "calls", "answrs", "errors", "p50", "p90", "p99", "max")]
    for name, (calls, answers, errors, ticks, ns) in stats(records).items():
        errs = ",".join(f"{names.get(c, c)}:{n}" for c, n in errors.items()) or "-"
        out.append("%-24s %6d %6d %-14s %10d %10d %10d %10d ticks" % (
            (name, calls, answers, errs) + percentiles(ticks)))
        out.append("%-24s %6s %6s %-14s %10d %10d %10d %10d ns" % (
            ("", "", "", "") + percentiles(ns)))
    return "\n".join(out)


def summary(trace, complete, lost):
    r = trace.records
    span = (r[-1].ns - r[0].ns) / 1e6 if r else 0.0
    tasks = sorted({p for p, _ in trace.tracks if p != 0})
    lines = [f"{len(r)} records over {span:.3f} ms, {len(tasks)} tasks: " +
             ", ".join(f"{p}:{trace.task_name(p)}" for p in tasks),
             f"{sum(1 for x in r if x.type == 1)} calls, {trace.unanswered} not answered "
             f"by the end of the trace, {lost} records lost"]
    if not complete:
        lines.append("the export is incomplete (no ipclog-export-end line)")
    return "\n".join(lines + [stats_text(r)])


ROW, LANE, LEFT, WIDTH = 22, 7, 170, 1400


def lanes(slices):
    """Assigns each slice of one task a lane where it overlaps no other."""
    ends = []
    for s in sorted(slices, key=lambda s: s["t0"]):
        for i, e in enumerate(ends):
            if e <= s["t0"]:
                ends[i] = s["t1"]
                s["lane"] = i
                break
        else:
            s["lane"] = len(ends)
            ends.append(s["t1"])
    return len(ends)


def svg(trace, title):
    """The timeline as an SVG document (one row per task)."""
    recs = trace.records
    t0 = recs[0].ns if recs else 0
    t1 = max(recs[-1].ns if recs else 1, t0 + 1)
    x = lambda ns: LEFT + (ns - t0) * (WIDTH - LEFT - 10) / (t1 - t0)
    pids = sorted({s["pid"] for s in trace.slices} | {p for _, p, _ in trace.instants if p is not None})
    rows, y = {}, 40
    for pid in pids:
        mine = [s for s in trace.slices if s["pid"] == pid]
        n = lanes(mine)
        rows[pid] = (y, max(ROW, 8 + n * LANE))
        y += rows[pid][1]
    height = y + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'font-family="monospace" font-size="11">',
           f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
           f'<text x="8" y="18" font-size="13">{html.escape(title)}</text>',
           f'<text x="{LEFT}" y="32">0 ms</text>',
           f'<text x="{WIDTH - 90}" y="32">{(t1 - t0) / 1e6:.3f} ms</text>']
    for i, pid in enumerate(pids):
        ry, rh = rows[pid]
        fill = "#f4f4f4" if i % 2 else "#ffffff"
        out.append(f'<rect x="0" y="{ry}" width="{WIDTH}" height="{rh}" fill="{fill}"/>')
        out.append(f'<text x="6" y="{ry + 14}">{html.escape(f"{pid}:{trace.task_name(pid)}"[:22])}</text>')
    for s in trace.slices:
        ry, _ = rows[s["pid"]]
        color = "#e8a33c" if s["server"] else "#4a84c4"
        w = max(1.0, x(s["t1"]) - x(s["t0"]))
        out.append(f'<rect x="{x(s["t0"]):.1f}" y="{ry + 4 + s["lane"] * LANE}" width="{w:.1f}" '
                   f'height="{LANE - 1}" fill="{color}"><title>{html.escape(s["label"])} '
                   f'{(s["t1"] - s["t0"]) / 1000:.1f} us</title></rect>')
    for a0, p0, a1, p1 in trace.arrows:
        if p0 in rows and p1 in rows:
            out.append(f'<line x1="{x(a0):.1f}" y1="{rows[p0][0] + 4}" x2="{x(a1):.1f}" '
                       f'y2="{rows[p1][0] + 4}" stroke="#999" stroke-width="0.6"/>')
    for ns, pid, label in trace.instants:
        if pid is None:
            out.append(f'<line x1="{x(ns):.1f}" y1="36" x2="{x(ns):.1f}" y2="{height - 20}" '
                       f'stroke="red"><title>{html.escape(label)}</title></line>')
            out.append(f'<text x="{x(ns) + 3:.1f}" y="{height - 8}" fill="red">{html.escape(label)}</text>')
        elif pid in rows:
            out.append(f'<circle cx="{x(ns):.1f}" cy="{rows[pid][0] + rows[pid][1] - 4}" r="2" '
                       f'fill="#c33"><title>{html.escape(label)}</title></circle>')
    out.append(f'<text x="{LEFT}" y="{height - 8}">blue: calls made (send to answer); '
               'orange: calls served (receipt to answer); grey: call to receipt, forward, '
               'answer; red dots: hang-ups, notifications</text>')
    out.append("</svg>")
    return "\n".join(out)


def html_page(trace, title, text):
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
            f"{html.escape(title)}</title></head><body>\n{svg(trace, title)}\n"
            f"<pre>{html.escape(text)}</pre>\n</body></html>\n")


def check(chrome):
    """Problems of the trace-event object @chrome, as Perfetto would meet
    them: a flow without its start or end (or with two), an async slice not
    closed or closed twice, a timestamp going back on a track, a process or
    thread without a name. Empty when the trace is sound."""
    problems = []
    events = chrome.get("traceEvents", [])
    named_p = {e["pid"] for e in events if e.get("ph") == "M" and e["name"] == "process_name"}
    named_t = {(e["pid"], e["tid"]) for e in events
               if e.get("ph") == "M" and e["name"] == "thread_name"}
    flows, opened, last = {}, {}, {}
    for e in events:
        ph = e.get("ph")
        if ph == "M":
            continue
        pid, tid = e.get("pid"), e.get("tid")
        if pid not in named_p:
            problems.append(f"process {pid} has no name")
            named_p.add(pid)
        if (pid, tid) not in named_t:
            problems.append(f"thread {pid}/{tid} has no name")
            named_t.add((pid, tid))
        if e["ts"] < last.get((pid, tid), e["ts"]):
            problems.append(f"time goes back on {pid}/{tid} at {e['ts']}")
        last[(pid, tid)] = e["ts"]
        if ph in ("s", "t", "f"):
            flows.setdefault(e["id"], []).append(ph)
        elif ph == "b":
            key = (e["cat"], e["id"], pid)
            if key in opened:
                problems.append(f"slice {key} opened twice")
            opened[key] = e["ts"]
        elif ph == "e":
            key = (e["cat"], e["id"], pid)
            if key not in opened:
                problems.append(f"slice {key} closed but never opened")
            elif opened.pop(key) > e["ts"]:
                problems.append(f"slice {key} ends before it begins")
        elif ph == "X" and e.get("dur", 0) < 0:
            problems.append(f"slice {e['name']} has a negative duration")
    for key in opened:
        problems.append(f"slice {key} never closed")
    for fid, phs in flows.items():
        if phs.count("s") != 1 or phs.count("f") != 1 or phs[0] != "s" or phs[-1] != "f":
            problems.append(f"flow {fid}: {' '.join(phs)}")
    return problems


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("export")
    p.add_argument("-o", "--output", default="ipclog-trace.json")
    p.add_argument("--html", help="also write the timeline as self-contained HTML")
    p.add_argument("--svg", help="also write the timeline as SVG")
    p.add_argument("--summary", help="also write the summary to this file")
    p.add_argument("--title", default="IPC trace")
    p.add_argument("--check", action="store_true",
                   help="EXPORT is a trace.json: check its structure only")
    a = p.parse_args(argv)
    if a.check:
        with open(a.export) as f:
            problems = check(json.load(f))
        for problem in problems:
            print(f"ipctrace: {a.export}: {problem}")
        return 1 if problems else 0
    try:
        with open(a.export, encoding="utf-8", errors="replace") as f:
            records, names, losses, complete = parse(f.read())
    except (OSError, ExportError) as e:
        print(f"ipctrace: {a.export}: {e}", file=sys.stderr)
        return 1
    trace = Trace(records, names, losses)
    lost = sum(n for _, n in losses)
    text = summary(trace, complete, lost)
    chrome = trace.chrome()
    with open(a.output, "w") as f:
        json.dump(chrome, f)
    for problem in check(chrome):
        print(f"ipctrace: {problem}", file=sys.stderr)
    if a.html:
        with open(a.html, "w") as f:
            f.write(html_page(trace, a.title, text))
    if a.svg:
        with open(a.svg, "w") as f:
            f.write(svg(trace, a.title) + "\n")
    if a.summary:
        with open(a.summary, "w") as f:
            f.write(text + "\n")
    print(text)
    print(f"wrote {a.output}" + (f", {a.html}" if a.html else "") + (f", {a.svg}" if a.svg else ""))
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
