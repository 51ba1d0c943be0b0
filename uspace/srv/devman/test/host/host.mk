# Host unit tests of the device manager's pure part: match-id files and the
# choice of a driver (match.c). Built like the shell's
# (uspace/app/sh/test/host/host.mk); `make test` runs
# $(USPACE_BUILD)/host-tests/devman_match.

DEVMAN_DIR := uspace/srv/devman
DEVMAN_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(DEVMAN_DIR),$(LIBC_HOST_CFLAGS))
DEVMAN_HOST_TEST_BINS := $(USPACE_BUILD)/host-tests/devman_match
HOST_TEST_BINS += $(DEVMAN_HOST_TEST_BINS)
host-tests: $(DEVMAN_HOST_TEST_BINS)

$(USPACE_BUILD)/host-tests/devman_match: $(DEVMAN_DIR)/test/host/match_test.c \
		$(DEVMAN_DIR)/match.c $(DEVMAN_DIR)/match.h $(LIBC_HOST_RUNNER) \
		kernel/test/host/host_test.h
	$(call host_test_recipe,$(DEVMAN_HOST_CFLAGS),,$(DEVMAN_DIR)/match.c,$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(DEVMAN_HOST_TEST_BINS:%=%.obj/*.d))
