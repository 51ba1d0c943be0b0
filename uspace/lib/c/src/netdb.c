/*
 * Name lookup (netdb.h) over net_host_lookup: dotted addresses and the
 * names of /cfg/hosts, no DNS. getaddrinfo's entries are each one block
 * (the addrinfo, its sockaddr_in and its name), freed by freeaddrinfo.
 */
#include <netdb.h>
#include <net/ipv4.h>
#include <sock.h>
#include <stdlib.h>
#include <string.h>

int h_errno;

#define AI_KNOWN (AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV)

/** The port of @a service (NULL: 0) into *@a port; false if not a number
 *  from 0 to 65535. */
static bool service_port(const char *service, uint16_t *port)
{
	if (service == NULL) {
		*port = 0;
		return true;
	}
	char *end;
	unsigned long v = strtoul(service, &end, 10);
	if (*service == '\0' || *end != '\0' || v > 65535)
		return false;
	*port = (uint16_t) v;
	return true;
}

/** The address of @a node (host order) as @a flags say; 0 or EAI_*. */
static int node_addr(const char *node, int flags, uint32_t *addr)
{
	if (node == NULL) {
		*addr = (flags & AI_PASSIVE) != 0 ? INADDR_ANY : INADDR_LOOPBACK;
		return 0;
	}
	if ((flags & AI_NUMERICHOST) != 0)
		return ipv4_parse_addr(node, addr) ? 0 : EAI_NONAME;
	errno_t rc = net_host_lookup(node, addr);
	return rc == EOK ? 0 : rc == ENOENT ? EAI_NONAME : EAI_FAIL;
}

/** One entry of type @a socktype for @a addr:@a port; NULL without memory. */
static struct addrinfo *entry_new(
    int socktype, uint32_t addr, uint16_t port, const char *canon)
{
	size_t nlen = canon != NULL ? strlen(canon) + 1 : 0;
	struct addrinfo *ai = calloc(1, sizeof(*ai) + sizeof(struct sockaddr_in) + nlen);
	if (ai == NULL)
		return NULL;
	struct sockaddr_in *sin = (struct sockaddr_in *) (ai + 1);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(addr);
	ai->ai_family = AF_INET;
	ai->ai_socktype = socktype;
	ai->ai_protocol = socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	ai->ai_addrlen = sizeof(*sin);
	ai->ai_addr = (struct sockaddr *) sin;
	if (canon != NULL) {
		ai->ai_canonname = (char *) (sin + 1);
		memcpy(ai->ai_canonname, canon, nlen);
	}
	return ai;
}

/** The hints' checks: 0 or the EAI_* code. */
static int hints_check(const struct addrinfo *h)
{
	if ((h->ai_flags & ~AI_KNOWN) != 0)
		return EAI_BADFLAGS;
	if (h->ai_family != AF_UNSPEC && h->ai_family != AF_INET)
		return EAI_FAMILY;
	if (h->ai_socktype != 0 && h->ai_socktype != SOCK_STREAM &&
	    h->ai_socktype != SOCK_DGRAM)
		return EAI_SOCKTYPE;
	return 0;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res)
{
	const struct addrinfo none = {0};
	const struct addrinfo *h = hints != NULL ? hints : &none;
	int err = hints_check(h);
	uint16_t port;
	uint32_t addr;
	if (err == 0 && node == NULL && service == NULL)
		err = EAI_NONAME;
	if (err == 0 && !service_port(service, &port))
		err = EAI_SERVICE;
	if (err == 0)
		err = node_addr(node, h->ai_flags, &addr);
	if (err != 0)
		return err;
	const char *canon = (h->ai_flags & AI_CANONNAME) != 0 ? node : NULL;
	int types[2] = {SOCK_STREAM, SOCK_DGRAM};
	size_t n = 2;
	if (h->ai_socktype != 0) {
		types[0] = h->ai_socktype;
		n = 1;
	}
	struct addrinfo *first = NULL, **tail = &first;
	for (size_t i = 0; i < n; i++) {
		*tail = entry_new(types[i], addr, port, i == 0 ? canon : NULL);
		if (*tail == NULL) {
			freeaddrinfo(first);
			return EAI_MEMORY;
		}
		tail = &(*tail)->ai_next;
	}
	*res = first;
	return 0;
}

void freeaddrinfo(struct addrinfo *res)
{
	while (res != NULL) {
		struct addrinfo *next = res->ai_next;
		free(res);
		res = next;
	}
}

const char *gai_strerror(int code)
{
	static const char *const text[] = {
	    [0] = "success",
	    [EAI_AGAIN] = "temporary failure in name resolution",
	    [EAI_BADFLAGS] = "bad flags",
	    [EAI_FAIL] = "name lookup failed",
	    [EAI_FAMILY] = "address family not supported",
	    [EAI_MEMORY] = "out of memory",
	    [EAI_NONAME] = "unknown host",
	    [EAI_SERVICE] = "service not known (ports are numbers)",
	    [EAI_SOCKTYPE] = "socket type not supported",
	};
	if (code < 0 || (size_t) code >= sizeof(text) / sizeof(text[0]))
		return "unknown error";
	return text[code];
}

struct hostent *gethostbyname(const char *name)
{
	static char hname[256];
	static uint32_t addr_net;
	static char *addrs[2];
	static char *aliases[1];
	static struct hostent he;
	uint32_t addr;
	errno_t rc = name != NULL && strlen(name) < sizeof(hname)
	    ? net_host_lookup(name, &addr)
	    : ENOENT;
	if (rc != EOK) {
		h_errno = rc == ENOENT ? HOST_NOT_FOUND : NO_RECOVERY;
		return NULL;
	}
	strcpy(hname, name);
	addr_net = htonl(addr);
	addrs[0] = (char *) &addr_net;
	addrs[1] = NULL;
	aliases[0] = NULL;
	he = (struct hostent){.h_name = hname,
	    .h_aliases = aliases,
	    .h_addrtype = AF_INET,
	    .h_length = 4,
	    .h_addr_list = addrs};
	return &he;
}
