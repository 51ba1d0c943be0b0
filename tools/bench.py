#!/usr/bin/env python3
"""make bench: boot the benchmark task under QEMU and report its figures.

Under TCG the guest runs with `-icount shift=0,align=off,sleep=off`, where the
TSC advances once per guest instruction: every figure is then a count of
guest instructions, the same on every run and machine. With --accel kvm the
figures are real cycles. Prints a table with the targets and the reference
figures beside each case and writes build/bench.json.
"""
import argparse
import json
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, GuestTimeout, QEMU_EXIT_PASS  # noqa: E402

# case: (target, reference figure and where it comes from)
CASES = {
    "null-syscall": (60, "HelenOS 198, Linux 338"),
    "ipc-roundtrip-plain": (1200, "4 plain calls; Linux pipe 12,627"),
    "ipc-roundtrip-combined": (400, "seL4 Call+ReplyRecv 427, HelenOS 21,149"),
    "async-req-1-1": (1000, "HelenOS async ping_pong 21,149"),
    "fibril-switch": (40, "half a yield round between two fibrils"),
    "malloc-free-32": (100, "malloc(32) + free; HelenOS 701"),
    "malloc-free-32-threaded": (None, "the same in a task with more than one thread (heap lock taken)"),
    "fibril-mutex-pair": (40, "uncontended lock + unlock; HelenOS 269"),
    "fibril-mutex-contended": (None, "lock + unlock while another fibril holds it (two switches)"),
    "exception-roundtrip": (2500, "int3 to the task's handler and resumed (#26)"),
    "page-in-roundtrip": (None, "first touch of a pager page: PAGE_IN to the task's own pager, 4 KiB copied, mapped (#26)"),
    "data-write-64": (None, "M_SINK call + 64 B DATA_WRITE to its answer"),
    "data-write-4k": (None, "M_SINK call + 4 KiB DATA_WRITE"),
    "data-write-64k": (None, "M_SINK call + 64 KiB DATA_WRITE"),
    "data-read-64": (None, "M_SOURCE call + 64 B DATA_READ"),
    "data-read-4k": (None, "M_SOURCE call + 4 KiB DATA_READ"),
    "data-read-64k": (None, "M_SOURCE call + 64 KiB DATA_READ"),
    "async-throughput-8": (None, "per call, 8 sent before the first answer is taken"),
    "async-throughput-64": (None, "per call, 64 outstanding"),
    "async-forward-1": (1800, "async_req_1_1 through one forwarding middleman"),
    "thread-create-join": (None, "thread_create + thread_join of an empty thread"),
    "ns-ping": (1200, "HelenOS ns_ping 37,964"),
    "spawn-wait": (120_000, "task_spawn of a trivial program + task_wait (#29)"),
    "share-in-4k": (None, "async_share_in_start of 4 KiB to its answer"),
    "share-in-1m": (None, "async_share_in_start of 1 MiB to its answer"),
    "vfs-open-close": (None, "open + close of a tmpfs file through the VFS"),
    "vfs-read-4k": (None, "4 KiB read from tmpfs through the VFS"),
    "vfs-read-1k": (5000, "HelenOS 1 KiB VFS read ~107,000"),
    "vfs-write-64": (None, "64 B write to a tmpfs file through the VFS"),
    "vfs-write-64k": (None, "64 KiB write to a tmpfs file through the VFS"),
    "irq-notify": (None, "serial THR-empty IRQ raised to the notification handler"),
    "ping-loopback": (None, "ICMP echo to 127.0.0.1 and its reply through netsrv (sendto + recvfrom)"),
    "ipc-roundtrip-combined-same-cpu": (None, "the combined round trip, both pinned to CPU 0 of two"),
    "ipc-roundtrip-combined-cross-cpu": (None, "client on CPU 0, server pinned to CPU 1 (IPI wake-ups)"),
    "async-req-1-1-same-cpu": (None, "async_req_1_1, client and server pinned to CPU 0 of two"),
    "async-req-1-1-cross-cpu": (None, "async_req_1_1, client on CPU 0, server pinned to CPU 1"),
    "boot-to-user-space": (30_000_000, "from power-on; HelenOS: 18 s wall to the shell"),
    "boot-to-shell-prompt": (30_000_000, "from power-on to the shell's first prompt"),
    "boot-firmware-and-loader": (None, "SeaBIOS and GRUB, before the kernel"),
    "boot-kernel-to-prompt": (8_000_000, "kernel entry to the first prompt (#29; GRUB's own PIT wait is 55 M)"),
}

