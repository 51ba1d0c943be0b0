/*
 * Block devices from the client's side (bd.h). A bd_t owns its session and
 * its shared buffer; both go in bd_close().
 */
#include <as.h>
#include <bd.h>
#include <ns.h>
#include <stdlib.h>
#include <string.h>
#include <common/arch/page.h>

errno_t bd_open_sess(async_sess_t *sess, bd_t **out)
{
	async_exch_t *exch = async_exchange_begin(sess);
	if (exch == NULL)
		return ENOMEM;
	sysarg_t bsize = 0, count = 0;
	errno_t rc = async_req_0_2(exch, BD_GET_INFO, &bsize, &count);
	async_exchange_end(exch);
	if (rc == EOK && (bsize < 512 || bsize > 4096 || (bsize & (bsize - 1)) != 0))
		rc = EIO; /* not a block device we can use */
	bd_t *bd = rc == EOK ? calloc(1, sizeof(*bd)) : NULL;
	if (rc == EOK && bd == NULL)
		rc = ENOMEM;
	if (rc != EOK) {
		DISCARD(cleanup, async_hangup(sess));
		return rc;
	}
	bd->sess = sess;
	bd->block_size = bsize;
	bd->block_count = count;
	*out = bd;
	return EOK;
}

errno_t bd_open(loc_id_t id, bd_t **out)
{
	errno_t rc;
	async_sess_t *sess = loc_service_connect(id, BD_IFACE, &rc);
	if (sess == NULL)
		return rc;
	return bd_open_sess(sess, out);
}

errno_t bd_open_name(const char *name, bd_t **out)
{
	loc_id_t id;
	errno_t rc = loc_service_get_id(name, &id, 0);
	return rc == EOK ? bd_open(id, out) : rc;
}

void bd_close(bd_t *bd)
{
	if (bd == NULL)
		return;
	DISCARD(cleanup, async_hangup(bd->sess));
	if (bd->shared != NULL)
		DISCARD(cleanup, as_area_destroy((uintptr_t) bd->shared));
	free(bd);
}

/** Blocks per data transfer. */
static size_t bd_chunk(const bd_t *bd)
{
	return IPC_DATA_MAX / bd->block_size;
}

