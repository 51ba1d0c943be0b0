#!/usr/bin/env python3
"""Unit tests of the test runner (tools/testrun.py) and the guest driver
(tools/guest.py): they feed them fake test programs and a fake QEMU and check
that only what ran is counted and that trouble is noticed. Run by `make test`
as the suite `harness`, or alone: python3 tools/testrun_test.py."""
import os
import re
import stat
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testrun  # noqa: E402
from guest import Guest, GuestTimeout, QEMU_EXIT_PASS, QEMU_EXIT_FAIL  # noqa: E402


class FakePrograms(unittest.TestCase):
    """A temporary directory of executable shell scripts."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="sbtest")

    def tearDown(self):
        self.dir.cleanup()

    def program(self, name, body):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + textwrap.dedent(body))
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path


class HostRunner(FakePrograms):
    def run_host(self, body):
        results = testrun.Results()
        testrun.run_host_tests(results, [self.program("prog", body)])
        return results

    def test_crash_after_pass_lines_fails_the_program(self):
        r = self.run_host("""
            echo 'TESTS 301'
            i=0; while [ $i -lt 300 ]; do echo "PASS prog.t$i"; i=$((i+1)); done
            echo 'prog: assertion failed' >&2; exit 134
            """)
        self.assertEqual(r.passed, 300)
        self.assertEqual(r.failures, ["host.prog"])

    def test_old_style_program_without_a_count_fails(self):
        r = self.run_host("""
            echo 'PASS prog.a'
            exit 1
            """)
        self.assertIn("host.prog", r.failures)

    def test_program_with_no_tests_fails(self):
        r = self.run_host("exit 0\n")
        self.assertEqual((r.passed, r.failures), (0, ["host.prog"]))

    def test_program_announcing_zero_tests_fails(self):
        r = self.run_host("echo 'TESTS 0'\n")
        self.assertEqual(r.failures, ["host.prog"])

    def test_count_mismatch_fails(self):
        r = self.run_host("""
            echo 'TESTS 3'
            echo 'PASS prog.a'
            echo 'PASS prog.b'
            """)
        self.assertEqual((r.passed, r.failures), (2, ["host.prog"]))

    def test_signal_fails_even_with_every_line(self):
        r = self.run_host("""
            echo 'TESTS 1'
            echo 'PASS prog.a'
            kill -SEGV $$
            """)
        self.assertEqual(r.failures, ["host.prog"])
        self.assertIn("SIGSEGV", r.lines[-1])

    def test_failing_test_with_status_zero_fails_the_program(self):
        r = self.run_host("""
            echo 'TESTS 1'
            echo 'FAIL prog.a'
            """)
        self.assertEqual(r.failures, ["host.prog.a", "host.prog"])

    def test_honest_failure_is_one_failure(self):
        r = self.run_host("""
            echo 'TESTS 2'
            echo 'PASS prog.a'
            echo 'FAIL prog.b'
            exit 1
            """)
        self.assertEqual((r.passed, r.failures), (2, ["host.prog.b"]))

    def test_sanitizer_report_fails(self):
        r = self.run_host("""
            echo 'TESTS 1'
            echo 'PASS prog.a'
            echo 'x.c:3:5: runtime error: signed integer overflow' >&2
            """)
        self.assertEqual(r.failures, ["host.prog"])

    def test_clean_program_passes(self):
        r = self.run_host("""
            echo 'TESTS 2'
            echo 'PASS prog.a'
            echo 'PASS prog.b'
            """)
        self.assertEqual((r.passed, r.failed), (3, 0))


class Units(unittest.TestCase):
    def args(self, **kw):
        base = dict(ubsan_iso="", nodebug_iso="", iso="x.iso", only="")
        base.update(kw)
        return type("Args", (), base)()

    def test_suite_reporting_nothing_fails(self):
        r = testrun.run_unit(self.args(), "empty", lambda results, args: None)
        self.assertEqual(r.failures, ["empty.ran-tests"])

    def test_suite_needing_a_missing_image_fails(self):
        r = testrun.run_unit(self.args(), "kernel-ubsan", testrun.SUITES["kernel-ubsan"])
        self.assertEqual(r.failed, 1)
        self.assertEqual(r.passed, 0)

    def test_suite_raising_fails_and_is_named(self):
        def broken(results, args):
            results.record("broken.first", True)
            raise KeyError("x")
        r = testrun.run_unit(self.args(), "broken", broken)
        self.assertEqual((r.passed, r.failures), (1, ["broken.completed"]))


class MixedOutput(unittest.TestCase):
    """testrun.mixed: a line found with another writer's characters mixed
    in, and not found when its own are missing or out of order."""

    BANNER = "Type 'help' for commands."

    def find(self, text):
        return re.search(testrun.mixed(self.BANNER), text, re.MULTILINE)

    def test_whole_line_is_found(self):
        self.assertTrue(self.find("init: done\nType 'help' for commands.\n/ # "))

    def test_line_with_a_kernel_line_inside_is_found(self):
        m = self.find("Type 'hinit: done; keeping restartable programs running\nelp' "
                      "for commands.\n")
        self.assertTrue(m)
        self.assertTrue(m.group(0).endswith("commands."))

    def test_missing_or_reordered_characters_are_not_found(self):
        self.assertFalse(self.find("Type help for commands."))
        self.assertFalse(self.find("Type 'help' for commnads."))

    def test_characters_too_far_apart_are_not_found(self):
        self.assertFalse(self.find("Type 'help' for" + "x" * (testrun.MIXED_GAP + 1) +
                                   " commands."))


class FakeQemu(FakePrograms):
    """Guests whose `QEMU` is a script printing @log and exiting with @status."""

    def guest(self, log, status, **kw):
        qemu = self.program("qemu", f"cat <<'LOG'\n{log}\nLOG\nexit {status}\n")
        return Guest("none.iso", os.path.join(self.dir.name, "run.log"), qemu=qemu, **kw)

    def test_panic_after_the_last_expected_line_fails(self):
        with self.guest("ready\nPANIC: page fault at 0x10", QEMU_EXIT_FAIL, ends="exit") as g:
            g.expect("^ready$", 10)
        self.assertTrue(any("kernel panic" in p for p in g.problems), g.problems)

    def test_ubsan_killed_task_and_restart_are_trouble(self):
        log = ("ok\nPANIC: UBSan: shift out of bounds\n"
               "task 7 (vfs) killed: page fault at 0x0, ip 0x1\n"
               "init: /srv/vfs (task 7) ended: killed; restarting it")
        with self.guest(log, QEMU_EXIT_PASS, ends="exit") as g:
            g.expect("^ok$", 10)
        self.assertEqual(len(g.problems), 3, g.problems)

    def test_declared_trouble_is_allowed(self):
        log = "task 3 (utest) killed: invalid opcode, ip 0x4\nutest: 1 passed, 0 failed"
        with self.guest(log, QEMU_EXIT_PASS, ends="exit", allow=[r"\(utest\) killed"]) as g:
            g.expect("passed", 10)
        self.assertEqual(g.problems, [])

    def test_wrong_exit_status_fails(self):
        with self.guest("done", QEMU_EXIT_FAIL, ends="exit") as g:
            g.expect("^done$", 10)
        self.assertEqual(len(g.problems), 1)
        self.assertIn("exit status 35", g.problems[0])

    def test_a_failed_run_still_reports_trouble(self):
        with self.assertRaises(GuestTimeout):
            with self.guest("PANIC: assertion failed", QEMU_EXIT_FAIL, ends="exit") as g:
                g.expect("never", 5)
        self.assertTrue(any("kernel panic" in p for p in g.problems), g.problems)


class EmulatorCrash(FakePrograms):
    """A QEMU that dies of SIGSEGV on its own: the unit runs once more, and
    fails if it crashes again or the guest fails."""

    def setUp(self):
        super().setUp()
        self.crashes_before = list(testrun.EMULATOR_CRASHES)

    def tearDown(self):
        # The runner's own list of crashes must not count these fakes.
        testrun.EMULATOR_CRASHES[:] = self.crashes_before
        super().tearDown()

    def unit(self, qemu_body):
        qemu = self.program("qemu", qemu_body)
        log = os.path.join(self.dir.name, "crashy.log")

        def run(results, args):
            with Guest("none.iso", log, qemu=qemu, ends="exit") as g:
                g.expect("^ready$", 10)
            results.record("crashy.ready", True)
        return testrun.run_unit(None, "crashy", run), log

    def test_one_crash_runs_again_and_passes_with_a_note(self):
        mark = os.path.join(self.dir.name, "crashed-once")
        r, log = self.unit(f"""
            if [ ! -e {mark} ]; then touch {mark}; kill -SEGV $$; fi
            echo ready; exit {QEMU_EXIT_PASS}
            """)
        self.assertEqual((r.passed, r.failed), (2, 0), r.lines)  # ready, the guest's end
        self.assertTrue(any("SIGSEGV" in line for line in r.lines), r.lines)
        self.assertTrue(os.path.exists(log[:-4] + ".qemu-crash.log"))

    def test_a_crash_every_time_fails(self):
        r, _ = self.unit("""
            echo starting; kill -SEGV $$
            """)
        self.assertEqual(r.passed, 0)
        self.assertGreater(r.failed, 0)
        self.assertTrue(any("SIGSEGV" in line for line in r.lines), r.lines)

    def test_a_guest_failure_is_not_run_again(self):
        count = os.path.join(self.dir.name, "runs")
        r, _ = self.unit(f"""
            echo x >> {count}
            echo 'PANIC: page fault at 0x10'; exit {QEMU_EXIT_FAIL}
            """)
        self.assertGreater(r.failed, 0)
        with open(count) as f:
            self.assertEqual(len(f.readlines()), 1)


if __name__ == "__main__":
    unittest.main()
