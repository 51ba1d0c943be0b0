"""Block devices and file systems on disks: the suites testrun.py lists as
bd-* (and later fs-*). Each makes its disk image under LOG_DIR, boots a test
task with it attached and then checks on the host what the guest wrote.
"""
import os
import re
import subprocess

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


# The PCI slot of the virtio-blk disk: fixed, so that its service name
# (devices/\hw\pci0\00:04.0\disk0, which bdtest, fstest and boot/cfg/fstab
# know) does not depend on what other devices QEMU has.
VIRTIO_SLOT = 4


def disk_args(path, driver):
    """QEMU's arguments attaching raw image @path to @driver's controller."""
    if driver == "virtio":
        return ["-drive", f"file={path},format=raw,if=none,id=vdisk",
                "-device", f"virtio-blk-pci,drive=vdisk,addr={VIRTIO_SLOT:#x}"]
    return ["-drive", f"file={path},format=raw,if=ide,index=0"]


def driver_args(driver):
    """The test task's arguments naming the disk (none: the ATA one)."""
    return " testargs=virtio" if driver == "virtio" else ""


def run_bd(results, args, driver="ata"):
    """bdtest on a disk of @driver (ata, virtio), then the image checked."""
    prefix = f"bd-{driver}"
    path = os.path.join(LOG_DIR, prefix + ".img")
    os.makedirs(LOG_DIR, exist_ok=True)
    make_pattern_disk(path)
    # On virtio bdtest kills the driver and devman starts it again.
    restart = [r"^devman: driver virtio-blk of /hw/pci0/00:04\.0 has gone; restarting it"]
    run_line_suite(results, args, "bdtest",
                   "testinit=ns,vfs,tmpfs testtask=bdtest" + driver_args(driver),
                   prefix, args.iso, extra=disk_args(path, driver),
                   allow=restart if driver == "virtio" else [])
    ok, detail = check_pattern_disk(path)
    results.record(f"{prefix}.host-sees-the-written-blocks", ok, detail)


FAULT_BLOCK = 1000           # bdtest's: where blkdebug fails every access


def run_bd_virtio_faulty(results, args):
    """bdtest on a virtio disk attached read-only through QEMU's blkdebug,
    which fails every access to FAULT_BLOCK: EIO there (logged once),
    EROFS for writes, everything else served; the image untouched."""
    prefix = "bd-virtio-faulty"
    path = os.path.join(LOG_DIR, prefix + ".img")
    conf = os.path.join(LOG_DIR, prefix + ".conf")
    os.makedirs(LOG_DIR, exist_ok=True)
    make_pattern_disk(path)
    with open(conf, "w") as f:
        for event in ("read_aio", "write_aio"):
            f.write(f'[inject-error]\nevent = "{event}"\nerrno = "5"\n'
                    f'sector = "{FAULT_BLOCK}"\nonce = "off"\n\n')
    disk = ["-drive", f"file=blkdebug:{conf}:{path},format=raw,if=none,id=vdisk,readonly=on",
            "-device", f"virtio-blk-pci,drive=vdisk,addr={VIRTIO_SLOT:#x}"]
    error = r"^virtio-blk: /hw/pci0/00:04\.0 transfer at sector \d+ failed: device error$"
    run_line_suite(results, args, "bdtest",
                   "testinit=ns,vfs,tmpfs testtask=bdtest testargs=virtio-faulty",
                   prefix, args.iso, extra=disk)
    with open(os.path.join(LOG_DIR, prefix + ".log"), errors="replace") as f:
        logged = len(re.findall(error, f.read(), re.M))
    results.record(f"{prefix}.the-error-is-logged-once", logged == 1, f"logged {logged} times")
    with open(path, "rb") as f:
        data = f.read()
    bad = [i for i in range(DISK_BLOCKS) if data[i * BLOCK:(i + 1) * BLOCK] != host_block(i)]
    results.record(f"{prefix}.the-image-is-untouched", not bad, f"blocks {bad[:8]} differ")


MIB = 1024 * 1024
FS_SIZES = [0, 1, 4095, 4096, 4097, MIB]


