# Host unit tests of the PCI bus driver's pure parts: BAR decoding, names,
# match ids and resources (decode.c) and the enumeration (enum.c) over a
# simulated configuration space. Built with AddressSanitizer and UBSan like
# libc's (uspace/lib/c/test/host/host.mk), whose flags and runner they
# share; `make host-tests` builds them and `make test` runs them as
# $(USPACE_BUILD)/host-tests/pci_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk does not
# build files under test/, the guard only keeps them harmless elsewhere.

PCI_DIR := uspace/drv/pci
PCI_HOST_TEST_DIR := $(PCI_DIR)/test/host
PCI_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(PCI_DIR),$(LIBC_HOST_CFLAGS))

PCI_HOST_MODULES_decode := $(PCI_DIR)/decode.c
PCI_HOST_MODULES_enum := $(PCI_DIR)/enum.c $(PCI_DIR)/decode.c

PCI_HOST_TESTS := decode enum
PCI_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/pci_%,$(PCI_HOST_TESTS))
HOST_TEST_BINS += $(PCI_HOST_TEST_BINS)
host-tests: $(PCI_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/pci_%: $(PCI_HOST_TEST_DIR)/%_test.c $$(PCI_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(PCI_DIR)/pci.h abi/include/abi/pci.h
	$(call host_test_recipe,$(PCI_HOST_CFLAGS),,$(PCI_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(PCI_HOST_TEST_BINS:%=%.obj/*.d))
