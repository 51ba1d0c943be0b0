/*
 * The devices the console uses, and finding them.
 *
 * With the location service (the default): input from the first service
 * of category "serial" and from every "keyboard"; output to that serial
 * service and to every "display". Devices that appear later are taken up
 * when locsrv reports a category change; a device that fails is dropped
 * (input.c, output.c) and, if it was the serial line, the next serial
 * service is taken. With a naming-service device (console SERVICE): that
 * device alone, as the serial line.
 *
 * dev_lock guards the table and serial_live. Entries are never removed
 * (input and output keep pointers to them); a failed one stays, marked
 * dead, so it is not taken up again (locsrv never reuses an id).
 */
#include "console.h"
#include <abi/chardev.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <ns.h>
#include <stdio.h>
#include <string.h>

#define DEVICES_MAX	 64
#define KIND_COUNT	 3
#define SERIAL_WAIT_USEC 10000000 /* how long start waits for a serial line */
#define SERIAL_POLL_USEC 100000

static const char *const kind_names[KIND_COUNT] = {
    [DEV_SERIAL] = "serial",
    [DEV_KEYBOARD] = "keyboard",
    [DEV_DISPLAY] = "display",
};

static FIBRIL_MUTEX_INITIALIZE(dev_lock);
static console_dev_t devs[DEVICES_MAX];
static size_t dev_count;
static bool serial_live; /* a serial device is in use */
static bool use_loc;	 /* devices come from locsrv categories */
static category_id_t cats[KIND_COUNT];

/** The entry of locsrv service @a id, or NULL; dev_lock is held. */
static console_dev_t *dev_find(loc_id_t id)
{
	for (size_t i = 0; i < dev_count; i++) {
		if (devs[i].id == id)
			return &devs[i];
	}
	return NULL;
}

/** A new entry; NULL when the table is full. dev_lock is held. */
static console_dev_t *dev_new(console_dev_kind_t kind, loc_id_t id)
{
	if (dev_count == DEVICES_MAX)
		return NULL;
	console_dev_t *dev = &devs[dev_count++];
	*dev = (console_dev_t){.id = id, .kind = kind, .dead = false};
	return dev;
}

/** A character-device session to @a dev: through locsrv, or (id 0) the
 *  naming service, waiting for the device to register. */
static async_sess_t *dev_session(const console_dev_t *dev, errno_t *rc)
{
	if (dev->id != 0)
		return loc_service_connect(dev->id, CHARDEV_IFACE, rc);
	return service_connect_blocking(
	    service_id_from_name(dev->name), CHARDEV_IFACE, 0, rc);
}

/** Opens the sessions @a dev needs (input blocks in reads on one of its
 *  own) and hands them to output.c and input.c. Should input fail to
 *  start (ENOMEM), the output already attached stays. */
static errno_t dev_attach(console_dev_t *dev)
{
	bool has_in = dev->kind != DEV_DISPLAY, has_out = dev->kind != DEV_KEYBOARD;
	async_sess_t *in = NULL, *out = NULL;
	errno_t rc = EOK;
	if (has_in)
		in = dev_session(dev, &rc);
	if (rc == EOK && has_out)
		out = dev_session(dev, &rc);
	if (rc == EOK && has_out) {
		rc = output_attach(dev, out);
		if (rc != EOK)
			DISCARD(cleanup, async_hangup(out));
	}
	if (rc == EOK && has_in) {
		rc = input_attach(dev, in);
		if (rc == EOK)
			in = NULL; /* the input fibril's now */
	}
	if (in != NULL)
		DISCARD(cleanup, async_hangup(in));
	return rc;
}

