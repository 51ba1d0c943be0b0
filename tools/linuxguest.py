#!/usr/bin/env python3
"""A Linux guest beside Switchboard in the same QEMU, for side-by-side figures
(make bench, never make test).

`prepare` fetches Debian's kernel and static busybox with `apt-get download`
into build/linux (once), extracts them with `dpkg-deb -x`, and packs an
initramfs: busybox, the modules the benchmarks need (virtio_pci, virtio_blk,
virtio_net, e1000, ext4, which serves ext2, with the crc32c it asks for at
mount, and what they depend on, read
from each module's .modinfo) and an /init that loads them, gives eth0 the
address QEMU's user network hands out (10.0.2.15/24) and starts a shell on
the serial console. LinuxGuest boots it with the device models Switchboard's
runs use (tools/guest.py: e1000 on `-nic user,restrict=on`, host forwards on
127.0.0.1 only; the same disk arguments).

`bench` runs the two comparisons, each guest in turn on this machine:
  - ext2 on virtio-blk: 4 MiB written in 64 KiB requests + sync, then read
    back uncached, on an image made by mke2fs -d (tools/storage_tests.py);
    Switchboard's fstest bench against dd in Linux, wall-clock time inside
    each guest (plain TCG, no -icount), and the ratio Linux/Switchboard
    (above 1: Switchboard faster);
  - TCP through the e1000 and a host forward: MiB/s host->guest (the host
    sends, the guest's nc stores in /tmp) and guest->host (the guest's nc
    sends that file back), Switchboard's nc against busybox nc, and the
    ratio Switchboard/Linux (#25's goal: >= 0.5).

`tcp-icount` (Switchboard alone, no Linux) boots the shell image under
-icount (one instruction a nanosecond of the guest's clock), has the host
send 8 MiB into `nc -l`, and prints each task's CPU time over the transfer
from `top` as instructions per MiB received: the guest's cost of a
host-to-guest transfer, which the load on this machine does not change
(how QEMU batches frames into interrupts still moves it by about a fifth
from run to run). The time QEMU spends in its device models and slirp is
not in it.
"""
import argparse
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, nic_option  # noqa: E402

LINUX_DIR = os.path.join("build", "linux")
LOG_DIR = os.path.join("build", "test-logs")
# The modules the benchmarks need; their dependencies come along.
MODULES = ["virtio_pci", "virtio_blk", "virtio_net", "e1000", "crc32c_generic", "ext4"]
PROMPT = "linux# "
MIB = 1024 * 1024
TCP_BYTES = 8 * MIB
GUEST_PORT = 5001
# Seconds from typing the guest's `nc -l` to connecting (see connect()).
LISTEN_WAIT = 3

INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko || echo "linuxguest: insmod $m failed"; done
ip link set lo up
IF=$(ls /sys/class/net | grep -v '^lo$' | head -n 1)
ip link set "$IF" up && ip addr add 10.0.2.15/24 dev "$IF"
echo "linuxguest: ready ($IF)"
export PS1='%s'
exec setsid cttyhack sh
""" % PROMPT


def sh(argv, cwd=None):
    """Runs @argv; its stdout, or raises with what it printed."""
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {p.stdout.decode(errors='replace')}")
    return p.stdout.decode(errors="replace")


def kernel_package():
    """The versioned kernel package linux-image-amd64 depends on."""
    out = sh(["apt-cache", "depends", "linux-image-amd64"])
    m = re.search(r"Depends: (linux-image-[0-9][^\s]*)", out)
    if not m:
        raise RuntimeError("apt-cache names no kernel for linux-image-amd64")
    return m.group(1)


def fetch(package):
    """The .deb of @package in LINUX_DIR, downloaded once."""
    found = glob.glob(os.path.join(LINUX_DIR, package + "_*.deb"))
    if not found:
        sh(["apt-get", "download", package], cwd=LINUX_DIR)
        found = glob.glob(os.path.join(LINUX_DIR, package + "_*.deb"))
    if not found:
        raise RuntimeError(f"apt-get download {package} gave no .deb")
    return sorted(found)[-1]


def module_index(moddir):
    """{module name: path} of every .ko under @moddir ('-' read as '_')."""
    return {os.path.basename(p)[:-3].replace("-", "_"): p
            for p in glob.glob(os.path.join(moddir, "**", "*.ko"), recursive=True)}


def module_depends(path):
    """The modules @path needs loaded first (its .modinfo depends=)."""
    with open(path, "rb") as f:
        m = re.search(rb"\0depends=([\w,-]*)\0", b"\0" + f.read())
    names = m.group(1).decode().split(",") if m else []
    return [n.replace("-", "_") for n in names if n]


def load_order(index, wanted):
    """@wanted and their dependencies, each after what it needs."""
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        if name not in index:
            raise RuntimeError(f"module {name} is not in the kernel package")
        for dep in module_depends(index[name]):
            visit(dep)
        order.append(name)
    for name in wanted:
        visit(name)
    return order


def prepare():
    """(kernel image, initramfs) in LINUX_DIR, made once."""
    os.makedirs(LINUX_DIR, exist_ok=True)
    kernel_deb = fetch(kernel_package())
    busybox_deb = fetch("busybox-static")
    initrd = os.path.join(LINUX_DIR, "initramfs.cpio.gz")
    root = os.path.join(LINUX_DIR, "root")
    kernels = glob.glob(os.path.join(root, "boot", "vmlinuz-*"))
    if kernels and os.path.exists(initrd) and \
            os.path.getmtime(initrd) >= os.path.getmtime(__file__):
        return kernels[0], initrd
    shutil.rmtree(root, ignore_errors=True)
    for deb in (kernel_deb, busybox_deb):
        sh(["dpkg-deb", "-x", deb, root])
    kernel = glob.glob(os.path.join(root, "boot", "vmlinuz-*"))[0]
    moddir = glob.glob(os.path.join(root, "lib", "modules", "*"))[0]
    index = module_index(moddir)
    order = load_order(index, MODULES)
    stage = os.path.join(LINUX_DIR, "initramfs")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(os.path.join(stage, "bin"))
    os.makedirs(os.path.join(stage, "lib", "modules"))
    shutil.copy(os.path.join(root, "bin", "busybox"), os.path.join(stage, "bin", "busybox"))
    for name in order:
        shutil.copy(index[name], os.path.join(stage, "lib", "modules", name + ".ko"))
    with open(os.path.join(stage, "lib", "modules", "order"), "w") as f:
        f.write("\n".join(order) + "\n")
    with open(os.path.join(stage, "init"), "w") as f:
        f.write(INIT)
    os.chmod(os.path.join(stage, "init"), 0o755)
    files = sh(["find", ".", "-mindepth", "1"], cwd=stage)
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=stage,
                          input=files.encode(), stdout=subprocess.PIPE, check=True)
    with open(initrd, "wb") as f:
        f.write(subprocess.run(["gzip", "-9"], input=cpio.stdout, stdout=subprocess.PIPE,
                               check=True).stdout)
    return kernel, initrd


class LinuxGuest(Guest):
    """A Guest booting the Linux kernel and initramfs of prepare() with the
    QEMU arguments Switchboard's guests get (machine, NIC, @extra disks)."""

    def __init__(self, name, qemu="qemu-system-x86_64", mem="256M", extra=(), forwards=()):
        kernel, initrd = prepare()
        super().__init__("none.iso", os.path.join(LOG_DIR, name + ".log"), qemu=qemu,
                         mem=mem, extra=extra, forwards=forwards)
        self.argv = [qemu, "-accel", "tcg", "-cpu", "max", "-m", str(mem), "-smp", "1",
                     "-no-reboot", "-display", "none", "-serial", "stdio",
                     "-monitor", "none", "-nic", nic_option(forwards),
                     "-kernel", kernel, "-initrd", initrd,
                     "-append", "console=ttyS0 quiet loglevel=3 panic=-1"] + list(extra)
        self.seq = 0

    def boot(self, timeout=300):
        self.expect(r"^linuxguest: ready", timeout)
        self.expect(re.escape(PROMPT), 30)

    def run(self, command, timeout=120):
        """Runs @command in the guest's shell; (its output, exit status)."""
        self.seq += 1
        # A newline first: the output may not end in one.
        self.send(f"{command}; s=$?; echo; echo @@end{self.seq} $s\n")
        m = self.expect(rf"^(?P<out>(?:.*\n)*?)@@end{self.seq} (\d+)$", timeout)
        return m.group("out"), int(m.group(2))


