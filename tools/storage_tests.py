"""Block devices and file systems on disks: the suites testrun.py lists as
bd-* (and later fs-*). Each makes its disk image under LOG_DIR, boots a test
task with it attached and then checks on the host what the guest wrote.
"""
import os

from testrun import LOG_DIR, run_line_suite

BLOCK = 512
DISK_BLOCKS = 2048          # 1 MiB: what bdtest expects
PATTERN_BLOCKS = 128        # bdtest's written runs: 100.. and 300..


def host_block(i):
    """The block the host puts at @i: "SBLK%08u" then zeros."""
    return (b"SBLK%08u" % i).ljust(BLOCK, b"\0")


def guest_block(tag, i):
    """A block bdtest writes: "<tag><block %010u>" in every 16 bytes."""
    return (b"%s%010u" % (tag, i)) * (BLOCK // 16)


def make_pattern_disk(path):
    with open(path, "wb") as f:
        for i in range(DISK_BLOCKS):
            f.write(host_block(i))


def expected_block(i):
    if 100 <= i < 100 + PATTERN_BLOCKS:
        return guest_block(b"XFER::", i)
    if 300 <= i < 300 + PATTERN_BLOCKS:
        return guest_block(b"SHRD::", i)
    return host_block(i)


def check_pattern_disk(path):
    """The blocks that differ from what bdtest must have left: (ok, detail)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) != DISK_BLOCKS * BLOCK:
        return False, f"{path}: {len(data)} bytes"
    bad = [i for i in range(DISK_BLOCKS) if data[i * BLOCK:(i + 1) * BLOCK] != expected_block(i)]
    return not bad, f"{path}: blocks {bad[:8]} differ" if bad else ""


def run_bd_ata(results, args):
    """bdtest on an IDE disk (the ata driver), then the image checked."""
    path = os.path.join(LOG_DIR, "bd-ata.img")
    os.makedirs(LOG_DIR, exist_ok=True)
    make_pattern_disk(path)
    disk = ["-drive", f"file={path},format=raw,if=ide,index=0"]
    run_line_suite(results, args, "bdtest", "testinit=ns,vfs,tmpfs testtask=bdtest",
                   "bd-ata", args.iso, extra=disk)
    ok, detail = check_pattern_disk(path)
    results.record("bd-ata.host-sees-the-written-blocks", ok, detail)
