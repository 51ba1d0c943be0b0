# Host unit tests: pure kernel and common modules compiled for the host with
# AddressSanitizer and UBSan. Each test program is <name>_test.c plus the
# modules listed for it below.

HOST_TEST_DIR := kernel/test/host
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -I$(HOST_TEST_DIR)/shim -Icommon/include -Iabi/include \
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

HOST_TESTS := printf buddy slab adt cmdline elf cap irq_code hwres
HOST_TEST_BINS := $(patsubst %,$(BUILD)/host-tests/%,$(HOST_TESTS))

# printf_core's vsnprintf/snprintf would clash with the host libc's.
HOST_RENAME_printf := -Dvsnprintf=sb_vsnprintf -Dsnprintf=sb_snprintf

.PHONY: host-tests
host-tests: $(HOST_TEST_BINS)

.SECONDEXPANSION:
$(BUILD)/host-tests/%: $(HOST_TEST_DIR)/%_test.c $(HOST_TEST_DIR)/host_test.c \
		$$(HOST_TEST_MODULES_$$*) $(HOST_TEST_DIR)/host_test.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@mkdir -p $@.obj
	@for m in $(HOST_TEST_MODULES_$*); do \
		$(HOSTCC) $(HOST_CFLAGS) $(HOST_RENAME_$*) -c $$m -o $@.obj/$$(basename $$m .c).o || exit 1; \
	done
	@$(HOSTCC) $(HOST_CFLAGS) -o $@ $(HOST_TEST_DIR)/$*_test.c $(HOST_TEST_DIR)/host_test.c \
		$@.obj/*.o
