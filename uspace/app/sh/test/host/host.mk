# Host unit tests of the shell's pure parts: the command-line parser,
# expansion and variables (parse.c, expand.c, vars.c) and the line editor's
# buffer, history, key decoding, drawing and common prefix (edit.c). Built with AddressSanitizer and UBSan like libc's
# (uspace/lib/c/test/host/host.mk), whose flags and runner they share;
# `make host-tests` builds them and `make test` runs them as
# $(USPACE_BUILD)/host-tests/sh_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk builds
# every .c file under a program's directory except test/ into the program.

SH_DIR := uspace/app/sh
SH_HOST_TEST_DIR := $(SH_DIR)/test/host
SH_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(SH_DIR),$(LIBC_HOST_CFLAGS))

SH_HOST_MODULES_parse := $(SH_DIR)/parse.c $(SH_DIR)/expand.c $(SH_DIR)/vars.c
SH_HOST_MODULES_edit := $(SH_DIR)/edit.c

SH_HOST_TESTS := parse edit
SH_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/sh_%,$(SH_HOST_TESTS))
HOST_TEST_BINS += $(SH_HOST_TEST_BINS)
host-tests: $(SH_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/sh_%: $(SH_HOST_TEST_DIR)/%_test.c $$(SH_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(SH_DIR)/*.h)
	$(call host_test_recipe,$(SH_HOST_CFLAGS),,$(SH_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(SH_HOST_TEST_BINS:%=%.obj/*.d))
