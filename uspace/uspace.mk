# Userspace build: libc and the programs.
#
# libc ($(BUILD)/uspace/lib/libc.a) is uspace/lib/c/src/*.{c,S}, the
# architecture's uspace/lib/c/arch/$(ARCH)/src/*.{c,S}, and the shared
# common/src code compiled again for userspace. crt0.o (the _start entry) is
# linked first into every program. The async framework
# ($(BUILD)/uspace/lib/libasync.a, uspace/lib/async/src/*.c) is linked into
# every program before libc, and so is the driver framework
# ($(BUILD)/uspace/lib/libdrv.a, uspace/lib/drv/src/*.c), before libasync
# (only drivers use it, and only what they use is linked). The network
# protocols ($(BUILD)/uspace/lib/libnet.a, uspace/lib/net/src/*.c: pure
# code, host-tested) are linked the same way, first of all, and so is
# libvirtio ($(BUILD)/uspace/lib/libvirtio.a, uspace/lib/virtio/src/*.c:
# virtio 1.0 over PCI for drivers; only drivers use it).
#
# Every directory uspace/app/NAME/, uspace/srv/NAME/ and uspace/drv/NAME/
# (drivers) is a program: all its .c and .S files linked with libasync and
# libc into the static executable $(BUILD)/uspace/app/NAME (or srv/NAME,
# drv/NAME), laid out by the architecture's
# link.ld. A new program is one new directory; boot/modules.list decides
# whether it goes into the boot image. Files under the program's arch/ARCH/
# are built only for that architecture, and those under test/ (host tests)
# not at all.
#
# Programs are linked at 0x400000. A program that must live elsewhere (the
# loader, which maps other programs into its own task) names its link
# address in a file NAME/image_base: one number, `#` starts a comment. It
# reaches link.ld as the symbol __image_base.

USPACE_BUILD := $(BUILD)/uspace
LIBC_DIR := uspace/lib/c
LIBC_ARCH_DIR := $(LIBC_DIR)/arch/$(ARCH)
LIBC := $(USPACE_BUILD)/lib/libc.a
LIBASYNC_DIR := uspace/lib/async
LIBASYNC := $(USPACE_BUILD)/lib/libasync.a
LIBDRV_DIR := uspace/lib/drv
LIBDRV := $(USPACE_BUILD)/lib/libdrv.a
LIBNET_DIR := uspace/lib/net
LIBNET := $(USPACE_BUILD)/lib/libnet.a
LIBVIRTIO_DIR := uspace/lib/virtio
LIBVIRTIO := $(USPACE_BUILD)/lib/libvirtio.a
CRT0 := $(USPACE_BUILD)/lib/crt0.o
USPACE_LDSCRIPT := $(LIBC_ARCH_DIR)/link.ld
AR := $(CROSS_COMPILE)ar

# Only our headers and the compiler's own (stddef.h, stdint.h, stdarg.h,
# stdbool.h): never the host C library's.
USPACE_INCLUDES := -I$(LIBC_DIR)/include -I$(LIBC_ARCH_DIR)/include \
	-I$(LIBASYNC_DIR)/include -I$(LIBDRV_DIR)/include -I$(LIBNET_DIR)/include -I$(LIBVIRTIO_DIR)/include -Icommon/include \
	-Icommon/arch/$(ARCH)/include \
	-Iabi/include -nostdinc -isystem $(shell $(CC) -print-file-name=include)

# User code may use SSE and the red zone (the kernel switches FPU state).
# -fno-tree-loop-distribute-patterns: libc's own loops must not become calls
# to memset/memcpy, which libc implements.
# -ffunction-sections/-fdata-sections with --gc-sections: a program carries
# only the parts of the libraries it uses (echo: 51 KiB instead of 85 KiB).
USPACE_CFLAGS := -std=gnu11 $(OPT) -g -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-common -fno-tree-loop-distribute-patterns \
	-ffunction-sections -fdata-sections \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes -Wstrict-prototypes \
	-include $(CONFIG_H) $(USPACE_INCLUDES) -MMD -MP
