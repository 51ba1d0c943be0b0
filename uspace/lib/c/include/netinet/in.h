/*
 * IPv4 socket addresses (sys/socket.h): port and address in network order.
 */
#ifndef LIBC_NETINET_IN_H
#define LIBC_NETINET_IN_H

#include <stdint.h>
#include <sys/socket.h>

typedef uint16_t in_port_t;
typedef uint32_t in_addr_t;

struct in_addr {
	in_addr_t s_addr;
};

struct sockaddr_in {
	sa_family_t sin_family;
	in_port_t sin_port;
	struct in_addr sin_addr;
	uint8_t sin_zero[8];
};

#define IPPROTO_IP   0
#define IPPROTO_ICMP 1
#define IPPROTO_TCP  6
#define IPPROTO_UDP  17

#define INADDR_ANY	 ((in_addr_t) 0x00000000)
#define INADDR_LOOPBACK	 ((in_addr_t) 0x7f000001) /* host order, as POSIX has it */
#define INADDR_BROADCAST ((in_addr_t) 0xffffffff)
#define INADDR_NONE	 ((in_addr_t) 0xffffffff)
#define INET_ADDRSTRLEN	 16

static inline uint16_t htons(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint16_t ntohs(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint32_t htonl(uint32_t v)
{
	return __builtin_bswap32(v);
}

static inline uint32_t ntohl(uint32_t v)
{
	return __builtin_bswap32(v);
}

#endif
