"""Scenarios of the boot's start-up cost and clock (docs/performance.md,
"Start-up"; docs/architecture.md on the TSC's calibration).

- boot-clock-calibrated-under-icount: `make run`'s image on one CPU under
  `-icount shift=0`, where the TSC counts one tick per guest instruction, a
  1 GHz clock the PIT agrees with exactly. The calibrated TSC rate must be
  within CLOCK_PPM of 1 GHz (a window's length taken as 2 ms rather than
  the 2,386 PIT counts it held put it 150 ppm low), the APIC timer's
  within APIC_PPM of QEMU's 62.5 MHz (timed over a span of at least
  250 us that ends with the TSC's window: one count is 64 ppm of it; it
  paces the tick, the clock reads the TSC), and the kernel must reach user
  space within KERNEL_MAX instructions of its entry (6.9 M with three 2 ms
  PIT windows; 1.9 M with one of 1 ms; 1.2 M with that window begun at the
  kernel's entry). Counted, not timed: the same on any host.
- file-systems-start-on-demand: `make run`'s image without a disk: at the
  prompt neither fat nor ext2 runs (init.conf starts them on demand: no
  disk, no mount, no server), nor the volume server (started when a block
  driver asks for a scan of the disks it exposed: no disk, no scan). `mount -t fat` of a device that is not there
  starts fat (the VFS connects to "fs/fat" through the naming service),
  which refuses the device; fat then runs, the next such mount finds it
  running, and a type no server provides fails at once with ENOENT, not a
  hang. Killed, fat is restarted by init at once, as a `ready restart`
  line's program is. Before, both servers ran at the prompt.
- mounts-start-on-demand: `make run`'s image: /loc and /pipe are mounted
  at their first use (init.conf's `mount ... demand`, VFS_MOUNT_DEMAND):
  at the prompt neither locfs nor pipefs runs and `mount` lists both as
  "at first use"; the first program the shell starts opens the terminal
  in /loc (locfs starts), `ls /loc` lists it, the first pipe starts
  pipefs, and then `mount` shows both with their tasks. A demand mount of
  a type no server provides is taken (`mount -d nofs`), and a look-up
  below it fails at once with EIO (logged by the VFS), not a hang, as
  does the next; `sync` before them leaves it alone (status 0, nothing
  started); `mount -d -w` is a usage error; a mount over the
  placeholder is EBUSY and `umount` takes it away. Before, init started
  locfs and pipefs and mounted them before the console.

Each returns (ok, detail) like the scenarios of testrun.py.
"""
import re

from scenarios_msgs import server_tasks, shell_output, shell_status
from testrun import guest, wait_shell_prompt

ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
CLOCK_PPM = 50
APIC_PPM = 100
KERNEL_MAX = 1_500_000
TSC_RE = r"^clock: TSC (\d+)\.(\d{3}) MHz \((.*)\)$"
APIC_RE = r"^apic: timer (\d+)\.(\d{3}) MHz after divide-by-16"
ENTRY_RE = r"^boot: kernel entered at (\d+) TSC ticks"
USER_RE = r"^init: user space starts at (\d+) TSC ticks"


def ppm_apart(khz, want_khz):
    return abs(khz - want_khz) * 1_000_000 // want_khz


def scenario_boot_clock_calibrated_under_icount(args):
    with guest(args, "boot-clock-calibrated-under-icount", "", iso=args.run_iso,
               accel="tcg", smp=1, extra=ICOUNT) as g:
        wait_shell_prompt(g)
    found = [re.search(r, g.output, re.MULTILINE) for r in (TSC_RE, APIC_RE, ENTRY_RE, USER_RE)]
    if not all(found):
        return False, "a boot line is missing (clock, apic, kernel entry or user space)"
    tsc, apic, entry, user = found
    tsc_khz = int(tsc.group(1)) * 1000 + int(tsc.group(2))
    apic_khz = int(apic.group(1)) * 1000 + int(apic.group(2))
    kernel = int(user.group(1)) - int(entry.group(1))
    detail = (f"TSC {tsc_khz} kHz ({tsc.group(3)}), APIC timer {apic_khz} kHz, "
              f"kernel entry to user space {kernel:,} instructions")
    ok = (ppm_apart(tsc_khz, 1_000_000) <= CLOCK_PPM and
          ppm_apart(apic_khz, 62_500) <= APIC_PPM and kernel <= KERNEL_MAX)
    return ok, detail


def server_names(g):
    return sorted(name for _, name in server_tasks(g))


