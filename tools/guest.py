"""Drive a Switchboard guest in QEMU through its serial console.

Used by the test runner and the benchmark. A Guest starts QEMU with the serial
port on a pipe, keeps everything the guest prints in a log file, and offers
expect()/send() with per-step timeouts. QEMU is always killed on close().

Every run ends in one place, Guest.finish() (called on leaving the `with`
block): QEMU is brought down as the run declared (`ends`: it exits by itself,
it is halted from the shell, or it is left running and killed), its exit
status is checked, and the whole serial log is scanned for trouble (a panic,
an undefined-behaviour report, a killed task, a restarted server, a dead
driver) that the run did not declare with `allow`. What is wrong lands in
`problems`; the test runner fails the run for any of it.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

QEMU_EXIT_PASS = 33      # the kernel wrote 0x10 to isa-debug-exit
QEMU_EXIT_FAIL = 35      # 0x11: tests failed or the kernel panicked


# Lines that mean something went wrong, wherever they appear in a serial log
# (the strings the kernel, init, devman and libc print), with what they mean.
TROUBLE = [
    (r"^PANIC: ", "kernel panic"),
    (r"UBSan:", "undefined behaviour"),
    (r"^task \d+ \(.*\) killed: ", "killed task"),
    (r"not restarting it$", "server keeps failing"),
    (r"restarting it$", "server restarted"),
    (r"has gone; restarting it \(\d+ of \d+\)$", "driver restarted"),
    (r"has gone \d+ times; the device failed$", "driver keeps dying"),
    (r"^init: lost track of ", "init lost a server"),
    (r"^Assertion failed: ", "user-space assertion"),
    (r"^\S+: aborted$", "user-space abort"),
]

# How a run ends: QEMU exits by itself (the guest's test task or kernel ends
# it), `halt` is typed at the shell's prompt (QEMU must exit with status 0),
# or QEMU is left running and killed (the default for tools other than the
# test runner, whose runs must each say how they end).
ENDS = ("exit", "halt", "running")


# Signals that end QEMU only when QEMU itself fails (a segmentation fault,
# an assertion's abort): a guest ends it by isa-debug-exit, a power-off or a
# triple fault (-no-reboot), each an ordinary exit status.
EMULATOR_CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGILL,
                          signal.SIGFPE}


class GuestTimeout(Exception):
    pass


# The guests made by the current thread since guests_begin(): the test runner
# checks each one's problems after a suite or scenario.
_made = threading.local()


def guests_begin():
    _made.guests = []


def guests_made():
    return list(getattr(_made, "guests", []))


# The NIC models a guest may have (-nic ...,model=): QEMU's e1000 (the
# default) and virtio-net over PCI.
NIC_MODELS = ("e1000", "virtio-net-pci")


def nic_option(forwards=(), model="e1000"):
    """The value of -nic every guest gets: a NIC of @model (NIC_MODELS) on a
    user network restricted to the host (restrict=on: nothing the guest
    sends leaves this machine), with host forwards @forwards
    ("tcp:127.0.0.1:HOSTPORT-:PORT"), each bound to the host's loopback
    only."""
    if model not in NIC_MODELS:
        raise ValueError(f"NIC model {model!r} is not one of {NIC_MODELS}")
    value = f"user,model={model},restrict=on"
    for f in forwards:
        if not re.match(r"^(tcp|udp):127\.0\.0\.1:\d+-:\d+$", f):
            raise ValueError(f"host forward {f!r} must bind 127.0.0.1")
        value += ",hostfwd=" + f
    return value


class Guest:
    def __init__(self, iso, log_path, cmdline="", qemu="qemu-system-x86_64",
                 accel="tcg", cpu="max", mem="128M", smp=1, extra=(), monitor=False,
                 ends="running", exit_status=QEMU_EXIT_PASS, allow=(), forwards=(),
                 nic="e1000"):
        if ends not in ENDS:
            raise ValueError(f"ends must be one of {ENDS}")
        self.log_path = log_path
        self.name = os.path.splitext(os.path.basename(log_path))[0]
        self.ends = ends
        # ends="halt": powering off is status 0 whatever was asked here.
        self.exit_status = 0 if ends == "halt" else exit_status
        self.allow = [re.compile(a) for a in allow]
        self.problems = []
        self.checked = False    # the runner has reported self.problems
        self.crash_signal = None  # see emulator_crash()
        self.monitor_dir = tempfile.mkdtemp(prefix="sbmon") if monitor else None
        self.monitor_sock = None
        self.argv = [qemu, "-accel", accel, "-cpu", cpu, "-m", str(mem),
                     "-smp", str(smp), "-no-reboot", "-display", "none",
                     "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                     "-cdrom", iso, "-boot", "d", "-serial", "stdio"]
        self.argv += ["-nic", nic_option(forwards, nic)]
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
        if hasattr(_made, "guests"):
            _made.guests.append(self)

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

    def expect_all(self, patterns, timeout):
        """Waits until every regex of @patterns appears after the last match,
        in any order (lines from tasks that run side by side); moves past the
        last of them and returns the matches in the order of @patterns."""
        start = self.pos
        found = {}
        for pattern in patterns:
            self.pos = start
            found[pattern] = self.expect(pattern, timeout)
        self.pos = max(m.end() for m in found.values())
        return [found[p] for p in patterns]

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

    def emulator_crash(self):
        """The signal that ended QEMU on its own (an emulator crash such as
        SIGSEGV: nothing a guest may do legitimately ends it so), or None.
        Only meaningful after close(), which kills QEMU with SIGKILL itself
        and so records first whether it had died already."""
        return self.crash_signal

    def close(self):
        rc = self.proc.poll() if self.proc is not None else None
        if rc is not None and -rc in EMULATOR_CRASH_SIGNALS:
            self.crash_signal = -rc
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.reader is not None:
            self.reader.join(timeout=5)
        if self.proc is not None:
            for pipe in (self.proc.stdin, self.proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass  # the guest is gone; nothing is left to flush
        if hasattr(self, "log"):
            self.log.close()
        if self.monitor_sock is not None:
            self.monitor_sock.close()
        if self.monitor_dir:
            shutil.rmtree(self.monitor_dir, ignore_errors=True)

    def trouble(self):
        """The lines of the serial log that report trouble the run did not
        declare with `allow`, each with what it means."""
        found = []
        for line in self.output.splitlines():
            for regex, meaning in TROUBLE:
                if re.search(regex, line) and not any(a.search(line) for a in self.allow):
                    found.append(f"{meaning}: {line.strip()[:200]}")
                    break
        return found

    def _shut_down(self):
        """Brings QEMU down as declared by `ends`; returns its exit status
        (None if it had to be killed)."""
        if self.ends == "halt" and self.proc.poll() is None:
            time.sleep(0.1)
            try:
                for k in "priv halt\r":
                    self.send(k)
                    time.sleep(0.02)
            except BrokenPipeError:
                pass  # QEMU was already on its way out: its status tells
        if self.ends in ("exit", "halt"):
            return self.wait_exit(30)
        return self.proc.poll()

    def finish(self, failed=False):
        """Ends the run (see the module comment); after a failed run QEMU is
        only killed, since the guest may be anywhere."""
        status = None
        if self.proc is not None and not failed:
            status = self._shut_down()
        self.close()
        if self.crash_signal is not None:
            self.problems.append(f"QEMU itself crashed ({signal.Signals(self.crash_signal).name})")
        elif self.proc is not None and not failed and self.ends != "running" \
                and status != self.exit_status:
            how = "did not exit (killed)" if status is None else f"exit status {status}"
            self.problems.append(f"QEMU {how}, wanted {self.exit_status} (ends={self.ends})")
        self.problems += self.trouble()

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, *exc):
        self.finish(failed=exc_type is not None)
