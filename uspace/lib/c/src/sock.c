/*
 * Client stubs of the network server (sock.h): one session, and so one
 * connection, per socket.
 */
#include <async.h>
#include <ns.h>
#include <sock.h>
#include <net/ipv4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sock {
	async_sess_t *sess;
	uint32_t id;
};

static async_sess_t *net_connect(errno_t *rc)
{
	return service_connect_blocking(
	    service_id_from_name(NET_SERVICE), NET_IFACE, 0, rc);
}

/** A one-call request on @a sess with up to three arguments, up to four answers. */
static errno_t net_req(async_sess_t *sess, sysarg_t method, sysarg_t a1, sysarg_t a2,
    sysarg_t a3, ipc_call_t *answer)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	const sysarg_t args[IPC_CALL_ARGS] = {a1, a2, a3};
	errno_t rc = async_req_steps(exch, method, args, NULL, 0, answer);
	async_exchange_end(exch);
	return rc;
}

/** A request followed by one data step (write or read). */
static errno_t net_req_data(async_sess_t *sess, sysarg_t method, sysarg_t a1, sysarg_t a2,
    sysarg_t a3, async_step_fn_t step, async_step_data_t *data, ipc_call_t *answer)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	const sysarg_t args[IPC_CALL_ARGS] = {a1, a2, a3};
	const async_step_t steps[] = {{step, data}};
	errno_t rc = async_req_steps(exch, method, args, steps, 1, answer);
	async_exchange_end(exch);
	return rc;
}

static errno_t sock_new(sock_t **out)
{
	sock_t *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return ENOMEM;
	errno_t rc;
	s->sess = net_connect(&rc);
	if (s->sess == NULL) {
		free(s);
		return rc;
	}
	*out = s;
	return EOK;
}

errno_t sock_open(int type, sock_t **out)
{
	sock_t *s;
	errno_t rc = sock_new(&s);
	if (rc != EOK)
		return rc;
	ipc_call_t answer;
	rc = net_req(s->sess, NET_SOCK_OPEN, (sysarg_t) type, 0, 0, &answer);
	if (rc != EOK) {
		sock_close(s);
		return rc;
	}
	s->id = (uint32_t) ipc_get_arg1(&answer);
	*out = s;
	return EOK;
}

void sock_close(sock_t *s)
{
	if (s == NULL)
		return;
	DISCARD(best_effort, async_hangup(s->sess));
	free(s);
}

errno_t sock_bind(sock_t *s, uint32_t addr, uint16_t port, bool reuse, uint16_t *bound)
{
	ipc_call_t answer;
	errno_t rc = net_req(s->sess, NET_SOCK_BIND, addr, port, reuse, &answer);
	if (rc == EOK && bound != NULL)
		*bound = (uint16_t) ipc_get_arg1(&answer);
	return rc;
}

errno_t sock_listen(sock_t *s, unsigned backlog)
{
	return net_req(s->sess, NET_SOCK_LISTEN, backlog, 0, 0, NULL);
}

static void answer_addrs(const ipc_call_t *answer, sock_addr_t *local, sock_addr_t *peer)
{
	if (local != NULL)
		*local = (sock_addr_t){
		    (uint32_t) ipc_get_arg1(answer), (uint16_t) ipc_get_arg2(answer)};
	if (peer != NULL)
		*peer = (sock_addr_t){
		    (uint32_t) ipc_get_arg3(answer), (uint16_t) ipc_get_arg4(answer)};
}

errno_t sock_accept(sock_t *s, sock_t **conn, sock_addr_t *peer, uint64_t timeout_us)
{
	sock_t *c;
	errno_t rc = sock_new(&c);
	if (rc != EOK)
		return rc;
	ipc_call_t answer;
	rc = net_req(c->sess, NET_SOCK_OPEN, NET_SOCK_STREAM, 0, 0, &answer);
	if (rc == EOK) {
		c->id = (uint32_t) ipc_get_arg1(&answer);
		rc = net_req(c->sess, NET_SOCK_ACCEPT, s->id, timeout_us, 0, &answer);
	}
	if (rc != EOK) {
		sock_close(c);
		return rc;
	}
	answer_addrs(&answer, NULL, peer);
	*conn = c;
	return EOK;
}

errno_t sock_connect(sock_t *s, uint32_t addr, uint16_t port, uint64_t timeout_us)
{
	return net_req(s->sess, NET_SOCK_CONNECT, addr, port, timeout_us, NULL);
}

static errno_t send_to(sock_t *s, const void *data, size_t len, uint32_t addr,
    uint16_t port, size_t *done, uint64_t timeout_us)
{
	if (len > NET_IO_MAX)
		len = NET_IO_MAX;
	async_step_data_t d = {.buf = (void *) data, .size = len};
	ipc_call_t answer;
	errno_t rc = net_req_data(s->sess, NET_SOCK_SEND, addr, port, timeout_us,
	    async_step_write, &d, &answer);
	*done = rc == EOK ? ipc_get_arg1(&answer) : 0;
	return rc;
}