def ext2_linux(qemu, image_args):
    """Seconds for 4 MiB written + sync and read uncached, by dd in 64 KiB
    requests on the ext2 disk (virtio-blk) of @image_args in Linux."""
    g = LinuxGuest("linux-ext2", qemu=qemu, extra=image_args)
    with g:
        g.boot()
        steps = ["for i in $(seq 100); do [ -b /dev/vda ] && break; sleep 0.1; done",
                 "mount -t ext2 /dev/vda /mnt",
                 "dd if=/dev/urandom of=/tmp/data bs=65536 count=64 2>/dev/null",
                 "sync; echo 3 > /proc/sys/vm/drop_caches"]
        for s in steps:
            out, status = g.run(s)
            if status != 0:
                raise RuntimeError(f"linux: {s}: {out}")
        timed = {"write-4m+sync": "dd if=/tmp/data of=/mnt/bench.bin bs=65536 2>/dev/null; sync",
                 "read-4m-uncached": "echo 3 > /proc/sys/vm/drop_caches; "
                                     "dd if=/mnt/bench.bin of=/dev/null bs=65536 2>/dev/null"}
        result = {}
        for case, cmd in timed.items():
            prep = ""
            if case.startswith("read"):
                prep, cmd = cmd.split("; ", 1)
                g.run(prep)
            out, status = g.run("a=$(cut -d' ' -f1 /proc/uptime); " + cmd +
                                "; b=$(cut -d' ' -f1 /proc/uptime); echo @@t $a $b")
            m = re.search(r"^@@t (\S+) (\S+)$", out, re.M)
            if status != 0 or not m:
                raise RuntimeError(f"linux: {cmd}: {out}")
            result[case] = float(m.group(2)) - float(m.group(1))
        g.run("umount /mnt")
    return result


def ext2_switchboard(iso, qemu, image_args):
    """Seconds of fstest's bench steps on the ext2 virtio-blk disk of
    @image_args, by Switchboard's monotonic clock (plain TCG)."""
    g = Guest(iso, os.path.join(LOG_DIR, "switchboard-ext2-wall.log"),
              "testinit=ns,vfs,tmpfs testtask=fstest testargs=ext2,bench,virtio", qemu=qemu,
              extra=image_args, ends="exit")
    with g:
        g.expect(r"^fstest: \d+ passed, \d+ failed$", 600)
    found = dict(re.findall(r"^fstest: bench (\S+): .*, (\d+) us$", g.output, re.M))
    return {k: int(v) / 1e6 for k, v in found.items()}


