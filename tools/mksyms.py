#!/usr/bin/env python3
"""Emit the kernel symbol table (assembly) from `nm` output of a linked kernel.

Usage: mksyms.py NM KERNEL_ELF > ksyms.S
Layout: u64 count; {u64 addr; u64 name_offset} * count (sorted); names.
Only text symbols are listed: backtraces need function names only.
"""
import subprocess
import sys


def main():
    nm, elf = sys.argv[1], sys.argv[2]
    out = subprocess.run([nm, "-n", elf], check=True, capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] not in "tTwW":
            continue
        addr = int(parts[0], 16)
        if addr < 0xffffffff80000000:
            continue
        syms.append((addr, parts[2]))
    syms.sort()
    print('\t.section .ksyms, "a"')
    print("\t.globl ksyms_table")
    print("\t.balign 8")
    print("ksyms_table:")
    print(f"\t.quad {len(syms)}")
    offset = 0
    for addr, name in syms:
        print(f"\t.quad {addr:#x}, {offset}")
        offset += len(name) + 1
    for _, name in syms:
        print(f'\t.asciz "{name}"')


if __name__ == "__main__":
    main()
