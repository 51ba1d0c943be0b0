# Switchboard top-level makefile. Configuration lives in config.mk.
#
# Targets:
#   all (default)  build build/switchboard.iso
#   run            boot the image in QEMU, serial console in this terminal,
#                  build/disk.img (or DISK=path) as its first IDE disk
#                  (IPC log exports, ipclog --host, land in build/ipclog-export.txt)
#   trace          trace IPC: CMD='cat /data/hello.txt' runs one command, without
#                  CMD the session is yours until Ctrl-]; writes build/trace.json,
#                  build/trace.html and build/trace.txt (docs/ipclog.md)
#   test           host unit tests + kernel self-tests (also of a CONFIG_UBSAN=y
#                  kernel, built in build/ubsan/, and a CONFIG_DEBUG=n build in
#                  build/nodebug/) and scenarios in QEMU (one boots a kernel
#                  built with CONFIG_CPU_MAX=2 in build/cpumax2/), TEST_JOBS at once
#   bench          the deterministic benchmark suite (guest instruction counts;
#                  kernels built without the lock checker, in build/bench/)
#   fuzz           the system-call fuzzer for SECONDS (default 60), SEED random
#   debug          boot QEMU halted with a GDB stub (then: gdb -x tools/gdbinit)
#   compdb         write compile_commands.json (for clangd, clang-tidy, editors)
#   check-style    verify formatting with clang-format
#   format         reformat the C sources with clang-format
#   clean          remove build/

SHELL := /bin/bash
include config.mk

BUILD := build
VERSION := 0.1.0
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm
HOSTCC ?= gcc

ISO := $(BUILD)/switchboard.iso
# The image of `make run`: without the modules only tests use (boot/modules.list).
RUN_ISO := $(BUILD)/run/switchboard.iso
# With kernel options (KARGS=testtask=utest, ...) `make run` boots the test
# image, which has the test programs as modules.
BOOT_ISO = $(if $(strip $(KARGS)),$(ISO),$(RUN_ISO))
# `make test` also builds a CONFIG_UBSAN=y kernel here, by a recursive make.
UBSAN_BUILD := $(BUILD)/ubsan
UBSAN_ISO := $(UBSAN_BUILD)/switchboard.iso
# ... and a CONFIG_DEBUG=n build here, which must boot and pass a smoke suite.
NODEBUG_BUILD := $(BUILD)/nodebug
NODEBUG_ISO := $(NODEBUG_BUILD)/switchboard.iso
KERNEL_ELF := $(BUILD)/kernel/kernel.elf
# ... and a kernel alone built with CONFIG_CPU_MAX=2 here, booted on four
# vCPUs with the programs of this build (the image CPU_MAX_2_ISO).
CPU_MAX_2_BUILD := $(BUILD)/cpumax2
CPU_MAX_2_KERNEL := $(CPU_MAX_2_BUILD)/kernel/kernel.elf
CPU_MAX_2_ISO := $(CPU_MAX_2_BUILD)/switchboard.iso

.PHONY: all run trace test bench fuzz debug clean check-style format setup compdb FORCE
all: $(ISO) $(RUN_ISO)

# Configuration header: regenerated only when a value changes, so a changed
# option rebuilds exactly what depends on it.
CONFIG_H := $(BUILD)/include/config.h
$(CONFIG_H): FORCE
	@mkdir -p $(dir $@)
	@{ echo '/* Generated from config.mk; do not edit. */'; \
	  echo '#define CONFIG_ARCH "$(ARCH)"'; \
	  echo '#define CONFIG_VERSION "$(VERSION)"'; \
	  echo '#define CONFIG_CPU_MAX $(CONFIG_CPU_MAX)'; \
	  $(if $(filter y,$(CONFIG_DEBUG)),echo '#define CONFIG_DEBUG 1';) \
	  $(if $(filter yy,$(CONFIG_DEBUG)$(CONFIG_LOCKDEP)),echo '#define CONFIG_LOCKDEP 1';) \
	  $(if $(filter y,$(CONFIG_IPC_LOG)),echo '#define CONFIG_IPC_LOG 1';) \
	  $(if $(filter y,$(CONFIG_UBSAN)),echo '#define CONFIG_UBSAN 1';) \
	  echo '/* cc: $(CC) $(OPT), grub timeout $(GRUB_TIMEOUT) */'; } > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

