# Host unit tests of lspci's pure part: class names and the text of its
# lines (pciname.c). Built with AddressSanitizer and UBSan like libc's
# (uspace/lib/c/test/host/host.mk), whose flags and runner they share;
# `make host-tests` builds them and `make test` runs them as
# $(USPACE_BUILD)/host-tests/lspci_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk does not
# build files under test/, the guard only keeps them harmless elsewhere.

LSPCI_DIR := uspace/app/lspci
LSPCI_HOST_TEST_DIR := $(LSPCI_DIR)/test/host
LSPCI_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(LSPCI_DIR),$(LIBC_HOST_CFLAGS))

LSPCI_HOST_MODULES_pciname := $(LSPCI_DIR)/pciname.c

LSPCI_HOST_TESTS := pciname
LSPCI_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/lspci_%,$(LSPCI_HOST_TESTS))
HOST_TEST_BINS += $(LSPCI_HOST_TEST_BINS)
host-tests: $(LSPCI_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/lspci_%: $(LSPCI_HOST_TEST_DIR)/%_test.c $$(LSPCI_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(LSPCI_DIR)/pciname.h \
		abi/include/abi/pci.h
	$(call host_test_recipe,$(LSPCI_HOST_CFLAGS),,$(LSPCI_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(LSPCI_HOST_TEST_BINS:%=%.obj/*.d))
