# Host unit tests of locsrv's pure part: the registry of namespaces,
# services and categories and the name rules (registry.c). Built with
# AddressSanitizer and UBSan like libc's (uspace/lib/c/test/host/host.mk),
# whose flags and runner they share; `make host-tests` builds them and
# `make test` runs them as $(USPACE_BUILD)/host-tests/locsrv_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk does not
# build files under test/, the guard only keeps them harmless elsewhere.

LOCSRV_DIR := uspace/srv/locsrv
LOCSRV_HOST_TEST_DIR := $(LOCSRV_DIR)/test/host
LOCSRV_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(LOCSRV_DIR),$(LIBC_HOST_CFLAGS))

LOCSRV_HOST_MODULES_registry := $(LOCSRV_DIR)/registry.c

LOCSRV_HOST_TESTS := registry
LOCSRV_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/locsrv_%,$(LOCSRV_HOST_TESTS))
HOST_TEST_BINS += $(LOCSRV_HOST_TEST_BINS)
host-tests: $(LOCSRV_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/locsrv_%: $(LOCSRV_HOST_TEST_DIR)/%_test.c $$(LOCSRV_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(LOCSRV_DIR)/*.h)
	$(call host_test_recipe,$(LOCSRV_HOST_CFLAGS),,$(LOCSRV_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(LOCSRV_HOST_TEST_BINS:%=%.obj/*.d))