USPACE_ASFLAGS := -D__ASSEMBLY__ $(USPACE_INCLUDES) -include $(CONFIG_H) -MMD -MP -g
USPACE_LDFLAGS := -nostdlib -static -no-pie -Wl,-z,max-page-size=0x1000 -Wl,--gc-sections \
	-Wl,--build-id=none -Wl,-z,noexecstack -T $(USPACE_LDSCRIPT)
USPACE_LIBS := -Wl,--start-group $(LIBVIRTIO) $(LIBNET) $(LIBDRV) $(LIBASYNC) $(LIBC) $(shell $(CC) -print-libgcc-file-name) -Wl,--end-group

LIBC_SRCS := $(sort $(wildcard $(LIBC_DIR)/src/*.c $(LIBC_DIR)/src/*.S \
	$(LIBC_ARCH_DIR)/src/*.c $(LIBC_ARCH_DIR)/src/*.S)) \
	common/src/printf_core.c common/src/str.c common/src/strerror.c common/src/elf.c common/src/datetime.c $(sort $(wildcard common/src/adt/*.c))
LIBC_OBJS := $(patsubst %,$(USPACE_BUILD)/obj/%.o,$(LIBC_SRCS))

$(USPACE_BUILD)/obj/%.c.o: %.c $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(CC) $(USPACE_CFLAGS) -c $< -o $@

$(USPACE_BUILD)/obj/%.S.o: %.S $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	@$(CC) $(USPACE_ASFLAGS) -c $< -o $@

$(CRT0): $(LIBC_ARCH_DIR)/crt0.S $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	@$(CC) $(USPACE_ASFLAGS) -c $< -o $@

$(LIBC): $(LIBC_OBJS)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	@rm -f $@ && $(AR) rcs $@ $^

LIBASYNC_OBJS := $(patsubst %,$(USPACE_BUILD)/obj/%.o,$(sort $(wildcard $(LIBASYNC_DIR)/src/*.c)))

$(LIBASYNC): $(LIBASYNC_OBJS)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	@rm -f $@ && $(AR) rcs $@ $^

LIBDRV_OBJS := $(patsubst %,$(USPACE_BUILD)/obj/%.o,$(sort $(wildcard $(LIBDRV_DIR)/src/*.c)))

$(LIBDRV): $(LIBDRV_OBJS)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	@rm -f $@ && $(AR) rcs $@ $^

LIBNET_OBJS := $(patsubst %,$(USPACE_BUILD)/obj/%.o,$(sort $(wildcard $(LIBNET_DIR)/src/*.c)))

$(LIBNET): $(LIBNET_OBJS)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	@rm -f $@ && $(AR) rcs $@ $^

LIBVIRTIO_OBJS := $(patsubst %,$(USPACE_BUILD)/obj/%.o,$(sort $(wildcard $(LIBVIRTIO_DIR)/src/*.c)))

$(LIBVIRTIO): $(LIBVIRTIO_OBJS)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	@rm -f $@ && $(AR) rcs $@ $^

USPACE_PROGRAM_DIRS := $(patsubst %/,%,$(sort $(wildcard uspace/app/*/ uspace/srv/*/ uspace/drv/*/)))
USPACE_PROGRAMS := $(patsubst uspace/%,$(USPACE_BUILD)/%,$(USPACE_PROGRAM_DIRS))
USPACE_OBJS := $(LIBC_OBJS) $(LIBASYNC_OBJS) $(LIBDRV_OBJS) $(LIBNET_OBJS) $(LIBVIRTIO_OBJS) $(CRT0)