# Anchors: the one-CPU figures of the kernel before SMP (docs/performance.md,
# the quotas row and the #23 goal), which the SMP kernel booted with one CPU
# is to stay within ANCHOR_SLACK percent of.
ANCHORS = {
    "ipc-roundtrip-plain": 2233,
    "ipc-roundtrip-combined": 1255,
    "async-req-1-1": 2452,
    "ns-ping": 2671,
}
ANCHOR_SLACK = 5

# #29: memory in use at the shell's first prompt.
MEMORY_AT_PROMPT_TARGET_KIB = 6 * 1024

# Cost per byte of a 64 KiB write beyond its fixed part, (t64k - tsmall) / 65536
# (#29's target): the name of the derived figure -> (64 KiB case, small case).
PER_BYTE = {
    "data-write-per-byte": ("data-write-64k", "data-write-64"),
    "vfs-write-per-byte": ("vfs-write-64k", "vfs-write-64"),
}
PER_BYTE_TARGET = 0.3

# The IPC log compiled in but off may cost this much of a round trip (percent).
IPC_LOG_OFF_TARGET = 2

# What the shell puts into the system log at its first prompt (uspace/app/sh).
FIRST_PROMPT = r"first prompt at (\d+) TSC ticks since power-on, (\d+) KiB in use"
# What the kernel logs first thing (kernel/generic/main/main.c).
KERNEL_ENTRY = r"^boot: kernel entered at (\d+) TSC ticks"
# The wall-clock goal for the first prompt under plain TCG (seconds).
BOOT_WALL_TARGET = 1.0


def boot(args, name, cmdline, smp=1):
    """Boots one benchmark task; returns its serial output and QEMU's status."""
    extra = ["-icount", "shift=0,align=off,sleep=off"] if args.accel == "tcg" else []
    log = os.path.join("build", "test-logs", f"bench-{name}.log")
    with Guest(args.iso, log, cmdline, qemu=args.qemu, accel=args.accel,
               mem=args.mem, smp=smp, extra=extra) as g:
        g.expect(r"^bench: done \((ok|failed)\)$", 600)
        return g.output, g.wait_exit(60)


def type_keys(g, keys):
    """Types @keys on the serial line one byte at a time, as a person would."""
    for k in keys:
        g.send(k)
        time.sleep(0.02)


def boot_to_shell(args, results):
    """Boots the image `make run` boots (without the test modules) to the
    shell's first prompt, reads the time and memory it logged then with
    `dmesg`, and powers off with `halt`."""
    extra = ["-icount", "shift=0,align=off,sleep=off"] if args.accel == "tcg" else []
    log = os.path.join("build", "test-logs", "bench-shell.log")
    with Guest(args.run_iso or args.iso, log, "", qemu=args.qemu, accel=args.accel,
               mem=args.mem, extra=extra) as g:
        g.expect(r"^/ # ", 600)
        start = g.pos
        type_keys(g, "dmesg\r")
        end = g.expect(r"^/ # ", 60).start()
        m = re.search(FIRST_PROMPT, g.output[start:end])
        entry = re.search(KERNEL_ENTRY, g.output[start:end], re.MULTILINE)
        if m:
            results["boot-to-shell-prompt"] = single(int(m.group(1)))
            results["memory-at-prompt-kib"] = int(m.group(2))
        if m and entry:
            results["boot-kernel-to-prompt"] = single(int(m.group(1)) - int(entry.group(1)))
        else:
            print(f"bench: no first-prompt line from the shell in dmesg; see {log}",
                  file=sys.stderr)
        type_keys(g, "priv halt\r")
        return 0 if m and g.wait_exit(60) == 0 else 1


def parse_cases(output, results):
    for m in re.finditer(r"^bench: (\S+) min=(\d+) median=(\d+) mean=(\d+) max=(\d+) n=(\d+)$",
                         output, re.MULTILINE):
        results[m.group(1)] = {k: int(m.group(i)) for i, k in
                               enumerate(["min", "median", "mean", "max", "n"], start=2)}


