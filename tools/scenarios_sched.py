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
- icount-smp2-pairs-pair-up: `bench --scaling 2 2000 free` on two CPUs under
  -icount: two client threads of one task and two server tasks, nothing
  pinned, the clients started beside their creator and the servers on the
  CPUs in turn. Each client and its server must come together on one CPU and
  the two pairs on different CPUs (scheduler.c, the pair rule): asserted by
  counting, not timing. Each CPU switched at least twice per round trip of
  one pair (its pair's hand-offs) and the CPUs sent each other few IPIs (a
  pair split over two CPUs sends one per round trip: 1,656 per CPU before
  the pair rule). The run is shorter than a tick, so no balancing helps.

Each returns (ok, detail) like the scenarios of testrun.py.
"""
import re

from testrun import BOOT_TIMEOUT, guest

ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
SCALING_RE = r"^bench: scaling pairs=2 cpus=2 rounds=200 ns=\d+ rate=\d+ errors=(\d+) busy=[\d,]* "
PAIRS_ROUNDS = 2000
PAIRS_RE = (r"^bench: scaling-free pairs=2 cpus=2 rounds=2000 ns=\d+ rate=\d+ errors=(\d+) busy=[\d,]* "
            r"switches=(\d+),(\d+) ipis=(\d+),(\d+) ")
PAIRS_IPIS_MAX = 20


def scenario_icount_smp2_yield_wait(args):
    with guest(args, "icount-smp2-yield-wait", "testtask=bench testargs=--scaling,2,200",
               accel="tcg", smp=2, extra=ICOUNT) as g:
        g.expect(r"^smp: 2 CPUs running$", BOOT_TIMEOUT)
        m = g.expect(SCALING_RE, 300)
        g.expect(r"^bench: done \(ok\)$", 60)
    return m.group(1) == "0", m.group(0)


def scenario_icount_smp2_pairs_pair_up(args):
    with guest(args, "icount-smp2-pairs-pair-up",
               f"testtask=bench testargs=--scaling,2,{PAIRS_ROUNDS},free",
               accel="tcg", smp=2, extra=ICOUNT) as g:
        g.expect(r"^smp: 2 CPUs running$", BOOT_TIMEOUT)
        m = g.expect(PAIRS_RE, 300)
        g.expect(r"^bench: done \(ok\)$", 60)
    errors, sw0, sw1, ipi0, ipi1 = (int(x) for x in m.groups())
    ok = (errors == 0 and min(sw0, sw1) >= 2 * PAIRS_ROUNDS and
          ipi0 + ipi1 <= PAIRS_IPIS_MAX)
    return ok, m.group(0)


SCENARIOS = [
    ("icount-smp2-yield-wait", scenario_icount_smp2_yield_wait),
    ("icount-smp2-pairs-pair-up", scenario_icount_smp2_pairs_pair_up),
]
