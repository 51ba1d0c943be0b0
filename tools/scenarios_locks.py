"""Scenarios of the debug build's lock checker (kernel/generic/synch/lockdep.c):
a lock-order inversion panics naming both locks, their classes and both call
sites. The checker's other reports are kernel self-tests (lockdep_*).
"""
from testrun import crash_scenario


def scenario_lock_order_inversion_panics(args):
    """A task-class lock taken while a frame-class lock is held: the panic
    names both locks with their classes and where each was acquired."""
    return crash_scenario(args, "crash_lock_order", [
        r"PANIC: lockdep: CPU 0: lock order violated",
        r"^  this lock: crash-task \(TASK\) at 0xffffffff8[0-9a-f]+ ktest_fn_crash_lock_order\+0x",
        r"^  after: crash-frame \(FRAME\) at 0xffffffff8[0-9a-f]+ ktest_fn_crash_lock_order\+0x",
        r"^backtrace:", r"System halted"])


SCENARIOS = [
    ("lock-order-inversion-panics", scenario_lock_order_inversion_panics),
]
