# Host unit tests of the logger's text ring (logbuf.c) over the shared
# overwriting ring (common/src/adt/ringbuf.c). Built with AddressSanitizer
# and UBSan like libc's (uspace/lib/c/test/host/host.mk), whose flags and
# runner they share; they run as $(USPACE_BUILD)/host-tests/logger_logbuf.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk builds
# every .c file under a program's directory except test/ into the program.

LOGGER_DIR := uspace/srv/logger
LOGGER_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(LOGGER_DIR),$(LIBC_HOST_CFLAGS))
LOGGER_HOST_MODULES := $(LOGGER_DIR)/logbuf.c common/src/adt/ringbuf.c
LOGGER_HOST_TEST_BIN := $(USPACE_BUILD)/host-tests/logger_logbuf
HOST_TEST_BINS += $(LOGGER_HOST_TEST_BIN)
host-tests: $(LOGGER_HOST_TEST_BIN)

$(LOGGER_HOST_TEST_BIN): $(LOGGER_DIR)/test/host/logbuf_test.c $(LOGGER_HOST_MODULES) \
		$(LOGGER_DIR)/logbuf.h $(LIBC_HOST_RUNNER) kernel/test/host/host_test.h
	$(call host_test_recipe,$(LOGGER_HOST_CFLAGS),,$(LOGGER_HOST_MODULES),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(LOGGER_HOST_TEST_BIN:%=%.obj/*.d))