def single(value):
    return {"min": value, "median": value, "mean": value, "max": value, "n": 1}


def per_byte(results):
    """The PER_BYTE figures of the cases measured (medians)."""
    for name, (big, small) in PER_BYTE.items():
        if big in results and small in results:
            cost = (results[big]["median"] - results[small]["median"]) / 65536
            results[name] = {"per_byte": round(cost, 3), "big": big, "small": small}


def system_only(args, results):
    """--system-only: the boot with the naming service, the VFS and tmpfs
    (share-in, the VFS cases, the IRQ notification), nothing else."""
    output, status = boot(args, "system", SYSTEM_BOOT)
    parse_cases(output, results)
    return results, status


SYSTEM_BOOT = "testinit=ns,vfs,tmpfs testtask=bench testargs=--system"
TASKS_BOOT = "testinit=ns testtask=tasktest testargs=--bench"


def tasks_only(args, results):
    """--tasks-only: the boot with the naming service alone (ns ping,
    spawn + wait through the loader), nothing else."""
    output, status = boot(args, "tasks", TASKS_BOOT)
    parse_cases(output, results)
    return results, status


def run(args):
    results = {}
    if args.boot_only:
        return boot_only(args, results)
    if args.net_only:
        return net_only(args, results)
    if args.system_only:
        return system_only(args, results)
    if args.ipc_only:
        return ipc_only(args, results)
    if args.tasks_only:
        return tasks_only(args, results)
    output, status = boot(args, "kernel", "testtask=bench")
    parse_cases(output, results)
    m = re.search(KERNEL_ENTRY, output, re.MULTILINE)
    if m:
        results["boot-firmware-and-loader"] = single(int(m.group(1)))
    m = re.search(r"^init: user space starts at (\d+) TSC ticks since power-on, (\d+) KiB in use",
                  output, re.MULTILINE)
    if m:
        results["boot-to-user-space"] = single(int(m.group(1)))
        results["memory-in-use-kib"] = int(m.group(2))
    output, status2 = boot(args, "async", "testtask=asynctest testargs=--bench")
    parse_cases(output, results)
    output, status3 = boot(args, "tasks", TASKS_BOOT)
    parse_cases(output, results)
    output, status4 = boot(args, "system", SYSTEM_BOOT)
    parse_cases(output, results)
    output, status5 = boot(args, "net", NET_BOOT)
    parse_cases(output, results)
    output, status6 = boot(args, "smp", "testtask=bench testargs=--smp", smp=2)
    parse_cases(output, results)
    output, status7 = boot(args, "async-smp", "testtask=asynctest testargs=--bench-smp", smp=2)
    parse_cases(output, results)
    for s in (status, status2, status3, status4, status5, status6, status7):
        if s != QEMU_EXIT_PASS:
            return results, s
    if scaling(args, results) != 0:
        return results, None
    if args.nolog_iso and ipc_log_overhead(args, results) != QEMU_EXIT_PASS:
        return results, None
    if boot_to_shell(args, results) != 0:
        return results, None
    if args.accel == "tcg":
        results["boot-wall-seconds"] = boot_wall_seconds(args)
        if http_keepalive(args, results) != 0 or storage(args, results) != 0:
            return results, None
        side_by_side(args, results)
    return results, QEMU_EXIT_PASS


NET_BOOT = "testinit=ns,vfs,tmpfs testtask=bench testargs=--net"


def http_keepalive(args, results):
    """The network boot again under plain TCG (no -icount): websrv's
    keep-alive requests a second in wall-clock time, a figure for this run
    on this host (results["http-keepalive"]); 1 if the run failed."""
    log = os.path.join("build", "test-logs", "bench-http.log")
    with Guest(args.iso, log, NET_BOOT, qemu=args.qemu, accel="tcg", mem=args.mem) as g:
        g.expect(r"^bench: done \((ok|failed)\)$", 600)
        status = g.wait_exit(60)
    m = re.search(r"^bench: http-keepalive requests=(\d+) clients=(\d+) ms=(\d+)",
                  g.output, re.MULTILINE)
    if not m or status != QEMU_EXIT_PASS:
        print(f"bench: the HTTP keep-alive run failed; see {log}", file=sys.stderr)
        return 1
    requests, ms = int(m.group(1)), max(int(m.group(3)), 1)
    results["http-keepalive"] = {"requests": requests, "clients": int(m.group(2)),
                                 "ms": ms, "per_second": round(requests * 1000 / ms, 1)}
    return 0


