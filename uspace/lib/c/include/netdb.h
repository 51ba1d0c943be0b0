/*
 * Name lookup, the POSIX subset (netdb.h): getaddrinfo, freeaddrinfo,
 * gai_strerror and gethostbyname over IPv4 addresses and the names of
 * /cfg/hosts (net_host_lookup in sock.h). There is no DNS resolver: a name
 * the hosts file does not list is EAI_NONAME (gethostbyname: NULL with
 * h_errno HOST_NOT_FOUND). Services are port numbers only (no services
 * file): another service is EAI_SERVICE.
 */
#ifndef LIBC_NETDB_H
#define LIBC_NETDB_H

#include <netinet/in.h>
#include <sys/socket.h>

struct hostent {
	char *h_name;
	char **h_aliases;
	int h_addrtype;
	int h_length;
	char **h_addr_list; /* network order, NULL-terminated */
};
#define h_addr h_addr_list[0]

struct addrinfo {
	int ai_flags;
	int ai_family;
	int ai_socktype;
	int ai_protocol;
	socklen_t ai_addrlen;
	struct sockaddr *ai_addr;
	char *ai_canonname;
	struct addrinfo *ai_next;
};

/* ai_flags */
#define AI_PASSIVE     1 /* no node: INADDR_ANY (else the loopback address) */
#define AI_CANONNAME   2 /* the first result's ai_canonname: the node */
#define AI_NUMERICHOST 4 /* the node must be a dotted address */
#define AI_NUMERICSERV 8 /* the service must be a number (always so here) */

/* getaddrinfo's errors (not errno values). */
#define EAI_AGAIN    1
#define EAI_BADFLAGS 2
#define EAI_FAIL     3
#define EAI_FAMILY   4
#define EAI_MEMORY   5
#define EAI_NONAME   6
#define EAI_SERVICE  7
#define EAI_SOCKTYPE 8

/* h_errno */
#define HOST_NOT_FOUND 1
#define NO_RECOVERY    3
extern int h_errno;

/** The addresses of @a node (a dotted address or a name of /cfg/hosts;
 *  NULL: see AI_PASSIVE) with the port @a service (NULL: 0) as a list in
 *  *@a res, one entry per socket type (TCP, then UDP, unless @a hints
 *  names one). 0, or an EAI_* code. The list is the caller's: freeaddrinfo. */
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res);
void freeaddrinfo(struct addrinfo *res);
/** The text of an EAI_* code. */
const char *gai_strerror(int code);
/** @a name's entry, in storage the next call reuses (not thread-safe, as
 *  POSIX allows); NULL with h_errno set when there is none. */
struct hostent *gethostbyname(const char *name);

#endif