# Programs kept outside the tree: `make EXTRA_APPS="/path/to/dir ..."` builds
# each directory like one of uspace/app (all its .c and .S files, against
# libc's and the async framework's headers) into $(USPACE_BUILD)/app/NAME,
# NAME being the directory's name, and puts it into /app of the root file
# system. docs/writing-a-server.md shows it.
#
# The setting sticks to the build directory: given on the command line it is
# kept in $(BUILD)/extra-apps.mk, which a later make without it reads, so
# that `make EXTRA_APPS=dir` and then `make run` keep the program (`make
# EXTRA_APPS=` drops it). Set in config.local.mk it applies to every build.
EXTRA_APPS_SAVED := $(BUILD)/extra-apps.mk
ifeq ($(origin EXTRA_APPS),command line)
$(shell mkdir -p $(BUILD) && { echo 'EXTRA_APPS := $(EXTRA_APPS)' | cmp -s - $(EXTRA_APPS_SAVED) || \
	echo 'EXTRA_APPS := $(EXTRA_APPS)' > $(EXTRA_APPS_SAVED); })
else ifeq ($(origin EXTRA_APPS),undefined)
-include $(EXTRA_APPS_SAVED)
endif
EXTRA_APPS ?=
EXTRA_APP_DIRS := $(patsubst %/,%,$(EXTRA_APPS))
EXTRA_PROGRAMS := $(foreach d,$(EXTRA_APP_DIRS),$(USPACE_BUILD)/app/$(notdir $(d)))
$(foreach p,$(EXTRA_PROGRAMS),$(if $(filter $(p),$(USPACE_PROGRAMS)), \
	$(error EXTRA_APPS: $(notdir $(p)) is already a program of the tree)))
USPACE_PROGRAMS += $(EXTRA_PROGRAMS)

# uspace_program(DIR, OUTPUT): the objects of the program in DIR and the rule
# that links them into OUTPUT.
define uspace_program
uspace_srcs_$(1) := $$(shell find $(1) -name '*.c' -o -name '*.S' | sort)
uspace_objs_$(1) := $$(patsubst %,$$(USPACE_BUILD)/obj/%.o,$$(filter-out $(1)/arch/% $(1)/test/%,$$(uspace_srcs_$(1))) \
	$$(filter $(1)/arch/$$(ARCH)/%,$$(uspace_srcs_$(1))))
USPACE_OBJS += $$(uspace_objs_$(1))
uspace_base_$(1) := $$(wildcard $(1)/image_base)
uspace_ldflags_$(1) := $$(if $$(uspace_base_$(1)),-Xlinker --defsym=__image_base=$$(strip \
	$$(shell sed -e 's/#.*//' $$(uspace_base_$(1)))))

$(2): $$(uspace_objs_$(1)) $$(CRT0) $$(LIBVIRTIO) $$(LIBNET) $$(LIBDRV) $$(LIBASYNC) $$(LIBC) \
		$$(USPACE_LDSCRIPT) $$(uspace_base_$(1))
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	@$$(CC) $$(USPACE_LDFLAGS) $$(uspace_ldflags_$(1)) -o $$@ $$(CRT0) $$(uspace_objs_$(1)) $$(USPACE_LIBS)
endef
$(foreach dir,$(USPACE_PROGRAM_DIRS),$(eval $(call uspace_program,$(dir),$(patsubst uspace/%,$(USPACE_BUILD)/%,$(dir)))))
$(foreach dir,$(EXTRA_APP_DIRS),$(eval $(call uspace_program,$(dir),$(USPACE_BUILD)/app/$(notdir $(dir)))))

.PHONY: uspace
uspace: $(USPACE_PROGRAMS)
all: uspace

# Every program is built with the image, whether boot/modules.list lists it
# or not, so a program that no longer builds is noticed.
$(ISO): $(USPACE_PROGRAMS)

include $(LIBC_DIR)/test/host/host.mk
include $(LIBASYNC_DIR)/test/host/host.mk
include $(LIBNET_DIR)/test/host/host.mk
include $(LIBVIRTIO_DIR)/test/host/host.mk

-include $(USPACE_OBJS:.o=.d)
