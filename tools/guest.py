"""Drive a Switchboard guest in QEMU through its serial console.

Used by the test runner and the benchmark. A Guest starts QEMU with the serial
port on a pipe, keeps everything the guest prints in a log file, and offers
expect()/send() with per-step timeouts. QEMU is always killed on close().
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

QEMU_EXIT_PASS = 33      # the kernel wrote 0x10 to isa-debug-exit
QEMU_EXIT_FAIL = 35      # 0x11: tests failed or the kernel panicked


class GuestTimeout(Exception):
    pass


class Guest:
    def __init__(self, iso, log_path, cmdline="", qemu="qemu-system-x86_64",
                 accel="tcg", cpu="max", mem="128M", smp=1, extra=(), monitor=False):
        self.log_path = log_path
        self.monitor_dir = tempfile.mkdtemp(prefix="sbmon") if monitor else None
        self.monitor_sock = None
        self.argv = [qemu, "-accel", accel, "-cpu", cpu, "-m", str(mem),
                     "-smp", str(smp), "-no-reboot", "-display", "none",
                     "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                     "-cdrom", iso, "-boot", "d", "-serial", "stdio"]
        if self.monitor_dir:
            path = os.path.join(self.monitor_dir, "monitor")
            self.argv += ["-monitor", f"unix:{path},server=on,wait=off"]
        else:
            self.argv += ["-monitor", "none"]
        if cmdline:
            # QEMU splits option values at commas; a doubled comma is a comma.
            value = cmdline.replace(",", ",,")
            self.argv += ["-fw_cfg", f"name=opt/switchboard/cmdline,string={value}"]
        self.argv += list(extra)
        self.output = ""
        self.pos = 0            # expect() consumes output up to here
        self.lock = threading.Condition()
        self.proc = None
        self.reader = None

    def start(self):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self.log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self.log.write("# " + " ".join(self.argv) + "\n")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _read(self):
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                break
            text = data.decode("utf-8", errors="replace").replace("\r", "")
            with self.lock:
                self.output += text
                self.log.write(text)
                self.log.flush()
                self.lock.notify_all()
        with self.lock:
            self.lock.notify_all()

    def expect(self, pattern, timeout):
        """Waits for regex @pattern after the last match; returns the match."""
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                m = regex.search(self.output, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise GuestTimeout(f"no /{pattern}/ within {timeout}s")
                if self.proc.poll() is not None and not self.reader.is_alive():
                    raise GuestTimeout(f"QEMU exited ({self.proc.returncode}) "
                                       f"before /{pattern}/")
                self.lock.wait(min(left, 0.5))

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def _monitor_until_prompt(self, timeout):
        deadline = time.monotonic() + timeout
        data = b""
        while not data.endswith(b"(qemu) "):
            left = deadline - time.monotonic()
            if left <= 0:
                raise GuestTimeout("no QEMU monitor prompt")
            self.monitor_sock.settimeout(left)
            chunk = self.monitor_sock.recv(4096)
            if not chunk:
                raise GuestTimeout("QEMU monitor closed")
            data += chunk
        return data.decode("utf-8", errors="replace")

    def hmp(self, command, timeout=10):
        """Runs a QEMU monitor command (Guest made with monitor=True), e.g.
        `sendkey a` or `xp /16bx 0xb8000`; returns what it printed."""
        if self.monitor_sock is None:
            self.monitor_sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.monitor_sock.connect(os.path.join(self.monitor_dir, "monitor"))
            self._monitor_until_prompt(timeout)
        self.monitor_sock.sendall(command.encode() + b"\n")
        out = self._monitor_until_prompt(timeout)
        out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out).replace("\r", "")
        lines = out.split("\n")[:-1]   # the last is the next prompt
        if lines and lines[0].strip().endswith(command):
            lines = lines[1:]           # the echo of the command
        return "\n".join(lines)

    def wait_exit(self, timeout):
        """Waits for QEMU to exit by itself; returns its status or None."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.reader is not None:
            self.reader.join(timeout=5)
        if hasattr(self, "log"):
            self.log.close()
        if self.monitor_sock is not None:
            self.monitor_sock.close()
        if self.monitor_dir:
            shutil.rmtree(self.monitor_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
