# Host unit tests of the ext2 server's volume code (ext2_fs.c, ext2_dir.c)
# over libc's block cache: the parsing and allocation functions on made-up
# bytes, whole volumes on images made by mke2fs -d and checked with e2fsck
# -fn and debugfs (tools/setup.sh installs e2fsprogs). Built with
# AddressSanitizer and UBSan like libc's (uspace/lib/c/test/host/host.mk),
# whose flags and runner they share; `make test` runs them as
# $(USPACE_BUILD)/host-tests/ext2_<name>.

EXT2_DIR := uspace/srv/ext2
EXT2_HOST_TEST_DIR := $(EXT2_DIR)/test/host
EXT2_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(EXT2_DIR),$(LIBC_HOST_CFLAGS)) \
	-iquote $(LIBC_DIR)/include

EXT2_HOST_MODULES := $(EXT2_DIR)/ext2_fs.c $(EXT2_DIR)/ext2_dir.c $(LIBC_DIR)/src/bcache.c \
	$(LIBC_DIR)/src/vfs_path.c

EXT2_HOST_TESTS := parse volume
EXT2_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/ext2_%,$(EXT2_HOST_TESTS))
HOST_TEST_BINS += $(EXT2_HOST_TEST_BINS)
host-tests: $(EXT2_HOST_TEST_BINS)

$(EXT2_HOST_TEST_BINS): $(USPACE_BUILD)/host-tests/ext2_%: $(EXT2_HOST_TEST_DIR)/%_test.c \
		$(EXT2_HOST_MODULES) $(LIBC_HOST_RUNNER) kernel/test/host/host_test.h \
		$(wildcard $(EXT2_DIR)/*.h) $(LIBC_DIR)/include/bcache.h
	$(call host_test_recipe,$(EXT2_HOST_CFLAGS),,$(EXT2_HOST_MODULES),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(EXT2_HOST_TEST_BINS:%=%.obj/*.d))
