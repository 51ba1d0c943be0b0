"""Host tests of tools/ipctrace.py: the trace it builds from an IPC log
export, as Perfetto meets it (ipctrace.check), the statistics and the HTML
timeline. Run by `make test` (suite harness, tests ipctrace.*)."""
import unittest

import ipctrace

# Tasks: 1 ns, 2 vfs, 3 tmpfs, 9 cat (ended before the export: named by the
# log's name records only). Threads: 20 (vfs), 30 (tmpfs), 90 (cat).
NAMES = """\
N 10 9 0 loader
N 11 9 90 main
N 12 9 0 cat
N 0 2 0 vfs
N 0 3 0 tmpfs
N 0 1 0 ns
"""


def rec(seq, type_, ns, thread, sender, receiver, call, method, name, retval=0, flags=0):
    return (f"R {seq} {type_} {ns} {ns * 2} 0 {thread} {sender} {receiver} 0 {call} "
            f"{method} 0 0 0 0 0 {retval} {flags} {name}")


# cat reads through the VFS, which asks tmpfs and forwards the data read.
READ = [
    rec(1, 1, 1000, 90, 9, 2, 50, 1026, "vfs.read"),
    rec(2, 8, 1100, 20, 9, 2, 50, 1026, "vfs.read"),
    rec(3, 1, 1200, 90, 9, 2, 51, 7, "DATA_READ"),
    rec(4, 8, 1300, 20, 9, 2, 51, 7, "DATA_READ"),
    rec(5, 1, 1400, 20, 2, 3, 52, 1027, "fs.read"),
    rec(6, 2, 1500, 20, 2, 3, 51, 7, "DATA_READ", flags=1),
    rec(7, 8, 1600, 30, 2, 3, 52, 1027, "fs.read"),
    rec(8, 8, 1700, 30, 2, 3, 51, 7, "DATA_READ"),
    rec(9, 3, 1800, 30, 3, 9, 51, 7, "DATA_READ", flags=1),
    rec(10, 3, 1900, 30, 3, 2, 52, 1027, "fs.read"),
    rec(11, 3, 2000, 20, 2, 9, 50, 1026, "vfs.read"),
]


def export(lines, names=NAMES, end=True):
    body = "ipclog-export-begin 1\n" + names + "\n".join(lines) + "\n"
    return body + ("ipclog-export-end 11 0\n" if end else "")


def build(text):
    records, names, losses, complete = ipctrace.parse(text)
    t = ipctrace.Trace(records, names, losses)
    return t, t.chrome(), complete


def of(chrome, ph):
    return [e for e in chrome["traceEvents"] if e.get("ph") == ph]