errno_t sock_send(
    sock_t *s, const void *data, size_t len, size_t *done, uint64_t timeout_us)
{
	return send_to(s, data, len, 0, 0, done, timeout_us);
}

errno_t sock_send_all(sock_t *s, const void *data, size_t len, uint64_t timeout_us)
{
	const uint8_t *p = data;
	while (len > 0) {
		size_t done;
		errno_t rc = sock_send(s, p, len, &done, timeout_us);
		if (rc != EOK)
			return rc;
		p += done;
		len -= done;
	}
	return EOK;
}

errno_t sock_sendto(sock_t *s, const void *data, size_t len, const sock_addr_t *to)
{
	if (len > NET_IO_MAX)
		return ELIMIT;
	size_t done;
	return send_to(s, data, len, to->addr, to->port, &done, 0);
}

errno_t sock_recvfrom(sock_t *s, void *buf, size_t len, size_t *done, sock_addr_t *from,
    uint64_t timeout_us)
{
	return sock_recvfrom_flags(s, buf, len, done, from, timeout_us, 0);
}

errno_t sock_recvfrom_flags(sock_t *s, void *buf, size_t len, size_t *done,
    sock_addr_t *from, uint64_t timeout_us, unsigned flags)
{
	if (len > NET_IO_MAX)
		len = NET_IO_MAX;
	async_step_data_t d = {.buf = buf, .size = len};
	ipc_call_t answer;
	errno_t rc = net_req_data(
	    s->sess, NET_SOCK_RECV, timeout_us, flags, 0, async_step_read, &d, &answer);
	*done = rc == EOK ? ipc_get_arg1(&answer) : 0;
	if (rc == EOK && from != NULL)
		*from = (sock_addr_t){
		    (uint32_t) ipc_get_arg2(&answer), (uint16_t) ipc_get_arg3(&answer)};
	return rc;
}

errno_t sock_recv(sock_t *s, void *buf, size_t len, size_t *done, uint64_t timeout_us)
{
	return sock_recvfrom(s, buf, len, done, NULL, timeout_us);
}

errno_t sock_shutdown(sock_t *s)
{
	return net_req(s->sess, NET_SOCK_SHUTDOWN, 0, 0, 0, NULL);
}

errno_t sock_name(sock_t *s, sock_addr_t *local, sock_addr_t *peer)
{
	ipc_call_t answer;
	errno_t rc = net_req(s->sess, NET_SOCK_NAME, 0, 0, 0, &answer);
	if (rc == EOK)
		answer_addrs(&answer, local, peer);
	return rc;
}

errno_t sock_poll(sock_t *s, unsigned events, uint64_t timeout_us, unsigned *revents)
{
	ipc_call_t answer;
	errno_t rc = net_req(s->sess, NET_SOCK_POLL, events, timeout_us, 0, &answer);
	*revents = rc == EOK ? (unsigned) ipc_get_arg1(&answer) : 0;
	return rc;
}

errno_t sock_poll_set(sock_t *const *socks, const unsigned *events, size_t n,
    uint64_t timeout_us, unsigned *revents, size_t *ready)
{
	*ready = 0;
	if (n == 0 || n > NET_POLL_SET_MAX)
		return EINVAL;
	net_poll_entry_t *set = calloc(n, sizeof(*set));
	if (set == NULL)
		return ENOMEM;
	for (size_t i = 0; i < n; i++)
		set[i] = (net_poll_entry_t){socks[i]->id, (uint16_t) events[i], 0};
	async_step_data_t out = {.buf = set, .size = n * sizeof(*set)};
	async_step_data_t in = {.buf = set, .size = n * sizeof(*set)};
	const async_step_t steps[] = {{async_step_write, &out}, {async_step_read, &in}};
	const sysarg_t args[IPC_CALL_ARGS] = {n, timeout_us};
	ipc_call_t answer;
	errno_t rc = ENOMEM;
	async_exch_t *exch = async_exchange_begin(socks[0]->sess);
	if (exch != NULL) {
		rc = async_req_steps(exch, NET_POLL_SET, args, steps, 2, &answer);
		async_exchange_end(exch);
	}
	for (size_t i = 0; i < n && rc == EOK; i++)
		revents[i] = set[i].revents;
	if (rc == EOK)
		*ready = ipc_get_arg1(&answer);
	free(set);
	return rc;
}

