# The bootable ISO: GRUB 2 (BIOS) loading the kernel with multiboot2 and the
# boot modules listed in boot/modules.list (files relative to $(BUILD)).

# Programs go into the image without symbols and debugging sections (GRUB
# spends about 15 instructions per byte it loads, so boot time grows with
# the image: docs/performance.md). The programs in the build
# tree keep both for the debugger and tools/ipcprofile.py.
STRIP := $(CROSS_COMPILE)strip

BOOT_MODULE_FILES := $(addprefix $(BUILD)/,$(shell sed -e 's/\#.*//' boot/modules.list | awk 'NF { print $$1 }'))

# The list the images are made from: boot/modules.list and each EXTRA_APPS
# program as a test module, so that testtask=NAME boots it (made again when
# the programs change: $(BUILD)/rootfs.programs, boot/rootfs.mk).
MODULES_LIST := $(BUILD)/modules.list
$(MODULES_LIST): boot/modules.list $(BUILD)/rootfs.programs
	@{ cat boot/modules.list; \
	  for p in $(notdir $(EXTRA_PROGRAMS)); do echo "uspace/app/$$p test $$p"; done; } > $@

$(ISO): $(KERNEL_ELF) boot/mkiso.sh $(MODULES_LIST) $(BOOT_MODULE_FILES) $(CONFIG_H)
	@echo "  ISO     $@"
	@grub-file --is-x86-multiboot2 $(KERNEL_ELF) || { echo "kernel is not multiboot2" >&2; exit 1; }
	@STRIP=$(STRIP) boot/mkiso.sh $(BUILD)/iso $(KERNEL_ELF) $(MODULES_LIST) $(BUILD) $(GRUB_TIMEOUT) $@

# The image `make run` boots: the same without the test-only modules and
# with the root archive of kind run (without the tests that need a boot of
# their own), so the firmware and GRUB have less to read.
$(RUN_ISO): $(KERNEL_ELF) boot/mkiso.sh $(MODULES_LIST) $(BOOT_MODULE_FILES) $(CONFIG_H)
	@echo "  ISO     $@"
	@mkdir -p $(dir $@)
	@STRIP=$(STRIP) boot/mkiso.sh $(BUILD)/run-iso $(KERNEL_ELF) $(MODULES_LIST) $(BUILD) \
		$(GRUB_TIMEOUT) $@ "init image run"

# The run image with the kernel of a CONFIG_CPU_MAX=2 build (made by a
# recursive make with BUILD=$(CPU_MAX_2_BUILD), kernel only: `make test`).
$(CPU_MAX_2_ISO): $(CPU_MAX_2_KERNEL) boot/mkiso.sh $(MODULES_LIST) $(BOOT_MODULE_FILES)
	@echo "  ISO     $@"
	@STRIP=$(STRIP) boot/mkiso.sh $(CPU_MAX_2_BUILD)/iso $(CPU_MAX_2_KERNEL) $(MODULES_LIST) \
		$(BUILD) $(GRUB_TIMEOUT) $@ "init image run"

# Configuration files for the boot image (boot/cfg/*), copied into the build
# tree where boot/modules.list names them (cfg/NAME).
$(BUILD)/cfg/%: boot/cfg/%
	@mkdir -p $(dir $@)
	@cp $< $@

# A module the kernel's self-test takes over (kernel/test/module_test.c):
# a little over two pages, so that its last page has a tail to clear.
$(BUILD)/test/taketest: boot/boot.mk
	@mkdir -p $(dir $@)
	@head -c 9000 /dev/zero | tr '\0' 'm' > $@

# A malformed program for the loader's tests: hello with a segment moved into
# the kernel half (tools/mkbadelf.py).
$(BUILD)/test/badelf: $(BUILD)/uspace/app/hello tools/mkbadelf.py boot/boot.mk
	@mkdir -p $(dir $@)
	@echo "  BADELF  $@"
	@$(STRIP) --strip-debug -o $@.stripped $<
	@python3 tools/mkbadelf.py $@.stripped $@
	@rm -f $@.stripped