def net_only(args, results):
    """--net-only: the network boot under -icount, then the HTTP run."""
    output, status = boot(args, "net", NET_BOOT)
    parse_cases(output, results)
    if status != QEMU_EXIT_PASS:
        return results, status
    if args.accel == "tcg" and http_keepalive(args, results) != 0:
        return results, None
    return results, QEMU_EXIT_PASS


def ipc_only(args, results):
    """--ipc-only: the kernel's IPC cases and the async ones (async_req_1_1,
    ns ping, the forwarding middleman), one CPU, under -icount."""
    status = QEMU_EXIT_PASS
    for name, cmdline in (("kernel", "testtask=bench"),
                          ("async", "testtask=asynctest testargs=--bench")):
        output, s = boot(args, name, cmdline)
        parse_cases(output, results)
        if s != QEMU_EXIT_PASS:
            status = s
    return results, status


def boot_only(args, results):
    """--boot-only: the first prompt under -icount and the wall-clock boot,
    nothing else (the figures a change to start-up is judged by)."""
    if boot_to_shell(args, results) != 0:
        return results, None
    if args.accel == "tcg":
        results["boot-wall-seconds"] = boot_wall_seconds(args)
    return results, QEMU_EXIT_PASS


def storage(args, results):
    """fstest's file figures on an ext2 disk on IDE and on virtio-blk
    (tools/storage_tests.py): results["storage-ext2"] and
    results["storage-ext2-virtio"], case -> {"ticks", "per_byte"}; 1 if a
    run failed."""
    import storage_tests
    for driver, key in (("ata", "storage-ext2"), ("virtio", "storage-ext2-virtio")):
        lines = storage_tests.bench_fs(args.iso, args.qemu, args.mem, "ext2", driver)
        if lines is None:
            print(f"bench: the ext2 storage run on {driver} failed; see "
                  f"build/test-logs/bench-ext2-{driver}.log", file=sys.stderr)
            return 1
        cases = {}
        for line in lines:
            m = re.match(r"fstest: bench (\S+): (\d+) ticks(?:, (\d+\.\d+) per byte)?", line)
            if m:
                cases[m.group(1)] = {"ticks": int(m.group(2)),
                                     "per_byte": float(m.group(3)) if m.group(3) else None}
        results[key] = cases
    return 0


def side_by_side(args, results):
    """The Linux guest beside Switchboard (tools/linuxguest.py): ext2 on
    virtio-blk in seconds and TCP through the e1000 in MiB/s, each with its
    ratio; results["side-by-side"], or the reason it could not run (no
    apt-get download, a guest that failed) in results["side-by-side-error"]."""
    import linuxguest
    try:
        figures = linuxguest.bench_ext2(args.iso, args.qemu)
        figures.update(linuxguest.bench_tcp(args.iso, args.qemu))
        results["side-by-side"] = figures
    except Exception as e:  # the other figures stand without it
        results["side-by-side-error"] = f"{type(e).__name__}: {e}"


# The scaling run: pairs of client thread and server task, each pair pinned
# to one CPU (uspace/app/bench/smp.c), with this many round trips per pair.
# One boot runs every pair on CPU 0 and then one pair per CPU,
# SCALING_TIMES times in turn, so that each ratio compares two runs of one
# QEMU process a moment apart (boot-to-boot differences in how the host
# places QEMU's threads are larger than the effect measured). The figure
# is the ratio of each side's best rate (other work on the host only ever
# slows a run); the median of the adjacent runs' ratios is printed beside it.
SCALING_PAIRS = 2
SCALING_ROUNDS = 10000
SCALING_TIMES = 8
SCALING_GOAL = 1.7  # #23: throughput on 2 CPUs over 1 CPU
SCALING_LINE = (r"^bench: scaling pairs=(\d+) cpus=(\d+) rounds=(\d+) ns=\d+ rate=(\d+) errors=(\d+) "
                r"busy=([\d,]*) switches=[\d,]* ipis=[\d,]* interrupts=[\d,]* steals=[\d,]* pulls=[\d,]*\r?$")


