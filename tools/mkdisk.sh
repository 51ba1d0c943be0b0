#!/usr/bin/env bash
# tools/mkdisk.sh IMAGE: the disk `make run` attaches, made with the standard
# tools: a 64 MiB FAT32 volume (the whole disk, no partition table yet)
# holding README.md and docs/. The Makefile makes it only when it is missing,
# so what a user writes there stays from one `make run` to the next.
set -eu
img=$1
tmp=$img.tmp
rm -f "$tmp"
mkfs.fat -C -F 32 -n SWITCHBOARD "$tmp" 65536 >/dev/null
export MTOOLS_SKIP_CHECK=1
mcopy -i "$tmp" README.md ::/README.md
mmd -i "$tmp" ::/docs
mcopy -i "$tmp" docs/*.md ::/docs/
mv "$tmp" "$img"
echo "  DISK    $img"
