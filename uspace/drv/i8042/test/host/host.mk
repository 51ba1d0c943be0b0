# Host unit tests of the i8042 driver's pure part: the scancode translator
# and the terminal encoding (xlat.c, encode.c). Built with AddressSanitizer
# and UBSan like libc's (uspace/lib/c/test/host/host.mk), whose flags and
# runner they share; `make test` runs them as
# $(USPACE_BUILD)/host-tests/i8042_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk builds
# every .c file under a program's directory except test/ into the program.

I8042_DIR := uspace/drv/i8042
I8042_HOST_TEST_DIR := $(I8042_DIR)/test/host
I8042_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(I8042_DIR),$(LIBC_HOST_CFLAGS))

I8042_HOST_MODULES_xlat := $(I8042_DIR)/xlat.c $(I8042_DIR)/encode.c

I8042_HOST_TESTS := xlat
I8042_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/i8042_%,$(I8042_HOST_TESTS))
HOST_TEST_BINS += $(I8042_HOST_TEST_BINS)
host-tests: $(I8042_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/i8042_%: $(I8042_HOST_TEST_DIR)/%_test.c $$(I8042_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(I8042_DIR)/xlat.h abi/include/abi/kbd.h
	$(call host_test_recipe,$(I8042_HOST_CFLAGS),,$(I8042_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(I8042_HOST_TEST_BINS:%=%.obj/*.d))
