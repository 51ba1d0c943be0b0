"""Scenarios of the scheduler on several CPUs (docs/kernel.md, "Several
CPUs", scheduling).

- icount-smp2-yield-wait: `bench --scaling 2 200` on two CPUs under
  -icount, where QEMU runs the vCPUs in turn on one host thread and moves on
  to the next vCPU only when the running one halts or executes PAUSE. Its
  threads wait for each other across CPUs by yielding (the bench's start
  flags); a yield with nothing else to run here must hint PAUSE, or the CPU
  waited on never runs and the boot never ends (it hung so before the
  kernel's thread_yield did). Asserts only that every round trip comes back
  right and the run ends: the timeout is far beyond the few seconds it takes.

Each returns (ok, detail) like the scenarios of testrun.py.
"""
import re

from testrun import BOOT_TIMEOUT, guest

ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
SCALING_RE = r"^bench: scaling pairs=2 cpus=2 rounds=200 ns=\d+ errors=(\d+) busy=[\d,]*$"


def scenario_icount_smp2_yield_wait(args):
    with guest(args, "icount-smp2-yield-wait", "testtask=bench testargs=--scaling,2,200",
               accel="tcg", smp=2, extra=ICOUNT) as g:
        g.expect(r"^smp: 2 CPUs running$", BOOT_TIMEOUT)
        m = g.expect(SCALING_RE, 300)
        g.expect(r"^bench: done \(ok\)$", 60)
    return m.group(1) == "0", m.group(0)


SCENARIOS = [
    ("icount-smp2-yield-wait", scenario_icount_smp2_yield_wait),
]
