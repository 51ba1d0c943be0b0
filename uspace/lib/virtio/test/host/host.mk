# Host unit tests of libvirtio's pure parts: the capability walk (caps.c)
# over configuration spaces laid out as QEMU's and broken ones, and the
# split virtqueue (virtq.c) against a simulated device. Built and run like
# libc's (uspace/lib/c/test/host/host.mk), whose flags and runner they
# share; each runs as $(USPACE_BUILD)/host-tests/virtio_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk does not
# build files under test/, the guard only keeps them harmless elsewhere.

VIRTIO_HOST_TEST_DIR := $(LIBVIRTIO_DIR)/test/host
VIRTIO_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(LIBVIRTIO_DIR)/include,$(LIBC_HOST_CFLAGS))

VIRTIO_HOST_MODULES_caps := $(LIBVIRTIO_DIR)/src/caps.c
VIRTIO_HOST_MODULES_virtq := $(LIBVIRTIO_DIR)/src/virtq.c

VIRTIO_HOST_TESTS := caps virtq
VIRTIO_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/virtio_%,$(VIRTIO_HOST_TESTS))
HOST_TEST_BINS += $(VIRTIO_HOST_TEST_BINS)
host-tests: $(VIRTIO_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/virtio_%: $(VIRTIO_HOST_TEST_DIR)/%_test.c $$(VIRTIO_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h \
		$(wildcard $(LIBVIRTIO_DIR)/include/virtio/*.h)
	$(call host_test_recipe,$(VIRTIO_HOST_CFLAGS),,$(VIRTIO_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(VIRTIO_HOST_TEST_BINS:%=%.obj/*.d))
