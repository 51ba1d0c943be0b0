#!/usr/bin/env python3
"""Makes damaged disk images from good ones (made by mke2fs -d, mkfs.fat
and mcopy, sfdisk), for the guest's test that each gives a clear error and
nothing crashes (fstest damaged, suite fs-damaged-ata):

  OUT/bad-fs.img   a GPT disk whose partitions are damaged file systems
                   (DAMAGED below: partition number, type, what is wrong);
                   each also holds /ok.txt ("intact\\n") where it mounts
  OUT/bad-mbr.img  an MBR whose entry 4 is a good ext2 volume and whose
                   entries 1-3 lie past the disk, wrap around it or cover
                   the table itself
  OUT/bad-gpt.img  a GPT whose entry 4 is a good ext2 volume and whose
                   entries 1-3 lie past the disk, end before they start or
                   cover the header (the header's checksums are stale)
(The good entry comes last: once the guest sees it, the volume server has
gone through the bad ones.)

Usage: tools/mkbadimages.py OUT_DIR
"""
import os
import re
import struct
import subprocess
import sys

SECTOR = 512
MIB = 1024 * 1024
ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1")

# Partitions of bad-fs.img: (number, fs type, damage, size in MiB). The
# guest's expectations (fstest.c, test_damaged_volumes_give_clear_errors)
# follow this order.
DAMAGED = [
    (1, "ext2", "superblock-blocks-past-the-device", 2),
    (2, "ext2", "descriptor-inode-table-off-the-disk", 2),
    (3, "ext2", "inode-block-pointer-off-the-disk", 2),
    (4, "ext2", "directory-entry-bad-rec-len", 2),
    (5, "ext2", "unknown-incompatible-feature", 2),
    (6, "ext2", "directory-entry-inode-off-the-volume", 2),
    (7, "fat", "looping-cluster-chain", 8),
    (8, "fat", "chain-runs-off-the-volume", 8),
    (9, "fat", "boot-sector-bad-cluster-size", 8),
]


def run(*argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV)
    if p.returncode != 0:
        sys.exit(f"mkbadimages: {' '.join(argv)}: {p.stdout.decode(errors='replace')}")
    return p.stdout.decode(errors="replace")


def poke(path, off, fmt, *values):
    with open(path, "r+b") as f:
        f.seek(off)
        f.write(struct.pack("<" + fmt, *values))


def peek(path, off, fmt):
    with open(path, "rb") as f:
        f.seek(off)
        return struct.unpack("<" + fmt, f.read(struct.calcsize("<" + fmt)))[0]


def ext2_image(path, mib):
    """A good ext2 volume (1 KiB blocks) from mke2fs -d: /ok.txt, /big.bin
    (40,000 bytes: it needs the indirect block), /sub/x.txt."""
    tree = path + ".tree"
    run("rm", "-rf", tree, path)
    os.makedirs(os.path.join(tree, "sub"))
    with open(os.path.join(tree, "ok.txt"), "w") as f:
        f.write("intact\n")
    with open(os.path.join(tree, "big.bin"), "wb") as f:
        f.write(bytes(i % 251 for i in range(40000)))
    with open(os.path.join(tree, "sub", "x.txt"), "w") as f:
        f.write("x\n")
    run("mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-d", tree, path, f"{mib}M")
    run("rm", "-rf", tree)


def ext2_inode_at(path, name):
    """The byte offset of @name's inode in the image."""
    out = run("debugfs", "-R", f"imap {name}", path)
    m = re.search(r"located at block (\d+), offset 0x([0-9a-f]+)", out)
    return int(m.group(1)) * 1024 + int(m.group(2), 16)


def ext2_first_block(path, name):
    """The first block of @name's data."""
    out = run("debugfs", "-R", f"blocks {name}", path)
    return int(re.search(r"^(\d+)", out, re.M).group(1))


def ext2_damage(path, damage):
    if damage == "superblock-blocks-past-the-device":
        poke(path, 1024 + 4, "I", 0x7fffffff)
    elif damage == "descriptor-inode-table-off-the-disk":
        poke(path, 2 * 1024 + 8, "I", 50000000)
    elif damage == "inode-block-pointer-off-the-disk":
        poke(path, ext2_inode_at(path, "/big.bin") + 40 + 12 * 4, "I", 50000000)
    elif damage == "directory-entry-bad-rec-len":
        poke(path, ext2_first_block(path, "/sub") * 1024 + 12 + 4, "H", 7)
    elif damage == "unknown-incompatible-feature":
        poke(path, 1024 + 96, "I", peek(path, 1024 + 96, "I") | 0x40)
    elif damage == "directory-entry-inode-off-the-volume":
        poke(path, ext2_first_block(path, "/sub") * 1024 + 24, "I", 99999999)


