# Host unit tests of mkfat's layout (format.c) on images checked by
# fsck.fat and mtools. Built like libc's (uspace/lib/c/test/host/host.mk);
# `make test` runs them as $(USPACE_BUILD)/host-tests/mkfat_<name>.

MKFAT_DIR := uspace/app/mkfat
MKFAT_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(MKFAT_DIR),$(LIBC_HOST_CFLAGS))
MKFAT_HOST_TEST_BINS := $(USPACE_BUILD)/host-tests/mkfat_format
HOST_TEST_BINS += $(MKFAT_HOST_TEST_BINS)
host-tests: $(MKFAT_HOST_TEST_BINS)

$(MKFAT_HOST_TEST_BINS): $(MKFAT_DIR)/test/host/format_test.c $(MKFAT_DIR)/format.c \
		$(MKFAT_DIR)/format.h $(LIBC_HOST_RUNNER) kernel/test/host/host_test.h
	$(call host_test_recipe,$(MKFAT_HOST_CFLAGS),,$(MKFAT_DIR)/format.c,$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(MKFAT_HOST_TEST_BINS:%=%.obj/*.d))