include kernel/kernel.mk
include boot/boot.mk
include kernel/test/host/host.mk
include uspace/uspace.mk
include uspace/srv/tmpfs/test/host/host.mk
include uspace/srv/fat/test/host/host.mk
include uspace/srv/ext2/test/host/host.mk
include uspace/srv/volsrv/test/host/host.mk
include uspace/app/mkfat/test/host/host.mk
include uspace/srv/locsrv/test/host/host.mk
include uspace/app/sh/test/host/host.mk
include uspace/srv/logger/test/host/host.mk
include uspace/app/tester/test/host/host.mk
include uspace/drv/pci/test/host/host.mk
include uspace/app/lspci/test/host/host.mk
include uspace/drv/vga/test/host/host.mk
include uspace/drv/i8042/test/host/host.mk
include uspace/srv/devman/test/host/host.mk
include uspace/app/ipclog/test/host/host.mk
include boot/rootfs.mk

setup:
	@tools/setup.sh

# Without -no-reboot: `reboot` under make run boots the machine again (the
# test harness, tools/guest.py, keeps -no-reboot so that a reset ends QEMU).
QEMU_FLAGS := -accel $(ACCEL) -cpu $(CPU) -m $(MEM) -smp $(SMP) \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -cdrom $(BOOT_ISO) -boot d
comma := ,
ifneq ($(strip $(KARGS)),)
# QEMU splits option values at commas; a doubled comma is a comma.
QEMU_FLAGS += -fw_cfg name=opt/switchboard/cmdline,string="$(subst $(comma),$(comma)$(comma),$(KARGS))"
endif

# The serial line on this terminal, the QEMU monitor behind Ctrl-A C; Ctrl-C
# goes to the guest (the shell), not to QEMU.
QEMU_CONSOLE := -chardev stdio,id=con0,mux=on,signal=off -serial chardev:con0 \
	-mon chardev=con0,mode=readline

# The disk of make run and debug: build/disk.img, made by tools/mkdisk.sh
# when missing and never rewritten (what is written there stays from one
# run to the next; `rm build/disk.img` for a fresh one), or DISK=path, a
# raw image of the user's that the build never touches. init mounts it at
# /disk (boot/cfg/fstab).
DEFAULT_DISK := $(BUILD)/disk.img
DISK ?= $(DEFAULT_DISK)
$(DEFAULT_DISK):
	@mkdir -p $(dir $@)
	@tools/mkdisk.sh $@
# DISK_BUS=virtio (the default) attaches it as a virtio-blk device in PCI
# slot 4 (its service devices/\hw\pci0\00:04.0\disk0, which boot/cfg/fstab
# names), DISK_BUS=ide as the first IDE disk (the ata driver).
DISK_BUS ?= virtio
ifeq ($(DISK_BUS),ide)
QEMU_DISK := -drive file=$(DISK),format=raw,if=ide,index=0
else
QEMU_DISK := -drive file=$(DISK),format=raw,if=none,id=disk0 \
	-device virtio-blk-pci,drive=disk0,addr=0x4
endif
RUN_DISK := $(filter $(DEFAULT_DISK),$(DISK))

# The NIC: QEMU's e1000 on a user network restricted to this machine
# (restrict=on: the guest reaches nothing beyond it, and gets no router or
# DNS server from DHCP), with the guest's port 80 forwarded from the host's
# loopback only: http://127.0.0.1:8080/ reaches the guest. Every QEMU line
# of the project has restrict=on (the test harness: tools/guest.py).
# NIC=virtio gives the guest a virtio-net device instead (the virtio-net
# driver); restrict=on either way.
NIC ?= e1000
ifeq ($(NIC),virtio)
NIC_MODEL := virtio-net-pci
else ifeq ($(NIC),e1000)
NIC_MODEL := e1000
else
$(error NIC=$(NIC): use NIC=e1000 (the default) or NIC=virtio)
endif
QEMU_NIC := -nic user,model=$(NIC_MODEL),restrict=on,hostfwd=tcp:127.0.0.1:8080-:80

# The second serial port (COM2) is the IPC log's export channel: `ipclog
# --export --host` writes there, never on the console.
EXPORT_FILE := $(BUILD)/ipclog-export.txt
QEMU_EXPORT := -serial file:$(EXPORT_FILE)

run: setup $(BOOT_ISO) $(RUN_DISK)
	@echo "Switchboard: serial console below; leave QEMU with Ctrl-A X."
	@echo "IPC log exports (ipclog --export --host) go to $(EXPORT_FILE)."
	$(QEMU) $(QEMU_FLAGS) $(QEMU_DISK) $(QEMU_NIC) $(QEMU_CONSOLE) $(QEMU_EXPORT) -display none

