/*
 * Dotted IPv4 addresses as text (AF_INET only).
 */
#ifndef LIBC_ARPA_INET_H
#define LIBC_ARPA_INET_H

#include <netinet/in.h>

/** 1 and *@a dst (a struct in_addr) for a dotted address, 0 for other text,
 *  -1 with EAFNOSUPPORT for a family other than AF_INET. */
int inet_pton(int af, const char *src, void *dst);
/** @a src (a struct in_addr) as dotted text in @a dst; NULL with ENOSPC if
 *  @a size is too small, EAFNOSUPPORT for a family other than AF_INET. */
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
/** The address of dotted text, INADDR_NONE when it is not one. */
in_addr_t inet_addr(const char *text);

#endif
