# Host unit tests: pure kernel and common modules compiled for the host with
# AddressSanitizer and UBSan. Each test program is <name>_test.c plus the
# modules listed for it below.

HOST_TEST_DIR := kernel/test/host
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -I$(HOST_TEST_DIR)/shim -Icommon/include -Icommon/arch/$(ARCH)/include -Iabi/include \
	-idirafter kernel/generic/include

HOST_TEST_MODULES_printf := common/src/printf_core.c
HOST_TEST_MODULES_buddy := kernel/generic/mm/buddy.c
HOST_TEST_MODULES_slab := kernel/generic/mm/slab.c
HOST_TEST_MODULES_adt := common/src/adt/bitmap.c common/src/adt/hash_table.c \
	common/src/adt/ringbuf.c
HOST_TEST_MODULES_cmdline := kernel/generic/lib/cmdline.c
HOST_TEST_MODULES_elf := common/src/elf.c
HOST_TEST_MODULES_cap := kernel/generic/cap/cap.c
HOST_TEST_MODULES_irq_code := kernel/generic/ipc/irq_code.c
HOST_TEST_MODULES_hwres := kernel/generic/proc/hwres.c
HOST_TEST_MODULES_rtc := kernel/generic/time/rtc.c common/src/datetime.c

HOST_TESTS := printf buddy slab adt cmdline elf cap irq_code hwres rtc
HOST_TEST_BINS := $(patsubst %,$(BUILD)/host-tests/%,$(HOST_TESTS))

# printf_core's vsnprintf/snprintf would clash with the host libc's.
HOST_RENAME_printf := -Dvsnprintf=sb_vsnprintf -Dsnprintf=sb_snprintf

# $(call host_test_recipe,CFLAGS,MODULE_FLAGS,MODULES,SOURCES): the recipe of
# the host test program $@. Each of MODULES (compiled with CFLAGS and
# MODULE_FLAGS) and of SOURCES (the test and the runner, with CFLAGS) becomes
# an object in $@.obj/ with a dependency file naming $@, so a change to any
# header they include rebuilds the program; each host.mk includes those .d
# files. -MD rather than -MMD: the kernel's headers come by -idirafter, which
# makes them system headers to the compiler. The objects are then linked.
define host_test_recipe
	@mkdir -p $@.obj
	@echo "  HOSTCC  $@"
	@rm -f $@.obj/*.o
	@$(foreach m,$(3),$(call host_test_object,$(1) $(2),$(m)) &&) \
		$(foreach m,$(4),$(call host_test_object,$(1),$(m)) &&) true
	@$(HOSTCC) $(1) -o $@ $@.obj/*.o
endef
# One compiler command: source $(2) to an object with its dependency file.
host_test_object = $(HOSTCC) $(1) -MD -MP -MT $@ -MF $@.obj/$(basename $(notdir $(2))).d \
	-c $(2) -o $@.obj/$(basename $(notdir $(2))).o

.PHONY: host-tests
host-tests: $(HOST_TEST_BINS)

.SECONDEXPANSION:
$(BUILD)/host-tests/%: $(HOST_TEST_DIR)/%_test.c $(HOST_TEST_DIR)/host_test.c \
		$$(HOST_TEST_MODULES_$$*) $(HOST_TEST_DIR)/host_test.h
	$(call host_test_recipe,$(HOST_CFLAGS),$(HOST_RENAME_$*),$(HOST_TEST_MODULES_$*),\
		$(HOST_TEST_DIR)/$*_test.c $(HOST_TEST_DIR)/host_test.c)

-include $(wildcard $(HOST_TEST_BINS:%=%.obj/*.d))
