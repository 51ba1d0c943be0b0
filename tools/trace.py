#!/usr/bin/env python3
"""`make trace`: boot Switchboard with the IPC log on, run a command (or let
you type), export the log over the second serial port and write a timeline.

Usage: trace.py --iso ISO [--cmd 'cat /data/hello.txt'] [--filter SPEC] [--out build]

With --cmd: boots, waits for the shell, notes the log's head, types the
command, waits for its prompt, stops the log and exports the records the
command caused (`ipclog --export --from HEAD --host`). Without --cmd: the
serial console is yours (the log records from boot); press Ctrl-] to stop,
export and write the trace. Either way writes OUT/trace.json (Perfetto),
OUT/trace.html (the timeline, self-contained), OUT/trace.txt (the summary,
also printed) and keeps the raw export in OUT/trace-export.txt. A command
that fails or does not exist is reported; the trace of what ran is still
written. Filters (--filter) are the kernel option's: size=N,types=a+b,...
(docs/ipclog.md).
"""
import argparse
import os
import re
import select
import subprocess
import sys
import termios
import time
import tty

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest as guestmod  # noqa: E402

BOOT_TIMEOUT = 120
PROMPT = "/ # "


def type_line(g, line):
    for k in line + "\r":
        g.send(k)
        time.sleep(0.02)


def run(g, line, timeout=60):
    """Types @line at the prompt; returns what it printed before the next prompt."""
    start = len(g.output)
    type_line(g, line)
    m = g.expect(re.escape(PROMPT), timeout)
    out = g.output[start:m.start()].replace("\r", "")
    # The echoed command line comes first.
    return out.split("\n", 1)[1] if "\n" in out else ""


def capture_size(path):
    """How many bytes the export channel's capture holds so far."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def wait_export(path, timeout, offset=0):
    """Waits until the export channel's capture has an export's last line
    after byte @offset (an export started after that point ended)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(path, "rb") as f:
                f.seek(offset)
                if b"ipclog-export-end" in f.read():
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def scripted(g, cmd):
    """Boots to the prompt and runs @cmd traced (scripted_at_prompt)."""
    g.expect(r"Type 'help' for commands\.", BOOT_TIMEOUT)
    g.expect(re.escape(PROMPT), 60)
    return scripted_at_prompt(g, cmd)


def scripted_at_prompt(g, cmd):
    """Runs @cmd traced (`ipclog --run`, which says which records it caused);
    returns (what happened, export options)."""
    out = run(g, f"priv ipclog --run {cmd}", timeout=300)
    m = re.search(r"^ipclog: records (\d+) to (\d+): (.*)$", out, re.MULTILINE)
    if not m:
        raise RuntimeError(f"ipclog --run said: {out.strip()!r}")
    return f"{m.group(3)} (records {m.group(1)} to {m.group(2)})", \
        f"--from {m.group(1)} --to {m.group(2)}"


def interactive(g):
    """Relays the terminal to the guest until Ctrl-]."""
    print("make trace: the IPC log is on; use the shell, then press Ctrl-] to export "
          "and write the trace.", flush=True)
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    shown = 0
    try:
        tty.setraw(fd)
        while True:
            with g.lock:
                text = g.output[shown:]
                shown += len(text)
            if text:
                os.write(sys.stdout.fileno(), text.replace("\n", "\r\n").encode())
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                data = os.read(fd, 64)
                if b"\x1d" in data:
                    break
                g.send(data.decode("utf-8", errors="replace"))
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    print()
    g.send("\x15")  # Ctrl-U: whatever was half typed goes
    type_line(g, "")
    g.expect(re.escape(PROMPT), 30)
    return "interactive session", ""


def export(g, since, path, timeout=60):
    """Stops the log and exports the records @since names (ipclog options)
    to the export channel captured in @path; (seconds taken, what ipclog
    said) or raises RuntimeError when nothing arrived."""
    started, offset = time.time(), capture_size(path)
    out = run(g, f"priv ipclog --export {since} --host".replace("  ", " "), timeout=600)
    if not wait_export(path, timeout, offset):
        raise RuntimeError(f"no export arrived: {out.strip()}")
    return time.time() - started, out.strip()


def export_serial(path):
    """QEMU's argument for the export channel, COM2, written to @path."""
    if os.path.exists(path):
        os.remove(path)
    return ["-serial", f"file:{path}"]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--iso", required=True)
    p.add_argument("--cmd", default="")
    p.add_argument("--filter", default="size=16384")
    p.add_argument("--out", default="build")
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--accel", default="tcg")
    p.add_argument("--mem", default="128M")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "trace-export.txt")
    option = "ipclog" + (f"={a.filter}" if a.filter else "")
    g = guestmod.Guest(a.iso, os.path.join(a.out, "trace-serial.log"), option,
                       qemu=a.qemu, accel=a.accel, mem=a.mem, extra=export_serial(path))
    g.start()
    try:
        note, since = scripted(g, a.cmd) if a.cmd else interactive(g)
        took, said = export(g, since, path)
        print(f"make trace: {note}; export took {took:.1f} s: {said}")
    except (RuntimeError, guestmod.GuestTimeout) as e:
        print(f"make trace: {e}", file=sys.stderr)
        return 1
    finally:
        g.close()
    base = os.path.join(a.out, "trace")
    proc = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "ipctrace.py"),
                           path, "-o", base + ".json", "--html", base + ".html",
                           "--summary", base + ".txt", "--title",
                           f"Switchboard IPC trace: {a.cmd or 'interactive session'}"])
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