def scenario_file_systems_start_on_demand(args):
    with guest(args, "file-systems-start-on-demand", "", iso=args.run_iso,
               allow=[r"\(fat\) killed: ", r"restarting it$"]) as g:
        wait_shell_prompt(g)
        before = server_names(g)
        shell_output(g, "mkdir /tmp/m\r")
        first = shell_output(g, "mount -t fat /loc/nodisk /tmp/m\r")
        after = server_names(g)
        again = shell_output(g, "mount -t fat /loc/nodisk /tmp/m\r")
        unknown = shell_output(g, "mount nofs /tmp/m\r")
        listed = shell_output(g, "mount\r")
        fat_id = [tid for tid, name in server_tasks(g) if name == "fat"]
        if fat_id:
            shell_output(g, f"priv kill {fat_id[0]}\r")
            g.expect(r"init: /srv/fat \(task \d+\) is ready$", 60)
        restarted = [tid for tid, name in server_tasks(g) if name == "fat"]
    detail = (f"before {before}; after {after}; mount: {first!r}, {again!r}; "
              f"unknown type: {unknown!r}; table: {listed!r}; fat {fat_id} -> {restarted}")
    lazy = all(name not in before for name in ("fat", "ext2", "volsrv"))
    started = after.count("fat") == 1 and "ext2" not in after and "volsrv" not in after
    refused = (all(re.search(r"^fat: cannot mount nodisk: ENOENT", t, re.M) for t in (first, again))
               and re.search(r"^mount: nofs: no file system of this type", unknown, re.M))
    kept = len(fat_id) == 1 and len(restarted) == 1 and restarted != fat_id
    return lazy and started and refused and kept and "/tmp/m" not in listed, detail



def scenario_mounts_start_on_demand(args):
    with guest(args, "mounts-start-on-demand", "", iso=args.run_iso) as g:
        wait_shell_prompt(g)
        boot = g.output
        table = shell_output(g, "mount\r")
        before = server_names(g)
        listed = shell_output(g, "ls /loc\r")
        piped = shell_output(g, "echo one two | cat\r")
        after = server_names(g)
        table_after = shell_output(g, "mount\r")
        shell_output(g, "mkdir /tmp/nd\r")
        _, taken = shell_status(g, "mount -d nofs /tmp/nd\r")
        synced, sync_status = shell_status(g, "sync\r")  # does not start it
        first = shell_output(g, "ls /tmp/nd\r")
        again = shell_output(g, "ls /tmp/nd/x\r")
        log = shell_output(g, "dmesg\r")
        usage = shell_output(g, "mount -d -w nofs /tmp/nd\r")
        over, over_status = shell_status(g, "mount -d tmpfs /tmp/nd\r")
        _, gone = shell_status(g, "umount /tmp/nd\r")
        _, plain = shell_status(g, "ls /tmp/nd\r")
    detail = (f"table {table!r}; before {before}; ls /loc {listed!r}; pipe {piped!r}; "
              f"after {after}; table after {table_after!r}; nofs: status {taken}, "
              f"sync {synced!r} ({sync_status}), {first!r}, {again!r}; usage {usage!r}; over it {over!r} ({over_status}); "
              f"umount {gone}, ls then {plain}")
    # Nothing ran locfs or pipefs before the prompt; `mount`, the first
    # program, had the shell open its terminal in /loc: locfs started then.
    lazy = (re.search(r"^init: locfs on /loc is mounted at its first use$", boot, re.M) and
            re.search(r"^init: pipefs on /pipe is mounted at its first use$", boot, re.M) and
            not re.search(r"^(locfs|pipefs): started|^vfs: mounted", boot, re.M) and
            re.search(r"^locfs on /loc \(rw, task \d+\)$", table, re.M) and
            re.search(r"^pipefs on /pipe \(rw, at first use\)$", table, re.M) and
            "locfs" in before and "pipefs" not in before)
    started = ("pipefs" in after and
               re.search(r"^term$", listed, re.M) and re.search(r"^one two$", piped, re.M) and
               re.search(r"^pipefs on /pipe \(rw, task \d+\)$", table_after, re.M) and
               re.search(r"^vfs: mounted pipefs on /pipe at its first use \(task \d+\)$",
                         log, re.M))
    failed = (taken == 0 and sync_status == 0 and "nofs" not in synced and
              len(re.findall(r"^vfs: cannot mount nofs", log, re.M)) == 2 and
              all(re.search(r"^ls: /tmp/nd\S*: EIO", t, re.M) for t in (first, again)) and
              re.search(r"^vfs: cannot mount nofs on /tmp/nd at its first use: ENOENT", log, re.M))
    # A placeholder holds its mount point (EBUSY, nothing started) and
    # unmounts like any mount, leaving the directory as it was.
    refused = (re.search(r"^usage: mount ", usage, re.M) and over_status == 1 and
               re.search(r"^mount: /tmp/nd: EBUSY", over, re.M) and gone == 0 and plain == 0)
    return bool(lazy and started and failed and refused), detail

SCENARIOS = []

RUN_SCENARIOS = [
    ("file-systems-start-on-demand", scenario_file_systems_start_on_demand),
    ("mounts-start-on-demand", scenario_mounts_start_on_demand),
    ("boot-clock-calibrated-under-icount", scenario_boot_clock_calibrated_under_icount),
]