# CMD: the command to trace (none: an interactive session); FILTER: the
# kernel option ipclog's value (buffer size, types, tasks, methods).
CMD ?=
FILTER ?= size=16384
trace: setup $(RUN_ISO)
	@python3 tools/trace.py --iso $(RUN_ISO) --cmd "$(CMD)" --filter "$(FILTER)" \
		--out $(BUILD) --qemu $(QEMU) --accel $(ACCEL) --mem $(MEM)

debug: setup $(BOOT_ISO) $(RUN_DISK)
	@echo "QEMU halted with a GDB stub on :1234; in another terminal: gdb -x tools/gdbinit"
	$(QEMU) $(QEMU_FLAGS) $(QEMU_DISK) -nic user,model=$(NIC_MODEL),restrict=on $(QEMU_CONSOLE) \
		-display none -s -S

# A second image with a program from outside the tree: the one
# docs/writing-a-server.md shows, built with EXTRA_APPS.
OUTSIDE_BUILD := $(BUILD)/outside
OUTSIDE_SRC := $(abspath $(BUILD)/outside-src/outside)

test: setup
	@$(MAKE) --no-print-directory $(ISO) $(RUN_ISO) host-tests
	@$(MAKE) --no-print-directory BUILD=$(UBSAN_BUILD) CONFIG_UBSAN=y $(UBSAN_ISO)
	@$(MAKE) --no-print-directory BUILD=$(NODEBUG_BUILD) CONFIG_DEBUG=n $(NODEBUG_ISO)
	@$(MAKE) --no-print-directory BUILD=$(CPU_MAX_2_BUILD) CONFIG_CPU_MAX=2 $(CPU_MAX_2_KERNEL)
	@$(MAKE) --no-print-directory $(CPU_MAX_2_ISO)
	@python3 tools/checkdocs.py extract-outside docs/writing-a-server.md $(OUTSIDE_SRC)
	@$(MAKE) --no-print-directory BUILD=$(OUTSIDE_BUILD) EXTRA_APPS=$(OUTSIDE_SRC) \
		$(OUTSIDE_BUILD)/switchboard.iso
	@python3 tools/testrun.py --iso $(ISO) --run-iso $(RUN_ISO) --host-tests $(HOST_TEST_BINS) \
		--ubsan-iso $(UBSAN_ISO) --nodebug-iso $(NODEBUG_ISO) --cpu-max-2-iso $(CPU_MAX_2_ISO) \
		--outside-iso $(OUTSIDE_BUILD)/switchboard.iso \
		--qemu $(QEMU) --accel $(ACCEL) --cpu $(CPU) --mem $(MEM) -j $(TEST_JOBS)

# QEMU guests `make test` runs at once.
TEST_JOBS ?= 2

# From a dry run of the build (make -Bn): nothing is compiled.
compdb:
	@python3 tools/compdb.py -o compile_commands.json all host-tests

# The benchmark's kernels are built without the lock checker (a test-time
# tool that costs about half a round trip; docs/performance.md), in their
# own directory. The IPC log's cost when compiled in but off is measured
# against a kernel built without it.
BENCH_BUILD := $(BUILD)/bench
BENCH_ISO := $(BENCH_BUILD)/switchboard.iso
BENCH_RUN_ISO := $(BENCH_BUILD)/run/switchboard.iso
NOLOG_BUILD := $(BUILD)/nolog
bench: setup
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) CONFIG_LOCKDEP=n $(BENCH_ISO) $(BENCH_RUN_ISO)
	@$(MAKE) --no-print-directory BUILD=$(NOLOG_BUILD) CONFIG_IPC_LOG=n CONFIG_LOCKDEP=n \
		$(NOLOG_BUILD)/switchboard.iso
	@python3 tools/bench.py --iso $(BENCH_ISO) --run-iso $(BENCH_RUN_ISO) \
		--nolog-iso $(NOLOG_BUILD)/switchboard.iso \
		--qemu $(QEMU) --accel $(ACCEL) --mem $(MEM)

SECONDS ?= 60
SEED ?= $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
fuzz: setup $(ISO)
	@echo "fuzz: seed $(SEED) for $(SECONDS) s (repeat with make fuzz SEED=$(SEED))"
	@python3 tools/fuzz.py --iso $(ISO) --qemu $(QEMU) --accel $(ACCEL) --mem $(MEM) \
		--seed $(SEED) --seconds $(SECONDS)

check-style:
	@tools/check-style.sh

format:
	@tools/check-style.sh --fix

clean:
	rm -rf $(BUILD)
