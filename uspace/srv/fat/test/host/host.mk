# Host unit tests of the FAT server's volume code (fat_fs.c, fat_dir.c) and
# libc's block cache (bcache.c) on images made by mkfs.fat and mtools
# (tools/setup.sh installs dosfstools and mtools). Built with
# AddressSanitizer and UBSan like libc's (uspace/lib/c/test/host/host.mk),
# whose flags and runner they share; `make test` runs them as
# $(USPACE_BUILD)/host-tests/fat_<name>.

FAT_DIR := uspace/srv/fat
FAT_HOST_TEST_DIR := $(FAT_DIR)/test/host
FAT_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(FAT_DIR),$(LIBC_HOST_CFLAGS)) \
	-iquote $(LIBC_DIR)/include

FAT_HOST_MODULES_volume := $(FAT_DIR)/fat_fs.c $(FAT_DIR)/fat_dir.c $(LIBC_DIR)/src/bcache.c common/src/datetime.c \
	$(LIBC_DIR)/src/vfs_path.c

FAT_HOST_TESTS := volume
FAT_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/fat_%,$(FAT_HOST_TESTS))
HOST_TEST_BINS += $(FAT_HOST_TEST_BINS)
host-tests: $(FAT_HOST_TEST_BINS)

.SECONDEXPANSION:
$(FAT_HOST_TEST_BINS): $(USPACE_BUILD)/host-tests/fat_%: $(FAT_HOST_TEST_DIR)/fat_test.c $$(FAT_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(FAT_DIR)/*.h) \
		$(LIBC_DIR)/include/bcache.h
	$(call host_test_recipe,$(FAT_HOST_CFLAGS),,$(FAT_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(FAT_HOST_TEST_BINS:%=%.obj/*.d))