/** A call on a session of its own (no socket): @a step with @a data. */
static errno_t net_global(
    sysarg_t method, async_step_fn_t step, async_step_data_t *data, ipc_call_t *answer)
{
	errno_t rc;
	async_sess_t *sess = net_connect(&rc);
	if (sess == NULL)
		return rc;
	rc = net_req_data(sess, method, 0, 0, 0, step, data, answer);
	DISCARD(best_effort, async_hangup(sess));
	return rc;
}

errno_t net_get_stats(net_stat_t *stats)
{
	async_step_data_t d = {.buf = stats, .size = sizeof(*stats)};
	return net_global(NET_STATS, async_step_read, &d, NULL);
}

static errno_t net_get_list(
    sysarg_t method, void *list, size_t size, size_t max, size_t *count);

errno_t net_get_sockets(net_sock_info_t *list, size_t max, size_t *count)
{
	return net_get_list(NET_SOCKETS, list, sizeof(*list), max, count);
}

/** A list call @a method reading up to @a max records of @a size bytes. */
static errno_t net_get_list(
    sysarg_t method, void *list, size_t size, size_t max, size_t *count)
{
	async_step_data_t d = {.buf = list, .size = max * size};
	ipc_call_t answer;
	errno_t rc = net_global(method, async_step_read, &d, &answer);
	*count = rc == EOK ? ipc_get_arg1(&answer) : 0;
	if (*count > max)
		*count = max;
	return rc;
}

errno_t net_get_ifaces(net_iface_info_t *list, size_t max, size_t *count)
{
	return net_get_list(NET_IFACES, list, sizeof(*list), max, count);
}

errno_t net_get_routes(net_route_info_t *list, size_t max, size_t *count)
{
	return net_get_list(NET_ROUTES, list, sizeof(*list), max, count);
}

/** A call of @a method with three arguments on a session of its own;
 *  its answer in *@a answer (NULL: not wanted). */
static errno_t net_global_req(
    sysarg_t method, sysarg_t a1, sysarg_t a2, sysarg_t a3, ipc_call_t *answer)
{
	errno_t rc;
	async_sess_t *sess = net_connect(&rc);
	if (sess == NULL)
		return rc;
	rc = net_req(sess, method, a1, a2, a3, answer);
	DISCARD(best_effort, async_hangup(sess));
	return rc;
}

errno_t net_iface_index(const char *name, unsigned *iface)
{
	static const char *const names[] = {"lo", "eth0"};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*iface = i;
			return EOK;
		}
	}
	return ENOENT;
}

errno_t net_iface_wait(
    unsigned iface, uint64_t timeout_us, uint32_t *addr, uint32_t *mask)
{
	ipc_call_t answer;
	errno_t rc = net_global_req(NET_IFACE_WAIT, iface, timeout_us, 0, &answer);
	if (rc != EOK)
		return rc;
	*addr = (uint32_t) ipc_get_arg1(&answer);
	*mask = (uint32_t) ipc_get_arg2(&answer);
	return EOK;
}

errno_t net_iface_set(unsigned iface, uint32_t addr, uint32_t mask)
{
	return net_global_req(NET_IFACE_SET, iface, addr, mask, NULL);
}

errno_t net_route_add(uint32_t net, uint32_t mask, uint32_t gateway)
{
	return net_global_req(NET_ROUTE_ADD, net, mask, gateway, NULL);
}

errno_t net_route_del(uint32_t net, uint32_t mask)
{
	return net_global_req(NET_ROUTE_DEL, net, mask, 0, NULL);
}

errno_t net_inject(const void *pkt, size_t len)
{
	async_step_data_t d = {.buf = (void *) pkt, .size = len};
	return net_global(NET_INJECT, async_step_write, &d, NULL);
}

/** Does line @a line of the hosts file name @a name? Its address in *@a addr. */
static bool hosts_line_names(char *line, const char *name, uint32_t *addr)
{
	char *hash = strchr(line, '#');
	if (hash != NULL)
		*hash = '\0';
	char *save = NULL;
	char *word = strtok_r(line, " \t\r\n", &save);
	if (word == NULL || !ipv4_parse_addr(word, addr))
		return false;
	while ((word = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
		if (strcmp(word, name) == 0)
			return true;
	}
	return false;
}

errno_t net_host_lookup(const char *name, uint32_t *addr)
{
	if (ipv4_parse_addr(name, addr))
		return EOK;
	FILE *f = fopen(NET_HOSTS_PATH, "r");
	if (f == NULL)
		return ENOENT;
	char line[256];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = hosts_line_names(line, name, addr);
	DISCARD(best_effort, fclose(f));
	return found ? EOK : ENOENT;
}

errno_t net_inject_frame(const void *frame, size_t len)
{
	async_step_data_t d = {.buf = (void *) frame, .size = len};
	return net_global(NET_INJECT_FRAME, async_step_write, &d, NULL);
}
