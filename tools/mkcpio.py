#!/usr/bin/env python3
"""Writes a cpio "newc" archive of the paths named on stdin (one a line,
relative to the working directory; directories and regular files) to
stdout, owned by 0:0 with mtime 0, in the order given.

What the host's cpio does not: the data of every ELF file starts on a page
of the archive (4096 bytes from its start), so that the root tmpfs, which
maps the archive read-only, can share a program's pages with the loader
(VFS_SHARE_FILE, abi/vfs.h). A padding member goes before such a file: its
mode has no file type, and readers skip it (uspace/srv/tmpfs/archive.c
adds directories and regular files only). The rest of a file's last page
holds the next member, as any reader of the archive sees it.
"""
import os
import stat
import sys

PAGE = 4096
HEADER = 110
PAD_NAME = b".pad\0"


def pad4(n):
    return (n + 3) & ~3


def header(ino, mode, nlink, size, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name), 0]
    head = b"070701" + b"".join(b"%08x" % f for f in fields) + name
    return head + b"\0" * (pad4(len(head)) - len(head))


def member(ino, mode, nlink, name, data):
    return header(ino, mode, nlink, len(data), name) + data + \
        b"\0" * (pad4(len(data)) - len(data))


def padding(at, name):
    """A padding member at offset @at after which a member called @name
    has its data on a page boundary."""
    data_at = at + pad4(HEADER + len(PAD_NAME))
    after = pad4(HEADER + len(name))
    size = -(data_at + after) % PAGE
    return member(0, 0, 1, PAD_NAME, b"\0" * size)


def main():
    out = bytearray()
    ino = 1
    for line in sys.stdin.read().splitlines():
        path = line.strip()
        if not path:
            continue
        name = path.encode() + b"\0"
        st = os.lstat(path)
        if stat.S_ISDIR(st.st_mode):
            out += member(ino, stat.S_IFDIR | 0o755, 2, name, b"")
        elif stat.S_ISREG(st.st_mode):
            with open(path, "rb") as f:
                data = f.read()
            if data[:4] == b"\x7fELF":
                out += padding(len(out), name)
            out += member(ino, stat.S_IFREG | (st.st_mode & 0o777), 1, name, data)
            if data[:4] == b"\x7fELF":
                assert (len(out) - pad4(len(data))) % PAGE == 0
        else:
            sys.exit("mkcpio: %s: neither a directory nor a regular file" % path)
        ino += 1
    out += member(0, 0, 1, b"TRAILER!!!\0", b"")
    sys.stdout.buffer.write(out)


if __name__ == "__main__":
    main()