errno_t bd_read(bd_t *bd, uint64_t ba, size_t count, void *buf)
{
	if (count == 0)
		return EINVAL;
	async_exch_t *exch = async_exchange_begin(bd->sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = EOK;
	uint8_t *dst = buf;
	while (rc == EOK && count > 0) {
		size_t n = count < bd_chunk(bd) ? count : bd_chunk(bd);
		rc = async_req_read(
		    exch, BD_READ, ba, n, dst, n * bd->block_size, NULL, NULL);
		ba += n;
		count -= n;
		dst += n * bd->block_size;
	}
	async_exchange_end(exch);
	return rc;
}

errno_t bd_write(bd_t *bd, uint64_t ba, size_t count, const void *buf)
{
	if (count == 0)
		return EINVAL;
	async_exch_t *exch = async_exchange_begin(bd->sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = EOK;
	const uint8_t *src = buf;
	while (rc == EOK && count > 0) {
		size_t n = count < bd_chunk(bd) ? count : bd_chunk(bd);
		rc = async_req_write(
		    exch, BD_WRITE, ba, n, src, n * bd->block_size, NULL);
		ba += n;
		count -= n;
		src += n * bd->block_size;
	}
	async_exchange_end(exch);
	return rc;
}

static errno_t bd_req(bd_t *bd, sysarg_t method, sysarg_t a1, sysarg_t a2, sysarg_t a3)
{
	async_exch_t *exch = async_exchange_begin(bd->sess);
	if (exch == NULL)
		return ENOMEM;
	errno_t rc = async_req_3_0(exch, method, a1, a2, a3);
	async_exchange_end(exch);
	return rc;
}

errno_t bd_sync(bd_t *bd)
{
	return bd_req(bd, BD_SYNC, 0, 0, 0);
}

/** Sends BD_SHARE with the area at @a area. */
static errno_t bd_share_send(bd_t *bd, void *area)
{
	async_exch_t *exch = async_exchange_begin(bd->sess);
	if (exch == NULL)
		return ENOMEM;
	aid_t req = async_send_0(exch, BD_SHARE, NULL);
	errno_t rc = async_share_out_start(exch, area, AS_AREA_READ | AS_AREA_WRITE);
	async_exchange_end(exch);
	errno_t rrc;
	async_wait_for(req, &rrc);
	return rrc != EOK ? rrc : rc;
}

errno_t bd_share(bd_t *bd, size_t size)
{
	if (size == 0 || size > BD_SHARED_MAX || size % PAGE_SIZE != 0)
		return EINVAL;
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = as_area_create(
	    &base, size, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE);
	if (rc != EOK)
		return rc;
	rc = bd_share_send(bd, (void *) base);
	if (rc != EOK) {
		DISCARD(cleanup, as_area_destroy(base));
		return rc;
	}
	if (bd->shared != NULL)
		DISCARD(cleanup, as_area_destroy((uintptr_t) bd->shared));
	bd->shared = (void *) base;
	bd->shared_size = size;
	return EOK;
}

errno_t bd_read_shared(bd_t *bd, uint64_t ba, size_t count, size_t offset)
{
	return bd_req(bd, BD_READ_SHARED, ba, count, offset);
}

errno_t bd_write_shared(bd_t *bd, uint64_t ba, size_t count, size_t offset)
{
	return bd_req(bd, BD_WRITE_SHARED, ba, count, offset);
}

static errno_t cache_read(void *dev, uint64_t ba, size_t count, void *buf)
{
	return bd_read(dev, ba, count, buf);
}

static errno_t cache_write(void *dev, uint64_t ba, size_t count, const void *buf)
{
	return bd_write(dev, ba, count, buf);
}

static errno_t cache_sync(void *dev)
{
	return bd_sync(dev);
}

const bcache_dev_t bd_cache_ops = {
    .read = cache_read, .write = cache_write, .sync = cache_sync};

#define PROBE_BYTES	 2048 /* the boot sector and ext2's superblock */
#define EXT2_MAGIC_OFF	 (1024 + 56)
#define EXT2_MAGIC	 0xef53
#define FAT_SIG_OFF	 510
#define FAT16_FSTYPE_OFF 54
#define FAT32_FSTYPE_OFF 82

/** Whether boot sector @a b is a FAT one: a jump, a power-of-two sector
 *  size, the signature and "FAT" where FAT12/16 or FAT32 name their type. */
static bool probe_fat(const uint8_t *b)
{
	unsigned bps = b[11] | b[12] << 8;
	return (b[0] == 0xeb || b[0] == 0xe9) && bps >= 512 && bps <= 4096 &&
	    (bps & (bps - 1)) == 0 && b[FAT_SIG_OFF] == 0x55 &&
	    b[FAT_SIG_OFF + 1] == 0xaa &&
	    (memcmp(b + FAT16_FSTYPE_OFF, "FAT", 3) == 0 ||
		memcmp(b + FAT32_FSTYPE_OFF, "FAT", 3) == 0);
}

errno_t bd_probe_fs(bd_t *bd, const char **type)
{
	size_t blocks = (PROBE_BYTES + bd->block_size - 1) / bd->block_size;
	if (blocks > bd->block_count)
		return ENOENT;
	uint8_t *b = malloc(blocks * bd->block_size);
	if (b == NULL)
		return ENOMEM;
	errno_t rc = bd_read(bd, 0, blocks, b);
	if (rc == EOK) {
		unsigned magic = b[EXT2_MAGIC_OFF] | b[EXT2_MAGIC_OFF + 1] << 8;
		*type = probe_fat(b) ? "fat" : magic == EXT2_MAGIC ? "ext2" : NULL;
		rc = *type != NULL ? EOK : ENOENT;
	} else {
		rc = EIO;
	}
	free(b);
	return rc;
}

errno_t vol_scan(void)
{
	errno_t rc;
	async_sess_t *sess = service_connect(
	    service_id_from_name(VOL_SERVICE_NAME), VOL_IFACE, 0, &rc);
	if (sess == NULL)
		return rc;
	async_exch_t *exch = async_exchange_begin(sess);
	rc = exch != NULL ? async_req_0_0(exch, VOL_SCAN) : ENOMEM;
	if (exch != NULL)
		async_exchange_end(exch);
	DISCARD(cleanup, async_hangup(sess));
	return rc;
}