def pattern(length, seed):
    """The bytes fstest and the host agree on (fstest.c's pattern())."""
    return bytes(((i * 31 + seed * 7 + i // 511) & 0xff) for i in range(length))


def sh(*argv, env=None):
    """Runs a host tool; (ok, its output)."""
    e = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    e.update(env or {})
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=e)
    return p.returncode == 0, p.stdout.decode(errors="replace")


def make_fat_disk(path, size_mib=64):
    """A FAT32 image with /host/Host File.bin (100,000 bytes, seed 1)."""
    if os.path.exists(path):
        os.unlink(path)
    ok, out = sh("mkfs.fat", "-C", "-F", "32", "-n", "SBTEST", path, str(size_mib * 1024))
    if not ok:
        raise RuntimeError(out)
    src = path + ".host"
    with open(src, "wb") as f:
        f.write(pattern(100000, 1))
    for cmd in (["mmd", "-i", path, "::/host"],
                ["mcopy", "-i", path, src, "::/host/Host File.bin"]):
        ok, out = sh(*cmd)
        if not ok:
            raise RuntimeError(out)
    os.unlink(src)


def mcopy_read(path, name):
    """The bytes of @name in FAT image @path, or None."""
    out = path + ".out"
    ok, _ = sh("mcopy", "-o", "-n", "-i", path, "::" + name, out)
    if not ok:
        return None
    with open(out, "rb") as f:
        data = f.read()
    os.unlink(out)
    return data


def make_ext2_disk(path, size_mib=64, block=4096):
    """An ext2 image made by mke2fs -d from a tree holding /host/Host
    File.bin (100,000 bytes, seed 1)."""
    if os.path.exists(path):
        os.unlink(path)
    tree = path + ".tree"
    subprocess.run(["rm", "-rf", tree], check=True)
    os.makedirs(os.path.join(tree, "host"))
    with open(os.path.join(tree, "host", "Host File.bin"), "wb") as f:
        f.write(pattern(100000, 1))
    ok, out = sh("mke2fs", "-q", "-F", "-t", "ext2", "-b", str(block), "-d", tree, path,
                 f"{size_mib}M")
    subprocess.run(["rm", "-rf", tree], check=True)
    if not ok:
        raise RuntimeError(out)


def debugfs_read(path, name):
    """The bytes of @name in ext2 image @path, or None."""
    out = path + ".out"
    if os.path.exists(out):
        os.unlink(out)
    ok, _ = sh("debugfs", "-R", f'dump "{name}" {out}', path)
    if not ok or not os.path.exists(out):
        return None
    with open(out, "rb") as f:
        data = f.read()
    os.unlink(out)
    return data


def check_image(path, fsck, read):
    """The host's fsck clean and every file fstest wrote read back by the
    host's tools (read(path, name) -> bytes or None): [(name, ok, detail)]."""
    ok, out = sh(*fsck, path)
    checks = [(fsck[0].replace(".", "-") + "-clean", ok, out.strip().replace("\n", "; "))]
    bad = []
    for i, size in enumerate(FS_SIZES):
        name = f"/guest/nested dir/deeper/size {size}.bin"
        if read(path, name) != pattern(size, i + 2):
            bad.append(name)
    if read(path, "/guest/nested dir/renamed.txt") != pattern(3000, 20):
        bad.append("renamed.txt")
    if read(path, "/guest/to be deleted.txt") is not None:
        bad.append("a deleted file is still there")
    return checks, bad


def check_fat_image(path):
    """fsck.fat -n clean and every file fstest wrote read back by mcopy."""
    checks, bad = check_image(path, ["fsck.fat", "-n"], mcopy_read)
    checks.append(("mcopy-reads-what-the-guest-wrote", not bad, f"{path}: {bad}"))
    return checks


def check_ext2_image(path):
    """e2fsck -fn clean and every file fstest wrote read back by debugfs,
    the sparse file's hole as zeros."""
    checks, bad = check_image(path, ["e2fsck", "-fn"], debugfs_read)
    sparse = debugfs_read(path, "/guest/sparse.bin")
    if sparse is None or sparse[:8 * MIB] != bytes(8 * MIB) or \
            sparse[8 * MIB:] != pattern(100, 22):
        bad.append("sparse.bin")
    checks.append(("debugfs-reads-what-the-guest-wrote", not bad, f"{path}: {bad}"))
    return checks


FS_KINDS = {
    "fat": (make_fat_disk, check_fat_image),
    "ext2": (make_ext2_disk, check_ext2_image),
}


def run_fs(results, args, fs="fat", driver="ata"):
    """fstest on a disk of file system @fs: the guest's suite, then the
    host's fsck and reading tool on the image, then a second boot that finds
    the files there and kills the server in the middle of a copy."""
    prefix = f"fs-{fs}-{driver}"
    path = os.path.join(LOG_DIR, prefix + ".img")
    os.makedirs(LOG_DIR, exist_ok=True)
    make, check = FS_KINDS[fs]
    make(path)
    disk = disk_args(path, driver)
    on_virtio = ",virtio" if driver == "virtio" else ""
    cmdline = f"testinit=ns,vfs,tmpfs testtask=fstest testargs={fs}"
    run_line_suite(results, args, "fstest", cmdline + on_virtio, prefix, args.iso, extra=disk)
    for name, ok, detail in check(path):
        results.record(f"{prefix}.{name}", ok, detail)
    run_line_suite(results, args, "fstest", cmdline + ",verify" + on_virtio,
                   prefix + "-second-boot", args.iso, extra=disk,
                   allow=[r"\(%s\) killed" % fs])


def run_fs_damaged(results, args):
    """fstest damaged: the damaged images of tools/mkbadimages.py on three
    IDE disks (0: damaged volumes in a GPT, 1: a bad MBR, 3: a bad GPT; 2 is
    the CD-ROM), each with its clear error and no crash."""
    out = os.path.join(LOG_DIR, "fs-damaged")
    subprocess.run(["rm", "-rf", out], check=True)
    subprocess.run(["tools/mkbadimages.py", out], check=True)
    disks = []
    for index, name in ((0, "bad-fs"), (1, "bad-mbr"), (3, "bad-gpt")):
        disks += ["-drive", f"file={os.path.join(out, name)}.img,format=raw,if=ide,index={index}"]
    run_line_suite(results, args, "fstest", "testinit=ns,vfs,tmpfs testtask=fstest "
                   "testargs=ext2,damaged", "fs-damaged-ata", args.iso, extra=disks)


def bench_fs(iso, qemu, mem, fs="ext2", driver="ata"):
    """make bench's file-system figures: fstest's bench mode on a disk of
    file system @fs on @driver's controller (ata, virtio) under -icount
    (guest instructions). sleep=on: while
    the guest waits for the disk, its clock runs with the host's, so a wait
    is not cut short by the clock jumping to the next timer (sleep=off); the
    figures that include disk waits (write+sync, uncached read, sync) then
    include the host's I/O time, the cached ones are instructions only.
    Returns the bench lines."""
    import re
    from guest import Guest
    name = f"bench-{fs}-{driver}"
    path = os.path.join(LOG_DIR, name + ".img")
    os.makedirs(LOG_DIR, exist_ok=True)
    FS_KINDS[fs][0](path)
    extra = ["-icount", "shift=0,align=off,sleep=on"] + disk_args(path, driver)
    testargs = f"{fs},bench" + (",virtio" if driver == "virtio" else "")
    g = Guest(iso, os.path.join(LOG_DIR, name + ".log"),
              f"testinit=ns,vfs,tmpfs testtask=fstest testargs={testargs}", qemu=qemu,
              mem=mem, extra=extra, ends="exit")
    with g:
        g.expect(r"^fstest: \d+ passed, \d+ failed$", 600)
    lines = re.findall(r"^fstest: bench .*$", g.output, re.M)
    return lines if lines and not g.problems else None


if __name__ == "__main__":
    import argparse
    import sys
    ap = argparse.ArgumentParser(description="storage benchmarks (make bench)")
    ap.add_argument("--iso", required=True)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--mem", default="128M")
    ap.add_argument("--fs", default="ext2", choices=sorted(FS_KINDS))
    ap.add_argument("--driver", default="ata", choices=["ata", "virtio"])
    a = ap.parse_args()
    out = bench_fs(a.iso, a.qemu, a.mem, a.fs, a.driver)
    for line in out or []:
        print(line)
    sys.exit(0 if out else 1)