/** Takes up locsrv service @a id of kind @a kind; dev_lock is held. */
static void dev_take(console_dev_kind_t kind, loc_id_t id)
{
	console_dev_t *dev = dev_new(kind, id);
	if (dev == NULL) {
		printf("%s: too many devices; %s %llu ignored\n", NAME, kind_names[kind],
		    (unsigned long long) id);
		return;
	}
	if (loc_service_get_name(id, dev->name, sizeof(dev->name)) != EOK)
		snprintf(dev->name, sizeof(dev->name), "service %llu",
		    (unsigned long long) id);
	errno_t rc = dev_attach(dev);
	if (rc != EOK) {
		dev->dead = true;
		printf("%s: cannot use %s %s: %s\n", NAME, kind_names[kind], dev->name,
		    str_error(rc));
		return;
	}
	if (kind == DEV_SERIAL)
		serial_live = true;
	printf("%s: %s %s\n", NAME, kind_names[kind], dev->name);
}

/** Takes up the new services of category @a kind; dev_lock is held. */
static void scan_kind(console_dev_kind_t kind)
{
	loc_id_t ids[DEVICES_MAX];
	size_t count;
	errno_t rc = loc_category_get_svcs(cats[kind], ids, DEVICES_MAX, &count);
	if (rc != EOK) {
		printf("%s: cannot list category %s: %s\n", NAME, kind_names[kind],
		    str_error(rc));
		return;
	}
	for (size_t i = 0; i < count && i < DEVICES_MAX; i++) {
		if (kind == DEV_SERIAL && serial_live)
			return; /* the first serial line only */
		if (dev_find(ids[i]) == NULL)
			dev_take(kind, ids[i]);
	}
}

static void devices_scan(void)
{
	fibril_mutex_lock(&dev_lock);
	for (unsigned k = 0; k < KIND_COUNT; k++)
		scan_kind((console_dev_kind_t) k);
	fibril_mutex_unlock(&dev_lock);
}

static void devices_changed(void *arg)
{
	devices_scan();
}

static bool devices_have_serial(void)
{
	fibril_mutex_lock(&dev_lock);
	bool live = serial_live;
	fibril_mutex_unlock(&dev_lock);
	return live;
}

/** Finds the devices in the locsrv categories and follows their changes;
 *  waits up to SERIAL_WAIT_USEC for a serial line, then goes on without. */
errno_t devices_start_loc(void)
{
	use_loc = true;
	for (unsigned k = 0; k < KIND_COUNT; k++) {
		errno_t rc = loc_category_get_id(
		    kind_names[k], &cats[k], LOC_FLAG_BLOCKING);
		if (rc != EOK)
			return rc;
	}
	errno_t rc = loc_register_cat_change_cb(devices_changed, NULL);
	if (rc != EOK)
		return rc;
	for (uint64_t waited = 0;; waited += SERIAL_POLL_USEC) {
		devices_scan();
		if (devices_have_serial())
			return EOK;
		if (waited >= SERIAL_WAIT_USEC)
			break;
		fibril_usleep(SERIAL_POLL_USEC);
	}
	printf("%s: no serial device after %u s; going on without one\n", NAME,
	    SERIAL_WAIT_USEC / 1000000);
	return EOK;
}

/** Uses naming-service device @a service as the serial line, alone. */
errno_t devices_start_ns(const char *service)
{
	if (strlen(service) >= CONSOLE_DEV_NAME_MAX)
		return EINVAL;
	fibril_mutex_lock(&dev_lock);
	console_dev_t *dev = dev_new(DEV_SERIAL, 0);
	strcpy(dev->name, service);
	errno_t rc = dev_attach(dev);
	dev->dead = rc != EOK;
	serial_live = rc == EOK;
	fibril_mutex_unlock(&dev_lock);
	return rc;
}

/** Notes that input from @a dev failed with @a rc (input.c dropped it);
 *  a serial line is replaced by the next one, if there is one. */
void devices_failed(console_dev_t *dev, errno_t rc)
{
	printf("%s: %s %s failed (%s); dropped\n", NAME, kind_names[dev->kind], dev->name,
	    str_error(rc));
	fibril_mutex_lock(&dev_lock);
	dev->dead = true;
	if (dev->kind == DEV_SERIAL)
		serial_live = false;
	fibril_mutex_unlock(&dev_lock);
	if (use_loc)
		devices_scan();
}