def fat_image(path, mib):
    """A good FAT16 volume: /ok.txt and /chain.bin (20,000 bytes)."""
    run("rm", "-f", path)
    run("mkfs.fat", "-C", "-F", "16", "-s", "1", path, str(mib * 1024))
    src = path + ".src"
    with open(src, "w") as f:
        f.write("intact\n")
    run("mcopy", "-i", path, src, "::/ok.txt")
    with open(src, "wb") as f:
        f.write(bytes(i % 253 for i in range(20000)))
    run("mcopy", "-i", path, src, "::/chain.bin")
    os.unlink(src)


def fat_damage(path, damage):
    bps, reserved = peek(path, 11, "H"), peek(path, 14, "H")
    fat = bps * reserved
    m = re.search(r"<(\d+)-(\d+)>", run("mshowfat", "-i", path, "::/chain.bin"))
    first, last = int(m.group(1)), int(m.group(2))
    if damage == "looping-cluster-chain":
        poke(path, fat + 2 * last, "H", first)
    elif damage == "chain-runs-off-the-volume":
        poke(path, fat + 2 * (first + 3), "H", 0xff00)
    elif damage == "boot-sector-bad-cluster-size":
        poke(path, 13, "B", 3)


def bad_fs_disk(out):
    """bad-fs.img: a GPT disk with one damaged volume a partition."""
    parts = []
    for number, kind, damage, mib in DAMAGED:
        part = os.path.join(out, f"part{number}.img")
        if kind == "ext2":
            ext2_image(part, mib)
            ext2_damage(part, damage)
        else:
            fat_image(part, mib)
            fat_damage(part, damage)
        parts.append((part, mib))
    disk = os.path.join(out, "bad-fs.img")
    total = sum(mib for _, mib in parts) + 2
    with open(disk, "wb") as f:
        f.truncate(total * MIB)
    start = 2048
    table = "label: gpt\n"
    for _, mib in parts:
        table += f"start={start}, size={mib * MIB // SECTOR}\n"
        start += mib * MIB // SECTOR
    subprocess.run(["sfdisk", "-q", disk], input=table.encode(), check=True)
    start = 2048
    with open(disk, "r+b") as f:
        for part, mib in parts:
            f.seek(start * SECTOR)
            with open(part, "rb") as p:
                f.write(p.read())
            os.unlink(part)
            start += mib * MIB // SECTOR


def good_volume_disk(path, label, mib=8):
    """A disk of @mib MiB whose partition 1 (2 MiB at 1 MiB) is a good ext2
    volume, in a table of kind @label."""
    with open(path, "wb") as f:
        f.truncate(mib * MIB)
    subprocess.run(["sfdisk", "-q", path], input=f"label: {label}\nstart=2048, size=4096\n".encode(),
                   check=True)
    vol = path + ".vol"
    ext2_image(vol, 2)
    with open(path, "r+b") as f, open(vol, "rb") as v:
        f.seek(2048 * SECTOR)
        f.write(v.read())
    os.unlink(vol)


def bad_mbr_disk(out):
    path = os.path.join(out, "bad-mbr.img")
    good_volume_disk(path, "dos")
    with open(path, "r+b") as f:
        f.seek(446)
        good = f.read(16)
        f.seek(446 + 48)
        f.write(good)
    sectors = 8 * MIB // SECTOR
    for i, (first, count) in enumerate([(sectors + 100, 100), (8192, 0xffffffff), (0, 16)]):
        entry = 446 + 16 * i
        poke(path, entry, "B", 0)
        poke(path, entry + 4, "B", 0x83)
        poke(path, entry + 8, "II", first, count)


def bad_gpt_disk(out):
    path = os.path.join(out, "bad-gpt.img")
    good_volume_disk(path, "gpt")
    sectors = 8 * MIB // SECTOR
    entries = peek(path, SECTOR + 72, "Q") * SECTOR
    esize = peek(path, SECTOR + 84, "I")
    with open(path, "r+b") as f:
        f.seek(entries)
        good = f.read(esize)
        f.seek(entries + 3 * esize)
        f.write(good)
    guid = good[:16]  # its type
    for i, (first, last) in enumerate([(sectors + 10, sectors + 20), (6000, 5000), (1, 40)]):
        at = entries + esize * i
        with open(path, "r+b") as f:
            f.seek(at)
            f.write(guid + bytes(16) + struct.pack("<QQ", first, last))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    bad_fs_disk(out)
    bad_mbr_disk(out)
    bad_gpt_disk(out)


if __name__ == "__main__":
    main()
