# Switchboard build configuration.
#
# Every variable here can be overridden on the make command line, e.g.
#   make run MEM=64M ACCEL=kvm
# or in an untracked file config.local.mk next to this one.
# Changing a CONFIG_* value or the compiler rebuilds what depends on it.

# The most CPUs the kernel runs (1 to 64: sets of CPUs are 64-bit masks). On a
# machine with more, the first CONFIG_CPU_MAX run and a boot line says how
# many were found (`make test` boots a CONFIG_CPU_MAX=2 kernel on four vCPUs).
CONFIG_CPU_MAX ?= 64

# Target architecture. Only amd64 exists today.
ARCH ?= amd64

# Toolchain prefix. Empty means the host gcc/binutils, used as a freestanding
# x86_64 compiler (the kernel is built with -ffreestanding -fno-pie -mcmodel=kernel).
# Set e.g. CROSS_COMPILE=x86_64-elf- to use a dedicated cross toolchain.
CROSS_COMPILE ?=

# Optimisation level for the kernel and userspace.
OPT ?= -O2

# y: debug checks (assertions, heap poisoning, double-free detection).
CONFIG_DEBUG ?= y

# y: the lock checker (lock order, recursion, spin-too-long; synch/lockdep.c).
# On in debug builds; `make bench` builds without it (it costs about half a
# round trip, see docs/performance.md).
CONFIG_LOCKDEP ?= $(CONFIG_DEBUG)

# y: compile the kernel IPC log in (it is still off until enabled at run time).
CONFIG_IPC_LOG ?= y

# y: build the kernel with -fsanitize=undefined and our own handlers.
CONFIG_UBSAN ?= n

# QEMU: accelerator (tcg everywhere; kvm where hardware KVM exists), CPU model
# (max: every feature TCG emulates, e.g. SMEP/SMAP), guest memory, CPU count,
# and the emulator binary.
ACCEL ?= tcg
CPU ?= max
MEM ?= 128M
SMP ?= 1
QEMU ?= qemu-system-x86_64

# Seconds the GRUB menu waits before booting the default entry (0: boot at once;
# `make run GRUB_TIMEOUT=5` shows the menu with the self-test and console entries).
GRUB_TIMEOUT ?= 0

# Extra kernel command-line options for `make run` (passed through QEMU fw_cfg,
# appended to the GRUB command line), e.g. make run KARGS=kconsole
KARGS ?=

-include $(dir $(lastword $(MAKEFILE_LIST)))config.local.mk
