# Host unit tests of the async framework's pure parts (the connection label
# table), built and run like libc's (uspace/lib/c/test/host/host.mk): a test
# program is <name>_test.c plus the sources listed for it, run as
# $(USPACE_BUILD)/host-tests/async_<name>.

ASYNC_HOST_TEST_DIR := $(LIBASYNC_DIR)/test/host
ASYNC_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(LIBASYNC_DIR)/src,$(LIBC_HOST_CFLAGS))

ASYNC_HOST_MODULES_label := $(LIBASYNC_DIR)/src/label.c

ASYNC_HOST_TESTS := label
ASYNC_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/async_%,$(ASYNC_HOST_TESTS))
HOST_TEST_BINS += $(ASYNC_HOST_TEST_BINS)
host-tests: $(ASYNC_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/async_%: $(ASYNC_HOST_TEST_DIR)/%_test.c $$(ASYNC_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(LIBASYNC_DIR)/src/private/*.h)
	$(call host_test_recipe,$(ASYNC_HOST_CFLAGS),,$(ASYNC_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(ASYNC_HOST_TEST_BINS:%=%.obj/*.d))
