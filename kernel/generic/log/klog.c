/*
 * Kernel log ring. klog_lock guards the ring; writers are already serialised
 * by the console lock but readers are not, so both take it. Subscribers
 * learn of new text through EVENT_KLOG, posted by klog_notify() once the
 * console lock is released (posting takes the events lock and a box lock,
 * which come before the console lock in the lock order).
 */
#include <klog.h>
#include <common/adt/ringbuf.h>
#include <spinlock.h>
#include <ipc/irq.h>

static uint8_t klog_data[KLOG_SIZE];
static ringbuf_t klog_ring = {
    .data = klog_data, .rec_size = 1, .capacity = KLOG_SIZE, .head = 0};
static spinlock_t klog_lock = SPINLOCK_INITIALIZER("klog", KLOG);
static uint64_t klog_notified; /* the head EVENT_KLOG last told; klog_lock */

void klog_write(const char *buf, size_t len)
{
	spinlock_lock(&klog_lock);
	ringbuf_put_many(&klog_ring, buf, len);
	spinlock_unlock(&klog_lock);
}

void klog_notify(void)
{
	spinlock_lock(&klog_lock);
	uint64_t head = klog_ring.head;
	bool news = head != klog_notified;
	klog_notified = head;
	spinlock_unlock(&klog_lock);
	if (news)
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
