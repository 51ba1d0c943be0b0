/*
 * NICs from the client's side (nic.h). A nic_t owns its two sessions;
 * they go in nic_close().
 */
#include <nic.h>
#include <stdlib.h>
#include <string.h>

static void mac_from_num(uint64_t num, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t) (num >> (8 * (5 - i)));
}

errno_t nic_get_info(nic_t *nic, nic_info_t *info)
{
	async_exch_t *exch = async_exchange_begin(nic->sess);
	if (exch == NULL)
		return ENOMEM;
	sysarg_t mac = 0, link = 0, speed = 0;
	errno_t rc = async_req_0_3(exch, NIC_GET_INFO, &mac, &link, &speed);
	async_exchange_end(exch);
	if (rc != EOK)
		return rc;
	mac_from_num(mac, info->mac);
	info->link_up = link == NIC_LINK_UP;
	info->speed_mbps = (unsigned) speed;
	return EOK;
}

errno_t nic_open(loc_id_t id, nic_t **out)
{
	errno_t rc;
	async_sess_t *sess = loc_service_connect(id, NIC_IFACE, &rc);
	if (sess == NULL)
		return rc;
	nic_t *nic = calloc(1, sizeof(*nic));
	if (nic == NULL) {
		DISCARD(cleanup, async_hangup(sess));
		return ENOMEM;
	}
	nic->sess = sess;
	nic->rx_sess = loc_service_connect(id, NIC_IFACE, &rc);
	nic_info_t info;
	if (nic->rx_sess != NULL)
		rc = nic_get_info(nic, &info);
	if (rc != EOK) {
		nic_close(nic);
		return rc;
	}
	memcpy(nic->mac, info.mac, sizeof(nic->mac));
	*out = nic;
	return EOK;
}

errno_t nic_open_first(nic_t **out, loc_id_t *id)
{
	category_id_t cat;
	errno_t rc = loc_category_get_id(NIC_CATEGORY, &cat, 0);
	if (rc != EOK)
		return rc;
	loc_id_t ids[8];
	size_t count;
	rc = loc_category_get_svcs(cat, ids, 8, &count);
	if (rc != EOK)
		return rc;
	for (size_t i = 0; i < count && i < 8; i++) {
		if (nic_open(ids[i], out) == EOK) {
			if (id != NULL)
				*id = ids[i];
			return EOK;
		}
	}
	return ENOENT;
}

void nic_close(nic_t *nic)
{
	if (nic == NULL)
		return;
	DISCARD(cleanup, async_hangup(nic->sess));
	if (nic->rx_sess != NULL)
		DISCARD(cleanup, async_hangup(nic->rx_sess));
	free(nic);
}

errno_t nic_send(nic_t *nic, const void *frame, size_t len)
{
	if (len < NIC_FRAME_HDR || len > NIC_FRAME_MAX)
		return EINVAL;
	async_exch_t *exch = async_exchange_begin(nic->sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_write(exch, NIC_SEND, 0, 0, frame, len, NULL);
	async_exchange_end(exch);
	return rc;
}

bool nic_batch_put(void *buf, size_t size, size_t *used, const void *frame, size_t len)
{
	uint8_t *b = buf;
	if (len < NIC_FRAME_HDR || len > NIC_FRAME_MAX || *used > size ||
	    size - *used < 2 + len)
		return false;
	b[*used] = (uint8_t) (len >> 8);
	b[*used + 1] = (uint8_t) len;
	memcpy(b + *used + 2, frame, len);
	*used += 2 + len;
	return true;
}

errno_t nic_send_batch(nic_t *nic, const void *buf, size_t used, size_t *sent)
{
	*sent = 0;
	if (used == 0)
		return EOK;
	if (used > IPC_DATA_MAX)
		return EINVAL;
	async_exch_t *exch = async_exchange_begin(nic->sess);
	if (exch == NULL)
		return ENOMEM;
	sysarg_t count = 0;
	errno_t rc = async_req_write(exch, NIC_SEND_BATCH, 0, 0, buf, used, &count);
	async_exchange_end(exch);
	*sent = count;
	return rc;
}

errno_t nic_recv(
    nic_t *nic, void *buf, size_t size, uint64_t timeout_us, size_t *used, size_t *frames)
{
	if (size > IPC_DATA_MAX)
		size = IPC_DATA_MAX;
	async_exch_t *exch = async_exchange_begin(nic->rx_sess);
	if (exch == NULL)
		return ENOMEM;
	sysarg_t count = 0;
	errno_t rc = async_req_read(
	    exch, NIC_RECV, timeout_us, 0, buf, size, used, &count);
	async_exchange_end(exch);
	if (rc == EOK)
		*frames = count;
	return rc;
}

const uint8_t *nic_recv_next(const void *buf, size_t used, size_t *pos, size_t *len)
{
	const uint8_t *b = buf;
	if (*pos + 2 > used)
		return NULL;
	size_t n = ((size_t) b[*pos] << 8) | b[*pos + 1];
	if (n == 0 || n > used - *pos - 2)
		return NULL;
	*len = n;
	*pos += 2 + n;
	return b + *pos - n;
}

errno_t nic_get_stats(nic_t *nic, nic_stats_t *stats)
{
	async_exch_t *exch = async_exchange_begin(nic->sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_read(
	    exch, NIC_GET_STATS, 0, 0, stats, sizeof(*stats), NULL, NULL);
	async_exchange_end(exch);
	return rc;
}
