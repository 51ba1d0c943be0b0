/*
 * Kernel log ring. klog_lock guards the ring; writers are already serialised
 * by the console lock but readers are not, so both take it.
 */
#include <klog.h>
#include <common/adt/ringbuf.h>
#include <spinlock.h>
#include <ipc/irq.h>

static uint8_t klog_data[KLOG_SIZE];
static ringbuf_t klog_ring = {
    .data = klog_data, .rec_size = 1, .capacity = KLOG_SIZE, .head = 0};
static spinlock_t klog_lock = SPINLOCK_INITIALIZER("klog");

void klog_write(const char *buf, size_t len)
{
	spinlock_lock(&klog_lock);
	for (size_t i = 0; i < len; i++)
		ringbuf_put(&klog_ring, &buf[i]);
	uint64_t head = klog_ring.head;
	spinlock_unlock(&klog_lock);
	event_notify(EVENT_KLOG, head, 0, 0);
}

size_t klog_read(uint64_t *cursor, char *out, size_t max, uint64_t *missed)
{
	spinlock_lock(&klog_lock);
	size_t n = ringbuf_read(&klog_ring, cursor, out, max, missed);
	spinlock_unlock(&klog_lock);
	return n;
}

uint64_t klog_head(void)
{
	spinlock_lock(&klog_lock);
	uint64_t head = klog_ring.head;
	spinlock_unlock(&klog_lock);
	return head;
}