def bench_ext2(iso, qemu):
    """{case: {switchboard, linux (seconds), ratio}} of the two guests on
    fresh copies of one ext2 image on virtio-blk."""
    import storage_tests
    sides = {}
    for side in ("switchboard", "linux"):
        path = os.path.join(LOG_DIR, f"side-by-side-ext2-{side}.img")
        os.makedirs(LOG_DIR, exist_ok=True)
        storage_tests.make_ext2_disk(path)
        disk = storage_tests.disk_args(path, "virtio")
        sides[side] = ext2_switchboard(iso, qemu, disk) if side == "switchboard" \
            else ext2_linux(qemu, disk)
    out = {}
    for case in ("write-4m+sync", "read-4m-uncached"):
        sb, lx = sides["switchboard"].get(case), sides["linux"].get(case)
        if sb is None or lx is None:
            raise RuntimeError(f"no figure for {case}: {sides}")
        out[case] = {"switchboard": round(sb, 3), "linux": round(lx, 3),
                     "ratio": round(lx / sb, 3) if sb > 0 else None}
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port, timeout=120):
    """A connection to the forward on 127.0.0.1:@port. QEMU accepts it at
    once whether or not the guest listens, so the caller waits LISTEN_WAIT
    after starting the guest's listener; a guest that half-closes at once
    (its nc's input is empty) cannot be told from one that refused."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s


def host_send(port, data):
    """Seconds to send @data to the guest and see it close after the end."""
    s = connect(port)
    start = time.monotonic()
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    took = time.monotonic() - start
    s.close()
    return took


def host_receive(port, size):
    """Seconds to receive @size bytes from the guest; the bytes."""
    s = connect(port)
    start = time.monotonic()
    got = bytearray()
    while len(got) < size:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    took = time.monotonic() - start
    s.close()
    return took, bytes(got)


def tcp_side(g, run, listen_cmd, empty, port, data):
    """MiB/s host->guest and guest->host with the guest's nc (@listen_cmd
    formats the listener with its redirections; @empty: an empty file for
    its input while it receives, so it ends when the host's stream ends)."""
    import threading
    res = {}

    def guest_cmd(cmd):
        res["guest"] = run(cmd)
    t = threading.Thread(target=guest_cmd, args=(listen_cmd(f"< {empty} > /tmp/in.bin"),))
    t.start()
    time.sleep(LISTEN_WAIT)
    took = host_send(port, data)
    t.join(120)
    res["h2g"] = len(data) / MIB / took
    t = threading.Thread(target=guest_cmd, args=(listen_cmd(f"< /tmp/in.bin"),))
    t.start()
    time.sleep(LISTEN_WAIT)
    took, back = host_receive(port, len(data))
    t.join(120)
    if back != data:
        raise RuntimeError(f"guest->host gave {len(back)} bytes, not the {len(data)} sent")
    res["g2h"] = len(data) / MIB / took
    return res


def tcp_linux(qemu, data):
    port = free_port()
    g = LinuxGuest("linux-tcp", qemu=qemu, forwards=[f"tcp:127.0.0.1:{port}-:{GUEST_PORT}"])
    with g:
        g.boot()
        return tcp_side(g, lambda c: g.run(c, 300),
                        lambda redir: f"nc -l -p {GUEST_PORT} {redir}", "/dev/null", port, data)


def tcp_switchboard(iso, qemu, data):
    from testrun import shell_run, wait_shell_prompt
    port = free_port()
    g = Guest(iso, os.path.join(LOG_DIR, "switchboard-tcp.log"), "", qemu=qemu,
              forwards=[f"tcp:127.0.0.1:{port}-:{GUEST_PORT}"])
    with g:
        wait_shell_prompt(g)
        shell_run(g, "touch /tmp/empty\r", [])
        return tcp_side(g, lambda c: shell_run(g, c + "\r", [], timeout=300),
                        lambda redir: f"nc -l {GUEST_PORT} {redir}", "/tmp/empty", port, data)


ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
# Tasks that tcp_icount's own polling (a `stat` typed into the shell now
# and then) keeps busy, left out of its figures with the kernel's task.
ICOUNT_SKIP = ("kernel#", "top#", "sh#", "console#", "vga#", "ns16550#", "i8042#")


def task_times(g):
    """Each task's CPU time in seconds from one `top -n 1` in @g, by
    "name#id" (a task that ended is not there)."""
    from testrun import shell_run
    mark = len(g.output)
    shell_run(g, "top -n 1 -d 1\r", [], timeout=120)
    return {f"{m.group(2)}#{m.group(1)}": float(m.group(3)) for m in re.finditer(
        r"^\s*(\d+) (\S+)\s+\d+\s+[\d.]+\s+([\d.]+)\s+\S+$", g.output[mark:], re.M)}