def scaling_boot(args, cpus, pairs):
    """SCALING_TIMES alternating runs of @pairs pairs on CPU 0 alone and on
    all @cpus CPUs, in one boot under multi-threaded TCG without -icount
    (wall-clock time): {"ratio": best rate on all CPUs over best on one,
    "median": median ratio of adjacent runs' rates,
    "rate": {CPUs used: best round trips per second}, "busy": {CPUs used:
    busy list of that run}} or None if a run failed."""
    accel = "tcg,thread=multi" if args.accel == "tcg" else args.accel
    log = os.path.join("build", "test-logs", f"bench-scaling-{cpus}.log")
    cmdline = (f"testtask=bench testargs=--scaling,{pairs},{SCALING_ROUNDS},"
               f"alternate,{SCALING_TIMES}")
    with Guest(args.iso, log, cmdline, qemu=args.qemu, accel=accel, mem=args.mem,
               smp=cpus) as g:
        g.expect(r"^bench: done \((ok|failed)\)$", 600)
        runs = re.findall(SCALING_LINE, g.output, re.MULTILINE)
        if g.wait_exit(60) != QEMU_EXIT_PASS or len(runs) != 2 * SCALING_TIMES or \
                any(int(r[4]) != 0 or int(r[3]) == 0 for r in runs):
            return None
    ratios = sorted(int(runs[i + 1][3]) / int(runs[i][3]) for i in range(0, len(runs), 2))
    best = {}
    for r in runs:
        used, rate = int(r[1]), int(r[3])
        if used not in best or rate > best[used][0]:
            best[used] = (rate, r[5])
    return {"ratio": round(best[cpus][0] / best[1][0], 2),
            "median": round(statistics.median(ratios), 2),
            "ratios": [round(x, 2) for x in ratios],
            "rate": {c: best[c][0] for c in best}, "busy": {c: best[c][1] for c in best}}


def scaling(args, results):
    """SCALING_PAIRS pairs on 1 CPU and on 2 (results["scaling"]); 4 pairs
    on 1 and on 4 vCPUs for the record. 1 if a run failed."""
    r2 = scaling_boot(args, 2, SCALING_PAIRS)
    r4 = scaling_boot(args, 4, 4) if r2 is not None else None
    if r2 is None or r4 is None:
        print(f"bench: a scaling run failed; see build/test-logs/bench-scaling-"
              f"{2 if r2 is None else 4}.log", file=sys.stderr)
        return 1
    results["scaling"] = {
        "pairs": SCALING_PAIRS, "rounds": SCALING_ROUNDS, "times": SCALING_TIMES,
        "ratio-2": r2["ratio"], "median-2": r2["median"], "ratios-2": r2["ratios"],
        "rate-2": r2["rate"], "median-4": r4["median"],
        "busy": {1: r2["busy"][1], 2: r2["busy"][2], 4: r4["busy"][4]},
        "ratio-4": r4["ratio"], "ratios-4": r4["ratios"], "rate-4": r4["rate"]}
    return 0


def boot_wall_seconds(args):
    """Seconds of wall-clock time from starting QEMU (plain TCG, no -icount)
    to the first prompt of make run's image: the best of three boots, since
    other work on the host only ever adds to it."""
    best = None
    for i in range(3):
        log = os.path.join("build", "test-logs", "bench-wall.log")
        start = time.monotonic()
        with Guest(args.run_iso or args.iso, log, "", qemu=args.qemu, accel="tcg",
                   mem=args.mem) as g:
            g.expect(r"^/ # ", 120)
            took = time.monotonic() - start
        best = took if best is None else min(best, took)
    return round(best, 2)


