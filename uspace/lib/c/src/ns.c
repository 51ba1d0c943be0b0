/*
 * Naming-service client calls (ns.h), all through phone 1.
 */
#include <ns.h>

static errno_t ns_register(service_id_t service, iface_t iface, sysarg_t flags,
    async_port_handler_t handler, void *data)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_create_callback_port(
	    exch, iface, service, flags, handler, data, NULL);
	async_exchange_end(exch);
	return rc;
}

errno_t service_register(
    service_id_t service, iface_t iface, async_port_handler_t handler, void *data)
{
	if (service == 0)
		return EINVAL;
	errno_t rc = async_create_port(iface, handler, data, NULL);
	if (rc != EOK)
		return rc;
	return ns_register(service, iface, 0, handler, data);
}

errno_t service_register_port(
    service_id_t service, iface_t iface, async_port_handler_t handler, void *data)
{
	if (service == 0)
		return EINVAL;
	return ns_register(service, iface, 0, handler, data);
}

errno_t service_register_broker(
    service_id_t service, async_port_handler_t handler, void *data)
{
	if (service == 0)
		return EINVAL;
	async_set_fallback_port_handler(handler, data);
	return ns_register(service, 0, NS_REGISTER_BROKER, handler, data);
}

static async_sess_t *connect(
    service_id_t service, iface_t iface, sysarg_t arg, bool blocking, errno_t *rc)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL) {
		if (rc != NULL)
			*rc = ENOMEM;
		return NULL;
	}
	async_sess_t *sess = blocking
	    ? async_connect_me_to_blocking(
		  EXCHANGE_SERIALIZE, exch, iface, service, arg, rc)
	    : async_connect_me_to(EXCHANGE_SERIALIZE, exch, iface, service, arg, rc);
	async_exchange_end(exch);
	return sess;
}

async_sess_t *service_connect(
    service_id_t service, iface_t iface, sysarg_t arg, errno_t *rc)
{
	return connect(service, iface, arg, false, rc);
}

async_sess_t *service_connect_blocking(
    service_id_t service, iface_t iface, sysarg_t arg, errno_t *rc)
{
	return connect(service, iface, arg, true, rc);
}

errno_t ns_ping(void)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_0_0(exch, NS_PING);
	async_exchange_end(exch);
	return rc;
}

errno_t service_demand_set(service_id_t service)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_1_0(exch, NS_DEMAND_SET, service);
	async_exchange_end(exch);
	return rc;
}

errno_t service_demand_wait(service_id_t *service)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	sysarg_t wanted = 0;
	errno_t rc = async_req_0_1(exch, NS_DEMAND_WAIT, &wanted);
	async_exchange_end(exch);
	if (rc == EOK)
		*service = wanted;
	return rc;
}

errno_t service_demand_done(service_id_t service, errno_t result)
{
	async_exch_t *exch = async_exchange_begin(async_session_ns());
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_2_0(exch, NS_DEMAND_DONE, service, (sysarg_t) result);
	async_exchange_end(exch);
	return rc;
}
