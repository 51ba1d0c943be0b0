# Host unit tests of the VGA driver's terminal emulation (vt.c). Built with
# AddressSanitizer and UBSan like libc's (uspace/lib/c/test/host/host.mk),
# whose flags and runner they share; `make host-tests` builds them and
# `make test` runs them as $(USPACE_BUILD)/host-tests/vga_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk does not
# build files under test/, the guard only keeps them harmless elsewhere.

VGA_DIR := uspace/drv/vga
VGA_HOST_TEST_DIR := $(VGA_DIR)/test/host
VGA_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(VGA_DIR),$(LIBC_HOST_CFLAGS))

VGA_HOST_MODULES_vt := $(VGA_DIR)/vt.c

VGA_HOST_TESTS := vt
VGA_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/vga_%,$(VGA_HOST_TESTS))
HOST_TEST_BINS += $(VGA_HOST_TEST_BINS)
host-tests: $(VGA_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/vga_%: $(VGA_HOST_TEST_DIR)/%_test.c $$(VGA_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(VGA_DIR)/*.h)
	$(call host_test_recipe,$(VGA_HOST_CFLAGS),,$(VGA_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(VGA_HOST_TEST_BINS:%=%.obj/*.d))
