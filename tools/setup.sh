#!/usr/bin/env bash
# Install the Debian packages that building, running and testing Switchboard need.
# Checks for each tool first and installs only what is missing. Needs root (or sudo
# without a password); otherwise prints the exact apt-get command and fails.
set -eu

# tool -> Debian package that provides it
declare -A need=(
	[gcc]=gcc
	[make]=make
	[ld]=binutils
	[qemu-system-x86_64]=qemu-system-x86
	[grub-mkrescue]=grub-common
	[grub-file]=grub-common
	[xorriso]=xorriso
	[mformat]=mtools
	[cpio]=cpio
	[python3]=python3
	[clang-format]=clang-format
	[mkfs.fat]=dosfstools
	[fsck.fat]=dosfstools
	[mcopy]=mtools
	[sfdisk]=fdisk
	[mke2fs]=e2fsprogs
	[debugfs]=e2fsprogs
	[e2fsck]=e2fsprogs
	# tools/scenarios_net.py's nic-bulk: the host fetches 4 MiB from websrv
	[curl]=curl
	# tools/linuxguest.py (make bench's Linux guest): apt-get download,
	# dpkg-deb -x, and the initramfs packed with cpio and gzip
	[apt-get]=apt
	[dpkg-deb]=dpkg
	[gzip]=gzip
)
# grub-mkrescue needs the BIOS platform files, which no command reveals.
grub_bios_dir=/usr/lib/grub/i386-pc

missing=()
for tool in "${!need[@]}"; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("${need[$tool]}")
done
[ -f "$grub_bios_dir/modinfo.sh" ] || missing+=(grub-pc-bin)

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
echo "setup: missing Debian packages: $pkgs"

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "setup: not root. Run: sudo apt-get update && sudo apt-get install -y $pkgs" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $pkgs
