#!/usr/bin/env python3
"""Instruction-exact profile of one benchmark iteration.

Boots the benchmark boot under QEMU TCG with its gdb stub, stops at the
N-th entry of a benchmark operation (after the warm-up), single-steps the
guest until the operation is entered again and prints every instruction
executed on the way, grouped by function (kernel and user symbols), in the
order they ran. Under single-stepping QEMU keeps interrupts off, so the
trace is the operation alone: one iteration of op_ping_combined is one
combined round trip through client, kernel and server.

    python3 tools/ipcprofile.py                       # combined round trip
    python3 tools/ipcprofile.py --func op_ping_plain  # four plain calls
    python3 tools/ipcprofile.py --trace               # every instruction

docs/performance.md's per-step budget comes from this tool.
"""
import argparse
import bisect
import os
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest  # noqa: E402

GDB_SCRIPT = r"""
import gdb
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set architecture i386:x86-64")
gdb.execute("target remote 127.0.0.1:%(port)d")
gdb.execute("hbreak *%(addr)d")
gdb.execute("ignore 1 %(skip)d")
gdb.execute("continue")
gdb.execute("delete")
out = open(%(out)r, "w")
frame = gdb.selected_frame()
pc = int(frame.read_register("rip"))
for i in range(%(limit)d):
    cr3 = int(gdb.selected_frame().read_register("cr3"))
    out.write("%%x %%x\n" %% (pc, cr3))
    gdb.execute("stepi", to_string=True)
    pc = int(gdb.selected_frame().read_register("rip"))
    if pc == %(addr)d:
        break
out.close()
gdb.execute("kill")
"""


def symbols(path):
    """(addresses, names) of the function symbols of ELF file @path."""
    out = subprocess.run(["nm", "-n", path], capture_output=True, text=True,
                         check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            addrs.append(int(parts[0], 16))
            names.append(parts[2])
    return addrs, names


def lookup(table, pc):
    addrs, names = table
    i = bisect.bisect_right(addrs, pc) - 1
    return names[i] if i >= 0 else "?"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iso", default="build/switchboard.iso")
    ap.add_argument("--cmdline", default="testtask=bench")
    ap.add_argument("--user-elf", default="build/uspace/app/bench")
    ap.add_argument("--server-elf", action="append", default=[],
                    help="a peer's program (repeat for several, in the order they first run)")
    ap.add_argument("--kernel-elf", default="build/kernel/kernel.elf")
    ap.add_argument("--func", default="bench_ping_combined")
    ap.add_argument("--skip", type=int, default=300, help="entries to let pass first")
    ap.add_argument("--limit", type=int, default=20000)
    ap.add_argument("--trace", action="store_true", help="print every instruction")
    args = ap.parse_args()

    user = symbols(args.user_elf)
    servers = [symbols(path) for path in args.server_elf]
    kernel = symbols(args.kernel_elf)
    if args.func not in user[1]:
        sys.exit(f"ipcprofile: {args.func} is not a symbol of {args.user_elf}")
    addr = user[0][user[1].index(args.func)]
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="ipcprof")
    out = os.path.join(tmp, "pcs")
    script = os.path.join(tmp, "step.py")
    with open(script, "w") as f:
        f.write(GDB_SCRIPT % {"port": port, "addr": addr, "skip": args.skip,
                              "out": out, "limit": args.limit})
    extra = ["-icount", "shift=0,align=off,sleep=off", "-gdb", f"tcp:127.0.0.1:{port}"]
    log = os.path.join("build", "test-logs", "ipcprofile.log")
    with Guest(args.iso, log, args.cmdline, extra=extra) as g:
        del g
        subprocess.run(["gdb", "-nx", "-batch", "-x", script], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    with open(out) as f:
        pcs = [tuple(int(w, 16) for w in line.split()) for line in f]

    runs = []  # [function, count] in execution order, consecutive merged
    client_cr3 = pcs[0][1] if pcs else 0
    peers = []  # address spaces other than the client's, in order of appearance
    for pc, cr3 in pcs:
        if pc >= 1 << 63:
            name = lookup(kernel, pc)
        elif cr3 == client_cr3:
            name = lookup(user, pc)
        else:
            if cr3 not in peers:
                peers.append(cr3)
            i = peers.index(cr3)
            table = servers[i] if i < len(servers) else (servers[-1] if servers else user)
            name = lookup(table, pc) + f" [peer {i + 1}]"
        if args.trace:
            print(f"{pc:016x} {name}")
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    totals = {}
    for name, n in runs:
        totals[name] = totals.get(name, 0) + n
    print(f"{len(pcs)} instructions from {args.func} to its next entry\n")
    print("in execution order:")
    for name, n in runs:
        print(f"  {n:5d}  {name}")
    print("\nby function:")
    for name, n in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5d}  {name}")


if __name__ == "__main__":
    main()