def wait_guest_file(g, path, size):
    """Waits until the guest's @path has @size bytes (nc writes as it
    receives); False after 300 s."""
    from testrun import shell_run
    for _ in range(600):
        mark = len(g.output)
        shell_run(g, f"stat {path}\r", [])
        if re.search(rf"size {size},", g.output[mark:]):
            return True
        time.sleep(0.5)
    return False


def tcp_icount(iso, qemu, data):
    """Instructions per MiB each task of Switchboard spent receiving @data
    from the host into `nc -l` (ICOUNT_SKIP left out: the kernel's task,
    mostly idle, and those the polling drives); "total" sums them. nc is sampled while it still holds the connection,
    so its share counts."""
    from testrun import shell_run, wait_shell_prompt
    port = free_port()
    g = Guest(iso, os.path.join(LOG_DIR, "switchboard-tcp-icount.log"), "", qemu=qemu,
              forwards=[f"tcp:127.0.0.1:{port}-:{GUEST_PORT}"], extra=ICOUNT)
    with g:
        wait_shell_prompt(g)
        shell_run(g, f"touch /tmp/empty; nc -l {GUEST_PORT} < /tmp/empty > /tmp/in.bin &\r", [])
        time.sleep(LISTEN_WAIT)
        before = task_times(g)
        s = connect(port)
        s.sendall(data)
        if not wait_guest_file(g, "/tmp/in.bin", len(data)):
            raise RuntimeError("the guest's nc did not receive everything")
        after = task_times(g)
        s.close()
        shell_run(g, "wait\r", [], timeout=120)
    mib = len(data) / MIB
    out = {name: round((t - before.get(name, 0.0)) * 1e9 / mib)
           for name, t in after.items()
           if not name.startswith(ICOUNT_SKIP) and t > before.get(name, 0.0)}
    out["total"] = sum(out.values())
    if not any(name.startswith("nc#") for name in after):
        # The stream's end reached nc before the sample: its share is not in.
        print("tcp-icount: nc ended before the second sample; its share is missing",
              file=sys.stderr)
    return out


def bench_tcp(iso, qemu):
    data = os.urandom(TCP_BYTES)
    sb = tcp_switchboard(iso, qemu, data)
    lx = tcp_linux(qemu, data)
    out = {}
    for case, key in (("tcp-host-to-guest", "h2g"), ("tcp-guest-to-host", "g2h")):
        out[case] = {"switchboard": round(sb[key], 2), "linux": round(lx[key], 2),
                     "ratio": round(sb[key] / lx[key], 3)}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["prepare", "bench", "ext2", "tcp", "tcp-icount"])
    ap.add_argument("--iso", default="build/switchboard.iso")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--out", default="", help="also write the figures as JSON here")
    a = ap.parse_args()
    if a.what == "prepare":
        print(" ".join(prepare()))
        return 0
    if a.what == "tcp-icount":
        per_mib = tcp_icount(a.iso, a.qemu, os.urandom(TCP_BYTES))
        for name, n in sorted(per_mib.items(), key=lambda kv: -kv[1]):
            print(f"{name:16} {n:>12,} instructions per MiB")
        return 0
    figures = {}
    if a.what in ("bench", "ext2"):
        figures.update(bench_ext2(a.iso, a.qemu))
    if a.what in ("bench", "tcp"):
        figures.update(bench_tcp(a.iso, a.qemu))
    for case, f in figures.items():
        unit = "s" if "tcp" not in case else "MiB/s"
        print(f"{case:22} switchboard {f['switchboard']:>8} {unit:5} linux {f['linux']:>8} "
              f"{unit:5} ratio {f['ratio']}")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(figures, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
