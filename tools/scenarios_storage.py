"""Scenarios of disks under the image `make run` boots: build/disk.img made
by tools/mkdisk.sh (an MBR disk with a FAT and an ext2 partition),
attached as make run attaches it (a virtio-blk disk in PCI slot 4), whose
partitions the volume server serves and init mounts at /disk and /disk2
(boot/cfg/fstab); what the shell writes there is on the image after `halt`
(fsck.fat and e2fsck clean, mtools and debugfs read it) and there again at
the next boot.
"""
import datetime
import os
import re
import subprocess

from storage_tests import disk_args
from testrun import LOG_DIR, guest, shell_run, wait_shell_prompt

# The kill the scenario provokes, and init restarting the server.
FAT_KILLED = [r"\(fat\) killed: ", r"^init: /srv/fat \(task \d+\) ended: .*restarting it$"]


def run_disk(name):
    """A fresh copy of the disk make run attaches, as tools/mkdisk.sh makes
    it, and QEMU's arguments attaching it as make run does."""
    path = os.path.join(LOG_DIR, name + ".img")
    os.makedirs(LOG_DIR, exist_ok=True)
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run(["tools/mkdisk.sh", path], check=True, stdout=subprocess.DEVNULL)
    return path, disk_args(path, "virtio")


PART1 = 2048 * 512     # tools/mkdisk.sh's first partition
P2_START = 86016       # and its second, to the end (blocks of 512 bytes)


def part2(path):
    """A copy of the second partition of @path, for the host's tools."""
    part = path + ".p2"
    subprocess.run(["dd", f"if={path}", f"of={part}", "bs=512", f"skip={P2_START}",
                    "status=none"], check=True)
    return part


