# Host unit tests of tmpfs's pure parts: the node tree and file data
# (tree.c, file.c), the cpio newc reader and archive filling (cpio.c,
# archive.c) and the mount options (options.c). Built with AddressSanitizer
# and UBSan like libc's (uspace/lib/c/test/host/host.mk), whose flags and
# runner they share; `make host-tests` builds them and `make test` runs them
# as $(USPACE_BUILD)/host-tests/tmpfs_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk builds
# every .c file under a program's directory into the program (freestanding,
# where they compile to nothing).

TMPFS_DIR := uspace/srv/tmpfs
TMPFS_HOST_TEST_DIR := $(TMPFS_DIR)/test/host
TMPFS_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(TMPFS_DIR),$(LIBC_HOST_CFLAGS))

TMPFS_HOST_MODULES_tree := $(TMPFS_DIR)/tree.c $(TMPFS_DIR)/file.c common/src/adt/hash_table.c \
	$(TMPFS_HOST_TEST_DIR)/chunks_double.c
TMPFS_HOST_MODULES_cpio := $(TMPFS_DIR)/cpio.c $(TMPFS_DIR)/archive.c $(TMPFS_HOST_MODULES_tree)
TMPFS_HOST_MODULES_options := $(TMPFS_DIR)/options.c

TMPFS_HOST_TESTS := tree cpio options
TMPFS_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/tmpfs_%,$(TMPFS_HOST_TESTS))
HOST_TEST_BINS += $(TMPFS_HOST_TEST_BINS)
host-tests: $(TMPFS_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/tmpfs_%: $(TMPFS_HOST_TEST_DIR)/%_test.c $$(TMPFS_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(TMPFS_DIR)/*.h)
	$(call host_test_recipe,$(TMPFS_HOST_CFLAGS),,$(TMPFS_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(TMPFS_HOST_TEST_BINS:%=%.obj/*.d))
