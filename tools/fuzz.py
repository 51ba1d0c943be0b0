#!/usr/bin/env python3
"""make fuzz: run the system-call fuzzer for a while with a given seed.

Boots testtask=fuzz with the seed and time limit and reports how many calls
ran, how fast, and the kernel's counters before and after the run. A kernel
panic or hang, a call the fuzzer's watchdog caught, a child that faulted or
counters not back at the baseline are failures; the serial log (with the
seed, every child's seed and, for a panic, the kernel's report) stays in
build/test-logs/fuzz-SEED.log. To locate a crash, repeat a child alone with
its seed and --trace (see uspace/app/fuzz/fuzz.c).
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, GuestTimeout, QEMU_EXIT_PASS  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--iso", required=True)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--mem", default="128M")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--seconds", type=int, default=60)
    args = ap.parse_args()
    log = os.path.join("build", "test-logs", f"fuzz-{args.seed}.log")
    cmdline = f"testtask=fuzz testargs=--seed,{args.seed},--seconds,{args.seconds}"
    with Guest(args.iso, log, cmdline, qemu=args.qemu, accel=args.accel, mem=args.mem) as g:
        try:
            started = time.monotonic()
            g.expect(r"^fuzz: seed \d+, ", 120)
            m = g.expect(r"^fuzz: seed \d+: (\d+) calls, (\d+) tasks spawned, (\d+) killed: (ok|FAILED)$",
                         args.seconds * 10 + 120)
            elapsed = time.monotonic() - started
            status = g.wait_exit(60)
        except GuestTimeout as e:
            print(f"fuzz: seed {args.seed}: FAILED ({e}); see {log}")
            return 1
    for line in re.findall(r"^fuzz: (?:kernel counters|watchdog|child \d+ \(seed).*$|"
                           r"^fuzz: \d+ interrupts accepted.*$", g.output, re.M):
        print(line)
    calls = int(m.group(1))
    print(f"fuzz: {calls / elapsed:,.0f} calls/s over {elapsed:.0f} s of host time")
    if m.group(4) != "ok" or status != QEMU_EXIT_PASS or "PANIC" in g.output:
        print(f"fuzz: seed {args.seed}: FAILED (QEMU status {status}); see {log}")
        return 1
    print(f"fuzz: seed {args.seed}: {m.group(1)} calls, {m.group(2)} tasks spawned, "
          f"{m.group(3)} killed, zero kernel failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