def e2fsck_and_read(path, name):
    """(e2fsck -fn's verdict, its output, the bytes of @name or None) for
    the ext2 partition of @path."""
    part = part2(path)
    fsck = subprocess.run(["e2fsck", "-fn", part], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    out = part + ".out"
    subprocess.run(["debugfs", "-R", f'dump "{name}" {out}', part], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    data = None
    if os.path.exists(out):
        with open(out, "rb") as f:
            data = f.read()
        os.unlink(out)
    os.unlink(part)
    return fsck.returncode == 0, fsck.stdout.decode(errors="replace"), data


def host_read(path, name):
    p = subprocess.run(["mtype", "-i", f"{path}@@{PART1}", "::" + name], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    return p.stdout.decode(errors="replace") if p.returncode == 0 else None


def scenario_run_disk_persists(args):
    path, disk = run_disk("run-disk")
    with guest(args, "run-disk", "", iso=args.run_iso, extra=disk) as g:
        g.expect(r"^init: mounted fat on /disk \(volumes/\\hw\\pci0\\00:04\.0\\disk0p1\)$", 120)
        g.expect(r"^init: mounted ext2 on /disk2 \(volumes/\\hw\\pci0\\00:04\.0\\disk0p2\)$",
                 60)
        wait_shell_prompt(g)
        shell_run(g, "ls /disk\r", [r"^README\.md$", r"^docs$"])
        shell_run(g, "ls /disk2\r", [r"^README\.md$", r"^docs$", r"^lost\+found$"])
        shell_run(g, "mkdir /disk/notes\r", [])
        shell_run(g, "echo kept-after-halt > '/disk/notes/A long name.txt'\r", [])
        shell_run(g, "mkdir /disk2/notes\r", [])
        shell_run(g, "echo ext2-kept > '/disk2/notes/A: name?'\r", [])
        shell_run(g, "rm /disk2/docs/storage.md\r", [])
        shell_run(g, "priv halt\r", [r"^system: powering off"], prompt=False)
    text = host_read(path, "/notes/A long name.txt")
    if text != "kept-after-halt\n":
        return False, f"mtype read {text!r} after halt"
    part = path + ".p1"
    subprocess.run(["dd", f"if={path}", f"of={part}", "bs=512", "skip=2048", "count=83968",
                    "status=none"], check=True)
    fsck = subprocess.run(["fsck.fat", "-n", part], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.unlink(part)
    if fsck.returncode != 0:
        return False, "fsck.fat -n: " + fsck.stdout.decode(errors="replace")
    clean, out, data = e2fsck_and_read(path, "/notes/A: name?")
    if not clean:
        return False, "e2fsck -fn: " + out
    if data != b"ext2-kept\n":
        return False, f"debugfs read {data!r} after halt"
    with guest(args, "run-disk-again", "", iso=args.run_iso, extra=disk) as g:
        wait_shell_prompt(g)
        shell_run(g, "cat '/disk/notes/A long name.txt'\r", [r"^kept-after-halt$"])
        shell_run(g, "cat '/disk2/notes/A: name?'\r", [r"^ext2-kept$"])
        shell_run(g, "ls /disk2/docs/storage.md\r", [r"No such|ENOENT|not found"])
    return True, ""



P2 = r"'/loc/volumes/\hw\pci0\00:04.0\disk0p2'"


def scenario_disk_tools(args):
    """lsblk, df, mount with the type read from the device and with -t, on
    the ext2 partition of make run's disk, then mkfat on it; fsck.fat calls
    it clean after."""
    path, disk = run_disk("disk-tools")
    with guest(args, "disk-tools", "", iso=args.run_iso, extra=disk) as g:
        g.expect(r"^init: mounted ext2 on /disk2 ", 120)
        wait_shell_prompt(g)
        shell_run(g, "lsblk\r", [r"^devices/\\hw\\pci0\\00:04\.0\\disk0 +disk +65536 KiB +512 -$",
                                 r"^volumes/\\hw\\pci0\\00:04\.0\\disk0p1 +part +41984 KiB +512 fat$",
                                 r"^volumes/\\hw\\pci0\\00:04\.0\\disk0p2 +part +22528 KiB +512 ext2$"])
        shell_run(g, "df\r", [r"^/disk2 +ext2 +1024 +22528 +\d+ +\d+$"])
        shell_run(g, "umount /disk2\r", [])
        shell_run(g, f"mount -t ext2 {P2} /mnt\r", [])
        shell_run(g, "mount\r", [r"^ext2 on /mnt \(rw, task \d+\)$"])
        shell_run(g, "cat /mnt/docs/storage.md\r", [r"^# Storage"])
        shell_run(g, "umount /mnt\r", [])
        shell_run(g, f"mount -r {P2} /mnt\r", [])
        shell_run(g, "mount\r", [r"^ext2 on /mnt \(ro, task \d+\)$"])
        shell_run(g, "touch /mnt/new\r", [r"[Rr]ead-only"])
        shell_run(g, "umount /mnt\r", [])
        shell_run(g, r"mount -t ext2 '/loc/volumes/\hw\pci0\00:04.0\disk0p1' /mnt" + "\r",
                  [r"not an ext2 volume"])
        shell_run(g, f"mkfat {P2} FRESH\r", [r"disk0p2: FAT16$"])
        shell_run(g, f"mount {P2} /mnt\r", [])
        shell_run(g, "mount\r", [r"^fat on /mnt \(rw, task \d+\)$"])
        shell_run(g, "echo on-a-fresh-volume > /mnt/new.txt\r", [])
        shell_run(g, "umount /mnt\r", [])
        shell_run(g, f"mount -t fat {P2} /disk2\r", [])
        shell_run(g, "cat /disk2/new.txt\r", [r"^on-a-fresh-volume$"])
        shell_run(g, r"mount '/loc/devices/\hw\pci0\00:04.0\disk0' /mnt" + "\r",
                  [r"no file system recognised"])
        shell_run(g, "echo $?\r", [r"^1$"])
        shell_run(g, "priv halt\r", [r"^system: powering off"], prompt=False)
    part = part2(path)
    fsck = subprocess.run(["fsck.fat", "-n", part], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.unlink(part)
    if fsck.returncode != 0:
        return False, "fsck.fat -n: " + fsck.stdout.decode(errors="replace")
    return True, ""


def utc_dates(first, last):
    """The UTC dates from @first to @last (datetime.date), both included."""
    days = (last - first).days
    return [first + datetime.timedelta(days=i) for i in range(days + 1)]


def fat_entry_dates(part, short_name):
    """{created, accessed, modified: date} of the live short entry
    @short_name (11 bytes, as FAT stores it) in the FAT volume image @part."""
    with open(part, "rb") as f:
        data = f.read()
    found = None
    for m in re.finditer(re.escape(short_name), data):
        entry = data[m.start():m.start() + 32]
        if m.start() % 32 == 0 and entry[11] & 0x18 == 0:  # a file's entry
            found = entry
    if found is None:
        return None

    def day(off):
        v = int.from_bytes(found[off:off + 2], "little")
        try:
            return datetime.date(1980 + (v >> 9), (v >> 5) & 0xF, v & 0x1F)
        except ValueError:
            return None
    return {"created": day(16), "accessed": day(18), "modified": day(24)}


def ext2_inode_dates(part, name):
    """{atime, ctime, mtime: UTC date} of @name in the ext2 image @part, by
    debugfs's stat."""
    p = subprocess.run(["debugfs", "-R", f'stat "{name}"', part], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    out = p.stdout.decode(errors="replace")
    stamps = dict(re.findall(r"\b([acm]time): (0x[0-9a-f]+)", out))
    return {k: datetime.datetime.fromtimestamp(int(v, 16), datetime.timezone.utc).date()
            for k, v in stamps.items()}


def scenario_file_times_are_the_rtcs(args):
    """The wall clock is QEMU's RTC, which follows the host's clock: `date`
    and `stat` show the host's UTC date, and a file written on /disk (FAT)
    and /disk2 (ext2) has created, accessed and modified times of that date
    when the host reads the image after `halt` (dates, not seconds: the
    guest's clock runs on from boot at emulated speed)."""
    first = datetime.datetime.now(datetime.timezone.utc).date()
    dates = "|".join(d.isoformat() for d in utc_dates(first, first + datetime.timedelta(days=1)))
    path, disk = run_disk("file-times")
    with guest(args, "file-times", "", iso=args.run_iso, extra=disk) as g:
        g.expect(rf"^rtc: ({dates}) \d\d:\d\d:\d\d UTC$", 60)
        g.expect(r"^init: mounted ext2 on /disk2 ", 120)
        wait_shell_prompt(g)
        shell_run(g, "date\r", [rf"^({dates}) \d\d:\d\d:\d\d UTC$"])
        shell_run(g, "date -s\r", [r"^\d{10}$"])
        shell_run(g, "date now\r", [r"^usage: date \[-s\]"])
        shell_run(g, "echo stamped > /disk/stamp.txt\r", [])
        shell_run(g, "echo stamped > /disk2/stamp.txt\r", [])
        shell_run(g, "echo stamped > /tmp/stamp.txt\r", [])
        for f in ("/disk/stamp.txt", "/disk2/stamp.txt", "/tmp/stamp.txt"):
            shell_run(g, f"stat {f}\r", [rf"modified ({dates}) \d\d:\d\d:\d\d UTC$"])
        shell_run(g, "priv halt\r", [r"^system: powering off"], prompt=False)
    wanted = utc_dates(first, datetime.datetime.now(datetime.timezone.utc).date())
    part = path + ".p1"
    subprocess.run(["dd", f"if={path}", f"of={part}", "bs=512", "skip=2048", "count=83968",
                    "status=none"], check=True)
    fat = fat_entry_dates(part, b"STAMP   TXT")
    os.unlink(part)
    part = part2(path)
    ext2 = ext2_inode_dates(part, "/stamp.txt")
    os.unlink(part)
    if fat is None or len(fat) != 3 or any(d not in wanted for d in fat.values()):
        return False, f"FAT entry of stamp.txt: {fat}, wanted dates {wanted}"
    if len(ext2) != 3 or any(d not in wanted for d in ext2.values()):
        return False, f"ext2 inode of stamp.txt: {ext2}, wanted dates {wanted}"
    return True, ""


SCENARIOS = []

RUN_SCENARIOS = [
    ("run-disk-persists", scenario_run_disk_persists),
    ("disk-tools", scenario_disk_tools),
    ("file-times-are-the-rtcs", scenario_file_times_are_the_rtcs),
]
