#!/usr/bin/env python3
"""Writes a copy of an ELF64 executable whose first loadable segment is moved
into the kernel half of the address space: an image the program loader must
refuse with ENOEXEC (its header and everything else stay valid)."""
import struct
import sys

PT_LOAD = 1


def main():
    src, dst = sys.argv[1], sys.argv[2]
    data = bytearray(open(src, "rb").read())
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        at = phoff + i * phentsize
        if struct.unpack_from("<I", data, at)[0] == PT_LOAD:
            struct.pack_into("<Q", data, at + 0x10, 0xffff800000400000)  # p_vaddr
            break
    else:
        sys.exit(f"mkbadelf: {src} has no loadable segment")
    open(dst, "wb").write(bytes(data))


if __name__ == "__main__":
    main()