def ipc_log_overhead(args, results):
    """The raw round trips again on a kernel built without the IPC log
    (CONFIG_IPC_LOG=n): what the log costs when compiled in but off, in
    percent of the round trip."""
    nolog = {}
    saved_iso, args.iso = args.iso, args.nolog_iso
    try:
        output, status = boot(args, "nolog", "testtask=bench")
    finally:
        args.iso = saved_iso
    parse_cases(output, nolog)
    for case in ("ipc-roundtrip-plain", "ipc-roundtrip-combined"):
        if case in nolog and case in results:
            without, with_log = nolog[case]["median"], results[case]["median"]
            results["ipc-log-off-" + case.split("-")[-1]] = {
                "with": with_log, "without": without,
                "percent": round(100.0 * (with_log - without) / without, 2)}
    return status


def anchor_note(name, median):
    """`anchor N +x.x% ok|OVER` for a case with an anchor, else ""."""
    anchor = ANCHORS.get(name)
    if anchor is None:
        return ""
    pct = 100.0 * (median - anchor) / anchor
    met = "ok" if pct <= ANCHOR_SLACK else "OVER"
    return f"  [anchor {anchor} {pct:+.1f}% {met}]"


# File figures (fstest bench on ext2, 64 KiB requests): per-byte targets.
STORAGE_TARGETS = {"read-512k-cached": 1.5}
STORAGE_NOTE = ("-icount sleep=on: figures with disk waits (write+sync, uncached, sync) "
                "include the host's I/O time")


