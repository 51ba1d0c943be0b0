#!/usr/bin/env bash
# tools/mkdisk.sh IMAGE: the disk `make run` attaches, made with the standard
# tools: 64 MiB with an MBR partition table (sfdisk), partition 1 a FAT32
# volume holding README.md and docs/ (mkfs.fat, mcopy), partition 2 an ext2
# volume (1 KiB blocks) holding the same, made by mke2fs -d. The Makefile
# makes it only when it is missing, so what a user writes there stays from
# one `make run` to the next.
set -eu
img=$1
tmp=$img.tmp
part=$img.part
rm -f "$tmp" "$part"
export MTOOLS_SKIP_CHECK=1
truncate -s 64M "$tmp"
printf 'label: dos\nstart=2048, size=83968, type=c\nstart=86016, type=83\n' | sfdisk -q "$tmp"
# Partition 1: blocks 2048..86015 (41 MiB).
mkfs.fat -C -F 32 -n SWITCHBOARD "$part" $((83968 / 2)) >/dev/null
mcopy -i "$part" README.md ::/README.md
mmd -i "$part" ::/docs
mcopy -i "$part" docs/*.md ::/docs/
dd if="$part" of="$tmp" bs=512 seek=2048 conv=notrunc status=none
rm -f "$part"
# Partition 2: blocks 86016 to the end.
tree=$img.tree
rm -rf "$tree"
mkdir -p "$tree/docs"
cp README.md "$tree/"
cp docs/*.md "$tree/docs/"
mke2fs -q -F -t ext2 -b 1024 -L switchdata -d "$tree" "$part" $(((131072 - 86016) / 2))k >/dev/null
rm -rf "$tree"
dd if="$part" of="$tmp" bs=512 seek=86016 conv=notrunc status=none
rm -f "$part"
mv "$tmp" "$img"
echo "  DISK    $img"
