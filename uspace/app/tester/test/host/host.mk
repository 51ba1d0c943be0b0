# Host unit tests of tester's reading of verdict lines (verdict.c). Built
# with AddressSanitizer and UBSan like libc's (uspace/lib/c/test/host/host.mk),
# whose flags and runner they share; they run as
# $(USPACE_BUILD)/host-tests/tester_verdict.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk builds
# every .c file under a program's directory except test/ into the program.

TESTER_DIR := uspace/app/tester
TESTER_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(TESTER_DIR),$(LIBC_HOST_CFLAGS))
TESTER_HOST_TEST_BIN := $(USPACE_BUILD)/host-tests/tester_verdict
HOST_TEST_BINS += $(TESTER_HOST_TEST_BIN)
host-tests: $(TESTER_HOST_TEST_BIN)

$(TESTER_HOST_TEST_BIN): $(TESTER_DIR)/test/host/verdict_test.c $(TESTER_DIR)/verdict.c \
		$(TESTER_DIR)/tester.h $(LIBC_HOST_RUNNER) kernel/test/host/host_test.h
	$(call host_test_recipe,$(TESTER_HOST_CFLAGS),,$(TESTER_DIR)/verdict.c,$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(TESTER_HOST_TEST_BIN:%=%.obj/*.d))
