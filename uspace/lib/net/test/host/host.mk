# Host unit tests of the network protocols (uspace/lib/net): framing, ARP,
# IPv4 with reassembly, ICMP, UDP (proto), the TCP state machine (tcp) and
# HTTP requests (http), the DHCP client's messages (dhcp),
# built and run like libc's (uspace/lib/c/test/host/host.mk), whose flags
# and runner they share; each runs as $(USPACE_BUILD)/host-tests/net_<name>.
#
# The test sources are wrapped in `#if __STDC_HOSTED__`: uspace.mk does not
# build files under test/, the guard only keeps them harmless elsewhere.

NET_HOST_TEST_DIR := $(LIBNET_DIR)/test/host
NET_HOST_CFLAGS := $(subst -I$(LIBC_DIR)/src,-I$(LIBNET_DIR)/include,$(LIBC_HOST_CFLAGS))

NET_HOST_MODULES_proto := $(addprefix $(LIBNET_DIR)/src/,stats.c cksum.c eth.c ipv4.c \
	icmp.c udp.c)
NET_HOST_MODULES_tcp := $(addprefix $(LIBNET_DIR)/src/,stats.c cksum.c tcp_seg.c tcp_conn.c)
NET_HOST_MODULES_dhcp := $(addprefix $(LIBNET_DIR)/src/,stats.c cksum.c ipv4.c dhcp.c)

NET_HOST_MODULES_http := $(LIBNET_DIR)/src/http.c

NET_HOST_TESTS := proto tcp http dhcp
NET_HOST_TEST_BINS := $(patsubst %,$(USPACE_BUILD)/host-tests/net_%,$(NET_HOST_TESTS))
HOST_TEST_BINS += $(NET_HOST_TEST_BINS)
host-tests: $(NET_HOST_TEST_BINS)

.SECONDEXPANSION:
$(USPACE_BUILD)/host-tests/net_%: $(NET_HOST_TEST_DIR)/%_test.c $$(NET_HOST_MODULES_$$*) \
		$(LIBC_HOST_RUNNER) kernel/test/host/host_test.h $(wildcard $(LIBNET_DIR)/include/net/*.h)
	$(call host_test_recipe,$(NET_HOST_CFLAGS),,$(NET_HOST_MODULES_$*),$< $(LIBC_HOST_RUNNER))

-include $(wildcard $(NET_HOST_TEST_BINS:%=%.obj/*.d))