class TraceTest(unittest.TestCase):
    def test_a_read_through_a_forward_is_a_sound_trace(self):
        t, chrome, complete = build(export(READ))
        self.assertTrue(complete)
        self.assertEqual(ipctrace.check(chrome), [])
        # Three calls, three arrows: the forwarded DATA_READ's goes
        # call -> receipt (vfs) -> forward -> receipt (tmpfs) -> answer.
        flows = {}
        for e in chrome["traceEvents"]:
            if e.get("ph") in ("s", "t", "f"):
                flows.setdefault(e["id"], []).append((e["ph"], e["pid"]))
        self.assertEqual(flows[51], [("s", 9), ("t", 2), ("t", 2), ("t", 3), ("f", 3)])
        self.assertEqual(sorted(flows), [50, 51, 52])

    def test_calls_are_slices_on_the_caller_and_the_server(self):
        t, chrome, _ = build(export(READ))
        begins = {(e["id"], e["pid"]): e["ts"] for e in of(chrome, "b")}
        ends = {(e["id"], e["pid"]): e["ts"] for e in of(chrome, "e")}
        self.assertEqual(begins[("c50", 9)], 1.0)    # cat: send to answer
        self.assertEqual(ends[("c50", 9)], 2.0)
        self.assertEqual(begins[("s50.1", 2)], 1.1)  # vfs: receipt to answer
        self.assertEqual(ends[("s50.1", 2)], 2.0)
        # The forwarded call: vfs serves it until it forwards, tmpfs after.
        self.assertEqual((begins[("s51.1", 2)], ends[("s51.1", 2)]), (1.3, 1.5))
        self.assertEqual((begins[("s51.2", 3)], ends[("s51.2", 3)]), (1.7, 1.8))

    def test_every_task_and_thread_is_named_also_an_ended_one(self):
        t, chrome, _ = build(export(READ))
        procs = {e["pid"]: e["args"]["name"] for e in of(chrome, "M")
                 if e["name"] == "process_name"}
        threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in of(chrome, "M")
                   if e["name"] == "thread_name"}
        self.assertEqual(procs[9], "9:cat")  # the last name: the loader's renaming
        self.assertEqual(threads[(9, 90)], "main")
        self.assertEqual(procs[3], "3:tmpfs")
        t, chrome, _ = build(export(READ, names=""))
        self.assertIn("no name recorded", t.task_name(9))
        self.assertEqual(ipctrace.check(chrome), [])

    def test_the_answer_to_a_hang_up_makes_no_arrow(self):
        # The kernel sends PHONE_HUNGUP (no call record); the server answers.
        lines = [rec(1, 4, 1000, 90, 9, 2, 0, 3, "PHONE_HUNGUP"),
                 rec(2, 8, 1100, 20, 9, 2, 60, 3, "PHONE_HUNGUP"),
                 rec(3, 3, 1200, 20, 2, 0, 60, 3, "PHONE_HUNGUP")]
        t, chrome, _ = build(export(lines))
        self.assertEqual([e for e in chrome["traceEvents"] if e.get("ph") in "stf"], [])
        self.assertEqual(ipctrace.check(chrome), [])
        self.assertEqual(len(of(chrome, "i")), 3)  # hang-up, receipt, answer

    def test_a_call_not_answered_is_closed_without_an_arrow(self):
        t, chrome, _ = build(export(READ[:2]))
        self.assertEqual(ipctrace.check(chrome), [])
        ends = of(chrome, "e")
        self.assertEqual({e["args"]["answered"] for e in ends}, {False})
        self.assertEqual(t.unanswered, 1)
        self.assertEqual([e for e in chrome["traceEvents"] if e.get("ph") in "stf"], [])

    def test_lost_records_are_a_marker_with_the_count(self):
        t, chrome, _ = build(export(["L 5 42"] + READ))
        marks = [e for e in of(chrome, "i") if e["name"] == "42 records lost"]
        self.assertEqual(len(marks), 1)
        self.assertEqual((marks[0]["s"], marks[0]["ts"]), ("g", 1.4))
        self.assertEqual(ipctrace.check(chrome), [])

    def test_an_incomplete_or_foreign_file_is_told(self):
        self.assertFalse(build(export(READ, end=False))[2])
        with self.assertRaises(ipctrace.ExportError):
            ipctrace.parse("hello\n")
        with self.assertRaises(ipctrace.ExportError):
            ipctrace.parse("ipclog-export-begin 1\nR 1 2 3\n")

    def test_check_finds_what_perfetto_would_trip_on(self):
        meta = [{"name": "process_name", "ph": "M", "pid": 1, "tid": 0, "args": {}},
                {"name": "thread_name", "ph": "M", "pid": 1, "tid": 0, "args": {}}]
        bad = meta + [
            {"name": "call", "cat": "flow", "ph": "f", "id": 7, "ts": 1, "pid": 1, "tid": 0},
            {"name": "x", "cat": "call", "ph": "b", "id": "c1", "ts": 2, "pid": 1, "tid": 0},
            {"name": "y", "ph": "i", "ts": 1, "pid": 1, "tid": 0},
            {"name": "z", "ph": "i", "ts": 3, "pid": 2, "tid": 5}]
        problems = ipctrace.check({"traceEvents": bad})
        self.assertTrue(any(p.startswith("flow 7") for p in problems))
        self.assertTrue(any("never closed" in p for p in problems))
        self.assertTrue(any("time goes back" in p for p in problems))
        self.assertTrue(any("process 2 has no name" in p for p in problems))
        self.assertTrue(any("thread 2/5 has no name" in p for p in problems))


class StatsTest(unittest.TestCase):
    def test_percentiles_are_nearest_rank(self):
        self.assertEqual(ipctrace.percentiles(list(range(1, 101))), (50, 90, 99, 100))
        self.assertEqual(ipctrace.percentiles([7]), (7, 7, 7, 7))
        self.assertEqual(ipctrace.percentiles([]), (0, 0, 0, 0))

    def test_calls_answers_and_errors_by_code_per_method(self):
        lines = [rec(1, 1, 100, 90, 9, 2, 70, 1024, "vfs.open"),
                 rec(2, 3, 400, 20, 2, 9, 70, 1024, "vfs.open", retval=-1),
                 rec(3, 1, 500, 90, 9, 2, 71, 1024, "vfs.open"),
                 rec(4, 3, 600, 20, 2, 9, 71, 1024, "vfs.open")]
        records = ipctrace.parse(export(lines))[0]
        calls, answers, errors, ticks, ns = ipctrace.stats(records)["vfs.open"]
        self.assertEqual((calls, answers, errors), (2, 2, {-1: 1}))
        self.assertEqual((sorted(ns), sorted(ticks)), ([100, 300], [200, 600]))
        text = ipctrace.stats_text(records)
        self.assertRegex(text, r"vfs\.open +2 +2 ENOENT:1 +300 +300 +300 +300 ns|"
                               r"vfs\.open +2 +2 ENOENT:1 +200 +600 +600 +600 ticks")


class HtmlTest(unittest.TestCase):
    def test_the_timeline_is_self_contained_and_shows_every_task(self):
        t, chrome, _ = build(export(["L 5 42"] + READ))
        page = ipctrace.html_page(t, "cat", "summary")
        self.assertIn("<svg", page)
        self.assertNotIn("<script", page)
        self.assertNotIn("src=", page)
        for name in ("9:cat", "2:vfs", "3:tmpfs", "42 records lost"):
            self.assertIn(name, page)


if __name__ == "__main__":
    unittest.main()
