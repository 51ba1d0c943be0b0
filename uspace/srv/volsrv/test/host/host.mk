# Host unit tests of the volume server's partition tables (part.c) on
# images made by sfdisk (tools/setup.sh installs fdisk). Built like libc's
# (uspace/lib/c/test/host/host.mk); `make test` runs them as
# $(USPACE_BUILD)/host-tests/volsrv_<name>.

VOLSRV_DIR := uspace/srv/volsrv
VOLSRV_HOST_TEST_DIR := $(VOLSRV_DIR)/test/host
VOLSRV_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(VOLSRV_DIR),$(LIBC_HOST_CFLAGS))

VOLSRV_HOST_MODULES_part := $(VOLSRV_DIR)/part.c

VOLSRV_HOST_TESTS := part
VOLSRV_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/volsrv_%,$(VOLSRV_HOST_TESTS))
HOST_TEST_BINS += $(VOLSRV_HOST_TEST_BINS)
host-tests: $(VOLSRV_HOST_TEST_BINS)

.SECONDEXPANSION:
$(VOLSRV_HOST_TEST_BINS): $(USPACE_BUILD)/host-tests/volsrv_%: $(VOLSRV_HOST_TEST_DIR)/%_test.c \
		$$(VOLSRV_HOST_MODULES_$$*) $(LIBC_HOST_RUNNER) kernel/test/host/host_test.h \
		$(wildcard $(VOLSRV_DIR)/*.h)
	$(call host_test_recipe,$(VOLSRV_HOST_CFLAGS),,$(VOLSRV_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(VOLSRV_HOST_TEST_BINS:%=%.obj/*.d))
