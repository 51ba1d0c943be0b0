# Host unit tests of the ipclog program's pure parts: the registry of
# interface and method names (libc's ipc_names.c, expanded from the
# protocol headers' method lists), the decoder that names a record's
# method by the connection it travels on (decode.c) and the statistics of
# --stats (stats.c). Built with
# AddressSanitizer and UBSan like libc's (uspace/lib/c/test/host/host.mk),
# whose flags and runner they share; `make test` runs them as
# $(USPACE_BUILD)/host-tests/ipclog_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk builds
# every .c file under a program's directory except test/ into the program.

IPCLOG_DIR := uspace/app/ipclog
IPCLOG_HOST_TEST_DIR := $(IPCLOG_DIR)/test/host
# ipc_names.h by #include "..." only (libc's other headers must not shadow
# the host's).
IPCLOG_HOST_CFLAGS := $(LIBC_HOST_CFLAGS) -I$(IPCLOG_DIR) -iquote $(LIBC_DIR)/include

IPCLOG_HOST_MODULES_decode := $(IPCLOG_DIR)/decode.c $(LIBC_DIR)/src/ipc_names.c

IPCLOG_HOST_MODULES_stats := $(IPCLOG_DIR)/stats.c common/src/strerror.c

IPCLOG_HOST_TESTS := decode stats
IPCLOG_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/ipclog_%,$(IPCLOG_HOST_TESTS))
HOST_TEST_BINS += $(IPCLOG_HOST_TEST_BINS)
host-tests: $(IPCLOG_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/ipclog_%: $(IPCLOG_HOST_TEST_DIR)/%_test.c $$(IPCLOG_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(IPCLOG_DIR)/*.h) \
		$(LIBC_DIR)/include/ipc_names.h $(wildcard abi/include/abi/*.h)
	$(call host_test_recipe,$(IPCLOG_HOST_CFLAGS),,$(IPCLOG_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(IPCLOG_HOST_TEST_BINS:%=%.obj/*.d))