def print_table(results, unit):
    print(f"{'case':28} {'median':>12} {'min':>10} {'max':>10} {'target':>10}  reference "
          f"[anchor: one CPU before SMP, within {ANCHOR_SLACK}%]")
    for name, r in results.items():
        if not isinstance(r, dict) or "median" not in r or name == "measurement-overhead":
            continue
        target, ref = CASES.get(name, (None, ""))
        met = "" if target is None else ("  ok" if r["median"] <= target else "  MISSED")
        print(f"{name:28} {r['median']:>12} {r['min']:>10} {r['max']:>10} "
              f"{target if target else '-':>10}{met}  {ref}{anchor_note(name, r['median'])}")
    for name, r in results.items():
        if name in PER_BYTE:
            met = "ok" if r["per_byte"] <= PER_BYTE_TARGET else "MISSED"
            print(f"{name:28} {r['per_byte']:>10.3f}/B {'':>10} {'':>10} "
                  f"{PER_BYTE_TARGET:>8}/B  {met}  ({r['big']} - {r['small']}) / 65536: "
                  f"a 64 KiB write beyond its fixed part")
    for kind in ("plain", "combined"):
        r = results.get("ipc-log-off-" + kind)
        if r:
            met = "ok" if r["percent"] <= IPC_LOG_OFF_TARGET else "MISSED"
            print(f"{'ipc-log-off-' + kind:28} {r['percent']:>11.2f}% "
                  f"{'':>10} {'':>10} {IPC_LOG_OFF_TARGET:>9}%  {met}  "
                  f"IPC log compiled in but off: {r['with']} vs {r['without']} without it")
    if "boot-wall-seconds" in results:
        w = results["boot-wall-seconds"]
        met = "ok" if w <= BOOT_WALL_TARGET else "MISSED"
        print(f"{'boot-wall-seconds':28} {w:>11.2f}s {'':>10} {'':>10} "
              f"{BOOT_WALL_TARGET:>9}s  {met}  QEMU start to the first prompt, plain TCG "
              f"(wall clock: noise on a shared host; best of three); HelenOS 18 s")
    if "http-keepalive" in results:
        h = results["http-keepalive"]
        print(f"{'http-keepalive':28} {h['per_second']:>9.1f}/s {'':>10} {'':>10} "
              f"{'-':>10}  {h['requests']} requests of websrv's index page by "
              f"{h['clients']} keep-alive clients over loopback in {h['ms']} ms "
              f"(wall clock, plain TCG: a figure for this run)")
    s = results.get("scaling")
    if s:
        met = "ok" if s["ratio-2"] >= SCALING_GOAL else "MISSED"
        print(f"{'scaling-2-cpus':28} {s['ratio-2']:>11.2f}x {'':>10} {'':>10} "
              f"{SCALING_GOAL:>9}x  {met}  throughput of {s['pairs']} pinned client/server "
              f"pairs, best rate on 2 CPUs over best on 1, {s['times']} runs each in turn "
              f"in one -smp 2 boot (multi-threaded TCG, wall clock; each adjacent pair's "
              f"ratio {s['ratios-2']}, median {s['median-2']}; busy % per CPU of the "
              f"best runs {s['busy'][1]} / {s['busy'][2]})")
        print(f"{'scaling-4-cpus':28} {s['ratio-4']:>11.2f}x {'':>10} {'':>10} {'-':>10}  "
              f"4 pairs on 4 vCPUs over the same on 1 of them, for the record (this "
              f"host has {os.cpu_count()} cores; median {s['median-4']}; busy % {s['busy'][4]})")
    if "memory-in-use-kib" in results:
        print(f"{'memory in use at start':28} {results['memory-in-use-kib']:>9} KiB")
    if "memory-at-prompt-kib" in results:
        kib = results["memory-at-prompt-kib"]
        met = "ok" if kib <= MEMORY_AT_PROMPT_TARGET_KIB else "MISSED"
        print(f"{'memory in use at prompt':28} {kib:>9} KiB {'':>10} {'':>10} "
              f"{MEMORY_AT_PROMPT_TARGET_KIB:>6} KiB  {met}  make run's image at the shell's "
              f"first prompt (#29)")
    for key, label in (("storage-ext2", "ext2-"), ("storage-ext2-virtio", "ext2-virtio-")):
        for name, r in results.get(key, {}).items():
            per = f"{r['per_byte']:.2f}/B" if r["per_byte"] is not None else ""
            target = STORAGE_TARGETS.get(name)
            met = "" if target is None else ("  ok" if r["per_byte"] <= target else "  MISSED")
            print(f"{label + name:28} {r['ticks']:>12} {per:>10} {'':>10} "
                  f"{(str(target) + '/B') if target else '-':>10}{met}  {STORAGE_NOTE}")
    for name, r in results.get("side-by-side", {}).items():
        unit_sb = "MiB/s" if name.startswith("tcp") else "s"
        better = "higher" if name.startswith("tcp") else "lower"
        ratio = "Switchboard/Linux" if name.startswith("tcp") else "Linux/Switchboard"
        print(f"{'linux-side-' + name:28} {r['switchboard']:>10} {unit_sb:<5} linux "
              f"{r['linux']:>8} {unit_sb:<5} ratio {r['ratio']} ({ratio}; {better} is "
              f"better; plain TCG wall clock, tools/linuxguest.py)")
    if "side-by-side-error" in results:
        print(f"{'linux-side-by-side':28} not run: {results['side-by-side-error']}")
    print(f"(figures in {unit}; measurement overhead subtracted)")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--iso", required=True)
    ap.add_argument("--run-iso", help="the image of make run, for the first prompt")
    ap.add_argument("--nolog-iso", help="the image built with CONFIG_IPC_LOG=n")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--mem", default="128M")
    ap.add_argument("--out", default="build/bench.json")
    ap.add_argument("--boot-only", action="store_true",
                    help="only the boot to the first prompt (-icount and wall clock)")
    ap.add_argument("--tasks-only", action="store_true",
                    help="only the tasks boot (ns ping, spawn + wait through the loader)")
    ap.add_argument("--system-only", action="store_true",
                    help="only the system boot (the VFS, share-in and IRQ cases)")
    ap.add_argument("--net-only", action="store_true",
                    help="only the network cases (ping under -icount, HTTP by wall clock)")
    ap.add_argument("--ipc-only", action="store_true",
                    help="only the kernel's IPC cases and the async ones (two boots, one CPU)")
    args = ap.parse_args()
    try:
        results, status = run(args)
        per_byte(results)
    except GuestTimeout as e:
        print(f"bench: {e}; see build/test-logs/bench.log", file=sys.stderr)
        return 1
    unit = "guest instructions" if args.accel == "tcg" else "cycles"
    print_table(results, unit)
    with open(args.out, "w") as f:
        json.dump({"unit": unit, "accel": args.accel, "results": results}, f, indent=2)
    print(f"wrote {args.out}")
    return 0 if status == QEMU_EXIT_PASS else 1


if __name__ == "__main__":
    sys.exit(main())
